#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Each operation against a scripted wiremock server: the exact request sent (method, path,
//! query, JSON body, the Scp-* headers and a signature recomputed from them, the pinned
//! `Scp-Api-Version` on every request), how SCP's bodies decode, every error shape (service
//! envelope, gateway 404/401, WAF 417, HTML pages), and the retry rules.
//!
//! Every server has a low-priority catch-all answering 599, so a request no mock was written for
//! fails loudly.

use std::time::Duration;

use imgshare_core::{Credentials, ErrorKind, ErrorOrigin, RetryConfig, SecretString};
use imgshare_scp::error::codes;
use imgshare_scp::{
    ApiVersion, Client, Config, ErrorMetadata, ImageStatus, MemberStatus, ScpError, ShareOutcome,
    Visibility,
};
use imgshare_testkit::scp::signature::{signing_string, verify};
use serde_json::{Value, json};
use time::macros::datetime;
use wiremock::matchers::{any, body_json, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const AK: &str = "b754b12b39da4ce29a40c5e324650bd0";
const SK: &str = "c4150149-f7c6-46bc-9faa-d2b9d20e0899";
const IMAGE: &str = "70a599e0-31e7-49b7-b260-868f441e862b";
const MEMBER: &str = "a8f10467abfc4b87b64614ab36eb9ae4";

// ---- helpers ---------------------------------------------------------------

fn fast_retry() -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn config(server: &MockServer) -> imgshare_scp::ConfigBuilder {
    Config::builder()
        .endpoint_url(server.uri())
        .credentials(Credentials::new(AK, SecretString::new(SK), None, "test").unwrap())
        .retry(fast_retry())
}

fn client(server: &MockServer) -> Client {
    Client::new(config(server).build().unwrap()).unwrap()
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(599).set_body_string("no mock matched"))
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}

fn member_json(status: &str) -> Value {
    json!({
        "created_at": "2025-07-22T09:00:00Z",
        "image_id": IMAGE,
        "member_id": MEMBER,
        "status": status,
        "updated_at": "2025-07-26T12:00:00Z"
    })
}

fn image_json(id: &str) -> Value {
    json!({
        "checksum": null, "container_format": "bare", "created_at": "2025-07-01T08:00:00Z",
        "disk_format": "qcow2", "file": format!("/v2/images/{id}/file"), "id": id,
        "min_disk": 0, "min_ram": 0, "name": "demo", "os_distro": "ubuntu",
        "os_hash_algo": null, "os_hash_value": null, "os_hidden": false,
        "owner": "f39c460fade34fecb05ede8f904b24b7", "owner_account_name": null,
        "owner_user_name": null, "protected": false, "root_device_name": null,
        "scp_image_type": "custom", "scp_k8s_version": null, "scp_original_image_type": "standard",
        "scp_os_build_version": null, "scp_os_version": "22.04", "size": 2361393152i64,
        "status": "active", "updated_at": "2025-07-01T08:00:00", "url": null,
        "virtual_size": null, "visibility": "shared", "volumes": null, "scp_gpu_driver": null
    })
}

