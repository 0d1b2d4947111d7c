//! The fake's mutable in-memory state, shared by the responder and the test.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::ReceivedRequest;
use super::faults::Fault;
use super::seed::{FakeAccount, FakeImage, Seed};
use serde::{Deserialize, Serialize};

/// The code the fake answers when a caller goes over an action's frequency
/// limit: `RequestLimitExceeded` or one of the subcodes tencent.md §4.2–4.3
/// documents. The docs do not say which one the CVM image APIs use when, so
/// the fake answers the plain code unless told otherwise
/// ([`TencentFake::set_rate_limit_code`](crate::TencentFake::set_rate_limit_code)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RateLimitCode {
    /// `RequestLimitExceeded` (the default; the only code Go's SDK retries).
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

impl RateLimitCode {
    /// The error code.
    pub fn as_str(self) -> &'static str {
        match self {
            RateLimitCode::RequestLimitExceeded => "RequestLimitExceeded",
            RateLimitCode::UinLimitExceeded => "RequestLimitExceeded.UinLimitExceeded",
            RateLimitCode::IpLimitExceeded => "RequestLimitExceeded.IPLimitExceeded",
            RateLimitCode::GlobalRegionUinLimitExceeded => {
                "RequestLimitExceeded.GlobalRegionUinLimitExceeded"
            }
        }
    }
}

/// The documented per-action frequency limit (tencent.md §4.3):
/// `DescribeImages` 40 requests/s, the share APIs (and anything else) 10/s.
pub(crate) fn documented_rate_limit(action: &str) -> u32 {
    match action {
        "DescribeImages" => 40,
        _ => 10,
    }
}

/// One account an image is shared with.
#[derive(Debug, Clone)]
pub(crate) struct Share {
    pub(crate) account_id: String,
    pub(crate) created_time: String,
}

#[derive(Debug)]
pub(crate) struct State {
    /// Keyed by SecretId in practice; a Vec keeps seed order for printing.
    pub(crate) accounts: Vec<FakeAccount>,
    /// Insertion order is the DescribeImages order.
    pub(crate) images: Vec<FakeImage>,
    /// image id → shares, oldest first.
    pub(crate) shares: HashMap<String, Vec<Share>>,
    faults: VecDeque<(Fault, usize)>,
    pub(crate) received: Vec<ReceivedRequest>,
    /// `Some` overrides the documented limit of every action (`None` inside: no limit).
    rate_limit_override: Option<Option<u32>>,
    /// Per-action overrides, on top of `rate_limit_override`.
    action_rate_limits: HashMap<String, Option<u32>>,
    /// The code a request over the limit gets.
    pub(crate) rate_limit_code: RateLimitCode,
    /// (account id, action) → admission times within the last second.
    windows: HashMap<(String, String), VecDeque<Instant>>,
    clock_offset_secs: i64,
    /// What [`State::reset`] goes back to.
    initial: Seed,
}

impl State {
    pub(crate) fn from_seed(seed: Seed) -> State {
        let mut state = State {
            accounts: Vec::new(),
            images: Vec::new(),
            shares: HashMap::new(),
            faults: VecDeque::new(),
            received: Vec::new(),
            rate_limit_override: None,
            action_rate_limits: HashMap::new(),
            rate_limit_code: RateLimitCode::RequestLimitExceeded,
            windows: HashMap::new(),
            clock_offset_secs: 0,
            initial: seed.clone(),
        };
        for account in seed.accounts {
            state.add_account(account);
        }
        for image in seed.images {
            state.add_image(image);
        }
        let now = state.now_iso();
        for (image_id, account_id) in seed.shares {
            let shares = state.shares.entry(image_id).or_default();
            if !shares.iter().any(|s| s.account_id == account_id) {
                shares.push(Share {
                    account_id,
                    created_time: now.clone(),
                });
            }
        }
        state
    }

