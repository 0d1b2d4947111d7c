//! `imgshare-fake`: the testkit's fakes of the Tencent CVM, NAVER Cloud and SCP image-sharing
//! APIs on one loopback address, for tests written in any language (as moto's server mode serves
//! the aws CLI's users).
//!
//! The three share one port without colliding: Tencent is `POST /`, NAVER Cloud
//! `/vserver/v2/…` and `/server/v2/…`, SCP `/v1/…`. Each checks signatures the way its provider
//! documents them. See `docs/TESTKIT.md`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use imgshare_testkit::{FakeClouds, FakeSeeds, NcloudSeed, ScpSeed, TencentSeed};
use serde_json::{Value, json};

/// What the printout says about the keys.
const TEST_KEYS_NOTE: &str =
    "TEST keys, accepted only by this local fake; they are not cloud credentials";

/// Exit status for bad arguments or an unreadable seed.
const EXIT_USAGE: u8 = 2;
/// Exit status when the server cannot start.
const EXIT_OTHER: u8 = 1;

/// A local fake of the Tencent CVM, NAVER Cloud and SCP image-sharing APIs, for tests.
#[derive(Debug, Parser)]
#[command(name = "imgshare-fake", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the three fakes on one address until Ctrl-C or SIGTERM.
    ///
    /// Prints the endpoint and the seeded TEST accounts (keys accepted only by this fake),
    /// images and shares of each provider; with --output json, exactly one JSON document on one
    /// line. Exit statuses: 0 after a clean shutdown, 1 when the address cannot be bound, 2 for
    /// bad arguments or an unreadable seed file.
    Serve {
        /// The address to bind (a loopback address unless you mean to expose test keys).
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Tencent seed JSON (`{"accounts":[..],"images":[..],"shares":[[image,account],..]}`);
        /// default: the built-in demo seed.
        #[arg(long, value_name = "FILE")]
        seed: Option<PathBuf>,
        /// NAVER Cloud seed JSON; default: the built-in demo seed.
        #[arg(long, value_name = "FILE")]
        ncloud_seed: Option<PathBuf>,
        /// SCP seed JSON; default: the built-in demo seed.
        #[arg(long, value_name = "FILE")]
        scp_seed: Option<PathBuf>,
        /// Output format of the printout.
        #[arg(long, value_enum, default_value_t = Output::Text)]
        output: Output,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Command::Serve {
        bind,
        port,
        seed,
        ncloud_seed,
        scp_seed,
        output,
    } = cli.command;
    let seeds = match load_seeds(seed, ncloud_seed, scp_seed) {
        Ok(seeds) => seeds,
        Err(message) => return fail(EXIT_USAGE, &message),
    };
    let listener = match TcpListener::bind((bind.as_str(), port)) {
        Ok(listener) => listener,
        Err(e) => return fail(EXIT_OTHER, &format!("cannot listen on {bind}:{port}: {e}")),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(EXIT_OTHER, &format!("cannot start the async runtime: {e}")),
    };
    runtime.block_on(async move {
        let fakes = FakeClouds::start_on(listener, seeds).await;
        // Listen for the signals before printing: a harness may send SIGTERM as soon as it
        // has read the printout.
        let shutdown = match ShutdownSignal::install() {
            Ok(shutdown) => shutdown,
            Err(e) => {
                return fail(
                    EXIT_OTHER,
                    &format!("cannot wait for a shutdown signal: {e}"),
                );
            }
        };
        match output {
            Output::Json => println!("{}", document(&fakes)),
            Output::Text => print!("{}", text(&fakes)),
        }
        shutdown.wait().await;
        eprintln!(
            "imgshare-fake: stopping after {} Tencent, {} NAVER Cloud and {} SCP request(s)",
            fakes.tencent.request_count(),
            fakes.ncloud.request_count(),
            fakes.scp.request_count()
        );
        ExitCode::SUCCESS
    })
}

fn load_seeds(
    tencent: Option<PathBuf>,
    ncloud: Option<PathBuf>,
    scp: Option<PathBuf>,
) -> Result<FakeSeeds, String> {
    let tencent = match tencent {
        Some(path) => TencentSeed::from_json_file(&path).map_err(|e| e.to_string())?,
        None => TencentSeed::demo(),
    };
    let ncloud = match ncloud {
        Some(path) => NcloudSeed::from_json_file(&path).map_err(|e| e.to_string())?,
        None => NcloudSeed::demo(),
    };
    let scp = match scp {
        Some(path) => ScpSeed::from_json_file(&path).map_err(|e| e.to_string())?,
        None => ScpSeed::demo(),
    };
    Ok(FakeSeeds {
        tencent,
        ncloud,
        scp,
    })
}

