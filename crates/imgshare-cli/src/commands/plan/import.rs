//! `imgshare plan import`: a plan written from the live shares (`imgshare::plan::import`), to
//! stdout or a file that is never overwritten unless asked.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

use clap::Args as ClapArgs;
use imgshare::plan::{ImportOptions, Mode};

use crate::commands::inventory::providers;
use crate::context::Context;
use crate::failure::{Class, Failure};
use crate::output;

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
        return Err(Failure::usage(format!(
            "{file} exists: pass --force to overwrite it"
        )));
    }
    let (specs, connected) = providers(context, args.plan.as_deref()).await?;
    let mut options = ImportOptions::default().images(args.images);
    options.mode = args.mode;
    options.concurrency = usize::from(args.concurrency);
    let imported = imgshare::plan::import(&specs, &connected, &options).await?;
    if let Some(file) = &args.out {
        let text = imported.text.as_bytes();
        // Without --force, a file that appeared since the check above is not overwritten either.
        let written = match args.force {
            true => std::fs::write(file, text),
            false => File::create_new(file).and_then(|mut f| f.write_all(text)),
        };
        let file = file.display();
        written.map_err(|e| Failure::new(Class::Other, format!("cannot write {file}: {e}")))?;
    }
    context.print(output::imported(&imported, args.out.as_deref()))?;
    let left: Vec<String> = (imported.failed.iter())
        .map(|(provider, image, why)| format!("{provider} {image} ({why})"))
        .collect();
    let message = format!("left out {} image(s): {}", left.len(), left.join("; "));
    Failure::service_if_any(left.len(), message)
}
