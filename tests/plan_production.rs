//! Sharing plans as teams run them in production, against the three fakes over loopback:
//! adopting live shares (`import`, `at-least`), the journal, preflight (readiness and the
//! per-image total), groups and expiry.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fakes.rs"]
mod fakes;

use std::io::Write;
use std::sync::{Arc, Mutex};

use fakes::Fakes;
use imgshare::ImageSharing;
use imgshare::plan::{
    ApplyOptions, ImportOptions, Journal, JournalEntry, Mode, Plan, ProviderKind, ProviderSpec,
    import,
};
use imgshare_testkit::{TencentImage, TencentSeed};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const SCP_IMAGE: &str = "00000000-0000-4000-8000-0000000000a1";
const SCP_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";
const OWNER: &str = "100000000001";

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn providers() -> Vec<ProviderSpec> {
    let mut tencent = ProviderSpec::new("tencent", ProviderKind::Tencent);
    tencent.region = Some("ap-guangzhou".into());
    let ncloud = ProviderSpec::new("ncloud", ProviderKind::Ncloud);
    let mut scp = ProviderSpec::new("scp", ProviderKind::Scp);
    scp.region = Some("kr-west1".into());
    vec![tencent, ncloud, scp]
}

/// A plan: `header` (the provider tables), then one `[[images]]` per `(provider, image,
/// accounts)`.
fn plan_text(header: &str, images: &[(&str, &str, &[&str])]) -> String {
    let mut text = header.to_owned();
    for (provider, image, accounts) in images {
        let accounts: Vec<String> = accounts.iter().map(|a| format!("{a:?}")).collect();
        text.push_str(&format!(
            "\n[[images]]\nprovider = {provider:?}\nimage = {image:?}\naccounts = [{}]\n",
            accounts.join(", ")
        ));
    }
    text
}

/// A writer the test can read back.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn entries(&self) -> Vec<JournalEntry> {
        let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

/// Fails if import loses or invents an account (the diff would add or remove it), or if its
/// text does not parse back.
#[tokio::test]
async fn an_imported_plan_diffs_to_no_change() {
    let fakes = Fakes::start().await;
    fakes
        .tencent_client()
        .share("img-demo0001", &owned(&["100000000002", "100000000003"]))
        .await
        .unwrap();
    let ncloud = imgshare::sharing::NcloudServerImages(fakes.ncloud_client());
    ncloud
        .share("10000001", &owned(&["recipient@imgshare.test"]))
        .await
        .unwrap();
    ImageSharing::share(&fakes.scp_client(), SCP_IMAGE, &owned(&[SCP_B]))
        .await
        .unwrap();
    let connected = fakes.connected();
    let providers = providers();

    // Images named: one shared, one not (kept, with nobody).
    let given = ImportOptions::default().images(vec![
        ("tencent".into(), "img-demo0001".into()),
        ("tencent".into(), "img-demo0002".into()),
        ("ncloud".into(), "10000001".into()),
        ("scp".into(), SCP_IMAGE.into()),
    ]);
    let imported = import(&providers, &connected, &given).await.unwrap();
    assert!(imported.failed.is_empty(), "{:?}", imported.failed);
    assert!(
        imported.text.contains("\"100000000003\""),
        "{}",
        imported.text
    );
    let plan = Plan::parse(&imported.text, "imported.toml").unwrap();
    assert_eq!(plan.images().len(), 4);
    let before = fakes.mutations();
    let diff = plan.diff(&connected, 4).await.unwrap();
    assert!(
        diff.iter().all(|d| !d.changes() && d.error.is_none()),
        "{diff:#?}"
    );
    let report = plan
        .apply(&connected, &ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete() && !report.changed(), "{report:#?}");
    assert_eq!(fakes.mutations(), before, "no write");

    // Images found: only those shared with someone.
    let found = import(
        &providers,
        &connected,
        &ImportOptions::default().mode(Mode::AtLeast),
    )
    .await
    .unwrap();
    let images: Vec<&str> = found
        .plan
        .images()
        .iter()
        .map(|i| i.image.as_str())
        .collect();
    assert_eq!(images, ["img-demo0001", "10000001", SCP_IMAGE]);
    assert!(found.plan.images().iter().all(|i| i.mode == Mode::AtLeast));
    let diff = found.plan.diff(&connected, 4).await.unwrap();
    assert!(diff.iter().all(|d| !d.changes()), "{diff:#?}");
}