fn ok_json(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

fn envelope(status: u16, code: &str, detail: Value) -> ResponseTemplate {
    ok_json(
        status,
        json!({"errors": [{
            "code": code, "title": code, "detail": detail, "status": status,
            "request_id": "req-b5a0acfb-486e-4efb-a867-50d4d6092897",
            "global_request_id": "req-99ff8cf9-950c-4028-9376-e522aee19666",
            "links": [], "related_resources": [], "response": null
        }]}),
    )
}

/// The envelope without `code` or `title`: how the fake answers what SCP documents by status
/// only (403, 404, 409), since no code for those was ever seen.
fn uncoded(status: u16, detail: &str) -> ResponseTemplate {
    ok_json(
        status,
        json!({"errors": [{
            "detail": detail, "status": status,
            "request_id": "req-b5a0acfb-486e-4efb-a867-50d4d6092897",
            "global_request_id": "req-99ff8cf9-950c-4028-9376-e522aee19666",
            "links": [], "related_resources": [], "response": null
        }]}),
    )
}

fn header<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
    r.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The URL as the client sent it: wiremock's `Request::url` has host `localhost`, so rebuild it
/// from the `Host` header and the request target.
fn sent_url(r: &Request) -> String {
    let mut url = format!("http://{}{}", header(r, "host").unwrap(), r.url.path());
    if let Some(q) = r.url.query() {
        url.push('?');
        url.push_str(q);
    }
    url
}

/// The SCP headers of one request, and its signature checked by the testkit's verifier.
fn assert_signed(r: &Request, version: &str, language: &str) {
    assert_eq!(
        header(r, "scp-api-version"),
        Some(version),
        "{} {}",
        r.method,
        r.url
    );
    assert_eq!(header(r, "accept-language"), Some(language));
    assert_eq!(header(r, "scp-clienttype"), Some("Openapi"));
    assert_eq!(header(r, "scp-accesskey"), Some(AK));
    assert_eq!(header(r, "accept"), Some("application/json"));
    assert_eq!(header(r, "scp-accountid"), None);
    let ts = header(r, "scp-timestamp").unwrap();
    assert!(
        ts.len() == 13 && ts.bytes().all(|b| b.is_ascii_digit()),
        "{ts}"
    );
    // Checked by the testkit's verifier, written from SCP's documentation, not by our signer.
    let message = signing_string(r.method.as_str(), &sent_url(r), ts, AK, None);
    assert!(
        verify(SK, &message, header(r, "scp-signature").unwrap_or("")),
        "signature of `{message}`: url {} host {:?}",
        r.url,
        header(r, "host")
    );
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

async fn assert_all_signed(server: &MockServer, version: &str) {
    let requests = received(server).await;
    assert!(!requests.is_empty());
    for r in &requests {
        assert_signed(r, version, "en-US");
    }
}

fn members_path() -> String {
    format!("/v1/images/{IMAGE}/members")
}

fn member_path() -> String {
    format!("/v1/images/{IMAGE}/members/{MEMBER}")
}

// ---- every operation -------------------------------------------------------

#[tokio::test]
async fn list_members_decodes_the_documented_example() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(members_path()))
        .respond_with(ok_json(200, json!({"members": [member_json("pending")]})))
        .expect(1)
        .mount(&server)
        .await;
    let out = client(&server)
        .list_image_members()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    assert_eq!(out.members.len(), 1);
    let m = &out.members[0];
    assert_eq!(m.member_id, MEMBER);
    assert_eq!(m.status, MemberStatus::Pending);
    let created = m.created_at.as_ref().map(|t| t.datetime());
    assert_eq!(created, Some(Ok(datetime!(2025-07-22 09:00:00 UTC))));
    let r = &received(&server).await[0];
    assert!(r.body.is_empty());
    assert_eq!(r.url.query(), None);
    assert_all_signed(&server, "virtualserver 1.3").await;
}

#[tokio::test]
async fn create_member_sends_only_member_id_and_answers_pending() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path(members_path()))
        .and(body_json(json!({"member_id": MEMBER})))
        .respond_with(ok_json(200, member_json("pending")))
        .expect(1)
        .mount(&server)
        .await;
    let m = client(&server)
        .create_image_member()
        .image_id(IMAGE)
        .member_id(MEMBER)
        .send()
        .await
        .unwrap();
    assert_eq!(m.status, MemberStatus::Pending);
    let r = &received(&server).await[0];
    assert_eq!(
        String::from_utf8_lossy(&r.body),
        format!(r#"{{"member_id":"{MEMBER}"}}"#)
    );
    assert_eq!(header(r, "content-type"), Some("application/json"));
    assert_all_signed(&server, "virtualserver 1.3").await;
}

