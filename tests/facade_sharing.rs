//! `ImageSharing` and sharing plans against the three signature-checking fakes on one address:
//! share, list, unshare, reconcile twice (the second run makes no mutating call), and plans with
//! transient faults whose reports are compared with the fakes' own state.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fakes.rs"]
mod fakes;

use fakes::Fakes;
use imgshare::plan::{ApplyOptions, Plan, PlanError};
use imgshare::sharing::{NcloudClassic, NcloudServerImages, reconcile};
use imgshare::{ErrorMetadata, ImageSharing, ShareState};
use imgshare_testkit::{Fault, NcloudFault, ScpFault, TencentFault};

const SCP_IMAGE: &str = "00000000-0000-4000-8000-0000000000a1";
const SCP_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";
const SCP_C: &str = "ccccccccccccccccccccccccccccccc3";

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn accounts_of(sharing: &dyn ImageSharing, image: &str) -> Vec<String> {
    sorted(
        sharing
            .list_shares(image)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.account)
            .collect(),
    )
}

#[tokio::test]
async fn share_list_unshare_on_every_provider() {
    let fakes = Fakes::start().await;
    let tencent = fakes.tencent_client();
    let ncloud = NcloudServerImages(fakes.ncloud_client());
    let classic = NcloudClassic(fakes.ncloud_client());
    let scp = fakes.scp_client();
    let cases: [(&dyn ImageSharing, &str, Vec<String>); 4] = [
        (
            &tencent,
            "img-demo0001",
            owned(&["100000000002", "100000000003"]),
        ),
        (&ncloud, "10000001", owned(&["recipient@imgshare.test"])),
        (&classic, "20000001", owned(&["recipient@imgshare.test"])),
        (&scp, SCP_IMAGE, owned(&[SCP_B, SCP_C])),
    ];
    for (sharing, image, accounts) in &cases {
        sharing.share(image, accounts).await.unwrap();
        // Sharing again is not an error.
        sharing.share(image, accounts).await.unwrap();
        assert_eq!(accounts_of(*sharing, image).await, sorted(accounts.clone()));
        sharing.unshare(image, &accounts[..1]).await.unwrap();
        assert_eq!(
            accounts_of(*sharing, image).await,
            sorted(accounts[1..].to_vec())
        );
    }
    assert_eq!(
        fakes.tencent.shared_accounts("img-demo0001"),
        ["100000000003"]
    );
    assert!(fakes.ncloud.shared_login_ids("10000001").is_empty());
    assert!(fakes.ncloud.classic_shared_login_ids("20000001").is_empty());
    // SCP members start pending.
    let shares = scp.list_shares(SCP_IMAGE).await.unwrap();
    assert_eq!(shares[0].state, ShareState::Pending);
    // Unsharing an account that is not a member is not an error.
    scp.unshare(SCP_IMAGE, &owned(&[SCP_B])).await.unwrap();
}

