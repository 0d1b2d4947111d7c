//! One interface across clouds: [`ImageSharing`], implemented by each provider's client, and
//! [`reconcile`], which makes an image's shares exactly a desired set.
//!
//! The trait is object safe (methods return boxed futures), so a service can hold
//! `Vec<Box<dyn ImageSharing>>` across providers and accounts.

use std::collections::BTreeSet;
use std::fmt;

use imgshare_core::credentials::BoxFuture;
use imgshare_core::{Error, ErrorMetadata, InvalidInput};
use time::OffsetDateTime;

/// Where a share stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ShareState {
    /// The account can use the image (Tencent and NAVER Cloud shares).
    Active,
    /// SCP: offered, not yet accepted by the recipient.
    Pending,
    /// SCP: accepted by the recipient.
    Accepted,
    /// SCP: rejected by the recipient; the member still exists.
    Rejected,
    /// A state this version of the SDK does not know; the provider's word is kept.
    Unknown(String),
}

impl fmt::Display for ShareState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ShareState::Active => "active",
            ShareState::Pending => "pending",
            ShareState::Accepted => "accepted",
            ShareState::Rejected => "rejected",
            ShareState::Unknown(s) => s,
        })
    }
}

/// Serialised as its [`Display`](fmt::Display) text (`"active"`, `"pending"`, …).
impl serde::Serialize for ShareState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One account an image is shared with. Serialised as `{"account", "state", "since"}`, `since`
/// in RFC 3339 or `null`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Share {
    /// The account (Tencent account id, NAVER Cloud login id, SCP account id).
    pub account: String,
    /// Where the share stands.
    pub state: ShareState,
    /// When it was shared, when the provider says.
    #[serde(serialize_with = "rfc3339")]
    pub since: Option<OffsetDateTime>,
}

/// `time` in RFC 3339, or `null` (also when it cannot be written so: a year past 9999).
fn rfc3339<S: serde::Serializer>(time: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
    let text = time.and_then(|t| {
        t.format(&time::format_description::well_known::Rfc3339)
            .ok()
    });
    serde::Serialize::serialize(&text, s)
}

impl Share {
    /// A share (for implementations and tests).
    pub fn new(
        account: impl Into<String>,
        state: ShareState,
        since: Option<OffsetDateTime>,
    ) -> Self {
        Self {
            account: account.into(),
            state,
            since,
        }
    }
}

/// An image the caller owns, as [`ImageSharing::list_images`] finds it. Serialised as
/// `{"image", "name"}`, as an [`InventoryRow`](crate::plan::InventoryRow) names them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct OwnedImage {
    /// The provider's image id (Tencent `img-…`, NAVER Cloud image number, SCP UUID).
    #[serde(rename = "image")]
    pub id: String,
    /// The image's name, when the provider gives one.
    pub name: String,
}

impl OwnedImage {
    /// An image (for implementations and tests).
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
        }
    }
}

