//! Checks made before anything is sent, each naming the field it rejects.
//!
//! - Image numbers (`serverImageNo`, `memberServerImageInstanceNo`, `memberServerImageNo`) are
//!   non-empty strings of ASCII digits.
//! - Login ids are NCP account login ids, which are e-mail addresses (ncloud.md §3.1). Only the
//!   shape is checked: a non-empty local part, one `@`, and a domain with a dot and no white
//!   space; no control characters; no leading or trailing white space. Non-ASCII letters
//!   (RFC 6531 addresses) and `+` are accepted, and so is a space inside the local part (quoted
//!   local parts allow it): NCP is the authority on which accounts exist.
//! - Add and remove need at least one login id; `set` may have none (it then removes every
//!   share, as documented). No login id may repeat (Classic documents "can't be duplicated",
//!   and a repeat is never what the caller meant). NCP documents no maximum count, so none is
//!   enforced.
//! - Page sizes are 1 to 1000 (VPC).

use std::borrow::Cow;
use std::collections::HashSet;

use imgshare_core::InvalidInput;

use crate::operation::{
    AddMemberServerImageSharingPermissionInput, AddServerImageSharingPermissionInput,
    ClassicAddMemberServerImageSharingPermissionInput, ClassicGetMemberServerImageListInput,
    ClassicRemoveMemberServerImageSharingPermissionInput,
    ClassicSetMemberServerImageSharingPermissionInput, GetMemberServerImageInstanceDetailInput,
    GetMemberServerImageInstanceListInput, GetServerImageDetailInput, GetServerImageListInput,
    RemoveMemberServerImageSharingPermissionInput, RemoveServerImageSharingPermissionInput,
    SetMemberServerImageSharingPermissionInput,
};

/// The largest VPC `pageSize`.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// A non-empty string of ASCII digits.
pub fn image_no(field: impl Into<Cow<'static, str>>, no: &str) -> Result<(), InvalidInput> {
    if !no.is_empty() && no.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(InvalidInput::new(
            field,
            format!("must be an image number (digits only), got {no:?}"),
        ))
    }
}

