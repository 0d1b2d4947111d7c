//! Sharing as users run it: safe to re-run, and the recipient's answer to a share.

use imgshare_core::InvalidInput;

use crate::Client;
use crate::error::ScpError;
use crate::types::{ImageMember, MemberStatus, ShareOutcome};

/// Why a share cannot be answered without the caller's own account id.
const NO_ACCOUNT: &str = "is needed to answer a share as the recipient: set it in the config, \
                          SCP_ACCOUNT_ID or account-id in ~/.scpconf/config.json";

impl Client {
    /// Shares `image_id` with account `member_id` and says whether the account was added now
    /// or already was a member.
    ///
    /// The add is sent once and never repeated after an ambiguous failure (a timeout, a 5xx):
    /// that error is returned, and calling `share` again is safe. When SCP answers 409, the
    /// member is looked up with show member; if it is there the result is
    /// [`ShareOutcome::AlreadyMember`], otherwise the 409 is returned.
    ///
    /// # Errors
    ///
    /// Bad input (before sending), the add's error, or the lookup's error after a 409.
    pub async fn share(
        &self,
        image_id: impl Into<String>,
        member_id: impl Into<String>,
    ) -> Result<ShareOutcome, ScpError> {
        let (image_id, member_id) = (image_id.into(), member_id.into());
        let add = self.create_image_member().image_id(&image_id);
        let conflict = match add.member_id(&member_id).send().await {
            Ok(member) => return Ok(ShareOutcome::Added(member)),
            Err(e) if e.is_already_member() => e,
            Err(e) => return Err(e),
        };
        tracing::debug!(
            %image_id,
            %member_id,
            "add member answered 409; checking with show member"
        );
        let show = self.show_image_member().image_id(&image_id);
        match show.member_id(&member_id).send().await {
            Ok(member) => Ok(ShareOutcome::AlreadyMember(member)),
            Err(lookup) if lookup.is_not_found() => Err(conflict),
            Err(lookup) => Err(lookup),
        }
    }

    /// Accepts a share of `image_id`, as the recipient: sets the member whose id is the
    /// configured [`account_id`](crate::ConfigBuilder::account_id) to `accepted`.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] on `account_id` when none is configured; otherwise as
    /// [`Client::update_image_member`].
    pub async fn accept_share(&self, image_id: impl Into<String>) -> Result<ImageMember, ScpError> {
        self.answer_share(image_id.into(), MemberStatus::Accepted)
            .await
    }

    /// Rejects a share of `image_id`, as the recipient (see [`Client::accept_share`]).
    ///
    /// # Errors
    ///
    /// As [`Client::accept_share`].
    pub async fn reject_share(&self, image_id: impl Into<String>) -> Result<ImageMember, ScpError> {
        self.answer_share(image_id.into(), MemberStatus::Rejected)
            .await
    }

    async fn answer_share(
        &self,
        image_id: String,
        status: MemberStatus,
    ) -> Result<ImageMember, ScpError> {
        let Some(account) = self.config().account_id() else {
            return Err(InvalidInput::new("account_id", NO_ACCOUNT).into());
        };
        let update = self.update_image_member().image_id(image_id);
        update.member_id(account).status(status).send().await
    }
}