/// An error from a provider behind [`ImageSharing`]: the provider's own error, typed, with the
/// shared metadata ([`ErrorMetadata`]: `code()`, `request_id()`, `is_throttling()`, …).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SharingError {
    /// Tencent Cloud.
    #[cfg(feature = "tencent")]
    #[error("tencent: {0}")]
    Tencent(#[from] imgshare_tencent::TencentError),
    /// NAVER Cloud.
    #[cfg(feature = "ncloud")]
    #[error("ncloud: {0}")]
    Ncloud(#[from] imgshare_ncloud::NcloudError),
    /// Samsung Cloud Platform.
    #[cfg(feature = "scp")]
    #[error("scp: {0}")]
    Scp(#[from] imgshare_scp::ScpError),
    /// A condition the facade itself found (bad input, an image not ready to share).
    #[error("{provider}: {error}")]
    Core {
        /// The provider the call was for.
        provider: &'static str,
        /// What went wrong.
        error: Error,
    },
}

impl SharingError {
    /// A facade-level input error for `provider`.
    pub fn invalid(
        provider: &'static str,
        field: &'static str,
        message: impl Into<String>,
    ) -> Self {
        SharingError::Core {
            provider,
            error: Error::InvalidInput(InvalidInput::new(field, message)),
        }
    }
}

impl SharingError {
    /// The provider's hint for this error (what to check on the caller's side), if any.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            #[cfg(feature = "tencent")]
            SharingError::Tencent(e) => e.hint(),
            #[cfg(feature = "ncloud")]
            SharingError::Ncloud(e) => e.hint(),
            #[cfg(feature = "scp")]
            SharingError::Scp(e) => e.hint(),
            SharingError::Core { .. } => None,
        }
    }

    /// The error as a person should read it, without the provider's name (which `Display`
    /// puts first): the shared error's text (for a service error `service error: CODE: MESSAGE
    /// (request id ID)`, and how far the local clock was off when the answer showed it), then
    /// NAVER Cloud's API Gateway `details` in brackets when it sent them (which `Display`
    /// leaves out), then `; hint: …` when the provider has advice for the code.
    pub fn describe(&self) -> String {
        let details = self.service_error().and_then(|s| s.detail("details"));
        let details = details.map(|d| format!(" ({d})")).unwrap_or_default();
        let hint = self
            .hint()
            .map(|h| format!("; hint: {h}"))
            .unwrap_or_default();
        format!("{}{details}{hint}", self.as_core())
    }

    /// The shared error underneath (its kind, code, message and request id).
    pub fn into_core(self) -> Error {
        match self {
            #[cfg(feature = "tencent")]
            SharingError::Tencent(e) => e.into_core(),
            #[cfg(feature = "ncloud")]
            SharingError::Ncloud(e) => e.into_core(),
            #[cfg(feature = "scp")]
            SharingError::Scp(e) => e.into_core(),
            SharingError::Core { error, .. } => error,
        }
    }
}

impl ErrorMetadata for SharingError {
    fn as_core(&self) -> &Error {
        match self {
            #[cfg(feature = "tencent")]
            SharingError::Tencent(e) => e.as_core(),
            #[cfg(feature = "ncloud")]
            SharingError::Ncloud(e) => ErrorMetadata::as_core(e),
            #[cfg(feature = "scp")]
            SharingError::Scp(e) => ErrorMetadata::as_core(e),
            SharingError::Core { error, .. } => error,
        }
    }
}

/// What [`reconcile`] did, account by account. It never claims a change the provider's own
/// listing does not show: after any failure, the shares are read back and each account is put
/// where the listing says it is.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ReconcileReport {
    /// Accounts this run shared the image with.
    pub added: Vec<String>,
    /// Accounts this run stopped sharing with.
    pub removed: Vec<String>,
    /// Desired accounts that already had the image.
    pub unchanged: Vec<String>,
    /// Accounts that have the image, are not desired, and were left alone
    /// ([`Desired::at_least`]).
    pub unmanaged: Vec<String>,
    /// Accounts whose change succeeded but that the listing still did not show when
    /// [`Desired::confirm`]'s time ran out.
    pub unconfirmed: Vec<String>,
    /// Changes that failed: the accounts of one call, and why.
    pub failed: Vec<FailedChange>,
}

/// One call that failed, and the accounts it left undone.
#[derive(Debug)]
#[non_exhaustive]
pub struct FailedChange {
    /// `true` for a share, `false` for an unshare.
    pub sharing: bool,
    /// The accounts the call did not change (the listing read back says so).
    pub accounts: Vec<String>,
    /// Why.
    pub error: SharingError,
}

impl ReconcileReport {
    /// Every account whose change failed.
    pub fn failed_accounts(&self) -> impl Iterator<Item = &str> {
        self.failed
            .iter()
            .flat_map(|f| f.accounts.iter().map(String::as_str))
    }

    /// Whether every change was applied (and, when confirmed, listed).
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty() && self.unconfirmed.is_empty()
    }

    /// Whether this run changed anything.
    pub fn changed(&self) -> bool {
        !self.added.is_empty() || !self.removed.is_empty()
    }
}

/// Image sharing, the same way on every provider. Implemented by each provider's client (for
/// NAVER Cloud, one implementation per API family).
pub trait ImageSharing: Send + Sync + fmt::Debug {
    /// A short name for reports and errors (`tencent`, `ncloud/server-image`, `scp`).
    fn provider(&self) -> &'static str;