    /// Replaces any account with the same SecretId.
    pub(crate) fn add_account(&mut self, account: FakeAccount) {
        match self
            .accounts
            .iter_mut()
            .find(|a| a.secret_id == account.secret_id)
        {
            Some(existing) => *existing = account,
            None => self.accounts.push(account),
        }
    }

    /// Replaces any image with the same id, keeping its shares.
    pub(crate) fn add_image(&mut self, image: FakeImage) {
        match self
            .images
            .iter_mut()
            .find(|i| i.image_id == image.image_id)
        {
            Some(existing) => *existing = image,
            None => self.images.push(image),
        }
    }

    /// Back to the seed the fake started with (or was last reset to): no
    /// requests, faults, clock offset or rate-limit overrides.
    pub(crate) fn reset(&mut self, seed: Option<Seed>) {
        let seed = seed.unwrap_or_else(|| self.initial.clone());
        *self = State::from_seed(seed);
    }

    pub(crate) fn account_by_secret_id(&self, secret_id: &str) -> Option<&FakeAccount> {
        self.accounts.iter().find(|a| a.secret_id == secret_id)
    }

    pub(crate) fn image(&self, image_id: &str) -> Option<&FakeImage> {
        self.images.iter().find(|i| i.image_id == image_id)
    }

    /// The image `image_id` in `region`; an image elsewhere is not found.
    pub(crate) fn image_in(&self, region: &str, image_id: &str) -> Option<&FakeImage> {
        self.image(image_id).filter(|i| i.region == region)
    }

    pub(crate) fn shares_of(&self, image_id: &str) -> &[Share] {
        self.shares.get(image_id).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn is_shared_with(&self, image_id: &str, account_id: &str) -> bool {
        self.shares_of(image_id)
            .iter()
            .any(|s| s.account_id == account_id)
    }

    pub(crate) fn to_seed(&self) -> Seed {
        let mut shares = Vec::new();
        // Image order first, then share order, so a re-seeded fake lists
        // shares the same way.
        for image in &self.images {
            for share in self.shares_of(&image.image_id) {
                shares.push((image.image_id.clone(), share.account_id.clone()));
            }
        }
        // Shares of images that are not (or no longer) in the image list.
        let mut orphans: Vec<_> = self
            .shares
            .iter()
            .filter(|(id, _)| self.image(id).is_none())
            .collect();
        orphans.sort_by(|a, b| a.0.cmp(b.0));
        for (image_id, list) in orphans {
            for share in list {
                shares.push((image_id.clone(), share.account_id.clone()));
            }
        }
        Seed {
            accounts: self.accounts.clone(),
            images: self.images.clone(),
            shares,
        }
    }

    // ---- faults -------------------------------------------------------

    pub(crate) fn inject(&mut self, fault: Fault, next_n: usize) {
        if next_n > 0 {
            self.faults.push_back((fault, next_n));
        }
    }

    /// The queued faults and how many requests each still applies to.
    pub(crate) fn pending_faults(&self) -> Vec<serde_json::Value> {
        self.faults
            .iter()
            .map(|(fault, remaining)| serde_json::json!({ "fault": fault, "remaining": remaining }))
            .collect()
    }

    pub(crate) fn peek_fault(&self) -> Option<&Fault> {
        self.faults.front().map(|(fault, _)| fault)
    }

    /// Consumes one use of the front fault.
    pub(crate) fn take_fault(&mut self) -> Option<Fault> {
        let (fault, remaining) = self.faults.front_mut()?;
        let fault = fault.clone();
        *remaining -= 1;
        if *remaining == 0 {
            self.faults.pop_front();
        }
        Some(fault)
    }

    // ---- rate limit ---------------------------------------------------

    pub(crate) fn set_rate_limit(&mut self, per_second: Option<u32>) {
        self.rate_limit_override = Some(per_second);
        self.action_rate_limits.clear();
        self.windows.clear();
    }

    pub(crate) fn set_action_rate_limit(&mut self, action: &str, per_second: Option<u32>) {
        self.action_rate_limits
            .insert(action.to_owned(), per_second);
        self.windows.clear();
    }

    pub(crate) fn use_documented_rate_limits(&mut self) {
        self.rate_limit_override = None;
        self.action_rate_limits.clear();
        self.windows.clear();
    }

    /// The limit `action` has now; `None` means unlimited.
    pub(crate) fn rate_limit_for(&self, action: &str) -> Option<u32> {
        match self.action_rate_limits.get(action) {
            Some(limit) => *limit,
            None => self
                .rate_limit_override
                .unwrap_or(Some(documented_rate_limit(action))),
        }
    }

    /// Sliding one-second window per (account, action); only admitted
    /// requests count, so a client that backs off gets through.
    pub(crate) fn admit(&mut self, account_id: &str, action: &str) -> Result<(), u32> {
        let Some(limit) = self.rate_limit_for(action) else {
            return Ok(());
        };
        let now = Instant::now();
        let window = self
            .windows
            .entry((account_id.to_owned(), action.to_owned()))
            .or_default();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            window.pop_front();
        }
        if window.len() >= limit as usize {
            return Err(limit);
        }
        window.push_back(now);
        Ok(())
    }

