//! The same verbs behave the same on every cloud: share twice, unshare twice and list on each
//! provider's fake report the same outcome fields and exit with the same status for the same
//! situation; a repeated account is refused (exit 2) before anything is sent, everywhere.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::Command;

use imgshare_testkit::{NcloudFake, NcloudSeed, ScpFake, ScpSeed, TencentFake, TencentSeed};
use serde_json::{Value, json};
use support::{SCRUBBED, TempHome};

/// One cloud: the provider's fake, the owner's keys and an image and account to share.
struct Cloud {
    provider: &'static str,
    env: Vec<(&'static str, String)>,
    args: Vec<String>,
    image: &'static str,
    account: &'static str,
    requests: Box<dyn Fn() -> usize + Send>,
}

/// Runs one command on `cloud`: its exit status and stdout as JSON (`null` when empty).
fn run(cloud: &Cloud, home: &TempHome, verb: &str, accounts: &str) -> (i32, Value) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_imgshare"));
    for var in SCRUBBED {
        command.env_remove(var);
    }
    command
        .env("HOME", home.path())
        .envs(cloud.env.iter().map(|(k, v)| (k, v)));
    command
        .args(["--output", "json"])
        .args(&cloud.args)
        .args([verb, "--image", cloud.image]);
    if verb != "list" {
        command.args(["--account", accounts]);
    }
    let out = command.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let doc = if stdout.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&stdout).unwrap()
    };
    (out.status.code().unwrap(), doc)
}

/// What a document says, with this cloud's account written `ACCOUNT`, so clouds compare.
fn shape(cloud: &Cloud, doc: &Value) -> Value {
    let generic = |v: &Value| -> Value {
        let list = v.as_array().map(Vec::as_slice).unwrap_or_default();
        list.iter()
            .map(|a| {
                if a == cloud.account {
                    json!("ACCOUNT")
                } else {
                    a.clone()
                }
            })
            .collect()
    };
    let mut keys: Vec<&String> = doc
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    keys.sort();
    let shares: Vec<Value> = doc["shares"]
        .as_array()
        .map(|s| s.iter().map(|s| s["account"].clone()).collect())
        .unwrap_or_default();
    json!({
        "keys": keys,
        "action": doc["action"],
        "shared": generic(&doc["shared"]),
        "already_shared": generic(&doc["already_shared"]),
        "removed": generic(&doc["removed"]),
        "not_member": generic(&doc["not_member"]),
        "shares": generic(&Value::Array(shares)),
    })
}

/// Every step on `cloud`, as (step, exit status, shape).
fn steps(cloud: &Cloud) -> Vec<(&'static str, i32, Value)> {
    let home = TempHome::new(cloud.provider);
    let mut seen = Vec::new();
    for (step, verb) in [
        ("share", "share"),
        ("share again", "share"),
        ("unshare", "unshare"),
        ("unshare again", "unshare"),
        ("list", "list"),
    ] {
        let (status, doc) = run(cloud, &home, verb, cloud.account);
        assert_eq!(
            doc["provider"]
                .as_str()
                .map(|p| p.starts_with(cloud.provider)),
            Some(true)
        );
        assert_eq!(doc["image"], cloud.image, "{}: {doc}", cloud.provider);
        seen.push((step, status, shape(cloud, &doc)));
    }
    let before = (cloud.requests)();
    let twice = format!("{0},{0}", cloud.account);
    for verb in ["share", "unshare"] {
        let (status, doc) = run(cloud, &home, verb, &twice);
        seen.push(("the same account twice", status, doc));
    }
    assert_eq!(
        (cloud.requests)(),
        before,
        "{}: nothing sent for bad input",
        cloud.provider
    );
    seen
}

#[tokio::test(flavor = "multi_thread")]
async fn share_unshare_and_list_report_the_same_on_every_cloud() {
    let tencent = TencentFake::start_with_seed(TencentSeed::demo()).await;
    tencent.set_rate_limit(None);
    let owner = tencent
        .seed()
        .accounts
        .into_iter()
        .find(|a| a.account_id == "100000000001");
    let owner = owner.unwrap();
    let ncloud = NcloudFake::start_with_seed(NcloudSeed::demo()).await;
    let scp = ScpFake::start_with_seed(ScpSeed::demo()).await;
    let scp_owner = ScpSeed::demo().accounts.into_iter().next().unwrap();
    let clouds = [
        Cloud {
            provider: "tencent",
            env: vec![
                ("TENCENTCLOUD_SECRET_ID", owner.secret_id.clone()),
                ("TENCENTCLOUD_SECRET_KEY", owner.secret_key.clone()),
                ("TENCENTCLOUD_REGION", "ap-guangzhou".into()),
            ],
            args: vec!["--endpoint".into(), tencent.uri(), "tencent".into()],
            image: "img-demo0001",
            account: "100000000002",
            requests: Box::new(move || tencent.request_count()),
        },
        Cloud {
            provider: "ncloud",
            env: vec![
                ("NCLOUD_ACCESS_KEY_ID", "NCPFAKEOWNER00000000".into()),
                (
                    "NCLOUD_SECRET_ACCESS_KEY",
                    "fake-ncp-secret-owner-000000000000000000".into(),
                ),
            ],
            args: vec!["--endpoint".into(), ncloud.uri(), "ncloud".into()],
            image: "10000001",
            account: "recipient@imgshare.test",
            requests: Box::new(move || ncloud.request_count()),
        },
        Cloud {
            provider: "scp",
            env: vec![
                ("SCP_ACCESS_KEY", scp_owner.access_key.clone()),
                ("SCP_SECRET_KEY", scp_owner.secret_key.clone()),
            ],
            args: vec!["--endpoint".into(), scp.uri(), "scp".into()],
            image: "00000000-0000-4000-8000-0000000000a1",
            account: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2",
            requests: Box::new(move || scp.request_count()),
        },
    ];
    let results = tokio::task::spawn_blocking(move || clouds.iter().map(steps).collect::<Vec<_>>())
        .await
        .unwrap();
    let tencent = &results[0];
    let outcome = |shared: &[&str],
                   already: &[&str],
                   removed: &[&str],
                   not: &[&str],
                   shares: &[&str]| {
        json!({"shared": shared, "already_shared": already, "removed": removed, "not_member": not, "shares": shares})
    };
    let expected = [
        ("share", outcome(&["ACCOUNT"], &[], &[], &[], &["ACCOUNT"])),
        (
            "share again",
            outcome(&[], &["ACCOUNT"], &[], &[], &["ACCOUNT"]),
        ),
        ("unshare", outcome(&[], &[], &["ACCOUNT"], &[], &[])),
        ("unshare again", outcome(&[], &[], &[], &["ACCOUNT"], &[])),
    ];
    for ((step, status, shape), (want_step, want)) in tencent.iter().zip(&expected) {
        assert_eq!((*step, *status), (*want_step, 0));
        for (field, value) in want.as_object().unwrap() {
            assert_eq!(&shape[field], value, "tencent {step}: {field}");
        }
    }
    assert_eq!(tencent[4].2["keys"], json!(["image", "provider", "shares"]));
    assert_eq!((tencent[5].1, &tencent[5].2), (2, &Value::Null));
    assert_eq!((tencent[6].1, &tencent[6].2), (2, &Value::Null));
    for (other, name) in results[1..].iter().zip(["ncloud", "scp"]) {
        assert_eq!(other, tencent, "{name} differs from tencent");
    }
}