    /// Shares `image` with `accounts`. An account that already has the image is not an error.
    /// Answers the request id of the call that applied it when the provider gives one (SCP
    /// answers none on success).
    fn share_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>>;

    /// Stops sharing `image` with `accounts`, answering the request id when there is one.
    fn unshare_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>>;

    /// [`ImageSharing::share_request`] without the request id.
    fn share<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(async move { self.share_request(image, accounts).await.map(drop) })
    }

    /// [`ImageSharing::unshare_request`] without the request id.
    fn unshare<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(async move { self.unshare_request(image, accounts).await.map(drop) })
    }

    /// Who `image` is shared with.
    fn list_shares<'a>(&'a self, image: &'a str)
    -> BoxFuture<'a, Result<Vec<Share>, SharingError>>;

    /// The images the caller owns (for inventories). The default says the provider cannot
    /// list them.
    fn list_images(&self) -> BoxFuture<'_, Result<Vec<OwnedImage>, SharingError>> {
        let provider = self.provider();
        Box::pin(async move {
            Err(SharingError::invalid(
                provider,
                "images",
                "this implementation cannot list images",
            ))
        })
    }

    /// Checks `accounts` as the provider's share call would, before anything is sent (so
    /// [`share_accounts`] refuses bad input before it reads the shares). The default accepts
    /// every account.
    ///
    /// # Errors
    ///
    /// The first account the provider would refuse.
    fn check_accounts(&self, accounts: &[String]) -> Result<(), InvalidInput> {
        let _ = accounts;
        Ok(())
    }

    /// Images other accounts shared with the caller (the recipient's view). The default says
    /// the provider offers no such listing.
    fn shared_with_me(&self) -> BoxFuture<'_, Result<Vec<SharedImage>, SharingError>> {
        let provider = self.provider();
        Box::pin(async move {
            Err(SharingError::invalid(
                provider,
                "shared_with_me",
                "this provider documents no way for a recipient to list the images shared \
                 with it",
            ))
        })
    }

    /// Accepts (`true`) or rejects (`false`) a share of `image`, as its recipient (SCP). The
    /// default says the provider has no such step (shares are usable at once).
    fn answer_share<'a>(
        &'a self,
        image: &'a str,
        accept: bool,
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        let _ = (image, accept);
        let provider = self.provider();
        Box::pin(async move {
            Err(SharingError::invalid(
                provider,
                "answer",
                "this provider has no accept or reject step: a share is usable at once",
            ))
        })
    }

    /// Replaces every account `image` is shared with by `accounts` in one call (none clears
    /// every share), where the API has such a call (NAVER Cloud's member-image and Classic
    /// families). The default refuses before anything is sent: the API has none, use
    /// [`share_accounts`] and [`unshare_accounts`].
    fn set_shares<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        let _ = (image, accounts);
        let provider = self.provider();
        Box::pin(async move {
            Err(SharingError::invalid(
                provider,
                "set",
                format!("is not available on {provider}: use share and unshare"),
            ))
        })
    }

    /// The most accounts one share or unshare call takes (Tencent: 500); longer lists are sent
    /// in chunks.
    fn max_accounts_per_call(&self) -> usize {
        usize::MAX
    }

    /// The most accounts one image may be shared with in all (Tencent documents 500), when
    /// the provider has such a limit; [`reconcile`] refuses a change that would pass it.
    fn max_accounts_per_image(&self) -> Option<usize> {
        None
    }

    /// Whether `image` can be shared now, and why not, read from the provider (Tencent: state
    /// `NORMAL`, not BYOL; SCP: visibility `shared`, status `active`; NAVER Cloud server
    /// images: status `CREAT`). The default knows of no obstacle.
    fn readiness<'a>(&'a self, image: &'a str) -> BoxFuture<'a, Result<Readiness, SharingError>> {
        let _ = image;
        Box::pin(async { Ok(Readiness::default()) })
    }

    /// Checks that `image` can be shared at all before [`reconcile`] changes anything: an
    /// image [`ImageSharing::readiness`] finds not ready is an input error naming why (an SCP
    /// visibility is reported, never switched).
    fn check_shareable<'a>(&'a self, image: &'a str) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(async move {
            let readiness = self.readiness(image).await?;
            if readiness.is_ready() {
                return Ok(());
            }
            Err(SharingError::invalid(
                self.provider(),
                "image",
                format!("image {image} is {readiness}"),
            ))
        })
    }

    /// Whether [`ImageSharing::readiness`] calls the provider, so a rate limiter counts it only
    /// then.
    fn check_shareable_calls_provider(&self) -> bool {
        false
    }

    /// Makes `image`'s shares exactly `desired`; see [`reconcile`].
    fn reconcile<'a>(
        &'a self,
        image: &'a str,
        desired: &'a [String],
    ) -> BoxFuture<'a, Result<ReconcileReport, SharingError>>
    where
        Self: Sized,
    {
        Box::pin(reconcile(self, image, desired))
    }
}

