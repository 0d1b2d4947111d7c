//! The command line, declared with clap's derive API: the global flags (the commands'
//! [`Context`]) and the commands, each command's arguments in its own module. Only `main`
//! dispatches.

use clap::{Command as Clap, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::commands::{inventory, ncloud, plan, scp, tencent};
use crate::context::Context;

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
    long_about = include_str!("help/about.txt"),
    after_long_help = AFTER_LONG_HELP
)]
pub(crate) struct Cli {
    /// The flags every command takes.
    #[command(flatten)]
    pub(crate) context: Context,
    /// The command.
    #[command(subcommand)]
    pub(crate) command: Command,
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