#[tokio::test]
async fn show_update_delete_member() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(member_path()))
        .respond_with(ok_json(200, member_json("accepted")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(member_path()))
        .and(body_json(json!({"status": "rejected"})))
        .respond_with(ok_json(200, member_json("rejected")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(member_path()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let shown = c
        .show_image_member()
        .image_id(IMAGE)
        .member_id(MEMBER)
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status, MemberStatus::Accepted);
    let updated = c
        .update_image_member()
        .image_id(IMAGE)
        .member_id(MEMBER)
        .status(MemberStatus::Rejected)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.status, MemberStatus::Rejected);
    let () = c
        .delete_image_member()
        .image_id(IMAGE)
        .member_id(MEMBER)
        .send()
        .await
        .unwrap();
    assert_all_signed(&server, "virtualserver 1.3").await;
}

#[tokio::test]
async fn images_show_update_pending_and_sharing_image() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/images/{IMAGE}")))
        .respond_with(ok_json(200, image_json(IMAGE)))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("/v1/images/{IMAGE}")))
        .and(body_json(json!({"visibility": "shared"})))
        .respond_with(ok_json(200, image_json(IMAGE)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/pending-images"))
        .and(query_param("scp_image_type", "custom"))
        .respond_with(ok_json(200, json!({"images": [image_json(IMAGE)]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/images/{IMAGE}/share")))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let image = c.show_image().image_id(IMAGE).send().await.unwrap();
    assert_eq!(image.visibility, Visibility::Shared);
    assert_eq!(image.status, ImageStatus::Active);
    assert_eq!(image.size, Some(2_361_393_152));
    assert_eq!(image.checksum, None);
    // A zone-less timestamp is read as UTC.
    let updated = image.updated_at.as_ref().map(|t| t.datetime());
    assert_eq!(updated, Some(Ok(datetime!(2025-07-01 08:00:00 UTC))));
    assert_eq!(image.updated_at.unwrap().as_str(), "2025-07-01T08:00:00");
    c.update_image()
        .image_id(IMAGE)
        .visibility(Visibility::Shared)
        .send()
        .await
        .unwrap();
    let pending = c
        .list_pending_images()
        .scp_image_type("custom")
        .send()
        .await
        .unwrap();
    assert_eq!(pending.images[0].id, IMAGE);
    let () = c
        .create_sharing_image()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    let requests = received(&server).await;
    let share = requests
        .iter()
        .find(|r| r.url.path().ends_with("/share"))
        .unwrap();
    assert!(share.body.is_empty());
    assert_eq!(header(share, "content-type"), None);
    assert_all_signed(&server, "virtualserver 1.3").await;
}

fn page(ids: &[&str]) -> ResponseTemplate {
    ok_json(
        200,
        json!({"images": ids.iter().map(|i| image_json(i)).collect::<Vec<_>>()}),
    )
}

#[tokio::test]
async fn list_images_pages_with_limit_and_marker() {
    let ids: Vec<String> = (1..=5)
        .map(|n| format!("00000000-0000-4000-8000-00000000000{n}"))
        .collect();
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/images"))
        .and(query_param("limit", "2"))
        .and(query_param("visibility", "shared"))
        .respond_with(move |r: &Request| {
            let marker = r
                .url
                .query_pairs()
                .find(|(k, _)| k == "marker")
                .map(|(_, v)| v.into_owned());
            match marker.as_deref() {
                None => page(&[
                    "00000000-0000-4000-8000-000000000001",
                    "00000000-0000-4000-8000-000000000002",
                ]),
                Some("00000000-0000-4000-8000-000000000002") => page(&[
                    "00000000-0000-4000-8000-000000000003",
                    "00000000-0000-4000-8000-000000000004",
                ]),
                Some("00000000-0000-4000-8000-000000000004") => {
                    page(&["00000000-0000-4000-8000-000000000005"])
                }
                _ => ResponseTemplate::new(400),
            }
        })
        .expect(3)
        .mount(&server)
        .await;
    let all = client(&server)
        .list_images()
        .limit(2)
        .visibility(Visibility::Shared)
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    let got: Vec<&str> = all.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>());
    let requests = received(&server).await;
    assert_eq!(requests[0].url.query(), Some("limit=2&visibility=shared"));
    assert_eq!(
        requests[1].url.query(),
        Some("limit=2&marker=00000000-0000-4000-8000-000000000002&visibility=shared")
    );
    assert_all_signed(&server, "virtualserver 1.3").await;
}

#[tokio::test]
async fn list_images_paginator_stops_when_the_marker_does_not_move() {
    // A server that ignores `marker` answers the same full page forever: the paginator must see
    // the repeated marker and stop, not loop.
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/images"))
        .respond_with(page(&[
            "00000000-0000-4000-8000-000000000001",
            "00000000-0000-4000-8000-000000000002",
        ]))
        .expect(2)
        .mount(&server)
        .await;
    let all = client(&server)
        .list_images()
        .limit(2)
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
}

// ---- version pinning, language, account id ---------------------------------

#[tokio::test]
async fn version_1_2_and_korean_are_sent_when_chosen() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(members_path()))
        .respond_with(ok_json(200, json!({"members": []})))
        .mount(&server)
        .await;
    let c = Client::new(
        config(&server)
            .api_version(ApiVersion::V1_2)
            .language("ko-KR")
            .build()
            .unwrap(),
    )
    .unwrap();
    c.list_image_members().image_id(IMAGE).send().await.unwrap();
    let r = &received(&server).await[0];
    assert_signed(r, "virtualserver 1.2", "ko-KR");
}

#[tokio::test]
async fn retired_versions_are_refused_before_anything_is_sent() {
    for old in ["1.1", "1.0"] {
        let err = ApiVersion::parse(old).unwrap_err();
        assert_eq!(err.field(), "api_version");
        assert!(err.to_string().contains("no longer serves"), "{err}");
    }
}

#[tokio::test]
async fn signed_account_id_is_sent_as_scp_accountid() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(members_path()))
        .respond_with(ok_json(200, json!({"members": []})))
        .mount(&server)
        .await;
    let account = "f39c460fade34fecb05ede8f904b24b7";
    let c = Client::new(
        config(&server)
            .account_id(account)
            .sign_account_id(true)
            .build()
            .unwrap(),
    )
    .unwrap();
    c.list_image_members().image_id(IMAGE).send().await.unwrap();
    let r = &received(&server).await[0];
    assert_eq!(header(r, "scp-accountid"), Some(account));
    let ts = header(r, "scp-timestamp").unwrap();
    let message = signing_string("GET", &sent_url(r), ts, AK, Some(account));
    assert!(verify(
        SK,
        &message,
        header(r, "scp-signature").unwrap_or("")
    ));
}

