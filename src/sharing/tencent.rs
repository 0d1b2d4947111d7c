//! [`ImageSharing`] for Tencent Cloud CVM: shares are `Active` as soon as they are made; a share
//! uses [`Client::share_image_with`] (an account that already has the image counts as done).
//! Tencent documents at most 500 accounts per image in all; the per-call cap is not documented
//! and assumed to be the same 500.

use imgshare_core::InvalidInput;
use imgshare_core::credentials::BoxFuture;
use imgshare_tencent::validate::{ACCOUNT_ID, MAX_ACCOUNTS};
use imgshare_tencent::{Client, Filter, ImageState, ImageType};

use super::{
    ImageSharing, NotReady, OwnedImage, Readiness, Share, ShareState, SharedImage, SharingError,
};

/// The `DiskUsage` of a data-disk snapshot: an image holding one is a whole-instance image
/// (system disk plus data disks), which Tencent does not share.
const DATA_DISK: &str = "DATA_DISK";

impl ImageSharing for Client {
    fn provider(&self) -> &'static str {
        "tencent"
    }

    fn share_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            let outcome = self
                .share_image_with(image, accounts.iter().cloned())
                .await?;
            Ok(outcome.request_id)
        })
    }

    fn unshare_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            let out = self
                .unshare_image()
                .image_id(image)
                .set_account_ids(Some(accounts.to_vec()))
                .send()
                .await?;
            Ok(Some(out.request_id))
        })
    }

    /// `DescribeImages` with the `image-type` filter `SHARED_IMAGE` (documented); the owner is
    /// `ImageCreator` (documented as the creator; for shared images assumed to be the owner).
    fn shared_with_me(&self) -> BoxFuture<'_, Result<Vec<SharedImage>, SharingError>> {
        Box::pin(async move {
            let images = self
                .describe_images()
                .filter(Filter::image_type(ImageType::Shared))
                .into_paginator()
                .collect_all()
                .await?;
            Ok(images
                .into_iter()
                .map(|i| {
                    let owner = Some(i.image_creator).filter(|c| !c.is_empty());
                    SharedImage::new(i.image_id, i.image_name, owner, ShareState::Active)
                })
                .collect())
        })
    }

    fn max_accounts_per_image(&self) -> Option<usize> {
        Some(MAX_ACCOUNTS)
    }

    fn check_shareable_calls_provider(&self) -> bool {
        true
    }

    /// From `DescribeImages`: `ImageState` must be `NORMAL` (`CREATING`, `SYNCING` and
    /// `IMPORTING` may pass), `LicenseType` not `BYOL`, and no data-disk snapshot (a
    /// whole-instance image). Encryption is not in `DescribeImages`' answer: an encrypted image
    /// is refused by the share call itself (`UnsupportedOperation.EncryptedImagesNotSupported`).
    fn readiness<'a>(&'a self, image: &'a str) -> BoxFuture<'a, Result<Readiness, SharingError>> {
        Box::pin(async move {
            let out = self.describe_images().image_id(image).send().await?;
            let Some(found) = out.images.into_iter().find(|i| i.image_id == image) else {
                let missing = format!("image {image} is not among this account's images here");
                return Ok(Readiness::default().with(NotReady::lasting(missing)));
            };
            let state = found.image_state.as_str().to_owned();
            let mut readiness = Readiness::ready(&state);
            match found.image_state {
                ImageState::Normal => {}
                ImageState::Creating | ImageState::Syncing | ImageState::Importing => {
                    readiness = readiness.with(NotReady::transient(format!(
                        "ImageState is {state}; only NORMAL images can be shared"
                    )));
                }
                _ => {
                    readiness = readiness.with(NotReady::lasting(format!(
                        "ImageState is {state}; only NORMAL images can be shared"
                    )));
                }
            }
            if found.license_type == "BYOL" {
                let byol = "LicenseType is BYOL; Tencent does not share BYOL images";
                readiness = readiness.with(NotReady::lasting(byol));
            }
            if found.snapshot_set.iter().any(|s| s.disk_usage == DATA_DISK) {
                let whole = "it has data-disk snapshots (a whole-instance image); Tencent does \
                             not share whole-instance images";
                readiness = readiness.with(NotReady::lasting(whole));
            }
            Ok(readiness)
        })
    }

    fn list_shares<'a>(
        &'a self,
        image: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
        Box::pin(async move {
            let listing = self
                .describe_image_share_permission()
                .image_id(image)
                .send()
                .await?;
            Ok(listing
                .share_permissions
                .iter()
                .map(|p| Share::new(&p.account_id, ShareState::Active, p.created_at()))
                .collect())
        })
    }

    fn list_images(&self) -> BoxFuture<'_, Result<Vec<OwnedImage>, SharingError>> {
        Box::pin(async move {
            let images = self
                .describe_images()
                .filter(Filter::image_type(ImageType::Private))
                .into_paginator()
                .collect_all()
                .await?;
            Ok(images
                .into_iter()
                .map(|i| OwnedImage::new(i.image_id, i.image_name))
                .collect())
        })
    }

    fn check_accounts(&self, accounts: &[String]) -> Result<(), InvalidInput> {
        for (i, account) in accounts.iter().enumerate() {
            ACCOUNT_ID.check(format!("account_ids[{i}]"), account)?;
        }
        Ok(())
    }

    fn max_accounts_per_call(&self) -> usize {
        MAX_ACCOUNTS
    }
}
