//! End-to-end tests of `imgshare ncloud ...` against the testkit's NCP fake (which checks the
//! signature over the exact request-target), over real TCP on loopback.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

use imgshare_testkit::{NcloudFake, NcloudSeed};
use serde_json::Value;

const OWNER_KEY: &str = "NCPFAKEOWNER00000000";
const OWNER_SECRET: &str = "fake-ncp-secret-owner-000000000000000000";
const RECIPIENT: &str = "recipient@imgshare.test";

/// Variables the binary reads that must not leak in from the test's environment.
const SCRUBBED: [&str; 15] = [
    "NCLOUD_ACCESS_KEY_ID",
    "NCLOUD_ACCESS_KEY",
    "NCLOUD_SECRET_ACCESS_KEY",
    "NCLOUD_SECRET_KEY",
    "NCLOUD_API_GW",
    "NCLOUD_REGION",
    "NCLOUD_SITE",
    "NCLOUD_METADATA_API_ENDPOINT",
    "NCLOUD_METADATA_ENDPOINT",
    "IMGSHARE_ENDPOINT",
    "TENCENTCLOUD_REGION",
    "TENCENTCLOUD_CREDENTIALS_FILE",
    "RUST_LOG",
    "USERPROFILE",
    "HOME",
];

struct TempHome(PathBuf);

impl TempHome {
    fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "imgshare-cli-ncloud-{}-{name}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempHome(dir)
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `imgshare` with the owner's keys in the environment and a scrubbed, empty home.
fn imgshare(home: &TempHome, keys: Option<(&str, &str)>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_imgshare"));
    for var in SCRUBBED {
        command.env_remove(var);
    }
    command.env("HOME", &home.0);
    // Never reach for a real metadata service: a closed loopback port fails at once.
    command.env("NCLOUD_METADATA_API_ENDPOINT", "http://127.0.0.1:9");
    if let Some((id, secret)) = keys {
        command
            .env("NCLOUD_ACCESS_KEY_ID", id)
            .env("NCLOUD_SECRET_ACCESS_KEY", secret);
    }
    command.args(args).output().unwrap()
}

fn owner(home: &TempHome, args: &[&str]) -> Output {
    imgshare(home, Some((OWNER_KEY, OWNER_SECRET)), args)
}

fn json_of(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "status {:?}, stderr {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stderr(output).is_empty(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// stderr without the `imgshare: sending to …` line (every command here names the fake).
fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr)
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("imgshare: sending to "))
        .collect()
}

