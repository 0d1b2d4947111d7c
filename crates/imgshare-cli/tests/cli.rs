//! End-to-end tests of the `imgshare` binary against the testkit's Tencent fake, over real TCP
//! on loopback (no internet).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use imgshare_testkit::{Fault, TencentFake, TencentFault, TencentSeed, TencentTag};
use serde_json::Value;

const REGION: &str = "ap-guangzhou";
const OWNER: &str = "100000000001";
const RECIPIENT: &str = "100000000002";
const IMAGE: &str = "img-demo0001";

/// Variables the binary reads that must not leak in from the test's environment.
const SCRUBBED: [&str; 17] = [
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENTCLOUD_SESSION_TOKEN",
    "TENCENTCLOUD_TOKEN",
    "TENCENTCLOUD_REGION",
    "TENCENTCLOUD_CREDENTIALS_FILE",
    "TENCENTCLOUD_ROLE_ARN",
    "TENCENTCLOUD_ROLE_SESSION_NAME",
    "TKE_REGION",
    "TKE_PROVIDER_ID",
    "TKE_WEB_IDENTITY_TOKEN_FILE",
    "TKE_ROLE_ARN",
    "IMGSHARE_ENDPOINT",
    "IMGSHARE_TENCENT_METADATA_ENDPOINT",
    "RUST_LOG",
    "USERPROFILE",
    "HOME",
];

/// An empty directory used as `$HOME`, so no real `~/.tencentcloud/credentials` is read.
struct TempHome(PathBuf);

impl TempHome {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "imgshare-cli-test-{}-{name}-{}",
            std::process::id(),
            fastrand_suffix()
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

/// `http://127.0.0.1:PORT/` with nothing listening on PORT.
fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/latest/meta-data/")
}

fn fastrand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// Keys of a seeded account.
#[derive(Clone)]
struct Keys {
    id: String,
    key: String,
}

fn keys_of(seed: &TencentSeed, account_id: &str) -> Keys {
    let a = seed
        .accounts
        .iter()
        .find(|a| a.account_id == account_id && a.session_token.is_none())
        .unwrap();
    Keys {
        id: a.secret_id.clone(),
        key: a.secret_key.clone(),
    }
}

#[derive(Debug)]
struct Outcome {
    status: i32,
    stdout: String,
    /// stderr without the `imgshare: sending to …` line, which is in `notice`.
    stderr: String,
    notice: String,
}

/// Splits off the line saying where requests go (printed for every non-default endpoint).
fn split_notice(stderr: String) -> (String, String) {
    let (notice, rest): (Vec<&str>, Vec<&str>) = stderr
        .split_inclusive('\n')
        .partition(|l| l.starts_with("imgshare: sending "));
    (notice.concat(), rest.concat())
}

impl Outcome {
    fn json(&self) -> Value {
        assert_eq!(
            self.stdout.lines().count(),
            1,
            "one JSON document on one line: {self:?}"
        );
        serde_json::from_str(&self.stdout).unwrap()
    }

    fn assert_ok(&self) -> &Self {
        assert_eq!(self.status, 0, "{self:?}");
        assert!(self.stderr.is_empty(), "{self:?}");
        self
    }

    /// A failure: the given status, exactly one `error: ` line on stderr (or, with `--output
    /// json`, one JSON document whose description is returned as such a line), nothing on
    /// stdout.
    fn assert_failed(&self, status: i32) -> String {
        assert_eq!(self.status, status, "{self:?}");
        assert_eq!(self.stdout, "", "nothing on stdout: {self:?}");
        assert_eq!(self.stderr.lines().count(), 1, "one stderr line: {self:?}");
        if self.stderr.starts_with('{') {
            let doc: Value = serde_json::from_str(&self.stderr).unwrap();
            assert_eq!(doc["error"]["exit_status"], status, "{self:?}");
            return format!("error: {}", doc["error"]["description"].as_str().unwrap());
        }
        assert!(self.stderr.starts_with("error: "), "{self:?}");
        self.stderr.clone()
    }
}

fn command(home: &Path, keys: Option<&Keys>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_imgshare"));
    for var in SCRUBBED {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home);
    // The CVM-role step of the chain must never leave the machine: a closed loopback port.
    cmd.env("IMGSHARE_TENCENT_METADATA_ENDPOINT", closed_port_url());
    if let Some(k) = keys {
        cmd.env("TENCENTCLOUD_SECRET_ID", &k.id)
            .env("TENCENTCLOUD_SECRET_KEY", &k.key);
    }
    cmd
}