/// Fails if an `at-least` entry removes an account it does not name (the bug it guards
/// against: adopting a plan wiped the shares made by hand).
#[tokio::test]
async fn an_at_least_plan_removes_nothing_it_does_not_name() {
    let fakes = Fakes::start().await;
    fakes
        .tencent_client()
        .share("img-demo0001", &owned(&["100000000002", "100000000003"]))
        .await
        .unwrap();
    let text = r#"
[providers.tencent]
region = "ap-guangzhou"
mode = "at-least"

[[images]]
provider = "tencent"
image = "img-demo0001"
accounts = []

[[images]]
provider = "tencent"
image = "img-demo0002"
accounts = ["100000000002"]
"#;
    let plan = Plan::parse(text, "p.toml").unwrap();
    assert!(
        plan.unguarded_removals().is_empty(),
        "at-least removes nothing"
    );
    let connected = fakes.connected();
    let diff = plan.diff(&connected, 2).await.unwrap();
    assert!(diff[0].remove.is_empty());
    assert_eq!(diff[0].unmanaged, ["100000000002", "100000000003"]);
    let report = plan
        .apply(&connected, &ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete(), "{report:#?}");
    assert!(report.images[0].removed.is_empty());
    assert_eq!(report.images[0].unmanaged.len(), 2);
    assert_eq!(report.images[1].added, ["100000000002"]);
    let mut now = fakes.tencent.shared_accounts("img-demo0001");
    now.sort();
    assert_eq!(now, ["100000000002", "100000000003"]);
    // The same plan in exact mode would remove them: the mode is what keeps them.
    let exact = Plan::parse(&text.replace("at-least", "exact"), "p.toml").unwrap();
    let diff = exact.diff(&connected, 2).await.unwrap();
    assert_eq!(diff[0].remove.len(), 2);
}

/// Fails if a call goes unjournaled, a line lacks its request id or has another call's (e.g. a
/// listing's), or a failed call is logged as done.
#[tokio::test]
async fn the_journal_has_one_line_per_call_with_request_ids() {
    let fakes = Fakes::start().await;
    fakes
        .tencent_client()
        .share("img-demo0003", &owned(&["100000000003"]))
        .await
        .unwrap();
    let header = "[providers.tencent]\nregion = \"ap-guangzhou\"\n[providers.ncloud]\n\
                  [providers.scp]\nregion = \"kr-west1\"\n";
    let text = plan_text(
        header,
        &[
            ("tencent", "img-demo0001", &["100000000002"]),
            ("tencent", "img-demo0003", &["100000000002"]),
            ("ncloud", "10000001", &["recipient@imgshare.test"]),
            ("scp", SCP_IMAGE, &[SCP_B]),
        ],
    );
    let plan = Plan::parse(&text, "p.toml").unwrap();
    let connected = fakes.connected();
    let before = fakes.mutations();
    let buffer = Buffer::default();
    let options = ApplyOptions::default()
        .concurrency(1)
        .journal(Journal::to_writer(buffer.clone()));
    let report = plan.apply(&connected, &options).await.unwrap();
    assert!(
        report.is_complete() && report.journal_error.is_none(),
        "{report:#?}"
    );
    let after = fakes.writes();
    let before = [before.0, before.1, before.2];
    // The ids the fakes answered this run's writes (plan order: Tencent, NCP, SCP).
    let answered: Vec<Option<String>> = (after.iter().zip(before))
        .flat_map(|(ids, skip)| ids[skip..].to_vec())
        .collect();
    let entries = buffer.entries();
    assert_eq!(entries.len(), answered.len(), "{entries:#?}");
    let actions: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| (e.image.as_str(), e.action.as_str(), e.outcome.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("img-demo0001", "share", "ok"),
            ("img-demo0003", "share", "ok"),
            ("img-demo0003", "unshare", "ok"),
            ("10000001", "share", "ok"),
            (SCP_IMAGE, "share", "ok"),
        ]
    );
    assert_eq!(entries[2].accounts, ["100000000003"]);
    // Each line has the id the fake answered that very call, not another call's.
    let journaled: Vec<Option<String>> = entries.iter().map(|e| e.request_id.clone()).collect();
    assert_eq!(journaled, answered);
    for e in &entries[..4] {
        assert!(
            e.request_id.as_deref().is_some_and(|id| !id.is_empty()),
            "{e:?}"
        );
        OffsetDateTime::parse(&e.time, &Rfc3339).unwrap();
    }
    // SCP answers no request id on success.
    assert_eq!(entries[4].request_id, None);

    // A failed call is journaled as such, with the provider's code and request id (sharing
    // with the owner's own account is refused).
    let plan = Plan::parse(
        "[providers.tencent]\nregion = \"ap-guangzhou\"\n[[images]]\nprovider = \"tencent\"\n\
         image = \"img-demo0002\"\naccounts = [\"100000000001\"]\n",
        "p.toml",
    )
    .unwrap();
    let buffer = Buffer::default();
    let options = ApplyOptions::default().journal(Journal::to_writer(buffer.clone()));
    let report = plan.apply(&connected, &options).await.unwrap();
    assert!(!report.images[0].is_complete(), "{report:#?}");
    assert_eq!(report.incomplete(), 1);
    let entries = buffer.entries();
    assert_eq!(entries.len(), 1, "{entries:#?}");
    let failed = &entries[0];
    assert_eq!(
        (failed.action.as_str(), failed.outcome.as_str()),
        ("share", "error")
    );
    assert_eq!(failed.code.as_deref(), Some("InvalidAccountIs.YourSelf"));
    assert!(
        failed.request_id.is_some() && failed.error.is_some(),
        "{failed:?}"
    );
    // The id of the refusal the fake answered.
    assert_eq!(Some(&failed.request_id), fakes.writes()[0].last());
}

