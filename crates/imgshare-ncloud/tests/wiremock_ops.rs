#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Each operation against a scripted wiremock server: the exact request we send (method, path,
//! signature headers over the request-target, form body) and how raw NCP bodies
//! (tests/fixtures/<name>.json|xml, from seeds 000–002) decode in both formats, plus every error
//! envelope, retries, validation and redaction.
//!
//! Every server has a low-priority catch-all that answers 599, so a request no mock was written
//! for fails the test loudly.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use imgshare_core::sign::ncp;
use imgshare_core::{Credentials, ErrorKind, ErrorOrigin, FixedClock, RetryConfig, SecretString};
use imgshare_ncloud::credentials::ServerRoleProvider;
use imgshare_ncloud::types::{
    BlockStorageVolumeType, DiskType, ImageOperation, PlatformCategory, PlatformType,
};
use imgshare_ncloud::{
    Client, Config, ErrorMetadata, HypervisorType, ImageStatus, NcloudError, ResponseFormat,
    ShareStatus,
};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ACCESS_KEY: &str = "TestAccessKey";
const SECRET_KEY: &str = "TestSecretKey-do-not-print";
const NOW_MS: u64 = 1_234_567_890_123;

fn fast_retry() -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn fixture(name: &str) -> Vec<u8> {
    let file = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&file).unwrap_or_else(|e| panic!("fixture {file}: {e}"))
}

fn content_type(name: &str) -> &'static str {
    if name.ends_with(".xml") {
        "application/xml;charset=UTF-8"
    } else {
        "application/json;charset=UTF-8"
    }
}

fn reply(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), content_type(name))
}

async fn new_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(599))
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}

fn client_for(server: &MockServer, format: ResponseFormat) -> Client {
    let credentials =
        Credentials::new(ACCESS_KEY, SecretString::new(SECRET_KEY), None, "test").unwrap();
    Client::new(
        Config::builder()
            .endpoint_url(server.uri())
            .region_code("KR")
            .response_format(format)
            .credentials(credentials)
            .retry(fast_retry())
            .clock(Arc::new(FixedClock(
                UNIX_EPOCH + Duration::from_millis(NOW_MS),
            )))
            .build()
            .unwrap(),
    )
    .unwrap()
}

async fn mount(server: &MockServer, action_path: &str, template: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(action_path))
        .respond_with(template)
        .mount(server)
        .await;
}

fn form(request: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

fn header<'a>(request: &'a Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_else(|| panic!("no {name} header"))
}