/// Makes `image`'s shares exactly `desired`: reads the current shares, shares the missing
/// accounts and unshares the extra ones, in chunks of the provider's limit. Running it again
/// makes no mutating call. A failed chunk does not stop the others; after any failure the
/// shares are read back, so the report says what really happened.
///
/// # Errors
///
/// Only when nothing could be done: the image is not shareable, the change would pass the
/// provider's accounts-per-image limit, or its shares cannot be read.
pub async fn reconcile(
    sharing: &(impl ImageSharing + ?Sized),
    image: &str,
    desired: &[String],
) -> Result<ReconcileReport, SharingError> {
    reconcile_with(sharing, image, &Desired::exact(desired.to_vec())).await
}

/// What [`reconcile_with`] makes an image's shares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Desired {
    /// Accounts that should have the image.
    pub accounts: Vec<String>,
    /// Whether accounts not in `accounts` keep the image (at least these) or lose it (exactly
    /// these).
    pub keep_unlisted: bool,
    /// Accounts that must not have the image, whatever the mode (expired shares).
    pub revoke: Vec<String>,
    /// After the writes, read the listing again, bounded, until it shows every change
    /// ([`ReconcileReport::unconfirmed`] names those it never showed).
    pub confirm: Option<WaitOptions>,
}

impl Desired {
    /// Exactly `accounts`.
    pub fn exact(accounts: Vec<String>) -> Self {
        Self {
            accounts,
            ..Self::default()
        }
    }

    /// At least `accounts`: no other account is removed.
    pub fn at_least(accounts: Vec<String>) -> Self {
        Self {
            accounts,
            keep_unlisted: true,
            ..Self::default()
        }
    }

    /// Also removes `accounts` (and never adds them).
    pub fn revoking(mut self, accounts: Vec<String>) -> Self {
        self.revoke = accounts;
        self
    }

    /// Sets [`Desired::confirm`].
    pub fn confirming(mut self, wait: WaitOptions) -> Self {
        self.confirm = Some(wait);
        self
    }

    /// What to add, remove, leave, and leave alone (unmanaged), given the current accounts.
    pub(crate) fn changes(&self, current: &BTreeSet<String>) -> Changes {
        let wanted: Vec<String> = dedup(&self.accounts)
            .into_iter()
            .filter(|a| !self.revoke.contains(a))
            .collect();
        let mut changes = Changes::default();
        for a in &wanted {
            if current.contains(a) {
                changes.unchanged.push(a.clone());
            } else {
                changes.add.push(a.clone());
            }
        }
        for a in current.iter().filter(|a| !wanted.contains(a)) {
            if !self.keep_unlisted || self.revoke.contains(a) {
                changes.remove.push(a.clone());
            } else {
                changes.unmanaged.push(a.clone());
            }
        }
        changes
    }
}

/// [`Desired::changes`]'s answer.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub(crate) add: Vec<String>,
    pub(crate) remove: Vec<String>,
    pub(crate) unchanged: Vec<String>,
    pub(crate) unmanaged: Vec<String>,
}

impl Changes {
    /// How many accounts the image would have afterwards.
    pub(crate) fn total_after(&self) -> usize {
        self.unchanged.len() + self.unmanaged.len() + self.add.len()
    }
}

