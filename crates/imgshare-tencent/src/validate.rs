//! Checks made before anything is sent, each naming the field it rejects.

use std::borrow::Cow;
use std::collections::HashSet;

use imgshare_core::InvalidInput;

use crate::operation::{
    DescribeImageSharePermissionInput, DescribeImagesInput, ShareImageInput, UnshareImageInput,
};

/// At most this many accounts per image (and so per call), seed 004.
pub const MAX_ACCOUNTS: usize = 500;
/// `DescribeImages` returns at most this many images per page.
pub const MAX_LIMIT: u64 = 100;

/// `img-` followed by 8 lowercase letters or digits.
pub fn image_id(field: impl Into<Cow<'static, str>>, id: &str) -> Result<(), InvalidInput> {
    let ok = id.len() == 12
        && id.starts_with("img-")
        && id[4..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(InvalidInput::new(
            field,
            format!("must be `img-` followed by 8 lowercase letters or digits, got {id:?}"),
        ))
    }
}

/// 1..=500 root account ids, numeric, none empty, no duplicates.
pub fn account_ids(ids: &[String]) -> Result<(), InvalidInput> {
    if ids.is_empty() {
        return Err(InvalidInput::new(
            "account_ids",
            "needs at least one account id (call .account_id(..))",
        ));
    }
    if ids.len() > MAX_ACCOUNTS {
        return Err(InvalidInput::new(
            "account_ids",
            format!(
                "has {} accounts; Tencent allows at most {MAX_ACCOUNTS} per image",
                ids.len()
            ),
        ));
    }
    let mut seen = HashSet::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if id.is_empty() {
            return Err(InvalidInput::new(format!("account_ids[{i}]"), "is empty"));
        }
        if !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidInput::new(
                format!("account_ids[{i}]"),
                format!("must be a numeric root account id (not a QQ number or name), got {id:?}"),
            ));
        }
        if !seen.insert(id.as_str()) {
            return Err(InvalidInput::new(
                format!("account_ids[{i}]"),
                format!("repeats account {id}"),
            ));
        }
    }
    Ok(())
}

pub(crate) fn share_image(input: &ShareImageInput) -> Result<(), InvalidInput> {
    image_id("image_id", input.image_id())?;
    account_ids(input.account_ids())
}

pub(crate) fn unshare_image(input: &UnshareImageInput) -> Result<(), InvalidInput> {
    image_id("image_id", input.image_id())?;
    account_ids(input.account_ids())
}

pub(crate) fn describe_share_permission(
    input: &DescribeImageSharePermissionInput,
) -> Result<(), InvalidInput> {
    image_id("image_id", input.image_id())
}

pub(crate) fn describe_images(input: &DescribeImagesInput) -> Result<(), InvalidInput> {
    if !input.image_ids().is_empty() && !input.filters().is_empty() {
        return Err(InvalidInput::new(
            "filters",
            "cannot be combined with image_ids (Tencent rejects both together)",
        ));
    }
    for (i, id) in input.image_ids().iter().enumerate() {
        image_id(format!("image_ids[{i}]"), id)?;
    }
    if input.filters().len() > 10 {
        return Err(InvalidInput::new(
            "filters",
            "at most 10 filters are allowed",
        ));
    }
    for (i, f) in input.filters().iter().enumerate() {
        if f.values().is_empty() || f.values().len() > 5 {
            return Err(InvalidInput::new(
                format!("filters[{i}]"),
                "needs 1 to 5 values",
            ));
        }
    }
    if let Some(limit) = input.limit()
        && (limit == 0 || limit > MAX_LIMIT)
    {
        return Err(InvalidInput::new(
            "limit",
            format!("must be 1 to {MAX_LIMIT}, got {limit}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn image_ids() {
        assert!(image_id("image_id", "img-6pb6lrmy").is_ok());
        for bad in [
            "",
            "img-",
            "img-6PB6LRMY",
            "img-6pb6lrm",
            "img-6pb6lrmyy",
            "ins-6pb6lrmy",
        ] {
            let err = image_id("image_id", bad).unwrap_err();
            assert_eq!(err.field(), "image_id");
        }
    }

    #[test]
    fn accounts() {
        assert!(account_ids(&["1038493875".into()]).is_ok());
        assert_eq!(account_ids(&[]).unwrap_err().field(), "account_ids");
        assert_eq!(
            account_ids(&["1".into(), "".into()]).unwrap_err().field(),
            "account_ids[1]"
        );
        assert_eq!(
            account_ids(&["1".into(), "abc".into()])
                .unwrap_err()
                .field(),
            "account_ids[1]"
        );
        assert_eq!(
            account_ids(&["1".into(), "1".into()]).unwrap_err().field(),
            "account_ids[1]"
        );
        let many: Vec<String> = (0..501).map(|i| i.to_string()).collect();
        assert_eq!(account_ids(&many).unwrap_err().field(), "account_ids");
        assert!(account_ids(&many[..500]).is_ok());
    }
}
