#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Each operation against a scripted wiremock server: the exact request we send (method, path,
//! headers, TC3 `Authorization`, JSON body) and how raw Tencent bodies (tests/fixtures/<operation>/
//! <case>.json) decode, including error envelopes and Tencent's looser shapes.
//!
//! Every server has a low-priority catch-all that answers 599 and expects no hits, so a request
//! that no mock was written for fails the test loudly.

use imgshare_tencent::ErrorMetadata;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use imgshare_core::{Credentials, FixedClock, RetryConfig, SecretString};
use imgshare_tencent::error::codes;
use imgshare_tencent::types::parse_time;
use imgshare_tencent::{Client, Config, Filter, ImageState, ImageType, Language, TencentError};
use serde_json::{Value, json};
use time::macros::datetime;
use wiremock::matchers::{any, body_json, body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const REGION: &str = "ap-guangzhou";
/// 2019-02-25T16:44:25Z, the timestamp of Tencent's documented signing example.
const NOW: u64 = 1_551_113_065;
const DATE: &str = "2019-02-25";
const IMAGE: &str = "img-6pb6lrmy";

// ---- helpers ---------------------------------------------------------------

fn fast_retry() -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn fixture(operation: &str, case: &str) -> Vec<u8> {
    let file = format!(
        "{}/tests/fixtures/{operation}/{case}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&file).unwrap_or_else(|e| panic!("fixture {file}: {e}"))
}

fn fixture_json(operation: &str, case: &str) -> Value {
    serde_json::from_slice(&fixture(operation, case)).unwrap()
}

fn tencent_reply(body: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

fn error_envelope(code: &str, request_id: &str) -> Vec<u8> {
    json!({
        "Response": {
            "Error": {"Code": code, "Message": format!("scripted {code}")},
            "RequestId": request_id,
        }
    })
    .to_string()
    .into_bytes()
}

/// Answers 599 to anything no other mock matched; with `expect_none`, also fails the test when
/// the server is dropped if it was hit.
async fn mount_catch_all(server: &MockServer, expect_none: bool) {
    let mock = Mock::given(any())
        .respond_with(
            ResponseTemplate::new(599)
                .set_body_string("imgshare test: no mock matched this request"),
        )
        .with_priority(u8::MAX)
        .named("catch-all: unexpected request");
    let mock = if expect_none { mock.expect(0) } else { mock };
    mock.mount(server).await;
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    mount_catch_all(&server, true).await;
    server
}

fn config(server: &MockServer, token: Option<&str>) -> imgshare_tencent::ConfigBuilder {
    Config::builder()
        .region(REGION)
        .endpoint_url(server.uri())
        .credentials(
            Credentials::new(SECRET_ID, SECRET_KEY, token.map(SecretString::new), "test").unwrap(),
        )
        .clock(Arc::new(FixedClock(UNIX_EPOCH + Duration::from_secs(NOW))))
        .retry(fast_retry())
}

fn client(server: &MockServer) -> Client {
    Client::new(config(server, None).build().unwrap()).unwrap()
}

/// Matches the common Tencent request shape for `action`.
fn tencent_request(action: &str) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header("X-TC-Action", action))
        .and(header("X-TC-Version", "2017-03-12"))
        .and(header("X-TC-Region", REGION))
        .and(header("Content-Type", "application/json"))
}

fn header_value<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

/// The single request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

/// Checks everything every request carries, verifies its signature with the testkit's
/// independent verifier, and returns the parsed JSON body.
#[track_caller]
fn check_common(request: &Request, action: &str) -> Value {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/");
    assert_eq!(request.url.query(), None);
    assert_eq!(header_value(request, "x-tc-action"), Some(action));
    assert_eq!(header_value(request, "x-tc-version"), Some("2017-03-12"));
    assert_eq!(header_value(request, "x-tc-region"), Some(REGION));
    assert_eq!(
        header_value(request, "content-type"),
        Some("application/json")
    );
    assert_eq!(
        header_value(request, "x-tc-timestamp"),
        Some(NOW.to_string().as_str())
    );
    let ua = header_value(request, "user-agent").expect("a User-Agent");
    assert!(ua.contains("imgshare-tencent/"), "{ua}");

    // The scope names `cvm` although the host is 127.0.0.1.
    let authorization = header_value(request, "authorization").expect("an Authorization");
    let prefix = format!(
        "TC3-HMAC-SHA256 Credential={SECRET_ID}/{DATE}/cvm/tc3_request, \
         SignedHeaders=content-type;host;x-tc-action, Signature="
    );
    assert!(
        authorization.starts_with(&prefix),
        "{authorization:?} should start with {prefix:?}"
    );
    let signature = &authorization[prefix.len()..];
    assert_eq!(signature.len(), 64, "{signature}");
    assert!(
        signature
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{signature}"
    );

    let host = header_value(request, "host").expect("a Host header");
    assert!(host.starts_with("127.0.0.1:"), "{host}");
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.to_str().unwrap()))
        .collect();
    let timestamp = NOW.to_string();
    let signed = imgshare_testkit::tc3::SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: &request.body,
        timestamp: &timestamp,
    };
    let parsed = imgshare_testkit::tc3::parse_authorization(authorization).unwrap();
    imgshare_testkit::tc3::verify(&signed, &parsed, SECRET_KEY, "cvm", NOW as i64)
        .expect("the signature verifies under the testkit's independent TC3 verifier");

    serde_json::from_slice(&request.body).expect("a JSON body")
}