/// The three signature headers, checked against the request-target as received.
fn assert_signed(request: &Request) {
    let target = match request.url.query() {
        Some(q) => format!("{}?{q}", request.url.path()),
        None => request.url.path().to_owned(),
    };
    let ts = header(request, ncp::TIMESTAMP_HEADER);
    assert_eq!(ts, NOW_MS.to_string());
    assert_eq!(header(request, ncp::ACCESS_KEY_HEADER), ACCESS_KEY);
    // Recomputed by the testkit's verifier, written from NCP's documentation, not by our signer.
    use imgshare_testkit::ncloud::signature;
    let expected = signature::sign(
        SECRET_KEY,
        &signature::string_to_sign(request.method.as_str(), &target, ts, ACCESS_KEY),
    );
    assert_eq!(header(request, ncp::SIGNATURE_HEADER), expected);
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

// ---- the signature vector ---------------------------------------------------

#[test]
fn signature_vector_from_the_notes() {
    // NCP signs the request target: a POST signs the bare path.
    let s = ncp::signature(
        "TestSecretKey",
        &ncp::string_to_sign(
            "POST",
            "/vserver/v2/addServerImageSharingPermission",
            "1234567890123",
            "TestAccessKey",
        ),
    );
    assert_eq!(s, "/Xy7W/Sl7l4zGP+HtyfZlVGHiII7sw341IN51yADUH8=");
}

// ---- every operation, both formats -----------------------------------------

#[tokio::test]
async fn vpc_server_image_operations_in_json_and_xml() {
    for ext in ["json", "xml"] {
        let format = if ext == "json" {
            ResponseFormat::Json
        } else {
            ResponseFormat::Xml
        };
        // add
        let server = new_server().await;
        mount(
            &server,
            "/vserver/v2/addServerImageSharingPermission",
            reply(200, &format!("addServerImageSharingPermission.{ext}")),
        )
        .await;
        let client = client_for(&server, format.clone());
        let out = client
            .add_server_image_sharing_permission()
            .server_image_no("10000001")
            .target_login_id("test-user@naver.com")
            .send()
            .await
            .unwrap();
        assert_eq!(out.return_code, "0");
        assert_eq!(out.request_id, "d4fcece2-935a-4c91-bf35-54347eb900ad");
        assert_eq!(out.total_rows, 1);
        let image = &out.server_image_list[0];
        assert_eq!(image.server_image_no, "10000001");
        assert_eq!(image.share_status(), Some(&ShareStatus::Share));
        assert_eq!(image.hypervisor(), Some(&HypervisorType::Kvm));
        assert_eq!(image.shared_login_id_list, vec!["test-user@naver.com"]);
        assert_eq!(
            image.platform_category_code,
            Some(PlatformCategory::Os),
            "{ext}"
        );
        assert_eq!(
            image.server_image_status.as_ref().unwrap().code,
            ImageStatus::Created
        );
        assert_eq!(
            image.server_image_operation.as_ref().unwrap().code,
            ImageOperation::Null
        );
        assert_eq!(image.server_image_description, None);
        let created = image.created_at().unwrap();
        assert_eq!(created.unix_timestamp(), 1_750_381_179);
        assert_eq!(created.offset().whole_hours(), 9);
        let disk = &image.block_storage_mapping_list[0];
        assert_eq!(
            disk.block_storage_snapshot_instance_no.as_deref(),
            Some("104630229")
        );
        assert_eq!(disk.block_storage_size, Some(10_737_418_240));
        assert_eq!(disk.is_encrypted_volume, Some(false));
        assert_eq!(
            disk.block_storage_volume_type.as_ref().unwrap().code,
            BlockStorageVolumeType::Cb1
        );
        let request = only_request(&server).await;
        assert_eq!(
            request.url.path(),
            "/vserver/v2/addServerImageSharingPermission"
        );
        assert_eq!(request.url.query(), None);
        assert_eq!(
            header(&request, "content-type"),
            "application/x-www-form-urlencoded"
        );
        assert_signed(&request);
        assert_eq!(
            form(&request),
            vec![
                ("serverImageNo".into(), "10000001".into()),
                ("targetLoginIdList.1".into(), "test-user@naver.com".into()),
                ("regionCode".into(), "KR".into()),
                ("responseFormatType".into(), ext.to_owned()),
            ]
        );

        // remove
        let server = new_server().await;
        mount(
            &server,
            "/vserver/v2/removeServerImageSharingPermission",
            reply(200, &format!("removeServerImageSharingPermission.{ext}")),
        )
        .await;
        let out = client_for(&server, format.clone())
            .remove_server_image_sharing_permission()
            .server_image_no("10000001")
            .target_login_id("test-user@naver.com")
            .send()
            .await
            .unwrap();
        assert_eq!(
            out.server_image_list[0].share_status(),
            Some(&ShareStatus::Null)
        );
        assert!(out.server_image_list[0].shared_login_id_list.is_empty());

        // list, with filters
        let server = new_server().await;
        mount(
            &server,
            "/vserver/v2/getServerImageList",
            reply(200, &format!("getServerImageList.{ext}")),
        )
        .await;
        let out = client_for(&server, format.clone())
            .get_server_image_list()
            .server_image_no("10000001")
            .hypervisor_type_code(HypervisorType::Kvm)
            .os_type_code("UBUNTU")
            .page_no(1)
            .page_size(10)
            .send()
            .await
            .unwrap();
        assert_eq!(out.server_image_list.len(), 1);
        let sent = form(&only_request(&server).await);
        for pair in [
            ("serverImageNoList.1", "10000001"),
            ("hypervisorTypeCodeList.1", "KVM"),
            ("osTypeCodeList.1", "UBUNTU"),
            ("pageNo", "1"),
            ("pageSize", "10"),
        ] {
            assert!(
                sent.contains(&(pair.0.to_owned(), pair.1.to_owned())),
                "{pair:?} in {sent:?}"
            );
        }

        // detail
        let server = new_server().await;
        mount(
            &server,
            "/vserver/v2/getServerImageDetail",
            reply(200, &format!("getServerImageDetail.{ext}")),
        )
        .await;
        let out = client_for(&server, format.clone())
            .get_server_image_detail()
            .server_image_no("10000001")
            .send()
            .await
            .unwrap();
        assert_eq!(out.server_image_list[0].server_image_name, "test-image");
    }
}

#[tokio::test]
async fn vpc_member_image_operations_in_json_and_xml() {
    for ext in ["json", "xml"] {
        let format = if ext == "json" {
            ResponseFormat::Json
        } else {
            ResponseFormat::Xml
        };
        let server = new_server().await;
        for (action, file) in [
            (
                "addMemberServerImageSharingPermission",
                "vpc_addMemberServerImageSharingPermission",
            ),
            (
                "removeMemberServerImageSharingPermission",
                "vpc_removeMemberServerImageSharingPermission",
            ),
            (
                "setMemberServerImageSharingPermission",
                "vpc_setMemberServerImageSharingPermission",
            ),
            (
                "getMemberServerImageInstanceList",
                "getMemberServerImageInstanceList",
            ),
            (
                "getMemberServerImageInstanceDetail",
                "getMemberServerImageInstanceDetail",
            ),
        ] {
            mount(
                &server,
                &format!("/vserver/v2/{action}"),
                reply(200, &format!("{file}.{ext}")),
            )
            .await;
        }
        let client = client_for(&server, format);
        let add = client
            .add_member_server_image_sharing_permission()
            .member_server_image_instance_no("10000002")
            .target_login_id("test-user@naver.com")
            .send()
            .await
            .unwrap();
        let image = &add.member_server_image_instance_list[0];
        assert_eq!(image.member_server_image_instance_no, "10000002");
        assert_eq!(image.share_status(), Some(&ShareStatus::Share));
        assert_eq!(image.shared_login_id_list, vec!["test-user@naver.com"]);
        assert_eq!(
            image.member_server_image_block_storage_total_size,
            Some(53_687_091_200)
        );
        assert_eq!(image.created_at().unwrap().unix_timestamp(), 1_610_668_584);
        let remove = client
            .remove_member_server_image_sharing_permission()
            .member_server_image_instance_no("10000002")
            .target_login_id("test-user@naver.com")
            .send()
            .await
            .unwrap();
        assert!(
            remove.member_server_image_instance_list[0]
                .shared_login_id_list
                .is_empty()
        );
        let set = client
            .set_member_server_image_sharing_permission()
            .member_server_image_instance_no("10000002")
            .target_login_id("a@example.com")
            .target_login_id("b@example.com")
            .send()
            .await
            .unwrap();
        assert_eq!(
            set.member_server_image_instance_list[0].shared_login_id_list,
            vec!["a@example.com", "b@example.com"]
        );
        let list = client
            .get_member_server_image_instance_list()
            .platform_type_code(PlatformType::Lnx64)
            .send()
            .await
            .unwrap();
        assert_eq!(list.total_rows, 1);
        let detail = client
            .get_member_server_image_instance_detail()
            .member_server_image_instance_no("10000002")
            .send()
            .await
            .unwrap();
        assert_eq!(
            detail.member_server_image_instance_list[0].member_server_image_name,
            "test-member"
        );
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 5);
        for r in &requests {
            assert_signed(r);
            assert!(form(r).contains(&("regionCode".into(), "KR".into())));
        }
        let set_form = form(&requests[2]);
        assert!(set_form.contains(&("targetLoginIdList.2".into(), "b@example.com".into())));
    }
}

