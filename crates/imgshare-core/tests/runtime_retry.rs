//! The runtime's retry, timeout and re-signing behaviour, over real loopback HTTP (wiremock, or a
//! raw `TcpListener` for connection-level faults). Nothing leaves 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imgshare_core::error::DisplayErrorContext;
use imgshare_core::sign::tc3::Tc3Signer;
use imgshare_core::sign::{SignableRequest, Signer};
use imgshare_core::{
    Clock, Credentials, Error, ErrorKind, HttpRequest, HttpResponse, Method, OperationCall,
    RequestSent, ResponseError, RetryConfig, Runtime, ServiceError, StaticProvider, TimeoutConfig,
    TimeoutKind,
};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use url::Url;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const OK_BODY: &str = r#"{"Response":{"RequestId":"req-ok"}}"#;
const THROTTLED_BODY: &str = r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"req-throttle-1"}}"#;
const CLIENT_ERROR_BODY: &str = r#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"ImageId is malformed"},"RequestId":"req-client-1"}}"#;

const ACCESS_ID: &str = "AKIDretrytest";
const SECRET: &str = "retry-test-secret";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn credentials() -> Credentials {
    Credentials::new(ACCESS_ID, SECRET, None, "static").unwrap()
}

/// A clock that moves one second forward every time it is read.
#[derive(Debug)]
struct SteppingClock(AtomicU64);

impl SteppingClock {
    fn starting_at(secs: u64) -> Self {
        Self(AtomicU64::new(secs))
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.0.fetch_add(1, Ordering::SeqCst))
    }
}

/// Retries with ~no waiting.
fn fast_retry() -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn timeouts(attempt: Duration) -> TimeoutConfig {
    TimeoutConfig::default()
        .with_connect(Duration::from_secs(2))
        .with_attempt(Some(attempt))
        .with_operation(Some(Duration::from_secs(30)))
}

fn runtime(retry: RetryConfig, timeouts: TimeoutConfig) -> Runtime {
    Runtime::builder(
        "test",
        Arc::new(StaticProvider::new(credentials())),
        Arc::new(Tc3Signer::new("cvm")),
    )
    .retry(retry)
    .timeouts(timeouts)
    .build()
    .unwrap()
}

fn default_runtime() -> Runtime {
    runtime(fast_retry(), timeouts(Duration::from_secs(5)))
}