#[track_caller]
fn assert_code(err: &TencentError, code: &str, request_id: &str) {
    assert_eq!(err.code(), Some(code), "{err}");
    assert_eq!(err.request_id(), Some(request_id), "{err}");
    assert_eq!(err.http_status(), Some(200));
    let text = err.to_string();
    assert!(text.contains(code) && text.contains(request_id), "{text}");
}

// ---- ModifyImageSharePermission --------------------------------------------

#[tokio::test]
async fn share_sends_a_signed_share_request() {
    let server = server().await;
    tencent_request("ModifyImageSharePermission")
        .and(body_json(json!({
            "ImageId": IMAGE,
            "AccountIds": ["1038493875", "103849387508"],
            "Permission": "SHARE",
        })))
        .respond_with(tencent_reply(fixture(
            "ModifyImageSharePermission",
            "success",
        )))
        .expect(1)
        .mount(&server)
        .await;

    let out = client(&server)
        .share_image()
        .image_id(IMAGE)
        .account_id("1038493875")
        .account_id("103849387508")
        .send()
        .await
        .unwrap();
    assert_eq!(out.request_id, "71e69b56-32be-4412-ab45-49eded6a87be");

    let request = only_request(&server).await;
    let body = check_common(&request, "ModifyImageSharePermission");
    assert_eq!(
        body,
        json!({"ImageId": IMAGE, "AccountIds": ["1038493875", "103849387508"], "Permission": "SHARE"})
    );
    assert_eq!(header_value(&request, "x-tc-token"), None);
    assert_eq!(header_value(&request, "x-tc-language"), None);
}

#[tokio::test]
async fn unshare_sends_cancel() {
    let server = server().await;
    tencent_request("ModifyImageSharePermission")
        .and(body_json(json!({
            "ImageId": IMAGE,
            "AccountIds": ["1038493875"],
            "Permission": "CANCEL",
        })))
        .respond_with(tencent_reply(fixture(
            "ModifyImageSharePermission",
            "success",
        )))
        .expect(1)
        .mount(&server)
        .await;

    let out = client(&server)
        .unshare_image()
        .image_id(IMAGE)
        .account_id("1038493875")
        .send()
        .await
        .unwrap();
    assert_eq!(out.request_id, "71e69b56-32be-4412-ab45-49eded6a87be");
    let body = check_common(&only_request(&server).await, "ModifyImageSharePermission");
    assert_eq!(body["Permission"], "CANCEL");
}

