//! The command line, declared with clap's derive API: the global flags and the commands, each
//! command's arguments in its own module. Only `main` dispatches.

use std::time::Duration;

use clap::{ArgAction, Args, Command as Clap, CommandFactory, FromArgMatches, Parser, Subcommand};
use imgshare::connect::Overrides;
use imgshare_core::{RetryConfig, TimeoutConfig};

use crate::commands::{inventory, ncloud, plan, scp, tencent};
use crate::context::Context;
use crate::output::OutputFormat;

/// Under `--help` (not `-h`): where each cloud's credentials and settings come from, and how to
/// read the exit status.
const AFTER_LONG_HELP: &str = concat!(
    include_str!("help/credentials.txt"),
    "\n",
    include_str!("help/exit-status.txt")
);

/// Under every command's help: the exit statuses and the limits every request runs under.
const AFTER_HELP: &str = include_str!("help/exit-status.txt");

/// Share VM images between accounts on Tencent Cloud, NAVER Cloud and Samsung Cloud Platform.
#[derive(Debug, Parser)]
#[command(
    name = "imgshare",
    version,
    about = "Share VM images between cloud accounts on Tencent Cloud, NAVER Cloud and Samsung Cloud Platform",
    long_about = "Share VM images between cloud accounts on Tencent Cloud, NAVER Cloud and Samsung \
                  Cloud Platform. A local fake of all three, for tests, is the separate \
                  `imgshare-fake` binary.\n\n\
                  Output goes to stdout (text, or one JSON document with --output json); \
                  errors go to stderr as a single line, with the exit status telling their class \
                  (see below).",
    after_long_help = AFTER_LONG_HELP
)]
pub(crate) struct Cli {
    /// The flags every command takes.
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The flags every command takes, before or after the command's name.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Send every provider's requests to this URL (e.g. http://127.0.0.1:PORT printed by
    /// `imgshare-fake serve`); beats a plan's `endpoint` and IMGSHARE_ENDPOINT.
    // Not clap's `env`: the resolver reads IMGSHARE_ENDPOINT itself, so it can tell the two
    // apart in the `sending to` line and treat an empty variable as the flag.
    #[arg(long, global = true, value_name = "URL")]
    endpoint: Option<String>,

    /// The region: tencent ap-guangzhou (else TENCENTCLOUD_REGION; required), ncloud KR (else
    /// NCLOUD_REGION), scp kr-west1 (else SCP_REGION). Each provider reads only its own
    /// variable; with plan and inventory, it beats every entry's region.
    #[arg(long, global = true, value_name = "REGION")]
    region: Option<String>,

    /// Connect directly, ignoring HTTP_PROXY, HTTPS_PROXY and ALL_PROXY (which are honoured
    /// otherwise, with NO_PROXY's exceptions). Metadata services never use a proxy.
    #[arg(long, global = true)]
    no_proxy: bool,

    /// Give up on each operation after this many seconds, retries included (default 180;
    /// each attempt at most 60).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = seconds)]
    timeout: Option<Duration>,

    /// Retry retryable failures (throttling, transient network errors) this many times
    /// (default 2; 0 disables retries). Shares are never retried once they may have arrived.
    #[arg(long, global = true, value_name = "N")]
    retries: Option<u32>,

    /// Output format: human-readable text, or one JSON document.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) output: OutputFormat,

    /// Log to stderr: -v each attempt, its status, backoff and retry decision; -vv also each
    /// request line (method and URL). RUST_LOG (`debug`, `imgshare_core=trace`) replaces the
    /// filter. Never a key, token or signature.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub(crate) verbose: u8,
}

fn seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs <= 86_400.0 => Ok(Duration::from_secs_f64(secs)),
        Ok(_) => Err("must be more than 0 and at most 86400 seconds".to_owned()),
        Err(_) => Err(format!("{text:?} is not a number of seconds")),
    }
}

impl GlobalArgs {
    /// What commands get of the global flags.
    pub(crate) fn context(&self) -> Context {
        let mut overrides = Overrides::default();
        overrides.endpoint = self.endpoint.clone();
        overrides.region = self.region.clone();
        overrides.no_proxy = self.no_proxy;
        overrides.timeouts = self.timeout.map(|limit| {
            TimeoutConfig::default()
                .with_operation(Some(limit))
                .with_attempt(Some(limit.min(Duration::from_secs(60))))
        });
        overrides.retry = self
            .retries
            .map(|n| RetryConfig::standard().with_max_attempts(n.saturating_add(1)));
        Context {
            output: self.output,
            overrides,
        }
    }
}

/// The commands: one per cloud, then those across clouds.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Tencent Cloud CVM (API 2017-03-12).
    Tencent(tencent::Args),
    /// NAVER Cloud Platform server images (VPC server images, VPC member images, Classic).
    Ncloud(ncloud::Args),
    /// Samsung Cloud Platform v2 virtualserver images (image members between accounts).
    Scp(scp::Args),
    /// Sharing plans (TOML): `plan diff FILE`, `plan apply FILE` (see docs/PLANS.md).
    Plan(plan::Args),
    /// Every configured provider's owned images and the accounts they are shared with.
    Inventory(inventory::Args),
}

/// `command` with [`AFTER_HELP`] under the help of each subcommand, at every depth.
fn with_exit_statuses(command: Clap) -> Clap {
    command
        .mut_subcommands(with_exit_statuses)
        .after_help(AFTER_HELP)
}

impl Cli {
    /// Parses the process's arguments (clap's usage errors and `--help` exit here).
    pub(crate) fn parse_args() -> Self {
        let matches = Cli::command()
            .mut_subcommands(with_exit_statuses)
            .get_matches();
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Fails if a subcommand's help leaves out the exit statuses or the default timeouts.
    #[test]
    fn every_command_states_exit_statuses_and_timeouts() {
        fn walk(command: &clap::Command, path: &str) {
            for sub in command.get_subcommands() {
                let path = format!("{path} {}", sub.get_name());
                let help = sub.get_after_help().map(ToString::to_string);
                let help = help.unwrap_or_default();
                for needle in ["60 s", "180 s", "3  service error"] {
                    assert!(help.contains(needle), "{path}: {help}");
                }
                walk(sub, &path);
            }
        }
        let command = Cli::command().mut_subcommands(super::with_exit_statuses);
        walk(&command, "imgshare");
    }
}