// ---- validation ------------------------------------------------------------

#[tokio::test]
async fn bad_ids_are_rejected_before_sending() {
    let server = server().await;
    let c = client(&server);
    let e = c
        .list_image_members()
        .image_id("../../v1/pending-images")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.invalid_input().unwrap().field(), "image_id");
    let e = c
        .create_image_member()
        .image_id(IMAGE)
        .member_id("a/b")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.invalid_input().unwrap().field(), "member_id");
    let e = c
        .create_image_member()
        .image_id(IMAGE)
        .member_id("x".repeat(65))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.invalid_input().unwrap().field(), "member_id");
    let e = c
        .update_image()
        .image_id(IMAGE)
        .visibility(Visibility::Public)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.invalid_input().unwrap().field(), "visibility");
    let e = c
        .update_image_member()
        .image_id(IMAGE)
        .member_id(MEMBER)
        .status("approved")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.invalid_input().unwrap().field(), "status");
    let e = c.list_images().limit(1001).send().await.unwrap_err();
    assert_eq!(e.invalid_input().unwrap().field(), "limit");
    let e = c.accept_share(IMAGE).await.unwrap_err();
    assert_eq!(e.invalid_input().unwrap().field(), "account_id");
    assert!(received(&server).await.is_empty());
}

// ---- error shapes ----------------------------------------------------------

async fn fail_with(response: ResponseTemplate) -> (ScpError, usize) {
    let server = server().await;
    Mock::given(any())
        .respond_with(response)
        .with_priority(1)
        .mount(&server)
        .await;
    let e = client(&server)
        .create_image_member()
        .image_id(IMAGE)
        .member_id(MEMBER)
        .send()
        .await
        .unwrap_err();
    (e, received(&server).await.len())
}

#[tokio::test]
async fn service_envelope_with_detail_list() {
    let (e, _) = fail_with(envelope(
        400,
        "ValidationError",
        json!(["Field \"member_id\" is invalid.", "second line"]),
    ))
    .await;
    assert!(e.is_validation_error());
    assert_eq!(e.code(), Some("ValidationError"));
    assert_eq!(
        e.request_id(),
        Some("req-b5a0acfb-486e-4efb-a867-50d4d6092897")
    );
    assert_eq!(
        e.global_request_id(),
        Some("req-99ff8cf9-950c-4028-9376-e522aee19666")
    );
    assert_eq!(
        e.detail_lines(),
        vec!["Field \"member_id\" is invalid.", "second line"]
    );
    let s = e.service_error().unwrap();
    assert_eq!(s.origin(), ErrorOrigin::Api);
    assert_eq!(s.detail("title"), Some("ValidationError"));
    let text = e.to_string();
    assert!(text.contains("ValidationError"), "{text}");
    assert!(text.contains("member_id"), "{text}");
    assert!(text.contains("req-b5a0acfb"), "{text}");
}

