//! The fake follows Tencent's documentation (regions, common error codes, per-API
//! frequency limits, and the CVM image API pages such as <https://www.tencentcloud.com/document/api/213/33268>): documented rate limits and
//! subcodes, BYOL, the NORMAL-state rule, regions, DescribeImages filters and CreatedTime forms,
//! seed validation, and a constant for every documented code in imgshare_tencent::error::codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use imgshare_testkit::{SeedError, TencentFake, TencentImage, TencentRateLimitCode, TencentSeed};
use serde_json::json;
use support::*;

fn share(image: &str, accounts: &[&str], permission: &str) -> serde_json::Value {
    json!({"ImageId": image, "AccountIds": accounts, "Permission": permission})
}

#[tokio::test]
async fn documented_rate_limits_and_subcodes() {
    let fake = fake().await;
    assert_eq!(fake.rate_limit_for("DescribeImages"), Some(40));
    assert_eq!(fake.rate_limit_for("ModifyImageSharePermission"), Some(10));
    assert_eq!(
        fake.rate_limit_for("DescribeImageSharePermission"),
        Some(10)
    );

    // DescribeImages: 40 in a burst pass (more than the share APIs' 10), the 41st does not.
    // The fake's clock stands still, so the burst fits in its second on any machine.
    fake.freeze_clock();
    for i in 0..40 {
        let c = Call::new(&fake, &owner(), "DescribeImages", json!({}));
        assert_eq!(c.send(&fake).await.code(), None, "request {i}");
    }
    let forty_first = Call::new(&fake, &owner(), "DescribeImages", json!({}))
        .send(&fake)
        .await
        .code();
    assert_eq!(forty_first.as_deref(), Some("RequestLimitExceeded"));

    // A per-action override and a documented subcode.
    fake.set_action_rate_limit("DescribeImageSharePermission", Some(1));
    fake.set_rate_limit_code(TencentRateLimitCode::UinLimitExceeded);
    let perm = || {
        Call::new(
            &fake,
            &owner(),
            "DescribeImageSharePermission",
            json!({"ImageId": "img-aaaa0001"}),
        )
    };
    assert_eq!(perm().send(&fake).await.code(), None);
    assert_eq!(
        perm().send(&fake).await.code().as_deref(),
        Some("RequestLimitExceeded.UinLimitExceeded")
    );
    fake.use_documented_rate_limits();
    assert_eq!(
        fake.rate_limit_for("DescribeImageSharePermission"),
        Some(10)
    );
}

/// Fails if the fake answers an empty `SnapshotSet` whatever the seed, or shares a
/// whole-instance image (or refuses one with only a system-disk snapshot).
#[tokio::test]
async fn whole_instance_images_list_their_snapshots_and_cannot_be_shared() {
    let fake = fake().await;
    let system =
        TencentImage::new("img-whole001", OWNER).with_snapshot("snap-sys00001", "SYSTEM_DISK", 50);
    fake.add_image(
        system
            .clone()
            .with_snapshot("snap-data0001", "DATA_DISK", 100),
    );
    fake.add_image(TencentImage {
        image_id: "img-system01".into(),
        ..system
    });
    let images = call(
        &fake,
        &owner(),
        "DescribeImages",
        json!({"ImageIds": ["img-whole001"]}),
    )
    .await
    .ok();
    assert_eq!(
        images["ImageSet"][0]["SnapshotSet"],
        json!([
            {"SnapshotId": "snap-sys00001", "DiskUsage": "SYSTEM_DISK", "DiskSize": 50},
            {"SnapshotId": "snap-data0001", "DiskUsage": "DATA_DISK", "DiskSize": 100}
        ])
    );
    let owner = owner();
    let modify = |image| {
        call(
            &fake,
            &owner,
            "ModifyImageSharePermission",
            share(image, &[RECIPIENT], "SHARE"),
        )
    };
    let reply = modify("img-whole001").await;
    assert_eq!(
        reply.code().as_deref(),
        Some("InvalidParameter.InstanceImageNotSupport")
    );
    assert!(fake.shared_accounts("img-whole001").is_empty());
    assert_eq!(modify("img-system01").await.code(), None);
    let bad = TencentSeed::from_json_str(
        r#"{"images": [{"image_id": "img-whole002", "owner_account_id": "100000000001",
             "snapshots": [{"snapshot_id": "snap-x", "disk_usage": "DATA", "disk_size": 1}]}]}"#,
    );
    assert!(format!("{}", bad.unwrap_err()).contains("disk_usage \"DATA\""));
}