/// Runs the binary on a blocking thread, so the test's runtime stays free.
async fn run(home: &Path, keys: Option<&Keys>, args: &[&str]) -> Outcome {
    let mut cmd = command(home, keys);
    cmd.args(args);
    tokio::task::spawn_blocking(move || {
        let out = cmd.output().unwrap();
        let (notice, stderr) = split_notice(String::from_utf8(out.stderr).unwrap());
        Outcome {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr,
            notice,
        }
    })
    .await
    .unwrap()
}

/// `imgshare --endpoint <fake> --region ap-guangzhou <args...>`, which says where it sends
/// whenever it gets as far as building a client.
async fn tencent(fake_uri: &str, home: &Path, keys: Option<&Keys>, args: &[&str]) -> Outcome {
    let mut all = vec!["--endpoint", fake_uri, "--region", REGION];
    all.extend_from_slice(args);
    let out = run(home, keys, &all).await;
    if !out.notice.is_empty() {
        assert_eq!(
            out.notice,
            format!("imgshare: sending to {fake_uri}/ (--endpoint)\n"),
            "{out:?}"
        );
    }
    out
}

fn accounts_in(document: &Value) -> Vec<String> {
    document["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["account"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn share_list_unshare_in_text_and_json() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    // Many calls in quick succession: keep the 10-per-second limit out of the way.
    fake.set_rate_limit(None);
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("share");
    let uri = fake.uri();

    // Share (text): the change, then a table: one row per account with its state and time.
    let out = tencent(
        &uri,
        home.path(),
        Some(&owner),
        &["tencent", "share", "--image", IMAGE, "--account", RECIPIENT],
    )
    .await;
    out.assert_ok();
    assert!(
        out.stdout
            .starts_with(&format!("shared {IMAGE} with {RECIPIENT}\n")),
        "{out:?}"
    );
    let rows: Vec<Vec<&str>> = (out.stdout.lines())
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(rows.contains(&vec!["ACCOUNT", "STATE", "SINCE"]), "{out:?}");
    let row = rows.iter().find(|r| r.first() == Some(&RECIPIENT)).unwrap();
    assert!(
        row[1] == "active" && row[2].starts_with("20"),
        "state and time shown: {row:?}"
    );
    assert_eq!(fake.shared_accounts(IMAGE), vec![RECIPIENT.to_owned()]);

    // List (text and json).
    let out = tencent(
        &uri,
        home.path(),
        Some(&owner),
        &["tencent", "list", "--image", IMAGE],
    )
    .await;
    out.assert_ok();
    assert!(
        out.stdout
            .contains(&format!("{IMAGE} is shared with 1 account:")),
        "{out:?}"
    );
    assert!(out.stdout.contains(RECIPIENT), "{out:?}");
    let out = tencent(
        &uri,
        home.path(),
        Some(&owner),
        &["--output", "json", "tencent", "list", "--image", IMAGE],
    )
    .await;
    let doc = out.assert_ok().json();
    assert_eq!(doc["image"], IMAGE);
    assert_eq!(doc["provider"], "tencent");
    assert_eq!(accounts_in(&doc), vec![RECIPIENT]);
    assert!(doc["shares"][0]["since"].is_string(), "{doc}");
    assert_eq!(doc["shares"][0]["state"], "active", "{doc}");

    // Share a second account in json, with several values for --account (one already shared
    // would be refused, so a new one plus comma syntax on unshare below).
    let out = tencent(
        &uri,
        home.path(),
        Some(&owner),
        &[
            "--output",
            "json",
            "tencent",
            "share",
            "--image",
            IMAGE,
            "--account",
            "100000000007",
            "100000000008",
        ],
    )
    .await;
    let doc = out.assert_ok().json();
    assert_eq!(doc["action"], "share");
    assert_eq!(
        accounts_in(&doc),
        vec![RECIPIENT, "100000000007", "100000000008"]
    );
    assert_eq!(
        doc["shared"],
        serde_json::json!(["100000000007", "100000000008"])
    );
    assert_eq!(doc["already_shared"], serde_json::json!([]));

    // Unshare (json, comma-separated), then the list no longer shows them.
    let out = tencent(
        &uri,
        home.path(),
        Some(&owner),
        &[
            "--output",
            "json",
            "tencent",
            "unshare",
            "--image",
            IMAGE,
            "--account",
            "100000000007,100000000008",
        ],
    )
    .await;
    let doc = out.assert_ok().json();
    assert_eq!(doc["action"], "unshare");
    assert_eq!(accounts_in(&doc), vec![RECIPIENT]);

    // Unshare (text) the last one.
    let out = tencent(
        &uri,
        home.path(),
        Some(&owner),
        &[
            "tencent",
            "unshare",
            "--image",
            IMAGE,
            "--account",
            RECIPIENT,
        ],
    )
    .await;
    out.assert_ok();
    assert!(
        out.stdout
            .contains(&format!("{IMAGE} is not shared with any account")),
        "{out:?}"
    );
    let out = tencent(
        &uri,
        home.path(),
        Some(&owner),
        &["--output", "json", "tencent", "list", "--image", IMAGE],
    )
    .await;
    assert!(accounts_in(&out.assert_ok().json()).is_empty());
    let out = tencent(
        &uri,
        home.path(),
        Some(&owner),
        &["tencent", "list", "--image", IMAGE],
    )
    .await;
    assert!(!out.assert_ok().stdout.contains(RECIPIENT), "{out:?}");
    assert!(fake.shared_accounts(IMAGE).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn recipient_sees_the_shared_image() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let seed = fake.seed();
    let owner = keys_of(&seed, OWNER);
    let recipient = keys_of(&seed, RECIPIENT);
    let home = TempHome::new("images");
    let uri = fake.uri();

    let out = tencent(
        &uri,
        home.path(),
        Some(&recipient),
        &["--output", "json", "tencent", "images", "--type", "shared"],
    )
    .await;
    assert_eq!(out.assert_ok().json(), Value::Array(Vec::new()));

    tencent(
        &uri,
        home.path(),
        Some(&owner),
        &["tencent", "share", "--image", IMAGE, "--account", RECIPIENT],
    )
    .await
    .assert_ok();

    let out = tencent(
        &uri,
        home.path(),
        Some(&recipient),
        &["--output", "json", "tencent", "images", "--type", "shared"],
    )
    .await;
    let doc = out.assert_ok().json();
    let images = doc.as_array().unwrap();
    assert_eq!(images.len(), 1, "{doc}");
    assert_eq!(images[0]["image_id"], IMAGE);
    assert_eq!(images[0]["image_type"], "SHARED_IMAGE");
    assert_eq!(images[0]["image_state"], "NORMAL");
    assert_eq!(images[0]["image_name"], "demo-tencentos");
    // The other fields docs/CLI.md promises, by those names (`image_size_gib`, not the model's
    // `image_size` nor the wire's `ImageSize`).
    for field in ["os_name", "platform", "architecture", "image_creator"] {
        assert!(images[0][field].is_string(), "{field}: {doc}");
    }
    assert!(images[0]["image_size_gib"].is_u64(), "{doc}");
    assert!(images[0].get("created_time").is_some(), "{doc}");

    let out = tencent(
        &uri,
        home.path(),
        Some(&recipient),
        &["tencent", "images", "--type", "shared"],
    )
    .await;
    out.assert_ok();
    let line = out.stdout.lines().find(|l| l.starts_with(IMAGE)).unwrap();
    for column in ["SHARED_IMAGE", "NORMAL", "demo-tencentos"] {
        assert!(line.contains(column), "{line}");
    }

    // The owner's private images, all pages.
    let out = tencent(
        &uri,
        home.path(),
        Some(&owner),
        &["--output", "json", "tencent", "images", "--type", "private"],
    )
    .await;
    assert_eq!(out.assert_ok().json().as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn images_walks_every_page() {
    let mut seed = TencentSeed::demo();
    for n in 0..45 {
        seed.images.push(imgshare_testkit::TencentImage::new(
            format!("img-page{n:04}"),
            OWNER,
        ));
    }
    let fake = TencentFake::start_with_seed(seed).await;
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("pages");
    let before = fake.request_count();
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&owner),
        &["--output", "json", "tencent", "images", "--type", "private"],
    )
    .await;
    assert_eq!(out.assert_ok().json().as_array().unwrap().len(), 48);
    assert_eq!(fake.request_count() - before, 1, "100 per page by default");
    let before = fake.request_count();
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&owner),
        &[
            "--output",
            "json",
            "tencent",
            "images",
            "--type",
            "private",
            "--page-size",
            "20",
        ],
    )
    .await;
    assert_eq!(out.assert_ok().json().as_array().unwrap().len(), 48);
    assert_eq!(fake.request_count() - before, 3, "20 per page when asked");
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_secret_key_is_a_service_error() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let mut keys = keys_of(&fake.seed(), OWNER);
    keys.key = "not-the-right-key".into();
    let home = TempHome::new("wrongkey");
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&keys),
        &["--output", "text", "tencent", "list", "--image", IMAGE],
    )
    .await;
    let line = out.assert_failed(3);
    assert!(
        line.starts_with("error: service error: AuthFailure.SignatureFailure: "),
        "{line}"
    );
    assert!(line.contains("(request id "), "{line}");

    // With --output json, the error is one JSON document on stderr.
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&keys),
        &["--output", "json", "tencent", "list", "--image", IMAGE],
    )
    .await;
    let error = json_error(&out, 3);
    assert_eq!(error["code"], "AuthFailure.SignatureFailure");
    assert_eq!(error["class"], "service");
    assert!(error["message"].as_str().unwrap().len() > 5, "{error}");
    assert!(!error["request_id"].as_str().unwrap().is_empty(), "{error}");
    assert!(error["hint"].is_string(), "{error}");
}

