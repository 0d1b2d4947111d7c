//! `imgshare plan diff|apply FILE`: sharing plans (see `docs/PLANS.md`).

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;

use clap::{Args as ClapArgs, Subcommand};
use imgshare::plan::{ApplyOptions, Connected, ImageDiff, Plan, PlanError};

use crate::context::Context;
use crate::failure::{EXIT_SERVICE, EXIT_USAGE, Failure};
use crate::output::{self, OutputFormat, announce, emit, screen};

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
    /// Show what `plan apply` would change (reads only). Exit status 3 if an image's shares
    /// cannot be read.
    Diff(PlanArgs),
    /// Make every image's shares exactly the plan's accounts. On a terminal, shows the diff and
    /// asks first unless --yes; without a terminal, --yes is required. Exit status 3 when any
    /// change failed (the report says which), 2 for a malformed or refused plan.
    Apply(ApplyArgs),
}

/// `FILE` and `--concurrency`.
#[derive(Debug, ClapArgs)]
struct PlanArgs {
    /// The plan (TOML).
    #[arg(value_name = "FILE")]
    file: std::path::PathBuf,
    /// Images worked on at once (the per-provider rate limits apply whatever this is).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,
}

/// `plan apply`'s flags.
#[derive(Debug, ClapArgs)]
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
}

pub(crate) fn plan_failure(e: PlanError) -> Failure {
    match e {
        PlanError::Connect(e) => Failure::from(e),
        e => Failure::Other(EXIT_USAGE, e.to_string()),
    }
}

/// Connects the plan's providers under the command line's settings, and says where they send.
pub(crate) async fn connect(context: &Context, plan: &Plan) -> Result<Connected, Failure> {
    let connected = plan
        .connect_with(&context.overrides())
        .await
        .map_err(plan_failure)?;
    announce(connected.targets());
    Ok(connected)
}

/// Runs `imgshare plan ...`.
pub(crate) async fn exec(context: &Context, args: Args) -> Result<(), Failure> {
    match args.command {
        Command::Diff(args) => {
            let plan = Plan::from_file(&args.file).map_err(plan_failure)?;
            let connected = connect(context, &plan).await?;
            let diff = plan
                .diff(&connected, usize::from(args.concurrency))
                .await
                .map_err(plan_failure)?;
            emit(&output::diff(context.output, &diff), context.output)?;
            unreadable(&diff)
        }
        Command::Apply(args) => apply(context, &args).await,
    }
}

fn unreadable(diff: &[ImageDiff]) -> Result<(), Failure> {
    let bad = diff.iter().filter(|d| d.error.is_some()).count();
    if bad > 0 {
        return Err(Failure::Other(
            EXIT_SERVICE,
            format!("the shares of {bad} image(s) could not be read"),
        ));
    }
    Ok(())
}

async fn apply(context: &Context, args: &ApplyArgs) -> Result<(), Failure> {
    let plan = Plan::from_file(&args.plan.file).map_err(plan_failure)?;
    let unguarded = plan.unguarded_removals();
    if !args.allow_remove_all && !unguarded.is_empty() {
        // Refused before any call, as Plan::apply would.
        let list: Vec<String> = unguarded
            .iter()
            .map(|i| format!("{}/{} (line {})", i.provider, i.image, i.line))
            .collect();
        return Err(Failure::Usage(format!(
            "refused: {} would lose every share; say `remove_all = true` on the image or pass \
             --allow-remove-all",
            list.join(", ")
        )));
    }
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !args.yes && !args.dry_run && !interactive {
        return Err(Failure::Usage(
            "plan apply changes shares and there is no terminal to ask on: pass --yes to apply, \
             or --dry-run (or `plan diff`) to see what would change"
                .to_owned(),
        ));
    }
    let connected = connect(context, &plan).await?;
    let concurrency = usize::from(args.plan.concurrency);
    if args.dry_run || !args.yes {
        let diff = plan
            .diff(&connected, concurrency)
            .await
            .map_err(plan_failure)?;
        if args.dry_run {
            emit(&output::diff(context.output, &diff), context.output)?;
            return unreadable(&diff);
        }
        eprint!("{}", output::diff(OutputFormat::Text, &diff));
        if !diff.iter().any(ImageDiff::changes) {
            eprintln!("nothing to change");
        }
        eprint!("apply these changes? [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
            return Err(Failure::Usage("not applied: the answer was not yes".into()));
        }
    }
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(plan.images().len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} images {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let mut options = ApplyOptions::default()
        .concurrency(concurrency)
        .allow_remove_all(args.allow_remove_all);
    if let Some(bar) = &bar {
        let bar = bar.clone();
        options = options.progress(Arc::new(move |r| {
            bar.set_message(screen(&format!("{} {}", r.provider, r.image)).into_owned());
            bar.inc(1);
        }));
    }
    let report = plan
        .apply(&connected, &options)
        .await
        .map_err(plan_failure)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    emit(&output::report(context.output, &report), context.output)?;
    if report.is_complete() {
        Ok(())
    } else {
        let bad = report.images.iter().filter(|i| !i.is_complete()).count();
        Err(Failure::Other(
            EXIT_SERVICE,
            format!("{bad} image(s) did not reach the desired state (see the report)"),
        ))
    }
}
