//! [`inventory`]: every image each connected provider entry owns and whom it is shared with,
//! one row per share, with each listing that failed kept as a row of its own (the other
//! providers' and images' rows are still there).

use futures_util::StreamExt;
use serde::Serialize;

use super::apply::Connected;
use crate::ShareState;
use crate::sharing::OwnedImage;

/// One row of an [`inventory`]: an owned image and one account it is shared with (`account`
/// and `state` are `None` when it is shared with nobody), or a listing that failed (`error`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct InventoryRow {
    /// The provider entry.
    pub provider: String,
    /// The image id; `None` when the provider's images could not be listed.
    pub image: Option<String>,
    /// The image's name (empty when the provider gives none); `None` with `image`.
    pub name: Option<String>,
    /// An account the image is shared with.
    pub account: Option<String>,
    /// Where that share stands (`active`, `pending`, `accepted`, …).
    #[serde(serialize_with = "state_text")]
    pub state: Option<ShareState>,
    /// Why the images, or this image's shares, could not be listed.
    pub error: Option<String>,
}

fn state_text<S: serde::Serializer>(state: &Option<ShareState>, s: S) -> Result<S::Ok, S::Error> {
    match state {
        Some(state) => s.collect_str(state),
        None => s.serialize_none(),
    }
}

/// Every connected provider entry's owned images
/// ([`ImageSharing::list_images`](crate::ImageSharing::list_images)) and each one's shares
/// ([`ImageSharing::list_shares`](crate::ImageSharing::list_shares)), in entry order then listing order; up to
/// `concurrency` images are read at once. Reads only; a failure is a row, never an `Err`.
pub async fn inventory(connected: &Connected, concurrency: usize) -> Vec<InventoryRow> {
    let mut rows = Vec::new();
    for provider in connected.names() {
        let Some(sharing) = connected.sharing(provider) else {
            continue;
        };
        let row = |image: Option<&OwnedImage>, error: Option<String>| InventoryRow {
            provider: provider.to_owned(),
            image: image.map(|i| i.id.clone()),
            name: image.map(|i| i.name.clone()),
            account: None,
            state: None,
            error,
        };
        let images = match sharing.list_images().await {
            Ok(images) => images,
            Err(e) => {
                rows.push(row(None, Some(e.to_string())));
                continue;
            }
        };
        let read: Vec<_> = futures_util::stream::iter(images)
            .map(|image| {
                let sharing = sharing.as_ref();
                async move {
                    let shares = sharing.list_shares(&image.id).await;
                    (image, shares)
                }
            })
            .buffered(concurrency.max(1))
            .collect()
            .await;
        for (image, shares) in read {
            match shares {
                Ok(shares) if shares.is_empty() => rows.push(row(Some(&image), None)),
                Ok(shares) => rows.extend(shares.into_iter().map(|s| InventoryRow {
                    account: Some(s.account),
                    state: Some(s.state),
                    ..row(Some(&image), None)
                })),
                Err(e) => rows.push(row(Some(&image), Some(e.to_string()))),
            }
        }
    }
    rows
}
