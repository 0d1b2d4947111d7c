//! The NCP fake end to end over loopback HTTP: every action in XML and JSON,
//! GET and POST, signature checks, business rules, paging, faults.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ncloud_support;

use std::time::{Duration, Instant};

use imgshare_testkit::harness::Cloud;
use imgshare_testkit::ncloud::{Ncloud, codes, signature};
use imgshare_testkit::{Fault, NcloudFake, NcloudFamily, NcloudFault, NcloudSeed};
use ncloud_support::*;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const JSON: (&str, &str) = ("responseFormatType", "json");

// ---- signature vectors -------------------------------------------------------

#[test]
fn verifier_and_test_signer_reproduce_the_documented_vector() {
    // The vector published by the third-party `sjk4425/ncloud-mcp-server` tests,
    // recomputed independently with Python's hmac.
    let uri = "/vserver/v2/getServerInstanceList?responseFormatType=json";
    let expected = "FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M=";
    let sts = signature::string_to_sign("GET", uri, "1234567890123", "TestAccessKey");
    assert_eq!(signature::sign("TestSecretKey", &sts), expected);
    assert_eq!(
        ncp_sign(
            "TestSecretKey",
            "GET",
            uri,
            "1234567890123",
            "TestAccessKey"
        ),
        expected
    );
    // The encoded and unencoded `@` vectors differ: the target is signed as sent.
    let encoded = "/vserver/v2/addServerImageSharingPermission?regionCode=KR&serverImageNo=12345678&targetLoginIdList.1=test%40naver.com&responseFormatType=json";
    let sts = signature::string_to_sign("GET", encoded, "1234567890123", "TestAccessKey");
    assert_eq!(
        signature::sign("TestSecretKey", &sts),
        "5Fvk+j1V/Z5AymbN0I8xQ8agvWsDwqK6cR5IHffHLYA="
    );
}

// ---- every action, XML and JSON ---------------------------------------------

