//! `imgshare scp ...`: share, unshare and list through the facade; what only SCP has: an
//! image's visibility (`--make-shared`, `images --visibility`) and the recipient's side
//! (`pending`, `accept`, `reject`).

use clap::{Args as ClapArgs, Subcommand};
use imgshare::plan::{ProviderKind, ProviderSpec};
use imgshare_scp::Visibility;

use super::{Sharing, announced};
use crate::context::Context;
use crate::failure::Failure;
use crate::output;

/// `imgshare scp [--api-version V] [--environment E] [--make-shared] <command>`.
#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// The virtualserver API version sent in Scp-Api-Version: 1.3 (default) or 1.2
    /// (SCP_API_VERSION also works). 1.0 and 1.1 are retired and refused.
    #[arg(long, global = true, value_name = "VERSION")]
    api_version: Option<String>,

    /// The SCP environment: s, g or e (default e, or SCP_ENVIRONMENT). Chooses the host
    /// virtualserver.<region>.<environment>.samsungsdscloud.com.
    #[arg(long, global = true, value_name = "ENV")]
    environment: Option<String>,

    /// share only: set the image's visibility to shared first (SCP adds members only to
    /// shared images; without this flag a private image is reported, never switched).
    #[arg(long, global = true)]
    make_shared: bool,

    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// Samsung Cloud Platform v2 commands.
#[derive(Debug, Subcommand)]
enum Command {
    #[command(flatten)]
    Sharing(Sharing),
    /// Accept a share (as the recipient, with the recipient's credentials).
    Accept(AnswerArgs),
    /// Reject a share (as the recipient, with the recipient's credentials).
    Reject(AnswerArgs),
    /// List images shared with you that you have not accepted or rejected yet.
    Pending,
    /// List images (all pages).
    Images {
        /// Only images of this visibility: private (only inside the owning account), shared
        /// (shareable with other accounts, and those shared with you that you accepted), public
        /// or community.
        #[arg(long, value_parser = ["private", "shared", "public", "community"])]
        visibility: Option<String>,
    },
}

/// `--image` and the recipient's own account id.
#[derive(Debug, ClapArgs)]
struct AnswerArgs {
    /// The image id, a UUID.
    #[arg(long, alias = "image-id", value_name = "IMAGE_ID")]
    image: String,

    /// Your own account id (the member id); default SCP_ACCOUNT_ID, SCP_TF_ACCOUNT_ID or
    /// account-id in ~/.scpconf/config.json.
    #[arg(long, value_name = "ACCOUNT_ID")]
    account: Option<String>,
}

/// Runs one scp command.
pub(crate) async fn exec(context: &Context, args: Args) -> Result<(), Failure> {
    let mut overrides = context.overrides();
    overrides.api_version = args.api_version;
    overrides.environment = args.environment;
    if let Command::Accept(a) | Command::Reject(a) = &args.command {
        overrides.account_id = a.account.clone();
    }
    if args.make_shared && !matches!(args.command, Command::Sharing(Sharing::Share(_))) {
        return Err(Failure::usage("--make-shared goes with `scp share` only"));
    }
    let spec = ProviderSpec::new("scp", ProviderKind::Scp);
    let client = announced(imgshare::connect::scp(&spec, &overrides).await?);
    let member = match args.command {
        Command::Sharing(Sharing::Share(share)) if args.make_shared => {
            let image = share.image.image.clone();
            let update = client.update_image().image_id(&image);
            update.visibility(Visibility::Shared).send().await?;
            let done = format!("set {image}'s visibility to shared");
            let shared = super::exec(context, &client, Sharing::Share(share)).await;
            return shared.map_err(|f| f.after(&done, "sharing"));
        }
        Command::Sharing(command) => return super::exec(context, &client, command).await,
        Command::Accept(a) => client.accept_share(&a.image).await?,
        Command::Reject(a) => client.reject_share(&a.image).await?,
        Command::Pending => {
            let pending = client.list_pending_images().send().await?;
            return context.print(output::scp_images(&pending.images));
        }
        Command::Images { visibility } => {
            let request = client
                .list_images()
                .set_visibility(visibility.map(Visibility::from));
            let images = request.into_paginator().collect_all().await?;
            return context.print(output::scp_images(&images));
        }
    };
    context.print(output::scp_answer(&member))
}
