//! The commands. Each module holds a command's arguments and an `exec` that makes one call
//! into the library and hands the result to `output`; this one holds what share, unshare and
//! list do the same way on every cloud, through the facade.

pub(crate) mod inventory;
pub(crate) mod ncloud;
pub(crate) mod plan;
pub(crate) mod scp;
pub(crate) mod tencent;

use clap::{Args, Subcommand};
use imgshare::connect::Connection;
use imgshare::sharing::{ShareOutcome, share_accounts, unshare_accounts};
use imgshare::{ImageSharing, Share};

use crate::context::Context;
use crate::failure::Failure;
use crate::output::{self, announce};

/// `--image`.
#[derive(Debug, Args)]
pub(crate) struct ImageArg {
    /// The image: tencent `img-` and 8 lowercase letters or digits, ncloud the image number,
    /// scp a UUID.
    #[arg(long, alias = "image-id", alias = "image-no", value_name = "IMAGE")]
    pub(crate) image: String,
}

/// `--image` and `--account`.
#[derive(Debug, Args)]
pub(crate) struct ShareArgs {
    /// The image.
    #[command(flatten)]
    pub(crate) image: ImageArg,

    /// An account (tencent: numeric root account id; ncloud: login id; scp: account id);
    /// repeat the flag, give several values, or separate with commas. Each at most once.
    #[arg(
        long = "account",
        alias = "accounts",
        value_name = "ACCOUNT",
        required = true,
        num_args = 1..,
        value_delimiter = ','
    )]
    pub(crate) accounts: Vec<String>,
}

/// The sharing commands every provider has, the same way.
#[derive(Debug, Subcommand)]
pub(crate) enum Sharing {
    /// Share an image with accounts, then print whom it is shared with. Safe to re-run:
    /// accounts that already have it are reported as such, and the status is still 0.
    Share(ShareArgs),
    /// Stop sharing an image with accounts, then print whom it is still shared with. Safe to
    /// re-run: accounts it is not shared with are reported as such, and the status is still 0.
    Unshare(ShareArgs),
    /// Print the accounts an image is shared with.
    List(ImageArg),
}

/// The client of `connection`, once stderr has said where it sends (when not the default).
pub(crate) fn announced<C>(connection: Connection<C>) -> C {
    announce([&connection.target]);
    connection.client
}

/// Runs a sharing command on `sharing` and prints its outcome (share and unshare: safe to
/// re-run, see `imgshare::sharing::share_accounts`).
pub(crate) async fn exec(
    context: &Context,
    sharing: &dyn ImageSharing,
    command: Sharing,
) -> Result<(), Failure> {
    let provider = sharing.provider();
    let (adding, args) = match command {
        Sharing::List(ImageArg { image }) => {
            let shares = sharing.list_shares(&image).await?;
            return context.print(output::listing(provider, &image, &shares, None));
        }
        Sharing::Share(args) => (true, args),
        Sharing::Unshare(args) => (false, args),
    };
    let (image, accounts) = (&args.image.image, &args.accounts);
    let (action, mut outcome) = match adding {
        true => ("share", share_accounts(sharing, image, accounts).await?),
        false => ("unshare", unshare_accounts(sharing, image, accounts).await?),
    };
    let shares = settle(&mut outcome)?;
    context.print(output::outcome(provider, action, &outcome, &shares))
}

/// The shares after a change, or the failure: the calls that failed, or the listing after
/// them, saying what was applied first (the outcome's line).
fn settle(outcome: &mut ShareOutcome) -> Result<Vec<Share>, Failure> {
    let summary = outcome.to_string();
    let undone = outcome.failed_accounts().collect::<Vec<_>>().join(", ");
    if let Some(first) = std::mem::take(&mut outcome.failed).into_iter().next() {
        let un = if first.sharing { "" } else { "un" };
        let failure = Failure::from(first.error);
        return Err(match outcome.changed() {
            true => failure.after(&summary, &format!("{un}sharing with {undone}")),
            false => failure,
        });
    }
    std::mem::replace(&mut outcome.shares, Ok(Vec::new()))
        .map_err(|e| Failure::from(e).after(&summary, "listing the shares"))
}
