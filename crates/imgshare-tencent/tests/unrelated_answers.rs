#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A 2xx answer that lacks what an operation's output requires is an unreadable response for
//! every operation, never an empty page: without the `required` model fields,
//! `{"Response":{"hello":"world"}}` read as "no images" and "shared with nobody".

use imgshare_core::{Credentials, Error, RetryConfig, SecretString};
use imgshare_tencent::{Client, Config, TencentError};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const IMAGE: &str = "img-6pb6lrmy";

async fn client_answering(body: &Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let credentials = Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        SecretString::new("test-secret"),
        None,
        "test",
    )
    .unwrap();
    let config = Config::builder()
        .region("ap-guangzhou")
        .endpoint_url(server.uri())
        .credentials(credentials)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    (server, Client::new(config).unwrap())
}

fn ok<T>(r: Result<T, TencentError>) -> Result<(), TencentError> {
    r.map(|_| ())
}

fn assert_unreadable(op: &str, body: &Value, result: Result<(), TencentError>) {
    let error = result.expect_err(&format!("{op} accepted {body}"));
    assert!(
        matches!(error.into_core(), Error::Response(_)),
        "{op} answered {body}: not an unreadable response"
    );
}

#[tokio::test]
async fn every_operation_refuses_an_answer_without_its_required_fields() {
    for body in [
        json!({}),
        json!({"hello": "world"}),
        json!({"Response": {}}),
        json!({"Response": {"hello": "world"}}),
    ] {
        let (_server, c) = client_answering(&body).await;
        let b = &body;
        assert_unreadable(
            "share_image",
            b,
            ok(c.share_image()
                .image_id(IMAGE)
                .account_id("100000000002")
                .send()
                .await),
        );
        assert_unreadable(
            "unshare_image",
            b,
            ok(c.unshare_image()
                .image_id(IMAGE)
                .account_id("100000000002")
                .send()
                .await),
        );
        assert_unreadable(
            "describe_image_share_permission",
            b,
            ok(c.describe_image_share_permission()
                .image_id(IMAGE)
                .send()
                .await),
        );
        assert_unreadable("describe_images", b, ok(c.describe_images().send().await));
    }
}

#[tokio::test]
async fn listings_need_their_list_and_a_request_id_alone_is_not_a_page() {
    let body = json!({"Response": {"RequestId": "6c9e5d6e-1d4b-4bd9-9c0a-8b3f0c6c0d1e"}});
    let (_server, c) = client_answering(&body).await;
    assert_unreadable(
        "describe_image_share_permission",
        &body,
        ok(c.describe_image_share_permission()
            .image_id(IMAGE)
            .send()
            .await),
    );
    assert_unreadable(
        "describe_images",
        &body,
        ok(c.describe_images().send().await),
    );
    // Share and unshare answer only the request id: that is their whole documented output.
    c.share_image()
        .image_id(IMAGE)
        .account_id("100000000002")
        .send()
        .await
        .unwrap();
}
