//! A TLS handshake that fails (a certificate nobody trusts, a server that does not speak TLS)
//! is final: one connection, no retry, an error that says TLS. Raw loopback servers that count
//! connections; the certificate is made here, for 127.0.0.1, and signed by nobody.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use imgshare_core::http::HttpErrorKind;
use imgshare_core::sign::tc3::Tc3Signer;
use imgshare_core::{
    Credentials, Error, ErrorKind, HttpRequest, Method, OperationCall, RetryConfig, Runtime,
    StaticProvider, TimeoutConfig,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use url::Url;

/// Accepts connections on a loopback port, counting them, and hands each to `serve`.
fn listen(serve: impl Fn(TcpStream) + Send + Sync + 'static) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    let serve = Arc::new(serve);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            counted.fetch_add(1, Ordering::SeqCst);
            let serve = serve.clone();
            std::thread::spawn(move || serve(stream));
        }
    });
    (port, count)
}

/// A TLS server presenting a fresh self-signed certificate for 127.0.0.1.
fn self_signed_server() -> (u16, Arc<AtomicUsize>) {
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![made.cert.der().clone()], key)
    .unwrap();
    let config = Arc::new(config);
    listen(move |mut stream| {
        let mut tls = rustls::ServerConnection::new(config.clone()).unwrap();
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        // Runs the handshake until the client gives up on the certificate.
        let mut buf = [0u8; 1024];
        let _ = rustls::Stream::new(&mut tls, &mut stream).read(&mut buf);
    })
}

/// A server that answers in plain HTTP whatever it is sent.
fn plaintext_server() -> (u16, Arc<AtomicUsize>) {
    listen(|mut stream| {
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}");
    })
}

/// Three attempts with ~no waiting, for an idempotent call: a plain connect failure would be
/// tried three times.
async fn call_once(port: u16) -> Error {
    let runtime = Runtime::builder(
        "test",
        Arc::new(StaticProvider::new(
            Credentials::new("AKIDtlstest", "tls-test-secret", None, "static").unwrap(),
        )),
        Arc::new(Tc3Signer::new("cvm")),
    )
    .retry(
        RetryConfig::standard()
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_backoff(Duration::from_millis(5)),
    )
    .timeouts(
        TimeoutConfig::default()
            .with_connect(Duration::from_secs(5))
            .with_attempt(Some(Duration::from_secs(10)))
            .with_operation(Some(Duration::from_secs(30))),
    )
    .build()
    .unwrap();
    let url = Url::parse(&format!("https://127.0.0.1:{port}/")).unwrap();
    let call = OperationCall {
        name: "DescribeImages",
        idempotent: true,
        request: HttpRequest::new(Method::Post, url)
            .with_header("Content-Type", "application/json")
            .with_body("{}"),
    };
    runtime.invoke(call, &|_| Ok(())).await.unwrap_err()
}

fn assert_final_tls_failure(error: &Error, connections: usize) {
    let Error::Dispatch(dispatch) = error else {
        panic!("expected a dispatch error, got {error:?}");
    };
    assert_eq!(dispatch.source.kind(), HttpErrorKind::Tls, "{error}");
    assert_eq!(dispatch.attempts, 1, "{error}");
    assert_eq!(error.kind(), Some(ErrorKind::Client), "{error}");
    assert!(!error.is_retryable(), "{error}");
    assert_eq!(connections, 1, "one connection, no retry: {error}");
    let text = error.to_string();
    assert!(text.contains("TLS handshake failed"), "{text}");
}

/// Fails if certificate failures are classified as plain connect failures (and so retried three
/// times).
#[tokio::test]
async fn an_untrusted_certificate_is_not_retried() {
    let (port, connections) = self_signed_server();
    let error = call_once(port).await;
    assert_final_tls_failure(&error, connections.load(Ordering::SeqCst));
    let text = error.to_string();
    assert!(text.contains("certificate"), "{text}");
}

/// Fails if a handshake answered with something that is not TLS is retried.
#[tokio::test]
async fn a_server_that_does_not_speak_tls_is_not_retried() {
    let (port, connections) = plaintext_server();
    let error = call_once(port).await;
    assert_final_tls_failure(&error, connections.load(Ordering::SeqCst));
}