fn call(url: &str, idempotent: bool) -> OperationCall {
    OperationCall {
        name: if idempotent {
            "DescribeImages"
        } else {
            "ModifyImageSharePermission"
        },
        idempotent,
        request: HttpRequest::new(Method::Post, Url::parse(url).unwrap())
            .with_header("Content-Type", "application/json")
            .with_header(
                "X-TC-Action",
                if idempotent {
                    "DescribeImages"
                } else {
                    "ModifyImageSharePermission"
                },
            )
            .with_body(r#"{"ImageId":"img-12345678"}"#),
    }
}

/// A tiny Tencent-style checker: `{"Response":{"Error":{"Code":..}}}` is a service error,
/// anything that is not JSON (or a JSON error-less non-2xx) is a response error.
fn check(resp: &HttpResponse) -> Result<(), Error> {
    let header_request_id = resp.header("x-request-id").map(str::to_owned);
    let Ok(json) = serde_json::from_slice::<Value>(&resp.body) else {
        return Err(Error::Response(
            ResponseError::from_response(resp, "the body is not JSON")
                .with_request_id(header_request_id),
        ));
    };
    let response = &json["Response"];
    if let Some(code) = response["Error"]["Code"].as_str() {
        let kind = if code.starts_with("RequestLimitExceeded") {
            ErrorKind::Throttling
        } else if code.starts_with("InternalError") {
            ErrorKind::Server
        } else {
            ErrorKind::Client
        };
        return Err(Error::Service(
            ServiceError::new(
                code,
                response["Error"]["Message"].as_str().unwrap_or_default(),
                resp.status,
                kind,
            )
            .with_request_id(response["RequestId"].as_str().map(str::to_owned)),
        ));
    }
    if !(200..300).contains(&resp.status) {
        return Err(Error::Response(
            ResponseError::from_response(resp, "unexpected status")
                .with_request_id(header_request_id),
        ));
    }
    Ok(())
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn requests_seen(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// Recomputes the TC3 signature of a request as the server received it.
fn expected_authorization(server_uri: &str, request: &wiremock::Request) -> String {
    let url = Url::parse(server_uri).unwrap();
    let signable = SignableRequest::new("POST", &url, &request.body)
        .header("Content-Type", header(request, "content-type"))
        .unwrap()
        .header("Host", header(request, "host"))
        .unwrap()
        .header("X-TC-Action", header(request, "x-tc-action"))
        .unwrap();
    let timestamp: u64 = header(request, "x-tc-timestamp").parse().unwrap();
    Tc3Signer::new("cvm")
        .sign(
            &signable,
            &credentials(),
            UNIX_EPOCH + Duration::from_secs(timestamp),
        )
        .unwrap()
        .header("Authorization")
        .unwrap()
        .to_owned()
}

/// Reads one HTTP/1.1 request (headers and a `Content-Length` body) and answers 200 `OK_BODY`.
async fn answer_ok(mut stream: TcpStream) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_ascii_lowercase();
    let content_length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or(0);
    while buf.len() < header_end + content_length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{OK_BODY}",
        OK_BODY.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// A server on 127.0.0.1 that resets (RST, via a zero linger) the first `resets` connections as
/// soon as they are accepted, before any response byte, and answers later ones with 200.
/// Returns its URL and the count of accepted connections.
async fn resetting_server(resets: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            if n < resets {
                stream.set_zero_linger().unwrap();
                drop(stream);
            } else {
                tokio::spawn(async move {
                    let _ = answer_ok(stream).await;
                });
            }
        }
    });
    (format!("http://{addr}/"), accepted)
}

/// A loopback URL on which nothing listens (a port just released).
async fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/")
}

// ---------------------------------------------------------------------------------------------
// 1. Throttled, then success: two attempts, each signed afresh.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn throttled_then_success_resigns_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(200, THROTTLED_BODY))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json(200, OK_BODY))
        .mount(&server)
        .await;

    let runtime = Runtime::builder(
        "test",
        Arc::new(StaticProvider::new(credentials())),
        Arc::new(Tc3Signer::new("cvm")),
    )
    .clock(Arc::new(SteppingClock::starting_at(1_700_000_000)))
    .retry(fast_retry())
    .timeouts(timeouts(Duration::from_secs(5)))
    .build()
    .unwrap();

    let response = runtime
        .invoke(call(&server.uri(), true), &check)
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.body, OK_BODY.as_bytes());

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2, "one throttled attempt, one successful");
    let (first, second) = (&received[0], &received[1]);

    // A fresh timestamp and signature per attempt.
    assert_eq!(header(first, "x-tc-timestamp"), "1700000000");
    assert_eq!(header(second, "x-tc-timestamp"), "1700000001");
    assert_ne!(
        header(first, "authorization"),
        header(second, "authorization")
    );
    // Each signature is the correct one for what was actually sent (host with port included).
    for request in &received {
        assert_eq!(
            header(request, "authorization"),
            expected_authorization(&server.uri(), request)
        );
        assert!(
            header(request, "user-agent").starts_with("imgshare/"),
            "{}",
            header(request, "user-agent")
        );
        assert_eq!(header(request, "user-agent"), runtime.user_agent());
    }
    // The body is sent unchanged on the retry.
    assert_eq!(first.body, second.body);
}

// ---------------------------------------------------------------------------------------------
// 2. Throttling is retried even for a mutating call: nothing was applied.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn throttling_is_retried_for_a_mutating_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(200, THROTTLED_BODY))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json(200, OK_BODY))
        .mount(&server)
        .await;

    let response = default_runtime()
        .invoke(call(&server.uri(), false), &check)
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(requests_seen(&server).await, 3);
}

