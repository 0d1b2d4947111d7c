#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The bodies we came from, decoded into this crate's public types through the real client:
//! Tencent's documented `ModifyImageSharePermission` example verbatim, and our own bodies of the
//! shapes Tencent was seen to send (the CDC cache example, a recorded live `DescribeImages` with
//! undocumented fields and raw UTF-8, an older example with nulls, the legacy gateway's
//! `RequestID`, a 200 carrying an error, an error without a message).

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use imgshare_core::{Credentials, FixedClock, RetryConfig};
use imgshare_tencent::{Client, Config, ErrorMetadata, ImageState, ImageType};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The documented output example of `ModifyImageSharePermission` ("Sharing an image"),
/// verbatim.
const SEED_MODIFY: &str = r#"{
    "Response": {
        "RequestId": "71e69b56-32be-4412-ab45-49eded6a87be"
    }
}"#;

async fn client_answering(body: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json"))
        .mount(&server)
        .await;
    let config = Config::builder()
        .region("ap-guangzhou")
        .endpoint_url(server.uri())
        .credentials(Credentials::new("AKIDEXAMPLE", "secretEXAMPLE", None, "test").unwrap())
        .clock(Arc::new(FixedClock(
            UNIX_EPOCH + Duration::from_secs(1_551_113_065),
        )))
        .retry(RetryConfig::standard().with_max_attempts(1))
        .build()
        .unwrap();
    (server, Client::new(config).unwrap())
}

async fn describe(body: &str) -> imgshare_tencent::types::DescribeImagesOutput {
    let (_server, client) = client_answering(body).await;
    client.describe_images().send().await.unwrap()
}

#[tokio::test]
async fn the_documented_share_example_decodes_verbatim() {
    let (_server, client) = client_answering(SEED_MODIFY).await;
    let out = client
        .share_image()
        .image_id("img-6pb6lrmy")
        .account_id("1038493875")
        .send()
        .await
        .unwrap();
    assert_eq!(out.request_id, "71e69b56-32be-4412-ab45-49eded6a87be");
}

#[tokio::test]
async fn the_legacy_gateway_spells_it_request_id_in_capitals() {
    let body = "{\n    \"Response\": {\n        \"RequestID\": \"0f5a1c6e-4b1e-4c39-9a51-0d6a3c7b2e10\"\n    }\n}\n";
    let (_server, client) = client_answering(body).await;
    let out = client
        .unshare_image()
        .image_id("img-6pb6lrmy")
        .account_id("1038493875")
        .send()
        .await
        .unwrap();
    assert_eq!(out.request_id, "0f5a1c6e-4b1e-4c39-9a51-0d6a3c7b2e10");
}

// Catches: `CdcCacheStatus` dropped from the model (Tencent documents it on `Image`).
#[tokio::test]
async fn the_cdc_cache_example_keeps_its_status() {
    let out = describe(
        r#"{"Response":{"TotalCount":1,"ImageSet":[{"LicenseType":"TencentCloud","ImageId":"img-2b8xq4mn",
        "OsName":"TencentOS Server 3.1 64位","ImageSize":20,"ImageType":"PUBLIC_IMAGE",
        "CreatedTime":"2021-03-01T00:00:00+00:00","ImageState":"NORMAL","ImageSource":"OFFICIAL",
        "ImageName":"TencentOS Server 3.1 64位","ImageDescription":"","ImageCreator":"tencent",
        "SyncPercent":100,"IsSupportCloudinit":true,"Platform":"TencentOS","Architecture":"x86_64",
        "SnapshotSet":[],"Tags":[{"Key":"team","Value":"infra"}],"CdcCacheStatus":"CACHING"}],
        "RequestId":"4d0e6e3c-1b5f-4d2e-9f41-7a3c2b1d0e9f"}}"#,
    )
    .await;
    let image = &out.images[0];
    assert_eq!(image.cdc_cache_status.as_deref(), Some("CACHING"));
    assert_eq!(image.os_name, "TencentOS Server 3.1 64位");
    assert!(image.created_at().is_some());
    assert_eq!(image.tags[0].key, "team");
}

