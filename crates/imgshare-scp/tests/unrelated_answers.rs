#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A 2xx answer that lacks what an operation's output requires (`{}`, an unrelated object) is an
//! unreadable response for every operation, never an empty list or a blank member: without the
//! `required` model fields, `{"hello":"world"}` read as "no members" and "no images".

use imgshare_core::{Credentials, Error, RetryConfig, SecretString};
use imgshare_scp::{Client, Config, MemberStatus, ScpError, Visibility};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const IMAGE: &str = "70a599e0-31e7-49b7-b260-868f441e862b";
const MEMBER: &str = "a8f10467abfc4b87b64614ab36eb9ae4";

async fn client_answering(body: &Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let config = Config::builder()
        .endpoint_url(server.uri())
        .credentials(
            Credentials::new(
                "b754b12b39da4ce29a40c5e324650bd0",
                SecretString::new("test-secret"),
                None,
                "test",
            )
            .unwrap(),
        )
        .account_id(MEMBER)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    (server, Client::new(config).unwrap())
}

fn ok<T>(r: Result<T, ScpError>) -> Result<(), ScpError> {
    r.map(|_| ())
}

fn assert_unreadable(op: &str, body: &Value, result: Result<(), ScpError>) {
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
        json!({"images": "none"}),
        json!({"members": [{"hello": "world"}]}),
    ] {
        let (_server, c) = client_answering(&body).await;
        let b = &body;
        assert_unreadable(
            "list_image_members",
            b,
            ok(c.list_image_members().image_id(IMAGE).send().await),
        );
        assert_unreadable(
            "create_image_member",
            b,
            ok(c.create_image_member()
                .image_id(IMAGE)
                .member_id(MEMBER)
                .send()
                .await),
        );
        assert_unreadable(
            "show_image_member",
            b,
            ok(c.show_image_member()
                .image_id(IMAGE)
                .member_id(MEMBER)
                .send()
                .await),
        );
        assert_unreadable(
            "update_image_member",
            b,
            ok(c.update_image_member()
                .image_id(IMAGE)
                .member_id(MEMBER)
                .status(MemberStatus::Accepted)
                .send()
                .await),
        );
        assert_unreadable(
            "list_pending_images",
            b,
            ok(c.list_pending_images().send().await),
        );
        assert_unreadable(
            "show_image",
            b,
            ok(c.show_image().image_id(IMAGE).send().await),
        );
        assert_unreadable(
            "update_image",
            b,
            ok(c.update_image()
                .image_id(IMAGE)
                .visibility(Visibility::Shared)
                .send()
                .await),
        );
        assert_unreadable("list_images", b, ok(c.list_images().send().await));
    }
}

#[tokio::test]
async fn operations_without_output_accept_an_empty_answer() {
    // Delete and share answer 204/202 with no body: nothing is required of it.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let config = Config::builder()
        .endpoint_url(server.uri())
        .credentials(
            Credentials::new(
                "b754b12b39da4ce29a40c5e324650bd0",
                SecretString::new("x"),
                None,
                "t",
            )
            .unwrap(),
        )
        .build()
        .unwrap();
    let c = Client::new(config).unwrap();
    c.delete_image_member()
        .image_id(IMAGE)
        .member_id(MEMBER)
        .send()
        .await
        .unwrap();
    c.create_sharing_image()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
}
