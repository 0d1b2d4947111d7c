//! Where requests go. `--endpoint`, a plan's `endpoint` and `IMGSHARE_ENDPOINT` reach every
//! provider in every command, in that order, and nothing else is contacted.
//!
//! The three fakes share one loopback server. Every proxy variable points at a second loopback
//! listener that only counts connections, with `NO_PROXY` covering loopback: a request meant
//! for a provider's production endpoint (https, not loopback) would reach that listener instead
//! of the internet, and the tests assert it never sees one. The keys are the fakes' TEST keys.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use imgshare_testkit::{FakeClouds, FakeSeeds, NcloudSeed, ScpSeed, TencentSeed};

const SCP_OWNER: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
const SCP_IMAGE: &str = "00000000-0000-4000-8000-0000000000a1";

/// The three fakes on one address.
struct Fakes(FakeClouds);

impl Fakes {
    async fn start() -> Fakes {
        let clouds = FakeClouds::start(FakeSeeds::demo()).await;
        clouds.tencent.set_rate_limit(None);
        Fakes(clouds)
    }

    fn uri(&self) -> String {
        self.0.uri()
    }

    /// Requests received so far: tencent, ncloud, scp.
    fn counts(&self) -> [usize; 3] {
        [
            self.0.tencent.received().len(),
            self.0.ncloud.received().len(),
            self.0.scp.received().len(),
        ]
    }
}

/// A loopback listener standing in for every proxy: it counts connections and closes them.
struct Proxy {
    url: String,
    connections: Arc<AtomicUsize>,
}

impl Proxy {
    fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&connections);
        // Lives until the test process ends; each connection is dropped at once.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stream.is_ok() {
                    seen.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        Proxy { url, connections }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// An empty `$HOME` (no profile or credentials file is read), the plans, and the proxy.
struct World {
    home: PathBuf,
    proxy: Proxy,
}

