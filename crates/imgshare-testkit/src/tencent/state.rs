//! The fake Tencent CVM's in-memory state: keys, images and who they are shared with.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use wiremock::Request;

use super::seed::{TencentAccount, TencentImage, TencentSeed};
use super::{TencentFault, TencentReceivedRequest, faults, gateway, handlers, validation};
use crate::harness::{Clock, Cloud, Env, Reply, log_outcome, upsert};

/// The code the fake answers when a caller goes over an action's frequency limit:
/// `RequestLimitExceeded` or one of its documented subcodes. The documentation does not say
/// which one the CVM image APIs use when, so the fake answers the plain code unless told
/// otherwise ([`TencentFake::set_rate_limit_code`](crate::TencentFake::set_rate_limit_code)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TencentRateLimitCode {
    /// `RequestLimitExceeded` (the default; the only code Go's SDK retries).
    #[default]
    RequestLimitExceeded,
    /// `RequestLimitExceeded.UinLimitExceeded`: the per-account limit.
    #[serde(rename = "RequestLimitExceeded.UinLimitExceeded")]
    UinLimitExceeded,
    /// `RequestLimitExceeded.IPLimitExceeded`: the per-IP limit.
    #[serde(rename = "RequestLimitExceeded.IPLimitExceeded")]
    IpLimitExceeded,
    /// `RequestLimitExceeded.GlobalRegionUinLimitExceeded`: the root account's global limit.
    #[serde(rename = "RequestLimitExceeded.GlobalRegionUinLimitExceeded")]
    GlobalRegionUinLimitExceeded,
}

impl TencentRateLimitCode {
    /// The error code.
    pub fn as_str(self) -> &'static str {
        // In declaration order, as serde spells them (the tests compare), like SCP's enums.
        [
            "RequestLimitExceeded",
            "RequestLimitExceeded.UinLimitExceeded",
            "RequestLimitExceeded.IPLimitExceeded",
            "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
        ][self as usize]
    }
}

/// One account an image is shared with.
#[derive(Debug, Clone)]
pub(crate) struct Share {
    pub(crate) account_id: String,
    pub(crate) created_time: String,
    /// The fake-clock time (Unix ms) from which `DescribeImageSharePermission` lists it.
    pub(crate) listed_from_ms: i64,
}

/// The fake Tencent CVM: what it holds between requests. The harness runs it as
/// [`TencentFake`](crate::TencentFake).
#[derive(Debug, Default)]
pub struct Tencent {
    /// Seed order, for printing.
    pub(crate) accounts: Vec<TencentAccount>,
    /// Insertion order is the DescribeImages order.
    pub(crate) images: Vec<TencentImage>,
    /// image id → shares, oldest first.
    pub(crate) shares: HashMap<String, Vec<Share>>,
    pub(crate) rate_limit_code: TencentRateLimitCode,
    /// How long a new share stays out of `DescribeImageSharePermission` (0: listed at once).
    pub(crate) listing_delay_ms: i64,
}

impl Tencent {
    pub(crate) fn account_by_secret_id(&self, secret_id: &str) -> Option<&TencentAccount> {
        self.accounts.iter().find(|a| a.secret_id == secret_id)
    }

    fn image(&self, image_id: &str) -> Option<&TencentImage> {
        self.images.iter().find(|i| i.image_id == image_id)
    }

    /// The image `image_id` in `region`; an image elsewhere is not found.
    pub(crate) fn image_in(&self, region: &str, image_id: &str) -> Option<&TencentImage> {
        self.image(image_id).filter(|i| i.region == region)
    }

