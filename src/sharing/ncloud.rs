//! [`ImageSharing`] for NAVER Cloud, one wrapper per API family (the families number their
//! images differently and take different calls): [`NcloudServerImages`] (VPC server images,
//! `serverImageNo`, XEN and KVM), [`NcloudMemberImages`] (VPC member server image instances,
//! `memberServerImageInstanceNo`, XEN only) and [`NcloudClassic`] (Classic member server images,
//! `memberServerImageNo`). Shares are `Active` as soon as they are made; accounts are login ids.
//!
//! The member-image and Classic families also have a `set` call, which replaces the whole list
//! and is retried on server errors (a replacement is idempotent); the wrappers offer it as
//! `set_shares`.

use imgshare_core::InvalidInput;
use imgshare_core::credentials::BoxFuture;
use imgshare_ncloud::{Client, NcloudError};

use super::{ImageSharing, OwnedImage, Share, ShareState, SharingError};

/// An answer without the image asked for is NAVER Cloud saying it does not exist (or is not
/// this account's): a not-found service error like the one it sends itself (1104037), not bad
/// input.
fn not_in_answer(image: &str, request_id: &str) -> NcloudError {
    let error = imgshare_core::ServiceError::new(
        imgshare_ncloud::error::codes::SERVER_IMAGE_NOT_FOUND,
        format!("image {image} was not in the answer"),
        200,
        imgshare_core::ErrorKind::Client,
    )
    .with_request_id(Some(request_id.to_owned()).filter(|r| !r.is_empty()));
    NcloudError::from(imgshare_core::Error::Service(error))
}

/// Login ids as the add / remove calls check them, before anything is sent.
fn check_login_ids(accounts: &[String]) -> Result<(), InvalidInput> {
    for (i, account) in accounts.iter().enumerate() {
        imgshare_ncloud::validate::login_id(format!("target_login_ids[{i}]"), account)?;
    }
    Ok(())
}

fn shares(ids: &[String], since: Option<time::OffsetDateTime>) -> Vec<Share> {
    ids.iter()
        .map(|id| Share::new(id, ShareState::Active, since))
        .collect()
}

/// NAVER Cloud VPC server images (`/vserver/v2/…ServerImage…`, `serverImageNo`; XEN and KVM).
/// This family has no `set` call.
#[derive(Debug, Clone)]
pub struct NcloudServerImages(pub Client);

/// NAVER Cloud VPC member server image instances (`memberServerImageInstanceNo`; XEN only: KVM
/// images are answered with an error, use [`NcloudServerImages`]).
#[derive(Debug, Clone)]
pub struct NcloudMemberImages(pub Client);

/// NAVER Cloud Classic member server images (`/server/v2/`, `memberServerImageNo`).
#[derive(Debug, Clone)]
pub struct NcloudClassic(pub Client);

impl NcloudMemberImages {
    /// Replaces the accounts `image` is shared with by `accounts` in one call (none clears
    /// every share).
    ///
    /// # Errors
    ///
    /// NAVER Cloud's error, or bad input before anything is sent.
    pub async fn set_shares(&self, image: &str, accounts: &[String]) -> Result<(), SharingError> {
        self.0
            .set_member_server_image_sharing_permission()
            .member_server_image_instance_no(image)
            .set_target_login_ids(Some(accounts.to_vec()))
            .send()
            .await?;
        Ok(())
    }
}

impl NcloudClassic {
    /// Replaces the accounts `image` is shared with by `accounts` in one call (none clears
    /// every share).
    ///
    /// # Errors
    ///
    /// NAVER Cloud's error, or bad input before anything is sent.
    pub async fn set_shares(&self, image: &str, accounts: &[String]) -> Result<(), SharingError> {
        self.0
            .classic_set_member_server_image_sharing_permission()
            .member_server_image_no(image)
            .set_target_login_ids(Some(accounts.to_vec()))
            .send()
            .await?;
        Ok(())
    }
}

