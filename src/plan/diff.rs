//! [`Plan::diff`]: what apply would change, image by image, and whether it can (preflight),
//! from reads only; [`Plan::preview`]: that and the answers, in one [`PlanDiff`].

use std::collections::BTreeSet;

use futures_util::StreamExt;
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use super::AnswerDiff;
use super::apply::Connected;
use super::{ImageSpec, Mode, Plan, PlanError};
use crate::sharing::{ImageSharing, Readiness, over_limit};

/// How far ahead [`Plan::diff`] warns of expiring shares.
pub const EXPIRY_WARNING: Duration = Duration::weeks(1);

/// A named account whose share ends soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Expiring {
    /// The account.
    pub account: String,
    /// When its share ends (RFC 3339).
    pub expires: String,
}

/// What [`Plan::diff`] found for one image.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ImageDiff {
    /// The provider entry.
    pub provider: String,
    /// The image.
    pub image: String,
    /// `exact` or `at-least`.
    pub mode: Mode,
    /// Accounts that would be shared with.
    pub add: Vec<String>,
    /// Accounts that would stop having the image (with `at-least`, only expired ones).
    pub remove: Vec<String>,
    /// Accounts that already have it.
    pub unchanged: Vec<String>,
    /// Accounts that have it, are not named by an `at-least` entry, and are left alone.
    pub unmanaged: Vec<String>,
    /// Named accounts whose expiry has passed (removed if they have the image, never added).
    pub expired: Vec<String>,
    /// Named accounts whose share ends within [`EXPIRY_WARNING`].
    pub expiring: Vec<Expiring>,
    /// Whether the image can be shared now, and why not (read before any write).
    pub readiness: Option<Readiness>,
    /// Why apply would refuse the change as a whole (the provider's per-image limit).
    pub over_limit: Option<String>,
    /// Why the image's shares could not be read (nothing would be done for it).
    pub error: Option<String>,
}

impl ImageDiff {
    /// Whether applying would change this image.
    pub fn changes(&self) -> bool {
        !self.add.is_empty() || !self.remove.is_empty()
    }

    /// Whether apply would refuse this image's changes: not shareable, or over the limit.
    pub fn blocked(&self) -> bool {
        self.changes()
            && (self.over_limit.is_some() || self.readiness.as_ref().is_some_and(|r| !r.is_ready()))
    }
}

/// What [`Plan::preview`] found: what [`Plan::apply`] would do to every image and answer.
/// Serialised as `{"images": [ImageDiff], "answers": [AnswerDiff]}`.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct PlanDiff {
    /// One per image, in plan order ([`Plan::diff`]).
    pub images: Vec<ImageDiff>,
    /// One per `[[answers]]` entry ([`Plan::diff_answers`]).
    pub answers: Vec<AnswerDiff>,
}

impl PlanDiff {
    /// Whether applying would change anything: an image's shares, or an answer.
    pub fn changes(&self) -> bool {
        self.images.iter().any(ImageDiff::changes) || self.answers.iter().any(|a| a.change)
    }

    /// How many images' shares, or answers' recipient listings, could not be read.
    pub fn unreadable(&self) -> usize {
        let images = self.images.iter().filter(|d| d.error.is_some()).count();
        images + self.answers.iter().filter(|a| a.error.is_some()).count()
    }
}

impl Plan {
    /// All [`Plan::apply`] would do, from reads only: [`Plan::diff`] for the images, then
    /// [`Plan::diff_answers`] for the answers.
    ///
    /// # Errors
    ///
    /// [`PlanError::Provider`] when an image's or answer's provider is missing from
    /// `connected`.
    pub async fn preview(
        &self,
        connected: &Connected,
        concurrency: usize,
    ) -> Result<PlanDiff, PlanError> {
        let images = self.diff(connected, concurrency).await?;
        let answers = self.diff_answers(connected).await?;
        Ok(PlanDiff { images, answers })
    }

