//! `imgshare plan diff|apply FILE` and `plan import`: sharing plans (see `docs/PLANS.md`).

mod import;

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args as ClapArgs, Subcommand};
use imgshare::plan::{ApplyOptions, Journal, Plan};
use imgshare::sharing::WaitOptions;
use indicatif::{ProgressBar, ProgressStyle};

use crate::context::{Context, duration};
use crate::failure::{Class, Failure};
use crate::output::{self, announce, screen};

/// `imgshare plan <command>`.
#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// Plan commands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Show what `plan apply` would change (reads only): per image the changes, the accounts an
    /// at-least image leaves alone, expired and soon expiring shares, whether it is shareable;
    /// then the `[[answers]]`. Exit status 3 if shares or answers cannot be read.
    Diff(PlanArgs),
    /// Make every image's shares the plan's accounts (exactly, or at least). On a terminal,
    /// shows the diff and asks first unless --yes; without a terminal, --yes is required. Exit
    /// status 3 when any change failed or stayed unconfirmed (the report says which), 2 for a
    /// malformed or refused plan, 1 when the journal could not be written.
    Apply(ApplyArgs),
    /// Write a plan (TOML, no secrets) from the live shares of the given images, or of every
    /// shared image the providers list. Exit status 3 when an image was left out (the plan is
    /// still written; the error names each image and why).
    Import(import::Args),
}

/// `FILE` and `--concurrency`.
#[derive(Debug, Default, ClapArgs)]
struct PlanArgs {
    /// The plan (TOML).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Images worked on at once (the per-provider rate limits apply whatever this is).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,
}

/// `plan apply`'s flags.
#[derive(Debug, Default, ClapArgs)]
struct ApplyArgs {
    /// The plan and concurrency.
    #[command(flatten)]
    plan: PlanArgs,
    /// Show the diff and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Apply without asking.
    #[arg(long, short = 'y')]
    yes: bool,
    /// Let images with `accounts = []` lose every share even without `remove_all = true`.
    #[arg(long)]
    allow_remove_all: bool,
    /// Append one JSON line per share, unshare or answer call (outcome, request id) to FILE.
    #[arg(long, value_name = "FILE")]
    journal: Option<PathBuf>,
    /// Wait up to DURATION (90s, 5m, 1h) for each image to become shareable before changing it.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    wait_ready: Option<Duration>,
    /// After changing an image, read its shares again for up to DURATION until the change
    /// shows; a change never shown is reported as not confirmed (exit status 3).
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    confirm: Option<Duration>,
}

/// Runs `imgshare plan ...`; `plan diff` is `plan apply --dry-run`.
pub(crate) async fn exec(context: &Context, args: Args) -> Result<(), Failure> {
    let args = match args.command {
        Command::Diff(plan) => ApplyArgs {
            plan,
            dry_run: true,
            ..ApplyArgs::default()
        },
        Command::Apply(args) => args,
        Command::Import(args) => return import::exec(context, args).await,
    };
    let plan = Plan::from_file(&args.plan.file)?;
    // Images that would lose every share are refused by Plan::apply, before any call.
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !args.yes && !args.dry_run && !interactive {
        let message = "plan apply changes shares and there is no terminal to ask on: pass --yes \
                       to apply, or --dry-run (or `plan diff`) to see what would change";
        return Err(Failure::usage(message));
    }
    let connected = plan.connect_with(&context.overrides()).await?;
    announce(connected.targets());
    let concurrency = usize::from(args.plan.concurrency);
    if args.dry_run || !args.yes {
        let diff = plan.preview(&connected, concurrency).await?;
        if args.dry_run {
            context.print(output::diff(&diff))?;
            let bad = diff.unreadable();
            let message = format!("the shares of {bad} image(s) or answer(s) could not be read");
            return Failure::service_if_any(bad, message);
        }
        eprint!("{}", output::diff(&diff).1);
        if !diff.changes() {
            eprintln!("nothing to change");
        }
        eprint!("apply these changes? [y/N] ");
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
            return Err(Failure::usage("not applied: the answer was not yes"));
        }
    }
    let mut options = ApplyOptions::default()
        .concurrency(concurrency)
        .allow_remove_all(args.allow_remove_all);
    if let Some(file) = &args.journal {
        let journal = Journal::append(file).map_err(|e| Failure::new(Class::Other, e.to_string()));
        options = options.journal(journal?);
    }
    options.wait_ready = args.wait_ready.map(WaitOptions::within);
    options.confirm = args.confirm.map(WaitOptions::within);
    // Drawn on stderr only when it is a terminal (indicatif hides it otherwise).
    let style = ProgressStyle::with_template("{bar:30} {pos}/{len} images {msg}");
    let bar = ProgressBar::new(plan.images().len() as u64)
        .with_style(style.unwrap_or_else(|_| ProgressStyle::default_bar()));
    let tick = bar.clone();
    options = options.progress(Arc::new(move |r| {
        tick.set_message(screen(&format!("{} {}", r.provider, r.image)).into_owned());
        tick.inc(1);
    }));
    let report = plan.apply(&connected, &options).await;
    bar.finish_and_clear();
    let report = report?;
    context.print(output::report(&report))?;
    let bad = report.incomplete();
    let message = format!("{bad} image(s) or answer(s) did not reach the desired state");
    Failure::service_if_any(bad, message + " (see the report)")?;
    match report.journal_error {
        Some(e) => Err(Failure::new(Class::Other, e)),
        None => Ok(()),
    }
}
