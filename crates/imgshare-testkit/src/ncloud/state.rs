//! The fake NCP's in-memory state: keys, and VPC and Classic images with their share lists.

use super::seed::{NcloudAccount, NcloudClassicImage, NcloudImage, NcloudSeed};
use crate::harness::upsert;

/// The fake NCP API Gateway: what it holds between requests. The harness runs it as
/// [`NcloudFake`](crate::NcloudFake).
#[derive(Debug, Default)]
pub struct Ncloud {
    pub(crate) accounts: Vec<NcloudAccount>,
    /// Insertion order is kept for printing; lists sort by number.
    pub(crate) images: Vec<NcloudImage>,
    pub(crate) classic_images: Vec<NcloudClassicImage>,
}

impl Ncloud {
    /// Adds the seed's keys (replacing any with the same access key) and images (replacing any
    /// with the same number, shares included).
    pub(crate) fn merge(&mut self, seed: NcloudSeed) {
        for account in seed.accounts {
            upsert(&mut self.accounts, account, |a| &a.access_key);
        }
        for image in seed.images {
            upsert(&mut self.images, image, |i| &i.image_no);
        }
        for image in seed.classic_images {
            upsert(&mut self.classic_images, image, |i| &i.image_no);
        }
    }

    pub(crate) fn to_seed(&self) -> NcloudSeed {
        NcloudSeed {
            accounts: self.accounts.clone(),
            images: self.images.clone(),
            classic_images: self.classic_images.clone(),
        }
    }

    pub(crate) fn account_by_access_key(&self, access_key: &str) -> Option<&NcloudAccount> {
        self.accounts.iter().find(|a| a.access_key == access_key)
    }

    pub(crate) fn login_exists(&self, login_id: &str) -> bool {
        self.accounts.iter().any(|a| a.login_id == login_id)
    }

    pub(crate) fn image(&self, image_no: &str) -> Option<&NcloudImage> {
        self.images.iter().find(|i| i.image_no == image_no)
    }

    pub(crate) fn image_mut(&mut self, image_no: &str) -> Option<&mut NcloudImage> {
        self.images.iter_mut().find(|i| i.image_no == image_no)
    }

    pub(crate) fn classic_image(&self, image_no: &str) -> Option<&NcloudClassicImage> {
        self.classic_images.iter().find(|i| i.image_no == image_no)
    }

    pub(crate) fn classic_image_mut(&mut self, image_no: &str) -> Option<&mut NcloudClassicImage> {
        self.classic_images
            .iter_mut()
            .find(|i| i.image_no == image_no)
    }
}
