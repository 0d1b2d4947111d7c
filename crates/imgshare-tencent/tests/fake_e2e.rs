#![allow(clippy::unwrap_used, clippy::expect_used)]
//! End to end against the stateful, signature-checking fake (`imgshare_testkit::TencentFake`),
//! over real loopback HTTP. The fake verifies TC3 signatures with its own verifier, so every
//! successful call here also proves our signer agrees with it.

use imgshare_tencent::ErrorMetadata;
use std::io::{Read as _, Write as _};
use std::net::SocketAddr;
use std::time::Duration;

use imgshare_core::{Credentials, Error, RetryConfig, SecretString};
use imgshare_tencent::{Client, Config, Filter, ImageType, TencentError};
use imgshare_testkit::{
    Fault, TencentAccount, TencentFake, TencentFault, TencentImage, TencentSeed,
};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const OWNER: &str = "100000000001";
const RECIPIENT: &str = "100000000002";
const IMAGE: &str = "img-demo0001";

// ---- helpers ---------------------------------------------------------------

fn fast_retry() -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

/// The demo seed's account with this account id.
fn demo_account(account_id: &str) -> TencentAccount {
    TencentSeed::demo()
        .accounts
        .into_iter()
        .find(|a| a.account_id == account_id)
        .expect("account in TencentSeed::demo()")
}

/// The demo seed's temporary-credential account (needs `X-TC-Token`).
fn demo_temporary_account() -> TencentAccount {
    TencentSeed::demo()
        .accounts
        .into_iter()
        .find(|a| a.session_token.is_some())
        .expect("a temporary account in TencentSeed::demo()")
}

fn client_with(
    endpoint: &str,
    secret_id: &str,
    secret_key: &str,
    token: Option<&str>,
    retry: RetryConfig,
) -> Client {
    let credentials =
        Credentials::new(secret_id, secret_key, token.map(SecretString::new), "test").unwrap();
    Client::new(
        Config::builder()
            .region("ap-guangzhou")
            .endpoint_url(endpoint)
            .credentials(credentials)
            .retry(retry)
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn client_as(fake: &TencentFake, account_id: &str) -> Client {
    client_as_with_retry(fake, account_id, fast_retry())
}

fn client_as_with_retry(fake: &TencentFake, account_id: &str, retry: RetryConfig) -> Client {
    let a = demo_account(account_id);
    client_with(&fake.uri(), &a.secret_id, &a.secret_key, None, retry)
}

/// The demo fake with its rate limit off, so tests never depend on how fast they run.
async fn demo_fake() -> TencentFake {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    fake.set_rate_limit(None);
    fake
}

fn is_uuid_like(id: &str) -> bool {
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12] && id.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit())
}

/// A Tencent service error with exactly this code, a fresh request id, and HTTP 200.
#[track_caller]
fn assert_service_error(err: &TencentError, code: &str) {
    assert_eq!(err.code(), Some(code), "unexpected error: {err}");
    let request_id = err.request_id().expect("a request id");
    assert!(is_uuid_like(request_id), "request id {request_id:?}");
    assert_eq!(err.http_status(), Some(200));
    assert!(err.message().is_some_and(|m| !m.is_empty()));
    let text = err.to_string();
    assert!(text.contains(code), "Display {text:?} should name the code");
    assert!(
        text.contains(request_id),
        "Display {text:?} should name the request id"
    );
}

/// Drops the output, keeping the error.
fn unit<T>(result: Result<T, TencentError>) -> Result<(), TencentError> {
    result.map(|_| ())
}

fn invalid_field(err: &TencentError) -> &str {
    match err.as_core() {
        Error::InvalidInput(input) => input.field(),
        other => panic!("expected an invalid-input error, got {other:?}"),
    }
}

// ---- the happy paths -------------------------------------------------------

