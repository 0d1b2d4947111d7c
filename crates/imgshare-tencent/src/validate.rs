//! Checks made before anything is sent, each naming the field it rejects.

use std::borrow::Cow;

use imgshare_core::InvalidInput;

use crate::operation::DescribeImagesInput;

/// At most this many accounts per image (and so per call).
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

/// A root account id: numeric (not a QQ number or a name).
pub fn account_id(field: impl Into<Cow<'static, str>>, id: &str) -> Result<(), InvalidInput> {
    if id.is_empty() {
        return Err(InvalidInput::new(field, "is empty"));
    }
    if !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InvalidInput::new(
            field,
            format!("must be a numeric root account id (not a QQ number or name), got {id:?}"),
        ));
    }
    Ok(())
}

pub(crate) fn describe_images(input: &DescribeImagesInput) -> Result<(), InvalidInput> {
    if !input.image_ids().is_empty() && !input.filters().is_empty() {
        return Err(InvalidInput::new(
            "filters",
            "cannot be combined with image_ids (Tencent rejects both together)",
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

    /// The declared checks (`api.toml`) as the share builder runs them.
    fn share(ids: &[String]) -> Result<(), InvalidInput> {
        crate::operation::ShareImageInput::builder()
            .image_id("img-6pb6lrmy")
            .set_account_ids(Some(ids.to_vec()))
            .build()
            .map(|_| ())
    }

    #[test]
    fn accounts() {
        assert!(share(&["1038493875".into()]).is_ok());
        assert_eq!(share(&[]).unwrap_err().field(), "account_ids");
        assert_eq!(
            share(&["1".into(), "".into()]).unwrap_err().field(),
            "account_ids[1]"
        );
        assert_eq!(
            share(&["1".into(), "abc".into()]).unwrap_err().field(),
            "account_ids[1]"
        );
        assert_eq!(
            share(&["1".into(), "1".into()]).unwrap_err().field(),
            "account_ids[1]"
        );
        let many: Vec<String> = (0..501).map(|i| i.to_string()).collect();
        assert_eq!(share(&many).unwrap_err().field(), "account_ids");
        assert!(share(&many[..500]).is_ok());
    }
}
