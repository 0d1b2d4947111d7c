//! The fake SCP's in-memory state: keys, images, members, and the fake's strictness.

use std::time::Duration;

use wiremock::Request;

use super::handlers::OPERATIONS;
use super::seed::{ScpAccount, ScpImage, ScpMember, ScpSeed};
use super::{ScpFault, ScpReceivedRequest, faults, gateway, seed};
use crate::harness::{Clock, Cloud, Env, Reply, log_outcome, upsert, with_defaults};

/// Deprecated versions past their "Not Before" date.
pub(crate) const RETIRED_VERSIONS: [&str; 2] = ["1.0", "1.1"];

/// The version assumed when the header is omitted in lenient mode: the
/// latest CURRENT one documented.
pub(crate) const FALLBACK_VERSION: &str = "1.3";

with_defaults! {
    /// The fake SCP `virtualserver` service: what it holds between requests, and how strict it
    /// is. The harness runs it as [`ScpFake`](crate::ScpFake).
    #[derive(Debug)]
    pub struct Scp {
        /// Its accounts, images (in insertion order; listing sorts explicitly) and members
        /// (oldest first, with both timestamps set).
        pub(crate) data: ScpSeed = ScpSeed::default(),
        /// How far `Scp-Timestamp` may be from the fake's clock; undocumented, so the fake
        /// borrows NAVER Cloud's five minutes.
        pub(crate) timestamp_window: Option<Duration> = Some(Duration::from_secs(300)),
        /// Whether `Scp-Api-Version` and `Accept-Language` are required.
        pub(crate) strict_headers: bool = true,
        /// The versions served: the non-deprecated rows of the version table (1.2 SUPPORTED,
        /// 1.3 CURRENT).
        pub(crate) versions: Vec<String> = vec!["1.2".into(), "1.3".into()],
        /// Counter for the gateway 404 `requestId`.
        pub(crate) gateway_sequence: u64 = 0,
    }
}

impl Scp {
    pub(crate) fn account_by_access_key(&self, access_key: &str) -> Option<&ScpAccount> {
        self.data
            .accounts
            .iter()
            .find(|a| a.access_key == access_key)
    }

    pub(crate) fn image(&self, image_id: &str) -> Option<&ScpImage> {
        self.data.images.iter().find(|i| i.id == image_id)
    }

    pub(crate) fn image_mut(&mut self, image_id: &str) -> Option<&mut ScpImage> {
        self.data.images.iter_mut().find(|i| i.id == image_id)
    }

    pub(crate) fn members_of(&self, image_id: &str) -> impl Iterator<Item = &ScpMember> {
        self.data
            .members
            .iter()
            .filter(move |m| m.image_id == image_id)
    }

    /// Where `member_id`'s membership of `image_id` is in the list (there is at most one).
    fn member_at(&self, image_id: &str, member_id: &str) -> Option<usize> {
        let mut members = self.data.members.iter();
        members.position(|m| m.image_id == image_id && m.member_id == member_id)
    }

    pub(crate) fn member(&self, image_id: &str, member_id: &str) -> Option<&ScpMember> {
        self.data.members.get(self.member_at(image_id, member_id)?)
    }

    pub(crate) fn member_mut(&mut self, image_id: &str, member_id: &str) -> Option<&mut ScpMember> {
        let at = self.member_at(image_id, member_id)?;
        self.data.members.get_mut(at)
    }

    pub(crate) fn remove_member(&mut self, image_id: &str, member_id: &str) -> bool {
        let at = self.member_at(image_id, member_id);
        at.map(|at| self.data.members.remove(at)).is_some()
    }
}

impl Cloud for Scp {
    const NAME: &'static str = "scp";
    /// Every path under `/v1/`.
    const PATHS: &'static str = "^/v1/";
    const PRIORITY: u8 = 1;
    type Seed = ScpSeed;
    type Fault = ScpFault;
    type Record = ScpReceivedRequest;

    fn merge(&mut self, seed: ScpSeed, clock: Clock) {
        for account in seed.accounts {
            upsert(&mut self.data.accounts, account, |a| &a.access_key);
        }
        for image in seed.images {
            upsert(&mut self.data.images, image, |i| &i.id);
        }
        for mut member in seed.members {
            let created_at = member.created_at.get_or_insert_with(|| clock.now_utc());
            let created_at = created_at.clone();
            member.updated_at.get_or_insert(created_at);
            match self.member_mut(&member.image_id, &member.member_id) {
                Some(existing) => *existing = member,
                None => self.data.members.push(member),
            }
        }
    }

    fn seed(&self) -> ScpSeed {
        self.data.clone()
    }

    const PROBLEMS: fn(&ScpSeed) -> Vec<String> = seed::problems;
    const RECORD: fn(&Request) -> ScpReceivedRequest = gateway::record;
    const FAULT: fn(&ScpFault, &Request) -> Reply = faults::answer;
    const SERVE: fn(&mut Scp, &mut Env<'_>, &Request, &mut ScpReceivedRequest) -> Reply =
        gateway::serve;

    fn actions() -> Vec<String> {
        let mut templates: Vec<String> = OPERATIONS.iter().map(|op| op.1.to_owned()).collect();
        templates.dedup();
        templates
    }

    log_outcome!();
}

#[cfg(test)]
mod tests {
    use super::super::ScpMemberStatus;
    use super::*;

    #[test]
    fn seeded_members_get_timestamps_and_round_trip() {
        let mut seed = ScpSeed::demo();
        seed.members.push(
            ScpMember::new(seed.images[0].id.clone(), "b").with_status(ScpMemberStatus::Accepted),
        );
        let mut state = Scp::default();
        state.merge(seed.clone(), Clock::default());
        let out = state.seed();
        assert_eq!(out.members.len(), 1);
        assert_eq!(out.members[0].status, ScpMemberStatus::Accepted);
        let created = out.members[0].created_at.clone().unwrap_or_default();
        assert_eq!(created.len(), 20, "{created}");
        assert!(created.ends_with('Z'));
        assert_eq!(out.images, seed.images);
    }
}
