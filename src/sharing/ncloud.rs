//! [`ImageSharing`] for NAVER Cloud, one wrapper per API family (the families number their
//! images differently and take different calls): [`NcloudServerImages`] (VPC server images,
//! `serverImageNo`, XEN and KVM), [`NcloudMemberImages`] (VPC member server image instances,
//! `memberServerImageInstanceNo`, XEN only) and [`NcloudClassic`] (Classic member server images,
//! `memberServerImageNo`). Shares are `Active` as soon as they are made; accounts are login ids.
//!
//! The member-image and Classic families also have a `set` call, which replaces the whole list
//! and is retried on server errors (a replacement is idempotent); the wrappers offer it as
//! `set_shares`, also through [`ImageSharing::set_shares`].

use imgshare_core::InvalidInput;
use imgshare_core::credentials::BoxFuture;
use imgshare_ncloud::{Client, NcloudError};

use imgshare_ncloud::{
    Code, ImageStatus, MemberServerImage, MemberServerImageInstance, ServerImage,
};

use super::{ImageSharing, NotReady, OwnedImage, Readiness, Share, ShareState, SharingError};

/// An image's readiness from its status: `CREAT` is ready, `INIT` may pass, anything else
/// will not. NAVER Cloud does not document which statuses allow a sharing change; this is
/// assumed from the status names.
fn by_status(status: Option<&Code<ImageStatus>>) -> Readiness {
    let Some(status) = status else {
        return Readiness::default();
    };
    let code = status.code.as_str();
    let mut readiness = Readiness::ready(code);
    let why = format!("status is {code}; images are shared once created (CREAT)");
    match status.code {
        ImageStatus::Created => {}
        ImageStatus::Init => readiness = readiness.with(NotReady::transient(why)),
        _ => readiness = readiness.with(NotReady::lasting(why)),
    }
    readiness
}

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

impl NcloudServerImages {
    /// The image as the family's detail call answers it.
    async fn detail(&self, image: &str) -> Result<ServerImage, SharingError> {
        let out = self
            .0
            .get_server_image_detail()
            .server_image_no(image)
            .send()
            .await?;
        let request_id = out.request_id;
        let found = out
            .server_image_list
            .into_iter()
            .find(|i| i.server_image_no == image);
        Ok(found.ok_or_else(|| not_in_answer(image, &request_id))?)
    }
}

impl NcloudMemberImages {
    /// The image as the family's detail call answers it.
    async fn detail(&self, image: &str) -> Result<MemberServerImageInstance, SharingError> {
        let out = self
            .0
            .get_member_server_image_instance_detail()
            .member_server_image_instance_no(image)
            .send()
            .await?;
        let request_id = out.request_id;
        let found = out
            .member_server_image_instance_list
            .into_iter()
            .find(|i| i.member_server_image_instance_no == image);
        Ok(found.ok_or_else(|| not_in_answer(image, &request_id))?)
    }
}

impl NcloudClassic {
    /// The image as the family's detail call answers it.
    async fn detail(&self, image: &str) -> Result<MemberServerImage, SharingError> {
        let out = self
            .0
            .classic_get_member_server_image_list()
            .member_server_image_no(image)
            .send()
            .await?;
        let request_id = out.request_id;
        let found = out
            .member_server_image_list
            .into_iter()
            .find(|i| i.member_server_image_no == image);
        Ok(found.ok_or_else(|| not_in_answer(image, &request_id))?)
    }
}

impl ImageSharing for NcloudServerImages {
    fn provider(&self) -> &'static str {
        "ncloud/server-image"
    }

    fn share_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            let out = self
                .0
                .add_server_image_sharing_permission()
                .server_image_no(image)
                .set_target_login_ids(Some(accounts.to_vec()))
                .send()
                .await?;
            Ok(Some(out.request_id))
        })
    }

    fn unshare_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            let out = self
                .0
                .remove_server_image_sharing_permission()
                .server_image_no(image)
                .set_target_login_ids(Some(accounts.to_vec()))
                .send()
                .await?;
            Ok(Some(out.request_id))
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
            let found = self.detail(image).await?;
            Ok(shares(&found.shared_login_id_list, None))
        })
    }

    fn check_shareable_calls_provider(&self) -> bool {
        true
    }

    fn readiness<'a>(&'a self, image: &'a str) -> BoxFuture<'a, Result<Readiness, SharingError>> {
        Box::pin(async move {
            let found = self.detail(image).await?;
            Ok(by_status(found.server_image_status.as_ref()))
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

    fn share_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            let out = self
                .0
                .add_member_server_image_sharing_permission()
                .member_server_image_instance_no(image)
                .set_target_login_ids(Some(accounts.to_vec()))
                .send()
                .await?;
            Ok(Some(out.request_id))
        })
    }

    fn unshare_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            let out = self
                .0
                .remove_member_server_image_sharing_permission()
                .member_server_image_instance_no(image)
                .set_target_login_ids(Some(accounts.to_vec()))
                .send()
                .await?;
            Ok(Some(out.request_id))
        })
    }

    fn set_shares<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(NcloudMemberImages::set_shares(self, image, accounts))
    }

    fn check_accounts(&self, accounts: &[String]) -> Result<(), InvalidInput> {
        check_login_ids(accounts)
    }

    fn list_shares<'a>(
        &'a self,
        image: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
        Box::pin(async move {
            let found = self.detail(image).await?;
            Ok(shares(&found.shared_login_id_list, None))
        })
    }

    fn check_shareable_calls_provider(&self) -> bool {
        true
    }

    fn readiness<'a>(&'a self, image: &'a str) -> BoxFuture<'a, Result<Readiness, SharingError>> {
        Box::pin(async move {
            let found = self.detail(image).await?;
            Ok(by_status(
                found.member_server_image_instance_status.as_ref(),
            ))
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

    fn share_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            let out = self
                .0
                .classic_add_member_server_image_sharing_permission()
                .member_server_image_no(image)
                .set_target_login_ids(Some(accounts.to_vec()))
                .send()
                .await?;
            Ok(Some(out.request_id))
        })
    }

    fn unshare_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            let out = self
                .0
                .classic_remove_member_server_image_sharing_permission()
                .member_server_image_no(image)
                .set_target_login_ids(Some(accounts.to_vec()))
                .send()
                .await?;
            Ok(Some(out.request_id))
        })
    }

    fn set_shares<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(NcloudClassic::set_shares(self, image, accounts))
    }

    fn check_accounts(&self, accounts: &[String]) -> Result<(), InvalidInput> {
        check_login_ids(accounts)
    }

    fn list_shares<'a>(
        &'a self,
        image: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
        Box::pin(async move {
            let found = self.detail(image).await?;
            Ok(shares(&found.shared_login_id_list, None))
        })
    }

    fn check_shareable_calls_provider(&self) -> bool {
        true
    }

    fn readiness<'a>(&'a self, image: &'a str) -> BoxFuture<'a, Result<Readiness, SharingError>> {
        Box::pin(async move {
            let found = self.detail(image).await?;
            Ok(by_status(found.member_server_image_status.as_ref()))
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
