//! Checks made before anything is sent, each naming the field it rejects.

use std::borrow::Cow;

use imgshare_core::InvalidInput;
use imgshare_core::validate::{Token, token};

use crate::operation::UpdateImageInput;
use crate::types::{MemberStatus, Visibility};

/// `limit` of `listImages`: at most this many images per page.
pub const MAX_LIMIT: u32 = 1000;
/// The longest member id the API accepts.
pub const MAX_MEMBER_ID_LEN: usize = 64;
/// The largest `min_disk` / `min_ram` the API accepts.
pub const MAX_MIN_SIZE: u32 = 2_097_151;

/// An SCP account id, as member ids are (`ImageMemberCreateRequest.member_id`).
const ACCOUNT_ID: Token = Token {
    what: "an SCP account id",
    min_len: 1,
    max_len: MAX_MEMBER_ID_LEN,
    allowed: "A-Z, a-z, 0-9 and `-`",
    allows: |b| b.is_ascii_alphanumeric() || b == b'-',
};

/// SCP image ids are UUIDs, `8-4-4-4-12` hex digits (either case).
pub use imgshare_core::validate::uuid as image_id;

/// 1 to 64 of `A-Z a-z 0-9 -` (`ImageMemberCreateRequest.member_id`).
pub fn member_id(field: impl Into<Cow<'static, str>>, id: &str) -> Result<(), InvalidInput> {
    token(field, id, &ACCOUNT_ID)
}

/// `status` of `updateImageMember`: a value SCP knows.
pub(crate) fn member_status(
    field: &'static str,
    status: &MemberStatus,
) -> Result<(), InvalidInput> {
    let MemberStatus::Unknown(s) = status else {
        return Ok(());
    };
    let message = format!("must be accepted, rejected or pending, got {s:?}");
    Err(InvalidInput::new(field, message))
}

/// `updateImage` needs something to update, and only `private` and `shared` can be set.
pub(crate) fn update_image(input: &UpdateImageInput) -> Result<(), InvalidInput> {
    if input.visibility().is_none()
        && input.protected().is_none()
        && input.min_disk().is_none()
        && input.min_ram().is_none()
    {
        return Err(InvalidInput::new(
            "visibility",
            "nothing to update: set visibility, protected, min_disk or min_ram",
        ));
    }
    if let Some(v) = input.visibility()
        && !matches!(v, Visibility::Private | Visibility::Shared)
    {
        return Err(InvalidInput::new(
            "visibility",
            format!("can be set only to private or shared, got {v}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn image_ids_are_uuids() {
        assert!(image_id("image_id", "70a599e0-31e7-49b7-b260-868f441e862b").is_ok());
        assert!(image_id("image_id", "70A599E0-31E7-49B7-B260-868F441E862B").is_ok());
        for bad in [
            "",
            "70a599e0-31e7-49b7-b260-868f441e862",
            "70a599e0-31e7-49b7-b260-868f441e862bb",
            "70a599e031e749b7b260868f441e862b",
            "70a599e0-31e7-49b7-b260-868f441e862g",
            "../../v1/images",
            "70a599e0/31e7-49b7-b260-868f441e862b",
        ] {
            assert_eq!(image_id("image_id", bad).unwrap_err().field(), "image_id");
        }
    }

    #[test]
    fn member_ids() {
        assert!(member_id("member_id", "a8f10467abfc4b87b64614ab36eb9ae4").is_ok());
        assert!(member_id("member_id", "A-1").is_ok());
        assert!(member_id("member_id", &"a".repeat(64)).is_ok());
        for bad in ["", "a b", "a/b", "a_b", "..", "é", &"a".repeat(65)] {
            assert_eq!(
                member_id("member_id", bad).unwrap_err().field(),
                "member_id",
                "{bad:?}"
            );
        }
    }
}
