//! `imgshare ncloud ...`: share, unshare, list and images through the facade, for the three
//! API families (`--api server-image|member-image|classic`); `set`, which only the
//! member-image and Classic families have.

use clap::{Args as ClapArgs, Subcommand};
use imgshare::plan::{NcloudApi, ProviderKind, ProviderSpec};

use super::{ShareArgs, Sharing, announced};
use crate::context::Context;
use crate::failure::Failure;
use crate::output;

/// `imgshare ncloud [--api FAMILY] <command>`.
#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// The API family: server-image (default; VPC server images, `serverImageNo`, XEN and
    /// KVM), member-image (VPC member server image instances, `memberServerImageInstanceNo`; XEN
    /// only) or classic (Classic member server images, `memberServerImageNo`).
    #[arg(long, global = true, default_value_t = NcloudApi::ServerImage)]
    api: NcloudApi,

    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// NCP commands.
#[derive(Debug, Subcommand)]
enum Command {
    #[command(flatten)]
    Sharing(Sharing),
    /// Replace the accounts an image is shared with (member-image and classic only).
    Set(ShareArgs),
    /// List the images of one API family (all pages).
    Images,
}

/// Runs one ncloud command.
pub(crate) async fn exec(context: &Context, args: Args) -> Result<(), Failure> {
    let mut spec = ProviderSpec::new("ncloud", ProviderKind::Ncloud);
    spec.ncloud_api = args.api;
    let sharing = announced(imgshare::connect::sharing(&spec, &context.overrides()).await?);
    let set = match args.command {
        Command::Sharing(command) => return super::exec(context, sharing.as_ref(), command).await,
        Command::Images => {
            let images = sharing.list_images().await?;
            return context.print(output::owned_images(&images));
        }
        Command::Set(set) => set,
    };
    // The server-image family has no set call: the facade refuses before sending.
    let (image, accounts) = (&set.image.image, &set.accounts);
    sharing.set_shares(image, accounts).await?;
    let summary = format!("set the shares of {image} to {}", accounts.join(", "));
    let shares = sharing
        .list_shares(image)
        .await
        .map_err(|e| Failure::from(e).after(&summary, "listing the shares"))?;
    let fields = serde_json::json!({"action": "set", "accounts": accounts});
    let head = Some((summary, fields));
    context.print(output::listing(sharing.provider(), image, &shares, head))
}