#[tokio::test]
async fn classic_operations_in_json_and_xml() {
    for ext in ["json", "xml"] {
        let format = if ext == "json" {
            ResponseFormat::Json
        } else {
            ResponseFormat::Xml
        };
        let server = new_server().await;
        for (action, file) in [
            (
                "addMemberServerImageSharingPermission",
                "classic_addMemberServerImageSharingPermission",
            ),
            (
                "removeMemberServerImageSharingPermission",
                "classic_removeMemberServerImageSharingPermission",
            ),
            (
                "setMemberServerImageSharingPermission",
                "classic_setMemberServerImageSharingPermission",
            ),
            (
                "getMemberServerImageList",
                "classic_getMemberServerImageList",
            ),
        ] {
            mount(
                &server,
                &format!("/server/v2/{action}"),
                reply(200, &format!("{file}.{ext}")),
            )
            .await;
        }
        let client = client_for(&server, format);
        let add = client
            .classic_add_member_server_image_sharing_permission()
            .member_server_image_no("20000001")
            .target_login_id("test-user@naver.com")
            .send()
            .await
            .unwrap();
        let image = &add.member_server_image_list[0];
        assert_eq!(image.member_server_image_no, "20000001");
        assert_eq!(image.share_status(), Some(&ShareStatus::Share));
        assert_eq!(
            image
                .original_base_block_storage_disk_type
                .as_ref()
                .unwrap()
                .code,
            DiskType::Net
        );
        assert_eq!(
            image
                .member_server_image_platform_type
                .as_ref()
                .unwrap()
                .code,
            PlatformType::Lnx64
        );
        assert_eq!(
            image.region.as_ref().unwrap().region_code.as_deref(),
            Some("KR")
        );
        assert_eq!(
            image.zone.as_ref().unwrap().zone_name.as_deref(),
            Some("KR-1")
        );
        let remove = client
            .classic_remove_member_server_image_sharing_permission()
            .member_server_image_no("20000001")
            .target_login_id("test-user@naver.com")
            .send()
            .await
            .unwrap();
        assert_eq!(
            remove.member_server_image_list[0].share_status(),
            Some(&ShareStatus::Null)
        );
        let set = client
            .classic_set_member_server_image_sharing_permission()
            .member_server_image_no("20000001")
            .target_login_id("a@example.com")
            .target_login_id("b@example.com")
            .send()
            .await
            .unwrap();
        assert_eq!(
            set.member_server_image_list[0].shared_login_id_list.len(),
            2
        );
        let list = client
            .classic_get_member_server_image_list()
            .region_no("1")
            .send()
            .await
            .unwrap();
        assert_eq!(list.member_server_image_list.len(), 1);
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 4);
        for r in &requests {
            assert_signed(r);
            // Classic calls never carry the VPC regionCode.
            assert!(
                !form(r).iter().any(|(k, _)| k == "regionCode"),
                "{:?}",
                form(r)
            );
        }
        assert!(form(&requests[3]).contains(&("regionNo".into(), "1".into())));
    }
}

