//! The replay client's own behaviour: answers in order, standing routes, recording, and the
//! failures that keep a test honest (a request beyond the script, a mismatch, an unused
//! answer), alone and through the runtime with retries on.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use imgshare_core::http::HttpErrorKind;
use imgshare_core::sign::tc3::Tc3Signer;
use imgshare_core::test_util::{ReplayClient, ReplayError, json_response};
use imgshare_core::{
    Credentials, Error, FixedClock, HttpClient, HttpRequest, HttpResponse, Method, OperationCall,
    RequestSent, RetryConfig, Runtime, StaticProvider,
};

fn request(method: Method, url: &str) -> HttpRequest {
    HttpRequest::new(method, url.parse().unwrap())
}

/// The replay error behind a failed send or call, wherever it sits in the source chain.
fn replay_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> &'a ReplayError {
    let mut cause = Some(error);
    while let Some(c) = cause {
        if let Some(found) = c.downcast_ref::<ReplayError>() {
            return found;
        }
        cause = c.source();
    }
    panic!("no ReplayError behind {error}");
}

/// A runtime as a provider client builds one: TC3 signing, fake static keys, a fixed clock,
/// retries on with short waits.
fn runtime(replay: &Arc<ReplayClient>) -> Runtime {
    Runtime::builder(
        "test",
        Arc::new(StaticProvider::new(Credentials::for_tests())),
        Arc::new(Tc3Signer::new("cvm")),
    )
    .http_client(replay.clone())
    .clock(Arc::new(FixedClock(
        UNIX_EPOCH + Duration::from_secs(1_714_564_800),
    )))
    .retry(
        RetryConfig::standard()
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_backoff(Duration::from_millis(2)),
    )
    .build()
    .unwrap()
}

fn call(idempotent: bool) -> OperationCall {
    OperationCall {
        name: "Test",
        idempotent,
        request: request(Method::Post, "https://cvm.tencentcloudapi.com/")
            .with_header("Content-Type", "application/json")
            .with_header("X-TC-Action", "Test")
            .with_body("{}"),
    }
}

fn accept_all(_: &HttpResponse) -> Result<(), Error> {
    Ok(())
}

// Catches answers served out of order or reused, and a record that drops or rewrites the
// method, URL, headers or body of what was sent.
#[tokio::test]
async fn answers_in_order_and_records_each_request_whole() {
    let replay = ReplayClient::new()
        .respond(json_response(200, "first"))
        .respond(HttpResponse::new(503).with_header("Retry-After", "1"));

    let one = request(Method::Post, "https://a.invalid/x?y=1")
        .with_header("X-Test", "one")
        .with_body("body-1");
    let two = request(Method::Get, "https://a.invalid/z");
    let first = replay.send(one.clone(), None).await.unwrap();
    let second = replay.send(two.clone(), None).await.unwrap();

    assert_eq!((first.status, &first.body[..]), (200, &b"first"[..]));
    assert_eq!(first.content_type(), Some("application/json"));
    assert_eq!(second.status, 503);
    assert_eq!(second.header("retry-after"), Some("1"));
    assert_eq!(replay.requests(), vec![one, two]);
    assert_eq!(replay.answers_left(), 0);
    replay.verify().unwrap();
}

// Catches a mock that falls through (a default answer, or a real client) once its script is
// used up, and a runtime that retries a request nobody can answer.
#[tokio::test]
async fn a_request_beyond_the_script_fails_its_call_without_retries() {
    let replay = Arc::new(ReplayClient::new().respond(json_response(200, "{}")));
    let runtime = runtime(&replay);

    runtime.invoke(call(true), &accept_all).await.unwrap();
    let error = runtime.invoke(call(true), &accept_all).await.unwrap_err();

    assert!(error.is_transport() && !error.is_retryable(), "{error}");
    let ReplayError::Unexpected {
        request, scripted, ..
    } = replay_error(&error)
    else {
        panic!("{error}")
    };
    assert_eq!((*request, *scripted), (2, 1));
    assert!(error.to_string().contains("has no answer"), "{error}");
    // Sent once each: the stray request was not retried.
    assert_eq!(replay.requests().len(), 2);
    assert!(matches!(
        replay.verify(),
        Err(ReplayError::Unexpected { request: 2, .. })
    ));
}