#[tokio::test]
async fn service_envelope_with_detail_string_500_is_not_retried_for_a_post() {
    let (e, count) = fail_with(envelope(
        500,
        "ContactAdminForAssistance",
        json!("There was a problem processing your request.\nContact us."),
    ))
    .await;
    assert_eq!(e.code(), Some(codes::CONTACT_ADMIN));
    assert_eq!(e.kind(), Some(ErrorKind::Server));
    assert_eq!(e.detail_lines().len(), 1);
    assert_eq!(count, 1, "a POST is not repeated after a 500");
}

#[tokio::test]
async fn gateway_404_says_authentication_headers_were_missing_or_refused() {
    let (e, _) = fail_with(ok_json(
        404,
        json!({"timestamp":"2026-06-05T04:43:54.505+00:00","path":"/v1/volume-types",
               "status":404,"error":"Not Found","requestId":"e2dcbc11-53724"}),
    ))
    .await;
    assert!(e.is_gateway());
    assert!(e.is_auth_failure());
    assert!(
        !e.is_not_found(),
        "the gateway's 404 is not 'image not found'"
    );
    assert_eq!(e.code(), Some(codes::GATEWAY_NOT_FOUND));
    assert_eq!(e.request_id(), Some("e2dcbc11-53724"));
    let text = e.to_string();
    assert!(
        text.contains("authentication headers are missing or refused"),
        "{text}"
    );
}

#[tokio::test]
async fn gateway_401_hmac_valid_fail_json_and_text() {
    let (e, count) = fail_with(ok_json(
        401,
        json!({"status":"UNAUTHORIZED","name":"Request was rejected by gateway",
               "message":"HmacValidFail : signature mismatch"}),
    ))
    .await;
    assert_eq!(count, 1);
    assert!(e.is_signature_failure() && e.is_auth_failure() && e.is_gateway());
    assert!(
        e.to_string()
            .contains("hint: the gateway refused the signature"),
        "{e}"
    );
    let (e, _) = fail_with(ResponseTemplate::new(401).set_body_string("HmacValidFail")).await;
    assert!(e.is_signature_failure() && e.is_gateway());
    let (e, _) = fail_with(ok_json(
        401,
        json!({"status":"UNAUTHORIZED","name":"Request was rejected by gateway",
               "message":"Service Account catalog has not target's endpoint. target : scp-virtualserver_hmac"}),
    ))
    .await;
    assert_eq!(e.code(), Some(codes::GATEWAY_REJECTED));
    assert!(e.is_auth_failure());
}

