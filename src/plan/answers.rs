//! The recipient's side of a plan: `[[answers]]` accept or reject SCP shares with the
//! recipient's own credentials (its provider entry), and [`shared_with_me`] lists, per provider
//! entry, the images other accounts shared with it (`inventory --shared-with-me`).

use std::collections::BTreeMap;
use std::sync::Arc;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::apply::Connected;
use super::entries::check_image_id;
use super::{Checker, Plan, PlanError, ProviderKind, ProviderSpec};
use crate::ShareState;
use crate::sharing::{ImageSharing, SharedImage, SharingError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAnswer {
    provider: Spanned<String>,
    image: Spanned<String>,
    answer: Spanned<String>,
}

/// One `[[answers]]` entry: the recipient (its provider entry holds the recipient's own
/// credentials and `account_id`) accepts or rejects a share of `image`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AnswerSpec {
    /// The provider entry (an `scp` entry with the recipient's credentials).
    pub provider: String,
    /// The shared image.
    pub image: String,
    /// `true` to accept, `false` to reject.
    pub accept: bool,
    /// The line of the entry's `image` key.
    pub line: usize,
}

impl AnswerSpec {
    /// `accept` or `reject`.
    pub fn answer(&self) -> &'static str {
        if self.accept { "accept" } else { "reject" }
    }

    /// Whether a share in `state` already has this answer.
    fn done(&self, state: Option<&ShareState>) -> bool {
        matches!(
            (self.accept, state),
            (true, Some(ShareState::Accepted)) | (false, Some(ShareState::Rejected))
        )
    }
}

pub(super) fn check(
    raw: Vec<Spanned<RawAnswer>>,
    providers: &BTreeMap<String, ProviderSpec>,
    check: &Checker<'_>,
) -> Result<Vec<AnswerSpec>, PlanError> {
    let mut out: Vec<AnswerSpec> = Vec::new();
    for (i, entry) in raw.into_iter().enumerate() {
        let a = entry.into_inner();
        let at = |f: &str| format!("answers[{i}].{f}");
        let provider = a.provider.get_ref();
        match providers.get(provider).map(|p| p.kind) {
            Some(ProviderKind::Scp) => {}
            Some(kind) => {
                let message = format!(
                    "{provider:?} is a {kind} entry; only SCP shares are accepted or rejected \
                     (elsewhere a share is usable at once)"
                );
                return Err(check.invalid(a.provider.span(), at("provider"), message));
            }
            None => {
                let message = format!("no provider {provider:?} in [providers]");
                return Err(check.invalid(a.provider.span(), at("provider"), message));
            }
        }
        let image = a.image.get_ref();
        check_image_id(ProviderKind::Scp, image).map_err(|m| {
            check.invalid(
                a.image.span(),
                at("image"),
                format!("not a scp image id: {m}"),
            )
        })?;
        if out
            .iter()
            .any(|o| &o.provider == provider && &o.image == image)
        {
            let message = format!("image {image:?} of provider {provider:?} is answered twice");
            return Err(check.invalid(a.image.span(), at("image"), message));
        }
        let accept = match a.answer.get_ref().as_str() {
            "accept" => true,
            "reject" => false,
            other => {
                let message = format!("{other:?}: use \"accept\" or \"reject\"");
                return Err(check.invalid(a.answer.span(), at("answer"), message));
            }
        };
        let (line, _) = super::position(check.text, a.image.span().start);
        out.push(AnswerSpec {
            provider: provider.clone(),
            image: image.clone(),
            accept,
            line,
        });
    }
    Ok(out)
}

/// What [`Plan::diff_answers`] found for one answer.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct AnswerDiff {
    /// The provider entry.
    pub provider: String,
    /// The image.
    pub image: String,
    /// `accept` or `reject`.
    pub answer: &'static str,
    /// Where the share stands for the recipient (`pending`, `accepted`), or `None` when neither
    /// list shows it (rejected already, or not shared).
    pub current: Option<String>,
    /// Whether apply would send the answer.
    pub change: bool,
    /// Why the recipient's images could not be read.
    pub error: Option<String>,
}

/// What [`Plan::apply`] did for one answer.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct AnswerReport {
    /// The provider entry.
    pub provider: String,
    /// The image.
    pub image: String,
    /// `accept` or `reject`.
    pub answer: &'static str,
    /// Whether the answer was sent (not when the share already had it).
    pub sent: bool,
    /// Why it failed.
    pub error: Option<String>,
}

