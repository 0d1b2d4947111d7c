#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The bodies we came from, decoded into this crate's public types through the real client:
//! SCP's documented `listImageMembers` response example verbatim, and our own bodies of the
//! shapes SCP documents or was seen to send (the add member example as the stored page prints
//! it, an image with a JSON-encoded `volumes` string, a member whose time and status are odd, the
//! service envelope with `detail` as a list and as a string, the status-only 403 and 409 of
//! the member calls, the gateway's Spring-style 404 and its rejection).

use imgshare_core::{Credentials, ErrorOrigin, RetryConfig, SecretString};
use imgshare_scp::error::codes;
use imgshare_scp::types::ListImageMembersOutput;
use imgshare_scp::{
    Client, Config, ErrorMetadata, ImageStatus, MemberStatus, ScpError, Visibility,
};
use serde_json::json;
use time::macros::datetime;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const IMAGE: &str = "70a599e0-31e7-49b7-b260-868f441e862b";
const MEMBER: &str = "a8f10467abfc4b87b64614ab36eb9ae4";

/// The documented `listImageMembers` response example (1.0 to 1.3), verbatim.
const SEED_LIST_MEMBERS: &str = r##"{
"members": [
{
"created_at": "2025-07-22T09:00:00Z",
"image_id": "70a599e0-31e7-49b7-b260-868f441e862b",
"member_id": "a8f10467abfc4b87b64614ab36eb9ae4",
"status": "pending",
"updated_at": "2025-07-26T12:00:00Z"
}
]
}"##;

async fn client_answering(status: u16, body: &str, content_type: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .mount(&server)
        .await;
    let credentials = Credentials::new(
        "b754b12b39da4ce29a40c5e324650bd0",
        SecretString::new("c4150149-f7c6-46bc-9faa-d2b9d20e0899"),
        None,
        "test",
    )
    .unwrap();
    let config = Config::builder()
        .endpoint_url(server.uri())
        .credentials(credentials)
        .retry(RetryConfig::standard().with_max_attempts(1))
        .build()
        .unwrap();
    (server, Client::new(config).unwrap())
}

const JSON: &str = "application/json";

/// `listImageMembers` answered with `status` and `body`.
async fn list_members(status: u16, body: &str) -> Result<ListImageMembersOutput, ScpError> {
    let (_server, client) = client_answering(status, body, JSON).await;
    client.list_image_members().image_id(IMAGE).send().await
}

#[tokio::test]
async fn the_documented_member_list_decodes_verbatim() {
    let out = list_members(200, SEED_LIST_MEMBERS).await.unwrap();
    let m = &out.members[0];
    assert_eq!((m.image_id.as_str(), m.member_id.as_str()), (IMAGE, MEMBER));
    assert_eq!(m.status, MemberStatus::Pending);
    let created = m.created_at.as_ref().unwrap();
    assert_eq!(created.as_str(), "2025-07-22T09:00:00Z");
    assert_eq!(created.datetime(), Ok(datetime!(2025-07-22 09:00:00 UTC)));
    let updated = m.updated_at.as_ref().unwrap().datetime();
    assert_eq!(updated, Ok(datetime!(2025-07-26 12:00:00 UTC)));
}

#[tokio::test]
async fn the_add_member_example_as_printed_decodes() {
    // The stored page lost the indentation; the tokens are the documented ones.
    let body = "{\n\"created_at\": \"2025-07-22T09:00:00Z\",\n\"image_id\": \"70a599e0-31e7-49b7-b260-868f441e862b\",\n\"member_id\": \"a8f10467abfc4b87b64614ab36eb9ae4\",\n\"status\": \"pending\",\n\"updated_at\": \"2025-07-26T12:00:00Z\"\n}";
    let (_server, client) = client_answering(200, body, JSON).await;
    let outcome = client.share(IMAGE, MEMBER).await.unwrap();
    assert!(outcome.is_newly_added());
    assert_eq!(outcome.member().status, MemberStatus::Pending);
}

// Catches: an unreadable member time silently becoming `None`, and a missing status read as
// `pending`.
#[tokio::test]
async fn an_odd_member_keeps_what_was_sent() {
    let body = r#"{"members":[{"created_at":"2025/07/22 09:00","image_id":"70a599e0-31e7-49b7-b260-868f441e862b","member_id":"a8f10467abfc4b87b64614ab36eb9ae4","updated_at":null}]}"#;
    let out = list_members(200, body).await.unwrap();
    let m = &out.members[0];
    assert_eq!(m.status, MemberStatus::Unknown(String::new()));
    let created = m.created_at.as_ref().unwrap();
    assert_eq!(created.as_str(), "2025/07/22 09:00");
    let e = created.datetime().unwrap_err();
    assert!(
        e.to_string().contains("\"2025/07/22 09:00\" is not a time"),
        "{e}"
    );
    assert_eq!(m.updated_at, None);
}

