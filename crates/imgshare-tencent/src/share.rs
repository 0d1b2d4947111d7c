//! Sharing that is safe to repeat (tencent.md §7): `ModifyImageSharePermission` has no client
//! token, so a share whose answer was lost (timeout, dropped connection) is not retried
//! automatically, and repeating it by hand answers `FailedOperation.AccountAlreadyExists` for
//! the whole call. [`Client::share_image_with`] reads the shares back on that answer and shares
//! only what is missing, so running it again after an unknown outcome is harmless.

use crate::ErrorMetadata as _;
use crate::client::Client;
use crate::error::{TencentError, codes};

/// How many times [`Client::share_image_with`] shares the missing accounts again when another
/// writer keeps adding some of them in between.
const MAX_ROUNDS: usize = 3;

/// What [`Client::share_image_with`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShareOutcome {
    /// Accounts this call shared the image with, in the order given.
    pub newly_shared: Vec<String>,
    /// Accounts the image was already shared with, in the order given.
    pub already_shared: Vec<String>,
    /// The request id of the `ModifyImageSharePermission` call that applied `newly_shared`
    /// (`None` when nothing needed sharing).
    pub request_id: Option<String>,
}

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
    pub async fn share_image_with<I, S>(
        &self,
        image_id: impl Into<String>,
        account_ids: I,
    ) -> Result<ShareOutcome, TencentError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let image_id = image_id.into();
        let mut wanted: Vec<String> = Vec::new();
        for id in account_ids {
            let id = id.into();
            if !wanted.contains(&id) {
                wanted.push(id);
            }
        }
        let mut missing = wanted.clone();
        let mut round = 0;
        loop {
            round += 1;
            let result = self
                .share_image()
                .image_id(&image_id)
                .set_account_ids(Some(missing.clone()))
                .send()
                .await;
            let error = match result {
                Ok(out) => return Ok(outcome(&wanted, &missing, Some(out.request_id))),
                Err(e) if e.is_code(codes::ACCOUNT_ALREADY_EXISTS) => e,
                Err(e) => return Err(e),
            };
            let listing = self
                .describe_image_share_permission()
                .image_id(&image_id)
                .send()
                .await?;
            let shared: Vec<&str> = listing.account_ids().collect();
            let still: Vec<String> = missing
                .iter()
                .filter(|a| !shared.contains(&a.as_str()))
                .cloned()
                .collect();
            if still.is_empty() {
                return Ok(outcome(&wanted, &[], None));
            }
            // Tencent says an account is shared but the listing shows none of them, or another
            // writer keeps sharing the same accounts: stop with Tencent's answer.
            if still.len() == missing.len() || round == MAX_ROUNDS {
                return Err(error);
            }
            missing = still;
        }
    }
}

fn outcome(wanted: &[String], newly: &[String], request_id: Option<String>) -> ShareOutcome {
    ShareOutcome {
        newly_shared: wanted
            .iter()
            .filter(|a| newly.contains(a))
            .cloned()
            .collect(),
        already_shared: wanted
            .iter()
            .filter(|a| !newly.contains(a))
            .cloned()
            .collect(),
        request_id,
    }
}
