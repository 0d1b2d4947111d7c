//! Sharing with a batch of accounts that is safe to repeat, for APIs whose share call is all or
//! nothing, takes no client token, and refuses the whole batch when any account already has the
//! image. A share whose answer was lost (a timeout, a dropped connection) cannot be retried
//! blindly, and repeating it by hand is refused; [`share_missing`] reads the shares back on that
//! refusal and shares only the accounts still missing, so running it again changes nothing.
//!
//! The provider crate supplies its two calls and says which error is the refusal.

use std::future::Future;

/// How many times [`share_missing`] shares the missing accounts again when another writer keeps
/// adding some of them in between.
pub const MAX_ROUNDS: usize = 3;

/// What [`share_missing`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShareOutcome {
    /// Accounts this call shared the image with, in the order given.
    pub newly_shared: Vec<String>,
    /// Accounts the image was already shared with, in the order given.
    pub already_shared: Vec<String>,
    /// The request id of the call that applied `newly_shared` (`None` when nothing needed
    /// sharing).
    pub request_id: Option<String>,
}

/// Shares with `accounts` (a repeated account counts once) through `share`, which answers its
/// request id. When `share` fails with an error `is_refusal` accepts, `list` reads the accounts
/// that have the image and `share` is called again with the ones still missing, at most
/// [`MAX_ROUNDS`] times in all.
///
/// # Errors
///
/// `share`'s or `list`'s error. The refusal itself when the listing shows none of the accounts
/// it was about (the refusal then has another cause), or after [`MAX_ROUNDS`].
pub async fn share_missing<E, Share, Shared, List, Listed>(
    accounts: impl IntoIterator<Item = String>,
    share: Share,
    is_refusal: impl Fn(&E) -> bool,
    list: List,
) -> Result<ShareOutcome, E>
where
    Share: Fn(Vec<String>) -> Shared,
    Shared: Future<Output = Result<String, E>>,
    List: Fn() -> Listed,
    Listed: Future<Output = Result<Vec<String>, E>>,
{
    let mut wanted: Vec<String> = Vec::new();
    for account in accounts {
        if !wanted.contains(&account) {
            wanted.push(account);
        }
    }
    let mut missing = wanted.clone();
    let mut round = 0;
    loop {
        round += 1;
        let refusal = match share(missing.clone()).await {
            Ok(request_id) => return Ok(outcome(&wanted, &missing, Some(request_id))),
            Err(e) if is_refusal(&e) => e,
            Err(e) => return Err(e),
        };
        let shared = list().await?;
        let still: Vec<String> = missing
            .iter()
            .filter(|a| !shared.contains(a))
            .cloned()
            .collect();
        if still.is_empty() {
            return Ok(outcome(&wanted, &[], None));
        }
        if still.len() == missing.len() || round == MAX_ROUNDS {
            return Err(refusal);
        }
        missing = still;
    }
}

fn outcome(wanted: &[String], newly: &[String], request_id: Option<String>) -> ShareOutcome {
    let (newly_shared, already_shared) = wanted.iter().cloned().partition(|a| newly.contains(a));
    ShareOutcome {
        newly_shared,
        already_shared,
        request_id,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::Mutex;

    /// An image shared with `has`; a share naming any of them is refused as a whole.
    struct Image {
        has: Mutex<Vec<String>>,
        calls: Mutex<Vec<Vec<String>>>,
    }

    impl Image {
        fn new(has: &[&str]) -> Self {
            Self {
                has: Mutex::new(has.iter().map(|a| a.to_string()).collect()),
                calls: Mutex::new(Vec::new()),
            }
        }

        async fn share(&self, accounts: Vec<String>) -> Result<String, &'static str> {
            self.calls.lock().unwrap().push(accounts.clone());
            let mut has = self.has.lock().unwrap();
            if accounts.iter().any(|a| has.contains(a)) {
                return Err("already");
            }
            has.extend(accounts);
            Ok("req".to_owned())
        }

        async fn list(&self) -> Result<Vec<String>, &'static str> {
            Ok(self.has.lock().unwrap().clone())
        }
    }

    fn ids(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|a| a.to_string()).collect()
    }

    #[tokio::test]
    async fn shares_only_the_missing_accounts_after_a_refusal() {
        // Catches re-sending the whole batch (refused forever) or counting the refused call's
        // accounts as newly shared.
        let image = Image::new(&["2"]);
        let outcome = share_missing(
            ids(&["1", "2", "3", "1"]),
            |a| image.share(a),
            |e| *e == "already",
            || image.list(),
        )
        .await
        .unwrap();
        assert_eq!(outcome.newly_shared, ids(&["1", "3"]));
        assert_eq!(outcome.already_shared, ids(&["2"]));
        assert_eq!(outcome.request_id.as_deref(), Some("req"));
        let calls = image.calls.lock().unwrap().clone();
        assert_eq!(calls, vec![ids(&["1", "2", "3"]), ids(&["1", "3"])]);
    }

    #[tokio::test]
    async fn a_refusal_the_listing_does_not_explain_is_returned() {
        // Catches looping on a refusal that is about something else (none of the accounts
        // shows up in the listing).
        let image = Image::new(&[]);
        let refuse = |_: Vec<String>| async { Err::<String, _>("already") };
        let err = share_missing(ids(&["1"]), refuse, |e| *e == "already", || image.list())
            .await
            .unwrap_err();
        assert_eq!(err, "already");
        let done = Image::new(&["1"]);
        let outcome = share_missing(ids(&["1"]), |a| done.share(a), |_| true, || done.list())
            .await
            .unwrap();
        assert_eq!(outcome.already_shared, ids(&["1"]));
        assert_eq!(outcome.request_id, None);
    }
}