impl World {
    fn new(name: &str) -> World {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let home = std::env::temp_dir().join(format!(
            "imgshare-cli-connect-{}-{name}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&home).unwrap();
        World {
            home,
            proxy: Proxy::start(),
        }
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.home.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    }

    /// `imgshare ARGS` with only the variables set here: every provider configured with TEST
    /// keys, every proxy variable at the counting listener, plus `env`.
    fn run(&self, env: &[(&str, &str)], args: &[&str]) -> Output {
        let t = &TencentSeed::demo().accounts[0];
        let n = &NcloudSeed::demo().accounts[0];
        let s = ScpSeed::demo()
            .accounts
            .into_iter()
            .find(|a| a.account_id == SCP_OWNER)
            .unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_imgshare"));
        cmd.env_clear()
            .env("HOME", &self.home)
            .env("TENCENTCLOUD_REGION", "ap-guangzhou")
            .env("TENCENTCLOUD_SECRET_ID", &t.secret_id)
            .env("TENCENTCLOUD_SECRET_KEY", &t.secret_key)
            .env("NCLOUD_ACCESS_KEY_ID", &n.access_key)
            .env("NCLOUD_SECRET_ACCESS_KEY", &n.secret_key)
            .env("NCLOUD_REGION", "KR")
            .env("SCP_ACCESS_KEY", &s.access_key)
            .env("SCP_SECRET_KEY", &s.secret_key)
            .env("SCP_REGION", "kr-west1")
            .env("SCP_ACCOUNT_ID", SCP_OWNER)
            // The instance-metadata steps of the chains must not leave the machine either.
            .env("IMGSHARE_TENCENT_METADATA_ENDPOINT", "http://127.0.0.1:9/")
            .env("NCLOUD_METADATA_API_ENDPOINT", "http://127.0.0.1:9");
        for var in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            cmd.env(var, &self.proxy.url);
        }
        cmd.env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.args(args).output().unwrap()
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A plan over all three providers; `endpoints` adds `endpoint = URL` to the named entries.
fn plan(endpoints: &[(&str, &str)]) -> String {
    let endpoint = |name: &str| {
        endpoints
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, url)| format!("endpoint = \"{url}\"\n"))
            .unwrap_or_default()
    };
    format!(
        r#"
[providers.tencent]
region = "ap-guangzhou"
{}
[providers.ncloud]
region = "KR"
{}
[providers.scp]
region = "kr-west1"
account_id = "{SCP_OWNER}"
{}
[[images]]
provider = "tencent"
image = "img-demo0001"
accounts = ["100000000002"]

[[images]]
provider = "ncloud"
image = "10000001"
accounts = ["recipient@imgshare.test"]

[[images]]
provider = "scp"
image = "{SCP_IMAGE}"
accounts = ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"]
"#,
        endpoint("tencent"),
        endpoint("ncloud"),
        endpoint("scp"),
    )
}

fn assert_each_provider_was_reached(before: [usize; 3], after: [usize; 3], what: &str) {
    for (i, provider) in ["tencent", "ncloud", "scp"].iter().enumerate() {
        assert!(
            after[i] > before[i],
            "{what}: {provider} sent nothing to the fake"
        );
    }
}

/// Fails before the resolver: `plan` never read `--endpoint` and sent every entry without an
/// `endpoint` line to its production endpoint (here: to the counting proxy).
#[tokio::test(flavor = "multi_thread")]
async fn plan_diff_sends_every_provider_to_the_endpoint_flag_and_nowhere_else() {
    let fakes = Fakes::start().await;
    let world = World::new("plan-flag");
    let file = world.write("plan.toml", &plan(&[]));
    let uri = fakes.uri();

    let before = fakes.counts();
    let out = world.run(&[], &["--endpoint", &uri, "plan", "diff", &file]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        format!("imgshare: sending to {uri}/ (--endpoint)\n")
    );
    assert!(
        text(&out.stdout).contains("tencent img-demo0001: share with 100000000002"),
        "{}",
        text(&out.stdout)
    );
    assert_each_provider_was_reached(before, fakes.counts(), "plan diff");
    assert_eq!(world.proxy.connections(), 0, "something left loopback");
}

/// Fails before the resolver: `inventory` never read `--endpoint`, and read
/// `IMGSHARE_ENDPOINT` for tencent only; ncloud and scp went to production.
#[tokio::test(flavor = "multi_thread")]
async fn inventory_sends_every_provider_to_the_flag_or_imgshare_endpoint() {
    let fakes = Fakes::start().await;
    let world = World::new("inventory");
    let uri = fakes.uri();
    for (env, args, origin) in [
        (
            vec![],
            vec!["--endpoint", uri.as_str(), "inventory", "--format", "csv"],
            "--endpoint",
        ),
        (
            vec![("IMGSHARE_ENDPOINT", uri.as_str())],
            vec!["inventory", "--format", "csv"],
            "IMGSHARE_ENDPOINT",
        ),
    ] {
        let before = fakes.counts();
        let out = world.run(&env, &args);
        assert!(out.status.success(), "{origin}: {}", text(&out.stderr));
        assert_eq!(
            text(&out.stderr),
            format!("imgshare: sending to {uri}/ ({origin})\n")
        );
        let csv = text(&out.stdout);
        for row in ["tencent,img-demo0001,", "ncloud,10000001,", "scp,"] {
            assert!(csv.contains(row), "{origin}: no {row:?} in {csv}");
        }
        assert_each_provider_was_reached(before, fakes.counts(), origin);
    }
    assert_eq!(world.proxy.connections(), 0, "something left loopback");
}

/// Fails before the resolver: `--endpoint ''` meant production for tencent (and an error for the
/// others), and `IMGSHARE_ENDPOINT=''` meant production everywhere.
#[test]
fn an_empty_endpoint_is_refused_by_every_provider_and_command_with_status_2() {
    let world = World::new("empty");
    let file = world.write("plan.toml", &plan(&[]));
    let commands: [&[&str]; 5] = [
        &[
            "--region",
            "ap-guangzhou",
            "tencent",
            "list",
            "--image",
            "img-demo0001",
        ],
        &["ncloud", "images"],
        &["scp", "images"],
        &["plan", "diff", &file],
        &["inventory"],
    ];
    for command in commands {
        for (env, flag) in [
            (&[][..], &["--endpoint", ""][..]),
            (&[("IMGSHARE_ENDPOINT", "")][..], &[][..]),
        ] {
            let args: Vec<&str> = flag.iter().chain(command).copied().collect();
            let out = world.run(env, &args);
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?} {env:?}: {err}");
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(err.starts_with("error: provider `"), "{err}");
            assert!(err.contains("`endpoint` is empty"), "{err}");
            assert!(out.stdout.is_empty());
        }
    }
    assert_eq!(world.proxy.connections(), 0, "something was sent");
}