/// Fails if preflight is skipped (the share call would be sent and refused) or if the 500 is
/// read as a per-call cap only (499 + 2 in two calls would pass).
#[tokio::test]
async fn preflight_reports_unshareable_images_and_the_per_image_total_before_any_write() {
    let fakes = Fakes::start().await;
    let creating = TencentImage::new("img-creating", OWNER).with_state("CREATING");
    let byol = TencentImage::new("img-byolbyol", OWNER).byol();
    let full = TencentImage::new("img-full0499", OWNER);
    let shares = (0..499)
        .map(|i| ("img-full0499".to_owned(), format!("2000000{i:05}")))
        .collect();
    fakes.tencent.add_seed(TencentSeed {
        images: vec![creating, byol, full],
        shares,
        ..TencentSeed::default()
    });
    let header = "[providers.tencent]\nregion = \"ap-guangzhou\"\nmode = \"at-least\"\n";
    let text = plan_text(
        header,
        &[
            ("tencent", "img-creating", &["100000000002"]),
            ("tencent", "img-byolbyol", &["100000000002"]),
            ("tencent", "img-full0499", &["100000000002", "100000000003"]),
            ("tencent", "img-demo0001", &["100000000002"]),
        ],
    );
    let plan = Plan::parse(&text, "p.toml").unwrap();
    let connected = fakes.connected();
    let diff = plan.diff(&connected, 4).await.unwrap();
    let creating = diff[0].readiness.as_ref().unwrap();
    assert!(
        !creating.is_ready() && creating.may_become_ready(),
        "{creating:?}"
    );
    assert_eq!(creating.state.as_deref(), Some("CREATING"));
    let byol = diff[1].readiness.as_ref().unwrap();
    assert!(
        !byol.may_become_ready() && byol.to_string().contains("BYOL"),
        "{byol}"
    );
    let over = diff[2].over_limit.as_deref().unwrap();
    assert!(
        over.contains("501 accounts") && over.contains("500"),
        "{over}"
    );
    assert!(diff[..3].iter().all(|d| d.blocked()));
    assert!(!diff[3].blocked() && diff[3].readiness.as_ref().unwrap().is_ready());

    let report = plan
        .apply(&connected, &ApplyOptions::default())
        .await
        .unwrap();
    for image in &report.images[..3] {
        assert!(image.error.is_some() && image.added.is_empty(), "{image:?}");
    }
    assert!(report.images[3].is_complete());
    let refused = fakes
        .tencent
        .received()
        .iter()
        .filter(|r| r.action.as_deref() == Some("ModifyImageSharePermission"))
        .filter(|r| !r.body.contains("img-demo0001"))
        .count();
    assert_eq!(refused, 0, "no share call for the refused images");
    assert_eq!(fakes.tencent.shared_accounts("img-full0499").len(), 499);
}

