//! End-to-end tests of the three actions over real loopback HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use imgshare_testkit::{TencentFake, TencentImage, TencentSeed};
use serde_json::{Value, json};
use support::*;

const MODIFY: &str = "ModifyImageSharePermission";
const DESCRIBE_SHARES: &str = "DescribeImageSharePermission";
const DESCRIBE_IMAGES: &str = "DescribeImages";

async fn share(
    fake: &TencentFake,
    image: &str,
    accounts: &[&str],
    permission: &str,
) -> Option<String> {
    call(
        fake,
        &owner(),
        MODIFY,
        json!({"ImageId": image, "AccountIds": accounts, "Permission": permission}),
    )
    .await
    .code()
}

fn is_iso8601_z(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
}

#[tokio::test]
async fn share_then_describe_shows_it() {
    let fake = fake().await;
    let reply = call(
        &fake,
        &owner(),
        MODIFY,
        json!({"ImageId": "img-aaaa0001", "AccountIds": [RECIPIENT, "200000000009"], "Permission": "SHARE"}),
    )
    .await;
    let response = reply.ok();
    // Success has only RequestId.
    assert_eq!(response.as_object().unwrap().len(), 1, "{response}");

    let set = call(
        &fake,
        &owner(),
        DESCRIBE_SHARES,
        json!({"ImageId": "img-aaaa0001"}),
    )
    .await
    .ok()["SharePermissionSet"]
        .clone();
    let set = set.as_array().unwrap();
    assert_eq!(set.len(), 2);
    assert_eq!(set[0]["AccountId"], RECIPIENT);
    assert_eq!(set[1]["AccountId"], "200000000009");
    for entry in set {
        assert!(
            is_iso8601_z(entry["CreatedTime"].as_str().unwrap()),
            "{entry}"
        );
    }
    assert_eq!(
        fake.shared_accounts("img-aaaa0001"),
        [RECIPIENT, "200000000009"]
    );

    // CANCEL removes; CANCEL of a non-shared account is ignored (idempotent).
    assert_eq!(
        share(
            &fake,
            "img-aaaa0001",
            &[RECIPIENT, "300000000000"],
            "CANCEL"
        )
        .await,
        None
    );
    assert_eq!(fake.shared_accounts("img-aaaa0001"), ["200000000009"]);
    assert_eq!(
        share(&fake, "img-aaaa0001", &[RECIPIENT], "CANCEL").await,
        None
    );

    // Empty set is an empty array, not absent.
    let reply = call(
        &fake,
        &owner(),
        DESCRIBE_SHARES,
        json!({"ImageId": "img-bbbb0001"}),
    )
    .await;
    assert_eq!(
        reply.code().as_deref(),
        Some("UnauthorizedOperation.ImageNotBelongToAccount")
    );
    let reply = call(
        &fake,
        &other(),
        DESCRIBE_SHARES,
        json!({"ImageId": "img-bbbb0001"}),
    )
    .await;
    assert_eq!(reply.ok()["SharePermissionSet"], json!([]));
}

