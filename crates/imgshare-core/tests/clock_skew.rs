//! Clock skew: a request refused for its timestamp says how far off the local clock is (from the
//! server's `Date` header) and, with correction on (the default), is retried once signed with the
//! server's time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use imgshare_core::runtime::{OperationCall, server_skew_ms};
use imgshare_core::sign::tc3::Tc3Signer;
use imgshare_core::{
    Credentials, Error, ErrorKind, HttpRequest, HttpResponse, Method, RetryConfig, Runtime,
    ServiceError,
};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const EXPIRED: &str = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"expired"},"RequestId":"r-1"}}"#;
const OK: &str = r#"{"Response":{"RequestId":"r-2"}}"#;

fn check(response: &HttpResponse) -> Result<(), Error> {
    if String::from_utf8_lossy(&response.body).contains("SignatureExpire") {
        return Err(Error::Service(ServiceError::new(
            "AuthFailure.SignatureExpire",
            "expired",
            response.status,
            ErrorKind::ClockSkew,
        )));
    }
    Ok(())
}

fn http_date(time: SystemTime) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::from(time).format(format).unwrap()
}

fn runtime(correction: bool) -> Runtime {
    let credentials = Credentials::new("AKIDTEST", "test-secret", None, "test").unwrap();
    Runtime::builder(
        "test",
        Arc::new(credentials),
        Arc::new(Tc3Signer::new("cvm")),
    )
    .retry(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
    .clock_skew_correction(correction)
    .build()
    .unwrap()
}

fn call(uri: &str) -> OperationCall {
    OperationCall {
        name: "Test",
        idempotent: false,
        request: HttpRequest::new(Method::Post, uri.parse().unwrap())
            .with_header("Content-Type", "application/json")
            .with_body(b"{}".to_vec()),
    }
}

async fn server_ten_minutes_ahead(then_ok: bool) -> MockServer {
    let server = MockServer::start().await;
    let ahead = SystemTime::now() + Duration::from_secs(600);
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Date", http_date(ahead).as_str())
                .set_body_raw(EXPIRED, "application/json"),
        )
        .up_to_n_times(if then_ok { 1 } else { 10 })
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(OK, "application/json"))
        .mount(&server)
        .await;
    server
}

fn timestamp(request: &wiremock::Request) -> u64 {
    request.headers["x-tc-timestamp"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_refused_timestamp_is_retried_once_with_the_servers_time() {
    let server = server_ten_minutes_ahead(true).await;
    let runtime = runtime(true);
    // Even a mutating call: a refused timestamp means nothing was applied.
    runtime.invoke(call(&server.uri()), &check).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    let corrected = timestamp(&received[1]) as i64 - timestamp(&received[0]) as i64;
    assert!((598..=602).contains(&corrected), "moved by {corrected} s");
}

#[tokio::test]
async fn without_correction_the_error_says_how_far_off_the_clock_is() {
    let server = server_ten_minutes_ahead(false).await;
    let err = runtime(false)
        .invoke(call(&server.uri()), &check)
        .await
        .unwrap_err();
    assert!(err.is_clock_skew());
    let skew = err.as_service_error().unwrap().clock_skew_secs().unwrap();
    assert!((598..=601).contains(&skew), "{skew}");
    let text = err.to_string();
    assert!(text.contains("s behind the server's"), "{text}");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "not retried"
    );
}

#[tokio::test]
async fn a_persistent_refusal_is_not_retried_forever() {
    // The server stays ahead and keeps refusing (e.g. the key's own clock rules): one corrected
    // retry, then the error.
    let server = server_ten_minutes_ahead(false).await;
    let err = runtime(true)
        .invoke(call(&server.uri()), &check)
        .await
        .unwrap_err();
    assert!(err.is_clock_skew());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[test]
fn skew_within_a_second_counts_as_none() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let same = HttpResponse::new(200).with_header("Date", http_date(now));
    assert_eq!(
        server_skew_ms(&same, now + Duration::from_millis(400)),
        Some(0)
    );
    let behind =
        HttpResponse::new(200).with_header("Date", http_date(now - Duration::from_secs(90)));
    assert_eq!(server_skew_ms(&behind, now), Some(-90_000));
    assert_eq!(server_skew_ms(&HttpResponse::new(200), now), None);
}