#[tokio::test]
async fn byol_images_cannot_be_shared_and_normal_is_required() {
    let fake = fake().await;
    fake.add_image(TencentImage::new("img-byol0001", OWNER).byol());
    let reply = call(
        &fake,
        &owner(),
        "ModifyImageSharePermission",
        share("img-byol0001", &[RECIPIENT], "SHARE"),
    )
    .await;
    assert_eq!(
        reply.code().as_deref(),
        Some("FailedOperation.BYOLImageShareFailed")
    );
    // The image is still listed with LicenseType BYOL.
    let images = call(
        &fake,
        &owner(),
        "DescribeImages",
        json!({"ImageIds": ["img-byol0001"]}),
    )
    .await
    .ok();
    assert_eq!(images["ImageSet"][0]["LicenseType"], "BYOL");

    // NORMAL is attached to ModifyImageSharePermission's ImageId: CANCEL too.
    let reply = call(
        &fake,
        &owner(),
        "ModifyImageSharePermission",
        share("img-aaaa0002", &[RECIPIENT], "CANCEL"),
    )
    .await;
    assert_eq!(
        reply.code().as_deref(),
        Some("InvalidParameterValue.InvalidImageState")
    );
    // DescribeImageSharePermission has no state rule.
    call(
        &fake,
        &owner(),
        "DescribeImageSharePermission",
        json!({"ImageId": "img-aaaa0002"}),
    )
    .await
    .ok();
}

#[tokio::test]
async fn images_live_in_regions() {
    let fake = fake().await;
    fake.add_image(TencentImage::new("img-shan0001", OWNER).in_region("ap-shanghai"));
    let in_region = |region: &str, action: &str, body: serde_json::Value| {
        let mut c = Call::new(&fake, &owner(), action, body);
        c.region = Some(region.to_string());
        c
    };

    // Unknown region.
    let reply = in_region("ap-atlantis", "DescribeImages", json!({}))
        .send(&fake)
        .await;
    assert_eq!(reply.code().as_deref(), Some("InvalidRegion.NotFound"));

    // Asked for in the wrong region, an image is not found.
    let reply = in_region(
        "ap-guangzhou",
        "ModifyImageSharePermission",
        share("img-shan0001", &[RECIPIENT], "SHARE"),
    )
    .send(&fake)
    .await;
    assert_eq!(reply.code().as_deref(), Some("InvalidImageId.NotFound"));
    let reply = in_region(
        "ap-shanghai",
        "DescribeImageSharePermission",
        json!({"ImageId": "img-aaaa0001"}),
    )
    .send(&fake)
    .await;
    assert_eq!(reply.code().as_deref(), Some("InvalidImageId.NotFound"));

    // Each region lists its own images.
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["ImageSet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["ImageId"].as_str().unwrap().to_owned())
            .collect()
    };
    let gz = in_region("ap-guangzhou", "DescribeImages", json!({}))
        .send(&fake)
        .await
        .ok();
    assert!(!ids(&gz).contains(&"img-shan0001".to_string()));
    let sh = in_region("ap-shanghai", "DescribeImages", json!({}))
        .send(&fake)
        .await
        .ok();
    assert_eq!(ids(&sh), ["img-shan0001"]);

    // Sharing works in the image's region, and the recipient sees it there only.
    in_region(
        "ap-shanghai",
        "ModifyImageSharePermission",
        share("img-shan0001", &[RECIPIENT], "SHARE"),
    )
    .send(&fake)
    .await
    .ok();
    let mut r = Call::new(
        &fake,
        &recipient(),
        "DescribeImages",
        json!({"Filters": [{"Name": "image-type", "Values": ["SHARED_IMAGE"]}]}),
    );
    assert_eq!(r.send(&fake).await.ok()["TotalCount"], 0);
    r.region = Some("ap-shanghai".into());
    assert_eq!(ids(&r.send(&fake).await.ok()), ["img-shan0001"]);

    // A region the share APIs' doc does not list.
    let reply = in_region(
        "ap-mumbai",
        "DescribeImageSharePermission",
        json!({"ImageId": "img-aaaa0001"}),
    )
    .send(&fake)
    .await;
    assert_eq!(reply.code().as_deref(), Some("UnsupportedRegion"));
    in_region("ap-mumbai", "DescribeImages", json!({}))
        .send(&fake)
        .await
        .ok();
}