/// The images shared with one provider entry's account.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct SharedWithMe {
    /// The provider entry.
    pub provider: String,
    /// The images (empty on error).
    pub images: Vec<SharedImage>,
    /// Why they could not be listed, said plainly (NAVER Cloud documents no recipient listing).
    pub error: Option<String>,
    /// Whether `error` says the provider has no such listing (NAVER Cloud): not a failure.
    pub unsupported: bool,
}

impl SharedWithMe {
    /// Whether the listing failed (not merely unsupported by the provider).
    pub fn failed(&self) -> bool {
        self.error.is_some() && !self.unsupported
    }
}

/// `inventory --shared-with-me`: for every connected provider entry, the images other accounts
/// shared with it (Tencent `SHARED_IMAGE`s; SCP pending and accepted shares; NAVER Cloud: an
/// error saying it documents no such listing).
pub async fn shared_with_me(connected: &Connected, concurrency: usize) -> Vec<SharedWithMe> {
    let entries: Vec<(String, Arc<dyn ImageSharing>)> = connected
        .names()
        .filter_map(|n| Some((n.to_owned(), connected.sharing(n)?)))
        .collect();
    futures_util::stream::iter(entries)
        .map(|(provider, sharing)| async move {
            match sharing.shared_with_me().await {
                Ok(images) => SharedWithMe {
                    provider,
                    images,
                    error: None,
                    unsupported: false,
                },
                Err(e) => SharedWithMe {
                    provider,
                    images: Vec::new(),
                    // A listing has no input to refuse: an input error is the trait's default
                    // answer, "no such listing".
                    unsupported: matches!(
                        &e,
                        SharingError::Core {
                            error: imgshare_core::Error::InvalidInput(_),
                            ..
                        }
                    ),
                    error: Some(e.to_string()),
                },
            }
        })
        .buffered(concurrency.max(1))
        .collect()
        .await
}

impl Plan {
    /// Where each `[[answers]]` share stands for its recipient, and whether apply would answer
    /// it (reads only).
    ///
    /// # Errors
    ///
    /// [`PlanError::Provider`] when an answer's provider is missing from `connected`.
    pub async fn diff_answers(&self, connected: &Connected) -> Result<Vec<AnswerDiff>, PlanError> {
        let mut listed: BTreeMap<&str, Result<Vec<SharedImage>, String>> = BTreeMap::new();
        let mut out = Vec::new();
        for answer in &self.answers {
            let sharing = self.sharing_for(connected, &answer.provider)?;
            if !listed.contains_key(answer.provider.as_str()) {
                let images = sharing.shared_with_me().await.map_err(|e| e.to_string());
                listed.insert(&answer.provider, images);
            }
            let (current, error) = match &listed[answer.provider.as_str()] {
                Ok(images) => {
                    let found = images.iter().find(|i| i.id == answer.image);
                    (found.map(|i| i.state.clone()), None)
                }
                Err(e) => (None, Some(e.clone())),
            };
            out.push(AnswerDiff {
                provider: answer.provider.clone(),
                image: answer.image.clone(),
                answer: answer.answer(),
                change: error.is_none() && !answer.done(current.as_ref()),
                current: current.map(|s| s.to_string()),
                error,
            });
        }
        Ok(out)
    }
}

/// Sends `answer` unless the share already has it.
pub(super) async fn apply_answer(sharing: &dyn ImageSharing, answer: &AnswerSpec) -> AnswerReport {
    let mut report = AnswerReport {
        provider: answer.provider.clone(),
        image: answer.image.clone(),
        answer: answer.answer(),
        sent: false,
        error: None,
    };
    let state = match sharing.shared_with_me().await {
        Ok(images) => images
            .into_iter()
            .find(|i| i.id == answer.image)
            .map(|i| i.state),
        Err(e) => {
            report.error = Some(e.to_string());
            return report;
        }
    };
    if answer.done(state.as_ref()) {
        return report;
    }
    match sharing.answer_share(&answer.image, answer.accept).await {
        Ok(()) => report.sent = true,
        Err(e) => report.error = Some(e.to_string()),
    }
    report
}