/// A failure under `--output json`: the status, nothing on stdout, one JSON line on stderr.
fn json_error(out: &Outcome, status: i32) -> Value {
    assert_eq!(out.status, status, "{out:?}");
    assert_eq!(out.stdout, "", "{out:?}");
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
    let doc: Value = serde_json::from_str(&out.stderr).unwrap();
    assert_eq!(doc["error"]["exit_status"], status, "{doc}");
    doc["error"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn service_error_from_a_share_exits_3_and_applies_nothing() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("notfound");
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&owner),
        &[
            "tencent",
            "share",
            "--image",
            "img-nothere1",
            "--account",
            RECIPIENT,
        ],
    )
    .await;
    let line = out.assert_failed(3);
    assert!(line.contains("InvalidImageId.NotFound"), "{line}");
    assert!(!line.contains("but"), "nothing was applied: {line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_image_id_is_a_usage_error_and_sends_nothing() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("malformed");
    let before = fake.request_count();
    for args in [
        &["tencent", "list", "--image", "IMG-Bad!"][..],
        &[
            "--output",
            "json",
            "tencent",
            "share",
            "--image",
            "img-x",
            "--account",
            RECIPIENT,
        ][..],
    ] {
        let out = tencent(&fake.uri(), home.path(), Some(&owner), args).await;
        let line = out.assert_failed(2);
        assert!(line.contains("image_id"), "{line}");
    }
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&owner),
        &[
            "tencent",
            "share",
            "--image",
            IMAGE,
            "--account",
            "not-a-number",
        ],
    )
    .await;
    assert!(out.assert_failed(2).contains("account_ids[0]"));
    assert_eq!(fake.request_count(), before, "the fake saw no request");
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_region_and_bad_arguments_exit_2() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("usage");
    let uri = fake.uri();
    let out = run(
        home.path(),
        Some(&owner),
        &["--endpoint", &uri, "tencent", "list", "--image", IMAGE],
    )
    .await;
    let line = out.assert_failed(2);
    assert!(
        line.contains("--region") && line.contains("TENCENTCLOUD_REGION"),
        "{line}"
    );

    // TENCENTCLOUD_REGION is the fallback.
    let mut cmd = command(home.path(), Some(&owner));
    cmd.env("TENCENTCLOUD_REGION", REGION).args([
        "--endpoint",
        &uri,
        "tencent",
        "list",
        "--image",
        IMAGE,
    ]);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert!(out.status.success(), "{out:?}");

    // clap's own errors: status 2, usage on stderr, nothing on stdout.
    for args in [
        &["tencent", "images", "--type", "weird"][..],
        &["tencent", "share", "--image", IMAGE][..],
        &["tencent", "frobnicate"][..],
    ] {
        let out = tencent(&uri, home.path(), Some(&owner), args).await;
        assert_eq!(out.status, 2, "{out:?}");
        assert_eq!(out.stdout, "");
        assert!(out.stderr.starts_with("error: "), "{out:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unreachable_endpoint_is_a_network_error() {
    let port = {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        listener.local_addr().unwrap().port()
    };
    let home = TempHome::new("unreachable");
    let keys = keys_of(&TencentSeed::demo(), OWNER);
    for output in ["text", "json"] {
        let out = tencent(
            &format!("http://127.0.0.1:{port}"),
            home.path(),
            Some(&keys),
            &["--output", output, "tencent", "list", "--image", IMAGE],
        )
        .await;
        let line = out.assert_failed(4);
        assert!(line.contains("connect"), "{line}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unreadable_response_is_a_network_error() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("malformedbody");
    fake.inject(TencentFault::MalformedBody, 1);
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&owner),
        &["--output", "json", "tencent", "list", "--image", IMAGE],
    )
    .await;
    assert!(out.assert_failed(4).contains("unreadable response"));
}

#[tokio::test(flavor = "multi_thread")]
async fn no_credentials_is_a_credentials_error() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let home = TempHome::new("nocreds");
    let before = fake.request_count();
    let out = tencent(
        &fake.uri(),
        home.path(),
        None,
        &["tencent", "list", "--image", IMAGE],
    )
    .await;
    let line = out.assert_failed(5);
    assert!(line.contains("TENCENTCLOUD_SECRET_ID"), "{line}");
    assert_eq!(fake.request_count(), before);

    // Half-set environment: invalid, also 5.
    let mut cmd = command(home.path(), None);
    cmd.env("TENCENTCLOUD_SECRET_ID", "AKIDONLY").args([
        "--endpoint",
        &fake.uri(),
        "--region",
        REGION,
        "tencent",
        "list",
        "--image",
        IMAGE,
    ]);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_come_from_the_profile_file_in_home() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("profile");
    std::fs::create_dir_all(home.path().join(".tencentcloud")).unwrap();
    std::fs::write(
        home.path().join(".tencentcloud").join("credentials"),
        format!(
            "[default]\nsecret_id = {}\nsecret_key = {}\n",
            owner.id, owner.key
        ),
    )
    .unwrap();
    tencent(
        &fake.uri(),
        home.path(),
        None,
        &["tencent", "list", "--image", IMAGE],
    )
    .await
    .assert_ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn share_applied_but_listing_failed_says_so() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("partial");
    // The listing before and the share pass (a zero delay answers normally); the listing after
    // them gets garbage.
    fake.inject(Fault::Delay(Duration::ZERO), 2);
    fake.inject(TencentFault::MalformedBody, 1);
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&owner),
        &[
            "--output",
            "json",
            "tencent",
            "share",
            "--image",
            IMAGE,
            "--account",
            RECIPIENT,
        ],
    )
    .await;
    let error = json_error(&out, 4);
    let line = error["description"].as_str().unwrap();
    assert!(
        line.starts_with(&format!("shared {IMAGE} with {RECIPIENT}, but ")),
        "{line}"
    );
    assert!(line.contains("but listing the shares failed"), "{line}");
    assert!(
        error["applied"].as_str().unwrap().starts_with("shared "),
        "{error}"
    );
    assert_eq!(error["class"], "network");
    assert_eq!(fake.shared_accounts(IMAGE), vec![RECIPIENT.to_owned()]);
}