/// (path, params) for every action, with an owner-signed, valid request.
/// (path, list key, parameters).
type Case = (String, &'static str, Vec<(&'static str, &'static str)>);

fn every_action() -> Vec<Case> {
    vec![
        (
            vpc("addServerImageSharingPermission"),
            "serverImageList",
            vec![
                ("serverImageNo", "30000001"),
                ("targetLoginIdList.1", RECIPIENT),
            ],
        ),
        (
            vpc("removeServerImageSharingPermission"),
            "serverImageList",
            vec![
                ("serverImageNo", "30000001"),
                ("targetLoginIdList.1", RECIPIENT),
            ],
        ),
        (vpc("getServerImageList"), "serverImageList", vec![]),
        (
            vpc("getServerImageDetail"),
            "serverImageList",
            vec![("serverImageNo", "30000001")],
        ),
        (
            vpc("addMemberServerImageSharingPermission"),
            "memberServerImageInstanceList",
            vec![
                ("memberServerImageInstanceNo", "30000002"),
                ("targetLoginIdList.1", RECIPIENT),
            ],
        ),
        (
            vpc("removeMemberServerImageSharingPermission"),
            "memberServerImageInstanceList",
            vec![
                ("memberServerImageInstanceNo", "30000002"),
                ("targetLoginIdList.1", RECIPIENT),
            ],
        ),
        (
            vpc("setMemberServerImageSharingPermission"),
            "memberServerImageInstanceList",
            vec![
                ("memberServerImageInstanceNo", "30000002"),
                ("targetLoginIdList.1", OTHER),
            ],
        ),
        (
            vpc("getMemberServerImageInstanceList"),
            "memberServerImageInstanceList",
            vec![],
        ),
        (
            vpc("getMemberServerImageInstanceDetail"),
            "memberServerImageInstanceList",
            vec![("memberServerImageInstanceNo", "30000002")],
        ),
        (
            classic("addMemberServerImageSharingPermission"),
            "memberServerImageList",
            vec![
                ("memberServerImageNo", "40000001"),
                ("targetLoginIdList.1", RECIPIENT),
            ],
        ),
        (
            classic("removeMemberServerImageSharingPermission"),
            "memberServerImageList",
            vec![
                ("memberServerImageNo", "40000001"),
                ("targetLoginIdList.1", RECIPIENT),
            ],
        ),
        (
            classic("setMemberServerImageSharingPermission"),
            "memberServerImageList",
            vec![
                ("memberServerImageNo", "40000001"),
                ("targetLoginIdList.1", OTHER),
            ],
        ),
        (
            classic("getMemberServerImageList"),
            "memberServerImageList",
            vec![],
        ),
    ]
}

fn singular(list: &str) -> &str {
    list.strip_suffix("List").unwrap()
}

#[tokio::test]
async fn every_action_answers_in_xml_and_json_over_get_and_post() {
    let fake = fake().await;
    let mut answered = Vec::new();
    for (path, list, params) in every_action() {
        let action = path.rsplit('/').next().unwrap();
        for post in [false, true] {
            // XML (the default).
            let req = if post {
                Req::post(&owner(), &path, &params)
            } else {
                Req::get(&owner(), &path, &params)
            };
            let reply = req.send(&fake).await;
            let x = reply.xml_ok(action);
            answered.push(x.text_of("requestId").to_owned());
            let rows: usize = x.text_of("totalRows").parse().unwrap();
            let items = x.child(list).all(singular(list));
            assert_eq!(items.len(), rows, "{path}: no paging, so every row");
            assert!(!items.is_empty(), "{path}: {}", reply.text);
            for item in items {
                let shares = item.child("sharedLoginIdList");
                assert!(shares.children.iter().all(|c| c.name == "sharedLoginId"));
                let code = item.child("shareStatus").text_of("code");
                assert_eq!(code == "SHARE", !shares.children.is_empty(), "{path}");
            }

            // JSON.
            let mut with_json = params.clone();
            with_json.push(JSON);
            let req = if post {
                Req::post(&owner(), &path, &with_json)
            } else {
                Req::get(&owner(), &path, &with_json)
            };
            let r = req.send(&fake).await.json_ok(action);
            answered.push(r["requestId"].as_str().unwrap().to_owned());
            let items = r[list].as_array().unwrap();
            assert!(!items.is_empty(), "{path}");
            assert!(r["totalRows"].as_u64().unwrap() as usize >= items.len());
            for item in items {
                assert!(item.is_object(), "JSON list items are plain objects");
                let shares = item["sharedLoginIdList"].as_array().unwrap();
                let code = item["shareStatus"]["code"].as_str().unwrap();
                assert_eq!(code == "SHARE", !shares.is_empty(), "{path}");
            }
        }
    }
    // Every request was served, and recorded with its family and the request id answered.
    let received = fake.received();
    assert_eq!(received.len(), every_action().len() * 4);
    let recorded: Vec<_> = received.iter().map(|r| r.request_id.clone()).collect();
    assert_eq!(recorded, answered.into_iter().map(Some).collect::<Vec<_>>());
    assert!(received.iter().all(|r| r.status == Some(200)));
    assert!(
        received
            .iter()
            .all(|r| r.login_id.as_deref() == Some(OWNER))
    );
}

#[tokio::test]
async fn vpc_server_image_share_and_read_back_json_shape() {
    let fake = fake().await;
    let add = Req::get(
        &owner(),
        &vpc("addServerImageSharingPermission"),
        &[
            ("regionCode", "KR"),
            ("serverImageNo", "30000001"),
            ("targetLoginIdList.1", RECIPIENT),
            ("targetLoginIdList.2", OTHER),
            JSON,
        ],
    );
    let r = add
        .send(&fake)
        .await
        .json_ok("addServerImageSharingPermission");
    assert_eq!(r["totalRows"], 1);
    let image = &r["serverImageList"][0];
    // Field types as seed 000 shows them.
    assert_eq!(image["serverImageNo"], "30000001");
    assert_eq!(image["serverImageName"], "web-kvm");
    assert_eq!(image["serverImageType"]["code"], "SELF");
    assert_eq!(image["hypervisorType"]["code"], "KVM");
    assert_eq!(image["serverImageStatus"]["code"], "CREAT");
    assert_eq!(image["serverImageStatusName"], "created");
    assert_eq!(
        image["shareStatus"],
        json!({"code": "SHARE", "codeName": "NSI Share SHARE State"})
    );
    assert_eq!(image["sharedLoginIdList"], json!([RECIPIENT, OTHER]));
    let mapping = &image["blockStorageMappingList"][0];
    assert!(
        mapping["blockStorageSnapshotInstanceNo"].is_u64(),
        "a JSON number, as the live API sends it (documented as a String)"
    );
    assert!(mapping["blockStorageSize"].is_u64());
    assert_eq!(mapping["isEncryptedVolume"], false);
    assert_eq!(image["createDate"], "2025-06-20T09:59:39+0900");
    assert_eq!(image["platformCategoryCode"], "OS");
    assert_eq!(fake.shared_login_ids("30000001"), [RECIPIENT, OTHER]);

    // Pretty-printed JSON, two-space indent, as NCP's JSON answers are.
    let text = Req::get(
        &owner(),
        &vpc("getServerImageDetail"),
        &[("serverImageNo", "30000001"), JSON],
    )
    .send(&fake)
    .await
    .text;
    assert!(
        text.starts_with("{\n  \"getServerImageDetailResponse\": {\n"),
        "{text}"
    );

    let detail = Req::post(
        &owner(),
        &vpc("getServerImageDetail"),
        &[("serverImageNo", "30000001"), JSON],
    )
    .send(&fake)
    .await
    .json_ok("getServerImageDetail");
    assert_eq!(
        detail["serverImageList"][0]["sharedLoginIdList"],
        json!([RECIPIENT, OTHER])
    );

    let removed = Req::post(
        &owner(),
        &vpc("removeServerImageSharingPermission"),
        &[
            ("serverImageNo", "30000001"),
            ("targetLoginIdList.1", RECIPIENT),
            ("targetLoginIdList.2", OTHER),
            JSON,
        ],
    )
    .send(&fake)
    .await
    .json_ok("removeServerImageSharingPermission");
    let image = &removed["serverImageList"][0];
    assert_eq!(image["shareStatus"]["code"], "NULL");
    assert_eq!(image["sharedLoginIdList"], json!([]));
    assert!(fake.shared_login_ids("30000001").is_empty());
}

#[tokio::test]
async fn vpc_server_image_xml_shape() {
    let fake = fake().await;
    let reply = Req::post(
        &owner(),
        &vpc("addServerImageSharingPermission"),
        &[
            ("serverImageNo", "30000001"),
            ("targetLoginIdList.1", RECIPIENT),
        ],
    )
    .send(&fake)
    .await;
    assert!(!reply.text.starts_with("<?xml"));
    let x = reply.xml_ok("addServerImageSharingPermission");
    assert_eq!(x.text_of("totalRows"), "1");
    let image = x.child("serverImageList").child("serverImage");
    assert_eq!(image.text_of("serverImageNo"), "30000001");
    assert_eq!(image.child("shareStatus").text_of("code"), "SHARE");
    assert_eq!(
        image.child("shareStatus").text_of("codeName"),
        "NSI Share SHARE State"
    );
    let shared = image.child("sharedLoginIdList").all("sharedLoginId");
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].text, RECIPIENT);
    let mapping = image
        .child("blockStorageMappingList")
        .child("blockStorageMapping");
    assert_eq!(
        mapping.text_of("blockStorageSnapshotInstanceNo"),
        "104630229"
    );
    // The empty description is a self-closing element, as in NCP's XML examples.
    assert!(reply.text.contains("<serverImageDescription/>"));

    // Remove: the empty list is `<sharedLoginIdList/>`.
    let reply = Req::get(
        &owner(),
        &vpc("removeServerImageSharingPermission"),
        &[
            ("serverImageNo", "30000001"),
            ("targetLoginIdList.1", RECIPIENT),
        ],
    )
    .send(&fake)
    .await;
    let x = reply.xml_ok("removeServerImageSharingPermission");
    let image = x.child("serverImageList").child("serverImage");
    assert_eq!(image.child("shareStatus").text_of("code"), "NULL");
    assert!(image.child("sharedLoginIdList").children.is_empty());
    assert!(reply.text.contains("<sharedLoginIdList/>"));
}