#[tokio::test]
async fn share_describe_unshare_round_trip() {
    let fake = demo_fake().await;
    let owner = client_as(&fake, OWNER);

    let out = owner
        .share_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap();
    assert!(is_uuid_like(&out.request_id), "{:?}", out.request_id);
    assert_eq!(fake.shared_accounts(IMAGE), [RECIPIENT]);

    let shares = owner
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    assert_eq!(shares.share_permissions.len(), 1);
    assert_eq!(shares.account_ids().collect::<Vec<_>>(), [RECIPIENT]);
    let share = &shares.share_permissions[0];
    let created = share.created_time.as_deref().expect("a created time");
    assert!(created.ends_with('Z'), "{created}");
    assert!(share.created_at().is_some(), "{created} should parse");

    owner
        .unshare_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap();
    assert!(fake.shared_accounts(IMAGE).is_empty());
    let shares = owner
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    assert!(shares.share_permissions.is_empty());

    // Each call was one request, signed as the owner and verified by the fake.
    let received = fake.received();
    let actions: Vec<_> = received.iter().map(|r| r.action.as_deref()).collect();
    assert_eq!(
        actions,
        [
            Some("ModifyImageSharePermission"),
            Some("DescribeImageSharePermission"),
            Some("ModifyImageSharePermission"),
            Some("DescribeImageSharePermission"),
        ]
    );
    for r in &received {
        assert_eq!(r.account_id.as_deref(), Some(OWNER));
        assert_eq!(r.error_code, None);
        assert_eq!(r.fault, None);
    }
    let body: Value = serde_json::from_str(&received[2].body).unwrap();
    assert_eq!(body["Permission"], "CANCEL");
}

#[tokio::test]
async fn recipient_sees_the_shared_image() {
    let fake = demo_fake().await;
    let owner = client_as(&fake, OWNER);
    let recipient = client_as(&fake, RECIPIENT);
    // The recipient owns an image of its own, so "private" is not trivially empty.
    fake.add_image(TencentImage::new("img-recip001", RECIPIENT));

    let before = recipient
        .describe_images()
        .filter(Filter::image_type(ImageType::Shared))
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    assert!(before.is_empty(), "{before:?}");

    owner
        .share_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap();

    let shared = recipient
        .describe_images()
        .filter(Filter::image_type(ImageType::Shared))
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(shared.len(), 1, "{shared:?}");
    assert_eq!(shared[0].image_id, IMAGE);
    assert_eq!(shared[0].image_type, ImageType::Shared);
    assert_eq!(shared[0].image_creator, OWNER);
    assert_eq!(shared[0].image_name, "demo-tencentos");

    let private = recipient
        .describe_images()
        .filter(Filter::image_type(ImageType::Private))
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<_> = private.iter().map(|i| i.image_id.as_str()).collect();
    assert_eq!(ids, ["img-recip001"]);
    assert!(private.iter().all(|i| i.image_type == ImageType::Private));
}

