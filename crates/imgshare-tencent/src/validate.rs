//! What values look like, and the checks made before anything is sent, each naming the field
//! it rejects. The per-field checks are declared in `api.toml`.

use imgshare_core::InvalidInput;
use imgshare_core::validate::Shape;

use crate::operation::DescribeImagesInput;

/// At most this many accounts per image (and so per call).
pub const MAX_ACCOUNTS: usize = 500;
/// `DescribeImages` returns at most this many images per page.
pub const MAX_LIMIT: u64 = 100;

/// An image id: `img-` followed by 8 lowercase letters or digits.
pub const IMAGE_ID: Shape = Shape {
    prefix: "img-",
    min: 8,
    max: 8,
    allowed: |b| b.is_ascii_lowercase() || b.is_ascii_digit(),
    expected: "`img-` followed by 8 lowercase letters or digits",
};

/// The most digits of an account id: a `u64`'s, well above the 10 to 13 of today's ids.
pub const MAX_ACCOUNT_ID_DIGITS: usize = 20;

/// A root account id: 1 to 20 digits (not a QQ number or a name).
pub const ACCOUNT_ID: Shape = Shape {
    prefix: "",
    min: 1,
    max: MAX_ACCOUNT_ID_DIGITS,
    allowed: |b| b.is_ascii_digit(),
    expected: "a numeric root account id of at most 20 digits (not a QQ number or name)",
};

/// A region: `ap-guangzhou`.
pub const REGION: Shape = Shape {
    prefix: "",
    min: 1,
    max: 64,
    allowed: |b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-',
    expected: "a region like `ap-guangzhou`",
};

/// An STS role session name: 2 to 128 of `[A-Za-z0-9_+=,.@-]`.
pub const ROLE_SESSION_NAME: Shape = Shape {
    prefix: "",
    min: 2,
    max: 128,
    allowed: |b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b),
    expected: "2 to 128 of [A-Za-z0-9_+=,.@-]",
};

/// Image ids and filters exclude each other, and a filter has 1 to 5 values.
pub(crate) fn describe_images(input: &DescribeImagesInput) -> Result<(), InvalidInput> {
    if !input.image_ids().is_empty() && !input.filters().is_empty() {
        return Err(InvalidInput::new(
            "filters",
            "cannot be combined with image_ids (Tencent rejects both together)",
        ));
    }
    for (i, f) in input.filters().iter().enumerate() {
        if f.values.is_empty() || f.values.len() > 5 {
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
        assert!(IMAGE_ID.check("image_id", "img-6pb6lrmy").is_ok());
        for bad in [
            "",
            "img-",
            "img-6PB6LRMY",
            "img-6pb6lrm",
            "img-6pb6lrmyy",
            "ins-6pb6lrmy",
        ] {
            let err = IMAGE_ID.check("image_id", bad).unwrap_err();
            assert_eq!(err.field(), "image_id");
        }
    }

    #[test]
    fn regions_and_session_names() {
        assert!(REGION.check("region", "ap-guangzhou").is_ok());
        for bad in ["", "AP-GUANGZHOU", "ap guangzhou", "a".repeat(65).as_str()] {
            assert_eq!(REGION.check("region", bad).unwrap_err().field(), "region");
        }
        assert!(ROLE_SESSION_NAME.check("n", "imgshare-rust-sdk-1").is_ok());
        for bad in ["a", "has space", "a".repeat(129).as_str()] {
            assert!(ROLE_SESSION_NAME.check("n", bad).is_err(), "{bad}");
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