#[tokio::test]
async fn scp_reports_a_private_image_and_never_switches_it() {
    let fakes = Fakes::start().await;
    let scp = fakes.scp_client();
    let private = "00000000-0000-4000-8000-0000000000a3";
    let err = reconcile(&scp, private, &owned(&[SCP_B]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("visibility"), "{err}");
    assert_eq!(
        fakes.scp.image(private).unwrap().visibility,
        imgshare_testkit::ScpVisibility::Private
    );
    assert!(fakes.scp.members(private).is_empty());
    assert_eq!(fakes.mutations().2, 0);
}

#[tokio::test]
async fn reconcile_twice_makes_no_mutating_call_the_second_time() {
    let fakes = Fakes::start().await;
    let tencent = fakes.tencent_client();
    let ncloud = NcloudServerImages(fakes.ncloud_client());
    let scp = fakes.scp_client();
    let cases: [(&dyn ImageSharing, &str, Vec<String>); 3] = [
        (
            &tencent,
            "img-demo0002",
            owned(&["100000000002", "100000000003"]),
        ),
        (
            &ncloud,
            "10000002",
            owned(&["recipient@imgshare.test", "server-role@imgshare.test"]),
        ),
        (&scp, SCP_IMAGE, owned(&[SCP_B, SCP_C])),
    ];
    for (sharing, image, accounts) in &cases {
        let report = reconcile(*sharing, image, accounts).await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(sorted(report.added.clone()), sorted(accounts.clone()));
    }
    let before = fakes.mutations();
    assert_eq!(before, (1, 1, 2));
    for (sharing, image, accounts) in &cases {
        let report = reconcile(*sharing, image, accounts).await.unwrap();
        assert!(!report.changed());
        assert_eq!(sorted(report.unchanged.clone()), sorted(accounts.clone()));
    }
    assert_eq!(
        fakes.mutations(),
        before,
        "no mutating call the second time"
    );
    // Narrowing removes only the extra account.
    let report = reconcile(&scp, SCP_IMAGE, &owned(&[SCP_C])).await.unwrap();
    assert_eq!(report.removed, [SCP_B]);
    assert_eq!(fakes.scp.members(SCP_IMAGE).len(), 1);
}

const PLAN: &str = r#"
[providers.tencent]
region = "ap-guangzhou"
allowed_accounts = ["100000000002", "100000000003"]

[providers.ncloud]
region = "KR"

[providers.scp]
region = "kr-west1"

[[images]]
provider = "tencent"
image = "img-demo0001"
accounts = ["100000000002", "100000000003"]

[[images]]
provider = "tencent"
image = "img-demo0002"
accounts = ["100000000002"]

[[images]]
provider = "ncloud"
image = "10000001"
accounts = ["recipient@imgshare.test"]

[[images]]
provider = "scp"
image = "00000000-0000-4000-8000-0000000000a1"
accounts = ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2", "ccccccccccccccccccccccccccccccc3"]

[[images]]
provider = "scp"
image = "00000000-0000-4000-8000-0000000000a3"
accounts = ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"]
"#;

/// Every account the report calls added or removed is so in the fakes; every failed one is not.
fn check_truthful(fakes: &Fakes, report: &imgshare::plan::ApplyReport) {
    for image in &report.images {
        let now: Vec<String> = match image.provider.as_str() {
            "tencent" => fakes.tencent.shared_accounts(&image.image),
            "ncloud" => fakes.ncloud.shared_login_ids(&image.image),
            _ => fakes
                .scp
                .members(&image.image)
                .into_iter()
                .map(|m| m.member_id)
                .collect(),
        };
        for a in &image.added {
            assert!(
                now.contains(a),
                "{}: {a} reported added: {now:?}",
                image.image
            );
        }
        for a in &image.removed {
            assert!(!now.contains(a), "{}: {a} reported removed", image.image);
        }
        for f in &image.failed {
            assert_eq!(
                now.contains(&f.account),
                f.action == "unshare",
                "{}: {} reported failed",
                image.image,
                f.account
            );
        }
    }
}

#[tokio::test]
async fn a_plan_applied_with_transient_faults_reaches_the_desired_state_and_says_so() {
    let fakes = Fakes::start().await;
    let plan = Plan::parse(PLAN, "plan.toml").unwrap();
    let connected = fakes.connected();

    let diff = plan.diff(&connected, 4).await.unwrap();
    assert_eq!(diff.len(), 5);
    assert_eq!(diff[0].add, ["100000000002", "100000000003"]);
    assert!(fakes.mutations() == (0, 0, 0), "diff changes nothing");

    // Throttling and gateway errors, retried by the clients.
    fakes.tencent.inject(TencentFault::Throttle, 2);
    fakes.ncloud.inject(NcloudFault::ThrottleLimited, 1);
    fakes.scp.inject(ScpFault::Throttle, 2);
    let report = plan
        .apply(&connected, &ApplyOptions::default().concurrency(3))
        .await
        .unwrap();
    check_truthful(&fakes, &report);
    // The private SCP image is refused, the others are done.
    assert!(!report.is_complete());
    let private = &report.images[4];
    assert!(private.error.as_deref().unwrap().contains("visibility"));
    assert!(
        report.images[..4].iter().all(|i| i.is_complete()),
        "{report:#?}"
    );
    assert_eq!(
        sorted(fakes.tencent.shared_accounts("img-demo0001")),
        ["100000000002", "100000000003"]
    );
    assert_eq!(
        fakes.ncloud.shared_login_ids("10000001"),
        ["recipient@imgshare.test"]
    );
    assert_eq!(fakes.scp.members(SCP_IMAGE).len(), 2);

    // Again: nothing to do, no mutating call.
    let before = fakes.mutations();
    let again = plan
        .apply(&connected, &ApplyOptions::default())
        .await
        .unwrap();
    assert!(!again.changed());
    assert_eq!(fakes.mutations(), before);
}

#[tokio::test]
async fn a_failure_that_is_not_retried_is_reported_and_the_other_images_go_on() {
    let fakes = Fakes::start().await;
    let plan = Plan::parse(PLAN, "plan.toml").unwrap();
    let connected = fakes.connected();
    // Every NCP request fails for a while: its image fails, the rest are applied.
    fakes.ncloud.inject(Fault::Status(400), 50);
    fakes.scp.inject(Fault::DropConnection, 1);
    let report = plan
        .apply(&connected, &ApplyOptions::default())
        .await
        .unwrap();
    check_truthful(&fakes, &report);
    let ncloud = &report.images[2];
    assert!(!ncloud.is_complete());
    assert!(ncloud.added.is_empty());
    assert!(report.images[0].is_complete() && report.images[1].is_complete());
    assert_eq!(
        fakes.tencent.shared_accounts("img-demo0002"),
        ["100000000002"]
    );
}

#[tokio::test]
async fn removing_every_share_needs_an_explicit_flag() {
    let fakes = Fakes::start().await;
    fakes
        .tencent_client()
        .share("img-demo0003", &owned(&["100000000002"]))
        .await
        .unwrap();
    let text = r#"
[providers.tencent]
region = "ap-guangzhou"

[[images]]
provider = "tencent"
image = "img-demo0003"
accounts = []
"#;
    let plan = Plan::parse(text, "p.toml").unwrap();
    let connected = fakes.connected();
    let before = fakes.tencent.request_count();
    let err = plan
        .apply(&connected, &ApplyOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, PlanError::Refused(_)), "{err}");
    assert!(err.to_string().contains("img-demo0003 (line 7)"), "{err}");
    assert_eq!(
        fakes.tencent.request_count(),
        before,
        "refused before any call"
    );
    let report = plan
        .apply(&connected, &ApplyOptions::default().allow_remove_all(true))
        .await
        .unwrap();
    assert_eq!(report.images[0].removed, ["100000000002"]);
    assert!(fakes.tencent.shared_accounts("img-demo0003").is_empty());
    // Or per image.
    let plan = Plan::parse(
        &text.replace("accounts = []", "accounts = []\nremove_all = true"),
        "p.toml",
    )
    .unwrap();
    assert!(plan.unguarded_removals().is_empty());
}