#[tokio::test]
async fn recipient_sees_shared_image_with_shared_type() {
    let fake = fake().await;
    let images = |v: &Value| -> Vec<(String, String)> {
        v["ImageSet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["ImageId"].as_str().unwrap().to_owned(),
                    i["ImageType"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };

    let before = call(&fake, &recipient(), DESCRIBE_IMAGES, json!({}))
        .await
        .ok();
    assert_eq!(before["TotalCount"], 0);
    assert_eq!(before["ImageSet"], json!([]));

    assert_eq!(
        share(&fake, "img-aaaa0001", &[RECIPIENT], "SHARE").await,
        None
    );

    let after = call(&fake, &recipient(), DESCRIBE_IMAGES, json!({}))
        .await
        .ok();
    assert_eq!(after["TotalCount"], 1);
    assert_eq!(
        images(&after),
        [("img-aaaa0001".into(), "SHARED_IMAGE".into())]
    );
    let image = &after["ImageSet"][0];
    for field in [
        "ImageId",
        "OsName",
        "ImageType",
        "CreatedTime",
        "ImageName",
        "ImageDescription",
        "ImageSize",
        "Architecture",
        "ImageState",
        "Platform",
        "ImageCreator",
        "ImageSource",
        "SyncPercent",
        "IsSupportCloudinit",
        "SnapshotSet",
        "Tags",
        "LicenseType",
    ] {
        assert!(image.get(field).is_some(), "missing {field} in {image}");
    }
    assert_eq!(image["ImageCreator"], OWNER);
    assert_eq!(image["ImageSize"], 50);
    assert_eq!(image["ImageState"], "NORMAL");
    assert!(image["SyncPercent"].is_null());

    // The owner sees both of its images as PRIVATE_IMAGE.
    let owner_view = call(&fake, &owner(), DESCRIBE_IMAGES, json!({})).await.ok();
    assert_eq!(
        images(&owner_view),
        [
            ("img-aaaa0001".into(), "PRIVATE_IMAGE".into()),
            ("img-aaaa0002".into(), "PRIVATE_IMAGE".into())
        ]
    );

    // image-type filters split the recipient's view.
    let filtered = |t: &'static str| json!({"Filters": [{"Name": "image-type", "Values": [t]}]});
    let shared = call(
        &fake,
        &recipient(),
        DESCRIBE_IMAGES,
        filtered("SHARED_IMAGE"),
    )
    .await
    .ok();
    assert_eq!(shared["TotalCount"], 1);
    let private = call(
        &fake,
        &recipient(),
        DESCRIBE_IMAGES,
        filtered("PRIVATE_IMAGE"),
    )
    .await
    .ok();
    assert_eq!(private["TotalCount"], 0);

    // A third account sees nothing of the owner's.
    let third = call(
        &fake,
        &other(),
        DESCRIBE_IMAGES,
        json!({"ImageIds": ["img-aaaa0001"]}),
    )
    .await
    .ok();
    assert_eq!(third["TotalCount"], 0);

    // After CANCEL the recipient no longer sees it.
    assert_eq!(
        share(&fake, "img-aaaa0001", &[RECIPIENT], "CANCEL").await,
        None
    );
    let gone = call(&fake, &recipient(), DESCRIBE_IMAGES, json!({}))
        .await
        .ok();
    assert_eq!(gone["TotalCount"], 0);
}

#[tokio::test]
async fn describe_images_paging_filters_and_limits() {
    let mut seed = TencentSeed {
        accounts: vec![owner(), recipient()],
        ..TencentSeed::default()
    };
    for i in 0..25 {
        seed.images.push(
            TencentImage::new(format!("img-page{i:04}"), OWNER).with_name(format!("page-{i}")),
        );
    }
    seed.images
        .push(TencentImage::new("img-pub00001", "tencentcloud").with_name("TencentOS official"));
    let fake = TencentFake::start_with_seed(seed).await;
    fake.set_rate_limit(None);

    // Default Limit 20; TotalCount counts everything.
    let first = call(&fake, &owner(), DESCRIBE_IMAGES, json!({})).await.ok();
    assert_eq!(first["TotalCount"], 25);
    assert_eq!(first["ImageSet"].as_array().unwrap().len(), 20);
    let rest = call(
        &fake,
        &owner(),
        DESCRIBE_IMAGES,
        json!({"Offset": 20, "Limit": 100}),
    )
    .await
    .ok();
    assert_eq!(rest["ImageSet"].as_array().unwrap().len(), 5);
    assert_eq!(rest["ImageSet"][0]["ImageId"], "img-page0020");

    // Limit > 100.
    let reply = call(&fake, &owner(), DESCRIBE_IMAGES, json!({"Limit": 101})).await;
    assert_eq!(
        reply.code().as_deref(),
        Some("InvalidParameterValue.InvalidParameterValueLimit")
    );

    // ImageIds and Filters together.
    let reply = call(
        &fake,
        &owner(),
        DESCRIBE_IMAGES,
        json!({"ImageIds": ["img-page0001"], "Filters": [{"Name": "image-name", "Values": ["page"]}]}),
    )
    .await;
    assert_eq!(
        reply.code().as_deref(),
        Some("InvalidParameter.InvalidParameterCoexistImageIdsFilters")
    );

    // image-id and image-name filters.
    let by_id = call(
        &fake,
        &owner(),
        DESCRIBE_IMAGES,
        json!({"Filters": [{"Name": "image-id", "Values": ["img-page0003", "img-page0004"]}]}),
    )
    .await
    .ok();
    assert_eq!(by_id["TotalCount"], 2);
    let by_name = call(
        &fake,
        &owner(),
        DESCRIBE_IMAGES,
        json!({"Filters": [{"Name": "image-name", "Values": ["PAGE-1"]}], "Limit": 100}),
    )
    .await
    .ok();
    // page-1, page-10..page-19
    assert_eq!(by_name["TotalCount"], 11);

    // Public images: only with the PUBLIC_IMAGE type filter or by id.
    let public = call(
        &fake,
        &recipient(),
        DESCRIBE_IMAGES,
        json!({"Filters": [{"Name": "image-type", "Values": ["PUBLIC_IMAGE"]}]}),
    )
    .await
    .ok();
    assert_eq!(public["TotalCount"], 1);
    assert_eq!(public["ImageSet"][0]["ImageType"], "PUBLIC_IMAGE");
    assert_eq!(public["ImageSet"][0]["ImageCreator"], "tencentcloud");
    let by_ids = call(
        &fake,
        &recipient(),
        DESCRIBE_IMAGES,
        json!({"ImageIds": ["img-pub00001"]}),
    )
    .await
    .ok();
    assert_eq!(by_ids["TotalCount"], 1);
    let none = call(&fake, &recipient(), DESCRIBE_IMAGES, json!({}))
        .await
        .ok();
    assert_eq!(none["TotalCount"], 0);

    // Filter validation.
    let cases = [
        (
            json!({"Filters": [{"Name": "instance-name", "Values": ["a"]}]}),
            "InvalidFilter",
        ),
        (
            json!({"Filters": [{"Name": "image-name", "Values": ["a", "b", "c", "d", "e", "f"]}]}),
            "InvalidFilterValue.LimitExceeded",
        ),
        (
            json!({"Filters": [{"Name": "image-type", "Values": ["MINE"]}]}),
            "InvalidParameterValue",
        ),
        (json!({"ImageIds": ["img-BAD"]}), "InvalidImageId.Malformed"),
        (json!({"Limit": "20"}), "InvalidParameter"),
        (json!({"Bogus": 1}), "UnknownParameter"),
    ];
    for (body, code) in cases {
        let reply = call(&fake, &owner(), DESCRIBE_IMAGES, body.clone()).await;
        assert_eq!(reply.code().as_deref(), Some(code), "{body}");
    }
}

#[tokio::test]
async fn modify_share_permission_error_codes() {
    let fake = fake().await;
    fake.set_rate_limit(None);
    let modify = |account, body: Value| {
        let fake = &fake;
        async move { call(fake, &account, MODIFY, body).await.code() }
    };
    let ok_body = |image: &str, ids: Value, perm: &str| json!({"ImageId": image, "AccountIds": ids, "Permission": perm});

    let cases: Vec<(Value, &str)> = vec![
        (
            ok_body("img-aaaa001", json!([RECIPIENT]), "SHARE"),
            "InvalidImageId.Malformed",
        ),
        (
            ok_body("img-AAAA0001", json!([RECIPIENT]), "SHARE"),
            "InvalidImageId.Malformed",
        ),
        (
            ok_body("img-zzzz9999", json!([RECIPIENT]), "SHARE"),
            "InvalidImageId.NotFound",
        ),
        (
            ok_body("img-bbbb0001", json!([RECIPIENT]), "SHARE"),
            "UnauthorizedOperation.ImageNotBelongToAccount",
        ),
        (
            ok_body("img-aaaa0001", json!([RECIPIENT]), "share"),
            "InvalidParameterValue",
        ),
        (
            ok_body("img-aaaa0001", json!([RECIPIENT]), "QUERY"),
            "InvalidParameterValue",
        ),
        (
            json!({"AccountIds": [RECIPIENT], "Permission": "SHARE"}),
            "MissingParameter",
        ),
        (
            json!({"ImageId": "img-aaaa0001", "Permission": "SHARE"}),
            "MissingParameter",
        ),
        (
            ok_body("img-aaaa0001", json!([]), "SHARE"),
            "MissingParameter",
        ),
        (
            json!({"ImageId": "img-aaaa0001", "AccountIds": [RECIPIENT]}),
            "MissingParameter",
        ),
        (
            ok_body("img-aaaa0001", json!([OWNER]), "SHARE"),
            "InvalidAccountIs.YourSelf",
        ),
        (
            ok_body("img-aaaa0001", json!([RECIPIENT, OWNER]), "CANCEL"),
            "InvalidAccountIs.YourSelf",
        ),
        (
            ok_body("img-aaaa0001", json!(["alice"]), "SHARE"),
            "InvalidAccountId.NotFound",
        ),
        (
            ok_body("img-aaaa0001", json!(["12 34"]), "SHARE"),
            "InvalidAccountId.NotFound",
        ),
        (
            ok_body("img-aaaa0002", json!([RECIPIENT]), "SHARE"),
            "InvalidParameterValue.InvalidImageState",
        ),
        (
            ok_body("img-aaaa0001", json!(RECIPIENT), "SHARE"),
            "InvalidParameter",
        ),
        (
            json!({"ImageId": "img-aaaa0001", "AccountIds": [RECIPIENT], "Permission": "SHARE", "Region": "x"}),
            "UnknownParameter",
        ),
    ];
    for (body, code) in cases {
        assert_eq!(
            modify(owner(), body.clone()).await.as_deref(),
            Some(code),
            "{body}"
        );
    }
    assert!(fake.shared_accounts("img-aaaa0001").is_empty());

    // Already shared: the whole call fails and nothing is applied.
    assert_eq!(
        share(&fake, "img-aaaa0001", &[RECIPIENT], "SHARE").await,
        None
    );
    assert_eq!(
        share(&fake, "img-aaaa0001", &["200000000001", RECIPIENT], "SHARE")
            .await
            .as_deref(),
        Some("FailedOperation.AccountAlreadyExists")
    );
    assert_eq!(fake.shared_accounts("img-aaaa0001"), [RECIPIENT]);

    // More than 500 ids in one call.
    let many: Vec<String> = (0..501)
        .map(|i| format!("{}", 300_000_000_000u64 + i))
        .collect();
    assert_eq!(
        modify(owner(), ok_body("img-aaaa0001", json!(many), "SHARE"))
            .await
            .as_deref(),
        Some("InvalidParameterValue.LimitExceeded")
    );
    assert_eq!(fake.shared_accounts("img-aaaa0001"), [RECIPIENT]);

    // 1 + 499 = 500 is fine; one more is OverQuota.
    let fill: Vec<String> = (0..499)
        .map(|i| format!("{}", 400_000_000_000u64 + i))
        .collect();
    assert_eq!(
        modify(owner(), ok_body("img-aaaa0001", json!(fill), "SHARE")).await,
        None
    );
    assert_eq!(fake.shared_accounts("img-aaaa0001").len(), 500);
    assert_eq!(
        share(&fake, "img-aaaa0001", &["500000000000"], "SHARE")
            .await
            .as_deref(),
        Some("OverQuota")
    );
    assert_eq!(fake.shared_accounts("img-aaaa0001").len(), 500);
    // Oldest first.
    assert_eq!(fake.shared_accounts("img-aaaa0001")[0], RECIPIENT);
}

#[tokio::test]
async fn describe_share_permission_image_checks() {
    let fake = fake().await;
    let cases = [
        (json!({}), "MissingParameter"),
        (json!({"ImageId": "img-1"}), "InvalidImageId.Malformed"),
        (
            json!({"ImageId": "img-zzzz9999"}),
            "InvalidImageId.NotFound",
        ),
        (
            json!({"ImageId": "img-bbbb0001"}),
            "UnauthorizedOperation.ImageNotBelongToAccount",
        ),
        (json!({"ImageId": 5}), "InvalidParameter"),
    ];
    for (body, code) in cases {
        let reply = call(&fake, &owner(), DESCRIBE_SHARES, body.clone()).await;
        assert_eq!(reply.code().as_deref(), Some(code), "{body}");
    }
    // The recipient cannot list the owner's shares.
    assert_eq!(
        share(&fake, "img-aaaa0001", &[RECIPIENT], "SHARE").await,
        None
    );
    let reply = call(
        &fake,
        &recipient(),
        DESCRIBE_SHARES,
        json!({"ImageId": "img-aaaa0001"}),
    )
    .await;
    assert_eq!(
        reply.code().as_deref(),
        Some("UnauthorizedOperation.ImageNotBelongToAccount")
    );
}

#[tokio::test]
async fn state_inspection_and_seed_round_trip() {
    let fake = fake().await;
    fake.add_image(TencentImage::new("img-cccc0001", OWNER));
    assert_eq!(
        share(&fake, "img-cccc0001", &[RECIPIENT], "SHARE").await,
        None
    );

    let seed = fake.seed();
    assert_eq!(seed.images.len(), 4);
    assert_eq!(
        seed.shares,
        [("img-cccc0001".to_string(), RECIPIENT.to_string())]
    );

    // Serialize, parse back, start another fake: the share survives.
    let json = serde_json::to_string_pretty(&seed).unwrap();
    let dir =
        std::env::temp_dir().join(format!("imgshare-testkit-seed-{}.json", std::process::id()));
    std::fs::write(&dir, &json).unwrap();
    let parsed = TencentSeed::from_json_file(&dir).unwrap();
    std::fs::remove_file(&dir).unwrap();
    assert_eq!(parsed, seed);
    let again = TencentFake::start_with_seed(parsed).await;
    assert_eq!(again.shared_accounts("img-cccc0001"), [RECIPIENT]);
    let seen = call(&again, &recipient(), DESCRIBE_IMAGES, json!({}))
        .await
        .ok();
    assert_eq!(seen["ImageSet"][0]["ImageId"], "img-cccc0001");

    assert!(TencentSeed::from_json_str("{\"accounts\": 5}").is_err());
    assert!(TencentSeed::from_json_file("/nonexistent/imgshare-seed.json").is_err());
}

#[tokio::test]
async fn demo_seed_works_with_its_own_keys() {
    let seed = TencentSeed::demo();
    assert!(
        seed.images
            .iter()
            .all(|i| i.image_id.len() == 12 && i.image_id.starts_with("img-"))
    );
    let fake = TencentFake::start_with_seed(seed.clone()).await;
    let owner = &seed.accounts[0];
    let listed = call(&fake, owner, DESCRIBE_IMAGES, json!({})).await.ok();
    assert_eq!(listed["TotalCount"], seed.images.len());
    // The temporary-credential account works when its token is sent.
    let temp = seed
        .accounts
        .iter()
        .find(|a| a.session_token.is_some())
        .unwrap();
    assert_eq!(
        call(&fake, temp, DESCRIBE_IMAGES, json!({})).await.code(),
        None
    );

    // Debug never prints secrets.
    let debug = format!("{:?}", seed.accounts);
    for account in &seed.accounts {
        assert!(!debug.contains(&account.secret_key), "{debug}");
        if let Some(token) = &account.session_token {
            assert!(!debug.contains(token.as_str()), "{debug}");
        }
    }
}

#[tokio::test]
async fn start_on_a_given_listener() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let fake = TencentFake::start_on(listener, seed()).await;
    assert_eq!(fake.address(), addr);
    assert_eq!(fake.uri(), format!("http://{addr}"));
    assert_eq!(
        call(&fake, &owner(), DESCRIBE_IMAGES, json!({})).await.ok()["TotalCount"],
        2
    );
}