/// Why `sharing` cannot take `changes` on `image` as a whole, before any call: the total
/// after the change passes the provider's accounts-per-image limit.
pub(crate) fn over_limit(
    sharing: &(impl ImageSharing + ?Sized),
    image: &str,
    changes: &Changes,
) -> Option<String> {
    let max = sharing.max_accounts_per_image()?;
    let total = changes.total_after();
    (!changes.add.is_empty() && total > max).then(|| {
        format!(
            "image {image} would be shared with {total} accounts ({} now, {} added, {} \
             removed); {} allows at most {max} per image",
            changes.unchanged.len() + changes.unmanaged.len() + changes.remove.len(),
            changes.add.len(),
            changes.remove.len(),
            sharing.provider()
        )
    })
}

/// Makes `image`'s shares what `desired` says: reads the current shares, then, only when
/// something is to change, checks the image can be shared ([`ImageSharing::readiness`]) and
/// that the total stays within the provider's per-image limit, and shares and unshares in
/// chunks of the provider's per-call limit. Accounts `desired` leaves alone are reported as
/// `unmanaged`.
///
/// # Errors
///
/// As [`reconcile`].
pub async fn reconcile_with(
    sharing: &(impl ImageSharing + ?Sized),
    image: &str,
    desired: &Desired,
) -> Result<ReconcileReport, SharingError> {
    let current: BTreeSet<String> = sharing
        .list_shares(image)
        .await?
        .into_iter()
        .map(|s| s.account)
        .collect();
    let changes = desired.changes(&current);
    if !changes.add.is_empty() || !changes.remove.is_empty() {
        sharing.check_shareable(image).await?;
        if let Some(message) = over_limit(sharing, image, &changes) {
            return Err(SharingError::invalid(
                sharing.provider(),
                "accounts",
                message,
            ));
        }
    }
    let Changes {
        add: to_add,
        remove: to_remove,
        unchanged,
        unmanaged,
    } = changes;
    let mut report = ReconcileReport {
        unchanged,
        unmanaged,
        ..ReconcileReport::default()
    };
    let chunk = sharing.max_accounts_per_call().max(1);
    let mut failures: Vec<(bool, Vec<String>, SharingError)> = Vec::new();
    for accounts in to_add.chunks(chunk) {
        match sharing.share_request(image, accounts).await {
            Ok(_) => report.added.extend_from_slice(accounts),
            Err(e) => failures.push((true, accounts.to_vec(), e)),
        }
    }
    for accounts in to_remove.chunks(chunk) {
        match sharing.unshare_request(image, accounts).await {
            Ok(_) => report.removed.extend_from_slice(accounts),
            Err(e) => failures.push((false, accounts.to_vec(), e)),
        }
    }
    if let Some(wait) = desired.confirm
        && (!report.added.is_empty() || !report.removed.is_empty())
    {
        let changed = (report.added.iter().chain(&report.removed)).cloned();
        // An unreadable listing confirms nothing, and takes nothing back from the report.
        let all: Vec<String> = changed.collect();
        report.unconfirmed =
            settle::until_listed(sharing, image, &report.added, &report.removed, wait)
                .await
                .unwrap_or(all);
    }
    if failures.is_empty() {
        return Ok(report);
    }
    // A failed call may still have been applied (a timeout after the server acted): believe
    // the listing, not the error.
    let after: Option<BTreeSet<String>> = sharing
        .list_shares(image)
        .await
        .ok()
        .map(|shares| shares.into_iter().map(|s| s.account).collect());
    for (adding, accounts, error) in failures {
        let mut still_failed = Vec::new();
        for account in accounts {
            let applied = after
                .as_ref()
                .is_some_and(|after| after.contains(&account) == adding);
            match (applied, adding) {
                (true, true) => report.added.push(account),
                (true, false) => report.removed.push(account),
                (false, _) => still_failed.push(account),
            }
        }
        if !still_failed.is_empty() {
            report.failed.push(FailedChange {
                sharing: adding,
                accounts: still_failed,
                error,
            });
        }
    }
    Ok(report)
}

