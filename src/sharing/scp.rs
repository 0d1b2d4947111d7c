//! [`ImageSharing`] for Samsung Cloud Platform v2: a share is an image member. A new member is
//! `Pending` until the recipient accepts (`Accepted`) or rejects (`Rejected`; the member stays).
//! A share uses [`Client::share`], so an account that already is a member is not an error; an
//! unshare of an account that is not a member is not one either. One account per call.
//!
//! SCP adds members only to images whose visibility is `shared`;
//! [`readiness`](ImageSharing::readiness) reports any other visibility and never switches it (making an image visible to other accounts is a decision for its
//! owner: `update_image().visibility(Visibility::Shared)` or `imgshare scp share --make-shared`).

use imgshare_core::InvalidInput;
use imgshare_core::credentials::BoxFuture;
use imgshare_scp::{Client, ImageStatus, MemberStatus, Visibility};

use super::{
    ImageSharing, NotReady, OwnedImage, Readiness, Share, ShareState, SharedImage, SharingError,
};

/// A status imgshare does not know, including a missing one (`Unknown("")`), stays unknown:
/// never taken for pending or accepted.
fn state(status: &MemberStatus) -> ShareState {
    match status {
        MemberStatus::Pending => ShareState::Pending,
        MemberStatus::Accepted => ShareState::Accepted,
        MemberStatus::Rejected => ShareState::Rejected,
        other => ShareState::Unknown(other.to_string()),
    }
}

impl ImageSharing for Client {
    fn provider(&self) -> &'static str {
        "scp"
    }

    /// No request id: SCP's member answers are read without one.
    fn share_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            for account in accounts {
                // Added now or already a member: both are done.
                Client::share(self, image, account.as_str()).await?;
            }
            Ok(None)
        })
    }

    fn unshare_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            for account in accounts {
                match self
                    .delete_image_member()
                    .image_id(image)
                    .member_id(account)
                    .send()
                    .await
                {
                    Ok(()) => {}
                    // Not a member (any more): nothing to undo.
                    Err(e) if e.is_not_found() && member_absent(self, image, account).await => {}
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(None)
        })
    }

    fn list_shares<'a>(
        &'a self,
        image: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
        Box::pin(async move {
            let out = self.list_image_members().image_id(image).send().await?;
            Ok(out
                .members
                .iter()
                .map(|m| {
                    let since = m.created_at.as_ref().and_then(|t| t.datetime().ok());
                    Share::new(&m.member_id, state(&m.status), since)
                })
                .collect())
        })
    }

    fn list_images(&self) -> BoxFuture<'_, Result<Vec<OwnedImage>, SharingError>> {
        Box::pin(async move {
            let own = self.config().account_id().map(str::to_owned);
            let images = Client::list_images(self)
                .into_paginator()
                .collect_all()
                .await?;
            Ok(images
                .into_iter()
                .filter(|i| match &own {
                    Some(own) => &i.owner == own,
                    // Without the own account id: what can be shared at all.
                    None => matches!(i.visibility, Visibility::Private | Visibility::Shared),
                })
                .map(|i| OwnedImage::new(i.id, i.name))
                .collect())
        })
    }

    fn check_accounts(&self, accounts: &[String]) -> Result<(), InvalidInput> {
        for account in accounts {
            imgshare_scp::validate::member_id("member_id", account)?;
        }
        Ok(())
    }

    fn max_accounts_per_call(&self) -> usize {
        1
    }

    /// Pending shares from `GET /v1/pending-images` (documented); accepted ones from the
    /// images whose visibility is `shared` and whose owner is another account (how accepted
    /// images appear is not documented). Rejected shares are in neither list. Needs the own
    /// account id, to tell shared-in images from the caller's own.
    fn shared_with_me(&self) -> BoxFuture<'_, Result<Vec<SharedImage>, SharingError>> {
        Box::pin(async move {
            let Some(own) = self.config().account_id().map(str::to_owned) else {
                return Err(SharingError::invalid(
                    "scp",
                    "account_id",
                    "the own account id is needed to tell images shared with it from its own \
                     (`account_id` in the plan entry, SCP_ACCOUNT_ID)",
                ));
            };
            let pending = self.list_pending_images().send().await?;
            let accepted = Client::list_images(self)
                .visibility(Visibility::Shared)
                .into_paginator()
                .collect_all()
                .await?;
            let pending = (pending.images.into_iter()).map(|i| (i, ShareState::Pending));
            let accepted = (accepted.into_iter())
                .filter(|i| i.owner != own)
                .map(|i| (i, ShareState::Accepted));
            Ok(pending
                .chain(accepted)
                .map(|(i, state)| SharedImage::new(i.id, i.name, Some(i.owner), state))
                .collect())
        })
    }

    fn answer_share<'a>(
        &'a self,
        image: &'a str,
        accept: bool,
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(async move {
            if accept {
                self.accept_share(image).await?;
            } else {
                self.reject_share(image).await?;
            }
            Ok(())
        })
    }

    fn check_shareable_calls_provider(&self) -> bool {
        true
    }

    /// From show image: visibility must be `shared` (reported, never switched) and status
    /// `active` (`queued`, `saving` and `importing` may pass).
    fn readiness<'a>(&'a self, image: &'a str) -> BoxFuture<'a, Result<Readiness, SharingError>> {
        Box::pin(async move {
            let shown = self.show_image().image_id(image).send().await?;
            let mut readiness = Readiness::ready(shown.status.as_str());
            if shown.visibility != Visibility::Shared {
                readiness = readiness.with(NotReady::lasting(format!(
                    "visibility is `{}`; SCP adds members only to images whose visibility is \
                     `shared`. imgshare never changes it: set it yourself (`imgshare scp share \
                     --make-shared`, or update_image().visibility(Visibility::Shared))",
                    shown.visibility
                )));
            }
            let status = shown.status.as_str();
            let why = format!("status is `{status}`; only `active` images are usable");
            match shown.status {
                ImageStatus::Active => {}
                ImageStatus::Queued | ImageStatus::Saving | ImageStatus::Importing => {
                    readiness = readiness.with(NotReady::transient(why));
                }
                _ => readiness = readiness.with(NotReady::lasting(why)),
            }
            Ok(readiness)
        })
    }
}

/// Whether show member confirms `account` is not a member of `image`, which still exists (a 404
/// on delete may also mean the image is gone, which is an error to report).
async fn member_absent(client: &Client, image: &str, account: &str) -> bool {
    match client
        .show_image_member()
        .image_id(image)
        .member_id(account)
        .send()
        .await
    {
        Ok(_) => false,
        Err(e) => e.is_not_found() && client.show_image().image_id(image).send().await.is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Catches: an unknown or missing member status reported as pending or accepted.
    #[test]
    fn unknown_statuses_stay_unknown() {
        assert_eq!(state(&MemberStatus::Pending), ShareState::Pending);
        assert_eq!(
            state(&MemberStatus::Unknown(String::new())),
            ShareState::Unknown(String::new())
        );
        assert_eq!(
            state(&MemberStatus::from("frozen")),
            ShareState::Unknown("frozen".into())
        );
    }
}
