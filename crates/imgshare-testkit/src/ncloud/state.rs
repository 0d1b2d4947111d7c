//! The NCP fake's mutable in-memory state, shared by the responder and the
//! test.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::NcloudReceivedRequest;
use super::faults::NcloudFault;
use super::seed::{NcloudAccount, NcloudClassicImage, NcloudImage, NcloudSeed};

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) accounts: Vec<NcloudAccount>,
    /// Insertion order is kept for printing; lists sort by number.
    pub(crate) images: Vec<NcloudImage>,
    pub(crate) classic_images: Vec<NcloudClassicImage>,
    faults: VecDeque<(NcloudFault, usize)>,
    pub(crate) received: Vec<NcloudReceivedRequest>,
    rate_limit: Option<u32>,
    /// (login id, action) → admission times within the last second.
    windows: HashMap<(String, String), VecDeque<Instant>>,
    clock_offset_ms: i64,
}

impl State {
    pub(crate) fn from_seed(seed: NcloudSeed) -> State {
        let mut state = State {
            accounts: Vec::new(),
            images: Vec::new(),
            classic_images: Vec::new(),
            faults: VecDeque::new(),
            received: Vec::new(),
            rate_limit: None,
            windows: HashMap::new(),
            clock_offset_ms: 0,
        };
        for account in seed.accounts {
            state.add_account(account);
        }
        for image in seed.images {
            state.add_image(image);
        }
        for image in seed.classic_images {
            state.add_classic_image(image);
        }
        state
    }

    pub(crate) fn to_seed(&self) -> NcloudSeed {
        NcloudSeed {
            accounts: self.accounts.clone(),
            images: self.images.clone(),
            classic_images: self.classic_images.clone(),
        }
    }

    /// Replaces any account with the same access key.
    pub(crate) fn add_account(&mut self, account: NcloudAccount) {
        match self
            .accounts
            .iter_mut()
            .find(|a| a.access_key == account.access_key)
        {
            Some(existing) => *existing = account,
            None => self.accounts.push(account),
        }
    }

    /// Replaces any VPC image with the same number (shares included).
    pub(crate) fn add_image(&mut self, image: NcloudImage) {
        match self
            .images
            .iter_mut()
            .find(|i| i.image_no == image.image_no)
        {
            Some(existing) => *existing = image,
            None => self.images.push(image),
        }
    }

    /// Replaces any Classic image with the same number (shares included).
    pub(crate) fn add_classic_image(&mut self, image: NcloudClassicImage) {
        match self
            .classic_images
            .iter_mut()
            .find(|i| i.image_no == image.image_no)
        {
            Some(existing) => *existing = image,
            None => self.classic_images.push(image),
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

    // ---- faults -------------------------------------------------------

    pub(crate) fn inject(&mut self, fault: NcloudFault, next_n: usize) {
        if next_n > 0 {
            self.faults.push_back((fault, next_n));
        }
    }

    pub(crate) fn peek_fault(&self) -> Option<&NcloudFault> {
        self.faults.front().map(|(fault, _)| fault)
    }

    /// Consumes one use of the front fault.
    pub(crate) fn take_fault(&mut self) -> Option<NcloudFault> {
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
        self.rate_limit = per_second;
        self.windows.clear();
    }

    /// Sliding one-second window per (account, action); only admitted
    /// requests count, so a client that backs off gets through.
    pub(crate) fn admit(&mut self, login_id: &str, action: &str) -> Result<(), u32> {
        let Some(limit) = self.rate_limit else {
            return Ok(());
        };
        let now = Instant::now();
        let window = self
            .windows
            .entry((login_id.to_owned(), action.to_owned()))
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

    pub(crate) fn set_clock_offset_ms(&mut self, offset: i64) {
        self.clock_offset_ms = offset;
    }

    /// The fake's clock in Unix milliseconds: system time plus the offset
    /// (clamped at 0).
    pub(crate) fn now_ms(&self) -> u64 {
        let system = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(_) => 0,
        };
        u64::try_from(system.saturating_add(self.clock_offset_ms)).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_consumed_in_order() {
        let mut state = State::from_seed(NcloudSeed::default());
        state.inject(NcloudFault::Html502, 2);
        state.inject(NcloudFault::RateLimited, 1);
        state.inject(NcloudFault::MalformedBody, 0);
        assert_eq!(state.take_fault(), Some(NcloudFault::Html502));
        assert_eq!(state.take_fault(), Some(NcloudFault::Html502));
        assert_eq!(state.take_fault(), Some(NcloudFault::RateLimited));
        assert_eq!(state.take_fault(), None);
    }

    #[test]
    fn rate_limit_is_per_account_and_action() {
        let mut state = State::from_seed(NcloudSeed::default());
        assert!(state.admit("a", "x").is_ok());
        state.set_rate_limit(Some(2));
        assert!(state.admit("a", "x").is_ok());
        assert!(state.admit("a", "x").is_ok());
        assert_eq!(state.admit("a", "x"), Err(2));
        assert!(state.admit("a", "y").is_ok());
        assert!(state.admit("b", "x").is_ok());
    }

    #[test]
    fn clock_offset_moves_now() {
        let mut state = State::from_seed(NcloudSeed::default());
        let before = state.now_ms();
        state.set_clock_offset_ms(-600_000);
        assert!(state.now_ms() + 500_000 < before);
    }
}