// ---- login ids that need encoding ------------------------------------------

#[tokio::test]
async fn login_ids_with_plus_at_space_and_non_ascii_are_encoded_and_signed() {
    let server = new_server().await;
    mount(
        &server,
        "/vserver/v2/addServerImageSharingPermission",
        reply(200, "addServerImageSharingPermission.json"),
    )
    .await;
    let ids = [
        "first+tag@example.com",
        "john doe@example.com",
        "홍길동@예시.kr",
    ];
    client_for(&server, ResponseFormat::Json)
        .add_server_image_sharing_permission()
        .server_image_no("10000001")
        .set_target_login_ids(Some(ids.iter().map(|s| s.to_string()).collect()))
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_signed(&request);
    // The signed request-target is the bare path: no user data in it.
    assert_eq!(request.url.query(), None);
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert!(
        body.starts_with(
            "serverImageNo=10000001&targetLoginIdList.1=first%2Btag%40example.com\
             &targetLoginIdList.2=john+doe%40example.com&targetLoginIdList.3=%ED%99%8D"
        ),
        "{body}"
    );
    let decoded = form(&request);
    for (i, id) in ids.iter().enumerate() {
        assert!(decoded.contains(&(format!("targetLoginIdList.{}", i + 1), id.to_string())));
    }
}

