//! `-v`, `-vv` and `RUST_LOG` print the runtime's events on stderr, for every provider, and no
//! line of any run holds a secret key, a session token or a signature. Before the fix the fmt
//! subscriber capped events at INFO, so every level below WARN printed nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use imgshare_testkit::{TencentFake, TencentSeed};
use support::{Canned, NCLOUD_SECRET, SCP_SECRET, TENCENT_SECRET, TempHome, imgshare};

/// What would betray a credential or a signature in a log line.
fn assert_no_secret(stderr: &str) {
    for needle in [
        TENCENT_SECRET,
        NCLOUD_SECRET,
        SCP_SECRET,
        "session-token-never-printed",
        "Signature",
        "signature",
        "Authorization",
        "TC3-HMAC",
        "x-ncp-apigw",
        "Scp-Signature",
    ] {
        assert!(!stderr.contains(needle), "{needle:?} in stderr:\n{stderr}");
    }
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn verbose_tencent_list_against_the_fake_prints_attempts_and_no_secret() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    let owner = TencentSeed::demo()
        .accounts
        .into_iter()
        .find(|a| a.account_id == "100000000001" && a.session_token.is_none())
        .unwrap();
    let uri = fake.uri();
    let run = move |flags: Vec<&'static str>, env: Vec<(&'static str, &'static str)>| {
        let (id, key) = (owner.secret_id.clone(), owner.secret_key.clone());
        let uri = uri.clone();
        let home = TempHome::new("log-tencent-run");
        tokio::task::spawn_blocking(move || {
            let mut env: Vec<(&str, &str)> = env;
            env.push(("TENCENTCLOUD_SECRET_ID", &id));
            env.push(("TENCENTCLOUD_SECRET_KEY", &key));
            let mut args = flags;
            args.extend(["tencent", "list", "--image", "img-demo0001"]);
            let out = imgshare(&home, &uri, &env, &args);
            (out.status.code(), stderr_of(&out), key)
        })
    };

    let (status, stderr, key) = run(vec!["-v"], vec![]).await.unwrap();
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stderr.contains("attempt"), "-v shows attempts:\n{stderr}");
    assert!(
        stderr.contains("status=200"),
        "-v shows the status:\n{stderr}"
    );
    assert!(
        !stderr.contains("sending request"),
        "-v is not -vv:\n{stderr}"
    );
    assert!(!stderr.contains(&key), "the fake's secret key:\n{stderr}");
    assert_no_secret(&stderr);

    let (status, stderr, key) = run(vec!["-vv"], vec![]).await.unwrap();
    assert_eq!(status, Some(0), "{stderr}");
    assert!(
        stderr.contains("sending request"),
        "-vv shows requests:\n{stderr}"
    );
    assert!(stderr.contains("method=POST"), "{stderr}");
    assert!(!stderr.contains(&key), "the fake's secret key:\n{stderr}");
    assert_no_secret(&stderr);

    let (_, stderr, _) = run(vec![], vec![("RUST_LOG", "imgshare_core=debug")])
        .await
        .unwrap();
    assert!(stderr.contains("attempt"), "RUST_LOG alone:\n{stderr}");
    let (_, stderr, _) = run(vec![], vec![]).await.unwrap();
    assert!(!stderr.contains("attempt"), "quiet without -v:\n{stderr}");
}

#[test]
fn verbose_retries_show_backoff_and_the_decision_for_every_provider() {
    let home = TempHome::new("log-retry");
    for (args, body) in [
        (
            &[
                "tencent",
                "--retries",
                "1",
                "list",
                "--image",
                "img-6pb6lrmy",
            ][..],
            "<html>busy</html>",
        ),
        (
            &["ncloud", "list", "--image", "10000001"][..],
            "<html>busy</html>",
        ),
        (
            &[
                "scp",
                "list",
                "--image",
                "70a599e0-31e7-49b7-b260-868f441e862b",
            ][..],
            "<html>busy</html>",
        ),
    ] {
        let server = Canned::start(503, "text/html", body);
        let mut argv = vec!["-v"];
        argv.extend_from_slice(args);
        let out = imgshare(
            &home,
            &server.uri(),
            &[("TENCENTCLOUD_TOKEN", "session-token-never-printed")],
            &argv,
        );
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {stderr}");
        assert!(
            stderr.contains("attempt failed; retrying"),
            "{args:?}:\n{stderr}"
        );
        assert!(stderr.contains("backoff_ms="), "{args:?}:\n{stderr}");
        assert!(stderr.contains("status=503"), "{args:?}:\n{stderr}");
        assert!(stderr.contains("not retrying"), "{args:?}:\n{stderr}");
        assert_no_secret(&stderr);
    }
}
