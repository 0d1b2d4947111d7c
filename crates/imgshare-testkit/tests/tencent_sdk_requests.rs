//! The fake accepts requests shaped exactly as the official SDKs send them (their
//! request code, and Tencent's signature pages): TC3 over GET (signed query) and POST (form or JSON body),
//! UNSIGNED-PAYLOAD, and signature v1 (HmacSHA1, HmacSHA256) over GET and POST, with flattened
//! 0-based parameters; tampered requests are refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use imgshare_testkit::tencent_v1::{self, SignatureMethod};
use serde_json::json;
use support::sdk::{Tc3, V1, encode_pairs, flatten, hmac_sha1, sha1, v1_sign, v1_string_to_sign};
use support::*;

fn share_body(accounts: &[&str]) -> serde_json::Value {
    json!({"ImageId": "img-aaaa0001", "AccountIds": accounts, "Permission": "SHARE"})
}

#[test]
fn test_side_sha1_is_right() {
    assert_eq!(
        hex::encode(sha1(b"abc")),
        "a9993e364706816aba3e25717850c26c9cd0d89d"
    );
    assert_eq!(
        hex::encode(hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
    );
}

/// The signature v1 example of Tencent's signature page (Tencent's "Signature" page, beside signature v3), with both the test-side signer and the fake's verifier.
#[test]
fn v1_doc_vector_is_reproduced_by_both_sides() {
    let params: Vec<(String, String)> = [
        ("Action", "DescribeInstances"),
        ("InstanceIds.0", "ins-09dx96dg"),
        ("Limit", "20"),
        ("Nonce", "11886"),
        ("Offset", "0"),
        ("Region", "ap-guangzhou"),
        ("SecretId", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
        ("Timestamp", "1465185768"),
        ("Version", "2017-03-12"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    let sts = v1_string_to_sign("GET", "cvm.tencentcloudapi.com", &params);
    assert_eq!(
        sts,
        "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12"
    );
    assert_eq!(v1_sign(None, key, &sts), "EliP9YW3pW28FpsEdkXt/+WcGeI=");
    // URL-encoded with upper-case hex, as the doc prints it.
    assert_eq!(
        encode_pairs(&[("Signature".into(), "EliP9YW3pW28FpsEdkXt/+WcGeI=".into())]),
        "Signature=EliP9YW3pW28FpsEdkXt%2F%2BWcGeI%3D"
    );

    // The fake's verifier computes the same and accepts it.
    let borrowed: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let fake_sts = tencent_v1::string_to_sign("GET", "cvm.tencentcloudapi.com", "/", &borrowed);
    assert_eq!(fake_sts, sts);
    assert_eq!(
        tencent_v1::signature(SignatureMethod::HmacSha1, key, &fake_sts),
        "EliP9YW3pW28FpsEdkXt/+WcGeI="
    );
    let mut signed = borrowed.clone();
    signed.push(("Signature", "EliP9YW3pW28FpsEdkXt/+WcGeI="));
    assert_eq!(
        tencent_v1::verify(
            "GET",
            "cvm.tencentcloudapi.com",
            "/",
            &signed,
            key,
            1465185768
        ),
        Ok(())
    );

    // The HmacSHA256 variant (self-computed in the notes).
    let mut with_method = params.clone();
    with_method.push(("SignatureMethod".into(), "HmacSHA256".into()));
    let sts = v1_string_to_sign("GET", "cvm.tencentcloudapi.com", &with_method);
    let expected = "A8uy2/o7WBZXYCTWEFpMrVGhGBVlEGIOioeqRM+fzFs=";
    assert_eq!(v1_sign(Some("HmacSHA256"), key, &sts), expected);
    assert_eq!(
        tencent_v1::signature(SignatureMethod::HmacSha256, key, &sts),
        expected
    );
}

#[test]
fn flattening_is_zero_based() {
    let flat = flatten(&json!({
        "Filters": [{"Name": "zone", "Values": ["ap-guangzhou-6"]}, {"Name": "x", "Values": ["a", "POSTPAID_BY_HOUR"]}],
        "AccountIds": ["1038493875"],
    }));
    let names: Vec<&str> = flat.iter().map(|(k, _)| k.as_str()).collect();
    assert!(names.contains(&"Filters.0.Name"));
    assert!(names.contains(&"Filters.0.Values.0"));
    assert!(names.contains(&"Filters.1.Values.1"));
    assert!(names.contains(&"AccountIds.0"));
}

#[tokio::test]
async fn tc3_get_as_go_and_python_send_it() {
    let fake = fake().await;
    let params = json!({
        "Filters": [
            {"Name": "image-type", "Values": ["PRIVATE_IMAGE"]},
            {"Name": "image-name", "Values": ["web server"]}
        ],
        "Limit": 10,
        "Offset": 0
    });
    // Go sorts the query; Python keeps dict order. Both sign exactly what they send.
    for call in [
        Tc3::go_get(&fake, &owner(), "DescribeImages", &params),
        Tc3::python_get(&fake, &owner(), "DescribeImages", &params),
    ] {
        assert!(call.query.contains("Filters.0.Values.0=PRIVATE_IMAGE"));
        let response = call.send(&fake).await.ok();
        assert_eq!(response["TotalCount"], 0, "no name has a space");
    }
    let params = json!({"Filters": [{"Name": "image-name", "Values": ["web"]}], "Limit": 10});
    let response = Tc3::go_get(&fake, &owner(), "DescribeImages", &params)
        .send(&fake)
        .await
        .ok();
    assert_eq!(response["TotalCount"], 1);
    assert_eq!(response["ImageSet"][0]["ImageId"], "img-aaaa0001");

    let response = Tc3::go_get(
        &fake,
        &owner(),
        "DescribeImageSharePermission",
        &json!({"ImageId": "img-aaaa0001"}),
    )
    .send(&fake)
    .await
    .ok();
    assert_eq!(response["SharePermissionSet"], json!([]));
    let last = fake.received().pop().unwrap();
    assert_eq!(last.method, "GET");
    assert_eq!(last.query, "ImageId=img-aaaa0001");
    assert_eq!(last.signature_method.as_deref(), Some("TC3-HMAC-SHA256"));
}

#[tokio::test]
async fn tc3_form_post_shares_with_flattened_account_ids() {
    let fake = fake().await;
    let call = Tc3::form_post(
        &fake,
        &owner(),
        "ModifyImageSharePermission",
        &share_body(&[RECIPIENT, "100000000009"]),
    );
    assert!(
        String::from_utf8_lossy(&call.body)
            .contains("AccountIds.0=100000000002&AccountIds.1=100000000009")
    );
    call.send(&fake).await.ok();
    assert_eq!(
        fake.shared_accounts("img-aaaa0001"),
        [RECIPIENT, "100000000009"]
    );
}

#[tokio::test]
async fn tc3_json_go_style_and_unsigned_payload() {
    let fake = fake().await;
    let mut call = Tc3::go_json(
        &fake,
        &owner(),
        "ModifyImageSharePermission",
        &share_body(&[RECIPIENT]),
    );
    call.unsigned_payload = true;
    call.send(&fake).await.ok();
    assert_eq!(fake.shared_accounts("img-aaaa0001"), [RECIPIENT]);

    // Temporary credentials over GET.
    let t = Tc3::go_get(&fake, &temporary(), "DescribeImages", &json!({}));
    t.send(&fake).await.ok();
}

#[tokio::test]
async fn tc3_tampered_query_form_or_payload_is_refused() {
    let fake = fake().await;
    let get = Tc3::go_get(
        &fake,
        &owner(),
        "DescribeImageSharePermission",
        &json!({"ImageId": "img-aaaa0001"}),
    );
    // The query changed after signing.
    let mut tampered = get.clone();
    let headers = tampered.headers();
    tampered.query = "ImageId=img-aaaa0002".into();
    let reply = support::sdk::send_to(&fake, "GET", &tampered.query, &headers, Vec::new()).await;
    assert_eq!(
        reply.code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    // Same parameters, re-ordered: the raw query is what is signed.
    let reply = support::sdk::send_to(
        &fake,
        "GET",
        "ImageId=img-aaaa0001&",
        &get.headers(),
        Vec::new(),
    )
    .await;
    assert_eq!(
        reply.code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    // Wrong secret.
    let mut wrong = get.clone();
    wrong.account.secret_key.push('x');
    assert_eq!(
        wrong.send(&fake).await.code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );

    // The form body changed after signing.
    let form = Tc3::form_post(
        &fake,
        &owner(),
        "ModifyImageSharePermission",
        &share_body(&[RECIPIENT]),
    );
    let body = String::from_utf8(form.body.clone())
        .unwrap()
        .replace("100000000002", "100000000009");
    let reply = support::sdk::send_to(&fake, "POST", "", &form.headers(), body.into_bytes()).await;
    assert_eq!(
        reply.code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );

    // UNSIGNED-PAYLOAD claimed but the real hash signed.
    let json_call = Tc3::go_json(&fake, &owner(), "DescribeImages", &json!({}));
    let mut headers = json_call.headers();
    headers.push(("X-TC-Content-SHA256".into(), "UNSIGNED-PAYLOAD".into()));
    let reply = support::sdk::send_to(&fake, "POST", "", &headers, json_call.body.clone()).await;
    assert_eq!(
        reply.code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    assert!(fake.shared_accounts("img-aaaa0001").is_empty());
}

#[tokio::test]
async fn v1_hmac_sha1_and_sha256_over_get_and_post() {
    let fake = fake().await;
    // GET, no SignatureMethod → HmacSHA1.
    let get = V1::new(
        &fake,
        &owner(),
        "GET",
        "DescribeImages",
        &json!({"Filters": [{"Name": "image-name", "Values": ["server"]}], "Limit": 1, "Offset": 1}),
        None,
    );
    let response = get.send(&fake).await.ok();
    assert_eq!(response["TotalCount"], 2);
    assert_eq!(response["ImageSet"][0]["ImageId"], "img-aaaa0002");
    let last = fake.received().pop().unwrap();
    assert_eq!(last.signature_method.as_deref(), Some("HmacSHA1"));
    assert_eq!(last.action.as_deref(), Some("DescribeImages"));
    assert_eq!(last.account_id.as_deref(), Some(OWNER));
    assert_eq!(last.region.as_deref(), Some("ap-guangzhou"));

    // POST form, HmacSHA256, two accounts as AccountIds.0 / AccountIds.1.
    let post = V1::new(
        &fake,
        &owner(),
        "POST",
        "ModifyImageSharePermission",
        &share_body(&[RECIPIENT, "100000000009"]),
        Some("HmacSHA256"),
    );
    post.send(&fake).await.ok();
    assert_eq!(
        fake.shared_accounts("img-aaaa0001"),
        [RECIPIENT, "100000000009"]
    );
    assert_eq!(
        fake.received().pop().unwrap().signature_method.as_deref(),
        Some("HmacSHA256")
    );

    // An explicit HmacSHA1, and a temporary key with its Token parameter.
    let explicit = V1::new(
        &fake,
        &owner(),
        "GET",
        "DescribeImageSharePermission",
        &json!({"ImageId": "img-aaaa0001"}),
        Some("HmacSHA1"),
    );
    let set = explicit.send(&fake).await.ok()["SharePermissionSet"].clone();
    assert_eq!(set.as_array().unwrap().len(), 2);
    V1::new(
        &fake,
        &temporary(),
        "POST",
        "DescribeImages",
        &json!({}),
        None,
    )
    .send(&fake)
    .await
    .ok();

    // A value that needs escaping (space, '/', non-ASCII) is signed raw and sent encoded.
    let name = V1::new(
        &fake,
        &owner(),
        "GET",
        "DescribeImages",
        &json!({"Filters": [{"Name": "image-name", "Values": ["web server/未命名"]}]}),
        Some("HmacSHA256"),
    );
    assert!(name.encoded().contains("web+server%2F%E6%9C%AA"));
    assert_eq!(name.send(&fake).await.ok()["TotalCount"], 0);
}

#[tokio::test]
async fn v1_tampering_and_missing_parameters_are_refused() {
    let fake = fake().await;
    let base = V1::new(
        &fake,
        &owner(),
        "POST",
        "ModifyImageSharePermission",
        &share_body(&[RECIPIENT]),
        Some("HmacSHA256"),
    );
    let code = |reply: Reply| reply.code();

    // Wrong secret, for both methods.
    for method in [None, Some("HmacSHA256")] {
        let mut wrong = base.clone();
        wrong.set("SignatureMethod", method);
        wrong.signature_method = method;
        wrong.secret_key.push('x');
        assert_eq!(
            code(wrong.send(&fake).await).as_deref(),
            Some("AuthFailure.SignatureFailure")
        );
    }
    // A parameter changed after signing.
    let encoded = base.encoded().replace("100000000002", "100000000009");
    assert_eq!(
        code(base.send_encoded(&fake, encoded).await).as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    // SignatureMethod changed after signing (HmacSHA256 signature, claimed HmacSHA1).
    let encoded = base
        .encoded()
        .replace("SignatureMethod=HmacSHA256", "SignatureMethod=HmacSHA1");
    assert_eq!(
        code(base.send_encoded(&fake, encoded).await).as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    // Signed as GET, sent as POST.
    let mut as_get = base.clone();
    as_get.method = "GET";
    let encoded = as_get.encoded();
    assert_eq!(
        code(base.send_encoded(&fake, encoded).await).as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    // Expired, unknown key, missing common parameters.
    let mut old = base.clone();
    old.set("Timestamp", Some(&(now() - 301).to_string()));
    assert_eq!(
        code(old.send(&fake).await).as_deref(),
        Some("AuthFailure.SignatureExpire")
    );
    let mut nobody = base.clone();
    nobody.set("SecretId", Some("AKIDNOBODY"));
    assert_eq!(
        code(nobody.send(&fake).await).as_deref(),
        Some("AuthFailure.SecretIdNotFound")
    );
    for name in ["Nonce", "Region", "Action", "Version", "Timestamp"] {
        let mut missing = base.clone();
        missing.set(name, None);
        assert_eq!(
            code(missing.send(&fake).await).as_deref(),
            Some("MissingParameter"),
            "without {name}"
        );
    }
    // A temporary key without its Token.
    let mut no_token = V1::new(
        &fake,
        &temporary(),
        "GET",
        "DescribeImages",
        &json!({}),
        None,
    );
    no_token.set("Token", None);
    assert_eq!(
        code(no_token.send(&fake).await).as_deref(),
        Some("AuthFailure.TokenFailure")
    );
    // 1-based indexes (the 2018 doc's `AccountIds.1`) are not the SDKs' 0-based form.
    let mut one_based = base.clone();
    one_based.set("AccountIds.0", None);
    one_based.set("AccountIds.1", Some(RECIPIENT));
    assert_eq!(
        code(one_based.send(&fake).await).as_deref(),
        Some("InvalidParameter")
    );
    // An unknown flattened parameter.
    let mut unknown = base.clone();
    unknown.set("ImageName", Some("x"));
    assert_eq!(
        code(unknown.send(&fake).await).as_deref(),
        Some("UnknownParameter")
    );
    assert!(fake.shared_accounts("img-aaaa0001").is_empty());

    // Finally the untouched request goes through.
    base.send(&fake).await.ok();
    assert_eq!(fake.shared_accounts("img-aaaa0001"), [RECIPIENT]);
}
