//! `imgshare inventory`: every configured provider's owned images and whom they are shared
//! with, through the facade.

use std::path::Path;

use clap::Args as ClapArgs;
use imgshare::plan::{Connected, Plan, ProviderSpec, inventory, shared_with_me};

use crate::context::Context;
use crate::failure::Failure;
use crate::output::{self, OutputFormat, TextLayout, announce};

/// `imgshare inventory` flags.
#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// The providers of this plan (its images are not needed). Without it: each provider whose
    /// environment is set (TENCENTCLOUD_REGION; NCLOUD_ACCESS_KEY_ID; SCP_ACCESS_KEY).
    #[arg(long, value_name = "FILE")]
    plan: Option<std::path::PathBuf>,
    /// Text layout (default table); not with --output json.
    #[arg(long, value_enum)]
    format: Option<TextLayout>,
    /// The images other accounts shared with each provider's account instead (NAVER Cloud
    /// documents no such listing: its row says so, and the exit status stays 0).
    #[arg(long)]
    shared_with_me: bool,
}

/// The providers of the plan `file`, or of the environment, connected (nothing is sent yet).
pub(crate) async fn providers(
    context: &Context,
    file: Option<&Path>,
) -> Result<(Vec<ProviderSpec>, Connected), Failure> {
    let specs = match file {
        Some(file) => Plan::from_file(file)?.providers().cloned().collect(),
        None => imgshare::connect::providers_from_env(),
    };
    if specs.is_empty() {
        return Err(Failure::usage(
            "no provider configured: pass --plan FILE, or set TENCENTCLOUD_REGION, \
             NCLOUD_ACCESS_KEY_ID or SCP_ACCESS_KEY",
        ));
    }
    let connected = imgshare::connect::connect_all(&specs, &context.overrides()).await?;
    announce(connected.targets());
    Ok((specs, connected))
}

/// Runs `imgshare inventory`.
pub(crate) async fn exec(context: &Context, args: Args) -> Result<(), Failure> {
    if context.output == OutputFormat::Json && args.format.is_some() {
        return Err(Failure::usage(
            "--format and --output json conflict: choose one",
        ));
    }
    let (_, connected) = providers(context, args.plan.as_deref()).await?;
    let layout = args.format.unwrap_or(TextLayout::Table);
    let failed = if args.shared_with_me {
        let lists = shared_with_me(&connected, 4).await;
        context.print(output::shared_with_me(layout, &lists))?;
        lists.iter().filter(|l| l.failed()).count()
    } else {
        let rows = inventory(&connected, 4).await;
        context.print(output::inventory(layout, &rows))?;
        rows.iter().filter(|r| r.error.is_some()).count()
    };
    let message = format!("{failed} listing(s) failed (see the inventory)");
    Failure::service_if_any(failed, message)
}