#[tokio::test]
async fn paginator_walks_every_page_exactly_once() {
    let fake = demo_fake().await;
    // 3 demo images + 22 more = 25 private images for the owner: pages of 7, 7, 7, 4.
    for n in 0..22 {
        fake.add_image(TencentImage::new(format!("img-page{n:04}"), OWNER));
    }
    let owner = client_as(&fake, OWNER);
    let before = fake.request_count();

    let mut paginator = owner
        .describe_images()
        .filter(Filter::image_type(ImageType::Private))
        .limit(7u64)
        .into_paginator();
    let mut sizes = Vec::new();
    let mut ids = Vec::new();
    while let Some(page) = paginator.next_page().await {
        let page = page.unwrap();
        assert_eq!(page.total_count, 25);
        sizes.push(page.images.len());
        ids.extend(page.images.into_iter().map(|i| i.image_id));
    }
    assert_eq!(sizes, [7, 7, 7, 4]);
    // Exhausted: no further request.
    assert!(paginator.next_page().await.is_none());
    assert_eq!(fake.request_count() - before, 4);

    let mut expected: Vec<String> = ["img-demo0001", "img-demo0002", "img-demo0003"]
        .into_iter()
        .map(String::from)
        .chain((0..22).map(|n| format!("img-page{n:04}")))
        .collect();
    // Every image once, in the fake's order.
    assert_eq!(ids, expected);
    expected.sort();
    ids.sort();
    ids.dedup();
    assert_eq!(ids, expected);

    // Each page was asked for once, at offsets 0, 7, 14, 21, with Limit 7.
    let offsets: Vec<(u64, u64)> = fake.received()[before..]
        .iter()
        .map(|r| {
            let body: Value = serde_json::from_str(&r.body).unwrap();
            (
                body["Offset"].as_u64().unwrap(),
                body["Limit"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(offsets, [(0, 7), (7, 7), (14, 7), (21, 7)]);

    // collect_all gives the same 25.
    let all = owner
        .describe_images()
        .filter(Filter::image_type(ImageType::Private))
        .limit(7u64)
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 25);
}

#[tokio::test]
async fn paginator_stops_on_an_exact_multiple_of_the_page_size() {
    let fake = demo_fake().await;
    // 3 demo images + 4 = 7 images, limit 7: exactly one page, one request.
    for n in 0..4 {
        fake.add_image(TencentImage::new(format!("img-exact{n:03}"), OWNER));
    }
    let owner = client_as(&fake, OWNER);
    let before = fake.request_count();
    let all = owner
        .describe_images()
        .limit(7u64)
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 7);
    assert_eq!(fake.request_count() - before, 1);
}

// ---- documented errors reach the user typed --------------------------------

#[tokio::test]
async fn sharing_twice_is_account_already_shared() {
    let fake = demo_fake().await;
    let owner = client_as(&fake, OWNER);
    let share = || owner.share_image().image_id(IMAGE).account_id(RECIPIENT);
    share().send().await.unwrap();
    let err = share().send().await.unwrap_err();
    assert!(err.is_account_already_shared(), "{err}");
    assert_service_error(&err, "FailedOperation.AccountAlreadyExists");
    assert!(!err.is_retryable());
    assert_eq!(fake.request_count(), 2, "a client error is not retried");
}

#[tokio::test]
async fn sharing_with_yourself_is_account_yourself() {
    let fake = demo_fake().await;
    let err = client_as(&fake, OWNER)
        .share_image()
        .image_id(IMAGE)
        .account_id(OWNER)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_account_yourself(), "{err}");
    assert_service_error(&err, "InvalidAccountIs.YourSelf");
}

#[tokio::test]
async fn unknown_image_is_image_not_found() {
    let fake = demo_fake().await;
    let owner = client_as(&fake, OWNER);
    let err = owner
        .share_image()
        .image_id("img-nothere1")
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_image_not_found(), "{err}");
    assert_service_error(&err, "InvalidImageId.NotFound");

    let err = owner
        .describe_image_share_permission()
        .image_id("img-nothere1")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_image_not_found(), "{err}");
}

#[tokio::test]
async fn someone_elses_image_is_image_not_owned() {
    let fake = demo_fake().await;
    let recipient = client_as(&fake, RECIPIENT);
    let err = recipient
        .share_image()
        .image_id(IMAGE)
        .account_id("100000000009")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_image_not_owned(), "{err}");
    assert_service_error(&err, "UnauthorizedOperation.ImageNotBelongToAccount");

    let err = recipient
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_image_not_owned(), "{err}");
}

#[tokio::test]
async fn more_than_500_accounts_is_over_quota() {
    let fake = demo_fake().await;
    let owner = client_as(&fake, OWNER);
    let accounts: Vec<String> = (0..500).map(|n| format!("2{n:011}")).collect();
    owner
        .share_image()
        .image_id(IMAGE)
        .set_account_ids(Some(accounts))
        .send()
        .await
        .unwrap();
    assert_eq!(fake.shared_accounts(IMAGE).len(), 500);

    let err = owner
        .share_image()
        .image_id(IMAGE)
        .account_id("300000000000")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_over_quota(), "{err}");
    assert_service_error(&err, "OverQuota");
    assert_eq!(fake.shared_accounts(IMAGE).len(), 500);

    let shares = owner
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    assert_eq!(shares.share_permissions.len(), 500);
}

