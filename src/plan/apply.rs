//! Connecting a plan's providers, [`Plan::diff`] and [`Plan::apply`].

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use futures_util::StreamExt;
use imgshare_core::ErrorMetadata;
use imgshare_core::credentials::BoxFuture;
use serde::Serialize;

use time::OffsetDateTime;

use super::answers::{AnswerReport, apply_answer};
use super::journal::{Journal, Journaled};
use super::limiter::RateLimiter;
use super::{ImageSpec, Plan, PlanError};
use crate::connect::{Overrides, Target};
use crate::sharing::{
    ImageSharing, OwnedImage, Readiness, Share, SharedImage, SharingError, WaitOptions,
    reconcile_with, wait_until_shareable,
};

/// A plan's providers, connected: one [`ImageSharing`] per provider entry, each behind its own
/// rate limiters (one per provider action).
#[derive(Debug, Clone, Default)]
pub struct Connected {
    providers: BTreeMap<String, Arc<Limited>>,
    targets: Vec<Target>,
}

impl Connected {
    /// No providers; add them with [`Connected::with_sharing`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses `sharing` for the provider entry `name`, limited to `per_second` requests per
    /// second per action (Tencent's share and unshare are one action,
    /// `ModifyImageSharePermission`, and share one limiter).
    pub fn with_sharing(
        mut self,
        name: impl Into<String>,
        sharing: Arc<dyn ImageSharing>,
        per_second: f64,
    ) -> Self {
        let share = Arc::new(RateLimiter::per_second(per_second));
        let unshare = if sharing.provider() == "tencent" {
            Arc::clone(&share)
        } else {
            Arc::new(RateLimiter::per_second(per_second))
        };
        self.providers.insert(
            name.into(),
            Arc::new(Limited {
                inner: sharing,
                share,
                unshare,
                read: RateLimiter::per_second(per_second),
            }),
        );
        self
    }

    /// The (rate-limited) sharing of provider entry `name`.
    pub fn sharing(&self, name: &str) -> Option<Arc<dyn ImageSharing>> {
        self.providers
            .get(name)
            .map(|l| Arc::clone(l) as Arc<dyn ImageSharing>)
    }

    /// The provider entries' names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.providers.keys().map(String::as_str)
    }

    /// Where each provider entry connected by [`Plan::connect`] sends (none for those added
    /// with [`Connected::with_sharing`]).
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    pub(crate) fn with_target(mut self, target: Target) -> Self {
        self.targets.push(target);
        self
    }
}

/// An [`ImageSharing`] whose calls wait for their action's limiter.
#[derive(Debug)]
struct Limited {
    inner: Arc<dyn ImageSharing>,
    share: Arc<RateLimiter>,
    unshare: Arc<RateLimiter>,
    read: RateLimiter,
}

impl ImageSharing for Limited {
    fn provider(&self) -> &'static str {
        self.inner.provider()
    }

    fn share_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            self.share.acquire().await;
            self.inner.share_request(image, accounts).await
        })
    }

    fn unshare_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            self.unshare.acquire().await;
            self.inner.unshare_request(image, accounts).await
        })
    }

    fn list_shares<'a>(
        &'a self,
        image: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
        Box::pin(async move {
            self.read.acquire().await;
            self.inner.list_shares(image).await
        })
    }

    fn list_images(&self) -> BoxFuture<'_, Result<Vec<OwnedImage>, SharingError>> {
        self.inner.list_images()
    }

    fn max_accounts_per_call(&self) -> usize {
        self.inner.max_accounts_per_call()
    }

    fn max_accounts_per_image(&self) -> Option<usize> {
        self.inner.max_accounts_per_image()
    }

    fn shared_with_me(&self) -> BoxFuture<'_, Result<Vec<SharedImage>, SharingError>> {
        Box::pin(async move {
            self.read.acquire().await;
            self.inner.shared_with_me().await
        })
    }

    fn answer_share<'a>(
        &'a self,
        image: &'a str,
        accept: bool,
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(async move {
            self.share.acquire().await;
            self.inner.answer_share(image, accept).await
        })
    }

    fn readiness<'a>(&'a self, image: &'a str) -> BoxFuture<'a, Result<Readiness, SharingError>> {
        Box::pin(async move {
            // Only a check that sends a request takes a slot.
            if self.inner.check_shareable_calls_provider() {
                self.read.acquire().await;
            }
            self.inner.readiness(image).await
        })
    }

    fn check_shareable_calls_provider(&self) -> bool {
        self.inner.check_shareable_calls_provider()
    }
}

/// One account whose change failed.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct AccountFailure {
    /// The account.
    pub account: String,
    /// `share` or `unshare`.
    pub action: &'static str,
    /// The provider's error code, when it answered one.
    pub code: Option<String>,
    /// The error, with code, message and request id.
    pub error: String,
}