#[tokio::test]
async fn vpc_member_image_xml_matches_seed_002_and_shares_one_store() {
    let fake = fake().await;
    let reply = Req::get(
        &owner(),
        &vpc("addMemberServerImageSharingPermission"),
        &[
            ("memberServerImageInstanceNo", "30000002"),
            ("targetLoginIdList.1", RECIPIENT),
        ],
    )
    .send(&fake)
    .await;
    let x = reply.xml_ok("addMemberServerImageSharingPermission");
    let item = x
        .child("memberServerImageInstanceList")
        .child("memberServerImageInstance");
    for field in [
        "memberServerImageInstanceNo",
        "memberServerImageName",
        "memberServerImageDescription",
        "originalServerInstanceNo",
        "originalServerImageProductCode",
        "memberServerImageInstanceStatus",
        "memberServerImageInstanceOperation",
        "memberServerImageInstanceStatusName",
        "createDate",
        "shareStatus",
        "sharedLoginIdList",
    ] {
        assert!(item.has(field), "missing {field}: {}", reply.text);
    }
    assert_eq!(
        item.child("memberServerImageInstanceStatus")
            .text_of("codeName"),
        "NSI CREATED state"
    );
    assert_eq!(
        item.child("sharedLoginIdList").text_of("sharedLoginId"),
        RECIPIENT
    );
    // The same share through the server-image API (one store, XEN image).
    let r = Req::get(
        &owner(),
        &vpc("getServerImageDetail"),
        &[("serverImageNo", "30000002"), JSON],
    )
    .send(&fake)
    .await
    .json_ok("getServerImageDetail");
    assert_eq!(
        r["serverImageList"][0]["sharedLoginIdList"],
        json!([RECIPIENT])
    );
    // The member list shows XEN images only.
    let r = Req::get(&owner(), &vpc("getMemberServerImageInstanceList"), &[JSON])
        .send(&fake)
        .await
        .json_ok("getMemberServerImageInstanceList");
    let nos: Vec<&str> = r["memberServerImageInstanceList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["memberServerImageInstanceNo"].as_str().unwrap())
        .collect();
    assert_eq!(nos, ["30000002"]);
    assert_eq!(r["totalRows"], 1);
}

#[tokio::test]
async fn classic_json_and_xml_shapes() {
    let fake = fake().await;
    let r = Req::post(
        &owner(),
        &classic("addMemberServerImageSharingPermission"),
        &[
            ("memberServerImageNo", "40000001"),
            ("targetLoginIdList.1", RECIPIENT),
            JSON,
        ],
    )
    .send(&fake)
    .await
    .json_ok("addMemberServerImageSharingPermission");
    let image = &r["memberServerImageList"][0];
    assert_eq!(image["memberServerImageNo"], "40000001");
    assert_eq!(
        image["originalBaseBlockStorageDiskType"],
        json!({"code": "NET", "codeName": "Network Storage"})
    );
    assert_eq!(image["memberServerImagePlatformType"]["code"], "LNX64");
    assert_eq!(image["region"]["regionCode"], "KR");
    assert_eq!(image["zone"]["zoneName"], "KR-1");
    assert!(image["memberServerImageBlockStorageTotalSize"].is_u64());
    assert_eq!(image["sharedLoginIdList"], json!([RECIPIENT]));
    assert_eq!(fake.classic_shared_login_ids("40000001"), [RECIPIENT]);

    let reply = Req::get(&owner(), &classic("getMemberServerImageList"), &[])
        .send(&fake)
        .await;
    let x = reply.xml_ok("getMemberServerImageList");
    assert_eq!(x.text_of("totalRows"), "3");
    let items = x.child("memberServerImageList").all("memberServerImage");
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].text_of("memberServerImageNo"), "40000001");
    assert_eq!(
        items[0].child("sharedLoginIdList").text_of("sharedLoginId"),
        RECIPIENT
    );
    assert_eq!(items[1].child("shareStatus").text_of("code"), "NULL");
}

// ---- encoding and the exact request-target ----------------------------------

#[tokio::test]
async fn odd_login_id_round_trips_over_get_and_post() {
    let fake = fake().await;
    // GET, every byte of the id percent-encoded (%2B, %40, %20, %C3%B6).
    let req = Req::get(
        &owner(),
        &vpc("addServerImageSharingPermission"),
        &[("serverImageNo", "30000001"), ("targetLoginIdList.1", ODD)],
    );
    let target = req.target();
    assert!(
        target.contains("j%C3%B6%20e%2Bshare%40ncp.test"),
        "{target}"
    );
    req.send(&fake)
        .await
        .xml_ok("addServerImageSharingPermission");
    assert_eq!(fake.shared_login_ids("30000001"), [ODD]);
    // The fake saw (and verified) exactly the target sent.
    assert_eq!(fake.received()[0].request_target, target);

    // The same id with `+` for the space (form style); also fine.
    let mut req = Req::get(&owner(), &vpc("removeServerImageSharingPermission"), &[]);
    req.query =
        Some("serverImageNo=30000001&targetLoginIdList.1=j%C3%B6+e%2Bshare%40ncp.test".into());
    req.send(&fake)
        .await
        .xml_ok("removeServerImageSharingPermission");
    assert!(fake.shared_login_ids("30000001").is_empty());
    assert_eq!(
        fake.received()[1].request_target,
        req.target(),
        "no re-encoding of `+`"
    );

    // POST form body: only the path is signed; the body is decoded.
    Req::post(
        &owner(),
        &classic("addMemberServerImageSharingPermission"),
        &[
            ("memberServerImageNo", "40000001"),
            ("targetLoginIdList.1", ODD),
        ],
    )
    .send(&fake)
    .await
    .xml_ok("addMemberServerImageSharingPermission");
    assert_eq!(fake.classic_shared_login_ids("40000001"), [ODD]);

    // The odd account sees the image shared with it.
    let r = Req::get(&odd(), &classic("getMemberServerImageList"), &[JSON])
        .send(&fake)
        .await
        .json_ok("getMemberServerImageList");
    assert_eq!(r["totalRows"], 1);
    assert_eq!(
        r["memberServerImageList"][0]["sharedLoginIdList"],
        json!([ODD])
    );
}

#[tokio::test]
async fn signing_the_decoded_target_is_rejected() {
    let fake = fake().await;
    let mut req = Req::get(
        &owner(),
        &vpc("addServerImageSharingPermission"),
        &[("serverImageNo", "30000001"), ("targetLoginIdList.1", ODD)],
    );
    // What the Python SDK does: sign raw values, send encoded ones.
    req.signed_target = Some(format!(
        "{}?serverImageNo=30000001&targetLoginIdList.1={ODD}",
        req.path
    ));
    assert_eq!(req.send(&fake).await.gateway_error(401), "200");
    // Signing `@` raw while sending %40 fails too.
    let mut req = Req::get(
        &owner(),
        &vpc("addServerImageSharingPermission"),
        &[
            ("serverImageNo", "30000001"),
            ("targetLoginIdList.1", RECIPIENT),
        ],
    );
    req.signed_target = Some(req.target().replace("%40", "@"));
    assert_eq!(req.send(&fake).await.gateway_error(401), "200");
    assert!(fake.shared_login_ids("30000001").is_empty());
}

#[tokio::test]
async fn query_on_a_post_is_signed_and_body_is_not() {
    let fake = fake().await;
    // POST with ?responseFormatType=json in the query (PY SDK style).
    let mut req = Req::post(
        &owner(),
        &vpc("getServerImageDetail"),
        &[("serverImageNo", "30000001")],
    );
    req.query = Some("responseFormatType=json".into());
    req.send(&fake).await.json_ok("getServerImageDetail");
    // Signing only the path while a query is sent → 401.
    req.signed_target = Some(req.path.clone());
    assert_eq!(req.send(&fake).await.gateway_error(401), "200");
    // Changing the body keeps the signature valid: it is not signed (NCP signs only method, target, timestamp
    // and access key).
    let mut req = Req::post(
        &owner(),
        &vpc("getServerImageDetail"),
        &[("serverImageNo", "30000001")],
    );
    req.body = Some("serverImageNo=30000002&responseFormatType=json".into());
    let r = req.send(&fake).await.json_ok("getServerImageDetail");
    assert_eq!(r["serverImageList"][0]["serverImageNo"], "30000002");
    // A form content type with a charset is fine.
    let mut req = Req::post(&owner(), &vpc("getServerImageList"), &[JSON]);
    req.content_type = Some("application/x-www-form-urlencoded; charset=UTF-8".into());
    req.send(&fake).await.json_ok("getServerImageList");
}