#[tokio::test]
async fn wrong_secret_is_signature_failure() {
    let fake = demo_fake().await;
    let a = demo_account(OWNER);
    let client = client_with(
        &fake.uri(),
        &a.secret_id,
        "not-the-right-key",
        None,
        fast_retry(),
    );
    let err = client
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_signature_failure(), "{err}");
    assert!(err.is_auth_failure());
    assert_service_error(&err, "AuthFailure.SignatureFailure");
    assert_eq!(fake.request_count(), 1, "auth failures are not retried");
}

#[tokio::test]
async fn unknown_secret_id_is_secret_id_not_found() {
    let fake = demo_fake().await;
    let client = client_with(
        &fake.uri(),
        "AKIDNOSUCHKEY0000000000000000000000",
        "whatever-key",
        None,
        fast_retry(),
    );
    let err = client
        .describe_images()
        .into_paginator()
        .collect_all()
        .await
        .unwrap_err();
    assert!(err.is_secret_id_not_found(), "{err}");
    assert_service_error(&err, "AuthFailure.SecretIdNotFound");
}

#[tokio::test]
async fn clock_skew_is_signature_expired() {
    let fake = demo_fake().await;
    fake.set_clock_offset_secs(400).unwrap();
    let err = client_as(&fake, OWNER)
        .share_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_signature_expired(), "{err}");
    assert_service_error(&err, "AuthFailure.SignatureExpire");
    assert!(fake.shared_accounts(IMAGE).is_empty());
}

#[tokio::test]
async fn session_token_mismatch_is_token_failure() {
    let fake = demo_fake().await;
    let temp = demo_temporary_account();
    let right = temp.session_token.clone().unwrap();

    // The right token: accepted.
    let ok = client_with(
        &fake.uri(),
        &temp.secret_id,
        &temp.secret_key,
        Some(&right),
        fast_retry(),
    );
    ok.describe_images()
        .into_paginator()
        .collect_all()
        .await
        .unwrap();

    // A wrong token, and no token: TokenFailure.
    for token in [Some("not-the-session-token"), None] {
        let client = client_with(
            &fake.uri(),
            &temp.secret_id,
            &temp.secret_key,
            token,
            fast_retry(),
        );
        let err = client
            .describe_images()
            .into_paginator()
            .collect_all()
            .await
            .unwrap_err();
        assert!(err.is_auth_failure(), "{err}");
        assert!(err.is_code(imgshare_tencent::error::codes::AUTH_TOKEN_FAILURE));
        assert_service_error(&err, "AuthFailure.TokenFailure");
    }
}

// ---- throttling and faults -------------------------------------------------

#[tokio::test]
async fn throttled_share_is_retried_then_succeeds() {
    let fake = demo_fake().await;
    fake.inject(TencentFault::Throttle, 1);
    client_as(&fake, OWNER)
        .share_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap();
    let received = fake.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].fault, Some(TencentFault::Throttle.into()));
    assert_eq!(
        received[0].error_code.as_deref(),
        Some("RequestLimitExceeded")
    );
    assert_eq!(received[1].fault, None);
    assert_eq!(received[1].error_code, None);
    assert_eq!(fake.shared_accounts(IMAGE), [RECIPIENT]);
}

#[tokio::test]
async fn throttled_share_without_retries_is_throttling() {
    let fake = demo_fake().await;
    fake.inject(TencentFault::Throttle, 1);
    let err = client_as_with_retry(&fake, OWNER, RetryConfig::disabled())
        .share_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_throttling(), "{err}");
    assert!(err.is_retryable());
    assert_service_error(&err, "RequestLimitExceeded");
    assert_eq!(fake.request_count(), 1);
    assert!(fake.shared_accounts(IMAGE).is_empty());
}