/// Fails if a group is not expanded, or an expired share is kept (or re-added).
#[tokio::test]
async fn groups_expand_and_expired_shares_are_removed() {
    let fakes = Fakes::start().await;
    fakes
        .tencent_client()
        .share("img-demo0001", &owned(&["100000000003"]))
        .await
        .unwrap();
    let soon = (OffsetDateTime::now_utc() + time::Duration::days(3))
        .format(&Rfc3339)
        .unwrap();
    let text = format!(
        r#"
[providers.tencent]
region = "ap-guangzhou"
mode = "at-least"
groups = {{ ops = ["100000000002", "100000000004"] }}

[[images]]
provider = "tencent"
image = "img-demo0001"
accounts = [
  {{ account = "@ops", expires = "{soon}" }},
  {{ account = "100000000003", expires = "2020-01-01T00:00:00Z" }},
]
"#
    );
    let plan = Plan::parse(&text, "p.toml").unwrap();
    let connected = fakes.connected();
    let diff = plan.diff(&connected, 1).await.unwrap();
    assert_eq!(diff[0].add, ["100000000002", "100000000004"]);
    assert_eq!(diff[0].remove, ["100000000003"], "expired, even at-least");
    assert_eq!(diff[0].expired, ["100000000003"]);
    let expiring: Vec<&str> = diff[0]
        .expiring
        .iter()
        .map(|e| e.account.as_str())
        .collect();
    assert_eq!(expiring, ["100000000002", "100000000004"]);
    let report = plan
        .apply(&connected, &ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete(), "{report:#?}");
    let mut now = fakes.tencent.shared_accounts("img-demo0001");
    now.sort();
    assert_eq!(now, ["100000000002", "100000000004"]);
}

/// `YYYY-MM-DDThh:mm:ssZ`, `secs` from now on the system clock (the fake's clock before any
/// offset).
fn utc_in(secs: i64) -> String {
    let at = OffsetDateTime::now_utc() + time::Duration::seconds(secs);
    at.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap()
}

/// Moves the Tencent fake's clock two minutes on, after `ms` of real time (run next to the
/// call that waits).
async fn finish_creating_after(fakes: &Fakes, ms: u64) {
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    fakes.tencent.set_clock_offset_secs(120).unwrap();
}

fn describe_images_calls(fakes: &Fakes) -> usize {
    (fakes.tencent.received().iter())
        .filter(|r| r.action.as_deref() == Some("DescribeImages"))
        .count()
}

/// Fails if the waiter gives up while the image may still pass, waits for one that never
/// will, or waits past its bound.
#[tokio::test]
async fn the_waiter_polls_until_the_image_is_normal_and_is_bounded() {
    use imgshare::sharing::{WaitError, WaitOptions, wait_until_shareable};
    let fakes = Fakes::start().await;
    let later = TencentImage::new("img-waiting0", OWNER)
        .with_state("CREATING")
        .normal_from(utc_in(60));
    let stuck = TencentImage::new("img-stuck000", OWNER).with_state("CREATING");
    let byol = TencentImage::new("img-byolbyol", OWNER).byol();
    fakes.tencent.add_seed(TencentSeed {
        images: vec![later, stuck, byol],
        ..TencentSeed::default()
    });
    let tencent = fakes.tencent_client();
    // A bound well above the interval, so a loaded machine still reads more than once.
    let slow_read = std::time::Duration::from_secs(5);
    let quick = WaitOptions::new(
        std::time::Duration::from_millis(1000),
        std::time::Duration::from_millis(50),
    );

    let before = describe_images_calls(&fakes);
    let err = wait_until_shareable(&tencent, "img-byolbyol", quick)
        .await
        .unwrap_err();
    assert!(matches!(err, WaitError::Never { .. }), "{err}");
    assert_eq!(
        describe_images_calls(&fakes) - before,
        1,
        "no waiting for what cannot pass"
    );

    let err = wait_until_shareable(&tencent, "img-stuck000", quick)
        .await
        .unwrap_err();
    match err {
        WaitError::TimedOut {
            last,
            reads,
            waited,
            ..
        } => {
            assert_eq!(last.state.as_deref(), Some("CREATING"));
            assert!(
                // No read starts after the bound; the last may end after it by its own time.
                reads >= 2 && waited <= std::time::Duration::from_millis(1000) + slow_read,
                "{reads} reads in {waited:?}"
            );
        }
        other => panic!("{other}"),
    }

    let long = WaitOptions::new(
        std::time::Duration::from_secs(10),
        std::time::Duration::from_millis(50),
    );
    let wait = wait_until_shareable(&tencent, "img-waiting0", long);
    let (ready, ()) = tokio::join!(wait, finish_creating_after(&fakes, 200));
    let ready = ready.unwrap();
    assert_eq!(ready.state.as_deref(), Some("NORMAL"));
}