#[tokio::test(flavor = "multi_thread")]
async fn help_documents_the_exit_statuses() {
    let home = TempHome::new("help");
    let out = run(home.path(), None, &["--help"]).await;
    out.assert_ok();
    for needle in ["Exit status", "3  service error", "5  credentials error"] {
        assert!(out.stdout.contains(needle), "{needle}: {}", out.stdout);
    }
}

// ---- Tencent: safe re-runs, --profile, TENCENTCLOUD_TOKEN, IMGSHARE_ENDPOINT, filters -----

#[tokio::test(flavor = "multi_thread")]
async fn rerun_share_exits_0_and_changes_nothing() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    fake.set_rate_limit(None);
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("rerun");
    let args = [
        "--output",
        "json",
        "tencent",
        "share",
        "--image",
        IMAGE,
        "--account",
        RECIPIENT,
    ];
    let first = tencent(&fake.uri(), home.path(), Some(&owner), &args).await;
    let doc = first.assert_ok().json();
    assert_eq!(doc["shared"], serde_json::json!([RECIPIENT]));
    assert_eq!(doc["already_shared"], serde_json::json!([]));
    let shared = fake.shared_accounts(IMAGE);

    // The same command again: status 0, reported as already shared, nothing changed.
    let again = tencent(&fake.uri(), home.path(), Some(&owner), &args).await;
    let doc = again.assert_ok().json();
    assert_eq!(doc["shared"], serde_json::json!([]));
    assert_eq!(doc["already_shared"], serde_json::json!([RECIPIENT]));
    assert_eq!(accounts_in(&doc), vec![RECIPIENT]);
    assert_eq!(fake.shared_accounts(IMAGE), shared);

    // Text, with one new and one old account.
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&owner),
        &[
            "tencent",
            "share",
            "--image",
            IMAGE,
            "--account",
            &format!("{RECIPIENT},100000000009"),
        ],
    )
    .await;
    out.assert_ok();
    let first_line = out.stdout.lines().next().unwrap();
    assert!(
        first_line.starts_with(&format!("shared {IMAGE} with 100000000009"))
            && first_line.ends_with(&format!("; already shared with {RECIPIENT}")),
        "{out:?}"
    );
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&owner),
        &["tencent", "share", "--image", IMAGE, "--account", RECIPIENT],
    )
    .await;
    assert!(
        out.assert_ok().stdout.starts_with(&format!(
            "{IMAGE} was already shared with {RECIPIENT}; nothing changed"
        )),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn profile_reads_tccli_credential_and_configure() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("tccli");
    let dir = home.path().join(".tccli");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("work.credential"),
        serde_json::json!({"secretId": owner.id, "secretKey": owner.key}).to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.join("work.configure"),
        r#"{"_sys_param": {"region": "ap-guangzhou", "output": "json", "language": "en-US"},
            "cvm": {"endpoint": "cvm.tencentcloudapi.com", "version": "2017-03-12"}}"#,
    )
    .unwrap();
    // No --region, no keys in the environment: both come from the profile; the endpoint from
    // IMGSHARE_ENDPOINT, which wins over the profile's cvm.endpoint.
    let mut cmd = command(home.path(), None);
    cmd.env("IMGSHARE_ENDPOINT", fake.uri()).args([
        "tencent",
        "--profile",
        "work",
        "list",
        "--image",
        IMAGE,
    ]);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(fake.received().last().unwrap().region.as_deref() == Some(REGION));

    // An unknown profile is a credentials error that names the files.
    let out = tencent(
        &fake.uri(),
        home.path(),
        None,
        &["tencent", "list", "--image", IMAGE, "--profile", "nosuch"],
    )
    .await;
    let line = out.assert_failed(5);
    assert!(line.contains("nosuch.credential"), "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn tencentcloud_token_is_the_session_token() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let temp = fake
        .seed()
        .accounts
        .into_iter()
        .find(|a| a.session_token.is_some())
        .unwrap();
    let home = TempHome::new("token");
    let keys = Keys {
        id: temp.secret_id.clone(),
        key: temp.secret_key.clone(),
    };
    let mut cmd = command(home.path(), Some(&keys));
    cmd.env("TENCENTCLOUD_TOKEN", temp.session_token.as_deref().unwrap())
        .args(["--endpoint", &fake.uri(), "--region", REGION])
        .args(["--output", "json", "tencent", "images"]);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    // Without the token the fake refuses the temporary keys.
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&keys),
        &["tencent", "images"],
    )
    .await;
    out.assert_failed(3);
}

