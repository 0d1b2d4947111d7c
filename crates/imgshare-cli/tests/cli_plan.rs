//! `imgshare plan apply|diff` and `imgshare inventory` against the three signature-checking
//! fakes on one address, with keys named by environment variables in the plan.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use imgshare_testkit::{NcloudFake, NcloudSeed, ScpFake, ScpSeed, TencentFake, TencentSeed};
use serde_json::Value;

const SCP_IMAGE: &str = "00000000-0000-4000-8000-0000000000a1";

fn plan_text(endpoint: &str) -> String {
    format!(
        r#"
[providers.tencent]
region = "ap-guangzhou"
endpoint = "{endpoint}"
credentials = {{ access_key_env = "T_ID", secret_key_env = "T_KEY" }}
allowed_accounts = ["100000000002", "100000000003"]

[providers.ncloud]
region = "KR"
endpoint = "{endpoint}"
credentials = {{ access_key_env = "N_ID", secret_key_env = "N_KEY" }}

[providers.scp]
endpoint = "{endpoint}"
account_id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"
credentials = {{ access_key_env = "S_ID", secret_key_env = "S_KEY" }}

[[images]]
provider = "tencent"
image = "img-demo0001"
accounts = ["100000000002", "100000000003"]

[[images]]
provider = "ncloud"
image = "10000001"
accounts = ["recipient@imgshare.test"]

[[images]]
provider = "scp"
image = "{SCP_IMAGE}"
accounts = ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"]
"#
    )
}

fn imgshare(args: &[&str]) -> Output {
    let t = &TencentSeed::demo().accounts[0];
    let n = &NcloudSeed::demo().accounts[0];
    let s = &ScpSeed::demo().accounts[0];
    let home = std::env::temp_dir().join(format!("imgshare-cli-plan-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    Command::new(env!("CARGO_BIN_EXE_imgshare"))
        .args(args)
        .env_clear()
        .env("HOME", &home)
        .env("T_ID", &t.secret_id)
        .env("T_KEY", &t.secret_key)
        .env("N_ID", &n.access_key)
        .env("N_KEY", &n.secret_key)
        .env("S_ID", &s.access_key)
        .env("S_KEY", &s.secret_key)
        .output()
        .unwrap()
}

fn mutations(t: &TencentFake, n: &NcloudFake, s: &ScpFake) -> usize {
    t.received()
        .iter()
        .filter(|r| r.action.as_deref() == Some("ModifyImageSharePermission"))
        .count()
        + n.received()
            .iter()
            .filter(|r| {
                r.action
                    .as_deref()
                    .is_some_and(|a| a.starts_with("add") || a.starts_with("remove"))
            })
            .count()
        + s.received().iter().filter(|r| r.method != "GET").count()
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_apply_reaches_the_desired_state_and_a_second_apply_changes_nothing() {
    let tencent = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let ncloud = NcloudFake::mount_on(tencent.mock_server().unwrap(), NcloudSeed::demo()).await;
    let scp = ScpFake::mount_on(tencent.mock_server().unwrap(), ScpSeed::demo()).await;
    let dir = std::env::temp_dir().join(format!("imgshare-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plan.toml");
    std::fs::write(&file, plan_text(&tencent.uri())).unwrap();
    let file = file.to_str().unwrap();

    // Not a terminal and no --yes: refused, nothing sent.
    let out = imgshare(&["plan", "apply", file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert_eq!(mutations(&tencent, &ncloud, &scp), 0);

    let out = imgshare(&["--output", "json", "plan", "diff", file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(diff["images"][1]["add"][0], "recipient@imgshare.test");

    let out = imgshare(&[
        "--output",
        "json",
        "plan",
        "apply",
        file,
        "--yes",
        "--concurrency",
        "2",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["complete"], true);
    assert_eq!(report["images"][0]["added"].as_array().unwrap().len(), 2);
    let mut tc = tencent.shared_accounts("img-demo0001");
    tc.sort();
    assert_eq!(tc, ["100000000002", "100000000003"]);
    assert_eq!(
        ncloud.shared_login_ids("10000001"),
        ["recipient@imgshare.test"]
    );
    assert_eq!(scp.members(SCP_IMAGE).len(), 1);

    let before = mutations(&tencent, &ncloud, &scp);
    let out = imgshare(&["plan", "apply", file, "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        mutations(&tencent, &ncloud, &scp),
        before,
        "no mutating call"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("added -; removed -"));

    let out = imgshare(&["inventory", "--plan", file, "--format", "csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(
        csv.starts_with("provider,image,name,account,state,error\n"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!(
            "scp,{SCP_IMAGE},demo-ubuntu,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2,pending,"
        )),
        "{csv}"
    );
    assert!(
        csv.contains("tencent,img-demo0001,demo-tencentos,100000000002,active,"),
        "{csv}"
    );
}

#[test]
fn a_malformed_plan_is_refused_with_file_line_and_field() {
    let dir = std::env::temp_dir().join(format!("imgshare-plan-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.toml");
    std::fs::write(
        &file,
        "[providers.tencent]\nregion = \"r\"\nsecret_key = \"x\"\n",
    )
    .unwrap();
    let out = imgshare(&["plan", "diff", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:3:1: `providers.tencent.secret_key`"),
        "{err}"
    );
    assert!(err.contains("never hold secrets"), "{err}");
}
