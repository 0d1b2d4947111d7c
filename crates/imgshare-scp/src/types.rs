//! Models of the virtualserver image APIs. The response models and enums are declared in
//! `api.toml` and generated (decoded leniently: unknown fields are ignored, nullable fields are
//! `Option`s, server-controlled enums keep unknown values, a missing member status is
//! `Unknown("")`, timestamps are kept as sent in a [`Timestamp`] and read on demand as RFC 3339
//! or, without a zone, as UTC, the official SDK's fallback); this module re-exports them and adds
//! [`ShareOutcome`].

pub use crate::model::*;
pub use imgshare_core::decode::{Timestamp, UnparsedTimestamp};

/// Parses an SCP timestamp: RFC 3339 (`2025-07-22T09:00:00Z`, `…+09:00`, fractions allowed), or
/// the same without a zone (`2025-07-22T09:00:00`, read as UTC, as the official SDK does).
pub use imgshare_core::decode::lenient::parse_datetime as parse_time;

/// What [`Client::share`](crate::Client::share) found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShareOutcome {
    /// The account was added now; its status is `pending` until it accepts.
    Added(ImageMember),
    /// SCP answered 409 and show member confirmed the account already was a member (for
    /// example after an earlier attempt whose answer was lost).
    AlreadyMember(ImageMember),
}

impl ShareOutcome {
    /// The member as SCP reports it.
    pub fn member(&self) -> &ImageMember {
        match self {
            ShareOutcome::Added(m) | ShareOutcome::AlreadyMember(m) => m,
        }
    }

    /// Whether this call added the account.
    pub fn is_newly_added(&self) -> bool {
        matches!(self, ShareOutcome::Added(_))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::datetime;

    #[test]
    fn times_with_and_without_zone() {
        assert_eq!(
            parse_time("2025-07-22T09:00:00Z"),
            Some(datetime!(2025-07-22 09:00:00 UTC))
        );
        assert_eq!(
            parse_time("2025-07-22T18:00:00+09:00"),
            Some(datetime!(2025-07-22 09:00:00 UTC))
        );
        assert_eq!(
            parse_time("2025-07-22T09:00:00"),
            Some(datetime!(2025-07-22 09:00:00 UTC))
        );
        assert_eq!(
            parse_time("2025-07-22T09:00:00.123456"),
            Some(datetime!(2025-07-22 09:00:00.123456 UTC))
        );
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn member_decodes_the_documented_example() {
        let m: ImageMember = serde_json::from_str(
            r#"{"created_at":"2025-07-22T09:00:00Z","image_id":"70a599e0-31e7-49b7-b260-868f441e862b",
                "member_id":"a8f10467abfc4b87b64614ab36eb9ae4","status":"pending",
                "updated_at":"2025-07-26T12:00:00","extra":1}"#,
        )
        .unwrap();
        assert_eq!(m.status, MemberStatus::Pending);
        let updated = m.updated_at.as_ref().unwrap();
        assert_eq!(updated.datetime(), Ok(datetime!(2025-07-26 12:00:00 UTC)));
        assert_eq!(updated.as_str(), "2025-07-26T12:00:00");
        let odd: ImageMember = serde_json::from_str(
            r#"{"image_id":"i","member_id":"m","status":"frozen","created_at":null}"#,
        )
        .unwrap();
        assert_eq!(odd.status, MemberStatus::Unknown("frozen".into()));
        assert_eq!(odd.created_at, None);
    }

    // Catches: a missing status read as `Pending` (the enum's old default), and an unreadable
    // time silently dropped to `None`.
    #[test]
    fn missing_status_is_unknown_and_odd_times_are_kept() {
        let m: ImageMember = serde_json::from_str(
            r#"{"image_id":"i","member_id":"m","created_at":"22.07.2025 09:00","updated_at":""}"#,
        )
        .unwrap();
        assert_eq!(m.status, MemberStatus::Unknown(String::new()));
        assert_ne!(m.status, MemberStatus::Pending);
        let created = m.created_at.as_ref().unwrap();
        assert_eq!(created.as_str(), "22.07.2025 09:00");
        let e = created.datetime().unwrap_err();
        assert_eq!(e.text(), "22.07.2025 09:00");
        assert!(m.updated_at.as_ref().unwrap().datetime().is_err());
    }
}