#[tokio::test]
async fn throttling_on_every_attempt_ends_in_the_throttling_error() {
    let server = server_answering(json(200, THROTTLED_BODY)).await;
    let err = default_runtime()
        .invoke(call(&server.uri(), false), &check)
        .await
        .unwrap_err();
    assert_eq!(requests_seen(&server).await, 3);
    assert!(err.is_throttling(), "{err:?}");
    assert_eq!(err.code(), Some("RequestLimitExceeded"));
    assert_eq!(err.request_id(), Some("req-throttle-1"));
}

// ---------------------------------------------------------------------------------------------
// 3. Connection reset before any response.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn connection_reset_then_success_for_an_idempotent_call() {
    let (url, accepted) = resetting_server(1).await;
    let response = default_runtime()
        .invoke(call(&url, true), &check)
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.body, OK_BODY.as_bytes());
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn connection_reset_on_every_attempt_is_a_dispatch_error_after_three_attempts() {
    let (url, accepted) = resetting_server(usize::MAX).await;
    let err = default_runtime()
        .invoke(call(&url, true), &check)
        .await
        .unwrap_err();
    let Error::Dispatch(dispatch) = &err else {
        panic!("expected a dispatch error, got {err:?}");
    };
    assert_eq!(dispatch.attempts, 3);
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
    assert!(err.is_retryable());
    assert!(!err.is_timeout());
    assert_eq!(err.kind(), Some(ErrorKind::Transient));
    // The request may have reached the server.
    assert_eq!(err.request_sent(), RequestSent::Maybe);
    let text = err.to_string();
    assert!(text.contains("3 attempt(s)"), "{text}");
}

#[tokio::test]
async fn connection_reset_is_not_retried_for_a_mutating_call() {
    let (url, accepted) = resetting_server(usize::MAX).await;
    let err = default_runtime()
        .invoke(call(&url, false), &check)
        .await
        .unwrap_err();
    let Error::Dispatch(dispatch) = &err else {
        panic!("expected a dispatch error, got {err:?}");
    };
    assert_eq!(dispatch.attempts, 1);
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
    assert_eq!(err.request_sent(), RequestSent::Maybe);
}