    pub(crate) fn shares_of(&self, image_id: &str) -> &[Share] {
        self.shares.get(image_id).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn is_shared_with(&self, image_id: &str, account_id: &str) -> bool {
        let mut shares = self.shares_of(image_id).iter();
        shares.any(|s| s.account_id == account_id)
    }

    /// Every share with its image id: by image in the images' order, then those of images no
    /// longer there (by id), each image's oldest first.
    fn all_shares(&self) -> Vec<(&String, &Share)> {
        let orphan = |id: &&String| self.image(id).is_none();
        let mut orphans: Vec<&String> = self.shares.keys().filter(orphan).collect();
        orphans.sort();
        let image_ids = self.images.iter().map(|i| &i.image_id).chain(orphans);
        let shares = image_ids.flat_map(|id| self.shares_of(id).iter().map(move |s| (id, s)));
        shares.collect()
    }
}

impl Cloud for Tencent {
    const NAME: &'static str = "tencent";
    /// Everything no other cloud claims: the API is `/`, and other paths get
    /// `UnsupportedProtocol`.
    const PATHS: &'static str = "^/";
    const PRIORITY: u8 = 2;
    type Seed = TencentSeed;
    type Fault = TencentFault;
    const PROXY: &'static str = "stgw";
    type Record = TencentReceivedRequest;

    fn merge(&mut self, seed: TencentSeed, clock: Clock) {
        for account in seed.accounts {
            upsert(&mut self.accounts, account, |a| &a.secret_id);
        }
        for image in seed.images {
            upsert(&mut self.images, image, |i| &i.image_id);
        }
        for (image_id, account_id) in seed.shares {
            if !self.is_shared_with(&image_id, &account_id) {
                let created_time = clock.now_utc();
                let shares = self.shares.entry(image_id).or_default();
                shares.push(Share {
                    account_id,
                    created_time,
                    listed_from_ms: 0,
                });
            }
        }
    }

    fn seed(&self) -> TencentSeed {
        let shares = self.all_shares().into_iter();
        let shares = shares.map(|(id, s)| (id.clone(), s.account_id.clone()));
        TencentSeed {
            accounts: self.accounts.clone(),
            images: self.images.clone(),
            shares: shares.collect(),
        }
    }

    const PROBLEMS: fn(&TencentSeed) -> Vec<String> = validation::problems;
    const RECORD: fn(&Request) -> TencentReceivedRequest = gateway::record;
    const FAULT: fn(&TencentFault, &Request) -> Reply = faults::answer;
    const SERVE: fn(&mut Tencent, &mut Env<'_>, &Request, &mut TencentReceivedRequest) -> Reply =
        gateway::serve;

    fn actions() -> Vec<String> {
        handlers::ACTIONS.map(str::to_owned).to_vec()
    }

    /// `DescribeImages` 40 requests/s, the share APIs (and anything else) 10/s.
    fn documented_limit(action: &str) -> Option<u32> {
        Some(if action == "DescribeImages" { 40 } else { 10 })
    }

    log_outcome!();

    /// Shares with their `created_time`, and the rate-limit code.
    fn admin_state(&self, state: &mut Map<String, Value>) {
        let shares = self.all_shares().into_iter().map(|(image_id, s)| {
            json!({ "image_id": image_id, "account_id": s.account_id, "created_time": s.created_time })
        });
        state.insert("shares".into(), shares.collect());
        state.insert("rate_limit_code".into(), json!(self.rate_limit_code));
    }

    /// `rate-limit` also takes `"code"`, a [`TencentRateLimitCode`].
    fn admin(&mut self, route: &str, body: &Value) -> Result<(), String> {
        if let (Some(code), "rate-limit") = (body.get("code"), route) {
            self.rate_limit_code =
                serde_json::from_value(code.clone()).map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_codes_are_spelled_as_serde_spells_them() {
        use TencentRateLimitCode::*;
        let all = [
            RequestLimitExceeded,
            UinLimitExceeded,
            IpLimitExceeded,
            GlobalRegionUinLimitExceeded,
        ];
        for code in all {
            assert_eq!(json!(code), code.as_str());
        }
        let ip = "RequestLimitExceeded.IPLimitExceeded";
        assert_eq!(IpLimitExceeded.as_str(), ip);
    }
}