#[tokio::test]
async fn tag_filters_and_created_time_forms() {
    let fake = fake().await;
    fake.add_image(
        TencentImage::new("img-tags0001", OWNER)
            .with_tag("env", "prod")
            .with_tag("team", "web")
            .with_created_time("2020-09-22T00:00:00+00:00"),
    );
    fake.add_image(TencentImage::new("img-tags0002", OWNER).with_tag("env", "dev"));
    let find = |filters: serde_json::Value| {
        let fake = &fake;
        async move {
            let reply = call(
                fake,
                &owner(),
                "DescribeImages",
                json!({ "Filters": filters }),
            )
            .await;
            let response = reply.ok();
            let mut ids: Vec<String> = response["ImageSet"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["ImageId"].as_str().unwrap().to_owned())
                .collect();
            ids.sort();
            ids
        }
    };
    assert_eq!(
        find(json!([{"Name": "tag-key", "Values": ["env"]}])).await,
        ["img-tags0001", "img-tags0002"]
    );
    assert_eq!(
        find(json!([{"Name": "tag-value", "Values": ["web", "dev"]}])).await,
        ["img-tags0001", "img-tags0002"]
    );
    assert_eq!(
        find(json!([{"Name": "tag:env", "Values": ["prod"]}])).await,
        ["img-tags0001"]
    );
    assert!(
        find(json!([{"Name": "tag:env", "Values": ["staging"]}]))
            .await
            .is_empty()
    );
    assert!(
        find(json!([{"Name": "dedicated-cluster-id", "Values": ["cluster-1"]}]))
            .await
            .is_empty()
    );
    assert!(
        find(json!([{"Name": "cdc-cache-status", "Values": ["CACHED"]}]))
            .await
            .is_empty()
    );
    for (filters, code) in [
        (
            json!([{"Name": "tag:", "Values": ["x"]}]),
            "FailedOperation.IllegalTagKey",
        ),
        (
            json!([{"Name": "cdc-cache-status", "Values": ["WARM"]}]),
            "InvalidParameterValue",
        ),
        (json!([{"Name": "zone", "Values": ["x"]}]), "InvalidFilter"),
    ] {
        let reply = call(
            &fake,
            &owner(),
            "DescribeImages",
            json!({ "Filters": filters }),
        )
        .await;
        assert_eq!(reply.code().as_deref(), Some(code), "{filters}");
    }

    // Tags and both CreatedTime forms come back as stored.
    let response = call(
        &fake,
        &owner(),
        "DescribeImages",
        json!({"ImageIds": ["img-tags0001", "img-aaaa0001"]}),
    )
    .await
    .ok();
    let set = response["ImageSet"].as_array().unwrap();
    let by_id = |id: &str| set.iter().find(|i| i["ImageId"] == id).unwrap();
    assert_eq!(
        by_id("img-tags0001")["Tags"],
        json!([{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "web"}])
    );
    assert_eq!(
        by_id("img-tags0001")["CreatedTime"],
        "2020-09-22T00:00:00+00:00"
    );
    assert_eq!(by_id("img-aaaa0001")["CreatedTime"], "2024-01-01T00:00:00Z");
}

