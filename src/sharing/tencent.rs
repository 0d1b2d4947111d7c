//! [`ImageSharing`] for Tencent Cloud CVM: shares are `Active` as soon as they are made; a share
//! uses [`Client::share_image_with`] (an account that already has the image counts as done);
//! 500 accounts per call.

use imgshare_core::InvalidInput;
use imgshare_core::credentials::BoxFuture;
use imgshare_tencent::validate::{ACCOUNT_ID, MAX_ACCOUNTS};
use imgshare_tencent::{Client, Filter, ImageType};

use super::{ImageSharing, OwnedImage, Share, ShareState, SharingError};

impl ImageSharing for Client {
    fn provider(&self) -> &'static str {
        "tencent"
    }

    fn share<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(async move {
            self.share_image_with(image, accounts.iter().cloned())
                .await?;
            Ok(())
        })
    }

    fn unshare<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(async move {
            self.unshare_image()
                .image_id(image)
                .set_account_ids(Some(accounts.to_vec()))
                .send()
                .await?;
            Ok(())
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
