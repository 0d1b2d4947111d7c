//! Common headers and TC3 authentication, end to end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::json;
use support::*;

fn describe(fake: &imgshare_testkit::TencentFake) -> Call {
    Call::new(fake, &owner(), "DescribeImages", json!({}))
}

fn set(headers: &mut Vec<(String, String)>, name: &str, value: Option<&str>) {
    headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    if let Some(value) = value {
        headers.push((name.to_string(), value.to_string()));
    }
}

async fn code_with(
    fake: &imgshare_testkit::TencentFake,
    call: &Call,
    edit: impl FnOnce(&mut Vec<(String, String)>),
) -> Option<String> {
    let mut headers = call.headers();
    edit(&mut headers);
    send_raw(fake, "POST", &headers, call.body.clone())
        .await
        .code()
}

#[tokio::test]
async fn correctly_signed_variants_are_accepted() {
    let fake = fake().await;
    let base = describe(&fake);
    assert_eq!(base.send(&fake).await.code(), None);

    // charset variant, x-tc-action signed, and X-TC-Language.
    let mut c = base.clone();
    c.content_type = "application/json; charset=utf-8".into();
    c.sign_action = true;
    assert_eq!(c.send(&fake).await.code(), None);
    assert_eq!(
        code_with(&fake, &base, |h| set(h, "X-TC-Language", Some("en-US"))).await,
        None
    );
    // Temporary credentials with their token.
    let t = Call::new(&fake, &temporary(), "DescribeImages", json!({}));
    assert_eq!(t.send(&fake).await.code(), None);

    // Unicode body signed as sent.
    let mut u = Call::new(&fake, &owner(), "DescribeImages", json!({}));
    u.body = r#"{"Filters": [{"Values": ["未命名"], "Name": "image-name"}]}"#
        .as_bytes()
        .to_vec();
    assert_eq!(u.send(&fake).await.code(), None);

    // Every response has its own RequestId.
    let a = base.send(&fake).await.json()["Response"]["RequestId"].clone();
    let b = base.send(&fake).await.json()["Response"]["RequestId"].clone();
    assert_ne!(a, b);
}

