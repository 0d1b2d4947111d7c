//! Sharing as teams run it, from the command line against the fakes: `plan import`, what
//! `plan diff` shows (unmanaged, expiry, preflight, answers), `plan apply --journal`,
//! `--wait-ready` and `--confirm`, and `inventory --shared-with-me`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use imgshare_testkit::{
    NcloudFake, NcloudSeed, ScpFake, ScpFault, ScpMember, ScpSeed, TencentFake, TencentImage,
    TencentSeed,
};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

const SCP_IMAGE: &str = "00000000-0000-4000-8000-0000000000a1";
const SCP_PRIVATE: &str = "00000000-0000-4000-8000-0000000000a3";
const SCP_OWNER: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
const SCP_RECIPIENT: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";

/// A fresh directory for one test's files.
fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("imgshare-prod-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `imgshare ARGS` with the demo keys in the variables the plans name, and nothing else.
fn imgshare(home: &Path, args: &[&str]) -> Output {
    let t = TencentSeed::demo().accounts;
    let n = &NcloudSeed::demo().accounts[0];
    let s = ScpSeed::demo().accounts;
    let scp = |id: &str| s.iter().find(|a| a.account_id == id).unwrap().clone();
    let (owner, recipient) = (scp(SCP_OWNER), scp(SCP_RECIPIENT));
    Command::new(env!("CARGO_BIN_EXE_imgshare"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .envs([("T_ID", &t[0].secret_id), ("T_KEY", &t[0].secret_key)])
        .envs([("TR_ID", &t[1].secret_id), ("TR_KEY", &t[1].secret_key)])
        .envs([("N_ID", &n.access_key), ("N_KEY", &n.secret_key)])
        .envs([("S_ID", &owner.access_key), ("S_KEY", &owner.secret_key)])
        .envs([("SR_ID", &recipient.access_key)])
        .envs([("SR_KEY", &recipient.secret_key)])
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn tencent_entry(endpoint: &str, name: &str, keys: &str) -> String {
    format!(
        "[providers.{name}]\ntype = \"tencent\"\nregion = \"ap-guangzhou\"\nendpoint = \
         \"{endpoint}\"\ncredentials = {{ access_key_env = \"{keys}_ID\", secret_key_env = \
         \"{keys}_KEY\" }}\n"
    )
}

fn scp_entry(endpoint: &str, name: &str, account: &str, keys: &str) -> String {
    format!(
        "[providers.{name}]\ntype = \"scp\"\nendpoint = \"{endpoint}\"\naccount_id = \
         \"{account}\"\ncredentials = {{ access_key_env = \"{keys}_ID\", secret_key_env = \
         \"{keys}_KEY\" }}\n"
    )
}

fn modify_calls(fake: &TencentFake) -> Vec<imgshare_testkit::TencentReceivedRequest> {
    let calls = fake.received().into_iter();
    let modify = |r: &imgshare_testkit::TencentReceivedRequest| {
        r.action.as_deref() == Some("ModifyImageSharePermission")
    };
    calls.filter(modify).collect()
}

/// Issue 22's "done when": a share made by hand is imported, the imported plan diffs clean, an
/// at-least plan naming none of the image's accounts removes nothing, and `--journal` holds one
/// line per call with its request id. Fails if import drops the live account or writes a key,
/// if `-o` overwrites without `--force`, if at-least removes, if the journal is not written, or
/// if a line's request id is not the one the fake answered that call (e.g. a listing's).
#[tokio::test(flavor = "multi_thread")]
async fn imported_plan_diffs_clean_at_least_removes_nothing_and_the_journal_has_each_call() {
    let mut seed = TencentSeed::demo();
    seed.shares
        .push(("img-demo0001".into(), "100000000002".into()));
    let fake = TencentFake::start_with_seed(seed).await;
    let dir = dir("done-when");
    let providers = dir.join("providers.toml");
    std::fs::write(&providers, tencent_entry(&fake.uri(), "tencent", "T")).unwrap();
    let (providers, imported) = (providers.to_str().unwrap(), dir.join("imported.toml"));
    let imported = imported.to_str().unwrap();
    let import = [
        "plan",
        "import",
        "--plan",
        providers,
        "--image",
        "tencent:img-demo0001",
        "-o",
        imported,
    ];
    let out = ok(&imgshare(&dir, &import));
    assert_eq!(out, format!("wrote 1 image(s) to {imported}\n"));
    let text = std::fs::read_to_string(imported).unwrap();
    assert!(text.contains("accounts = [\"100000000002\"]"), "{text}");
    let keys = &TencentSeed::demo().accounts[0];
    assert!(!text.contains(&keys.secret_key) && !text.contains(&keys.secret_id));

    // An existing file is kept (nothing sent) unless --force.
    let sent = fake.request_count();
    let out = imgshare(&dir, &import);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(fake.request_count(), sent);
    ok(&imgshare(&dir, &[&import[..], &["--force"]].concat()));

    let out = ok(&imgshare(
        &dir,
        &["--output", "json", "plan", "diff", imported],
    ));
    let diff: Value = serde_json::from_str(&out).unwrap();
    let image = &diff["images"][0];
    assert_eq!(image["add"], serde_json::json!([]), "{diff}");
    assert_eq!(image["remove"], serde_json::json!([]), "{diff}");
    assert_eq!(image["unchanged"], serde_json::json!(["100000000002"]));

    let at_least = dir.join("at-least.toml");
    let text = format!(
        "{}\n[[images]]\nprovider = \"tencent\"\nimage = \"img-demo0001\"\nmode = \"at-least\"\n\
         accounts = [\"100000000003\"]\n",
        tencent_entry(&fake.uri(), "tencent", "T")
    );
    std::fs::write(&at_least, text).unwrap();
    let journal = dir.join("journal.jsonl");
    let journal = journal.to_str().unwrap();
    let calls_before = modify_calls(&fake).len();
    let apply = |plan: &str| {
        let args = [
            "--output",
            "json",
            "plan",
            "apply",
            plan,
            "--yes",
            "--journal",
            journal,
        ];
        let out = ok(&imgshare(&dir, &args));
        serde_json::from_str::<Value>(&out).unwrap()
    };
    let report = apply(at_least.to_str().unwrap());
    assert_eq!(report["images"][0]["removed"], serde_json::json!([]));
    assert_eq!(report["images"][0]["unmanaged"][0], "100000000002");
    let mut shared = fake.shared_accounts("img-demo0001");
    shared.sort();
    assert_eq!(shared, ["100000000002", "100000000003"]);
    // The imported plan is exact: it takes back what the at-least plan added.
    let report = apply(imported);
    assert_eq!(report["images"][0]["removed"][0], "100000000003");
    assert_eq!(fake.shared_accounts("img-demo0001"), ["100000000002"]);

    // An exact plan that would take every share away is refused before any call.
    let calls = modify_calls(&fake).len();
    std::fs::write(
        &at_least,
        std::fs::read_to_string(imported)
            .unwrap()
            .replace("[\"100000000002\"]", "[]")
            .replace("remove_all = true", ""),
    )
    .unwrap();
    let out = imgshare(
        &dir,
        &["plan", "apply", at_least.to_str().unwrap(), "--yes"],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-remove-all"));
    assert_eq!(modify_calls(&fake).len(), calls);

    let lines: Vec<Value> = std::fs::read_to_string(journal)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let calls = &modify_calls(&fake)[calls_before..];
    assert_eq!(lines.len(), calls.len(), "one line per call: {lines:?}");
    assert_eq!(lines.len(), 2);
    for (line, action) in lines.iter().zip(["share", "unshare"]) {
        assert_eq!(line["action"], action, "{line}");
        assert_eq!(line["accounts"][0], "100000000003");
        assert_eq!(line["outcome"], "ok");
    }
    // The calls the fake received, in the journal's order, and the request ids it answered
    // them (not those of the listings around them).
    for (call, permission) in calls.iter().zip(["SHARE", "CANCEL"]) {
        assert!(call.body.contains(permission), "{call:?}");
        assert_eq!(call.status, Some(200));
    }
    let journaled: Vec<Option<&str>> = lines.iter().map(|l| l["request_id"].as_str()).collect();
    let answered: Vec<Option<&str>> = calls.iter().map(|c| c.request_id.as_deref()).collect();
    assert_eq!(journaled, answered);
    assert!(answered.iter().all(Option::is_some), "{answered:?}");
}

/// Fails if `plan diff` leaves out unmanaged accounts, expired or expiring shares, why an image
/// cannot be shared, or the answers, in text or JSON.
#[tokio::test(flavor = "multi_thread")]
async fn diff_shows_unmanaged_expiry_preflight_and_answers() {
    let mut seed = TencentSeed::demo();
    seed.shares
        .push(("img-demo0001".into(), "100000000002".into()));
    let tencent = TencentFake::start_with_seed(seed).await;
    let mut scp_seed = ScpSeed::demo();
    scp_seed
        .members
        .push(ScpMember::new(SCP_IMAGE, SCP_RECIPIENT));
    let _scp = ScpFake::mount_on(tencent.mock_server().unwrap(), scp_seed).await;
    let uri = tencent.uri();
    let at = |days: i64| {
        (OffsetDateTime::now_utc() + Duration::days(days))
            .format(&Rfc3339)
            .unwrap()
    };
    let text = format!(
        "{}{}{}\n[[images]]\nprovider = \"tencent\"\nimage = \"img-demo0001\"\nmode = \
         \"at-least\"\naccounts = [{{ account = \"100000000003\", expires = \"{}\" }}, \
         {{ account = \"100000000004\", expires = \"{}\" }}]\n\n[[images]]\nprovider = \
         \"scp\"\nimage = \"{SCP_PRIVATE}\"\naccounts = [\"{SCP_RECIPIENT}\"]\n\n[[answers]]\n\
         provider = \"scp-me\"\nimage = \"{SCP_IMAGE}\"\nanswer = \"accept\"\n",
        tencent_entry(&uri, "tencent", "T"),
        scp_entry(&uri, "scp", SCP_OWNER, "S"),
        scp_entry(&uri, "scp-me", SCP_RECIPIENT, "SR"),
        at(3),
        at(-1),
    );
    let dir = dir("diff");
    let plan = dir.join("plan.toml");
    std::fs::write(&plan, text).unwrap();
    let plan = plan.to_str().unwrap();

    let out = ok(&imgshare(&dir, &["plan", "diff", plan]));
    let expected = [
        "tencent img-demo0001: share with 100000000003; stop sharing with -; shareable\n",
        "  left alone (not named, at-least): 100000000002\n",
        "  expired: 100000000004\n",
        "  expiring within a week: 100000000003 at ",
        &format!(
            "scp {SCP_PRIVATE}: share with {SCP_RECIPIENT}; stop sharing with -; not shareable: "
        ),
        &format!("scp-me {SCP_IMAGE} answer: accept (now pending)\n"),
    ];
    for line in expected {
        assert!(out.contains(line), "{line:?} in:\n{out}");
    }

    let out = ok(&imgshare(&dir, &["--output", "json", "plan", "diff", plan]));
    let diff: Value = serde_json::from_str(&out).unwrap();
    let (tc, scp) = (&diff["images"][0], &diff["images"][1]);
    assert_eq!(tc["unmanaged"][0], "100000000002", "{diff}");
    assert_eq!(tc["expired"][0], "100000000004");
    assert_eq!(tc["expiring"][0]["account"], "100000000003");
    assert_eq!(tc["readiness"]["not_ready"], serde_json::json!([]));
    let reason = scp["readiness"]["not_ready"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("private"), "{reason}");
    assert_eq!(diff["answers"][0]["current"], "pending");
    assert_eq!(diff["answers"][0]["change"], true);
}

/// Fails if `inventory --shared-with-me` fails (or prints nothing) because NAVER Cloud has no
/// such listing, or exits 0 when a provider that has one could not be read.
#[tokio::test(flavor = "multi_thread")]
async fn shared_with_me_lists_each_provider_and_fails_only_for_a_real_failure() {
    let mut seed = TencentSeed::demo();
    seed.shares
        .push(("img-demo0001".into(), "100000000002".into()));
    let tencent = TencentFake::start_with_seed(seed).await;
    let server = tencent.mock_server().unwrap();
    let _ncloud = NcloudFake::mount_on(server, NcloudSeed::demo()).await;
    let mut scp_seed = ScpSeed::demo();
    scp_seed
        .members
        .push(ScpMember::new(SCP_IMAGE, SCP_RECIPIENT));
    let scp = ScpFake::mount_on(server, scp_seed).await;
    let uri = tencent.uri();
    let text = format!(
        "{}[providers.ncloud]\nregion = \"KR\"\nendpoint = \"{uri}\"\ncredentials = {{ \
         access_key_env = \"N_ID\", secret_key_env = \"N_KEY\" }}\n{}",
        tencent_entry(&uri, "tencent", "TR"),
        scp_entry(&uri, "scp", SCP_RECIPIENT, "SR"),
    );
    let dir = dir("shared-with-me");
    let plan = dir.join("plan.toml");
    std::fs::write(&plan, text).unwrap();
    let plan = plan.to_str().unwrap();

    let args = [
        "inventory",
        "--plan",
        plan,
        "--shared-with-me",
        "--format",
        "csv",
    ];
    let csv = ok(&imgshare(&dir, &args));
    assert!(
        csv.starts_with("provider,image,name,owner,state,error\n"),
        "{csv}"
    );
    assert!(
        csv.contains("tencent,img-demo0001,demo-tencentos,"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!(
            "scp,{SCP_IMAGE},demo-ubuntu,{SCP_OWNER},pending,\n"
        )),
        "{csv}"
    );
    assert!(csv.contains("\nncloud,,,,,ncloud/server-image: "), "{csv}");

    let args = [
        "--output",
        "json",
        "inventory",
        "--plan",
        plan,
        "--shared-with-me",
    ];
    let json: Value = serde_json::from_str(&ok(&imgshare(&dir, &args))).unwrap();
    let lists = json["shared_with_me"].as_array().unwrap();
    let ncloud = lists.iter().find(|l| l["provider"] == "ncloud").unwrap();
    assert_eq!(ncloud["unsupported"], true, "{json}");
    assert!(
        ncloud["error"].as_str().unwrap().contains("documents no"),
        "{json}"
    );

    // SCP cannot be read: exit 3, and the other providers' rows are still printed.
    scp.inject(ScpFault::InternalError, 10);
    let args = [
        "--retries",
        "0",
        "inventory",
        "--plan",
        plan,
        "--shared-with-me",
    ];
    let out = imgshare(&dir, &args);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("img-demo0001"), "{table}");
    // The table has the CSV's columns: the error in its own, `-` for what a row lacks.
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(
        rows[0],
        ["PROVIDER", "IMAGE", "NAME", "OWNER", "STATE", "ERROR"],
        "{table}"
    );
    let scp = rows.iter().find(|r| r[0] == "scp").unwrap();
    assert_eq!(scp[1..5], ["-", "-", "-", "-"], "{table}");
    assert!(scp[5].starts_with("scp: "), "{table}");
}

/// Fails if `--wait-ready` does not wait for an image still being created, or if a change the
/// listing never shows within `--confirm` is reported as done.
#[tokio::test(flavor = "multi_thread")]
async fn wait_ready_waits_and_unconfirmed_changes_fail_plainly() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let soon = (OffsetDateTime::now_utc() + Duration::seconds(2))
        .replace_nanosecond(0)
        .unwrap()
        .format(&Rfc3339)
        .unwrap();
    let image = TencentImage::new("img-late0001", "100000000001").with_state("CREATING");
    fake.add_image(image.normal_from(soon));
    let dir = dir("wait");
    let plan = dir.join("plan.toml");
    let text = format!(
        "{}\n[[images]]\nprovider = \"tencent\"\nimage = \"img-late0001\"\naccounts = \
         [\"100000000002\"]\n",
        tencent_entry(&fake.uri(), "tencent", "T")
    );
    std::fs::write(&plan, text).unwrap();
    let plan = plan.to_str().unwrap();
    let out = imgshare(&dir, &["plan", "apply", plan, "--yes"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("not applied: "));
    ok(&imgshare(
        &dir,
        &["plan", "apply", plan, "--yes", "--wait-ready", "6s"],
    ));
    assert_eq!(fake.shared_accounts("img-late0001"), ["100000000002"]);

    fake.set_listing_delay_ms(600_000);
    let text = std::fs::read_to_string(plan)
        .unwrap()
        .replace("[\"100000000002\"]", "[\"100000000002\", \"100000000003\"]");
    std::fs::write(plan, text).unwrap();
    let out = imgshare(&dir, &["plan", "apply", plan, "--yes", "--confirm", "1s"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("  not confirmed (applied, but not listed in time): 100000000003\n"),
        "{stdout}"
    );
}