// ---------------------------------------------------------------------------------------------
// 4. Connection refused: nothing was sent, so even a mutating call is retried.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn connection_refused_is_retried_even_for_a_mutating_call() {
    let url = refused_url().await;
    let err = default_runtime()
        .invoke(call(&url, false), &check)
        .await
        .unwrap_err();
    let Error::Dispatch(dispatch) = &err else {
        panic!("expected a dispatch error, got {err:?}");
    };
    assert_eq!(dispatch.attempts, 3);
    assert_eq!(err.request_sent(), RequestSent::No);
    assert!(err.is_retryable());
    let text = DisplayErrorContext(&err).to_string();
    assert!(text.contains("3 attempt(s)"), "{text}");
    assert!(text.contains("could not connect"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// 5. Per-attempt timeout.
// ---------------------------------------------------------------------------------------------

fn slow_ok() -> ResponseTemplate {
    json(200, OK_BODY).set_delay(Duration::from_secs(2))
}

#[tokio::test]
async fn attempt_timeout_is_retried_for_an_idempotent_call() {
    let server = server_answering(slow_ok()).await;
    let attempt = Duration::from_millis(200);
    let err = runtime(fast_retry(), timeouts(attempt))
        .invoke(call(&server.uri(), true), &check)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    let Error::Timeout(timeout) = &err else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(timeout.kind, TimeoutKind::Attempt);
    assert_eq!(timeout.after, attempt);
    assert_eq!(timeout.attempts, 3);
    assert_eq!(requests_seen(&server).await, 3);
    let text = err.to_string();
    assert!(text.contains("timeout"), "{text}");
    assert!(text.contains("per-attempt"), "{text}");
    assert!(text.contains("3 attempt(s)"), "{text}");
}

#[tokio::test]
async fn attempt_timeout_is_not_retried_for_a_mutating_call() {
    let server = server_answering(slow_ok()).await;
    let err = runtime(fast_retry(), timeouts(Duration::from_millis(200)))
        .invoke(call(&server.uri(), false), &check)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    let Error::Timeout(timeout) = &err else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(timeout.kind, TimeoutKind::Attempt);
    assert_eq!(timeout.attempts, 1);
    assert_eq!(requests_seen(&server).await, 1);
    assert_eq!(err.request_sent(), RequestSent::Maybe);
}

// ---------------------------------------------------------------------------------------------
// 6. Server errors: retried only when idempotent.
// ---------------------------------------------------------------------------------------------

fn unavailable() -> ResponseTemplate {
    ResponseTemplate::new(503)
        .insert_header("x-request-id", "req-503")
        .set_body_string("Service Unavailable")
}

#[tokio::test]
async fn server_error_is_not_retried_for_a_mutating_call() {
    let server = server_answering(unavailable()).await;
    let err = default_runtime()
        .invoke(call(&server.uri(), false), &check)
        .await
        .unwrap_err();
    assert_eq!(requests_seen(&server).await, 1);
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(err.kind(), Some(ErrorKind::Server));
    assert_eq!(err.request_id(), Some("req-503"));
    let text = err.to_string();
    assert!(text.contains("503"), "{text}");
    assert!(text.contains("Service Unavailable"), "{text}");
}

#[tokio::test]
async fn server_error_is_retried_for_an_idempotent_call() {
    let server = server_answering(unavailable()).await;
    let err = default_runtime()
        .invoke(call(&server.uri(), true), &check)
        .await
        .unwrap_err();
    assert_eq!(requests_seen(&server).await, 3);
    assert_eq!(err.http_status(), Some(503));
    assert!(matches!(err, Error::Response(_)), "{err:?}");
}

#[tokio::test]
async fn server_error_code_in_the_body_is_retried_only_when_idempotent() {
    let body =
        r#"{"Response":{"Error":{"Code":"InternalError","Message":"oops"},"RequestId":"req-500"}}"#;
    let server = server_answering(json(200, body)).await;
    let err = default_runtime()
        .invoke(call(&server.uri(), false), &check)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::Server));
    assert_eq!(requests_seen(&server).await, 1);

    let server = server_answering(json(200, body)).await;
    default_runtime()
        .invoke(call(&server.uri(), true), &check)
        .await
        .unwrap_err();
    assert_eq!(requests_seen(&server).await, 3);
}