#[tokio::test]
async fn a_recorded_live_shape_with_undocumented_fields_decodes() {
    // `", "`/`": "` separators, raw UTF-8, fields no model documents, a lower-case duplicate of
    // `IsSupportCloudinit`, tags in both spellings, and no `SnapshotSet`.
    let out = describe(
        r#"{"Response": {"ImageSet": [{"ImageId": "img-8hq3k2ls", "OsName": "Ubuntu Server 20.04 LTS 64位", "ImageType": "PRIVATE_IMAGE", "CreatedTime": "2022-09-30T07:12:44Z", "ImageName": "自定义镜像-web", "ImageDescription": "", "ImageSize": 50, "Architecture": "x86_64", "ImageState": "NORMAL", "Platform": "Ubuntu", "ImageCreator": "200012345678", "ImageSource": "CREATE_IMAGE", "SyncPercent": null, "IsSupportCloudinit": true, "isSupportCloudinit": true, "_ImageClass": "", "CreatePercent": 100, "GPUDriverList": [], "ImageFormat": "qcow2", "Tags": [{"tagKey": "env", "tagValue": "prod", "Key": "env", "Value": "prod"}], "LicenseType": "TencentCloud"}], "TotalCount": 1, "RequestId": "a7d3c1e2-5b6f-4e8a-9c0d-1e2f3a4b5c6d"}}"#,
    )
    .await;
    let image = &out.images[0];
    assert_eq!(image.image_name, "自定义镜像-web");
    assert_eq!(image.image_type, ImageType::Private);
    assert_eq!(image.image_state, ImageState::Normal);
    assert!(image.is_support_cloudinit);
    assert!(image.snapshot_set.is_empty());
    assert_eq!(
        (image.tags[0].key.as_str(), image.tags[0].value.as_str()),
        ("env", "prod")
    );
    assert_eq!(image.sync_percent, None);
    assert_eq!(image.cdc_cache_status, None);
}

#[tokio::test]
async fn an_older_example_with_nulls_decodes() {
    let out = describe(
        r#"{"Response":{"TotalCount":1,"ImageSet":[{"ImageId":"img-9qabwvbn","OsName":"CentOS 7.6 64位",
        "ImageSize":50,"ImageType":"PUBLIC_IMAGE","CreatedTime":"2020-09-22T00:00:00+00:00",
        "ImageState":"NORMAL","ImageSource":"OFFICIAL","ImageName":"CentOS 7.6 64位",
        "ImageDescription":"CentOS 7.6 64位","ImageCreator":null,"SyncPercent":null,
        "IsSupportCloudinit":true,"Platform":"CentOS","Architecture":"x86_64","SnapshotSet":[],
        "Tags":[]}],"RequestId":"8b56af0b-f8ec-401e-9b80-30767ae4d432"}}"#,
    )
    .await;
    let image = &out.images[0];
    assert_eq!(image.image_creator, "");
    assert_eq!(image.license_type, "");
    assert_eq!(out.total_count, 1);
}

#[tokio::test]
async fn a_200_carrying_an_error_is_an_error_with_its_request_id() {
    let (_server, client) = client_answering(
        r#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"参数格式错误"},"RequestId":"e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"}}"#,
    )
    .await;
    let e = client.describe_images().send().await.unwrap_err();
    assert_eq!(e.code(), Some("InvalidParameter"));
    assert_eq!(e.message(), Some("参数格式错误"));
    assert_eq!(e.request_id(), Some("e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"));
}

#[tokio::test]
async fn an_error_without_a_message_or_request_id_is_still_an_error() {
    let (_server, client) = client_answering(
        r#"{"Response":{"Error":{"Code":"RequestLimitExceeded"},"RequestId":""}}"#,
    )
    .await;
    let e = client.describe_images().send().await.unwrap_err();
    assert_eq!(e.code(), Some("RequestLimitExceeded"));
    assert!(e.is_throttling());
}
