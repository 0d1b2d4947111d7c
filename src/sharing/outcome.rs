//! Sharing and unsharing that are safe to re-run, the same way on every provider:
//! [`share_accounts`] and [`unshare_accounts`] read the image's shares first and call the
//! provider only for the accounts that need it, so running either again changes nothing and
//! reports why ([`ShareOutcome::already_shared`], [`ShareOutcome::not_member`]).

use std::collections::BTreeSet;
use std::fmt;

use imgshare_core::InvalidInput;
use imgshare_core::validate::unique;

use super::{FailedChange, ImageSharing, Share, SharingError};

/// What [`share_accounts`] or [`unshare_accounts`] did, account by account, and the shares
/// read back afterwards. Like [`reconcile`](super::reconcile), it never claims a change the
/// provider's own listing does not show: a failed call whose account the listing shows changed
/// is counted as applied. Serialised as `{"shared", "already_shared", "removed", "not_member"}`
/// (the image, the failures and the listing are not serialised). Displayed as one line saying
/// what was done: `shared IMG with A, B; already shared with C`, `unshared IMG with A; not
/// shared with X`, or, when nothing changed, `IMG was already shared with C; nothing changed` /
/// `IMG was not shared with X; nothing changed`.
#[derive(Debug, serde::Serialize)]
#[non_exhaustive]
pub struct ShareOutcome {
    /// The image.
    #[serde(skip)]
    pub image: String,
    /// Accounts this run shared the image with.
    pub shared: Vec<String>,
    /// Accounts that already had the image (share only); nothing was sent for them.
    pub already_shared: Vec<String>,
    /// Accounts this run stopped sharing with.
    pub removed: Vec<String>,
    /// Accounts the image was not shared with (unshare only); nothing was sent for them.
    pub not_member: Vec<String>,
    /// Calls that failed, with the accounts they left undone.
    #[serde(skip)]
    pub failed: Vec<FailedChange>,
    /// The shares read back after the change, or why they could not be read.
    #[serde(skip)]
    pub shares: Result<Vec<Share>, SharingError>,
}

impl ShareOutcome {
    /// Every account whose change failed (as [`super::ReconcileReport::failed_accounts`]).
    pub fn failed_accounts(&self) -> impl Iterator<Item = &str> {
        self.failed
            .iter()
            .flat_map(|f| f.accounts.iter().map(String::as_str))
    }

    /// Whether every account is where it was asked to be.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
    }

    /// Whether this run changed anything.
    pub fn changed(&self) -> bool {
        !self.shared.is_empty() || !self.removed.is_empty()
    }
}

impl fmt::Display for ShareOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unsharing = !self.removed.is_empty() || !self.not_member.is_empty();
        let (done, kept, verb, kept_as) = match unsharing {
            false => (
                &self.shared,
                &self.already_shared,
                "shared",
                "already shared",
            ),
            true => (&self.removed, &self.not_member, "unshared", "not shared"),
        };
        let (image, done, kept) = (&self.image, done.join(", "), kept.join(", "));
        match (done.is_empty(), kept.is_empty()) {
            (true, _) => write!(f, "{image} was {kept_as} with {kept}; nothing changed"),
            (false, true) => write!(f, "{verb} {image} with {done}"),
            (false, false) => write!(f, "{verb} {image} with {done}; {kept_as} with {kept}"),
        }
    }
}

/// Shares `image` with each of `accounts` it is not yet shared with.
///
/// # Errors
///
/// Only when nothing was done: an account the provider would refuse or a repeated one
/// (before anything is sent), or the shares cannot be read. Failed calls are in
/// [`ShareOutcome::failed`].
pub async fn share_accounts(
    sharing: &(impl ImageSharing + ?Sized),
    image: &str,
    accounts: &[String],
) -> Result<ShareOutcome, SharingError> {
    change(sharing, image, accounts, true).await
}

/// Stops sharing `image` with each of `accounts` it is shared with.
///
/// # Errors
///
/// As [`share_accounts`].
pub async fn unshare_accounts(
    sharing: &(impl ImageSharing + ?Sized),
    image: &str,
    accounts: &[String],
) -> Result<ShareOutcome, SharingError> {
    change(sharing, image, accounts, false).await
}