fn fail(status: u8, message: &str) -> ExitCode {
    eprintln!("imgshare-fake: {message}");
    ExitCode::from(status)
}

/// `{"endpoint", "note", "admin", "accounts", "images", "shares", "ncloud": {..}, "scp": {..}}`:
/// the Tencent seed's fields at the top (as `imgshare fake serve` printed them before the fake
/// moved to this binary), the others' seeds (every image included) nested, and each cloud's admin
/// API root.
fn document(fakes: &FakeClouds) -> Value {
    let mut document = serde_json::Map::new();
    document.insert("endpoint".into(), json!(fakes.tencent.uri()));
    document.insert("region".into(), json!("ap-guangzhou"));
    document.insert("note".into(), json!(TEST_KEYS_NOTE));
    let admin = [
        ("tencent", fakes.tencent.admin_uri()),
        ("ncloud", fakes.ncloud.admin_uri()),
        ("scp", fakes.scp.admin_uri()),
    ];
    document.insert(
        "admin".into(),
        json!(serde_json::Map::from_iter(
            admin.map(|(cloud, uri)| (cloud.to_owned(), json!(uri)))
        )),
    );
    if let Ok(Value::Object(seed)) = serde_json::to_value(fakes.tencent.seed()) {
        document.extend(seed);
    }
    document.insert(
        "ncloud".into(),
        json!({ "endpoint": fakes.tencent.uri(), "region": "KR", "seed": fakes.ncloud.seed() }),
    );
    document.insert(
        "scp".into(),
        json!({ "endpoint": fakes.tencent.uri(), "region": "kr-west1", "seed": fakes.scp.seed() }),
    );
    Value::Object(document)
}

/// The human-readable printout.
fn text(fakes: &FakeClouds) -> String {
    let endpoint = fakes.tencent.uri();
    let mut out = format!(
        "imgshare-fake: Tencent CVM, NAVER Cloud and SCP on {endpoint}\n({TEST_KEYS_NOTE})\n"
    );
    let tencent = fakes.tencent.seed();
    out.push_str("\nTencent (POST /; any region, e.g. ap-guangzhou):\n");
    for a in &tencent.accounts {
        out.push_str(&format!(
            "  account {}  secret id {}  secret key {}\n",
            a.account_id, a.secret_id, a.secret_key
        ));
    }
    for i in &tencent.images {
        out.push_str(&format!(
            "  image {}  owner {}  {}\n",
            i.image_id, i.owner_account_id, i.name
        ));
    }
    for (image, account) in &tencent.shares {
        out.push_str(&format!("  share {image} -> {account}\n"));
    }
    let ncloud = fakes.ncloud.seed();
    out.push_str("\nNAVER Cloud (/vserver/v2/, /server/v2/; region KR):\n");
    for a in &ncloud.accounts {
        out.push_str(&format!(
            "  login {}  access key {}  secret key {}\n",
            a.login_id, a.access_key, a.secret_key
        ));
    }
    for i in &ncloud.images {
        out.push_str(&format!(
            "  image {}  owner {}  {}  {} {} {}  shared with [{}]\n",
            i.image_no,
            i.owner_login_id,
            i.name,
            i.region_code,
            i.hypervisor,
            i.status,
            i.shared_login_ids.join(", ")
        ));
    }
    for i in &ncloud.classic_images {
        out.push_str(&format!(
            "  classic image {}  owner {}  {}  region no {}  shared with [{}]\n",
            i.image_no,
            i.owner_login_id,
            i.name,
            i.region_no,
            i.shared_login_ids.join(", ")
        ));
    }
    let scp = fakes.scp.seed();
    out.push_str("\nSCP (/v1/):\n");
    for a in &scp.accounts {
        out.push_str(&format!(
            "  account {}  access key {}  secret key {}\n",
            a.account_id, a.access_key, a.secret_key
        ));
    }
    for i in &scp.images {
        out.push_str(&format!(
            "  image {}  owner {}  {}  {}\n",
            i.id,
            i.owner,
            i.name,
            i.visibility.as_str()
        ));
    }
    for m in &scp.members {
        out.push_str(&format!(
            "  member {} of image {}  {}\n",
            m.member_id,
            m.image_id,
            m.status.as_str()
        ));
    }
    out.push_str(&format!(
        "\nAdmin API (state, seed, reset, faults, clock, requests, rate-limit): {endpoint}/_fake/{{tencent,ncloud,scp}}/\nServing until Ctrl-C.\n"
    ));
    out
}

/// Ctrl-C, or SIGTERM on Unix, with the handlers installed up front.
struct ShutdownSignal {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl ShutdownSignal {
    /// Installs the handlers now, so a signal sent from here on is caught.
    fn install() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    /// Waits for the first signal.
    async fn wait(mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => {}
                _ = self.terminate.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