    // ---- clock --------------------------------------------------------

    pub(crate) fn set_clock_offset_secs(&mut self, offset: i64) {
        self.clock_offset_secs = offset;
    }

    pub(crate) fn clock_offset_secs(&self) -> i64 {
        self.clock_offset_secs
    }

    /// The fake's clock: system time plus the configured offset.
    pub(crate) fn now_unix(&self) -> i64 {
        let system = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        };
        system.saturating_add(self.clock_offset_secs)
    }

    /// The fake's clock as `YYYY-MM-DDThh:mm:ssZ` (§5.2 CreatedTime).
    pub(crate) fn now_iso(&self) -> String {
        iso8601(self.now_unix())
    }
}

pub(crate) fn iso8601(unix: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => "1970-01-01T00:00:00Z".into(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn iso8601_is_utc_with_z() {
        assert_eq!(iso8601(1551113065), "2019-02-25T16:44:25Z");
    }

    #[test]
    fn faults_are_consumed_in_order() {
        let mut state = State::from_seed(Seed::default());
        state.inject(Fault::Html502, 2);
        state.inject(Fault::Throttle, 1);
        state.inject(Fault::MalformedBody, 0);
        assert_eq!(state.take_fault(), Some(Fault::Html502));
        assert_eq!(state.take_fault(), Some(Fault::Html502));
        assert_eq!(state.take_fault(), Some(Fault::Throttle));
        assert_eq!(state.take_fault(), None);
    }

    #[test]
    fn documented_limits_and_overrides() {
        let mut state = State::from_seed(Seed::default());
        assert_eq!(state.rate_limit_for("DescribeImages"), Some(40));
        assert_eq!(state.rate_limit_for("ModifyImageSharePermission"), Some(10));
        assert_eq!(
            state.rate_limit_for("DescribeImageSharePermission"),
            Some(10)
        );
        state.set_rate_limit(Some(3));
        assert_eq!(state.rate_limit_for("DescribeImages"), Some(3));
        state.set_action_rate_limit("DescribeImages", None);
        assert_eq!(state.rate_limit_for("DescribeImages"), None);
        assert_eq!(state.rate_limit_for("ModifyImageSharePermission"), Some(3));
        state.use_documented_rate_limits();
        assert_eq!(state.rate_limit_for("DescribeImages"), Some(40));
    }

    #[test]
    fn rate_limit_is_per_account_and_action() {
        let mut state = State::from_seed(Seed::default());
        state.set_rate_limit(Some(2));
        assert!(state.admit("1", "A").is_ok());
        assert!(state.admit("1", "A").is_ok());
        assert_eq!(state.admit("1", "A"), Err(2));
        assert!(state.admit("1", "B").is_ok());
        assert!(state.admit("2", "A").is_ok());
        state.set_rate_limit(None);
        assert!(state.admit("1", "A").is_ok());
    }
}