// Catches `respond_to` answering whatever comes, which would let a test pass while the code
// calls the wrong operation.
#[tokio::test]
async fn a_mismatched_request_fails_and_uses_up_its_answer() {
    let replay = ReplayClient::new()
        .respond_to(
            Method::Get,
            "/v1/images/i-1/members",
            json_response(200, "{}"),
        )
        .respond_to(Method::Post, "/", json_response(200, "{}"));

    let wrong = request(Method::Post, "https://a.invalid/v1/images/i-1/members");
    let error = replay.send(wrong, None).await.unwrap_err();
    assert_eq!(error.kind(), HttpErrorKind::Request);
    assert_eq!(error.request_sent(), RequestSent::No);
    assert_eq!(
        replay_error(&error),
        &ReplayError::Mismatch {
            request: 1,
            expected: "GET /v1/images/i-1/members".into(),
            got: "POST /v1/images/i-1/members".into(),
        }
    );
    // The query is not part of the match; the next answer in order is served.
    let next = request(Method::Post, "https://a.invalid/?Action=x");
    assert_eq!(replay.send(next, None).await.unwrap().status, 200);
    assert!(matches!(
        replay.verify(),
        Err(ReplayError::Mismatch { request: 1, .. })
    ));
}

// Catches a standing route that is used up after one answer, or that the answers in order
// shadow.
#[tokio::test]
async fn always_answers_repeatedly_before_the_answers_in_order() {
    let replay = ReplayClient::new()
        .respond(json_response(200, "in order"))
        .always(Method::Get, "/poll", json_response(200, "standing"));

    for _ in 0..3 {
        let polled = replay
            .send(request(Method::Get, "https://a.invalid/poll"), None)
            .await
            .unwrap();
        assert_eq!(polled.body, b"standing");
    }
    assert_eq!(replay.answers_left(), 1);
    // Another method on the same path is not the route's.
    let other = replay
        .send(request(Method::Post, "https://a.invalid/poll"), None)
        .await
        .unwrap();
    assert_eq!(other.body, b"in order");
    assert_eq!(replay.requests().len(), 4);
    replay.verify().unwrap();
}

// Catches a test that passes although the code sent fewer requests than scripted, or
// swallowed the error a stray request got.
#[tokio::test]
async fn verify_reports_unused_answers_and_swallowed_errors() {
    let replay = ReplayClient::new()
        .respond(json_response(200, "{}"))
        .respond_to(Method::Delete, "/x", HttpResponse::new(204));
    replay
        .send(request(Method::Get, "https://a.invalid/"), None)
        .await
        .unwrap();
    assert_eq!(
        replay.verify(),
        Err(ReplayError::Unused {
            count: 1,
            next: "DELETE /x".into()
        })
    );

    let empty = ReplayClient::new();
    let _ignored = empty
        .send(request(Method::Get, "https://a.invalid/"), None)
        .await;
    assert!(matches!(
        empty.verify(),
        Err(ReplayError::Unexpected { request: 1, .. })
    ));
}

// Catches scripted failures that do not reach the retry rule as the transport errors they
// stand for, and a record made before signing (the test would then assert on unsigned
// requests).
#[tokio::test]
async fn a_scripted_failure_is_retried_and_every_attempt_is_recorded_signed() {
    let replay = Arc::new(
        ReplayClient::new()
            .fail(HttpErrorKind::Connect, RequestSent::No)
            .respond(json_response(200, "{}")),
    );
    let runtime = runtime(&replay);

    // A mutating call: retried only because the failure says nothing was sent.
    runtime.invoke(call(false), &accept_all).await.unwrap();

    let sent = replay.requests();
    assert_eq!(sent.len(), 2);
    for attempt in &sent {
        let authorization = attempt.header("authorization").unwrap();
        assert!(
            authorization.starts_with("TC3-HMAC-SHA256 Credential=AKIDTEST/2024-05-01/cvm/"),
            "{authorization}"
        );
        assert_eq!(attempt.header("x-tc-timestamp"), Some("1714564800"));
        assert!(attempt.header("user-agent").is_some());
    }
    // Fixed clock and static keys: both attempts are signed identically.
    assert_eq!(sent[0], sent[1]);
    replay.verify().unwrap();
}