fn dedup(accounts: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    accounts
        .iter()
        .filter(|a| seen.insert(a.as_str()))
        .cloned()
        .collect()
}

#[cfg(feature = "ncloud")]
mod ncloud;
mod outcome;
mod readiness;
mod recipient;
#[cfg(feature = "scp")]
mod scp;
mod settle;
#[cfg(feature = "tencent")]
mod tencent;

pub use outcome::{ShareOutcome, share_accounts, unshare_accounts};

#[cfg(feature = "ncloud")]
pub use ncloud::{NcloudClassic, NcloudMemberImages, NcloudServerImages};
pub use readiness::{NotReady, Readiness, WaitError, WaitOptions, wait_until_shareable};
pub use recipient::SharedImage;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::Mutex;

    /// An in-memory provider whose calls can fail, and whose failures can still apply (a
    /// timeout after the server acted).
    #[derive(Debug, Default)]
    struct Memory {
        shares: Mutex<BTreeSet<String>>,
        calls: Mutex<Vec<String>>,
        /// Fail the share of this account; apply it anyway when `.1`.
        fail_share: Option<(String, bool)>,
    }

    fn error() -> SharingError {
        SharingError::Core {
            provider: "memory",
            error: Error::InvalidInput(InvalidInput::new("accounts", "injected failure")),
        }
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
                if let Some((bad, applied)) = &self.fail_share
                    && accounts.contains(bad)
                {
                    if *applied {
                        self.shares.lock().unwrap().extend(accounts.iter().cloned());
                    }
                    return Err(error());
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
                for a in accounts {
                    shares.remove(a);
                }
                Ok(None)
            })
        }

        fn list_shares<'a>(
            &'a self,
            _image: &'a str,
        ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
            Box::pin(async move {
                Ok(self
                    .shares
                    .lock()
                    .unwrap()
                    .iter()
                    .map(|a| Share::new(a, ShareState::Active, None))
                    .collect())
            })
        }

        fn max_accounts_per_call(&self) -> usize {
            2
        }
    }

    fn accounts(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[tokio::test]
    async fn reconcile_applies_only_the_difference_and_is_idempotent() {
        let memory = Memory::default();
        memory.shares.lock().unwrap().extend(accounts(&["a", "x"]));
        let report = memory
            .reconcile("img", &accounts(&["a", "b", "c", "d", "b"]))
            .await
            .unwrap();
        assert_eq!(report.added, ["b", "c", "d"]);
        assert_eq!(report.removed, ["x"]);
        assert_eq!(report.unchanged, ["a"]);
        assert!(report.is_complete());
        // Chunks of the provider's limit.
        assert_eq!(
            memory.calls.lock().unwrap().as_slice(),
            [r#"share ["b", "c"]"#, r#"share ["d"]"#, r#"unshare ["x"]"#]
        );
        memory.calls.lock().unwrap().clear();
        let again = memory
            .reconcile("img", &accounts(&["a", "b", "c", "d"]))
            .await
            .unwrap();
        assert!(!again.changed());
        assert!(
            memory.calls.lock().unwrap().is_empty(),
            "no mutating call the second time"
        );
    }

    /// A provider that keeps every default of the trait.
    #[derive(Debug, Default)]
    struct Plain(Memory);

    impl ImageSharing for Plain {
        fn provider(&self) -> &'static str {
            "plain"
        }

        fn share_request<'a>(
            &'a self,
            image: &'a str,
            accounts: &'a [String],
        ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
            self.0.share_request(image, accounts)
        }

        fn unshare_request<'a>(
            &'a self,
            image: &'a str,
            accounts: &'a [String],
        ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
            self.0.unshare_request(image, accounts)
        }

        fn list_shares<'a>(
            &'a self,
            image: &'a str,
        ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
            self.0.list_shares(image)
        }
    }

    #[tokio::test]
    async fn the_defaults_send_one_call_and_read_nothing_first() {
        let plain = Plain::default();
        assert_eq!(plain.max_accounts_per_call(), usize::MAX);
        // A limiter counts check_shareable only for providers that call out for it.
        assert!(!plain.check_shareable_calls_provider());
        let report = plain
            .reconcile("img", &accounts(&["a", "b", "c"]))
            .await
            .unwrap();
        assert_eq!(report.added, ["a", "b", "c"]);
        assert_eq!(
            plain.0.calls.lock().unwrap().as_slice(),
            [r#"share ["a", "b", "c"]"#]
        );
        assert!(plain.list_images().await.is_err());
    }

    #[test]
    fn a_report_changed_when_anything_was_added_or_removed() {
        let added = ReconcileReport {
            added: accounts(&["a"]),
            ..ReconcileReport::default()
        };
        let removed = ReconcileReport {
            removed: accounts(&["x"]),
            ..ReconcileReport::default()
        };
        let unchanged = ReconcileReport {
            unchanged: accounts(&["a"]),
            ..ReconcileReport::default()
        };
        assert!(added.changed() && removed.changed());
        assert!(!unchanged.changed());
    }

    /// Fails if `describe` drops NAVER Cloud's gateway `details` or the hint, or keeps the
    /// provider's name that `Display` puts first.
    #[cfg(feature = "ncloud")]
    #[test]
    fn describe_keeps_gateway_details_and_the_hint() {
        use imgshare_core::{ErrorKind, ErrorOrigin, ServiceError};
        let gateway = ServiceError::new("200", "Authentication Failed", 401, ErrorKind::Client)
            .with_origin(ErrorOrigin::Gateway)
            .with_request_id(Some("req-1".into()))
            .with_detail("details", "Invalid authentication information.");
        let e = SharingError::from(imgshare_ncloud::NcloudError::from(Error::Service(gateway)));
        let hint = e.hint().unwrap();
        assert_eq!(
            e.describe(),
            format!(
                "service error: 200: Authentication Failed (request id req-1) (Invalid \
                 authentication information.); hint: {hint}"
            )
        );
        assert!(e.to_string().starts_with("ncloud: service error: 200"));
        assert_eq!(
            error().describe(),
            "invalid input: `accounts` injected failure"
        );
    }

    #[test]
    fn share_states_print_as_the_providers_name_them() {
        let printed: Vec<String> = [
            ShareState::Active,
            ShareState::Pending,
            ShareState::Accepted,
            ShareState::Rejected,
            ShareState::Unknown("Expired".into()),
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            printed,
            ["active", "pending", "accepted", "rejected", "Expired"]
        );
    }

    /// Fails if an owned image's JSON renames or loses a field (`ncloud images` prints it).
    #[test]
    fn owned_images_serialise_as_image_and_name() {
        let image = OwnedImage::new("1234", "demo");
        assert_eq!(
            serde_json::to_value(image).unwrap(),
            serde_json::json!({"image": "1234", "name": "demo"})
        );
    }

    #[tokio::test]
    async fn a_failed_call_that_was_applied_is_reported_as_applied() {
        let memory = Memory {
            fail_share: Some(("c".into(), true)),
            ..Memory::default()
        };
        let report = memory
            .reconcile("img", &accounts(&["b", "c"]))
            .await
            .unwrap();
        assert_eq!(report.added, ["b", "c"]);
        assert!(report.is_complete());
    }

    #[tokio::test]
    async fn a_failed_call_is_reported_with_its_accounts_and_the_rest_goes_on() {
        let memory = Memory {
            fail_share: Some(("c".into(), false)),
            ..Memory::default()
        };
        let report = memory
            .reconcile("img", &accounts(&["b", "c", "d"]))
            .await
            .unwrap();
        assert_eq!(report.added, ["d"]);
        assert!(!report.is_complete());
        assert_eq!(report.failed_accounts().collect::<Vec<_>>(), ["b", "c"]);
        assert!(report.failed[0].sharing);
        assert_eq!(
            report.failed[0]
                .error
                .as_core()
                .as_invalid_input()
                .unwrap()
                .field(),
            "accounts"
        );
        // The truth is what the provider lists.
        assert_eq!(
            memory
                .shares
                .lock()
                .unwrap()
                .iter()
                .cloned()
                .collect::<Vec<_>>(),
            ["d"]
        );
    }
}
