//! After a write, a listing may show the change late: [`until_listed`] reads it again, bounded,
//! until every change shows, and names the accounts whose change never did.

use std::collections::BTreeSet;

use super::{ImageSharing, SharingError, WaitOptions};

/// Reads `image`'s shares every `options.interval`, for at most `options.timeout`, until every
/// account of `added` is listed and none of `removed` is. Returns the accounts whose change the
/// listing still did not show (empty when all did).
///
/// # Errors
///
/// The listing's own error.
pub(super) async fn until_listed(
    sharing: &(impl ImageSharing + ?Sized),
    image: &str,
    added: &[String],
    removed: &[String],
    options: WaitOptions,
) -> Result<Vec<String>, SharingError> {
    let start = tokio::time::Instant::now();
    loop {
        let listed: BTreeSet<String> = sharing
            .list_shares(image)
            .await?
            .into_iter()
            .map(|s| s.account)
            .collect();
        let missing: Vec<String> = (added.iter().filter(|a| !listed.contains(*a)))
            .chain(removed.iter().filter(|a| listed.contains(*a)))
            .cloned()
            .collect();
        if missing.is_empty() || start.elapsed() + options.interval > options.timeout {
            return Ok(missing);
        }
        tokio::time::sleep(options.interval).await;
    }
}