#[tokio::test]
async fn post_body_must_be_form_encoded() {
    let fake = fake().await;
    let mut req = Req::post(&owner(), &vpc("getServerImageList"), &[]);
    req.body = Some(r#"{"responseFormatType":"json"}"#.into());
    req.content_type = Some("application/json".into());
    assert_eq!(req.send(&fake).await.gateway_error(400), "100");
    // Bytes that do not decode to UTF-8.
    let mut req = Req::get(&owner(), &vpc("getServerImageList"), &[]);
    req.query = Some("serverImageName=%FF".into());
    assert_eq!(req.send(&fake).await.gateway_error(400), "100");
}

// ---- authentication -----------------------------------------------------------

fn detail(account: &imgshare_testkit::NcloudAccount) -> Req {
    Req::get(
        account,
        &vpc("getServerImageDetail"),
        &[("serverImageNo", "30000001"), JSON],
    )
}

#[tokio::test]
async fn bad_signature_is_a_401_gateway_error_even_in_xml_mode() {
    let fake = fake().await;
    let mut req = Req::get(
        &owner(),
        &vpc("getServerImageDetail"),
        &[("serverImageNo", "30000001")],
    );
    req.secret_override = Some("wrong-secret".into());
    let reply = req.send(&fake).await;
    assert_eq!(reply.gateway_error(401), "200");
    let v = reply.json();
    assert_eq!(v["error"]["message"], "Authentication Failed");
    // Compact one-liner, as some NCP answers are.
    assert!(!reply.text.contains('\n'));
    // Wrong method in the string to sign.
    let mut req = detail(&owner());
    req.method = "POST".into();
    let sig = req.signature();
    req.method = "GET".into();
    req.secret_override = None;
    let mut headers = req.headers();
    headers.retain(|(n, _)| n != "x-ncp-apigw-signature-v2");
    headers.push(("x-ncp-apigw-signature-v2".into(), sig));
    let client = http_client();
    let mut r = client.get(format!("{}{}", fake.uri(), req.target()));
    for (n, v) in headers {
        r = r.header(n, v);
    }
    assert_eq!(r.send().await.unwrap().status().as_u16(), 401);
    let received = fake.received();
    assert_eq!(received[0].error_code.as_deref(), Some("200"));
    assert_eq!(received[0].login_id, None);
}

#[tokio::test]
async fn missing_headers_and_unknown_key() {
    let fake = fake().await;
    for header in [
        "x-ncp-apigw-timestamp",
        "x-ncp-iam-access-key",
        "x-ncp-apigw-signature-v2",
    ] {
        let mut req = detail(&owner());
        req.omit = vec![header.to_owned()];
        let reply = req.send(&fake).await;
        assert_eq!(reply.gateway_error(401), "200", "{header}");
        assert!(
            reply.json()["error"]["details"]
                .as_str()
                .unwrap()
                .contains(header)
        );
    }
    let stranger = imgshare_testkit::NcloudAccount::new("x@ncp.test", "AKUNKNOWN", "s");
    let reply = detail(&stranger).send(&fake).await;
    assert_eq!(reply.gateway_error(401), "200");
    assert_eq!(
        reply.json()["error"]["details"],
        "This account is not allowed."
    );
    // The -v1 header name carries the same HMAC (the Go, Python and JS
    // SDKs send it) and is accepted.
    let mut req = detail(&owner());
    req.signature_header = "x-ncp-apigw-signature-v1".into();
    req.send(&fake).await.json_ok("getServerImageDetail");
}

#[tokio::test]
async fn timestamp_window_is_five_minutes_in_milliseconds() {
    let fake = fake().await;
    let now = now_ms();
    let at = |ts: String| {
        let mut req = detail(&owner());
        req.timestamp = ts;
        req
    };
    // 4 min 50 s either side: fine.
    at((now - 290_000).to_string())
        .send(&fake)
        .await
        .json_ok("getServerImageDetail");
    at((now + 290_000).to_string())
        .send(&fake)
        .await
        .json_ok("getServerImageDetail");
    // 5 min 10 s either side: rejected.
    for ts in [now - 310_000, now + 310_000] {
        assert_eq!(
            at(ts.to_string()).send(&fake).await.gateway_error(401),
            "200"
        );
    }
    // Seconds instead of milliseconds, and garbage.
    let reply = at((now / 1000).to_string()).send(&fake).await;
    assert_eq!(reply.gateway_error(401), "200");
    assert!(reply.text.contains("seconds"), "{}", reply.text);
    assert_eq!(
        at("soon".into()).send(&fake).await.gateway_error(401),
        "200"
    );
    // A fake clock 10 minutes behind accepts a 10-minute-old timestamp.
    fake.set_clock_offset_secs(-600).unwrap();
    at((now - 600_000).to_string())
        .send(&fake)
        .await
        .json_ok("getServerImageDetail");
    assert_eq!(
        at(now.to_string()).send(&fake).await.gateway_error(401),
        "200"
    );
}

#[tokio::test]
async fn temporary_server_role_keys_expire() {
    let fake = fake().await;
    assert_eq!(
        detail(&expired_role()).send(&fake).await.gateway_error(401),
        "200"
    );
    let r = detail(&live_role())
        .send(&fake)
        .await
        .json_ok("getServerImageDetail");
    assert_eq!(r["serverImageList"][0]["serverImageNo"], "30000001");
}

// ---- routing and parameters ------------------------------------------------------

#[tokio::test]
async fn unknown_actions_and_methods_are_gateway_404() {
    let fake = fake().await;
    for path in [
        vpc("setServerImageSharingPermission"), // no such VPC action in the API guide
        vpc("getRegionList"),                   // real, but not served
        classic("getServerImageList"),
        "/server/v2/".to_owned(),
    ] {
        let reply = Req::get(&owner(), &path, &[]).send(&fake).await;
        assert_eq!(reply.gateway_error(404), "300", "{path}");
    }
    let mut req = detail(&owner());
    req.method = "DELETE".into();
    assert_eq!(req.send(&fake).await.gateway_error(404), "300");
    // Unsigned requests to unknown actions are 404 too (route first).
    let mut req = Req::get(&owner(), &vpc("nope"), &[]);
    req.omit = vec!["x-ncp-apigw-signature-v2".into()];
    assert_eq!(req.send(&fake).await.gateway_error(404), "300");
    let received = fake.received();
    assert_eq!(
        received[0].action.as_deref(),
        Some("setServerImageSharingPermission")
    );
    assert_eq!(received[0].family, None);
}

#[tokio::test]
async fn missing_and_malformed_parameters() {
    let fake = fake().await;
    let add = vpc("addServerImageSharingPermission");
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("targetLoginIdList.1", RECIPIENT)],
            codes::MISSING_PARAMETER,
        ),
        (
            vec![("serverImageNo", "30000001")],
            codes::MISSING_PARAMETER,
        ),
        (
            vec![("serverImageNo", ""), ("targetLoginIdList.1", RECIPIENT)],
            codes::MISSING_PARAMETER,
        ),
        (
            vec![("serverImageNo", "abc"), ("targetLoginIdList.1", RECIPIENT)],
            codes::INVALID_PARAMETER,
        ),
        (
            vec![
                ("serverImageNo", "30000001"),
                ("targetLoginIdList", RECIPIENT),
            ],
            codes::INVALID_PARAMETER,
        ),
        (
            vec![
                ("serverImageNo", "30000001"),
                ("targetLoginIdList.0", RECIPIENT),
            ],
            codes::INVALID_PARAMETER,
        ),
        (
            vec![
                ("serverImageNo", "30000001"),
                ("serverImageNo", "30000001"),
                ("targetLoginIdList.1", RECIPIENT),
            ],
            codes::INVALID_PARAMETER,
        ),
    ];
    for (params, code) in cases {
        // XML.
        let reply = Req::get(&owner(), &add, &params).send(&fake).await;
        assert_eq!(reply.status, 400, "{params:?}: {}", reply.text);
        assert_eq!(reply.xml_error(), code, "{params:?}");
        // JSON, POST.
        let mut with_json = params.clone();
        with_json.push(JSON);
        let reply = Req::post(&owner(), &add, &with_json).send(&fake).await;
        assert_eq!(reply.status, 400);
        assert_eq!(reply.json_error(), code, "{params:?}");
    }
    // A bad responseFormatType answers in XML.
    let reply = Req::get(
        &owner(),
        &vpc("getServerImageList"),
        &[("responseFormatType", "yaml")],
    )
    .send(&fake)
    .await;
    assert_eq!(reply.xml_error(), codes::INVALID_PARAMETER);
    assert!(fake.shared_login_ids("30000001").is_empty());
    let last = fake.received().pop().unwrap();
    assert_eq!(last.error_code.as_deref(), Some(codes::INVALID_PARAMETER));
    assert_eq!(last.status, Some(400));
    assert_eq!(
        last.request_id, None,
        "a responseError carries no requestId"
    );
    assert_eq!(last.family, Some(NcloudFamily::VpcServerImage));
}

