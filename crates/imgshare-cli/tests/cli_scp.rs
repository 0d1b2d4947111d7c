//! End-to-end tests of `imgshare scp ...` against the testkit's SCP fake, over real TCP on
//! loopback: owner share → recipient pending → recipient accept → owner list → owner unshare,
//! with credentials in the environment as a user would give them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use imgshare_testkit::{Fault, ScpAccount, ScpFake, ScpSeed};
use serde_json::Value;

const OWNER: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
const RECIPIENT: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";
const IMAGE: &str = "00000000-0000-4000-8000-0000000000a1";
const PRIVATE_IMAGE: &str = "00000000-0000-4000-8000-0000000000a3";

/// Variables the binary reads that must not leak in from the test's environment.
const SCRUBBED: [&str; 22] = [
    "SCP_ACCESS_KEY",
    "SCP_SECRET_KEY",
    "SCP_TF_ACCESS_KEY",
    "SCP_TF_SECRET_KEY",
    "SCP_REGION",
    "SCP_TF_DEFAULT_REGION",
    "SCP_ENVIRONMENT",
    "SCP_ENV",
    "SCP_TF_AUTH_URL",
    "SCP_ENDPOINT_OVERRIDE",
    "SCP_TF_ENDPOINT_OVERRIDE",
    "SCP_ACCOUNT_ID",
    "SCP_TF_ACCOUNT_ID",
    "SCP_API_VERSION",
    "SCP_LANGUAGE",
    "TENCENTCLOUD_REGION",
    "IMGSHARE_ENDPOINT",
    "RUST_LOG",
    "USERPROFILE",
    "HOME",
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
];

/// An empty directory used as `$HOME`, so no real `~/.scpconf` is read.
struct TempHome(PathBuf);

impl TempHome {
    fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "imgshare-cli-scp-{}-{name}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempHome(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn account(id: &str) -> ScpAccount {
    ScpSeed::demo()
        .accounts
        .into_iter()
        .find(|a| a.account_id == id)
        .unwrap()
}

#[derive(Debug)]
struct Outcome {
    status: i32,
    stdout: String,
    /// stderr without the `imgshare: sending to …` line (every command here names the fake).
    stderr: String,
}

/// Drops the line saying where requests go (printed for every non-default endpoint).
fn without_notice(stderr: String) -> String {
    stderr
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("imgshare: sending to "))
        .collect()
}

impl Outcome {
    fn json(&self) -> Value {
        assert_eq!(self.status, 0, "{self:?}");
        assert_eq!(self.stdout.lines().count(), 1, "one JSON line: {self:?}");
        serde_json::from_str(&self.stdout).unwrap()
    }

    fn assert_failed(&self, status: i32) -> &str {
        assert_eq!(self.status, status, "{self:?}");
        assert_eq!(self.stdout, "", "nothing on stdout: {self:?}");
        assert_eq!(self.stderr.lines().count(), 1, "one stderr line: {self:?}");
        &self.stderr
    }
}