/// The accounts of a share, unshare, set or list document.
fn accounts(document: &Value) -> Vec<String> {
    let shares = document["shares"].as_array().unwrap();
    shares
        .iter()
        .map(|s| s["account"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn share_list_set_unshare_for_every_api_family() {
    let fake = NcloudFake::start_with_seed(NcloudSeed::demo()).await;
    let uri = fake.uri();
    let home = TempHome::new("families");
    for (api, image) in [
        ("server-image", "10000001"),
        ("member-image", "10000002"),
        ("classic", "20000001"),
    ] {
        let base = ["--endpoint", uri.as_str(), "--output", "json", "ncloud"];
        let run = |cmd: &[&str]| {
            let mut args: Vec<&str> = base.to_vec();
            args.extend_from_slice(cmd);
            owner(&home, &args)
        };
        let shared = json_of(&run(&[
            "share",
            "--image",
            image,
            "--account",
            RECIPIENT,
            "--api",
            api,
        ]));
        assert_eq!(shared["action"], "share", "{api}");
        assert_eq!(shared["provider"], format!("ncloud/{api}"));
        assert_eq!(shared["shared"], serde_json::json!([RECIPIENT]), "{api}");
        assert_eq!(accounts(&shared), [RECIPIENT], "{api}");
        assert_eq!(shared["shares"][0]["state"], "active");

        let listed = json_of(&run(&["list", "--image", image, "--api", api]));
        assert_eq!(accounts(&listed), [RECIPIENT], "{api}");

        if api != "server-image" {
            let set = json_of(&run(&[
                "set",
                "--image",
                image,
                "--account",
                RECIPIENT,
                "--api",
                api,
            ]));
            assert_eq!(set["action"], "set");
            assert_eq!(accounts(&set), [RECIPIENT], "{api}");
        } else {
            let refused = run(&["set", "--image", image, "--account", RECIPIENT]);
            assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
        }

        let unshared = json_of(&run(&[
            "unshare",
            "--image",
            image,
            "--account",
            RECIPIENT,
            "--api",
            api,
        ]));
        assert!(accounts(&unshared).is_empty(), "{api}");
        assert_eq!(unshared["removed"], serde_json::json!([RECIPIENT]), "{api}");

        let images = json_of(&run(&["images", "--api", api]));
        assert!(
            images
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["image"] == image),
            "{images}"
        );
    }
    assert!(fake.shared_login_ids("10000001").is_empty());
    assert!(fake.classic_shared_login_ids("20000001").is_empty());
    // Every request verified at the fake's gateway.
    assert!(fake.received().iter().all(|r| r.login_id.is_some()));
}

#[tokio::test(flavor = "multi_thread")]
async fn text_output_and_the_api_gw_variable() {
    let fake = NcloudFake::start_with_seed(NcloudSeed::demo()).await;
    let home = TempHome::new("text");
    let mut command = Command::new(env!("CARGO_BIN_EXE_imgshare"));
    for var in SCRUBBED {
        command.env_remove(var);
    }
    let output = command
        .env("HOME", &home.0)
        .env("NCLOUD_API_GW", fake.uri())
        .env("NCLOUD_ACCESS_KEY", OWNER_KEY)
        .env("NCLOUD_SECRET_KEY", OWNER_SECRET)
        .args([
            "--region",
            "kr",
            "ncloud",
            "share",
            "--image",
            "10000001",
            "--account",
            RECIPIENT,
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("shared 10000001 with recipient@imgshare.test\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "10000001 is shared with 1 account:\nACCOUNT                  STATE   SINCE\n\
             recipient@imgshare.test  active  -\n"
        ),
        "{text}"
    );
    assert!(fake.received()[0].body.contains("regionCode=KR"));
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_statuses() {
    let fake = NcloudFake::start_with_seed(NcloudSeed::demo()).await;
    let uri = fake.uri();
    let home = TempHome::new("exit");

    // 3: a service error, one line with code, message and request id.
    let out = owner(
        &home,
        &["--endpoint", &uri, "ncloud", "list", "--image", "99999999"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let line = stderr(&out);
    assert!(
        line.starts_with("error: service error: 1104037: "),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1);
    assert!(out.stdout.is_empty());

    // 3: a gateway authentication failure, with a hint; the secret is never printed.
    let out = imgshare(
        &home,
        Some((OWNER_KEY, "wrong-secret-value")),
        &["--endpoint", &uri, "ncloud", "images"],
    );
    assert_eq!(out.status.code(), Some(3));
    let line = stderr(&out);
    assert!(
        line.starts_with("error: service error: 200: Authentication Failed"),
        "{line}"
    );
    assert!(line.contains("hint: "), "{line}");
    assert!(!line.contains("wrong-secret-value"));

    // 2: input rejected before sending.
    let before = fake.request_count();
    let out = owner(
        &home,
        &[
            "--endpoint",
            &uri,
            "ncloud",
            "share",
            "--image",
            "10000001",
            "--account",
            "nobody",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("target_login_ids[0]"),
        "{}",
        stderr(&out)
    );
    let out = owner(
        &home,
        &[
            "--endpoint",
            &uri,
            "ncloud",
            "share",
            "--image",
            "img-1",
            "--account",
            RECIPIENT,
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fake.request_count(), before);

    // 5: no credentials anywhere.
    let out = imgshare(&home, None, &["--endpoint", &uri, "ncloud", "images"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));

    // 4: nothing listening.
    let out = owner(
        &home,
        &["--endpoint", "http://127.0.0.1:9", "ncloud", "images"],
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}