// ---- business rules --------------------------------------------------------------

async fn add_vpc(
    fake: &NcloudFake,
    who: &imgshare_testkit::NcloudAccount,
    no: &str,
    targets: &[&str],
) -> Value {
    let mut params = vec![("serverImageNo", no), JSON];
    let names: Vec<String> = (1..=targets.len())
        .map(|i| format!("targetLoginIdList.{i}"))
        .collect();
    for (name, t) in names.iter().zip(targets) {
        params.push((name.as_str(), t));
    }
    Req::get(who, &vpc("addServerImageSharingPermission"), &params)
        .send(fake)
        .await
        .json()
}

fn return_code(v: &Value) -> &str {
    v["responseError"]["returnCode"].as_str().unwrap_or("0")
}

#[tokio::test]
async fn unknown_image_and_regions() {
    let fake = fake().await;
    let v = add_vpc(&fake, &owner(), "39999999", &[RECIPIENT]).await;
    assert_eq!(return_code(&v), codes::IMAGE_NOT_FOUND);
    // 30000005 lives in SGN: not found in the default region (KR)...
    let v = add_vpc(&fake, &owner(), "30000005", &[RECIPIENT]).await;
    assert_eq!(return_code(&v), codes::IMAGE_NOT_FOUND);
    // ...found with regionCode=SGN.
    Req::get(
        &owner(),
        &vpc("addServerImageSharingPermission"),
        &[
            ("regionCode", "SGN"),
            ("serverImageNo", "30000005"),
            ("targetLoginIdList.1", RECIPIENT),
            JSON,
        ],
    )
    .send(&fake)
    .await
    .json_ok("addServerImageSharingPermission");
    // Unknown Classic and member numbers.
    let reply = Req::get(
        &owner(),
        &classic("setMemberServerImageSharingPermission"),
        &[("memberServerImageNo", "49999999")],
    )
    .send(&fake)
    .await;
    assert_eq!(reply.xml_error(), codes::IMAGE_NOT_FOUND);
    let reply = Req::get(
        &owner(),
        &vpc("getMemberServerImageInstanceDetail"),
        &[("memberServerImageInstanceNo", "39999999"), JSON],
    )
    .send(&fake)
    .await;
    assert_eq!(reply.json_error(), codes::IMAGE_NOT_FOUND);
}

#[tokio::test]
async fn only_the_owner_may_share() {
    let fake = fake().await;
    // `other` cannot even see the owner's image.
    let v = add_vpc(&fake, &other(), "30000001", &[RECIPIENT]).await;
    assert_eq!(return_code(&v), codes::IMAGE_NOT_FOUND);
    // Once shared with the recipient, it sees the image but cannot re-share.
    add_vpc(&fake, &owner(), "30000001", &[RECIPIENT, OTHER]).await;
    let v = add_vpc(&fake, &recipient(), "30000001", &[PAGER]).await;
    assert_eq!(return_code(&v), codes::NOT_OWNER);
    let reply = Req::get(
        &recipient(),
        &vpc("removeServerImageSharingPermission"),
        &[
            ("serverImageNo", "30000001"),
            ("targetLoginIdList.1", OTHER),
        ],
    )
    .send(&fake)
    .await;
    assert_eq!(reply.xml_error(), codes::NOT_OWNER);
    assert_eq!(fake.shared_login_ids("30000001"), [RECIPIENT, OTHER]);
    // The recipient's view lists only itself.
    let r = Req::get(&recipient(), &vpc("getServerImageList"), &[JSON])
        .send(&fake)
        .await
        .json_ok("getServerImageList");
    assert_eq!(r["totalRows"], 1);
    let image = &r["serverImageList"][0];
    assert_eq!(image["serverImageNo"], "30000001");
    assert_eq!(image["shareStatus"]["code"], "SHARE");
    assert_eq!(image["sharedLoginIdList"], json!([RECIPIENT]));
    // Classic: a non-owner gets not found.
    let reply = Req::get(
        &other(),
        &classic("addMemberServerImageSharingPermission"),
        &[
            ("memberServerImageNo", "40000001"),
            ("targetLoginIdList.1", RECIPIENT),
        ],
    )
    .send(&fake)
    .await;
    assert_eq!(reply.xml_error(), codes::IMAGE_NOT_FOUND);
}

