//! The Tencent `Client` end to end on core's `ReplayClient`: no server, no port, no network.
//! This is the setup docs/TESTKIT.md ("Testing your code without a server") shows users: fake
//! static keys, a fixed clock, the replay client as the HTTP client, then assertions on the
//! recorded requests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use imgshare_core::test_util::{ReplayClient, json_response};
use imgshare_core::{Credentials, FixedClock, HttpRequest, Method, RetryConfig};
use imgshare_tencent::{Client, Config, ErrorMetadata};
use serde_json::{Value, json};

/// The whole setup: a region (Tencent's calls carry one), fake static keys (so the default
/// chain, which may read files or ask the instance metadata service, is never consulted), a
/// fixed clock (repeatable timestamps and signatures) and the replay client.
fn client(replay: &Arc<ReplayClient>) -> Client {
    let config = Config::builder()
        .region("ap-guangzhou")
        .credentials(Credentials::for_tests())
        .clock(Arc::new(FixedClock(
            UNIX_EPOCH + Duration::from_secs(1_714_564_800),
        )))
        .retry(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
        .http_client(replay.clone())
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

fn tencent_ok(body: Value) -> imgshare_core::HttpResponse {
    json_response(200, json!({ "Response": body }).to_string())
}

fn body(request: &HttpRequest) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}

#[tokio::test]
async fn share_image_sends_one_signed_modify_call() {
    let replay = Arc::new(ReplayClient::new().respond_to(
        Method::Post,
        "/",
        tencent_ok(json!({ "RequestId": "req-1" })),
    ));

    let out = client(&replay)
        .share_image()
        .image_id("img-6pb6lrmy")
        .account_id("100000000002")
        .send()
        .await
        .unwrap();
    assert_eq!(out.request_id, "req-1");

    let sent = replay.requests();
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.url.as_str(), "https://cvm.tencentcloudapi.com/");
    assert_eq!(
        request.header("X-TC-Action"),
        Some("ModifyImageSharePermission")
    );
    assert_eq!(request.header("X-TC-Region"), Some("ap-guangzhou"));
    assert_eq!(request.header("X-TC-Timestamp"), Some("1714564800"));
    assert!(
        request
            .header("Authorization")
            .unwrap()
            .starts_with("TC3-HMAC-SHA256 Credential=AKIDTEST/2024-05-01/cvm/tc3_request")
    );
    assert_eq!(
        body(request),
        json!({
            "ImageId": "img-6pb6lrmy",
            "AccountIds": ["100000000002"],
            "Permission": "SHARE",
        })
    );
    replay.verify().unwrap();
}

// A flow of three calls scripted in order: the idempotent share reads the shares back on
// `AccountAlreadyExists` and shares only what is missing.
#[tokio::test]
async fn share_image_with_shares_only_the_missing_accounts() {
    let replay = Arc::new(
        ReplayClient::new()
            .respond(tencent_ok(json!({
                "Error": {
                    "Code": "FailedOperation.AccountAlreadyExists",
                    "Message": "already shared",
                },
                "RequestId": "req-1",
            })))
            .respond(tencent_ok(json!({
                "SharePermissionSet": [{ "AccountId": "100000000002" }],
                "RequestId": "req-2",
            })))
            .respond(tencent_ok(json!({ "RequestId": "req-3" }))),
    );

    let outcome = client(&replay)
        .share_image_with("img-6pb6lrmy", ["100000000002", "100000000003"])
        .await
        .unwrap();
    assert_eq!(outcome.newly_shared, ["100000000003"]);
    assert_eq!(outcome.already_shared, ["100000000002"]);
    assert_eq!(outcome.request_id.as_deref(), Some("req-3"));

    let sent = replay.requests();
    let actions: Vec<_> = sent.iter().map(|r| r.header("X-TC-Action")).collect();
    assert_eq!(
        actions,
        [
            Some("ModifyImageSharePermission"),
            Some("DescribeImageSharePermission"),
            Some("ModifyImageSharePermission"),
        ]
    );
    assert_eq!(body(&sent[2])["AccountIds"], json!(["100000000003"]));
    replay.verify().unwrap();
}

// The script is the boundary: a call beyond it fails at once with the replay client's error,
// and is neither retried nor sent anywhere.
#[tokio::test]
async fn a_call_beyond_the_script_fails_without_reaching_any_server() {
    let replay = Arc::new(ReplayClient::new());
    let error = client(&replay)
        .describe_image_share_permission()
        .image_id("img-6pb6lrmy")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_transport(), "{error}");
    assert!(error.to_string().contains("has no answer"), "{error}");
    assert_eq!(replay.requests().len(), 1);
    assert!(replay.verify().is_err());
}
