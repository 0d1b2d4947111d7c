//! The preflight (`ImageSharing::readiness`, then `reconcile`'s check before any write) on the
//! situations only a seeded fake produces: a Tencent whole-instance image, an image missing from
//! Tencent's `DescribeImages` answer, and NAVER Cloud member-image and Classic images that are
//! not created yet or failed. Each test says which check it catches missing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fakes.rs"]
mod fakes;

use fakes::Fakes;
use imgshare::ImageSharing;
use imgshare::sharing::{NcloudClassic, NcloudMemberImages, reconcile};
use imgshare_testkit::{NcloudClassicImage, NcloudImage, NcloudSeed, TencentImage, TencentSeed};

const OWNER: &str = "100000000001";
const NCP_RECIPIENT: &str = "recipient@imgshare.test";
const NCP_OWNER: &str = "owner@imgshare.test";

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// Fails if the Tencent preflight ignores `SnapshotSet`: the whole-instance image reads as
/// ready and the share call is sent (and refused with `InstanceImageNotSupport`).
#[tokio::test]
async fn a_tencent_whole_instance_image_is_refused_before_any_write() {
    let fakes = Fakes::start().await;
    let system =
        TencentImage::new("img-system01", OWNER).with_snapshot("snap-sys00001", "SYSTEM_DISK", 50);
    let whole = TencentImage::new("img-whole001", OWNER)
        .with_snapshot("snap-sys00002", "SYSTEM_DISK", 50)
        .with_snapshot("snap-data0001", "DATA_DISK", 100);
    fakes.tencent.add_seed(TencentSeed {
        images: vec![system, whole],
        ..TencentSeed::default()
    });
    let tencent = fakes.tencent_client();

    let readiness = tencent.readiness("img-whole001").await.unwrap();
    assert_eq!(readiness.state.as_deref(), Some("NORMAL"));
    assert!(
        !readiness.may_become_ready() && readiness.to_string().contains("whole-instance"),
        "{readiness}"
    );
    // A system-disk snapshot alone is an ordinary image.
    assert!(tencent.readiness("img-system01").await.unwrap().is_ready());

    let err = reconcile(&tencent, "img-whole001", &owned(&["100000000002"]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("whole-instance"), "{err}");
    assert_eq!(fakes.mutations().0, 0, "no ModifyImageSharePermission call");
    assert!(fakes.tencent.shared_accounts("img-whole001").is_empty());
}

/// Fails if an image missing from the `DescribeImages` answer reads as ready (or as an
/// error): the share call would be sent for an image this account does not have here.
#[tokio::test]
async fn a_tencent_image_missing_from_describe_images_is_not_shareable() {
    let fakes = Fakes::start().await;
    // Another account's image and an unknown one: DescribeImages answers neither.
    fakes
        .tencent
        .add_image(TencentImage::new("img-others01", "100000000003"));
    let tencent = fakes.tencent_client();
    for image in ["img-others01", "img-zzzz9999"] {
        let readiness = tencent.readiness(image).await.unwrap();
        assert!(
            readiness.state.is_none() && !readiness.may_become_ready(),
            "{readiness:?}"
        );
        assert!(
            readiness
                .to_string()
                .contains("not among this account's images"),
            "{readiness}"
        );
        let err = reconcile(&tencent, image, &owned(&["100000000002"]))
            .await
            .unwrap_err();
        assert!(err.to_string().contains(image), "{err}");
    }
    assert_eq!(fakes.mutations().0, 0, "no ModifyImageSharePermission call");
}

/// Fails if the member-image family's preflight does not read
/// `memberServerImageInstanceStatus` (INIT would be shared, CREFL called transient) or reads
/// the wrong family.
#[tokio::test]
async fn ncloud_member_images_are_shared_only_once_created() {
    let fakes = Fakes::start().await;
    let xen = |no: &str, status: &str| {
        NcloudImage::new(no, NCP_OWNER)
            .with_hypervisor("XEN")
            .with_status(status)
    };
    fakes.ncloud.add_seed(NcloudSeed {
        images: vec![xen("10000011", "INIT"), xen("10000012", "CREFL")],
        ..NcloudSeed::default()
    });
    let members = NcloudMemberImages(fakes.ncloud_client());

    let init = members.readiness("10000011").await.unwrap();
    assert_eq!(init.state.as_deref(), Some("INIT"));
    assert!(init.may_become_ready(), "{init:?}");
    let failed = members.readiness("10000012").await.unwrap();
    assert_eq!(failed.state.as_deref(), Some("CREFL"));
    assert!(
        !failed.is_ready() && !failed.may_become_ready(),
        "{failed:?}"
    );
    // The demo's XEN image is CREAT.
    assert!(members.readiness("10000002").await.unwrap().is_ready());

    for image in ["10000011", "10000012"] {
        let err = reconcile(&members, image, &owned(&[NCP_RECIPIENT]))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("status is"), "{err}");
        assert!(fakes.ncloud.shared_login_ids(image).is_empty());
    }
    assert_eq!(fakes.mutations().1, 0, "no add call");
}

/// Fails if the Classic family's preflight does not read `memberServerImageStatus` (INIT
/// would be shared, CREFL called transient).
#[tokio::test]
async fn ncloud_classic_images_are_shared_only_once_created() {
    let fakes = Fakes::start().await;
    let classic =
        |no: &str, status: &str| NcloudClassicImage::new(no, NCP_OWNER).with_status(status);
    fakes.ncloud.add_seed(NcloudSeed {
        classic_images: vec![classic("20000011", "INIT"), classic("20000012", "CREFL")],
        ..NcloudSeed::default()
    });
    let classic = NcloudClassic(fakes.ncloud_client());

    let init = classic.readiness("20000011").await.unwrap();
    assert_eq!(init.state.as_deref(), Some("INIT"));
    assert!(init.may_become_ready(), "{init:?}");
    let failed = classic.readiness("20000012").await.unwrap();
    assert_eq!(failed.state.as_deref(), Some("CREFL"));
    assert!(
        !failed.is_ready() && !failed.may_become_ready(),
        "{failed:?}"
    );
    assert!(classic.readiness("20000001").await.unwrap().is_ready());

    for image in ["20000011", "20000012"] {
        let err = reconcile(&classic, image, &owned(&[NCP_RECIPIENT]))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("status is"), "{err}");
        assert!(fakes.ncloud.classic_shared_login_ids(image).is_empty());
    }
    assert_eq!(fakes.mutations().1, 0, "no add call");
}