#[tokio::test]
async fn signature_failure_on_one_changed_byte() {
    let fake = fake().await;
    let call = Call::new(
        &fake,
        &owner(),
        "ModifyImageSharePermission",
        json!({"ImageId": "img-aaaa0001", "AccountIds": [RECIPIENT], "Permission": "SHARE"}),
    );
    // Body changed after signing: RECIPIENT ...02 becomes ...03.
    let mut body = call.body.clone();
    let pos = body.windows(3).position(|w| w == b"002").unwrap();
    body[pos + 2] = b'3';
    let reply = send_raw(&fake, "POST", &call.headers(), body).await;
    assert_eq!(
        reply.code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    assert!(fake.shared_accounts("img-aaaa0001").is_empty());

    // One hex digit of the signature changed.
    let code = code_with(&fake, &call, |h| {
        let auth = h.iter_mut().find(|(n, _)| n == "Authorization").unwrap();
        let last = auth.1.pop().unwrap();
        auth.1.push(if last == '0' { '1' } else { '0' });
    })
    .await;
    assert_eq!(code.as_deref(), Some("AuthFailure.SignatureFailure"));

    // Wrong key for a known SecretId.
    let mut wrong = call.clone();
    wrong.account.secret_key.push('x');
    assert_eq!(
        wrong.send(&fake).await.code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );

    // Signed for another host.
    let mut host = call.clone();
    host.host = "cvm.tencentcloudapi.com".into();
    assert_eq!(
        host.send(&fake).await.code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );

    // Signed with charset but sent without it.
    let mut ct = call.clone();
    ct.content_type = "application/json; charset=utf-8".into();
    let code = code_with(&fake, &ct, |h| {
        set(h, "Content-Type", Some("application/json"))
    })
    .await;
    assert_eq!(code.as_deref(), Some("AuthFailure.SignatureFailure"));

    // Signed x-tc-action, then the action header changed.
    let mut action = describe(&fake);
    action.sign_action = true;
    let code = code_with(&fake, &action, |h| {
        set(h, "X-TC-Action", Some("DescribeImageSharePermission"))
    })
    .await;
    assert_eq!(code.as_deref(), Some("AuthFailure.SignatureFailure"));

    let received = fake.received();
    assert!(received.iter().all(|r| r.account_id.is_none()));
    assert!(
        received
            .iter()
            .all(|r| r.error_code.as_deref() == Some("AuthFailure.SignatureFailure"))
    );
}

#[tokio::test]
async fn signature_expire_beyond_300_seconds() {
    let fake = fake().await;
    // The fake's clock stands still at a known second, so the edge does not depend on how
    // long a request takes.
    let at = now() - 3600;
    fake.freeze_clock_at_secs(at).unwrap();
    for (offset, code) in [
        (-301, Some("AuthFailure.SignatureExpire")),
        (301, Some("AuthFailure.SignatureExpire")),
        (-300, None),
        (300, None),
    ] {
        let mut c = describe(&fake);
        c.timestamp = at + offset;
        assert_eq!(
            c.send(&fake).await.code().as_deref(),
            code,
            "offset {offset}"
        );
    }

    // The fake's clock can be moved instead.
    fake.advance_clock_ms(400_000).unwrap();
    let mut c = describe(&fake);
    c.timestamp = at;
    assert_eq!(
        c.send(&fake).await.code().as_deref(),
        Some("AuthFailure.SignatureExpire")
    );
    c.timestamp = at + 400;
    assert_eq!(c.send(&fake).await.code(), None);
}

#[tokio::test]
async fn authorization_header_problems() {
    let fake = fake().await;
    let base = describe(&fake);

    let code = code_with(&fake, &base, |h| set(h, "Authorization", None)).await;
    assert_eq!(code.as_deref(), Some("AuthFailure.InvalidAuthorization"));

    for bad in [
        "TC3-HMAC-SHA256 garbage",
        "HMAC-SHA256 Credential=AKIDTESTOWNER/2020-01-01/cvm/tc3_request, SignedHeaders=content-type;host, Signature=00",
        "TC3-HMAC-SHA256 Credential=AKIDTESTOWNER/2020-01-01/cvm/tc3_request, SignedHeaders=content-type;host",
    ] {
        let code = code_with(&fake, &base, |h| set(h, "Authorization", Some(bad))).await;
        assert_eq!(
            code.as_deref(),
            Some("AuthFailure.InvalidAuthorization"),
            "{bad}"
        );
    }

    // Unknown SecretId.
    let mut unknown = base.clone();
    unknown.account.secret_id = "AKIDNOBODY".into();
    assert_eq!(
        unknown.send(&fake).await.code().as_deref(),
        Some("AuthFailure.SecretIdNotFound")
    );

    // Wrong service in the scope (correctly signed for it).
    let mut service = base.clone();
    service.service = "cbs".into();
    assert_eq!(
        service.send(&fake).await.code().as_deref(),
        Some("AuthFailure.InvalidAuthorization")
    );

    // Date that is not the UTC date of the timestamp (signed with that date).
    let code = code_with(&fake, &base, |h| {
        let auth = h.iter_mut().find(|(n, _)| n == "Authorization").unwrap();
        auth.1 = auth.1.replace(&base.date(), "2001-01-01");
    })
    .await;
    assert_eq!(code.as_deref(), Some("AuthFailure.InvalidAuthorization"));

    // SignedHeaders without host.
    let code = code_with(&fake, &base, |h| {
        let auth = h.iter_mut().find(|(n, _)| n == "Authorization").unwrap();
        auth.1 = auth.1.replace(
            "SignedHeaders=content-type;host",
            "SignedHeaders=content-type",
        );
    })
    .await;
    assert_eq!(code.as_deref(), Some("AuthFailure.InvalidAuthorization"));
}

#[tokio::test]
async fn session_token_rules() {
    let fake = fake().await;
    let temp = Call::new(&fake, &temporary(), "DescribeImages", json!({}));
    let code = code_with(&fake, &temp, |h| set(h, "X-TC-Token", None)).await;
    assert_eq!(code.as_deref(), Some("AuthFailure.TokenFailure"));
    let code = code_with(&fake, &temp, |h| set(h, "X-TC-Token", Some("test-token-2"))).await;
    assert_eq!(code.as_deref(), Some("AuthFailure.TokenFailure"));

    // A token with a long-term key.
    let code = code_with(&fake, &describe(&fake), |h| {
        set(h, "X-TC-Token", Some("test-token-1"))
    })
    .await;
    assert_eq!(code.as_deref(), Some("AuthFailure.TokenFailure"));
}

#[tokio::test]
async fn common_header_errors() {
    let fake = fake().await;
    let base = describe(&fake);

    let mut unknown = base.clone();
    unknown.action = "RunInstances".into();
    assert_eq!(
        unknown.send(&fake).await.code().as_deref(),
        Some("InvalidAction")
    );

    let mut version = base.clone();
    version.version = "2018-01-01".into();
    assert_eq!(
        version.send(&fake).await.code().as_deref(),
        Some("NoSuchVersion")
    );

    let mut region = base.clone();
    region.region = None;
    assert_eq!(
        region.send(&fake).await.code().as_deref(),
        Some("MissingParameter")
    );

    for name in ["X-TC-Action", "X-TC-Version", "X-TC-Timestamp"] {
        let code = code_with(&fake, &base, |h| set(h, name, None)).await;
        assert_eq!(code.as_deref(), Some("MissingParameter"), "without {name}");
    }

    let code = code_with(&fake, &base, |h| set(h, "X-TC-Language", Some("fr-FR"))).await;
    assert_eq!(code.as_deref(), Some("InvalidParameterValue"));

    // Only JSON and form bodies, only GET and POST (the documented
    // Content-Types; anything else is `UnsupportedProtocol`).
    let mut multipart = base.clone();
    multipart.content_type = "multipart/form-data; boundary=x".into();
    assert_eq!(
        multipart.send(&fake).await.code().as_deref(),
        Some("UnsupportedProtocol")
    );
    let put = send_raw(&fake, "PUT", &base.headers(), Vec::new()).await;
    assert_eq!(put.code().as_deref(), Some("UnsupportedProtocol"));

    // A signed body that is not JSON.
    let mut not_json = base.clone();
    not_json.body = b"Limit=1".to_vec();
    assert_eq!(
        not_json.send(&fake).await.code().as_deref(),
        Some("InvalidParameter")
    );

    // received() saw every one, with what was answered.
    let received = fake.received();
    assert_eq!(received.len(), fake.request_count());
    assert_eq!(received[0].action.as_deref(), Some("RunInstances"));
    assert_eq!(received[0].error_code.as_deref(), Some("InvalidAction"));
    assert_eq!(received[0].body, "{}");
    let last = received.last().unwrap();
    assert_eq!(last.account_id.as_deref(), Some(OWNER));
    assert_eq!(last.error_code.as_deref(), Some("InvalidParameter"));
    assert_eq!(last.body, "Limit=1");
}