#[tokio::test]
async fn waf_417_and_html_pages() {
    let (e, _) = fail_with(
        ResponseTemplate::new(417).set_body_raw(
            "<html><head><title>Request Rejected</title></head><body>Your request was blocked.<br>Your Support ID is: 1234567890</body></html>",
            "text/html",
        ),
    )
    .await;
    assert!(e.is_waf_blocked() && e.is_gateway());
    assert_eq!(
        e.service_error().unwrap().detail("support_id"),
        Some("1234567890")
    );
    assert!(!e.is_retryable());

    let server = server().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_raw(
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            "text/html",
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    let e = client(&server)
        .show_image()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap_err();
    assert!(e.is_transport(), "{e}");
    assert_eq!(e.http_status(), Some(502));
    assert_eq!(received(&server).await.len(), 3, "reads are retried on 502");
}

#[tokio::test]
async fn pydantic_400_and_unknown_json() {
    let (e, _) = fail_with(ok_json(
        400,
        json!([{"loc": ["body", "member_id"], "msg": "field required", "type_": "value_error.missing"}]),
    ))
    .await;
    assert_eq!(e.code(), Some(codes::REQUEST_VALIDATION));
    assert_eq!(e.detail_lines(), vec!["body.member_id: field required"]);
    let (e, _) = fail_with(ok_json(400, json!({"weird": true}))).await;
    assert!(e.is_transport());
    let (e, _) = fail_with(uncoded(400, "virtualserver 9.9 is an Unsupported version.")).await;
    assert!(e.is_version_unsupported());
}

#[tokio::test]
async fn service_404_is_not_found() {
    let server = server().await;
    Mock::given(any())
        .respond_with(uncoded(404, "Image could not be found."))
        .with_priority(1)
        .mount(&server)
        .await;
    let e = client(&server)
        .show_image()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap_err();
    assert!(e.is_not_found() && !e.is_auth_failure() && !e.is_gateway());
    assert_eq!(received(&server).await.len(), 1, "a 404 is not retried");
}

// ---- retries -----------------------------------------------------------------

#[tokio::test]
async fn reads_retry_503_and_throttling_then_succeed() {
    let server = server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("503 upstream"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(uncoded(429, "slow down"))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(members_path()))
        .respond_with(ok_json(200, json!({"members": []})))
        .with_priority(3)
        .mount(&server)
        .await;
    client(&server)
        .list_image_members()
        .image_id(IMAGE)
        .send()
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    // Each attempt is signed afresh and carries the pinned version.
    assert_all_signed(&server, "virtualserver 1.3").await;
}

#[tokio::test]
async fn add_member_is_retried_on_throttling_but_not_after_502() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(uncoded(429, "slow down"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .with_priority(2)
        .mount(&server)
        .await;
    let e = client(&server)
        .create_image_member()
        .image_id(IMAGE)
        .member_id(MEMBER)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.http_status(), Some(502));
    assert_eq!(
        received(&server).await.len(),
        2,
        "429 retried once, 502 not"
    );
}

#[tokio::test]
async fn share_after_an_ambiguous_failure_reports_already_a_member() {
    let server = server().await;
    // First add: applied server-side, but the answer is a 504.
    Mock::given(method("POST"))
        .and(path(members_path()))
        .respond_with(ResponseTemplate::new(504).set_body_string("gateway timeout"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(members_path()))
        .respond_with(uncoded(409, "already exists"))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(member_path()))
        .respond_with(ok_json(200, member_json("pending")))
        .mount(&server)
        .await;
    let c = client(&server);
    let e = c.share(IMAGE, MEMBER).await.unwrap_err();
    assert!(e.is_transient(), "{e}");
    assert_eq!(received(&server).await.len(), 1, "the POST is not repeated");
    let outcome = c.share(IMAGE, MEMBER).await.unwrap();
    assert!(matches!(outcome, ShareOutcome::AlreadyMember(_)));
    assert!(!outcome.is_newly_added());
    assert_eq!(outcome.member().member_id, MEMBER);
    let methods: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["POST", "POST", "GET"]);
}

#[tokio::test]
async fn share_409_without_a_member_returns_the_409() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(uncoded(409, "conflict"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(uncoded(404, "no such member"))
        .mount(&server)
        .await;
    let e = client(&server).share(IMAGE, MEMBER).await.unwrap_err();
    assert!(e.is_already_member());
    assert_eq!(e.http_status(), Some(409));
}

#[tokio::test]
async fn share_adds_a_new_member() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(ok_json(200, member_json("pending")))
        .mount(&server)
        .await;
    let outcome = client(&server).share(IMAGE, MEMBER).await.unwrap();
    assert!(outcome.is_newly_added());
}

// ---- recipient flow ----------------------------------------------------------

#[tokio::test]
async fn recipient_lists_pending_and_accepts_with_its_own_account_id() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/pending-images"))
        .respond_with(ok_json(200, json!({"images": [image_json(IMAGE)]})))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(member_path()))
        .and(body_json(json!({"status": "accepted"})))
        .respond_with(ok_json(200, member_json("accepted")))
        .expect(1)
        .mount(&server)
        .await;
    let recipient = Client::new(config(&server).account_id(MEMBER).build().unwrap()).unwrap();
    let pending = recipient.list_pending_images().send().await.unwrap();
    let m = recipient.accept_share(&pending.images[0].id).await.unwrap();
    assert_eq!(m.status, MemberStatus::Accepted);
    assert_all_signed(&server, "virtualserver 1.3").await;
}

// ---- redaction ---------------------------------------------------------------

#[tokio::test]
async fn secrets_never_show() {
    let server = server().await;
    let config = config(&server).build().unwrap();
    let creds = Credentials::new(AK, SecretString::new(SK), None, "test").unwrap();
    for text in [
        format!("{config:?}"),
        format!("{creds:?}"),
        format!("{:?}", Client::new(config.clone()).unwrap()),
    ] {
        assert!(!text.contains(SK), "{text}");
    }
    let (e, _) = fail_with(ok_json(
        401,
        json!({"status":"UNAUTHORIZED","name":"x","message":"HmacValidFail"}),
    ))
    .await;
    for text in [format!("{e}"), format!("{e:?}")] {
        assert!(!text.contains(SK), "{text}");
    }
}