/// Fails if `wait_ready` is ignored (the share is refused while the image is CREATING).
#[tokio::test]
async fn apply_waits_for_the_image_when_asked() {
    use imgshare::sharing::WaitOptions;
    let fakes = Fakes::start().await;
    let later = TencentImage::new("img-waiting0", OWNER)
        .with_state("CREATING")
        .normal_from(utc_in(60));
    fakes.tencent.add_seed(TencentSeed {
        images: vec![later],
        ..TencentSeed::default()
    });
    let plan = Plan::parse(
        "[providers.tencent]\nregion = \"ap-guangzhou\"\n[[images]]\nprovider = \"tencent\"\n\
         image = \"img-waiting0\"\naccounts = [\"100000000002\"]\n",
        "p.toml",
    )
    .unwrap();
    let connected = fakes.connected();
    let report = plan
        .apply(&connected, &ApplyOptions::default())
        .await
        .unwrap();
    assert!(
        report.images[0]
            .error
            .as_deref()
            .unwrap()
            .contains("CREATING")
    );
    let wait = WaitOptions::new(
        std::time::Duration::from_secs(10),
        std::time::Duration::from_millis(50),
    );
    let options = ApplyOptions::default().wait_ready(wait);
    let apply = plan.apply(&connected, &options);
    // Long after apply's own reads (spaced by the read limiter), so only waiting sees NORMAL.
    let (report, ()) = tokio::join!(apply, finish_creating_after(&fakes, 1000));
    let report = report.unwrap();
    assert!(report.is_complete(), "{report:#?}");
    assert_eq!(report.images[0].added, ["100000000002"]);
}

/// Fails if apply does not read the listing again after a write, or calls a change confirmed
/// that the listing never showed.
#[tokio::test]
async fn apply_confirms_changes_in_the_listing_and_says_when_it_never_shows() {
    use imgshare::sharing::WaitOptions;
    let fakes = Fakes::start().await;
    fakes.tencent.set_listing_delay_ms(60_000);
    let text = "[providers.tencent]\nregion = \"ap-guangzhou\"\n[[images]]\nprovider = \
                \"tencent\"\nimage = \"img-demo0001\"\naccounts = [\"100000000002\"]\n";
    let plan = Plan::parse(text, "p.toml").unwrap();
    let connected = fakes.connected();
    // A bound well above the interval, so a loaded machine still reads more than once.
    let quick = WaitOptions::new(
        std::time::Duration::from_millis(1000),
        std::time::Duration::from_millis(50),
    );
    let report = plan
        .apply(&connected, &ApplyOptions::default().confirm(quick))
        .await
        .unwrap();
    let image = &report.images[0];
    assert_eq!(image.added, ["100000000002"], "the call succeeded");
    assert_eq!(
        image.unconfirmed,
        ["100000000002"],
        "but the listing never showed it"
    );
    assert!(!report.is_complete());

    // The listing catches up within the bound: confirmed.
    let plan = Plan::parse(&text.replace("img-demo0001", "img-demo0002"), "p.toml").unwrap();
    let long = WaitOptions::new(
        std::time::Duration::from_secs(10),
        std::time::Duration::from_millis(50),
    );
    let options = ApplyOptions::default().confirm(long);
    let apply = plan.apply(&connected, &options);
    let catch_up = async {
        // Once the share is made (not before: it would be listed a minute after the jump).
        let shares = || {
            (fakes.tencent.received().iter())
                .filter(|r| r.action.as_deref() == Some("ModifyImageSharePermission"))
                .count()
        };
        while shares() < 2 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        finish_creating_after(&fakes, 100).await;
    };
    let (report, ()) = tokio::join!(apply, catch_up);
    let report = report.unwrap();
    assert!(report.is_complete(), "{report:#?}");
}

