//! The fake's mutable in-memory state, shared by the responder and the test.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::ScpReceivedRequest;
use super::errors::rfc3339;
use super::faults::ScpFault;
use super::seed::{ScpAccount, ScpImage, ScpMember, ScpSeed};

/// Default `Scp-Timestamp` window; undocumented (scp.md §1.6), so the fake
/// borrows NAVER Cloud's five minutes.
pub(crate) const DEFAULT_TIMESTAMP_WINDOW: Duration = Duration::from_secs(300);

/// Versions served by default: the non-deprecated rows of seed 003 (§2.4
/// snapshot C: 1.2 SUPPORTED, 1.3 CURRENT).
pub(crate) const DEFAULT_VERSIONS: [&str; 2] = ["1.2", "1.3"];

/// Deprecated versions past their "Not Before" date (§2.3, §2.4).
pub(crate) const RETIRED_VERSIONS: [&str; 2] = ["1.0", "1.1"];

/// The version assumed when the header is omitted in lenient mode: the
/// latest CURRENT one the notes document (§2.3).
pub(crate) const FALLBACK_VERSION: &str = "1.3";

/// One member, with timestamps always set.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub(crate) image_id: String,
    pub(crate) member_id: String,
    pub(crate) status: super::ScpMemberStatus,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl Member {
    pub(crate) fn to_public(&self) -> ScpMember {
        ScpMember {
            image_id: self.image_id.clone(),
            member_id: self.member_id.clone(),
            status: self.status,
            created_at: Some(self.created_at.clone()),
            updated_at: Some(self.updated_at.clone()),
        }
    }
}

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) accounts: Vec<ScpAccount>,
    /// Insertion order; listing sorts explicitly.
    pub(crate) images: Vec<ScpImage>,
    /// Oldest first.
    pub(crate) members: Vec<Member>,
    faults: VecDeque<(ScpFault, usize)>,
    pub(crate) received: Vec<ScpReceivedRequest>,
    clock_offset_ms: i64,
    pub(crate) timestamp_window: Option<Duration>,
    pub(crate) strict_headers: bool,
    pub(crate) versions: Vec<String>,
    /// Counter for the gateway 404 `requestId`.
    pub(crate) gateway_sequence: u64,
}

impl State {
    pub(crate) fn from_seed(seed: ScpSeed) -> State {
        let mut state = State {
            accounts: Vec::new(),
            images: Vec::new(),
            members: Vec::new(),
            faults: VecDeque::new(),
            received: Vec::new(),
            clock_offset_ms: 0,
            timestamp_window: Some(DEFAULT_TIMESTAMP_WINDOW),
            strict_headers: true,
            versions: DEFAULT_VERSIONS.iter().map(|v| (*v).to_owned()).collect(),
            gateway_sequence: 0,
        };
        for account in seed.accounts {
            state.add_account(account);
        }
        for image in seed.images {
            state.add_image(image);
        }
        for member in seed.members {
            state.add_member(member);
        }
        state
    }

    /// Replaces any account with the same access key.
    pub(crate) fn add_account(&mut self, account: ScpAccount) {
        match self
            .accounts
            .iter_mut()
            .find(|a| a.access_key == account.access_key)
        {
            Some(existing) => *existing = account,
            None => self.accounts.push(account),
        }
    }

    /// Replaces any image with the same id, keeping its members.
    pub(crate) fn add_image(&mut self, image: ScpImage) {
        match self.images.iter_mut().find(|i| i.id == image.id) {
            Some(existing) => *existing = image,
            None => self.images.push(image),
        }
    }

    /// Adds or replaces the (image, member) pair; missing times are "now".
    pub(crate) fn add_member(&mut self, member: ScpMember) {
        let now = self.now_rfc3339();
        let created_at = member.created_at.unwrap_or_else(|| now.clone());
        let updated_at = member.updated_at.unwrap_or_else(|| created_at.clone());
        let member = Member {
            image_id: member.image_id,
            member_id: member.member_id,
            status: member.status,
            created_at,
            updated_at,
        };
        match self.member_mut(&member.image_id, &member.member_id) {
            Some(existing) => *existing = member,
            None => self.members.push(member),
        }
    }