// ---- number-or-string fields -----------------------------------------------

#[tokio::test]
async fn numbers_arrive_as_numbers_or_strings() {
    let body = r#"{"getServerImageListResponse": {"requestId": "r", "returnCode": 0,
        "returnMessage": "success", "totalRows": "2", "serverImageList": [
        {"serverImageNo": 10000001, "blockStorageMappingList": [
            {"order": "0", "blockStorageSnapshotInstanceNo": "104630229", "blockStorageSize": "10737418240",
             "iops": "100", "isEncryptedVolume": "false"}]},
        {"serverImageNo": "10000002", "blockStorageMappingList": [
            {"order": 1, "blockStorageSnapshotInstanceNo": 4294967297, "blockStorageSize": 1}]}
        ]}}"#;
    let server = new_server().await;
    mount(
        &server,
        "/vserver/v2/getServerImageList",
        ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json"),
    )
    .await;
    let out = client_for(&server, ResponseFormat::Json)
        .get_server_image_list()
        .send()
        .await
        .unwrap();
    assert_eq!(out.total_rows, 2);
    assert_eq!(out.return_code, "0");
    let [a, b] = &out.server_image_list[..] else {
        panic!("{out:?}")
    };
    assert_eq!(a.server_image_no, "10000001");
    let da = &a.block_storage_mapping_list[0];
    assert_eq!(
        da.block_storage_snapshot_instance_no.as_deref(),
        Some("104630229")
    );
    assert_eq!(
        (da.order, da.block_storage_size, da.iops),
        (Some(0), Some(10_737_418_240), Some(100))
    );
    assert_eq!(da.is_encrypted_volume, Some(false));
    let db = &b.block_storage_mapping_list[0];
    assert_eq!(
        db.block_storage_snapshot_instance_no.as_deref(),
        Some("4294967297")
    );
    assert_eq!(db.order, Some(1));
}

#[tokio::test]
async fn xml_answers_decode_even_when_json_was_asked_for_and_mislabelled() {
    // NCP's default is XML: a gateway that drops responseFormatType answers XML, sometimes
    // labelled text/plain.
    let server = new_server().await;
    mount(
        &server,
        "/vserver/v2/getServerImageDetail",
        ResponseTemplate::new(200).set_body_raw(fixture("getServerImageDetail.xml"), "text/plain"),
    )
    .await;
    let out = client_for(&server, ResponseFormat::Json)
        .get_server_image_detail()
        .server_image_no("10000001")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.server_image_list[0].shared_login_id_list,
        vec!["test-user@naver.com"]
    );
}

// ---- errors ----------------------------------------------------------------