#[tokio::test]
async fn share_error_envelope_is_a_typed_error() {
    let server = server().await;
    tencent_request("ModifyImageSharePermission")
        .respond_with(tencent_reply(fixture(
            "ModifyImageSharePermission",
            "error",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .share_image()
        .image_id(IMAGE)
        .account_id("1038493875")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_account_already_shared(), "{err}");
    assert_code(
        &err,
        codes::ACCOUNT_ALREADY_EXISTS,
        "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6",
    );
    assert_eq!(err.message(), Some("The account already exists."));
}

/// The codes seed 004 lists for ModifyImageSharePermission, spelled as in the seed, each with
/// the crate's constant.
const SEED_004_CODES: [(&str, &str); 20] = [
    (
        "FailedOperation.AccountAlreadyExists",
        codes::ACCOUNT_ALREADY_EXISTS,
    ),
    (
        "FailedOperation.AccountIsYourSelf",
        codes::ACCOUNT_IS_YOURSELF,
    ),
    (
        "FailedOperation.BYOLImageShareFailed",
        codes::BYOL_IMAGE_SHARE_FAILED,
    ),
    (
        "FailedOperation.NotMasterAccount",
        codes::NOT_MASTER_ACCOUNT,
    ),
    (
        "FailedOperation.QImageShareFailed",
        codes::QIMAGE_SHARE_FAILED,
    ),
    (
        "FailedOperation.RImageShareFailed",
        codes::RIMAGE_SHARE_FAILED,
    ),
    (
        "InvalidAccountId.NotFound",
        codes::INVALID_ACCOUNT_ID_NOT_FOUND,
    ),
    (
        "InvalidAccountIs.YourSelf",
        codes::INVALID_ACCOUNT_IS_YOURSELF,
    ),
    (
        "InvalidImageId.Malformed",
        codes::INVALID_IMAGE_ID_MALFORMED,
    ),
    ("InvalidImageId.NotFound", codes::INVALID_IMAGE_ID_NOT_FOUND),
    (
        "InvalidParameter.InstanceImageNotSupport",
        codes::INSTANCE_IMAGE_NOT_SUPPORT,
    ),
    (
        "InvalidParameterValue.InvalidAppIdFormat",
        codes::INVALID_APP_ID_FORMAT,
    ),
    (
        "InvalidParameterValue.InvalidImageId",
        codes::INVALID_IMAGE_ID,
    ),
    (
        "InvalidParameterValue.InvalidImageState",
        codes::INVALID_IMAGE_STATE,
    ),
    ("InvalidParameterValue.LimitExceeded", codes::LIMIT_EXCEEDED),
    ("OverQuota", codes::OVER_QUOTA),
    (
        "UnauthorizedOperation.ImageNotBelongToAccount",
        codes::IMAGE_NOT_BELONG_TO_ACCOUNT,
    ),
    ("UnauthorizedOperation.InvalidToken", codes::INVALID_TOKEN),
    (
        "UnsupportedOperation.EncryptedImagesNotSupported",
        codes::ENCRYPTED_IMAGES_NOT_SUPPORTED,
    ),
    (
        "UnsupportedOperation.LocationImageNotSupported",
        codes::LOCATION_IMAGE_NOT_SUPPORTED,
    ),
];

/// The predicates that must hold for `code`, by name; every other predicate must not.
fn expected_predicates(code: &str) -> &'static [&'static str] {
    match code {
        codes::ACCOUNT_ALREADY_EXISTS => &["is_account_already_shared"],
        codes::ACCOUNT_IS_YOURSELF | codes::INVALID_ACCOUNT_IS_YOURSELF => &["is_account_yourself"],
        codes::INVALID_ACCOUNT_ID_NOT_FOUND => &["is_account_not_found"],
        codes::INVALID_IMAGE_ID_MALFORMED => &["is_image_id_malformed"],
        codes::INVALID_IMAGE_ID_NOT_FOUND => &["is_image_not_found"],
        codes::INVALID_IMAGE_STATE => &["is_image_busy"],
        codes::LIMIT_EXCEEDED => &["is_limit_exceeded"],
        codes::OVER_QUOTA => &["is_over_quota"],
        codes::IMAGE_NOT_BELONG_TO_ACCOUNT => &["is_image_not_owned"],
        _ => &[],
    }
}

/// A `TencentError` predicate method.
type Predicate = fn(&TencentError) -> bool;

fn predicates(err: &TencentError) -> Vec<&'static str> {
    let all: [(&str, Predicate); 16] = [
        (
            "is_account_already_shared",
            TencentError::is_account_already_shared,
        ),
        ("is_account_yourself", TencentError::is_account_yourself),
        ("is_account_not_found", TencentError::is_account_not_found),
        ("is_image_id_malformed", TencentError::is_image_id_malformed),
        ("is_image_not_found", TencentError::is_image_not_found),
        ("is_image_busy", TencentError::is_image_busy),
        ("is_limit_exceeded", TencentError::is_limit_exceeded),
        ("is_over_quota", TencentError::is_over_quota),
        ("is_image_not_owned", TencentError::is_image_not_owned),
        ("is_throttling", TencentError::is_throttling),
        ("is_retryable", TencentError::is_retryable),
        ("is_invalid_input", TencentError::is_invalid_input),
        ("is_auth_failure", TencentError::is_auth_failure),
        ("is_signature_failure", TencentError::is_signature_failure),
        ("is_credentials", TencentError::is_credentials),
        ("is_timeout", TencentError::is_timeout),
    ];
    all.iter()
        .filter(|(_, p)| p(err))
        .map(|(name, _)| *name)
        .collect()
}