/// One login id's shape (see the module docs).
pub fn login_id(field: impl Into<Cow<'static, str>>, id: &str) -> Result<(), InvalidInput> {
    let problem = if id.is_empty() {
        Some("is empty".to_owned())
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

/// Every login id well formed and none repeated; at least one unless `allow_empty`.
pub fn login_ids(ids: &[String], allow_empty: bool) -> Result<(), InvalidInput> {
    if ids.is_empty() && !allow_empty {
        return Err(InvalidInput::new(
            "target_login_ids",
            "needs at least one login id (call .target_login_id(..))",
        ));
    }
    let mut seen = HashSet::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        login_id(format!("target_login_ids[{i}]"), id)?;
        if !seen.insert(id.as_str()) {
            return Err(InvalidInput::new(
                format!("target_login_ids[{i}]"),
                format!("repeats login id {id}"),
            ));
        }
    }
    Ok(())
}

fn image_nos(field: &'static str, nos: &[String]) -> Result<(), InvalidInput> {
    for (i, no) in nos.iter().enumerate() {
        image_no(format!("{field}[{i}]"), no)?;
    }
    Ok(())
}

fn page(page_size: Option<u32>, max: Option<u32>) -> Result<(), InvalidInput> {
    if let (Some(size), Some(max)) = (page_size, max)
        && (size == 0 || size > max)
    {
        return Err(InvalidInput::new(
            "page_size",
            format!("must be 1 to {max}, got {size}"),
        ));
    }
    Ok(())
}

pub(crate) fn add_server_image_sharing_permission(
    input: &AddServerImageSharingPermissionInput,
) -> Result<(), InvalidInput> {
    image_no("server_image_no", input.server_image_no())?;
    login_ids(input.target_login_ids(), false)
}

pub(crate) fn remove_server_image_sharing_permission(
    input: &RemoveServerImageSharingPermissionInput,
) -> Result<(), InvalidInput> {
    image_no("server_image_no", input.server_image_no())?;
    login_ids(input.target_login_ids(), false)
}

pub(crate) fn get_server_image_list(input: &GetServerImageListInput) -> Result<(), InvalidInput> {
    image_nos("server_image_nos", input.server_image_nos())?;
    page(input.page_size(), Some(MAX_PAGE_SIZE))
}

pub(crate) fn get_server_image_detail(
    input: &GetServerImageDetailInput,
) -> Result<(), InvalidInput> {
    image_no("server_image_no", input.server_image_no())
}

pub(crate) fn add_member_server_image_sharing_permission(
    input: &AddMemberServerImageSharingPermissionInput,
) -> Result<(), InvalidInput> {
    image_no(
        "member_server_image_instance_no",
        input.member_server_image_instance_no(),
    )?;
    login_ids(input.target_login_ids(), false)
}

pub(crate) fn remove_member_server_image_sharing_permission(
    input: &RemoveMemberServerImageSharingPermissionInput,
) -> Result<(), InvalidInput> {
    image_no(
        "member_server_image_instance_no",
        input.member_server_image_instance_no(),
    )?;
    login_ids(input.target_login_ids(), false)
}

pub(crate) fn set_member_server_image_sharing_permission(
    input: &SetMemberServerImageSharingPermissionInput,
) -> Result<(), InvalidInput> {
    image_no(
        "member_server_image_instance_no",
        input.member_server_image_instance_no(),
    )?;
    login_ids(input.target_login_ids(), true)
}

pub(crate) fn get_member_server_image_instance_list(
    input: &GetMemberServerImageInstanceListInput,
) -> Result<(), InvalidInput> {
    image_nos(
        "member_server_image_instance_nos",
        input.member_server_image_instance_nos(),
    )?;
    page(input.page_size(), Some(MAX_PAGE_SIZE))
}

pub(crate) fn get_member_server_image_instance_detail(
    input: &GetMemberServerImageInstanceDetailInput,
) -> Result<(), InvalidInput> {
    image_no(
        "member_server_image_instance_no",
        input.member_server_image_instance_no(),
    )
}

pub(crate) fn classic_add_member_server_image_sharing_permission(
    input: &ClassicAddMemberServerImageSharingPermissionInput,
) -> Result<(), InvalidInput> {
    image_no("member_server_image_no", input.member_server_image_no())?;
    login_ids(input.target_login_ids(), false)
}

pub(crate) fn classic_remove_member_server_image_sharing_permission(
    input: &ClassicRemoveMemberServerImageSharingPermissionInput,
) -> Result<(), InvalidInput> {
    image_no("member_server_image_no", input.member_server_image_no())?;
    login_ids(input.target_login_ids(), false)
}

pub(crate) fn classic_set_member_server_image_sharing_permission(
    input: &ClassicSetMemberServerImageSharingPermissionInput,
) -> Result<(), InvalidInput> {
    image_no("member_server_image_no", input.member_server_image_no())?;
    login_ids(input.target_login_ids(), true)
}

pub(crate) fn classic_get_member_server_image_list(
    input: &ClassicGetMemberServerImageListInput,
) -> Result<(), InvalidInput> {
    image_nos("member_server_image_nos", input.member_server_image_nos())?;
    if input.platform_type_codes().len() > 5 {
        return Err(InvalidInput::new(
            "platform_type_codes",
            "at most 5 platform types are allowed",
        ));
    }
    if let Some(region) = input.region_no() {
        image_no("region_no", region)?;
    }
    page(input.page_size(), None)
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
        assert_eq!(
            login_ids(&[], false).unwrap_err().field(),
            "target_login_ids"
        );
        assert!(login_ids(&[], true).is_ok());
        let dup = vec!["a@x.com".to_owned(), "a@x.com".to_owned()];
        assert_eq!(
            login_ids(&dup, false).unwrap_err().field(),
            "target_login_ids[1]"
        );
    }
}