// ---------------------------------------------------------------------------------------------
// 7. Whole-operation timeout.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn operation_timeout_fires_when_retries_take_too_long() {
    let server = server_answering(json(200, THROTTLED_BODY)).await;
    // Far more attempts and waiting than the operation allows: only the operation timeout can
    // end this call.
    let retry = RetryConfig::standard()
        .with_max_attempts(1_000)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20));
    let limit = Duration::from_millis(300);
    let err = runtime(
        retry,
        timeouts(Duration::from_secs(5)).with_operation(Some(limit)),
    )
    .invoke(call(&server.uri(), true), &check)
    .await
    .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    let Error::Timeout(timeout) = &err else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(timeout.kind, TimeoutKind::Operation);
    assert_eq!(timeout.after, limit);
    assert!(timeout.attempts >= 1);
    let seen = requests_seen(&server).await;
    let attempts = usize::try_from(timeout.attempts).unwrap();
    // Every attempt but possibly the one cut short reached the server.
    assert!(
        seen == attempts || seen + 1 == attempts,
        "{seen} requests, {attempts} attempts"
    );
    let text = err.to_string();
    assert!(text.contains("whole-operation timeout"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// 8. Retries disabled.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn disabled_retries_make_exactly_one_attempt() {
    let server = server_answering(json(200, THROTTLED_BODY)).await;
    let err = runtime(RetryConfig::disabled(), timeouts(Duration::from_secs(5)))
        .invoke(call(&server.uri(), true), &check)
        .await
        .unwrap_err();
    assert_eq!(requests_seen(&server).await, 1);
    assert!(err.is_throttling(), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// 9. Client errors are final.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn client_error_is_not_retried_even_when_idempotent() {
    let server = server_answering(json(200, CLIENT_ERROR_BODY)).await;
    let err = default_runtime()
        .invoke(call(&server.uri(), true), &check)
        .await
        .unwrap_err();
    assert_eq!(requests_seen(&server).await, 1);
    assert_eq!(err.kind(), Some(ErrorKind::Client));
    assert!(!err.is_retryable());
    let service = err.as_service_error().unwrap();
    assert_eq!(service.code(), "InvalidParameter");
    assert_eq!(service.http_status(), 200);
}

// ---------------------------------------------------------------------------------------------
// 10. The final errors say what happened.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn final_error_display_names_code_message_and_request_id() {
    let server = server_answering(json(200, THROTTLED_BODY)).await;
    let err = default_runtime()
        .invoke(call(&server.uri(), true), &check)
        .await
        .unwrap_err();
    let text = err.to_string();
    for needle in ["RequestLimitExceeded", "slow down", "req-throttle-1"] {
        assert!(text.contains(needle), "{needle:?} missing from {text}");
    }

    let server = server_answering(json(200, CLIENT_ERROR_BODY)).await;
    let err = default_runtime()
        .invoke(call(&server.uri(), true), &check)
        .await
        .unwrap_err();
    let text = DisplayErrorContext(&err).to_string();
    for needle in ["InvalidParameter", "ImageId is malformed", "req-client-1"] {
        assert!(text.contains(needle), "{needle:?} missing from {text}");
    }
}

#[tokio::test]
async fn non_json_error_display_shows_status_and_an_excerpt() {
    let server = server_answering(
        ResponseTemplate::new(502).set_body_raw(b"<html>Bad Gateway</html>".to_vec(), "text/html"),
    )
    .await;
    let err = runtime(RetryConfig::disabled(), timeouts(Duration::from_secs(5)))
        .invoke(call(&server.uri(), true), &check)
        .await
        .unwrap_err();
    let text = err.to_string();
    for needle in ["HTTP 502", "text/html", "Bad Gateway"] {
        assert!(text.contains(needle), "{needle:?} missing from {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// 11. Tracing: one span per operation, one event per attempt, no secrets.
// ---------------------------------------------------------------------------------------------

/// A minimal subscriber that writes every span and event, with its fields, as one line.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Fields(format!("span {}", span.metadata().name()));
        span.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
        tracing::span::Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = Fields("record".to_owned());
        values.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(format!("event {}", event.metadata().level()));
        event.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn tracing_reports_attempts_without_secrets() {
    let capture = Capture::default();
    // Other tests of this binary hit the same callsites concurrently, with no subscriber. While
    // exactly one dispatcher is registered, tracing-core computes a new callsite's interest from
    // the default of the thread that hits it first, so a callsite first hit by another test
    // would be cached as "never". A second live dispatcher makes it consult every registered
    // one; then recompute whatever was cached before.
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let _guard = tracing::subscriber::set_default(capture.clone());
    tracing::callsite::rebuild_interest_cache();

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(200, THROTTLED_BODY))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json(200, OK_BODY))
        .mount(&server)
        .await;
    default_runtime()
        .invoke(call(&server.uri(), true), &check)
        .await
        .unwrap();

    let lines = capture.lines.lock().unwrap().clone();
    let all = lines.join("\n");
    let ours: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("imgshare.operation") || l.contains("attempt"))
        .collect();
    assert!(
        ours.iter().any(|l| l.starts_with("span imgshare.operation")
            && l.contains("provider=\"test\"")
            && l.contains("operation=\"DescribeImages\"")),
        "{all}"
    );
    assert!(
        ours.iter().any(|l| l.contains("attempt failed; retrying")
            && l.contains("attempt=1")
            && l.contains("RequestLimitExceeded")),
        "{all}"
    );
    assert!(
        ours.iter()
            .any(|l| l.contains("attempt succeeded") && l.contains("attempt=2")),
        "{all}"
    );

    assert!(!all.contains(SECRET), "the secret was logged: {all}");
    for request in server.received_requests().await.unwrap() {
        let authorization = header(&request, "authorization");
        let signature = authorization.rsplit("Signature=").next().unwrap();
        assert!(!all.contains(signature), "a signature was logged: {all}");
    }
}