/// Runs `imgshare --endpoint <fake> <args>` as `who` (its keys in SCP_ACCESS_KEY /
/// SCP_SECRET_KEY), on a blocking thread so the fake keeps serving.
async fn scp(
    fake: &ScpFake,
    home: &Path,
    who: Option<&ScpAccount>,
    extra_env: &[(&str, &str)],
    args: &[&str],
) -> Outcome {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_imgshare"));
    for var in SCRUBBED {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home);
    if let Some(a) = who {
        cmd.env("SCP_ACCESS_KEY", &a.access_key)
            .env("SCP_SECRET_KEY", &a.secret_key);
    }
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.arg("--endpoint").arg(fake.uri()).arg("scp").args(args);
    tokio::task::spawn_blocking(move || {
        let out = cmd.output().unwrap();
        Outcome {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: without_notice(String::from_utf8(out.stderr).unwrap()),
        }
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn owner_share_recipient_pending_accept_owner_list_unshare() {
    let fake = ScpFake::start_with_seed(ScpSeed::demo()).await;
    let home = TempHome::new("flow");
    let owner = account(OWNER);
    let recipient = account(RECIPIENT);

    // Owner shares (JSON).
    let shared = scp(
        &fake,
        home.path(),
        Some(&owner),
        &[],
        &[
            "share",
            "--image",
            IMAGE,
            "--account",
            RECIPIENT,
            "--output",
            "json",
        ],
    )
    .await
    .json();
    assert_eq!(shared["action"], "share");
    assert_eq!(shared["shared"], serde_json::json!([RECIPIENT]));
    assert_eq!(shared["shares"][0]["account"], RECIPIENT);
    assert_eq!(shared["shares"][0]["state"], "pending");

    // Sharing again is reported, not failed.
    let again = scp(
        &fake,
        home.path(),
        Some(&owner),
        &[],
        &["share", "--image", IMAGE, "--account", RECIPIENT],
    )
    .await;
    assert_eq!(again.status, 0, "{again:?}");
    assert!(again.stdout.contains("already shared"), "{again:?}");

    // Recipient sees it pending (text, then JSON).
    let pending = scp(&fake, home.path(), Some(&recipient), &[], &["pending"]).await;
    assert_eq!(pending.status, 0, "{pending:?}");
    assert!(pending.stdout.contains(IMAGE), "{pending:?}");
    let pending = scp(
        &fake,
        home.path(),
        Some(&recipient),
        &[],
        &["pending", "--output", "json"],
    )
    .await
    .json();
    assert_eq!(pending[0]["id"], IMAGE);
    assert_eq!(pending[0]["owner"], OWNER);
    for field in [
        "name",
        "visibility",
        "status",
        "os_distro",
        "scp_os_version",
        "size",
    ] {
        assert!(pending[0].get(field).is_some(), "{field}: {pending}");
    }
    assert!(pending[0]["created_at"].is_string(), "{pending}");

    // Recipient accepts; its own account id from SCP_ACCOUNT_ID.
    let accepted = scp(
        &fake,
        home.path(),
        Some(&recipient),
        &[("SCP_ACCOUNT_ID", RECIPIENT)],
        &["accept", "--image", IMAGE, "--output", "json"],
    )
    .await
    .json();
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["member_id"], RECIPIENT);
    assert_eq!(accepted["image_id"], IMAGE);
    for field in ["created_at", "updated_at"] {
        assert!(accepted.get(field).is_some(), "{field}: {accepted}");
    }

    // Owner lists.
    let listed = scp(
        &fake,
        home.path(),
        Some(&owner),
        &[],
        &["list", "--image", IMAGE],
    )
    .await;
    assert_eq!(listed.status, 0, "{listed:?}");
    assert!(
        listed.stdout.contains("is shared with 1 account"),
        "{listed:?}"
    );
    assert!(listed.stdout.contains("accepted"), "{listed:?}");

    // Owner unshares.
    let unshared = scp(
        &fake,
        home.path(),
        Some(&owner),
        &[],
        &[
            "unshare",
            "--image",
            IMAGE,
            "--account",
            RECIPIENT,
            "--output",
            "json",
        ],
    )
    .await
    .json();
    assert_eq!(unshared["action"], "unshare");
    assert_eq!(unshared["removed"], serde_json::json!([RECIPIENT]));
    assert_eq!(unshared["shares"], serde_json::json!([]));
    assert!(fake.members(IMAGE).is_empty());

    // Every request pinned the default version.
    for r in fake.received() {
        assert_eq!(r.api_version.as_deref(), Some("virtualserver 1.3"), "{r:?}");
    }
}

#[tokio::test]
async fn reject_with_account_flag_and_api_version_flag() {
    let fake = ScpFake::start_with_seed(ScpSeed::demo()).await;
    let home = TempHome::new("reject");
    let owner = account(OWNER);
    let recipient = account(RECIPIENT);
    // A private image needs --make-shared.
    let out = scp(
        &fake,
        home.path(),
        Some(&owner),
        &[],
        &["share", "--image", PRIVATE_IMAGE, "--account", RECIPIENT],
    )
    .await;
    let line = out.assert_failed(3);
    assert!(line.contains("hint:"), "{line}");
    let out = scp(
        &fake,
        home.path(),
        Some(&owner),
        &[],
        &[
            "--api-version",
            "1.2",
            "share",
            "--make-shared",
            "--image",
            PRIVATE_IMAGE,
            "--account",
            RECIPIENT,
        ],
    )
    .await;
    assert_eq!(out.status, 0, "{out:?}");
    assert!(
        fake.received()
            .iter()
            .any(|r| r.api_version.as_deref() == Some("virtualserver 1.2"))
    );
    let out = scp(
        &fake,
        home.path(),
        Some(&recipient),
        &[],
        &["reject", "--image", PRIVATE_IMAGE, "--account", RECIPIENT],
    )
    .await;
    assert_eq!(out.status, 0, "{out:?}");
    let line = format!("{PRIVATE_IMAGE}: member {RECIPIENT} is now rejected\n");
    assert_eq!(out.stdout, line, "{out:?}");
}

#[tokio::test]
async fn exit_statuses() {
    let fake = ScpFake::start_with_seed(ScpSeed::demo()).await;
    let home = TempHome::new("exit");
    let owner = account(OWNER);

    // Usage: a malformed image id, rejected before sending.
    let before = fake.request_count();
    let out = scp(
        &fake,
        home.path(),
        Some(&owner),
        &[],
        &["list", "--image", "not-a-uuid"],
    )
    .await;
    assert!(out.assert_failed(2).contains("image_id"), "{out:?}");
    let out = scp(
        &fake,
        home.path(),
        Some(&owner),
        &[],
        &["--api-version", "1.1", "images"],
    )
    .await;
    assert!(out.assert_failed(2).contains("api_version"), "{out:?}");
    let out = scp(
        &fake,
        home.path(),
        Some(&owner),
        &[],
        &["accept", "--image", IMAGE],
    )
    .await;
    assert!(out.assert_failed(2).contains("account_id"), "{out:?}");
    assert_eq!(fake.request_count(), before);

    // Credentials: none anywhere.
    let out = scp(&fake, home.path(), None, &[], &["images"]).await;
    assert!(out.assert_failed(5).contains("SCP_ACCESS_KEY"), "{out:?}");

    // Service: a wrong secret is the gateway's HmacValidFail.
    let wrong = ScpAccount::new(OWNER, owner.access_key.clone(), "wrong-secret");
    let out = scp(&fake, home.path(), Some(&wrong), &[], &["images"]).await;
    let line = out.assert_failed(3);
    assert!(line.contains("HmacValidFail"), "{line}");
    assert!(!line.contains("wrong-secret"), "{line}");

    // Network: an HTML 502 for every attempt.
    fake.inject(Fault::Html502, 3);
    let out = scp(&fake, home.path(), Some(&owner), &[], &["images"]).await;
    out.assert_failed(4);

    // JSON errors on stderr.
    let out = scp(
        &fake,
        home.path(),
        Some(&wrong),
        &[],
        &["images", "--output", "json"],
    )
    .await;
    out.assert_failed(3);
    let doc: Value = serde_json::from_str(&out.stderr).unwrap();
    assert_eq!(doc["error"]["class"], "service");
}

#[tokio::test]
async fn credentials_from_scpconf_files() {
    let fake = ScpFake::start_with_seed(ScpSeed::demo()).await;
    let home = TempHome::new("files");
    let owner = account(OWNER);
    let dir = home.path().join(".scpconf");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("credentials.json"),
        format!(
            r#"{{"access-key":"{}","secret-key":"{}"}}"#,
            owner.access_key, owner.secret_key
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("config.json"),
        r#"{"default-region":"kr-west1","auth-url":"https://iam.e.samsungsdscloud.com/v1"}"#,
    )
    .unwrap();
    let out = scp(
        &fake,
        home.path(),
        None,
        &[],
        &["images", "--visibility", "shared", "--output", "json"],
    )
    .await
    .json();
    let ids: Vec<&str> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&IMAGE), "{ids:?}");
}

