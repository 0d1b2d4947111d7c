//! Sharing that is safe to repeat: `ModifyImageSharePermission` has no client token, so a share
//! whose answer was lost (timeout, dropped connection) is not retried automatically, and
//! repeating it by hand answers `FailedOperation.AccountAlreadyExists` for the whole call.
//! [`Client::share_image_with`] runs core's [`share_missing`] on that answer: it reads the shares
//! back and shares only what is missing, so running it again after an unknown outcome is
//! harmless.

use imgshare_core::share::share_missing;

use crate::ErrorMetadata as _;
use crate::client::Client;
use crate::error::{TencentError, codes};

pub use imgshare_core::share::ShareOutcome;

impl Client {
    /// Shares `image_id` with `account_ids`, treating accounts it is already shared with as
    /// done: on `FailedOperation.AccountAlreadyExists` it reads the shares back
    /// (`DescribeImageSharePermission`) and shares only the missing accounts. Repeating a call
    /// whose outcome was lost therefore changes nothing and succeeds.
    ///
    /// Duplicates in `account_ids` count once. Input is checked as for
    /// [`share_image`](Client::share_image) before anything is sent.
    ///
    /// ```no_run
    /// # async fn demo(client: imgshare_tencent::Client) -> Result<(), imgshare_tencent::TencentError> {
    /// let outcome = client
    ///     .share_image_with("img-6pb6lrmy", ["100000000002", "100000000003"])
    ///     .await?;
    /// println!("newly shared: {:?}", outcome.newly_shared);
    /// println!("already shared: {:?}", outcome.already_shared);
    /// # Ok(()) }
    /// ```
    pub async fn share_image_with(
        &self,
        image_id: impl Into<String>,
        account_ids: impl IntoIterator<Item = impl Into<String>>,
    ) -> Result<ShareOutcome, TencentError> {
        let image_id = &image_id.into();
        let share = |accounts| async move {
            let call = self.share_image().image_id(image_id);
            let out = call.set_account_ids(Some(accounts)).send().await?;
            Ok(out.request_id)
        };
        let list = || async move {
            let call = self.describe_image_share_permission().image_id(image_id);
            let listing = call.send().await?;
            Ok(listing.account_ids().map(str::to_owned).collect())
        };
        let accounts = account_ids.into_iter().map(Into::into);
        let refused = |e: &TencentError| e.is_code(codes::ACCOUNT_ALREADY_EXISTS);
        share_missing(accounts, share, refused, list).await
    }
}