#[tokio::test]
async fn rate_limiter_throttling_is_retried_up_to_max_attempts() {
    let fake = demo_fake().await;
    // A limit of 0 per second: the fake's own limiter (not an injected fault) refuses every
    // request, whatever the timing. A share is retried on throttling, 3 attempts in all.
    fake.set_rate_limit(Some(0));
    let err = client_as(&fake, OWNER)
        .share_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_throttling(), "{err}");
    assert_service_error(&err, "RequestLimitExceeded");
    assert_eq!(fake.request_count(), 3);
    assert!(
        fake.received()
            .iter()
            .all(|r| r.account_id.as_deref() == Some(OWNER))
    );
    assert!(fake.shared_accounts(IMAGE).is_empty());
}

#[tokio::test]
async fn html_502_on_a_read_is_retried() {
    let fake = demo_fake().await;
    fake.inject(Fault::Html502, 1);
    let shares = client_as(&fake, OWNER)
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    assert!(shares.share_permissions.is_empty());
    let received = fake.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].fault, Some(Fault::Html502));
    assert_eq!(received[1].fault, None);
}

#[tokio::test]
async fn html_502_on_a_share_is_not_retried() {
    let fake = demo_fake().await;
    fake.inject(Fault::Html502, 1);
    let err = client_as(&fake, OWNER)
        .share_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        fake.request_count(),
        1,
        "a mutating call is not retried after a 502"
    );
    assert!(
        matches!(err.as_core(), Error::Response(_)),
        "expected a response error, got {err:?}"
    );
    assert_eq!(err.http_status(), Some(502));
    assert_eq!(err.code(), None);
    let text = err.to_string();
    assert!(text.contains("text/html"), "{text}");
    assert!(text.contains("<html>"), "{text}");
    assert!(text.contains("502 Bad Gateway"), "{text}");
    // Fault applied before processing: nothing was shared.
    assert!(fake.shared_accounts(IMAGE).is_empty());
}

#[tokio::test]
async fn malformed_body_is_a_clear_error() {
    let fake = demo_fake().await;
    fake.inject(TencentFault::MalformedBody, 1);
    let err = client_as(&fake, OWNER)
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap_err();
    let Error::Response(response) = err.as_core() else {
        panic!("expected a response error, got {err:?}");
    };
    assert_eq!(response.status, 200);
    assert_eq!(response.content_type.as_deref(), Some("application/json"));
    assert!(response.body_excerpt.starts_with(r#"{"Response""#));
    let text = err.to_string();
    assert!(text.contains("not a Tencent API response"), "{text}");
    assert!(text.contains("SharePermissionSet"), "{text}");
    // The decoder's own error stays reachable as the source.
    let source = std::error::Error::source(&err).expect("a source");
    assert!(source.to_string().contains("JSON"), "{source}");
    assert_eq!(err.code(), None);
    // A 200 with a broken body is not retried (the server did answer).
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn dropped_connection_on_a_read_is_retried() {
    let fake = demo_fake().await;
    fake.inject(Fault::DropConnection, 1);
    let all = client_as(&fake, OWNER)
        .describe_images()
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let received = fake.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].fault, Some(Fault::DropConnection));
    assert_eq!(received[1].fault, None);
}

#[tokio::test]
async fn dropped_connection_on_a_share_is_not_retried() {
    let fake = demo_fake().await;
    fake.inject(Fault::DropConnection, 1);
    let err = client_as(&fake, OWNER)
        .share_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err.as_core(), Error::Dispatch(_)),
        "expected a dispatch error, got {err:?}"
    );
    assert_eq!(
        err.as_core().request_sent(),
        imgshare_core::RequestSent::Maybe
    );
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn plain_503_is_retried_for_reads_and_429_even_for_shares() {
    let fake = demo_fake().await;
    let owner = client_as(&fake, OWNER);

    // 503 text/plain on a read: a server error, retried.
    fake.inject(Fault::Status(503), 1);
    owner
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    assert_eq!(fake.request_count(), 2);

    // 503 on a share: not retried, reported with the status and body.
    fake.inject(Fault::Status(503), 1);
    let err = owner
        .share_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert!(err.to_string().contains("503 upstream error"), "{err}");
    assert_eq!(fake.request_count(), 3);

    // 429 without a Tencent body: throttling, so even a share is retried.
    fake.inject(Fault::Status(429), 1);
    owner
        .share_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap();
    assert_eq!(fake.request_count(), 5);
    assert_eq!(fake.shared_accounts(IMAGE), [RECIPIENT]);
}