    pub(crate) fn account_by_access_key(&self, access_key: &str) -> Option<&ScpAccount> {
        self.accounts.iter().find(|a| a.access_key == access_key)
    }

    pub(crate) fn image(&self, image_id: &str) -> Option<&ScpImage> {
        self.images.iter().find(|i| i.id == image_id)
    }

    pub(crate) fn image_mut(&mut self, image_id: &str) -> Option<&mut ScpImage> {
        self.images.iter_mut().find(|i| i.id == image_id)
    }

    pub(crate) fn members_of(&self, image_id: &str) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(move |m| m.image_id == image_id)
    }

    pub(crate) fn member(&self, image_id: &str, member_id: &str) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.image_id == image_id && m.member_id == member_id)
    }

    pub(crate) fn member_mut(&mut self, image_id: &str, member_id: &str) -> Option<&mut Member> {
        self.members
            .iter_mut()
            .find(|m| m.image_id == image_id && m.member_id == member_id)
    }

    pub(crate) fn remove_member(&mut self, image_id: &str, member_id: &str) -> bool {
        let before = self.members.len();
        self.members
            .retain(|m| !(m.image_id == image_id && m.member_id == member_id));
        self.members.len() != before
    }

    pub(crate) fn to_seed(&self) -> ScpSeed {
        ScpSeed {
            accounts: self.accounts.clone(),
            images: self.images.clone(),
            members: self.members.iter().map(Member::to_public).collect(),
        }
    }

    // ---- faults -------------------------------------------------------

    pub(crate) fn inject(&mut self, fault: ScpFault, next_n: usize) {
        if next_n > 0 {
            self.faults.push_back((fault, next_n));
        }
    }

    pub(crate) fn peek_fault(&self) -> Option<&ScpFault> {
        self.faults.front().map(|(fault, _)| fault)
    }

    /// Consumes one use of the front fault.
    pub(crate) fn take_fault(&mut self) -> Option<ScpFault> {
        let (fault, remaining) = self.faults.front_mut()?;
        let fault = fault.clone();
        *remaining -= 1;
        if *remaining == 0 {
            self.faults.pop_front();
        }
        Some(fault)
    }

    // ---- clock --------------------------------------------------------

    pub(crate) fn set_clock_offset_ms(&mut self, offset: i64) {
        self.clock_offset_ms = offset;
    }

    /// The fake's clock in Unix milliseconds: system time plus the offset.
    pub(crate) fn now_ms(&self) -> i64 {
        let system = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
        };
        system.saturating_add(self.clock_offset_ms)
    }

    /// The fake's clock as `YYYY-MM-DDThh:mm:ssZ` (§3.2).
    pub(crate) fn now_rfc3339(&self) -> String {
        rfc3339(self.now_ms().div_euclid(1000))
    }
}

#[cfg(test)]
mod tests {
    use super::super::ScpMemberStatus;
    use super::*;

    #[test]
    fn faults_are_consumed_in_order() {
        let mut state = State::from_seed(ScpSeed::default());
        state.inject(ScpFault::Html502, 2);
        state.inject(ScpFault::Throttle, 1);
        state.inject(ScpFault::MalformedBody, 0);
        assert_eq!(state.take_fault(), Some(ScpFault::Html502));
        assert_eq!(state.take_fault(), Some(ScpFault::Html502));
        assert_eq!(state.take_fault(), Some(ScpFault::Throttle));
        assert_eq!(state.take_fault(), None);
    }

    #[test]
    fn seeded_members_get_timestamps_and_round_trip() {
        let mut seed = ScpSeed::demo();
        seed.members.push(
            ScpMember::new(seed.images[0].id.clone(), "b").with_status(ScpMemberStatus::Accepted),
        );
        let state = State::from_seed(seed.clone());
        let out = state.to_seed();
        assert_eq!(out.members.len(), 1);
        assert_eq!(out.members[0].status, ScpMemberStatus::Accepted);
        let created = out.members[0].created_at.clone().unwrap_or_default();
        assert_eq!(created.len(), 20, "{created}");
        assert!(created.ends_with('Z'));
        assert_eq!(out.images, seed.images);
    }
}
