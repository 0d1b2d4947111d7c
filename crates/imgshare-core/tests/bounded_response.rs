//! A response body is read only up to the client's limit, whatever the server sends: an endless
//! chunked body, or a `Content-Length` larger than the limit. Raw loopback servers, since
//! wiremock always sends finite bodies.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use imgshare_core::http::{HttpClient, HttpErrorKind, HttpRequest, Method, ReqwestClient};
use url::Url;

/// Serves one connection with `respond`, on a thread that stops when the client hangs up.
fn serve_once(respond: fn(TcpStream)) -> Url {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            respond(stream);
        }
    });
    Url::parse(&format!("http://{address}/")).unwrap()
}

fn endless(mut stream: TcpStream) {
    let _ = stream.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
    );
    let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "[".repeat(64 * 1024));
    // Bounded: at most 1 GiB, and it stops as soon as the client closes the connection.
    for _ in 0..16 * 1024 {
        if stream.write_all(chunk.as_bytes()).is_err() {
            return;
        }
    }
}

fn lying_length(mut stream: TcpStream) {
    let _ = stream.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 999999999999\r\n\r\n{}",
    );
    std::thread::sleep(Duration::from_secs(2));
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit() {
    let url = serve_once(endless);
    let client = ReqwestClient::new()
        .unwrap()
        .with_max_response_bytes(1024 * 1024);
    let err = client
        .send(
            HttpRequest::new(Method::Get, url),
            Some(Duration::from_secs(30)),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), HttpErrorKind::ResponseTooLarge);
    let text = err.to_string();
    assert!(text.contains("1048576-byte limit"), "{text}");
}

#[tokio::test]
async fn a_content_length_over_the_limit_fails_before_reading() {
    let url = serve_once(lying_length);
    let client = ReqwestClient::new().unwrap();
    let started = std::time::Instant::now();
    let err = client
        .send(
            HttpRequest::new(Method::Get, url),
            Some(Duration::from_secs(30)),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), HttpErrorKind::ResponseTooLarge);
    assert!(
        err.to_string().contains("Content-Length 999999999999"),
        "{err}"
    );
    // Refused at the headers, not after waiting for a body that never comes.
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn too_large_is_not_retryable() {
    use imgshare_core::Error;
    use imgshare_core::error::DispatchError;
    let source = imgshare_core::HttpError::new(
        HttpErrorKind::ResponseTooLarge,
        imgshare_core::RequestSent::Maybe,
        "too large",
    );
    let err = Error::Dispatch(DispatchError {
        source,
        attempts: 1,
    });
    assert!(!err.is_retryable());
}
