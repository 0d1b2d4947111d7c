//! The admin API under /_fake/tencent/, driven over HTTP as a test in another language would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use imgshare_testkit::{NcloudFake, NcloudSeed, ScpFake, ScpSeed};
use serde_json::{Value, json};
use support::*;

async fn admin(
    fake: &imgshare_testkit::TencentFake,
    method: &str,
    route: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("{}{route}", fake.admin_uri());
    let mut req = http_client().request(method.parse().unwrap(), url);
    if let Some(body) = body {
        req = req
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn state_faults_clock_rate_limit_and_reset() {
    let fake = fake().await;
    assert!(fake.admin_uri().ends_with("/_fake/tencent/"));

    // Share, then read the state.
    call(
        &fake,
        &owner(),
        "ModifyImageSharePermission",
        json!({"ImageId": "img-aaaa0001", "AccountIds": [RECIPIENT], "Permission": "SHARE"}),
    )
    .await
    .ok();
    let (status, state) = admin(&fake, "GET", "state", None).await;
    assert_eq!(status, 200);
    assert_eq!(state["shares"][0]["image_id"], "img-aaaa0001");
    assert_eq!(state["shares"][0]["account_id"], RECIPIENT);
    assert!(
        state["shares"][0]["created_time"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert_eq!(state["request_count"], 1);
    assert_eq!(state["received"][0]["action"], "ModifyImageSharePermission");
    assert_eq!(state["rate_limits"]["DescribeImages"], 40);
    assert_eq!(state["rate_limits"]["ModifyImageSharePermission"], 10);
    assert_eq!(state["images"][0]["region"], "ap-guangzhou");
    // Admin calls are not recorded.
    assert_eq!(fake.request_count(), 1);

    // Inject a fault: an HTML 502, then a delay given in ms.
    let (status, _) = admin(
        &fake,
        "POST",
        "faults",
        Some(json!({"fault": "Html502", "count": 1})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = admin(
        &fake,
        "POST",
        "faults",
        Some(json!({"fault": {"Status": 503}})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, state) = admin(&fake, "GET", "state", None).await;
    assert_eq!(state["pending_faults"].as_array().unwrap().len(), 2);
    let reply = Call::new(&fake, &owner(), "DescribeImages", json!({}))
        .send(&fake)
        .await;
    assert_eq!(reply.status, 502);
    let reply = Call::new(&fake, &owner(), "DescribeImages", json!({}))
        .send(&fake)
        .await;
    assert_eq!(reply.status, 503);
    let (status, _) = admin(&fake, "POST", "faults", Some(json!({"delay_ms": 50}))).await;
    assert_eq!(status, 200);
    Call::new(&fake, &owner(), "DescribeImages", json!({}))
        .send(&fake)
        .await
        .ok();

    // Move the clock: signatures made now are expired.
    let (status, _) = admin(&fake, "POST", "clock", Some(json!({"offset_secs": 400}))).await;
    assert_eq!(status, 200);
    let reply = Call::new(&fake, &owner(), "DescribeImages", json!({}))
        .send(&fake)
        .await;
    assert_eq!(reply.code().as_deref(), Some("AuthFailure.SignatureExpire"));
    admin(&fake, "POST", "clock", Some(json!({"offset_secs": 0}))).await;

    // Rate limits: per action, with a subcode; then none; then documented again.
    let (status, _) = admin(
        &fake,
        "POST",
        "rate-limit",
        Some(json!({"action": "DescribeImages", "per_second": 1, "code": "RequestLimitExceeded.IPLimitExceeded"})),
    )
    .await;
    assert_eq!(status, 200);
    let d = || Call::new(&fake, &owner(), "DescribeImages", json!({}));
    assert_eq!(d().send(&fake).await.code(), None);
    assert_eq!(
        d().send(&fake).await.code().as_deref(),
        Some("RequestLimitExceeded.IPLimitExceeded")
    );
    admin(
        &fake,
        "POST",
        "rate-limit",
        Some(json!({"per_second": null})),
    )
    .await;
    assert_eq!(fake.rate_limit_for("DescribeImages"), None);
    admin(
        &fake,
        "POST",
        "rate-limit",
        Some(json!({"documented": true})),
    )
    .await;
    assert_eq!(fake.rate_limit_for("DescribeImages"), Some(40));

    // Add an account and an image, in another region.
    let (status, _) = admin(
        &fake,
        "POST",
        "accounts",
        Some(json!({"account_id": "100000000077", "secret_id": "AKIDADMIN", "secret_key": "k"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = admin(
        &fake,
        "POST",
        "images",
        Some(json!({"image_id": "img-admin001", "owner_account_id": "100000000077", "region": "ap-seoul"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = admin(
        &fake,
        "POST",
        "images",
        Some(json!({"image_id": "bad", "owner_account_id": "100000000077"})),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body["problems"][0].as_str().unwrap().contains("malformed"),
        "{body}"
    );
    assert!(
        fake.seed()
            .images
            .iter()
            .any(|i| i.image_id == "img-admin001" && i.region == "ap-seoul")
    );

    // Reset: back to the start seed.
    let (status, _) = admin(&fake, "POST", "reset", None).await;
    assert_eq!(status, 200);
    assert_eq!(fake.request_count(), 0);
    assert!(fake.shared_accounts("img-aaaa0001").is_empty());
    assert!(
        !fake
            .seed()
            .images
            .iter()
            .any(|i| i.image_id == "img-admin001")
    );

    // Reset to a new seed; an invalid one is refused with its problems.
    let (status, _) = admin(
        &fake,
        "POST",
        "reset",
        Some(json!({"accounts": [{"account_id": "100000000001", "secret_id": "AKIDTESTOWNER", "secret_key": "test-secret-owner"}],
                    "images": [{"image_id": "img-new00001", "owner_account_id": "100000000001"}],
                    "shares": [["img-new00001", "100000000002"]]})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(fake.shared_accounts("img-new00001"), [RECIPIENT]);
    let (status, body) = admin(
        &fake,
        "POST",
        "reset",
        Some(json!({"images": [{"image_id": "img-new00001", "owner_account_id": "x"}]})),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid seed");
    // The Rust reset goes back to the last seed reset to.
    fake.reset();
    assert_eq!(fake.shared_accounts("img-new00001"), [RECIPIENT]);

    // Unknown endpoints and bad bodies.
    let (status, body) = admin(&fake, "GET", "nothing", None).await;
    assert_eq!(status, 404);
    assert!(body["endpoints"].is_array());
    let (status, _) = admin(&fake, "POST", "clock", Some(json!({"offset": 1}))).await;
    assert_eq!(status, 400);
    let (status, _) = admin(
        &fake,
        "POST",
        "faults",
        Some(json!({"fault": "NoSuchFault"})),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn admin_paths_do_not_collide_with_other_fakes() {
    let fake = fake().await;
    let scp = ScpFake::mount_on(fake.mock_server().unwrap(), ScpSeed::demo()).await;
    let ncloud = NcloudFake::mount_on(fake.mock_server().unwrap(), NcloudSeed::demo()).await;
    // A pending Tencent fault is not consumed by admin calls.
    fake.inject(imgshare_testkit::Fault::Html502, 1);
    let (status, state) = admin(&fake, "GET", "state", None).await;
    assert_eq!(status, 200);
    assert_eq!(state["pending_faults"].as_array().unwrap().len(), 1);
    // Paths of the other fakes still reach them, not the admin API or Tencent.
    let client = http_client();
    for path in [
        "/v1/images",
        "/vserver/v2/getServerImageList",
        "/server/v2/getMemberServerImageList",
    ] {
        let resp = client
            .get(format!("{}{path}", fake.uri()))
            .send()
            .await
            .unwrap();
        let text = resp.text().await.unwrap();
        assert!(!text.contains("\"Response\""), "{path}: {text}");
        assert!(!text.contains("no admin endpoint"), "{path}: {text}");
    }
    assert_eq!(fake.request_count(), 0);
    assert!(scp.request_count() + ncloud.request_count() >= 3);
}

/// `GET /_fake/{cloud}/requests` gives each request's `request_id`: the one its answer carried,
/// or null for an answer with none. Fails if the id is not logged, is logged from another
/// answer, or is invented for a fault's page or a gateway error that carries none.
#[tokio::test]
async fn the_request_log_has_the_request_id_each_answer_carried() {
    let fake = fake().await;
    let server = fake.mock_server().unwrap();
    let _scp = ScpFake::mount_on(server, ScpSeed::demo()).await;
    let _ncloud = NcloudFake::mount_on(server, NcloudSeed::demo()).await;
    let uri = fake.uri();
    let get = |path: &str| {
        let request = http_client().get(format!("{uri}{path}")).send();
        async move {
            let text = request.await.unwrap().text().await.unwrap();
            serde_json::from_str::<Value>(&text).unwrap_or(Value::Null)
        }
    };
    let described = call(&fake, &owner(), "DescribeImages", json!({})).await;
    let refused = send_raw(&fake, "POST", &[], b"{}".to_vec()).await;
    fake.inject(imgshare_testkit::Fault::Html502, 1);
    send_raw(&fake, "POST", &[], Vec::new()).await;
    fake.inject(imgshare_testkit::Fault::DropConnection, 1);
    assert!(try_send_raw(&fake, "POST", &[], Vec::new()).await.is_err());
    // Unsigned: SCP's gateway 404 carries a `requestId`, NAVER Cloud's gateway 401 none.
    let scp_404 = get("/v1/images").await;
    get("/vserver/v2/getServerImageList").await;

    let ids = |log: Value| -> Vec<Value> {
        let log = log.as_array().unwrap().iter();
        log.map(|r| r["request_id"].clone()).collect()
    };
    let answered = |reply: &support::Reply| reply.json()["Response"]["RequestId"].clone();
    let tencent = ids(get("/_fake/tencent/requests").await);
    let expected = [
        answered(&described),
        answered(&refused),
        Value::Null,
        Value::Null,
    ];
    assert_eq!(tencent, expected);
    assert_ne!(tencent[0], tencent[1]);
    assert!(scp_404["requestId"].is_string(), "{scp_404}");
    assert_eq!(
        ids(get("/_fake/scp/requests").await),
        [scp_404["requestId"].clone()]
    );
    assert_eq!(ids(get("/_fake/ncloud/requests").await), [Value::Null]);
}