/// What [`Plan::apply`] did to one image. Every account in `added` and `removed` was checked:
/// after any failure the shares are read back, and an account is reported changed only when
/// the provider's listing shows it.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ImageReport {
    /// The provider entry.
    pub provider: String,
    /// The image.
    pub image: String,
    /// Accounts shared with by this run.
    pub added: Vec<String>,
    /// Accounts no longer shared with, by this run.
    pub removed: Vec<String>,
    /// Accounts that already had the image.
    pub unchanged: Vec<String>,
    /// Accounts that have the image, are not named by an `at-least` entry, and were left alone.
    pub unmanaged: Vec<String>,
    /// Changes that succeeded but that the listing still did not show when
    /// [`ApplyOptions::confirm`]'s time ran out.
    pub unconfirmed: Vec<String>,
    /// Changes that failed, account by account.
    pub failed: Vec<AccountFailure>,
    /// Why nothing was done for this image (not shareable, shares unreadable).
    pub error: Option<String>,
}

impl ImageReport {
    /// Whether the image reached its desired state.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty() && self.error.is_none() && self.unconfirmed.is_empty()
    }
}

/// What [`Plan::apply`] did, image by image, in plan order.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ApplyReport {
    /// One report per image of the plan.
    pub images: Vec<ImageReport>,
    /// One report per `[[answers]]` entry.
    pub answers: Vec<AnswerReport>,
    /// Why the journal could not be written, when it could not (the run went on).
    pub journal_error: Option<String>,
}

impl ApplyReport {
    /// Whether every image and answer reached its desired state.
    pub fn is_complete(&self) -> bool {
        self.incomplete() == 0
    }

    /// How many images and answers did not reach their desired state.
    pub fn incomplete(&self) -> usize {
        let images = self.images.iter().filter(|i| !i.is_complete()).count();
        images + self.answers.iter().filter(|a| a.error.is_some()).count()
    }

    /// Whether anything was changed.
    pub fn changed(&self) -> bool {
        self.images
            .iter()
            .any(|i| !i.added.is_empty() || !i.removed.is_empty())
            || self.answers.iter().any(|a| a.sent)
    }
}

/// Called once per image as soon as its report is ready (for progress bars).
pub type Progress = Arc<dyn Fn(&ImageReport) + Send + Sync>;

/// How [`Plan::apply`] runs.
#[derive(Clone)]
#[non_exhaustive]
pub struct ApplyOptions {
    /// How many images are worked on at once (at least 1; default 4). The per-provider rate
    /// limiters apply whatever the concurrency.
    pub concurrency: usize,
    /// Lets images with an empty `accounts` lose every share even without `remove_all = true`.
    pub allow_remove_all: bool,
    /// Called as each image finishes.
    pub progress: Option<Progress>,
    /// Where each share and unshare call is journaled, one JSON line each.
    pub journal: Option<Journal>,
    /// Waits, bounded, for each image to become shareable before changing it.
    pub wait_ready: Option<WaitOptions>,
    /// After changing an image, reads its listing again, bounded, until the change shows.
    pub confirm: Option<WaitOptions>,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            concurrency: 4,
            allow_remove_all: false,
            progress: None,
            journal: None,
            wait_ready: None,
            confirm: None,
        }
    }
}

impl fmt::Debug for ApplyOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApplyOptions")
            .field("concurrency", &self.concurrency)
            .field("allow_remove_all", &self.allow_remove_all)
            .field("progress", &self.progress.is_some())
            .field("journal", &self.journal.is_some())
            .field("wait_ready", &self.wait_ready)
            .field("confirm", &self.confirm)
            .finish()
    }
}

impl ApplyOptions {
    /// Sets [`ApplyOptions::concurrency`].
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Sets [`ApplyOptions::allow_remove_all`].
    pub fn allow_remove_all(mut self, allow: bool) -> Self {
        self.allow_remove_all = allow;
        self
    }

    /// Sets [`ApplyOptions::progress`].
    pub fn progress(mut self, progress: Progress) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Sets [`ApplyOptions::journal`] (`plan apply --journal FILE`: [`Journal::append`]).
    pub fn journal(mut self, journal: Journal) -> Self {
        self.journal = Some(journal);
        self
    }

    /// Sets [`ApplyOptions::wait_ready`] (`plan apply --wait-ready DURATION`).
    pub fn wait_ready(mut self, wait: WaitOptions) -> Self {
        self.wait_ready = Some(wait);
        self
    }

    /// Sets [`ApplyOptions::confirm`].
    pub fn confirm(mut self, wait: WaitOptions) -> Self {
        self.confirm = Some(wait);
        self
    }
}

fn describe(e: &SharingError) -> (Option<String>, String) {
    (e.code().map(str::to_owned), e.to_string())
}

impl Plan {
    /// Builds one client per provider entry (nothing is sent yet), each from the entry, then the
    /// environment, profile files and defaults ([`connect`](crate::connect)). Credentials named
    /// by environment variables are read now; the others when first needed.
    ///
    /// # Errors
    ///
    /// [`PlanError::Connect`] naming the entry: an unset variable, an empty or malformed
    /// endpoint, a bad region, an unreadable tccli profile.
    pub async fn connect(&self) -> Result<Connected, PlanError> {
        self.connect_with(&Overrides::default()).await
    }