/// Fails if a share that fails after `--make-shared` switched the visibility hides the switch
/// (the restructure dropped it from the message).
#[tokio::test]
async fn a_failed_share_after_make_shared_says_the_visibility_was_switched() {
    use imgshare_testkit::ScpVisibility;
    let fake = ScpFake::start_with_seed(ScpSeed::demo()).await;
    let home = TempHome::new("make-shared-fails");
    let owner = account(OWNER);
    // SCP refuses the owner as a member of its own image, after the visibility changed.
    let args = [
        "share",
        "--make-shared",
        "--image",
        PRIVATE_IMAGE,
        "--account",
        OWNER,
    ];
    let out = scp(&fake, home.path(), Some(&owner), &[], &args).await;
    let line = out.assert_failed(3);
    let applied = format!("error: set {PRIVATE_IMAGE}'s visibility to shared, but sharing");
    assert!(line.starts_with(&applied), "{line}");
    let image = fake.image(PRIVATE_IMAGE).unwrap();
    assert_eq!(image.visibility, ScpVisibility::Shared);
    let args = [
        "--output",
        "json",
        "share",
        "--make-shared",
        "--image",
        PRIVATE_IMAGE,
    ];
    let out = scp(
        &fake,
        home.path(),
        Some(&owner),
        &[],
        &[&args[..], &["--account", OWNER]].concat(),
    )
    .await;
    let error: Value = serde_json::from_str(&out.stderr).unwrap();
    let applied = error["error"]["applied"].as_str().unwrap();
    assert!(applied.starts_with("set "), "{error}");
}