#[test]
fn seed_files_are_validated_like_the_api_would() {
    // Backward compatible: no region, tags or license → defaults.
    let old = TencentSeed::from_json_str(
        r#"{"accounts":[{"account_id":"100000000001","secret_id":"AKIDX","secret_key":"k"}],
            "images":[{"image_id":"img-abcd1234","owner_account_id":"100000000001"}],
            "shares":[["img-abcd1234","100000000002"]]}"#,
    )
    .unwrap();
    assert_eq!(old.images[0].region, "ap-guangzhou");
    assert!(old.images[0].tags.is_empty());
    assert!(!old.images[0].is_byol());
    TencentSeed::demo().validate().unwrap();

    let bad = r#"{
        "accounts": [
            {"account_id": "alice", "secret_id": "AKIDX", "secret_key": "k"},
            {"account_id": "100000000002", "secret_id": "AKIDX", "secret_key": "k"}
        ],
        "images": [
            {"image_id": "img-ABC", "owner_account_id": "100000000001"},
            {"image_id": "img-abcd1234", "owner_account_id": "100000000001", "region": "mars-1",
             "state": "BROKEN", "created_time": "2024-01-01 00:00:00"},
            {"image_id": "img-byol0001", "owner_account_id": "100000000001", "license_type": "BYOL"}
        ],
        "shares": [
            ["img-zzzz9999", "100000000002"],
            ["img-abcd1234", "100000000001"],
            ["img-abcd1234", "not-a-number"],
            ["img-byol0001", "100000000002"]
        ]
    }"#;
    let err = TencentSeed::from_json_str(bad).unwrap_err();
    let SeedError::Invalid { problems, .. } = &err else {
        panic!("{err}");
    };
    for needle in [
        "accounts[0].account_id \"alice\"",
        "accounts[1].secret_id \"AKIDX\" is used twice",
        "images[0].image_id \"img-ABC\" is malformed",
        "images[1].region \"mars-1\"",
        "images[1].state \"BROKEN\"",
        "images[1].created_time",
        "no image \"img-zzzz9999\"",
        "cannot be shared with its owner",
        "not a numeric root-account id (InvalidAccountId.NotFound)",
        "BYOL image cannot be shared",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "{needle} not in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), 10, "{problems:#?}");
    assert!(err.to_string().starts_with("invalid seed: "), "{err}");

    // A file names itself.
    let path = std::env::temp_dir().join(format!("imgshare-bad-seed-{}.json", std::process::id()));
    std::fs::write(&path, bad).unwrap();
    let err = TencentSeed::from_json_file(&path).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
}

/// Every code Tencent documents as common or for the three image APIs has its constant in
/// `imgshare_tencent::error::codes` (read as text: the testkit depends on no imgshare crate).
#[test]
fn every_documented_code_has_a_constant() {
    const DOCUMENTED: &[&str] = &[
        // Common error codes (<https://www.tencentcloud.com/document/api/1079/63107>)
        "ActionOffline",
        "AuthFailure.InvalidAuthorization",
        "AuthFailure.InvalidSecretId",
        "AuthFailure.MFAFailure",
        "AuthFailure.SecretIdNotFound",
        "AuthFailure.SignatureExpire",
        "AuthFailure.SignatureFailure",
        "AuthFailure.TokenFailure",
        "AuthFailure.UnauthorizedOperation",
        "DryRunOperation",
        "FailedOperation",
        "InternalError",
        "InvalidAction",
        "InvalidParameter",
        "InvalidParameterValue",
        "InvalidRequest",
        "IpInBlacklist",
        "IpNotInWhitelist",
        "LimitExceeded",
        "MissingParameter",
        "NoSuchProduct",
        "NoSuchVersion",
        "RequestLimitExceeded",
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
        "RequestLimitExceeded.IPLimitExceeded",
        "RequestLimitExceeded.UinLimitExceeded",
        "RequestSizeLimitExceeded",
        "ResponseSizeLimitExceeded",
        "ResourceInUse",
        "ResourceInsufficient",
        "ResourceNotFound",
        "ResourceUnavailable",
        "ServiceUnavailable",
        "UnauthorizedOperation",
        "UnknownParameter",
        "UnsupportedOperation",
        "UnsupportedProtocol",
        "UnsupportedRegion",
        // ModifyImageSharePermission (<https://www.tencentcloud.com/document/api/213/33268>)
        "FailedOperation.AccountAlreadyExists",
        "FailedOperation.AccountIsYourSelf",
        "FailedOperation.BYOLImageShareFailed",
        "FailedOperation.NotMasterAccount",
        "FailedOperation.QImageShareFailed",
        "FailedOperation.RImageShareFailed",
        "InvalidAccountId.NotFound",
        "InvalidAccountIs.YourSelf",
        "InvalidImageId.Malformed",
        "InvalidImageId.NotFound",
        "InvalidParameter.InstanceImageNotSupport",
        "InvalidParameterValue.InvalidAppIdFormat",
        "InvalidParameterValue.InvalidImageId",
        "InvalidParameterValue.InvalidImageState",
        "InvalidParameterValue.LimitExceeded",
        "OverQuota",
        "UnauthorizedOperation.ImageNotBelongToAccount",
        "UnauthorizedOperation.InvalidToken",
        "UnsupportedOperation.EncryptedImagesNotSupported",
        "UnsupportedOperation.LocationImageNotSupported",
        // DescribeImages (<https://cloud.tencent.com/document/api/213/15715>)
        "FailedOperation.IllegalTagKey",
        "InvalidFilter",
        "InvalidFilterValue.LimitExceeded",
        "InvalidInstanceType.Malformed",
        "InvalidParameter.InvalidParameterCoexistImageIdsFilters",
        "InvalidParameterValue.InstanceTypeNotFound",
        "InvalidParameterValue.InvalidParameterValueLimit",
        "InvalidParameterValue.TagKeyNotFound",
        "InvalidParameterValue.ZoneNotSupported",
        "InvalidRegion.NotFound",
        "InvalidZone.MismatchRegion",
        "ResourcesSoldOut.SpecifiedInstanceType",
        "UnauthorizedOperation.PermissionDenied",
    ];
    // The constants are generated from the crate's api.toml into the `error::codes` module.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../imgshare-tencent/src/error/codes.rs"
    );
    let codes_module = &std::fs::read_to_string(path).unwrap();
    let missing: Vec<&str> = DOCUMENTED
        .iter()
        .copied()
        .filter(|code| !codes_module.contains(&format!("\"{code}\"")))
        .collect();
    assert!(missing.is_empty(), "no constant for {missing:?}");
}

#[tokio::test]
async fn start_with_a_seed_in_several_regions() {
    let mut seed = support::seed();
    seed.images
        .push(TencentImage::new("img-tokyo001", OWNER).in_region("ap-tokyo"));
    seed.validate().unwrap();
    let fake = TencentFake::start_with_seed(seed).await;
    let mut c = Call::new(&fake, &owner(), "DescribeImages", json!({}));
    c.region = Some("ap-tokyo".into());
    assert_eq!(c.send(&fake).await.ok()["TotalCount"], 1);
}