#[tokio::test]
async fn timed_out_share_is_not_retried_because_it_may_have_been_applied() {
    let fake = demo_fake().await;
    let a = demo_account(OWNER);
    let credentials = Credentials::new(a.secret_id, a.secret_key, None, "test").unwrap();
    let client = Client::new(
        Config::builder()
            .region("ap-guangzhou")
            .endpoint_url(fake.uri())
            .credentials(credentials)
            .retry(fast_retry())
            .timeouts(
                imgshare_core::TimeoutConfig::default()
                    .with_attempt(Some(Duration::from_millis(500))),
            )
            .build()
            .unwrap(),
    )
    .unwrap();
    // The fake applies the share, then answers late: the client gives up on the attempt.
    fake.inject(Fault::Delay(Duration::from_secs(10)), 1);
    let err = client
        .share_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(
        fake.request_count(),
        1,
        "a timed-out share is not sent again"
    );
    // ... and it was in fact applied, which is why it must not be retried blindly.
    assert_eq!(fake.shared_accounts(IMAGE), [RECIPIENT]);

    // A timed-out read is retried.
    fake.inject(Fault::Delay(Duration::from_secs(10)), 1);
    let shares = client
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    assert_eq!(shares.account_ids().collect::<Vec<_>>(), [RECIPIENT]);
    assert_eq!(fake.request_count(), 3);
}

// ---- validation sends nothing ----------------------------------------------

#[tokio::test]
async fn invalid_input_is_rejected_before_sending() {
    let fake = demo_fake().await;
    let c = client_as(&fake, OWNER);
    let many: Vec<String> = (0..501).map(|n| format!("2{n:011}")).collect();

    let cases: Vec<(&str, Result<(), TencentError>, &str)> = vec![
        (
            "upper-case image id",
            unit(
                c.share_image()
                    .image_id("IMG-1")
                    .account_id(RECIPIENT)
                    .send()
                    .await,
            ),
            "image_id",
        ),
        (
            "short image id",
            unit(
                c.share_image()
                    .image_id("img-123")
                    .account_id(RECIPIENT)
                    .send()
                    .await,
            ),
            "image_id",
        ),
        (
            "missing image id",
            unit(c.share_image().account_id(RECIPIENT).send().await),
            "image_id",
        ),
        (
            "no accounts",
            unit(c.share_image().image_id(IMAGE).send().await),
            "account_ids",
        ),
        (
            "non-numeric account",
            unit(
                c.share_image()
                    .image_id(IMAGE)
                    .account_id("alice")
                    .send()
                    .await,
            ),
            "account_ids[0]",
        ),
        (
            "duplicate account",
            unit(
                c.share_image()
                    .image_id(IMAGE)
                    .account_id(RECIPIENT)
                    .account_id(RECIPIENT)
                    .send()
                    .await,
            ),
            "account_ids[1]",
        ),
        (
            "501 accounts",
            unit(
                c.share_image()
                    .image_id(IMAGE)
                    .set_account_ids(Some(many.clone()))
                    .send()
                    .await,
            ),
            "account_ids",
        ),
        (
            "unshare, malformed image id",
            unit(
                c.unshare_image()
                    .image_id("IMG-1")
                    .account_id(RECIPIENT)
                    .send()
                    .await,
            ),
            "image_id",
        ),
        (
            "unshare, no accounts",
            unit(c.unshare_image().image_id(IMAGE).send().await),
            "account_ids",
        ),
        (
            "describe share permission, malformed image id",
            unit(
                c.describe_image_share_permission()
                    .image_id("img-123")
                    .send()
                    .await,
            ),
            "image_id",
        ),
        (
            "describe share permission, missing image id",
            unit(c.describe_image_share_permission().send().await),
            "image_id",
        ),
        (
            "filters and image ids together",
            unit(
                c.describe_images()
                    .image_id(IMAGE)
                    .filter(Filter::image_type(ImageType::Shared))
                    .send()
                    .await,
            ),
            "filters",
        ),
        (
            "limit 101",
            unit(c.describe_images().limit(101u64).send().await),
            "limit",
        ),
        (
            "limit 0",
            unit(c.describe_images().limit(0u64).send().await),
            "limit",
        ),
        (
            "limit 101 through the paginator",
            unit(
                c.describe_images()
                    .limit(101u64)
                    .into_paginator()
                    .collect_all()
                    .await,
            ),
            "limit",
        ),
    ];
    for (what, result, field) in cases {
        let err = result.expect_err(what);
        assert!(err.is_invalid_input(), "{what}: {err:?}");
        assert!(!err.is_retryable(), "{what}");
        assert_eq!(invalid_field(&err), field, "{what}: {err}");
        assert!(
            err.to_string().contains(&format!("`{field}`")),
            "{what}: Display {:?} should name `{field}`",
            err.to_string()
        );
        assert_eq!(err.request_id(), None, "{what}");
        assert_eq!(err.http_status(), None, "{what}");
    }
    assert_eq!(
        fake.request_count(),
        0,
        "nothing may be sent for invalid input"
    );
}