#[tokio::test]
async fn response_error_in_json_and_xml() {
    for (status, file) in [
        (400, "responseError.json"),
        (400, "responseError.xml"),
        (200, "responseError.json"),
        (200, "responseError.xml"),
    ] {
        let server = new_server().await;
        mount(
            &server,
            "/vserver/v2/getServerImageDetail",
            reply(status, file),
        )
        .await;
        let err = client_for(&server, ResponseFormat::Json)
            .get_server_image_detail()
            .server_image_no("99999999")
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("1104037"), "{file} {status}");
        assert_eq!(err.message(), Some("The server image could not be found."));
        assert_eq!(err.http_status(), Some(status));
        assert!(err.is_image_not_found());
        assert!(!err.is_gateway());
        assert_eq!(err.kind(), Some(ErrorKind::Client));
        assert!(err.to_string().contains("1104037"), "{err}");
        assert!(err.hint().is_some());
        // Client errors are not retried.
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn gateway_auth_failure_in_json_and_xml() {
    for file in ["gatewayError.json", "gatewayError.xml"] {
        let server = new_server().await;
        mount(&server, "/vserver/v2/getServerImageList", reply(401, file)).await;
        let err = client_for(&server, ResponseFormat::Xml)
            .get_server_image_list()
            .send()
            .await
            .unwrap_err();
        assert!(err.is_auth_failure(), "{err}");
        assert!(err.is_gateway());
        let service = err.service_error().unwrap();
        assert_eq!(service.origin(), ErrorOrigin::Gateway);
        assert_eq!(
            service.detail("details"),
            Some("This account is not allowed.")
        );
        assert_eq!(err.code(), Some("200"));
        let text = err.to_string();
        assert!(text.contains("200: Authentication Failed"), "{text}");
        assert!(!text.contains(SECRET_KEY));
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

fn gateway_body(code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(match code {
        "400" | "410" | "420" => 429,
        "500" => 503,
        "510" => 504,
        _ => 400,
    })
    .set_body_raw(
        format!(r#"{{"error":{{"errorCode":"{code}","message":"{message}","details":""}}}}"#)
            .into_bytes(),
        "application/json",
    )
}

#[tokio::test]
async fn throttling_then_success_even_for_a_share() {
    for code in ["400", "410", "420"] {
        let server = new_server().await;
        Mock::given(method("POST"))
            .and(path("/vserver/v2/addServerImageSharingPermission"))
            .respond_with(gateway_body(code, "Rate Limited"))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        mount(
            &server,
            "/vserver/v2/addServerImageSharingPermission",
            reply(200, "addServerImageSharingPermission.json"),
        )
        .await;
        let out = client_for(&server, ResponseFormat::Json)
            .add_server_image_sharing_permission()
            .server_image_no("10000001")
            .target_login_id("test-user@naver.com")
            .send()
            .await
            .unwrap();
        assert_eq!(out.return_code, "0");
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 2, "{code}");
        for r in &requests {
            assert_signed(r);
        }
    }
}

#[tokio::test]
async fn throttling_exhausts_retries_with_a_typed_error() {
    let server = new_server().await;
    mount(
        &server,
        "/vserver/v2/getServerImageList",
        gateway_body("420", "Rate Limited"),
    )
    .await;
    let err = client_for(&server, ResponseFormat::Json)
        .get_server_image_list()
        .send()
        .await
        .unwrap_err();
    assert!(
        err.is_throttling() && err.is_rate_limited() && err.is_gateway(),
        "{err}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn endpoint_errors_are_retried_for_reads_only() {
    for code in ["500", "510"] {
        let server = new_server().await;
        Mock::given(method("POST"))
            .and(path("/vserver/v2/getServerImageList"))
            .respond_with(gateway_body(code, "Endpoint Error"))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        mount(
            &server,
            "/vserver/v2/getServerImageList",
            reply(200, "getServerImageList.json"),
        )
        .await;
        client_for(&server, ResponseFormat::Json)
            .get_server_image_list()
            .send()
            .await
            .unwrap();
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }
    // A share that may have been applied is not repeated.
    let server = new_server().await;
    mount(
        &server,
        "/vserver/v2/addServerImageSharingPermission",
        gateway_body("500", "Endpoint Error"),
    )
    .await;
    let err = client_for(&server, ResponseFormat::Json)
        .add_server_image_sharing_permission()
        .server_image_no("10000001")
        .target_login_id("test-user@naver.com")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_endpoint_error() && err.is_transient(), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn try_again_later_is_a_server_error() {
    let server = new_server().await;
    mount(
        &server,
        "/server/v2/getMemberServerImageList",
        ResponseTemplate::new(500).set_body_raw(
            b"{\n  \"responseError\": {\n    \"returnCode\": \"1000\",\n    \"returnMessage\": \"Please try your call again later.\"\n  }\n}".to_vec(),
            "application/json",
        ),
    )
    .await;
    let err = client_for(&server, ResponseFormat::Json)
        .classic_get_member_server_image_list()
        .send()
        .await
        .unwrap_err();
    assert!(err.is_try_again_later());
    assert_eq!(err.kind(), Some(ErrorKind::Server));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn html_error_pages_are_response_errors() {
    let server = new_server().await;
    mount(
        &server,
        "/vserver/v2/getServerImageDetail",
        ResponseTemplate::new(502).set_body_raw(
            b"<html><body>Bad Gateway</body></html>".to_vec(),
            "text/html",
        ),
    )
    .await;
    let err = client_for(&server, ResponseFormat::Json)
        .get_server_image_detail()
        .server_image_no("1")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_transport() && !err.is_service(), "{err}");
}

// ---- validation ------------------------------------------------------------

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let server = new_server().await;
    let client = client_for(&server, ResponseFormat::Json);
    let cases: Vec<(NcloudError, &str)> = vec![
        (
            client
                .add_server_image_sharing_permission()
                .server_image_no("img-1")
                .target_login_id("a@example.com")
                .send()
                .await
                .unwrap_err(),
            "server_image_no",
        ),
        (
            client
                .add_server_image_sharing_permission()
                .target_login_id("a@example.com")
                .send()
                .await
                .unwrap_err(),
            "server_image_no",
        ),
        (
            client
                .remove_server_image_sharing_permission()
                .server_image_no("1")
                .send()
                .await
                .unwrap_err(),
            "target_login_ids",
        ),
        (
            client
                .add_member_server_image_sharing_permission()
                .member_server_image_instance_no("1")
                .target_login_id("a@example.com")
                .target_login_id("a@example.com")
                .send()
                .await
                .unwrap_err(),
            "target_login_ids[1]",
        ),
        (
            client
                .classic_add_member_server_image_sharing_permission()
                .member_server_image_no("1")
                .target_login_id("not-an-email")
                .send()
                .await
                .unwrap_err(),
            "target_login_ids[0]",
        ),
        (
            client
                .classic_set_member_server_image_sharing_permission()
                .member_server_image_no("")
                .send()
                .await
                .unwrap_err(),
            "member_server_image_no",
        ),
        (
            client
                .get_server_image_list()
                .page_size(1001)
                .send()
                .await
                .unwrap_err(),
            "page_size",
        ),
    ];
    for (err, field) in cases {
        assert!(err.is_invalid_input(), "{err}");
        assert_eq!(err.invalid_input().unwrap().field(), field, "{err}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn set_with_no_login_id_clears_every_share() {
    let server = new_server().await;
    mount(
        &server,
        "/server/v2/setMemberServerImageSharingPermission",
        reply(200, "classic_removeMemberServerImageSharingPermission.xml"),
    )
    .await;
    client_for(&server, ResponseFormat::Xml)
        .classic_set_member_server_image_sharing_permission()
        .member_server_image_no("20000001")
        .send()
        .await
        .unwrap();
    let sent = form(&only_request(&server).await);
    assert_eq!(
        sent,
        vec![
            ("memberServerImageNo".into(), "20000001".into()),
            ("responseFormatType".into(), "xml".into())
        ]
    );
}

// ---- endpoints, paging -----------------------------------------------------

#[tokio::test]
async fn endpoint_path_prefix_is_kept() {
    let server = new_server().await;
    mount(
        &server,
        "/gw/vserver/v2/getServerImageDetail",
        reply(200, "getServerImageDetail.json"),
    )
    .await;
    let client = Client::new(
        Config::builder()
            .endpoint_url(format!("{}/gw", server.uri()))
            .credentials(
                Credentials::new(ACCESS_KEY, SecretString::new(SECRET_KEY), None, "t").unwrap(),
            )
            .build()
            .unwrap(),
    )
    .unwrap();
    client
        .get_server_image_detail()
        .server_image_no("10000001")
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    // No regionCode unless configured.
    assert!(!form(&request).iter().any(|(k, _)| k == "regionCode"));
}

#[tokio::test]
async fn paginator_walks_pages() {
    let server = new_server().await;
    let page = |no: &str, total: u64, count: usize| {
        let items: Vec<String> = (0..count)
            .map(|i| format!(r#"{{"serverImageNo": "{no}{i}"}}"#))
            .collect();
        format!(
            r#"{{"getServerImageListResponse": {{"returnCode": "0", "totalRows": {total}, "serverImageList": [{}]}}}}"#,
            items.join(",")
        )
    };
    for (no, count) in [("1", 2usize), ("2", 2), ("3", 1)] {
        Mock::given(method("POST"))
            .and(path("/vserver/v2/getServerImageList"))
            .and(wiremock::matchers::body_string_contains(format!(
                "pageNo={no}&"
            )))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(page(no, 5, count).into_bytes(), "application/json"),
            )
            .mount(&server)
            .await;
    }
    let all = client_for(&server, ResponseFormat::Json)
        .get_server_image_list()
        .page_size(2)
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    let nos: Vec<&str> = all.iter().map(|i| i.server_image_no.as_str()).collect();
    assert_eq!(nos, ["10", "11", "20", "21", "30"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn paginator_asks_for_page_1_when_the_builder_says_0() {
    // NCP numbers pages from 1 (0 also gives the first page): a walk from `page_no(0)` must not
    // ask for page 0 and then page 1, which would return the first page twice.
    let server = new_server().await;
    Mock::given(method("POST"))
        .and(path("/vserver/v2/getServerImageList"))
        .and(wiremock::matchers::body_string_contains("pageNo=1&pageSize=100"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"getServerImageListResponse": {"returnCode": "0", "totalRows": 1, "serverImageList": [{"serverImageNo": "10"}]}}"#
                .as_bytes()
                .to_vec(),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let all = client_for(&server, ResponseFormat::Json)
        .get_server_image_list()
        .page_no(0)
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
}

// ---- credentials, redaction ------------------------------------------------

#[tokio::test]
async fn server_role_credentials_from_a_metadata_server() {
    let metadata = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("image-sharer\n"))
        .mount(&metadata)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/image-sharer"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"AccessKeyId":"ROLEKEY","SecretAccessKey":"role-secret-do-not-print","Expiration":"2099-12-31T08:53:47Z","Code":"Success","Message":""}"#,
        ))
        .mount(&metadata)
        .await;
    let provider = ServerRoleProvider::new().with_endpoint(metadata.uri());
    let c = imgshare_core::ProvideCredentials::provide_credentials(&provider)
        .await
        .unwrap();
    assert_eq!(c.access_id(), "ROLEKEY");
    assert_eq!(c.secret().expose_secret(), "role-secret-do-not-print");
    assert!(c.expiry().is_some());
    assert!(!format!("{c:?}").contains("role-secret"));

    // Used by a client: the role key signs the request.
    let server = new_server().await;
    mount(
        &server,
        "/vserver/v2/getServerImageDetail",
        reply(200, "getServerImageDetail.json"),
    )
    .await;
    let client = Client::new(
        Config::builder()
            .endpoint_url(server.uri())
            .credentials_provider(ServerRoleProvider::new().with_endpoint(metadata.uri()))
            .build()
            .unwrap(),
    )
    .unwrap();
    client
        .get_server_image_detail()
        .server_image_no("10000001")
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, ncp::ACCESS_KEY_HEADER), "ROLEKEY");

    // The environment override, and a missing role.
    let empty = MockServer::start().await;
    let err = imgshare_core::ProvideCredentials::provide_credentials(
        &ServerRoleProvider::new().with_endpoint(empty.uri()),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), &imgshare_core::CredentialsErrorKind::NotFound);
}

#[tokio::test]
async fn secrets_never_show_in_debug_or_display() {
    let server = new_server().await;
    mount(
        &server,
        "/vserver/v2/getServerImageList",
        reply(401, "gatewayError.json"),
    )
    .await;
    let client = client_for(&server, ResponseFormat::Json);
    let err = client.get_server_image_list().send().await.unwrap_err();
    for text in [
        format!("{client:?}"),
        format!("{:?}", client.config()),
        format!("{err:?}"),
        err.to_string(),
    ] {
        assert!(!text.contains(SECRET_KEY), "{text}");
    }
    let request = only_request(&server).await;
    let signature = header(&request, ncp::SIGNATURE_HEADER).to_owned();
    assert!(!format!("{err:?}").contains(&signature));
}