/// Fails if a recipient's listing misses a share (or shows the owner's own images), if an
/// answer is not sent or sent again once given, or if NAVER Cloud claims a listing it lacks.
#[tokio::test]
async fn the_recipient_lists_what_is_shared_with_it_and_answers_scp_shares() {
    use imgshare::ShareState;
    use imgshare::plan::{Connected, shared_with_me};
    let fakes = Fakes::start().await;
    fakes
        .tencent_client()
        .share("img-demo0001", &owned(&["100000000002"]))
        .await
        .unwrap();
    ImageSharing::share(&fakes.scp_client(), SCP_IMAGE, &owned(&[SCP_B]))
        .await
        .unwrap();
    let recipient = Connected::new()
        .with_sharing("tencent", Arc::new(fakes.tencent_client_of(1)), 10.0)
        .with_sharing(
            "ncloud",
            Arc::new(imgshare::sharing::NcloudServerImages(fakes.ncloud_client())),
            10.0,
        )
        .with_sharing("scp-b", Arc::new(fakes.scp_client_of(1)), 50.0);
    let listed = shared_with_me(&recipient, 3).await;
    let names: Vec<&str> = listed.iter().map(|l| l.provider.as_str()).collect();
    assert_eq!(names, ["ncloud", "scp-b", "tencent"]);
    assert!(
        listed[0]
            .error
            .as_deref()
            .unwrap()
            .contains("documents no way")
    );
    // NAVER Cloud has no such listing, which is not a failure.
    assert!(listed[0].unsupported && !listed.iter().any(|l| l.failed()));
    let scp = &listed[1].images;
    assert_eq!(scp.len(), 1, "{scp:?}");
    assert_eq!(
        (scp[0].id.as_str(), &scp[0].state),
        (SCP_IMAGE, &ShareState::Pending)
    );
    // The owner's own `shared` images are not shared with it.
    let own = fakes.scp_client().shared_with_me().await.unwrap();
    assert!(own.is_empty(), "{own:?}");
    let tencent = &listed[2].images;
    assert_eq!(tencent.len(), 1, "{tencent:?}");
    assert_eq!(tencent[0].id, "img-demo0001");
    assert_eq!(tencent[0].owner.as_deref(), Some(OWNER));

    let text = format!(
        "[providers.scp-b]\ntype = \"scp\"\nregion = \"kr-west1\"\naccount_id = \"{SCP_B}\"\n\n\
         [[answers]]\nprovider = \"scp-b\"\nimage = \"{SCP_IMAGE}\"\nanswer = \"accept\"\n"
    );
    let plan = Plan::parse(&text, "p.toml").unwrap();
    let diff = plan.preview(&recipient, 1).await.unwrap();
    assert_eq!(diff.answers[0].current.as_deref(), Some("pending"));
    assert!(diff.answers[0].change && diff.changes() && diff.unreadable() == 0);
    let buffer = Buffer::default();
    let options = ApplyOptions::default().journal(Journal::to_writer(buffer.clone()));
    let report = plan.apply(&recipient, &options).await.unwrap();
    assert!(
        report.is_complete() && report.answers[0].sent,
        "{report:#?}"
    );
    assert_eq!(
        fakes.scp.members(SCP_IMAGE)[0].status,
        imgshare_testkit::ScpMemberStatus::Accepted
    );
    assert_eq!(buffer.entries()[0].action, "accept");
    // Accepted: listed so, and not answered again.
    let again = plan
        .apply(&recipient, &ApplyOptions::default())
        .await
        .unwrap();
    assert!(!again.answers[0].sent && !again.changed());
    let diff = plan.preview(&recipient, 1).await.unwrap();
    assert!(!diff.changes(), "{diff:#?}");
    let listed = shared_with_me(&recipient, 1).await;
    assert_eq!(listed[1].images[0].state, ShareState::Accepted);

    // Rejecting works the same way.
    let reject = Plan::parse(&text.replace("\"accept\"", "\"reject\""), "p.toml").unwrap();
    let report = reject
        .apply(&recipient, &ApplyOptions::default())
        .await
        .unwrap();
    assert!(
        report.answers[0].sent && report.is_complete(),
        "{report:#?}"
    );
    assert_eq!(
        fakes.scp.members(SCP_IMAGE)[0].status,
        imgshare_testkit::ScpMemberStatus::Rejected
    );
}