#[tokio::test]
async fn bad_image_id_in_a_list_is_named_by_index() {
    let fake = demo_fake().await;
    let c = client_as(&fake, OWNER);
    let err = c
        .describe_images()
        .image_id("IMG-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(invalid_field(&err), "image_ids[0]");
    let err = c
        .describe_images()
        .image_id(IMAGE)
        .image_id("img-demo0002")
        .image_id("IMG-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(invalid_field(&err), "image_ids[2]");
    assert_eq!(fake.request_count(), 0);
}

#[test]
fn config_without_region_names_region() {
    let err = Config::builder().build().unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    assert_eq!(invalid_field(&err), "region");
    assert!(err.to_string().contains("region"), "{err}");

    for bad in ["", "AP-Guangzhou", "ap guangzhou"] {
        let err = Config::builder().region(bad).build().unwrap_err();
        assert_eq!(invalid_field(&err), "region", "{bad:?}");
    }
    let err = Config::builder()
        .region("ap-guangzhou")
        .endpoint_url("ftp://127.0.0.1/")
        .build()
        .unwrap_err();
    assert_eq!(invalid_field(&err), "endpoint_url");
}

// ---- the signature covers the exact bytes ----------------------------------

/// Sends `head` + `body` to `addr` over a fresh HTTP/1.1 connection and reads to the end.
/// Returns (status, JSON body).
async fn raw_http(addr: SocketAddr, head: String, body: Vec<u8>) -> (u16, Value) {
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        // A safety net against a hang, not a timing assertion.
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&body).unwrap();
        stream.flush().unwrap();
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).unwrap();
        let text = String::from_utf8_lossy(&reply).into_owned();
        let status: u16 = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {text:?}"));
        let (_, payload) = text.split_once("\r\n\r\n").expect("end of headers");
        let start = payload.find('{').expect("a JSON body");
        let end = payload.rfind('}').expect("a JSON body");
        (status, serde_json::from_str(&payload[start..=end]).unwrap())
    })
    .await
    .unwrap()
}

/// An HTTP/1.1 request head with these headers, a fresh Content-Length and `Connection: close`.
fn request_head(headers: &[(String, String)], body_len: usize) -> String {
    let mut head = String::from("POST / HTTP/1.1\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {body_len}\r\nconnection: close\r\n\r\n"
    ));
    head
}

fn error_code(reply: &Value) -> Option<&str> {
    reply["Response"]["Error"]["Code"].as_str()
}

