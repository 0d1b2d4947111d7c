//! The recipient's side: [`SharedImage`], an image another account shared with the caller, as
//! [`ImageSharing::shared_with_me`] lists it.

use serde::Serialize;

use super::ShareState;

/// An image another account shared with the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SharedImage {
    /// The image id.
    pub id: String,
    /// Its name, when the provider gives one.
    pub name: String,
    /// The sharing account, when the provider says (Tencent's `ImageCreator`, SCP's `owner`).
    pub owner: Option<String>,
    /// `active` (Tencent), `pending` or `accepted` (SCP).
    pub state: ShareState,
}

impl SharedImage {
    /// A shared image (for implementations and tests).
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        owner: Option<String>,
        state: ShareState,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            owner,
            state,
        }
    }
}