impl ImageSharing for NcloudServerImages {
    fn provider(&self) -> &'static str {
        "ncloud/server-image"
    }

    fn share<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(async move {
            self.0
                .add_server_image_sharing_permission()
                .server_image_no(image)
                .set_target_login_ids(Some(accounts.to_vec()))
                .send()
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
            self.0
                .remove_server_image_sharing_permission()
                .server_image_no(image)
                .set_target_login_ids(Some(accounts.to_vec()))
                .send()
                .await?;
            Ok(())
        })
    }

    fn check_accounts(&self, accounts: &[String]) -> Result<(), InvalidInput> {
        check_login_ids(accounts)
    }

    fn list_shares<'a>(
        &'a self,
        image: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
        Box::pin(async move {
            let out = self
                .0
                .get_server_image_detail()
                .server_image_no(image)
                .send()
                .await?;
            let found = out
                .server_image_list
                .iter()
                .find(|i| i.server_image_no == image)
                .ok_or_else(|| not_in_answer(image, &out.request_id))?;
            Ok(shares(&found.shared_login_id_list, None))
        })
    }

    fn list_images(&self) -> BoxFuture<'_, Result<Vec<OwnedImage>, SharingError>> {
        Box::pin(async move {
            let images = self
                .0
                .get_server_image_list()
                .into_paginator()
                .collect_all()
                .await?;
            Ok(images
                .into_iter()
                .map(|i| OwnedImage::new(i.server_image_no, i.server_image_name))
                .collect())
        })
    }
}

impl ImageSharing for NcloudMemberImages {
    fn provider(&self) -> &'static str {
        "ncloud/member-image"
    }

    fn share<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(async move {
            self.0
                .add_member_server_image_sharing_permission()
                .member_server_image_instance_no(image)
                .set_target_login_ids(Some(accounts.to_vec()))
                .send()
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
            self.0
                .remove_member_server_image_sharing_permission()
                .member_server_image_instance_no(image)
                .set_target_login_ids(Some(accounts.to_vec()))
                .send()
                .await?;
            Ok(())
        })
    }

    fn check_accounts(&self, accounts: &[String]) -> Result<(), InvalidInput> {
        check_login_ids(accounts)
    }

    fn list_shares<'a>(
        &'a self,
        image: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
        Box::pin(async move {
            let out = self
                .0
                .get_member_server_image_instance_detail()
                .member_server_image_instance_no(image)
                .send()
                .await?;
            let found = out
                .member_server_image_instance_list
                .iter()
                .find(|i| i.member_server_image_instance_no == image)
                .ok_or_else(|| not_in_answer(image, &out.request_id))?;
            Ok(shares(&found.shared_login_id_list, None))
        })
    }

    fn list_images(&self) -> BoxFuture<'_, Result<Vec<OwnedImage>, SharingError>> {
        Box::pin(async move {
            let images = self
                .0
                .get_member_server_image_instance_list()
                .into_paginator()
                .collect_all()
                .await?;
            Ok(images
                .into_iter()
                .map(|i| {
                    OwnedImage::new(
                        i.member_server_image_instance_no,
                        i.member_server_image_name,
                    )
                })
                .collect())
        })
    }
}

impl ImageSharing for NcloudClassic {
    fn provider(&self) -> &'static str {
        "ncloud/classic"
    }

    fn share<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(async move {
            self.0
                .classic_add_member_server_image_sharing_permission()
                .member_server_image_no(image)
                .set_target_login_ids(Some(accounts.to_vec()))
                .send()
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
            self.0
                .classic_remove_member_server_image_sharing_permission()
                .member_server_image_no(image)
                .set_target_login_ids(Some(accounts.to_vec()))
                .send()
                .await?;
            Ok(())
        })
    }

    fn check_accounts(&self, accounts: &[String]) -> Result<(), InvalidInput> {
        check_login_ids(accounts)
    }

    fn list_shares<'a>(
        &'a self,
        image: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
        Box::pin(async move {
            let out = self
                .0
                .classic_get_member_server_image_list()
                .member_server_image_no(image)
                .send()
                .await?;
            let found = out
                .member_server_image_list
                .iter()
                .find(|i| i.member_server_image_no == image)
                .ok_or_else(|| not_in_answer(image, &out.request_id))?;
            Ok(shares(&found.shared_login_id_list, None))
        })
    }

    fn list_images(&self) -> BoxFuture<'_, Result<Vec<OwnedImage>, SharingError>> {
        Box::pin(async move {
            let images = self
                .0
                .classic_get_member_server_image_list()
                .into_paginator()
                .collect_all()
                .await?;
            Ok(images
                .into_iter()
                .map(|i| OwnedImage::new(i.member_server_image_no, i.member_server_image_name))
                .collect())
        })
    }
}