async fn change(
    sharing: &(impl ImageSharing + ?Sized),
    image: &str,
    accounts: &[String],
    adding: bool,
) -> Result<ShareOutcome, SharingError> {
    let invalid = |e: InvalidInput| SharingError::Core {
        provider: sharing.provider(),
        error: e.into(),
    };
    sharing.check_accounts(accounts).map_err(invalid)?;
    unique("accounts", accounts).map_err(invalid)?;
    let before = sharing.list_shares(image).await?;
    let current = members(before.clone());
    let (present, absent): (Vec<String>, Vec<String>) =
        accounts.iter().cloned().partition(|a| current.contains(a));
    let (to_call, untouched) = if adding {
        (absent, present)
    } else {
        (present, absent)
    };
    let mut done = Vec::new();
    let mut failures = Vec::new();
    for chunk in to_call.chunks(sharing.max_accounts_per_call().max(1)) {
        let result = if adding {
            sharing.share(image, chunk).await
        } else {
            sharing.unshare(image, chunk).await
        };
        match result {
            Ok(()) => done.extend_from_slice(chunk),
            Err(error) => failures.push((chunk.to_vec(), error)),
        }
    }
    // With nothing sent, the first reading is still the state: a re-run costs one listing.
    let shares = if to_call.is_empty() {
        Ok(before)
    } else {
        sharing.list_shares(image).await
    };
    // A failed call may still have been applied (a timeout after the server acted): believe
    // the listing, not the error.
    let after = shares.as_ref().ok().map(|s| members(s.clone()));
    let mut failed = Vec::new();
    for (chunk, error) in failures {
        let (applied, undone): (Vec<String>, Vec<String>) = chunk.into_iter().partition(|a| {
            after
                .as_ref()
                .is_some_and(|after| after.contains(a) == adding)
        });
        done.extend(applied);
        if !undone.is_empty() {
            failed.push(FailedChange {
                sharing: adding,
                accounts: undone,
                error,
            });
        }
    }
    let (shared, already_shared, removed, not_member) = if adding {
        (done, untouched, Vec::new(), Vec::new())
    } else {
        (Vec::new(), Vec::new(), done, untouched)
    };
    Ok(ShareOutcome {
        image: image.to_owned(),
        shared,
        already_shared,
        removed,
        not_member,
        failed,
        shares,
    })
}