#[tokio::test]
async fn inventories_list_owned_images() {
    let fakes = Fakes::start().await;
    let tencent = fakes.tencent_client();
    let images = tencent.list_images().await.unwrap();
    assert_eq!(images.len(), 3);
    let scp = fakes.scp_client();
    let images = ImageSharing::list_images(&scp).await.unwrap();
    assert_eq!(images.len(), 3, "{images:?}");
    let ncloud = NcloudServerImages(fakes.ncloud_client());
    assert_eq!(ncloud.list_images().await.unwrap().len(), 3);
}

/// Fails if `set_shares` through `dyn ImageSharing` misses a family's set call (the trait's
/// refusal answered instead, or the wrapper calling itself), or if a family without one sends
/// anything.
#[tokio::test]
async fn set_shares_replaces_every_share_where_the_api_has_a_set_call() {
    let fakes = Fakes::start().await;
    let classic: &dyn ImageSharing = &NcloudClassic(fakes.ncloud_client());
    let both = owned(&["recipient@imgshare.test", "server-role@imgshare.test"]);
    classic.set_shares("20000001", &both).await.unwrap();
    assert_eq!(accounts_of(classic, "20000001").await, both);
    classic.set_shares("20000001", &both[1..]).await.unwrap();
    assert_eq!(accounts_of(classic, "20000001").await, both[1..]);
    assert_eq!(fakes.mutations(), (0, 2, 0));

    let server: &dyn ImageSharing = &NcloudServerImages(fakes.ncloud_client());
    let e = server.set_shares("10000001", &both).await.unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    assert!(
        e.to_string()
            .contains("`set` is not available on ncloud/server-image"),
        "{e}"
    );
    assert_eq!(fakes.mutations(), (0, 2, 0));
}
