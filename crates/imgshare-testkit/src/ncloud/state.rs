//! The fake NCP's in-memory state: keys, and VPC and Classic images with their share lists.

use wiremock::Request;

use super::seed::{NcloudAccount, NcloudClassicImage, NcloudImage, NcloudSeed};
use super::{MOCK_PRIORITY, NcloudFault, NcloudReceivedRequest, PATH_REGEX};
use super::{faults, gateway, handlers, seed};
use crate::harness::{Clock, Cloud, Env, Reply, log_outcome, upsert};

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

impl Cloud for Ncloud {
    const NAME: &'static str = "ncloud";
    const PATHS: &'static str = PATH_REGEX;
    const PRIORITY: u8 = MOCK_PRIORITY;
    type Seed = NcloudSeed;
    type Fault = NcloudFault;
    const PROXY: &'static str = "nginx";
    type Record = NcloudReceivedRequest;

    fn merge(&mut self, seed: NcloudSeed, _: Clock) {
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

    fn seed(&self) -> NcloudSeed {
        NcloudSeed {
            accounts: self.accounts.clone(),
            images: self.images.clone(),
            classic_images: self.classic_images.clone(),
        }
    }

    const PROBLEMS: fn(&NcloudSeed) -> Vec<String> = seed::problems;
    const RECORD: fn(&Request) -> NcloudReceivedRequest = gateway::record;
    const FAULT: fn(&NcloudFault, &Request) -> Reply = faults::answer;
    const SERVE: fn(&mut Ncloud, &mut Env<'_>, &Request, &mut NcloudReceivedRequest) -> Reply =
        gateway::serve;

    fn actions() -> Vec<String> {
        handlers::names()
    }

    log_outcome!();
}