#[tokio::test]
async fn an_image_keeps_its_undocumented_volumes_as_sent() {
    // `volumes` arrives as a JSON-encoded string; nullable fields are null; 1.2 adds
    // `scp_gpu_driver`; the time has no zone.
    let volumes = r#"[{"id": "4b1c2d3e-0000-4000-8000-000000000001", "size": 100}]"#;
    let body = json!({
        "checksum": null, "container_format": "bare", "created_at": "2025-07-01T08:00:00",
        "disk_format": "qcow2", "file": format!("/v2/images/{IMAGE}/file"), "id": IMAGE,
        "min_disk": 100, "min_ram": 0, "name": "web-base", "os_distro": "ubuntu",
        "os_hidden": false, "owner": MEMBER, "protected": false, "scp_gpu_driver": null,
        "scp_image_type": "custom", "scp_original_image_type": "server", "size": null,
        "status": "active", "updated_at": "2025-07-01T08:00:00", "url": null,
        "virtual_size": null, "visibility": "shared", "volumes": volumes,
    })
    .to_string();
    let (_server, client) = client_answering(200, &body, JSON).await;
    let image = client.show_image().image_id(IMAGE).send().await.unwrap();
    assert_eq!(image.visibility, Visibility::Shared);
    assert_eq!(image.status, ImageStatus::Active);
    assert_eq!(image.volumes, Some(json!(volumes)));
    let created = image.created_at.as_ref().unwrap();
    assert_eq!(created.as_str(), "2025-07-01T08:00:00");
    assert_eq!(created.datetime(), Ok(datetime!(2025-07-01 08:00:00 UTC)));
}

#[tokio::test]
async fn the_service_envelope_keeps_detail_and_request_ids() {
    let listed = r#"{"errors":[{"code":"ValidationError","detail":["Field \"member_id\" is invalid. The value should be 1 characters or longer, 64 characters or shorter, in ^[A-Za-z0-9-]*$ format."],"global_request_id":"req-99ff8cf9-950c-4028-9376-e522aee19666","links":[],"related_resources":[],"request_id":"req-b5a0acfb-486e-4efb-a867-50d4d6092897","response":null,"status":400,"title":"ValidationError"}]}"#;
    let e = list_members(400, listed).await.unwrap_err();
    assert!(e.is_validation_error());
    assert_eq!(
        e.request_id(),
        Some("req-b5a0acfb-486e-4efb-a867-50d4d6092897")
    );
    assert_eq!(
        e.global_request_id(),
        Some("req-99ff8cf9-950c-4028-9376-e522aee19666")
    );
    assert_eq!(e.detail_lines().len(), 1);

    let text = r#"{"errors":[{"code":"ContactAdminForAssistance","detail":"There was a problem processing your request.\nContact us through Support Center > Contact Us.","global_request_id":"req-1b2c","links":[],"related_resources":[],"request_id":"req-3d4e","response":null,"status":500,"title":"ContactAdminForAssistance"}]}"#;
    let e = list_members(500, text).await.unwrap_err();
    assert_eq!(e.code(), Some(codes::CONTACT_ADMIN));
    assert!(e.message().unwrap().starts_with("There was a problem"));
}

// Catches: the status-only answers SCP documents for the member calls (no code) missing the
// predicates that key on their status.
#[tokio::test]
async fn the_documented_status_only_answers() {
    type Predicate = fn(&ScpError) -> bool;
    let predicates: [(u16, Predicate); 3] = [
        (403, ScpError::is_forbidden),
        (404, ScpError::is_not_found),
        (409, ScpError::is_already_member),
    ];
    for (status, answers) in predicates {
        let body = format!(
            r#"{{"errors":[{{"detail":"refused","global_request_id":"req-5","links":[],"related_resources":[],"request_id":"req-6","response":null,"status":{status}}}]}}"#
        );
        let (_server, client) = client_answering(status, &body, JSON).await;
        let e = client
            .create_image_member()
            .image_id(IMAGE)
            .member_id(MEMBER)
            .send()
            .await
            .unwrap_err();
        assert!(answers(&e), "{status}: {e}");
        assert_eq!(e.request_id(), Some("req-6"));
        assert_eq!(e.http_status(), Some(status));
    }
}

#[tokio::test]
async fn the_gateways_own_answers() {
    let spring = r#"{"timestamp":"2026-06-05T04:43:54.505+00:00","path":"/v1/images/70a599e0-31e7-49b7-b260-868f441e862b/members","status":404,"error":"Not Found","requestId":"e2dcbc11-53724"}"#;
    let e = list_members(404, spring).await.unwrap_err();
    assert!(e.is_auth_failure() && !e.is_not_found(), "{e}");
    assert_eq!(e.request_id(), Some("e2dcbc11-53724"));

    let rejected = r#"{"status":"UNAUTHORIZED","name":"Request was rejected by gateway","message":"Service Account catalog has not target's endpoint. target : scp-virtualserver_hmac"}"#;
    let e = list_members(401, rejected).await.unwrap_err();
    assert_eq!(e.code(), Some(codes::GATEWAY_REJECTED));
    assert!(e.is_auth_failure());
    assert!(e.service_error().unwrap().origin() == ErrorOrigin::Gateway);
}
