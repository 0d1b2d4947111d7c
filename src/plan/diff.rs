//! [`Plan::diff`]: what apply would change, image by image, and whether it can (preflight),
//! from reads only.

use std::collections::BTreeSet;

use futures_util::StreamExt;
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

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

impl Plan {
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
