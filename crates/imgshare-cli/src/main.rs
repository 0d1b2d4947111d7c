//! `imgshare`: share VM images between cloud accounts on Tencent Cloud, NAVER Cloud and Samsung
//! Cloud Platform from the command line. The fake clouds for tests are the `imgshare-fake`
//! binary, so this one carries no test server.
//!
//! See `docs/CLI.md` or `imgshare --help` for the commands, output shapes and exit statuses.

mod cli;
mod failure;
mod ncloud;
mod output;
mod scp;
mod tencent;

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use crate::cli::{Cli, Provider};
use crate::failure::{EXIT_OTHER, Failure};

/// The filter `-v` applies when `RUST_LOG` is not set.
const VERBOSE_CRATES: [&str; 5] = [
    "imgshare_cli",
    "imgshare_core",
    "imgshare_ncloud",
    "imgshare_scp",
    "imgshare_tencent",
];

fn main() -> ExitCode {
    // Bad arguments: clap prints its usage message and exits with status 2 (0 for --help).
    let cli = Cli::parse();
    init_tracing(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            return Failure::Other(EXIT_OTHER, format!("cannot start the async runtime: {e}"))
                .report();
        }
    };
    match runtime.block_on(run(&cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report_as(cli.output),
    }
}

async fn run(cli: &Cli) -> Result<(), Failure> {
    match &cli.provider {
        Provider::Tencent { options, command } => tencent::run(cli, options, command).await,
        Provider::Ncloud { command } => ncloud::run(cli, command).await,
        Provider::Scp { options, command } => scp::run(cli, options, command).await,
    }
}

/// Logs to stderr: with `-v`, at debug (`-vv`: trace) for the imgshare crates unless `RUST_LOG`
/// says otherwise; without `-v`, only when `RUST_LOG` is set.
fn init_tracing(verbose: u8) {
    let from_env = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.is_empty())
        .and_then(|v| EnvFilter::try_new(v).ok());
    let filter = match (from_env, verbose) {
        (Some(filter), _) => filter,
        (None, 0) => return,
        (None, n) => {
            let level = if n == 1 { "debug" } else { "trace" };
            let directives: Vec<String> = VERBOSE_CRATES
                .iter()
                .map(|c| format!("{c}={level}"))
                .collect();
            EnvFilter::new(format!("warn,{}", directives.join(",")))
        }
    };
    // Fails only if a subscriber is already installed, which cannot happen here.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