/// Fails if the environment is applied over the plan (the entries with `endpoint` lines would
/// go to B), or, as before the resolver, if plans ignore `IMGSHARE_ENDPOINT` (scp, which has no
/// `endpoint` line, would go to production).
#[tokio::test(flavor = "multi_thread")]
async fn a_plan_entry_beats_the_environment_which_beats_the_default() {
    let a = Fakes::start().await;
    let b = Fakes::start().await;
    let world = World::new("plan-over-env");
    let (ua, ub) = (a.uri(), b.uri());
    let file = world.write("plan.toml", &plan(&[("tencent", &ua), ("ncloud", &ua)]));

    let (a0, b0) = (a.counts(), b.counts());
    let out = world.run(&[("IMGSHARE_ENDPOINT", &ub)], &["plan", "diff", &file]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (a1, b1) = (a.counts(), b.counts());
    assert!(a1[0] > a0[0] && a1[1] > a0[1], "tencent and ncloud reach A");
    assert_eq!(a1[2], a0[2], "scp does not reach A");
    assert_eq!(
        [b1[0], b1[1]],
        [b0[0], b0[1]],
        "nothing of the plan's reaches B"
    );
    assert!(b1[2] > b0[2], "scp reaches B");
    assert_eq!(
        text(&out.stderr),
        format!(
            "imgshare: sending ncloud to {ua}/ (plan: providers.ncloud.endpoint); scp to {ub}/ \
             (IMGSHARE_ENDPOINT); tencent to {ua}/ (plan: providers.tencent.endpoint)\n"
        )
    );
    assert_eq!(world.proxy.connections(), 0, "something left loopback");
}

/// Fails before the resolver: the plan's `endpoint` lines won over `--endpoint` (A got the
/// requests), for `plan` as for `inventory --plan`. Also: the flag beats `IMGSHARE_ENDPOINT`
/// in the provider commands.
#[tokio::test(flavor = "multi_thread")]
async fn the_flag_beats_the_plan_entry_and_the_environment() {
    let a = Fakes::start().await;
    let b = Fakes::start().await;
    let world = World::new("flag-over-plan");
    let (ua, ub) = (a.uri(), b.uri());
    let file = world.write(
        "plan.toml",
        &plan(&[("tencent", &ua), ("ncloud", &ua), ("scp", &ua)]),
    );
    let env = [("IMGSHARE_ENDPOINT", ua.as_str())];
    let commands: [&[&str]; 5] = [
        &["plan", "diff", &file],
        &["inventory", "--plan", &file],
        &["tencent", "images"],
        &["ncloud", "images"],
        &["scp", "images"],
    ];
    for command in commands {
        let (a0, b0) = (a.counts(), b.counts());
        let args: Vec<&str> = ["--endpoint", ub.as_str()]
            .iter()
            .chain(command)
            .copied()
            .collect();
        let out = world.run(&env, &args);
        assert!(out.status.success(), "{command:?}: {}", text(&out.stderr));
        assert_eq!(
            a.counts(),
            a0,
            "{command:?}: A (plan and environment) got requests"
        );
        assert!(
            b.counts().iter().sum::<usize>() > b0.iter().sum::<usize>(),
            "{command:?}: nothing reached B"
        );
        assert_eq!(
            text(&out.stderr),
            format!("imgshare: sending to {ub}/ (--endpoint)\n"),
            "{command:?}"
        );
    }
    assert_eq!(world.proxy.connections(), 0, "something left loopback");
}

/// The harness itself: an https endpoint off loopback goes to the counting proxy (so the tests
/// above would see any request meant for production). `.invalid` never resolves, so even a
/// binary that ignored the proxy variables would not reach the internet here.
#[test]
fn requests_off_loopback_reach_the_counting_proxy() {
    let world = World::new("proxy");
    let out = world.run(
        &[],
        &[
            "--endpoint",
            "https://api.imgshare.invalid",
            "ncloud",
            "images",
        ],
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(
        world.proxy.connections() > 0,
        "the proxy variables are ignored"
    );
}
