//! Checks made before anything is sent, each naming the field it rejects.
//!
//! - Image numbers (`serverImageNo`, `memberServerImageInstanceNo`, `memberServerImageNo`) are
//!   1 to 20 ASCII digits (today's are 8 to 10).
//! - Login ids are NCP account login ids, which are e-mail addresses (`targetLoginIdList.1=id1@email.com` in the
//!   API guide). Only the
//!   shape is checked: a non-empty local part, one `@`, and a domain with a dot and no white
//!   space; no control characters; no leading or trailing white space; at most 254 bytes, the
//!   longest e-mail address SMTP carries. Non-ASCII letters
//!   (RFC 6531 addresses) and `+` are accepted, and so is a space inside the local part (quoted
//!   local parts allow it): NCP is the authority on which accounts exist.
//! - Add and remove need at least one login id; `set` may have none (it then removes every
//!   share, as documented). No login id may repeat (Classic documents "can't be duplicated",
//!   and a repeat is never what the caller meant). NCP documents no maximum count, so none is
//!   enforced.
//! - Page sizes are 1 to 1000 (VPC).

use std::borrow::Cow;

use imgshare_core::InvalidInput;
use imgshare_core::validate::quote;

/// The largest VPC `pageSize`.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// The most digits of an image number.
pub const MAX_IMAGE_NO_DIGITS: usize = 20;

/// The longest login id: 254 bytes, the most an SMTP path holds (RFC 5321).
pub const MAX_LOGIN_ID_LEN: usize = 254;

/// 1 to 20 ASCII digits.
pub fn image_no(field: impl Into<Cow<'static, str>>, no: &str) -> Result<(), InvalidInput> {
    if (1..=MAX_IMAGE_NO_DIGITS).contains(&no.len()) && no.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(InvalidInput::new(
            field,
            format!(
                "must be an image number (1 to {MAX_IMAGE_NO_DIGITS} digits), got {}",
                quote(no)
            ),
        ))
    }
}

/// One login id's shape (see the module docs).
pub fn login_id(field: impl Into<Cow<'static, str>>, id: &str) -> Result<(), InvalidInput> {
    let problem = if id.is_empty() {
        Some("is empty".to_owned())
    } else if id.len() > MAX_LOGIN_ID_LEN {
        Some(format!(
            "is longer than {MAX_LOGIN_ID_LEN} bytes, the longest e-mail address: got {}",
            quote(id)
        ))
    } else if id.trim() != id {
        Some(format!("has leading or trailing white space: {id:?}"))
    } else if id.chars().any(char::is_control) {
        Some(format!("holds a control character: {id:?}"))
    } else {
        match id.rsplit_once('@') {
            None => Some(format!(
                "must be an NCP account login id (an e-mail address like user@example.com), got {id:?}"
            )),
            Some((local, domain)) => {
                if local.is_empty() {
                    Some(format!("has nothing before the `@`: {id:?}"))
                } else if domain.is_empty()
                    || !domain.contains('.')
                    || domain.starts_with('.')
                    || domain.ends_with('.')
                    || domain.chars().any(char::is_whitespace)
                {
                    Some(format!(
                        "must be an e-mail address with a domain like example.com after the `@`, got {id:?}"
                    ))
                } else {
                    None
                }
            }
        }
    };
    match problem {
        Some(message) => Err(InvalidInput::new(field, message)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn image_numbers() {
        assert!(image_no("n", "10000001").is_ok());
        for bad in ["", "12a", " 1", "１２"] {
            assert_eq!(image_no("n", bad).unwrap_err().field(), "n");
        }
    }

    #[test]
    fn login_id_shapes() {
        for ok in [
            "user@example.com",
            "a+tag@example.co.kr",
            "john doe@example.com",
            "홍길동@example.kr",
            "x@bücher.de",
        ] {
            assert!(login_id("id", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "user",
            "@example.com",
            "user@",
            "user@localhost",
            " user@example.com",
            "user@exa mple.com",
            "user@example.com\n",
            "user@.com",
        ] {
            assert!(login_id("id", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn lists() {
        use crate::operation::{
            AddServerImageSharingPermissionInput as Add,
            SetMemberServerImageSharingPermissionInput as Set,
        };
        let add = |ids: &[&str]| {
            Add::builder()
                .server_image_no("1")
                .set_target_login_ids(Some(ids.iter().map(|s| s.to_string()).collect()))
                .build()
        };
        assert_eq!(add(&[]).unwrap_err().field(), "target_login_ids");
        let set = Set::builder().member_server_image_instance_no("1").build();
        assert!(set.is_ok(), "set may remove every share");
        assert_eq!(
            add(&["a@x.com", "a@x.com"]).unwrap_err().field(),
            "target_login_ids[1]"
        );
        assert_eq!(
            add(&["a@x.com", "nope"]).unwrap_err().field(),
            "target_login_ids[1]"
        );
    }
}