    /// [`Plan::connect`], with `overrides` (the command line's `--endpoint`, `--region`, …)
    /// beating every entry's own settings.
    ///
    /// # Errors
    ///
    /// As [`Plan::connect`].
    pub async fn connect_with(&self, overrides: &Overrides) -> Result<Connected, PlanError> {
        Ok(crate::connect::connect_all(self.providers.values(), overrides).await?)
    }

    pub(super) fn sharing_for(
        &self,
        connected: &Connected,
        provider: &str,
    ) -> Result<Arc<dyn ImageSharing>, PlanError> {
        connected
            .sharing(provider)
            .ok_or_else(|| PlanError::Provider {
                provider: provider.to_owned(),
                message: "not connected".into(),
            })
    }

    /// Makes every image's shares exactly its `accounts`: images are worked on `concurrency`
    /// at a time, each provider's calls are spaced by its rate limiters, transient failures
    /// are retried by the clients, and one image's failure does not stop the others.
    ///
    /// # Errors
    ///
    /// [`PlanError::Refused`] before any call when an image would lose every share without
    /// `remove_all = true` or [`ApplyOptions::allow_remove_all`]; [`PlanError::Provider`] when
    /// an image's provider is missing from `connected`. Failures of calls are in the report.
    pub async fn apply(
        &self,
        connected: &Connected,
        options: &ApplyOptions,
    ) -> Result<ApplyReport, PlanError> {
        let unguarded = self.unguarded_removals();
        if !options.allow_remove_all && !unguarded.is_empty() {
            let list: Vec<String> = unguarded
                .iter()
                .map(|i| format!("{}/{} (line {})", i.provider, i.image, i.line))
                .collect();
            return Err(PlanError::Refused(format!(
                "{} would lose every share: {}; say `remove_all = true` on the image, or allow \
                 it for this run (ApplyOptions::allow_remove_all, `--allow-remove-all`)",
                if list.len() == 1 {
                    "this image"
                } else {
                    "these images"
                },
                list.join(", ")
            )));
        }
        let mut jobs = Vec::new();
        for spec in &self.images {
            jobs.push((spec, self.sharing_for(connected, &spec.provider)?));
        }
        let now = OffsetDateTime::now_utc();
        let images = futures_util::stream::iter(jobs)
            .map(|(spec, sharing)| async move {
                let journaled;
                let sharing: &dyn ImageSharing = match &options.journal {
                    Some(journal) => {
                        journaled = Journaled {
                            inner: sharing,
                            journal,
                            provider: &spec.provider,
                        };
                        &journaled
                    }
                    None => sharing.as_ref(),
                };
                let report = apply_one(sharing, spec, options, now).await;
                if let Some(progress) = &options.progress {
                    progress(&report);
                }
                report
            })
            .buffered(options.concurrency.max(1))
            .collect()
            .await;
        let mut answers = Vec::new();
        for answer in &self.answers {
            let sharing = self.sharing_for(connected, &answer.provider)?;
            let report = match &options.journal {
                Some(journal) => {
                    let journaled = Journaled {
                        inner: sharing,
                        journal,
                        provider: &answer.provider,
                    };
                    apply_answer(&journaled, answer).await
                }
                None => apply_answer(sharing.as_ref(), answer).await,
            };
            answers.push(report);
        }
        let journal_error = options.journal.as_ref().and_then(Journal::failure);
        Ok(ApplyReport {
            images,
            answers,
            journal_error,
        })
    }
}

/// Waits for the image when asked, then reconciles it as its entry says at `now`.
async fn apply_one(
    sharing: &dyn ImageSharing,
    spec: &ImageSpec,
    options: &ApplyOptions,
    now: OffsetDateTime,
) -> ImageReport {
    let mut report = ImageReport {
        provider: spec.provider.clone(),
        image: spec.image.clone(),
        added: Vec::new(),
        removed: Vec::new(),
        unchanged: Vec::new(),
        unmanaged: Vec::new(),
        unconfirmed: Vec::new(),
        failed: Vec::new(),
        error: None,
    };
    if let Some(wait) = options.wait_ready
        && let Err(e) = wait_until_shareable(sharing, &spec.image, wait).await
    {
        report.error = Some(e.to_string());
        return report;
    }
    let mut desired = spec.desired_at(now);
    desired.confirm = options.confirm;
    match reconcile_with(sharing, &spec.image, &desired).await {
        Ok(r) => {
            report.failed = r
                .failed
                .iter()
                .flat_map(|f| {
                    let (code, error) = describe(&f.error);
                    f.accounts.iter().map(move |a| AccountFailure {
                        account: a.clone(),
                        action: if f.sharing { "share" } else { "unshare" },
                        code: code.clone(),
                        error: error.clone(),
                    })
                })
                .collect();
            (report.added, report.removed) = (r.added, r.removed);
            (report.unchanged, report.unmanaged) = (r.unchanged, r.unmanaged);
            report.unconfirmed = r.unconfirmed;
        }
        Err(e) => report.error = Some(e.to_string()),
    }
    report
}