#[tokio::test]
async fn every_seed_004_code_reaches_the_user() {
    let server = server().await;
    let client = client(&server);
    // One mock per code, told apart by the account id. (Not scoped mocks: wiremock 0.6.5 sorts
    // its mock list by priority in place, so a scoped guard can deactivate the wrong mock.)
    let account = |i: usize| format!("{}", 1_000_000_000 + i);
    let request_id = |i: usize| format!("00000000-0000-4000-8000-{i:012}");
    for (i, (seed_code, constant)) in SEED_004_CODES.iter().enumerate() {
        assert_eq!(seed_code, constant, "codes constant differs from seed 004");
        tencent_request("ModifyImageSharePermission")
            .and(body_partial_json(json!({"AccountIds": [account(i)]})))
            .respond_with(tencent_reply(error_envelope(seed_code, &request_id(i))))
            .expect(1)
            .named(*seed_code)
            .mount(&server)
            .await;
    }
    for (i, (seed_code, _)) in SEED_004_CODES.iter().enumerate() {
        let err = client
            .share_image()
            .image_id(IMAGE)
            .account_id(account(i))
            .send()
            .await
            .unwrap_err();
        assert_code(&err, seed_code, &request_id(i));
        assert!(err.is_code(seed_code));
        assert_eq!(
            err.message(),
            Some(format!("scripted {seed_code}").as_str())
        );
        assert_eq!(
            predicates(&err),
            expected_predicates(seed_code),
            "predicates for {seed_code}"
        );
    }
    // Client errors: each answered once, never retried.
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        SEED_004_CODES.len()
    );
}

// ---- DescribeImageSharePermission ------------------------------------------

#[tokio::test]
async fn describe_share_permission_request_and_both_time_forms() {
    let server = server().await;
    tencent_request("DescribeImageSharePermission")
        .and(body_json(json!({"ImageId": IMAGE})))
        .respond_with(tencent_reply(fixture(
            "DescribeImageSharePermission",
            "success",
        )))
        .expect(1)
        .mount(&server)
        .await;

    let out = client(&server)
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    let body = check_common(&only_request(&server).await, "DescribeImageSharePermission");
    assert_eq!(body, json!({"ImageId": IMAGE}));

    assert_eq!(out.request_id, "71e69b56-32be-4412-ab45-49eded6a87be");
    assert_eq!(
        out.account_ids().collect::<Vec<_>>(),
        ["101104350000", "101104350001"]
    );
    let p = &out.share_permissions;
    assert_eq!(p[0].created_time.as_deref(), Some("2018-06-10T11:02:50Z"));
    assert_eq!(
        p[1].created_time.as_deref(),
        Some("2018-06-13T15:03:25+00:00")
    );
    assert_eq!(p[0].created_at(), Some(datetime!(2018-06-10 11:02:50 UTC)));
    assert_eq!(p[1].created_at(), Some(datetime!(2018-06-13 15:03:25 UTC)));
}

#[tokio::test]
async fn describe_share_permission_empty_and_null_sets() {
    for case in ["empty", "null_set"] {
        let server = server().await;
        tencent_request("DescribeImageSharePermission")
            .respond_with(tencent_reply(fixture("DescribeImageSharePermission", case)))
            .expect(1)
            .mount(&server)
            .await;
        let out = client(&server)
            .describe_image_share_permission()
            .image_id(IMAGE)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert!(out.share_permissions.is_empty(), "{case}");
        let expected = fixture_json("DescribeImageSharePermission", case);
        assert_eq!(out.request_id, expected["Response"]["RequestId"], "{case}");
    }
}

