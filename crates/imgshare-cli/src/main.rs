//! `imgshare`: share VM images between cloud accounts on Tencent Cloud, NAVER Cloud and Samsung
//! Cloud Platform from the command line. The fake clouds for tests are the `imgshare-fake`
//! binary, so this one carries no test server.
//!
//! See `docs/CLI.md` or `imgshare --help` for the commands, output shapes and exit statuses.

mod cli;
mod commands;
mod context;
mod failure;
mod output;

use std::process::ExitCode;

use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::cli::{Cli, Command};
use crate::commands::{inventory, ncloud, plan, scp, tencent};
use crate::failure::{Class, Failure};

fn main() -> ExitCode {
    // Bad arguments: clap prints its usage message and exits with status 2 (0 for --help).
    let Cli { context, command } = Cli::parse_args();
    init_tracing(context.verbose);
    let runtime = tokio::runtime::Runtime::new();
    let runtime = runtime
        .map_err(|e| Failure::new(Class::Other, format!("cannot start the async runtime: {e}")));
    // The one dispatch: each command gets its own arguments and the context, never the parser.
    let result = runtime.and_then(|runtime| {
        runtime.block_on(async {
            match command {
                Command::Tencent(args) => tencent::exec(&context, args).await,
                Command::Ncloud(args) => ncloud::exec(&context, args).await,
                Command::Scp(args) => scp::exec(&context, args).await,
                Command::Plan(args) => plan::exec(&context, args).await,
                Command::Inventory(args) => inventory::exec(&context, args).await,
            }
        })
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report_as(context.output),
    }
}

/// Logs to stderr: with `-v`, at debug (`-vv`: trace) for the imgshare crates (every target
/// starting with `imgshare`) unless `RUST_LOG` says otherwise; without `-v`, only when
/// `RUST_LOG` is set. `RUST_LOG` takes `level` and `target=level` directives
/// (`warn,imgshare_core=debug`): tracing-subscriber's `Targets`, which needs no regex engine,
/// rather than `EnvFilter` and its span and field filters.
fn init_tracing(verbose: u8) {
    let from_env = std::env::var("RUST_LOG").ok().filter(|v| !v.is_empty());
    let filter = match from_env.and_then(|v| v.parse::<Targets>().ok()) {
        Some(filter) => filter,
        None if verbose == 0 => return,
        None => {
            let level = [Level::DEBUG, Level::TRACE][usize::from(verbose > 1)];
            let quiet = Targets::new().with_default(Level::WARN);
            quiet.with_target("imgshare", level)
        }
    };
    // A bare registry: `fmt()`'s subscriber caps events at INFO before any layer's filter is
    // asked, so `-v` and `RUST_LOG=debug` printed nothing. Here `filter` alone decides.
    // Fails only if a subscriber is already installed, which cannot happen here.
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .try_init();
}