    /// What [`Plan::apply`] would change, image by image, and whether it could (reads only):
    /// each image's shares, its readiness, the provider's per-image limit against the total
    /// after the change, and named shares that have expired or expire within a week.
    ///
    /// # Errors
    ///
    /// [`PlanError::Provider`] when an image's provider is missing from `connected`.
    pub async fn diff(
        &self,
        connected: &Connected,
        concurrency: usize,
    ) -> Result<Vec<ImageDiff>, PlanError> {
        let mut jobs = Vec::new();
        for spec in &self.images {
            jobs.push((spec, self.sharing_for(connected, &spec.provider)?));
        }
        let now = OffsetDateTime::now_utc();
        Ok(futures_util::stream::iter(jobs)
            .map(|(spec, sharing)| async move { diff_one(sharing.as_ref(), spec, now).await })
            .buffered(concurrency.max(1))
            .collect()
            .await)
    }
}

async fn diff_one(sharing: &dyn ImageSharing, spec: &ImageSpec, now: OffsetDateTime) -> ImageDiff {
    let expiring = spec
        .accounts
        .iter()
        .filter_map(|a| {
            let at = *spec.expires.get(a)?;
            (at > now && at <= now + EXPIRY_WARNING).then(|| Expiring {
                account: a.clone(),
                expires: at.format(&Rfc3339).unwrap_or_default(),
            })
        })
        .collect();
    let mut diff = ImageDiff {
        provider: spec.provider.clone(),
        image: spec.image.clone(),
        mode: spec.mode,
        add: Vec::new(),
        remove: Vec::new(),
        unchanged: Vec::new(),
        unmanaged: Vec::new(),
        expired: spec.expired_at(now),
        expiring,
        readiness: None,
        over_limit: None,
        error: None,
    };
    let current: BTreeSet<String> = match sharing.list_shares(&spec.image).await {
        Ok(shares) => shares.into_iter().map(|s| s.account).collect(),
        Err(e) => {
            diff.error = Some(e.to_string());
            return diff;
        }
    };
    let changes = spec.desired_at(now).changes(&current);
    diff.over_limit = over_limit(sharing, &spec.image, &changes);
    (diff.add, diff.remove) = (changes.add, changes.remove);
    (diff.unchanged, diff.unmanaged) = (changes.unchanged, changes.unmanaged);
    match sharing.readiness(&spec.image).await {
        Ok(r) => diff.readiness = Some(r),
        Err(e) => diff.error = Some(e.to_string()),
    }
    diff
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn image(add: &[&str], error: Option<&str>) -> ImageDiff {
        ImageDiff {
            provider: "tencent".into(),
            image: "img-demo0001".into(),
            mode: Mode::Exact,
            add: add.iter().map(|a| (*a).to_owned()).collect(),
            remove: Vec::new(),
            unchanged: Vec::new(),
            unmanaged: Vec::new(),
            expired: Vec::new(),
            expiring: Vec::new(),
            readiness: None,
            over_limit: None,
            error: error.map(str::to_owned),
        }
    }

    fn answer(change: bool, error: Option<&str>) -> AnswerDiff {
        AnswerDiff {
            provider: "scp".into(),
            image: "u-1".into(),
            answer: "accept",
            current: None,
            change,
            error: error.map(str::to_owned),
        }
    }

    /// Fails if an unreadable image or answer is not counted, a readable one is, or a change of
    /// either kind is missed.
    #[test]
    fn a_plan_diff_counts_what_could_not_be_read_and_sees_every_change() {
        let mut diff = PlanDiff {
            images: vec![image(&[], None), image(&[], Some("timeout"))],
            answers: vec![answer(false, Some("denied")), answer(false, None)],
        };
        assert_eq!(diff.unreadable(), 2);
        assert!(!diff.changes());
        diff.answers[1].change = true;
        assert!(diff.changes());
        diff.answers.clear();
        assert_eq!(diff.unreadable(), 1);
        assert!(!diff.changes());
        diff.images.push(image(&["1"], None));
        assert!(diff.changes());
        let json = serde_json::to_value(&diff).unwrap();
        assert_eq!(json["images"][2]["add"][0], "1", "{json}");
        assert_eq!(json["answers"], serde_json::json!([]));
    }
}