fn members(shares: Vec<Share>) -> BTreeSet<String> {
    shares.into_iter().map(|s| s.account).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::Mutex;

    use imgshare_core::ErrorMetadata as _;
    use imgshare_core::credentials::BoxFuture;

    use super::*;
    use crate::sharing::ShareState;

    /// An in-memory provider that records its calls; a share of `fail` fails (and is applied
    /// anyway when `applied`, as a timeout after the server acted would be).
    #[derive(Debug, Default)]
    struct Memory {
        shares: Mutex<BTreeSet<String>>,
        calls: Mutex<Vec<String>>,
        fail: Option<(&'static str, bool)>,
    }

    impl ImageSharing for Memory {
        fn provider(&self) -> &'static str {
            "memory"
        }

        fn share_request<'a>(
            &'a self,
            _image: &'a str,
            accounts: &'a [String],
        ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
            Box::pin(async move {
                self.calls
                    .lock()
                    .unwrap()
                    .push(format!("share {accounts:?}"));
                if let Some((bad, applied)) = self.fail
                    && accounts.iter().any(|a| a == bad)
                {
                    if applied {
                        self.shares.lock().unwrap().extend(accounts.iter().cloned());
                    }
                    return Err(SharingError::invalid("memory", "accounts", "injected"));
                }
                self.shares.lock().unwrap().extend(accounts.iter().cloned());
                Ok(None)
            })
        }

        fn unshare_request<'a>(
            &'a self,
            _image: &'a str,
            accounts: &'a [String],
        ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
            Box::pin(async move {
                self.calls
                    .lock()
                    .unwrap()
                    .push(format!("unshare {accounts:?}"));
                let mut shares = self.shares.lock().unwrap();
                accounts.iter().for_each(|a| {
                    shares.remove(a);
                });
                Ok(None)
            })
        }

        fn list_shares<'a>(
            &'a self,
            _image: &'a str,
        ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
            Box::pin(async move {
                self.calls.lock().unwrap().push("list".into());
                let shares = self.shares.lock().unwrap();
                Ok(shares
                    .iter()
                    .map(|a| Share::new(a, ShareState::Active, None))
                    .collect())
            })
        }

        fn check_accounts(&self, accounts: &[String]) -> Result<(), InvalidInput> {
            match accounts.iter().position(|a| a.is_empty()) {
                Some(_) => Err(InvalidInput::new("accounts", "empty")),
                None => Ok(()),
            }
        }

        fn max_accounts_per_call(&self) -> usize {
            2
        }
    }

    fn accounts(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    /// Fails if a re-run sends a mutating call, reads the shares twice when nothing was sent,
    /// or reports the same account twice.
    #[tokio::test]
    async fn share_and_unshare_twice_call_only_for_what_is_needed() {
        let memory = Memory::default();
        memory.shares.lock().unwrap().insert("a".into());
        let first = share_accounts(&memory, "img", &accounts(&["a", "b", "c", "d"]))
            .await
            .unwrap();
        assert_eq!(first.shared, ["b", "c", "d"]);
        assert_eq!(first.already_shared, ["a"]);
        assert!(first.changed() && first.is_complete());
        assert_eq!(first.shares.as_ref().unwrap().len(), 4);
        let again = share_accounts(&memory, "img", &accounts(&["b"]))
            .await
            .unwrap();
        assert!(again.shared.is_empty() && !again.changed());
        assert_eq!(again.already_shared, ["b"]);
        let removed = unshare_accounts(&memory, "img", &accounts(&["b", "x"]))
            .await
            .unwrap();
        assert_eq!(
            (removed.removed.as_slice(), removed.not_member.as_slice()),
            (&["b".to_owned()][..], &["x".to_owned()][..])
        );
        let again = unshare_accounts(&memory, "img", &accounts(&["b"]))
            .await
            .unwrap();
        assert!(again.removed.is_empty());
        assert_eq!(again.not_member, ["b"]);
        assert_eq!(
            memory.calls.lock().unwrap().as_slice(),
            [
                "list",
                r#"share ["b", "c"]"#,
                r#"share ["d"]"#,
                "list",
                "list",
                "list",
                r#"unshare ["b"]"#,
                "list",
                "list",
            ]
        );
    }

    /// Fails if an outcome's line mixes up sharing and unsharing, leaves out what was done or
    /// what needed nothing, or claims a change when there was none.
    #[tokio::test]
    async fn an_outcome_reads_as_one_line_of_what_was_done() {
        let memory = Memory::default();
        memory.shares.lock().unwrap().insert("a".into());
        let line = |outcome: Result<ShareOutcome, SharingError>| outcome.unwrap().to_string();
        let both = line(share_accounts(&memory, "img", &accounts(&["a", "b", "c"])).await);
        assert_eq!(both, "shared img with b, c; already shared with a");
        let only = line(share_accounts(&memory, "img", &accounts(&["d"])).await);
        assert_eq!(only, "shared img with d");
        let none = line(share_accounts(&memory, "img", &accounts(&["d"])).await);
        assert_eq!(none, "img was already shared with d; nothing changed");
        let removed = line(unshare_accounts(&memory, "img", &accounts(&["d", "x"])).await);
        assert_eq!(removed, "unshared img with d; not shared with x");
        let none = line(unshare_accounts(&memory, "img", &accounts(&["x"])).await);
        assert_eq!(none, "img was not shared with x; nothing changed");
    }

    /// Fails if the JSON of an outcome or a share loses a field, renames one, writes the state
    /// other than as its text or the time other than in RFC 3339, or leaks the failures.
    #[tokio::test]
    async fn outcomes_and_shares_serialise_in_the_documented_shape() {
        let memory = Memory::default();
        memory.shares.lock().unwrap().insert("a".into());
        let outcome = share_accounts(&memory, "img", &accounts(&["a", "b"]))
            .await
            .unwrap();
        assert_eq!(
            serde_json::to_value(&outcome).unwrap(),
            serde_json::json!({"shared": ["b"], "already_shared": ["a"], "removed": [], "not_member": []})
        );
        let since = time::macros::datetime!(2024-05-01 12:00:00 UTC);
        let shares = [
            Share::new("a", ShareState::Unknown("Odd".into()), Some(since)),
            Share::new("b", ShareState::Pending, None),
        ];
        assert_eq!(
            serde_json::to_value(shares).unwrap(),
            serde_json::json!([
                {"account": "a", "state": "Odd", "since": "2024-05-01T12:00:00Z"},
                {"account": "b", "state": "pending", "since": null},
            ])
        );
    }

    /// Fails if a repeated or malformed account is sent, or read for, before being refused.
    #[tokio::test]
    async fn bad_accounts_are_refused_before_anything_is_sent() {
        let memory = Memory::default();
        for bad in [&["a", "b", "a"][..], &["a", ""][..]] {
            let error = share_accounts(&memory, "img", &accounts(bad))
                .await
                .unwrap_err();
            assert!(error.as_core().as_invalid_input().is_some(), "{error}");
        }
        assert!(memory.calls.lock().unwrap().is_empty());
    }

    /// Fails if a failed call is reported from the error rather than from the listing.
    #[tokio::test]
    async fn failed_calls_are_settled_by_the_listing() {
        let lost = Memory {
            fail: Some(("c", true)),
            ..Memory::default()
        };
        let outcome = share_accounts(&lost, "img", &accounts(&["b", "c"]))
            .await
            .unwrap();
        assert_eq!(outcome.shared, ["b", "c"]);
        assert!(outcome.is_complete());
        let refused = Memory {
            fail: Some(("c", false)),
            ..Memory::default()
        };
        let outcome = share_accounts(&refused, "img", &accounts(&["b", "c", "d"]))
            .await
            .unwrap();
        assert_eq!(outcome.shared, ["d"]);
        assert_eq!(outcome.failed.len(), 1);
        assert_eq!(outcome.failed[0].accounts, ["b", "c"]);
        assert_eq!(outcome.failed_accounts().collect::<Vec<_>>(), ["b", "c"]);
        assert!(outcome.failed[0].sharing && !outcome.is_complete());
    }
}