#[tokio::test]
async fn self_unknown_and_duplicate_targets() {
    let fake = fake().await;
    let v = add_vpc(&fake, &owner(), "30000001", &[OWNER]).await;
    assert_eq!(return_code(&v), codes::SELF_SHARE);
    let v = add_vpc(&fake, &owner(), "30000001", &["nobody@ncp.test"]).await;
    assert_eq!(return_code(&v), codes::LOGIN_ID_NOT_FOUND);
    let v = add_vpc(&fake, &owner(), "30000001", &[RECIPIENT, RECIPIENT]).await;
    assert_eq!(return_code(&v), codes::DUPLICATED_LOGIN_ID);
    assert!(fake.shared_login_ids("30000001").is_empty());
    // Adding an id twice over two calls is idempotent.
    add_vpc(&fake, &owner(), "30000001", &[RECIPIENT]).await;
    let v = add_vpc(&fake, &owner(), "30000001", &[RECIPIENT, OTHER]).await;
    assert_eq!(return_code(&v), "0");
    assert_eq!(fake.shared_login_ids("30000001"), [RECIPIENT, OTHER]);
    // Classic remove with a duplicated id.
    let reply = Req::get(
        &owner(),
        &classic("removeMemberServerImageSharingPermission"),
        &[
            ("memberServerImageNo", "40000001"),
            ("targetLoginIdList.1", RECIPIENT),
            ("targetLoginIdList.2", RECIPIENT),
        ],
    )
    .send(&fake)
    .await;
    assert_eq!(reply.xml_error(), codes::DUPLICATED_LOGIN_ID);
}

#[tokio::test]
async fn status_and_hypervisor_rules() {
    let fake = fake().await;
    let v = add_vpc(&fake, &owner(), "30000003", &[RECIPIENT]).await;
    assert_eq!(return_code(&v), codes::IMAGE_NOT_SHAREABLE);
    let reply = Req::get(
        &owner(),
        &classic("addMemberServerImageSharingPermission"),
        &[
            ("memberServerImageNo", "40000004"),
            ("targetLoginIdList.1", RECIPIENT),
        ],
    )
    .send(&fake)
    .await;
    assert_eq!(reply.xml_error(), codes::IMAGE_NOT_SHAREABLE);
    // A KVM image through the member API, which documents "KVM-based server images
    // are not supported".
    let reply = Req::get(
        &owner(),
        &vpc("addMemberServerImageSharingPermission"),
        &[
            ("memberServerImageInstanceNo", "30000001"),
            ("targetLoginIdList.1", RECIPIENT),
            JSON,
        ],
    )
    .send(&fake)
    .await;
    assert_eq!(reply.json_error(), codes::KVM_NOT_SUPPORTED);
}

#[tokio::test]
async fn set_replaces_the_whole_list() {
    let fake = fake().await;
    for (path, number, no) in [
        (
            vpc("setMemberServerImageSharingPermission"),
            "memberServerImageInstanceNo",
            "30000002",
        ),
        (
            classic("setMemberServerImageSharingPermission"),
            "memberServerImageNo",
            "40000001",
        ),
    ] {
        let shares = |fake: &NcloudFake| {
            if no.starts_with('3') {
                fake.shared_login_ids(no)
            } else {
                fake.classic_shared_login_ids(no)
            }
        };
        Req::post(
            &owner(),
            &path,
            &[
                (number, no),
                ("targetLoginIdList.1", RECIPIENT),
                ("targetLoginIdList.2", OTHER),
            ],
        )
        .send(&fake)
        .await
        .xml_ok("setMemberServerImageSharingPermission");
        assert_eq!(shares(&fake), [RECIPIENT, OTHER]);
        // Replaces, in the order given (index order, not arrival order).
        let mut req = Req::get(&owner(), &path, &[]);
        req.query = Some(format!(
            "{number}={no}&targetLoginIdList.2={}&targetLoginIdList.1={}&responseFormatType=json",
            enc(ODD),
            enc(PAGER)
        ));
        let r = req
            .send(&fake)
            .await
            .json_ok("setMemberServerImageSharingPermission");
        assert_eq!(shares(&fake), [PAGER, ODD]);
        let list = r
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| k.ends_with("List"))
            .unwrap()
            .1;
        assert_eq!(list[0]["sharedLoginIdList"], json!([PAGER, ODD]));
        // No targets: everything is removed.
        let r = Req::get(&owner(), &path, &[(number, no), JSON])
            .send(&fake)
            .await
            .json_ok("setMemberServerImageSharingPermission");
        assert!(shares(&fake).is_empty());
        let list = r
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| k.ends_with("List"))
            .unwrap()
            .1;
        assert_eq!(list[0]["shareStatus"]["code"], "NULL");
        // Remove requires targets.
        let remove = path.replace("set", "remove");
        let reply = Req::get(&owner(), &remove, &[(number, no)])
            .send(&fake)
            .await;
        assert_eq!(reply.xml_error(), codes::MISSING_PARAMETER);
    }
}

// ---- paging, sorting, filters ------------------------------------------------------

