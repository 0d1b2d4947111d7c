//! `imgshare plan import`: a plan written from the live shares (`imgshare::plan::import`), to
//! stdout or a file that is never overwritten unless asked.

use std::io::Write;
use std::path::PathBuf;

use clap::Args as ClapArgs;
use imgshare::plan::{ImportOptions, Mode};

use super::{plan_failure, service_failure};
use crate::commands::inventory::providers;
use crate::context::Context;
use crate::failure::{EXIT_OTHER, Failure};
use crate::output::{self, emit};

/// `plan import` flags.
#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// An image to import, as PROVIDER:IMAGE (PROVIDER: the plan's entry name, or tencent,
    /// ncloud, scp); repeat for more. Without it: every image the providers list that is shared.
    #[arg(long = "image", value_name = "PROVIDER:IMAGE", value_parser = provider_image)]
    images: Vec<(String, String)>,
    /// The providers (and where their keys come from) of this plan; its images are not read.
    /// Without it: each provider whose environment is set, as `inventory` does.
    #[arg(long, value_name = "FILE")]
    plan: Option<PathBuf>,
    /// The mode written for every image (default: each provider entry's own, exact).
    #[arg(long)]
    mode: Option<Mode>,
    /// Write the plan to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
    /// Overwrite --out FILE if it exists.
    #[arg(long, requires = "out")]
    force: bool,
    /// Images read at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,
}

fn provider_image(text: &str) -> Result<(String, String), String> {
    match text.rsplit_once(':') {
        Some((p, i)) if !p.is_empty() && !i.is_empty() => Ok((p.to_owned(), i.to_owned())),
        _ => Err(format!(
            "{text:?}: give PROVIDER:IMAGE, e.g. tencent:img-abcd1234"
        )),
    }
}

/// Runs `imgshare plan import`.
pub(super) async fn exec(context: &Context, args: Args) -> Result<(), Failure> {
    if let Some(file) = args.out.as_ref().filter(|f| f.exists() && !args.force) {
        let file = file.display();
        return Err(Failure::Usage(format!(
            "{file} exists: pass --force to overwrite it"
        )));
    }
    let (specs, connected) = providers(context, args.plan.as_deref()).await?;
    let mut options = ImportOptions::default().images(args.images);
    options.mode = args.mode;
    options.concurrency = usize::from(args.concurrency);
    let imported = imgshare::plan::import(&specs, &connected, &options)
        .await
        .map_err(plan_failure)?;
    if let Some(file) = &args.out {
        let mut open = std::fs::OpenOptions::new();
        // create_new: a file that appeared since the check above is not overwritten either.
        open.write(true)
            .truncate(true)
            .create(true)
            .create_new(!args.force);
        open.open(file)
            .and_then(|mut f| f.write_all(imported.text.as_bytes()))
            .map_err(|e| {
                let message = format!("cannot write {}: {e}", file.display());
                Failure::Other(EXIT_OTHER, message)
            })?;
    }
    let text = output::imported(context.output, &imported, args.out.as_deref());
    emit(&text, context.output)?;
    let left: Vec<String> = (imported.failed.iter())
        .map(|(provider, image, why)| format!("{provider} {image} ({why})"))
        .collect();
    let message = format!("left out {} image(s): {}", left.len(), left.join("; "));
    service_failure(left.len(), message)
}