#[tokio::test(flavor = "multi_thread")]
async fn environment_keys_win_over_the_profile_file() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("order");
    std::fs::create_dir_all(home.path().join(".tencentcloud")).unwrap();
    std::fs::write(
        home.path().join(".tencentcloud").join("credentials"),
        "[default]\nsecret_id = AKIDWRONG\nsecret_key = wrong\n",
    )
    .unwrap();
    tencent(
        &fake.uri(),
        home.path(),
        Some(&owner),
        &["tencent", "list", "--image", IMAGE],
    )
    .await
    .assert_ok();
    // Without them the profile file is used (and its keys are refused by the fake).
    let out = tencent(
        &fake.uri(),
        home.path(),
        None,
        &["tencent", "list", "--image", IMAGE],
    )
    .await;
    assert!(out.assert_failed(3).contains("AuthFailure"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn images_takes_the_documented_filters() {
    let mut seed = TencentSeed::demo();
    let arm = seed
        .images
        .iter_mut()
        .find(|i| i.image_id == "img-demo0003");
    arm.unwrap().tags.push(TencentTag {
        key: "team".into(),
        value: "ops".into(),
    });
    let fake = TencentFake::start_with_seed(seed).await;
    fake.set_rate_limit(None);
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("filters");
    let ids = |out: &Outcome| -> Vec<String> {
        out.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["image_id"].as_str().unwrap().to_owned())
            .collect()
    };
    for (args, want) in [
        (vec!["--name", "demo-ubuntu"], vec!["img-demo0002"]),
        (vec!["--platform", "Ubuntu"], vec!["img-demo0002"]),
        (
            vec!["--image", "img-demo0001,img-demo0003"],
            vec!["img-demo0001", "img-demo0003"],
        ),
        (
            vec!["--filter", "image-name=demo-arm"],
            vec!["img-demo0003"],
        ),
        (vec!["--tag", "team"], vec!["img-demo0003"]),
        (vec!["--tag", "team=ops"], vec!["img-demo0003"]),
        (vec!["--tag", "team=dev"], vec![]),
        (vec!["--filter", "tag:team=dev,ops"], vec!["img-demo0003"]),
    ] {
        let mut all = vec!["--output", "json", "tencent", "images", "--type", "private"];
        all.extend(args.iter().copied());
        let out = tencent(&fake.uri(), home.path(), Some(&owner), &all).await;
        out.assert_ok();
        let mut got = ids(&out);
        got.sort();
        assert_eq!(got, want, "{args:?}");
    }
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&owner),
        &["tencent", "images", "--filter", "novalue"],
    )
    .await;
    assert!(out.assert_failed(2).contains("NAME=VALUE"));
    let out = tencent(
        &fake.uri(),
        home.path(),
        Some(&owner),
        &["tencent", "images", "--tag", "=ops"],
    )
    .await;
    let line = out.assert_failed(2);
    assert!(
        line.contains("--tag \"=ops\": expected KEY or KEY=VALUE"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_tencent_subcommand_help_lists_exit_statuses_and_flags() {
    let home = TempHome::new("subhelp");
    for sub in ["share", "unshare", "list", "images"] {
        let out = run(home.path(), None, &["tencent", sub, "--help"]).await;
        out.assert_ok();
        for needle in [
            "Exit status",
            "3  service error",
            "5  credentials error",
            "--profile",
            "--language",
            "--timeout",
            "--retries",
        ] {
            assert!(
                out.stdout.contains(needle),
                "{sub} {needle}: {}",
                out.stdout
            );
        }
    }
    let out = run(home.path(), None, &["--help"]).await;
    for needle in [
        "TENCENTCLOUD_TOKEN",
        "/etc/tencentcloud/credentials",
        "IMGSHARE_ENDPOINT",
        "TKE_ROLE_ARN",
        // Every cloud's credentials, not only Tencent's.
        "NCLOUD_ACCESS_KEY_ID",
        "~/.ncloud/configure",
        "SCP_ACCESS_KEY",
        "~/.scpconf/credentials.json",
    ] {
        assert!(out.stdout.contains(needle), "{needle}: {}", out.stdout);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_region_may_come_from_tencentcloud_region_alone() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let owner = keys_of(&fake.seed(), OWNER);
    let home = TempHome::new("region-env");
    let mut cmd = command(home.path(), Some(&owner));
    cmd.env("TENCENTCLOUD_REGION", REGION).args([
        "--endpoint",
        &fake.uri(),
        "--output",
        "json",
        "tencent",
        "list",
        "--image",
        IMAGE,
    ]);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // And without it, nor --region: a usage error that says where a region comes from.
    let out = run(
        home.path(),
        Some(&owner),
        &[
            "--endpoint",
            &fake.uri(),
            "tencent",
            "list",
            "--image",
            IMAGE,
        ],
    )
    .await;
    assert!(out.assert_failed(2).contains("TENCENTCLOUD_REGION"));
}