#[tokio::test]
async fn replayed_request_verifies_only_when_unmodified() {
    let fake = demo_fake().await;

    // 1. Capture exactly what the client sends, with a recording wiremock server.
    let capture = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            br#"{"Response":{"RequestId":"00000000-0000-4000-8000-000000000001"}}"#.to_vec(),
            "application/json",
        ))
        .named("recording catch-all")
        .mount(&capture)
        .await;
    let owner = demo_account(OWNER);
    let client = client_with(
        &capture.uri(),
        &owner.secret_id,
        &owner.secret_key,
        None,
        RetryConfig::disabled(),
    );
    client
        .share_image()
        .image_id(IMAGE)
        .account_id(RECIPIENT)
        .send()
        .await
        .unwrap();
    let captured = capture.received_requests().await.unwrap();
    assert_eq!(captured.len(), 1);
    let request = &captured[0];
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(name, _)| {
            !matches!(
                name.as_str(),
                "content-length" | "connection" | "transfer-encoding"
            )
        })
        .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap().to_owned()))
        .collect();
    let host = headers
        .iter()
        .find(|(n, _)| n == "host")
        .map(|(_, v)| v.clone())
        .expect("a Host header");
    assert!(host.starts_with("127.0.0.1:"), "{host}");
    let body = request.body.clone();

    // 2. One byte of the body changed (account ...02 → ...03): SignatureFailure.
    let mut tampered = body.clone();
    let at = tampered
        .windows(RECIPIENT.len())
        .position(|w| w == RECIPIENT.as_bytes())
        .expect("the account id in the body")
        + RECIPIENT.len()
        - 1;
    tampered[at] = b'3';
    assert_eq!(tampered.len(), body.len());
    let (status, reply) = raw_http(
        fake.address(),
        request_head(&headers, tampered.len()),
        tampered,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        error_code(&reply),
        Some("AuthFailure.SignatureFailure"),
        "{reply}"
    );

    // 3. One byte of a signed header changed (Host 127.0.0.1 → 127.0.0.2): SignatureFailure.
    let changed_host: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| {
            if n == "host" {
                (n.clone(), v.replacen("127.0.0.1", "127.0.0.2", 1))
            } else {
                (n.clone(), v.clone())
            }
        })
        .collect();
    let (_, reply) = raw_http(
        fake.address(),
        request_head(&changed_host, body.len()),
        body.clone(),
    )
    .await;
    assert_eq!(
        error_code(&reply),
        Some("AuthFailure.SignatureFailure"),
        "{reply}"
    );

    // 4. The timestamp moved by one second (still in the window): SignatureFailure.
    let changed_time: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| {
            if n == "x-tc-timestamp" {
                let t: i64 = v.parse().unwrap();
                // Stay on the same UTC date so the scope check does not fire first.
                let t = if t % 86_400 == 0 { t + 1 } else { t - 1 };
                (n.clone(), t.to_string())
            } else {
                (n.clone(), v.clone())
            }
        })
        .collect();
    let (_, reply) = raw_http(
        fake.address(),
        request_head(&changed_time, body.len()),
        body.clone(),
    )
    .await;
    assert_eq!(
        error_code(&reply),
        Some("AuthFailure.SignatureFailure"),
        "{reply}"
    );

    assert!(fake.shared_accounts(IMAGE).is_empty());

    // 5. The unmodified replay verifies and is executed.
    let (status, reply) = raw_http(fake.address(), request_head(&headers, body.len()), body).await;
    assert_eq!(status, 200);
    assert_eq!(error_code(&reply), None, "{reply}");
    assert!(reply["Response"]["RequestId"].is_string());
    assert_eq!(fake.shared_accounts(IMAGE), [RECIPIENT]);

    let received = fake.received();
    assert_eq!(received.len(), 4);
    assert!(received[..3].iter().all(|r| r.account_id.is_none()));
    assert_eq!(received[3].account_id.as_deref(), Some(OWNER));
}