fn nos(r: &Value, list: &str, field: &str) -> Vec<String> {
    r[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[field].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn vpc_paging_sorting_and_filters() {
    let fake = fake().await;
    let list = |params: Vec<(&'static str, &'static str)>| {
        let mut params = params;
        params.push(JSON);
        Req::get(&pager(), &vpc("getServerImageList"), &params)
    };
    let r = list(vec![]).send(&fake).await.json_ok("getServerImageList");
    assert_eq!(r["totalRows"], 5);
    assert_eq!(
        nos(&r, "serverImageList", "serverImageNo"),
        ["31000001", "31000002", "31000003", "31000004", "31000005"]
    );
    for first in ["0", "1"] {
        let r = list(vec![("pageNo", first), ("pageSize", "2")])
            .send(&fake)
            .await
            .json_ok("getServerImageList");
        assert_eq!(r["totalRows"], 5, "totalRows counts every match");
        assert_eq!(
            nos(&r, "serverImageList", "serverImageNo"),
            ["31000001", "31000002"]
        );
    }
    let r = list(vec![("pageNo", "3"), ("pageSize", "2")])
        .send(&fake)
        .await
        .json_ok("getServerImageList");
    assert_eq!(nos(&r, "serverImageList", "serverImageNo"), ["31000005"]);
    let r = list(vec![("pageNo", "4"), ("pageSize", "2")])
        .send(&fake)
        .await
        .json_ok("getServerImageList");
    assert_eq!(r["serverImageList"], json!([]));
    // Sorting by name, descending.
    let r = list(vec![
        ("sortedBy", "serverImageName"),
        ("sortingOrder", "DESC"),
    ])
    .send(&fake)
    .await
    .json_ok("getServerImageList");
    assert_eq!(
        nos(&r, "serverImageList", "serverImageName"),
        ["page-e", "page-d", "page-c", "page-b", "page-a"]
    );
    // Filters.
    let r = list(vec![("hypervisorTypeCodeList.1", "XEN")])
        .send(&fake)
        .await
        .json_ok("getServerImageList");
    assert_eq!(
        nos(&r, "serverImageList", "serverImageNo"),
        ["31000002", "31000004"]
    );
    let r = list(vec![
        ("serverImageNoList.1", "31000003"),
        ("serverImageNoList.2", "31000001"),
        ("serverImageName", "page-e"),
    ])
    .send(&fake)
    .await
    .json_ok("getServerImageList");
    assert_eq!(nos(&r, "serverImageList", "serverImageNo"), ["31000001"]);
    let r = list(vec![("serverImageTypeCodeList.1", "NCP")])
        .send(&fake)
        .await
        .json_ok("getServerImageList");
    assert_eq!(r["totalRows"], 0);
    // Bad paging and codes.
    for (params, code) in [
        (vec![("pageNo", "1")], codes::MISSING_PARAMETER),
        (vec![("pageSize", "0")], codes::INVALID_PARAMETER),
        (vec![("pageSize", "1001")], codes::INVALID_PARAMETER),
        (
            vec![("pageNo", "x"), ("pageSize", "2")],
            codes::INVALID_PARAMETER,
        ),
        (
            vec![("serverImageStatusCode", "DONE")],
            codes::INVALID_PARAMETER,
        ),
        (vec![("osTypeCodeList.1", "DOS")], codes::INVALID_PARAMETER),
        // Image numbers in a list filter are numbers.
        (
            vec![("serverImageNoList.1", "31x")],
            codes::INVALID_PARAMETER,
        ),
        (vec![("sortedBy", "size")], codes::INVALID_PARAMETER),
        (vec![("sortingOrder", "up")], codes::INVALID_PARAMETER),
    ] {
        let reply = list(params.clone()).send(&fake).await;
        assert_eq!(reply.status, 400);
        assert_eq!(reply.json_error(), code, "{params:?}");
    }
    // The member list pages the XEN images.
    let r = Req::get(
        &pager(),
        &vpc("getMemberServerImageInstanceList"),
        &[("pageNo", "2"), ("pageSize", "1"), JSON],
    )
    .send(&fake)
    .await
    .json_ok("getMemberServerImageInstanceList");
    assert_eq!(r["totalRows"], 2);
    assert_eq!(
        nos(
            &r,
            "memberServerImageInstanceList",
            "memberServerImageInstanceNo"
        ),
        ["31000004"]
    );
}

#[tokio::test]
async fn classic_paging_sorting_and_filters() {
    let fake = fake().await;
    let list = |params: Vec<(&'static str, &'static str)>| {
        let mut params = params;
        params.push(JSON);
        Req::get(&owner(), &classic("getMemberServerImageList"), &params)
    };
    let no = "memberServerImageNo";
    let r = list(vec![("sortingOrder", "descending")])
        .send(&fake)
        .await
        .json_ok("getMemberServerImageList");
    assert_eq!(
        nos(&r, "memberServerImageList", no),
        ["40000004", "40000002", "40000001"]
    );
    let r = list(vec![("sortedBy", "MEMBERSERVERIMAGENAME")])
        .send(&fake)
        .await
        .json_ok("getMemberServerImageList");
    assert_eq!(
        nos(&r, "memberServerImageList", no),
        ["40000004", "40000001", "40000002"]
    );
    let r = list(vec![("pageNo", "2"), ("pageSize", "2")])
        .send(&fake)
        .await
        .json_ok("getMemberServerImageList");
    assert_eq!(r["totalRows"], 3);
    assert_eq!(nos(&r, "memberServerImageList", no), ["40000004"]);
    let r = list(vec![("pageNo", "2"), ("pageSize", "0")])
        .send(&fake)
        .await
        .json_ok("getMemberServerImageList");
    assert_eq!(nos(&r, "memberServerImageList", no).len(), 3);
    let r = list(vec![("platformTypeCodeList.1", "WND64")])
        .send(&fake)
        .await
        .json_ok("getMemberServerImageList");
    assert_eq!(nos(&r, "memberServerImageList", no), ["40000002"]);
    let r = list(vec![("regionNo", "7")])
        .send(&fake)
        .await
        .json_ok("getMemberServerImageList");
    assert_eq!(nos(&r, "memberServerImageList", no), ["40000002"]);
    assert_eq!(r["memberServerImageList"][0]["region"]["regionCode"], "SGN");
    for params in [
        vec![("regionNo", "4")],
        vec![("sortingOrder", "ASC")],
        vec![("platformTypeCodeList.1", "MAC64")],
        vec![
            ("platformTypeCodeList.1", "LNX32"),
            ("platformTypeCodeList.2", "LNX64"),
            ("platformTypeCodeList.3", "WND32"),
            ("platformTypeCodeList.4", "WND64"),
            ("platformTypeCodeList.5", "UBD64"),
            ("platformTypeCodeList.6", "UBS64"),
        ],
    ] {
        let reply = list(params.clone()).send(&fake).await;
        assert_eq!(reply.json_error(), codes::INVALID_PARAMETER, "{params:?}");
    }
}

// ---- faults and throttling ---------------------------------------------------------

#[tokio::test]
async fn gateway_throttling_and_endpoint_faults() {
    let fake = fake().await;
    for (fault, status, code) in [
        (NcloudFault::QuotaExceeded, 429, "400"),
        (NcloudFault::ThrottleLimited, 429, "410"),
        (NcloudFault::RateLimited, 429, "420"),
        (NcloudFault::EndpointError, 503, "500"),
        (NcloudFault::EndpointTimeout, 504, "510"),
    ] {
        fake.inject(fault.clone(), 1);
        let reply = detail(&owner()).send(&fake).await;
        assert_eq!(reply.gateway_error(status), code, "{fault:?}");
    }
    // Back to normal.
    detail(&owner())
        .send(&fake)
        .await
        .json_ok("getServerImageDetail");
    let received = fake.received();
    assert_eq!(received[1].fault, Some(NcloudFault::ThrottleLimited.into()));
    assert_eq!(received[1].error_code.as_deref(), Some("410"));
    assert_eq!(received[1].status, Some(429));
    assert_eq!(received[1].login_id, None, "faults apply before auth");
}

#[tokio::test]
async fn plain_5xx_html_502_and_try_again_later() {
    let fake = fake().await;
    fake.inject(Fault::Status(500), 1);
    fake.inject(Fault::Html502, 1);
    fake.inject(NcloudFault::TryAgainLater, 2);
    let reply = detail(&owner()).send(&fake).await;
    assert_eq!(reply.status, 500);
    assert!(reply.content_type.starts_with("text/plain"));
    let reply = detail(&owner()).send(&fake).await;
    assert_eq!(reply.status, 502);
    assert_eq!(reply.content_type, "text/html");
    assert!(reply.text.contains("502 Bad Gateway"));
    // responseError 1000 with HTTP 500, in the requested format.
    let reply = detail(&owner()).send(&fake).await;
    assert_eq!(reply.status, 500);
    assert_eq!(reply.json_error(), codes::TRY_AGAIN_LATER);
    let reply = Req::get(&owner(), &vpc("getServerImageList"), &[])
        .send(&fake)
        .await;
    assert_eq!(reply.status, 500);
    assert_eq!(reply.xml_error(), codes::TRY_AGAIN_LATER);
}

#[tokio::test]
async fn malformed_bodies_do_not_parse_in_either_format() {
    let fake = fake().await;
    fake.inject(NcloudFault::MalformedBody, 2);
    let reply = detail(&owner()).send(&fake).await;
    assert_eq!(reply.status, 200);
    assert!(reply.content_type.starts_with("application/json"));
    assert!(serde_json::from_str::<Value>(&reply.text).is_err());
    let reply = Req::get(&owner(), &vpc("getServerImageList"), &[])
        .send(&fake)
        .await;
    assert_eq!(reply.status, 200);
    assert!(reply.content_type.starts_with("application/xml"));
    let parsed = std::panic::catch_unwind(|| parse_xml(&reply.text));
    assert!(parsed.is_err(), "truncated XML must not parse");
}

#[tokio::test]
async fn dropped_connection_and_delay() {
    let fake = fake().await;
    fake.inject(Fault::DropConnection, 1);
    let err = detail(&owner())
        .try_send(&fake.uri())
        .await
        .expect_err("a dropped connection must not produce a response");
    assert!(err.status().is_none(), "{err:?}");
    detail(&owner())
        .send(&fake)
        .await
        .json_ok("getServerImageDetail");
    let received = fake.received();
    assert_eq!(received[0].fault, Some(Fault::DropConnection));
    assert_eq!(received[0].status, None);
    assert_eq!(received[0].family, Some(NcloudFamily::VpcServerImage));

    fake.inject(Fault::Delay(Duration::from_millis(300)), 1);
    let started = Instant::now();
    detail(&owner())
        .send(&fake)
        .await
        .json_ok("getServerImageDetail");
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn rate_limit_answers_429_rate_limited() {
    let fake = fake().await;
    fake.set_rate_limit(Some(2));
    detail(&owner())
        .send(&fake)
        .await
        .json_ok("getServerImageDetail");
    detail(&owner())
        .send(&fake)
        .await
        .json_ok("getServerImageDetail");
    let reply = detail(&owner()).send(&fake).await;
    assert_eq!(reply.gateway_error(429), "420");
    // Per account and action: others still pass.
    detail(&recipient()).send(&fake).await.json_error();
    Req::get(&owner(), &vpc("getServerImageList"), &[JSON])
        .send(&fake)
        .await
        .json_ok("getServerImageList");
    fake.set_rate_limit(None);
    detail(&owner())
        .send(&fake)
        .await
        .json_ok("getServerImageDetail");
}

// ---- mounting and seeds ------------------------------------------------------------

#[tokio::test]
async fn mounts_next_to_other_fakes_on_one_server() {
    assert_eq!(Ncloud::PRIORITY, 1);
    assert_eq!(Ncloud::PATHS, "^/(vserver|server)/v2/");
    let server = MockServer::start().await;
    // Another fake's catch-all (like Tencent's `POST /` or SCP's `/v1/`).
    Mock::given(any())
        .respond_with(ResponseTemplate::new(418))
        .with_priority(2)
        .mount(&server)
        .await;
    let fake = NcloudFake::mount_on(&server, seed()).await;
    assert!(fake.mock_server().is_none());
    assert_eq!(fake.uri(), server.uri());
    detail(&owner())
        .send(&fake)
        .await
        .json_ok("getServerImageDetail");
    fake.inject(Fault::DropConnection, 1);
    let client = http_client();
    for (method, path) in [
        ("POST", "/"),
        ("GET", "/v1/images"),
        ("GET", "/vserver/v3/x"),
    ] {
        let status = client
            .request(method.parse().unwrap(), format!("{}{path}", server.uri()))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status.as_u16(), 418, "{method} {path}");
    }
    // The drop fault was kept for the next NCP request.
    assert!(detail(&owner()).try_send(&fake.uri()).await.is_err());
    assert_eq!(fake.request_count(), 2);
    // Dropping the handle leaves the mocks serving.
    drop(fake);
    let reply = detail(&owner()).try_send(&server.uri()).await.unwrap();
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn demo_seed_serves_and_seed_reflects_state() {
    let fake = NcloudFake::start_with_seed(NcloudSeed::demo()).await;
    assert!(fake.mock_server().is_some());
    let demo = NcloudSeed::demo();
    let owner = &demo.accounts[0];
    Req::get(
        owner,
        &vpc("addServerImageSharingPermission"),
        &[
            ("serverImageNo", "10000001"),
            ("targetLoginIdList.1", demo.accounts[1].login_id.as_str()),
        ],
    )
    .send(&fake)
    .await
    .xml_ok("addServerImageSharingPermission");
    let seed = fake.seed();
    assert_eq!(seed.images[0].shared_login_ids, ["recipient@imgshare.test"]);
    // The seed round-trips through JSON and re-seeds an equal fake.
    let json = serde_json::to_string(&seed).unwrap();
    let again = NcloudFake::start_with_seed(NcloudSeed::from_json_str(&json).unwrap()).await;
    assert_eq!(
        again.shared_login_ids("10000001"),
        ["recipient@imgshare.test"]
    );
    // Empty fake: no keys at all.
    let empty = NcloudFake::start().await;
    assert_eq!(detail(owner).send(&empty).await.gateway_error(401), "200");
}

/// The documented limit: wiremock hands the fake a `url::Url`, which escapes
/// a raw `'` and raw UTF-8 in the query. A raw-byte client must sign the
/// escaped form; an already-encoded target is seen byte for byte.
#[tokio::test]
async fn raw_quote_and_utf8_in_the_query_are_seen_escaped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let fake = fake().await;
    let raw_target =
        "/vserver/v2/getServerImageList?serverImageName=o'k-\u{e9}&responseFormatType=json";
    let seen_target =
        "/vserver/v2/getServerImageList?serverImageName=o%27k-%C3%A9&responseFormatType=json";
    for (signed, ok) in [(raw_target, false), (seen_target, true)] {
        let ts = now_ms().to_string();
        let sig = ncp_sign("test-secret-owner", "GET", signed, &ts, "AKTESTOWNER");
        let request = format!(
            "GET {raw_target} HTTP/1.1\r\nhost: {}\r\nx-ncp-apigw-timestamp: {ts}\r\nx-ncp-iam-access-key: AKTESTOWNER\r\nx-ncp-apigw-signature-v2: {sig}\r\nconnection: close\r\n\r\n",
            fake.address()
        );
        let mut stream = tokio::net::TcpStream::connect(fake.address())
            .await
            .unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let status_line = response.lines().next().unwrap();
        assert_eq!(status_line.contains(" 200 "), ok, "{signed}: {response}");
    }
    let received = fake.received();
    assert!(received.iter().all(|r| r.request_target == seen_target));
}