#[tokio::test]
async fn describe_share_permission_numeric_account_and_missing_time() {
    let server = server().await;
    tencent_request("DescribeImageSharePermission")
        .respond_with(tencent_reply(fixture(
            "DescribeImageSharePermission",
            "account_id_number",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let out = client(&server)
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.account_ids().collect::<Vec<_>>(),
        ["2700036", "2700037"]
    );
    assert_eq!(
        out.share_permissions[0].created_at(),
        Some(datetime!(2023-10-05 14:30:00 UTC))
    );
    assert_eq!(out.share_permissions[1].created_time, None);
    assert_eq!(out.share_permissions[1].created_at(), None);
}

#[tokio::test]
async fn success_is_decoded_whatever_the_content_type_says() {
    let body = fixture("DescribeImageSharePermission", "success");
    let replies = [
        (
            "charset",
            ResponseTemplate::new(200)
                .set_body_raw(body.clone(), "application/json; charset=utf-8"),
        ),
        (
            "text/plain",
            ResponseTemplate::new(200).set_body_raw(body.clone(), "text/plain"),
        ),
        (
            "none",
            ResponseTemplate::new(200).set_body_bytes(body.clone()),
        ),
    ];
    for (case, reply) in replies {
        let server = server().await;
        tencent_request("DescribeImageSharePermission")
            .respond_with(reply)
            .expect(1)
            .mount(&server)
            .await;
        let out = client(&server)
            .describe_image_share_permission()
            .image_id(IMAGE)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(out.share_permissions.len(), 2, "{case}");
    }
}

#[tokio::test]
async fn describe_share_permission_error_envelope() {
    let server = server().await;
    tencent_request("DescribeImageSharePermission")
        .respond_with(tencent_reply(fixture(
            "DescribeImageSharePermission",
            "error",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_image_not_owned(), "{err}");
    assert!(!err.is_retryable());
    assert_code(
        &err,
        codes::IMAGE_NOT_BELONG_TO_ACCOUNT,
        "b5b41468-520d-4192-b42f-595cc34b6c1c",
    );
}

// ---- DescribeImages ---------------------------------------------------------

#[tokio::test]
async fn describe_images_request_shape_and_full_decode() {
    let server = server().await;
    tencent_request("DescribeImages")
        .and(body_partial_json(json!({
            "Filters": [{"Name": "image-type", "Values": ["SHARED_IMAGE"]}],
            "Offset": 0,
            "Limit": 7,
        })))
        .respond_with(tencent_reply(fixture("DescribeImages", "success")))
        .expect(1)
        .mount(&server)
        .await;

    let out = client(&server)
        .describe_images()
        .filter(Filter::image_type(ImageType::Shared))
        .offset(0u64)
        .limit(7u64)
        .send()
        .await
        .unwrap();

    let body = check_common(&only_request(&server).await, "DescribeImages");
    assert_eq!(
        body["Filters"],
        json!([{"Name": "image-type", "Values": ["SHARED_IMAGE"]}])
    );
    assert_eq!(body["Offset"], 0);
    assert_eq!(body["Limit"], 7);
    let object = body.as_object().unwrap();
    for key in object.keys() {
        assert!(
            ["Filters", "Offset", "Limit", "ImageIds"].contains(&key.as_str()),
            "unexpected parameter {key} in {body}"
        );
    }
    // Filters and ImageIds are mutually exclusive at Tencent: ImageIds must not carry values.
    assert!(
        object
            .get("ImageIds")
            .is_none_or(|ids| ids.as_array().is_some_and(Vec::is_empty)),
        "{body}"
    );

    assert_eq!(out.total_count, 2);
    assert_eq!(out.request_id, "cb29f8a3-6a1f-4a29-9a1c-4a7a3a4e7f10");
    assert_eq!(out.images.len(), 2);
    let a = &out.images[0];
    assert_eq!(a.image_id, "img-9qabwvbn");
    assert_eq!(a.image_type, ImageType::Shared);
    assert_eq!(a.image_state, ImageState::Normal);
    assert_eq!(a.image_size, 50);
    assert_eq!(a.sync_percent, Some(100));
    assert!(a.is_support_cloudinit);
    assert_eq!(a.image_creator, "3205597606");
    assert_eq!(a.snapshot_set.len(), 1);
    assert_eq!(a.snapshot_set[0].snapshot_id, "snap-ab12cd34");
    assert_eq!(a.snapshot_set[0].disk_usage, "SYSTEM_DISK");
    assert_eq!(a.snapshot_set[0].disk_size, 50);
    assert_eq!(a.tags.len(), 1);
    assert_eq!(
        (a.tags[0].key.as_str(), a.tags[0].value.as_str()),
        ("team", "platform")
    );
    assert_eq!(a.image_family.as_deref(), Some("web"));
    assert_eq!(a.image_deprecated, Some(false));
    let b = &out.images[1];
    assert_eq!(b.image_state, ImageState::Syncing);
    assert_eq!(b.license_type, "BYOL");
    assert_eq!(b.image_family, None);
    assert_eq!(b.image_deprecated, None);
    // CreatedTime in both forms Tencent uses.
    assert_eq!(
        parse_time(a.created_time.as_deref().unwrap()),
        Some(datetime!(2020-09-22 00:00:00 UTC))
    );
    assert_eq!(
        parse_time(b.created_time.as_deref().unwrap()),
        Some(datetime!(2023-10-05 14:30:00 UTC))
    );
}

#[tokio::test]
async fn describe_images_by_id_sends_image_ids() {
    let server = server().await;
    tencent_request("DescribeImages")
        .and(body_partial_json(
            json!({"ImageIds": [IMAGE, "img-19mu3fy3"]}),
        ))
        .respond_with(tencent_reply(fixture("DescribeImages", "success")))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .describe_images()
        .image_id(IMAGE)
        .image_id("img-19mu3fy3")
        .send()
        .await
        .unwrap();
    let body = check_common(&only_request(&server).await, "DescribeImages");
    assert_eq!(body["ImageIds"], json!([IMAGE, "img-19mu3fy3"]));
    assert!(
        body.get("Filters")
            .is_none_or(|f| f.as_array().is_some_and(Vec::is_empty)),
        "{body}"
    );
}

#[tokio::test]
async fn describe_images_keeps_unknown_enum_values() {
    let server = server().await;
    tencent_request("DescribeImages")
        .respond_with(tencent_reply(fixture("DescribeImages", "unknown_enum")))
        .expect(1)
        .mount(&server)
        .await;
    let out = client(&server).describe_images().send().await.unwrap();
    let image = &out.images[0];
    assert_eq!(image.image_type, ImageType::Unknown("NEW_KIND".into()));
    assert_eq!(image.image_type.as_str(), "NEW_KIND");
    assert_eq!(image.image_state, ImageState::Unknown("ARCHIVED".into()));
    assert_eq!(image.sync_percent, Some(0));
}

#[tokio::test]
async fn describe_images_accepts_numbers_as_strings() {
    let server = server().await;
    tencent_request("DescribeImages")
        .respond_with(tencent_reply(fixture(
            "DescribeImages",
            "total_count_string",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let out = client(&server).describe_images().send().await.unwrap();
    assert_eq!(out.total_count, 3);
    assert_eq!(out.images[0].image_size, 50);
    assert_eq!(out.images[0].sync_percent, Some(100));
    assert_eq!(out.images[0].image_type, ImageType::Private);
}

#[tokio::test]
async fn describe_images_accepts_nulls() {
    let server = server().await;
    tencent_request("DescribeImages")
        .respond_with(tencent_reply(fixture(
            "DescribeImages",
            "sync_percent_null",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let out = client(&server).describe_images().send().await.unwrap();
    let image = &out.images[0];
    assert_eq!(image.sync_percent, None);
    assert!(image.snapshot_set.is_empty());
    assert!(image.tags.is_empty());
    assert_eq!(image.image_family, None);
    assert_eq!(image.image_deprecated, None);
}

#[tokio::test]
async fn describe_images_empty_list() {
    let server = server().await;
    tencent_request("DescribeImages")
        .respond_with(tencent_reply(fixture("DescribeImages", "empty")))
        .expect(1)
        .mount(&server)
        .await;
    let all = client(&server)
        .describe_images()
        .filter(Filter::image_type(ImageType::Shared))
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    assert!(all.is_empty());
}

#[tokio::test]
async fn describe_images_error_envelope() {
    let server = server().await;
    tencent_request("DescribeImages")
        .respond_with(tencent_reply(fixture("DescribeImages", "error")))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .describe_images()
        .filter(Filter::new("no-such-filter", ["x"]))
        .send()
        .await
        .unwrap_err();
    assert_code(
        &err,
        "InvalidFilter",
        "a1b2c3d4-e5f6-4789-8abc-def012345605",
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn paginator_follows_offsets_with_a_string_total_count() {
    let server = server().await;
    tencent_request("DescribeImages")
        .and(body_partial_json(json!({"Offset": 0})))
        .respond_with(tencent_reply(fixture("DescribeImages", "page_1")))
        .expect(1)
        .mount(&server)
        .await;
    tencent_request("DescribeImages")
        .and(body_partial_json(json!({"Offset": 2})))
        .respond_with(tencent_reply(fixture("DescribeImages", "page_2")))
        .expect(1)
        .mount(&server)
        .await;
    let all = client(&server)
        .describe_images()
        .filter(Filter::image_type(ImageType::Shared))
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<_> = all.iter().map(|i| i.image_id.as_str()).collect();
    assert_eq!(ids, ["img-pagea001", "img-pagea002", "img-pagea003"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

// ---- retry classification of envelopes --------------------------------------

#[tokio::test]
async fn internal_error_envelope_is_retried_for_reads_only() {
    let server = server().await;
    let internal = error_envelope(
        codes::INTERNAL_ERROR,
        "00000000-0000-4000-8000-00000000000e",
    );
    tencent_request("DescribeImageSharePermission")
        .respond_with(tencent_reply(internal.clone()))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    tencent_request("DescribeImageSharePermission")
        .respond_with(tencent_reply(fixture(
            "DescribeImageSharePermission",
            "empty",
        )))
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;
    // Sent with HTTP 500 and a charset: the envelope is still read.
    tencent_request("ModifyImageSharePermission")
        .respond_with(
            ResponseTemplate::new(500).set_body_raw(internal, "application/json; charset=utf-8"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    client
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    let err = client
        .share_image()
        .image_id(IMAGE)
        .account_id("1038493875")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::INTERNAL_ERROR), "{err}");
    assert_eq!(err.http_status(), Some(500));
    assert_eq!(
        err.request_id(),
        Some("00000000-0000-4000-8000-00000000000e")
    );
    assert!(
        err.is_retryable(),
        "a server error, but a share is not retried"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn request_id_falls_back_to_the_header() {
    let server = server().await;
    tencent_request("DescribeImageSharePermission")
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-TC-RequestId", "from-the-header")
                .set_body_raw(
                    br#"{"Response":{"Error":{"Code":"InvalidImageId.NotFound","Message":"m"}}}"#
                        .to_vec(),
                    "application/json",
                ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_image_not_found());
    assert_eq!(err.request_id(), Some("from-the-header"));
}

// ---- optional headers --------------------------------------------------------

#[tokio::test]
async fn session_token_and_language_headers() {
    let server = server().await;
    tencent_request("DescribeImageSharePermission")
        .and(header("X-TC-Token", "session-token-123"))
        .and(header("X-TC-Language", "en-US"))
        .respond_with(tencent_reply(fixture(
            "DescribeImageSharePermission",
            "empty",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(
        config(&server, Some("session-token-123"))
            .language(Language::EnUs)
            .build()
            .unwrap(),
    )
    .unwrap();
    client
        .describe_image_share_permission()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    check_common(&only_request(&server).await, "DescribeImageSharePermission");
}

// ---- the catch-all -------------------------------------------------------------

#[tokio::test]
async fn unmatched_requests_fail_loudly() {
    let server = MockServer::start().await;
    mount_catch_all(&server, false).await;
    // Only DescribeImages is scripted; a share hits the catch-all.
    tencent_request("DescribeImages")
        .respond_with(tencent_reply(fixture("DescribeImages", "empty")))
        .expect(0)
        .mount(&server)
        .await;
    let err = client(&server)
        .share_image()
        .image_id(IMAGE)
        .account_id("1038493875")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(599));
    let text = err.to_string();
    assert!(text.contains("no mock matched this request"), "{text}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
