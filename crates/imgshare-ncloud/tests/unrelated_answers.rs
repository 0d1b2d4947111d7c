#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A 2xx answer that lacks what an operation's output requires is an unreadable response for
//! every operation, never an empty list: without the `required` model fields,
//! `{"getServerImageListResponse":{"hello":"world"}}` read as "no images".

use imgshare_core::{Credentials, Error, RetryConfig, SecretString};
use imgshare_ncloud::{Client, Config, NcloudError, ResponseFormat};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client_answering(body: &str, format: ResponseFormat) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let content_type = match format {
        ResponseFormat::Xml => "application/xml;charset=UTF-8",
        _ => "application/json;charset=UTF-8",
    };
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_owned(), content_type))
        .mount(&server)
        .await;
    let credentials = Credentials::new(
        "TestAccessKey",
        SecretString::new("test-secret"),
        None,
        "test",
    )
    .unwrap();
    let config = Config::builder()
        .endpoint_url(server.uri())
        .region_code("KR")
        .response_format(format)
        .credentials(credentials)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    (server, Client::new(config).unwrap())
}

fn ok<T>(r: Result<T, NcloudError>) -> Result<(), NcloudError> {
    r.map(|_| ())
}

fn assert_unreadable(op: &str, body: &str, result: Result<(), NcloudError>) {
    let error = result.expect_err(&format!("{op} accepted {body}"));
    let core = error.into_core();
    assert!(
        matches!(core, Error::Response(_)),
        "{op} answered {body}: not an unreadable response but {core}"
    );
}

async fn every_operation(body: &str, format: ResponseFormat) {
    let (_server, c) = client_answering(body, format).await;
    let b = body;
    let login = "test-user@naver.com";
    assert_unreadable(
        "add_server_image_sharing_permission",
        b,
        ok(c.add_server_image_sharing_permission()
            .server_image_no("10000001")
            .target_login_id(login)
            .send()
            .await),
    );
    assert_unreadable(
        "remove_server_image_sharing_permission",
        b,
        ok(c.remove_server_image_sharing_permission()
            .server_image_no("10000001")
            .target_login_id(login)
            .send()
            .await),
    );
    assert_unreadable(
        "get_server_image_list",
        b,
        ok(c.get_server_image_list().send().await),
    );
    assert_unreadable(
        "get_server_image_detail",
        b,
        ok(c.get_server_image_detail()
            .server_image_no("10000001")
            .send()
            .await),
    );
    assert_unreadable(
        "add_member_server_image_sharing_permission",
        b,
        ok(c.add_member_server_image_sharing_permission()
            .member_server_image_instance_no("10000002")
            .target_login_id(login)
            .send()
            .await),
    );
    assert_unreadable(
        "remove_member_server_image_sharing_permission",
        b,
        ok(c.remove_member_server_image_sharing_permission()
            .member_server_image_instance_no("10000002")
            .target_login_id(login)
            .send()
            .await),
    );
    assert_unreadable(
        "set_member_server_image_sharing_permission",
        b,
        ok(c.set_member_server_image_sharing_permission()
            .member_server_image_instance_no("10000002")
            .target_login_id(login)
            .send()
            .await),
    );
    assert_unreadable(
        "get_member_server_image_instance_list",
        b,
        ok(c.get_member_server_image_instance_list().send().await),
    );
    assert_unreadable(
        "get_member_server_image_instance_detail",
        b,
        ok(c.get_member_server_image_instance_detail()
            .member_server_image_instance_no("10000002")
            .send()
            .await),
    );
    assert_unreadable(
        "classic_add_member_server_image_sharing_permission",
        b,
        ok(c.classic_add_member_server_image_sharing_permission()
            .member_server_image_no("20000001")
            .target_login_id(login)
            .send()
            .await),
    );
    assert_unreadable(
        "classic_remove_member_server_image_sharing_permission",
        b,
        ok(c.classic_remove_member_server_image_sharing_permission()
            .member_server_image_no("20000001")
            .target_login_id(login)
            .send()
            .await),
    );
    assert_unreadable(
        "classic_set_member_server_image_sharing_permission",
        b,
        ok(c.classic_set_member_server_image_sharing_permission()
            .member_server_image_no("20000001")
            .target_login_id(login)
            .send()
            .await),
    );
    assert_unreadable(
        "classic_get_member_server_image_list",
        b,
        ok(c.classic_get_member_server_image_list().send().await),
    );
}

#[tokio::test]
async fn every_operation_refuses_an_answer_without_its_required_fields() {
    for body in [
        "{}",
        r#"{"hello":"world"}"#,
        r#"{"anyResponse":{}}"#,
        r#"{"anyResponse":{"hello":"world"}}"#,
        r#"{"anyResponse":{"requestId":"r","returnCode":"0","returnMessage":"success"}}"#,
    ] {
        every_operation(body, ResponseFormat::Json).await;
    }
    for body in [
        "<anyResponse/>",
        "<anyResponse><hello>world</hello></anyResponse>",
        "<anyResponse><returnCode>0</returnCode><totalRows>0</totalRows></anyResponse>",
    ] {
        every_operation(body, ResponseFormat::Xml).await;
    }
}