/// Fails if NAVER Cloud's and SCP's readiness are not read before the write (the add call
/// would be sent), or if an image still being created is called hopeless.
#[tokio::test]
async fn preflight_reads_ncloud_status_and_scp_visibility() {
    use imgshare_testkit::{NcloudImage, NcloudSeed};
    let fakes = Fakes::start().await;
    let creating = NcloudImage::new("10000009", "owner@imgshare.test").with_status("INIT");
    fakes.ncloud.add_seed(NcloudSeed {
        images: vec![creating],
        ..NcloudSeed::default()
    });
    let header = "[providers.ncloud]\n[providers.scp]\nregion = \"kr-west1\"\n";
    let private = "00000000-0000-4000-8000-0000000000a3";
    let text = plan_text(
        header,
        &[
            ("ncloud", "10000009", &["recipient@imgshare.test"]),
            ("ncloud", "10000001", &["recipient@imgshare.test"]),
            ("scp", private, &[SCP_B]),
        ],
    );
    let plan = Plan::parse(&text, "p.toml").unwrap();
    let connected = fakes.connected();
    let diff = plan.diff(&connected, 3).await.unwrap();
    let init = diff[0].readiness.as_ref().unwrap();
    assert_eq!(init.state.as_deref(), Some("INIT"));
    assert!(init.may_become_ready(), "{init:?}");
    assert!(diff[1].readiness.as_ref().unwrap().is_ready());
    let scp = diff[2].readiness.as_ref().unwrap();
    assert!(
        !scp.may_become_ready() && scp.to_string().contains("visibility"),
        "{scp}"
    );
    assert!(diff[0].blocked() && !diff[1].blocked() && diff[2].blocked());
    let report = plan
        .apply(&connected, &ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.images[0].error.as_deref().unwrap().contains("INIT"));
    assert!(report.images[1].is_complete());
    assert_eq!(fakes.mutations().1, 1, "only the ready image's add call");
    assert!(fakes.ncloud.shared_login_ids("10000009").is_empty());
}

/// Fails if one provider's failed listing hides the others' rows or is dropped, if an image
/// shared with nobody has no row, or if a share's account or state is lost (also in JSON).
#[tokio::test]
async fn the_inventory_has_a_row_per_share_and_keeps_each_failure() {
    use imgshare::ShareState;
    use imgshare::plan::{InventoryRow, inventory};
    let fakes = Fakes::start().await;
    fakes
        .tencent_client()
        .share("img-demo0001", &owned(&["100000000002"]))
        .await
        .unwrap();
    fakes.scp.inject(imgshare_testkit::Fault::Status(400), 1);
    let rows = inventory(&fakes.connected(), 2).await;
    let scp: Vec<_> = rows.iter().filter(|r| r.provider == "scp").collect();
    assert_eq!(scp.len(), 1, "{rows:#?}");
    assert_eq!(
        (scp[0].image.as_deref(), scp[0].account.as_deref()),
        (None, None)
    );
    assert!(
        scp[0].error.as_deref().unwrap().contains("400"),
        "{rows:#?}"
    );
    let shared = rows
        .iter()
        .find(|r| r.image.as_deref() == Some("img-demo0001"))
        .unwrap();
    assert_eq!(shared.account.as_deref(), Some("100000000002"));
    assert_eq!(
        (&shared.state, &shared.error),
        (&Some(ShareState::Active), &None)
    );
    let json = serde_json::to_value(shared).unwrap();
    assert_eq!(
        (json["state"].as_str(), json["name"].as_str()),
        (Some("active"), Some("demo-tencentos"))
    );
    let unshared =
        |r: &&InventoryRow| r.image.is_some() && r.account.is_none() && r.error.is_none();
    assert!(
        rows.iter()
            .filter(|r| r.provider == "tencent")
            .any(|r| unshared(&r)),
        "{rows:#?}"
    );
    let ncloud = rows.iter().filter(|r| r.provider == "ncloud").count();
    assert!(
        ncloud > 0
            && rows
                .iter()
                .all(|r| r.provider != "ncloud" || r.error.is_none()),
        "{rows:#?}"
    );
    let providers: Vec<&str> = rows.iter().map(|r| r.provider.as_str()).collect();
    assert!(providers.is_sorted(), "entry order: {providers:?}");
}
