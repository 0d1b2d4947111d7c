//! Models of the virtualserver image APIs (scp.md §3.2, §3.3), decoded leniently: unknown fields
//! are ignored, nullable fields are `Option`s, server-controlled enums keep unknown values, and
//! timestamps are read as RFC 3339 or, without a zone, as UTC (the official SDK's fallback).

use imgshare_core::decode::lenient;
use serde::{Deserialize, Deserializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

imgshare_core::string_enum! {
    /// A member's status (`ImageMemberStatusEnum`).
    #[derive(Default)]
    pub enum MemberStatus {
        /// Added by the owner, not yet answered by the recipient (the initial state).
        #[default]
        Pending => "pending",
        /// The recipient accepted the share.
        Accepted => "accepted",
        /// The recipient rejected the share.
        Rejected => "rejected",
    }
}

imgshare_core::string_enum! {
    /// An image's visibility (`ImageVisibilityEnum`). Only `private` and `shared` can be set;
    /// an image must be `shared` before members can be added.
    #[derive(Default)]
    pub enum Visibility {
        /// Usable only inside the owning account.
        #[default]
        Private => "private",
        /// Can be shared with other accounts through members.
        Shared => "shared",
        /// Visible to every account.
        Public => "public",
        /// Visible to every account, listed only when asked for.
        Community => "community",
    }
}

imgshare_core::string_enum! {
    /// An image's status (Glance's lifecycle; the user guide shows Active, Queued, Importing).
    pub enum ImageStatus {
        /// Usable.
        Active => "active",
        /// Created, no data yet.
        Queued => "queued",
        /// Being imported.
        Importing => "importing",
        /// Data being uploaded.
        Saving => "saving",
        /// Deactivated by an administrator.
        Deactivated => "deactivated",
        /// Failed.
        Killed => "killed",
        /// Deleted.
        Deleted => "deleted",
    }
}

impl Default for ImageStatus {
    fn default() -> Self {
        ImageStatus::Unknown(String::new())
    }
}

/// Parses an SCP timestamp: RFC 3339 (`2025-07-22T09:00:00Z`, `…+09:00`, fractions allowed), or
/// the same without a zone (`2025-07-22T09:00:00`, read as UTC, as the official SDK does).
pub fn parse_time(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    let zoneless = format_description!(
        version = 2,
        "[year]-[month]-[day][first [T] [ ]][hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    time::PrimitiveDateTime::parse(text, zoneless)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

/// Reads a nullable timestamp; an unreadable one becomes `None` rather than failing the call.
fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OffsetDateTime>, D::Error> {
    let text = lenient::opt_string(d)?;
    Ok(text.as_deref().and_then(parse_time))
}

/// One member of an image (`ImageMemberShowResponse`): who an image is shared with, and whether
/// they accepted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ImageMember {
    /// The image, a UUID.
    #[serde(default, deserialize_with = "lenient::string")]
    pub image_id: String,
    /// The recipient account id.
    #[serde(default, deserialize_with = "lenient::string")]
    pub member_id: String,
    /// Pending, accepted or rejected.
    #[serde(default)]
    pub status: MemberStatus,
    /// When the owner added the member.
    #[serde(default, deserialize_with = "opt_time")]
    pub created_at: Option<OffsetDateTime>,
    /// When the status last changed.
    #[serde(default, deserialize_with = "opt_time")]
    pub updated_at: Option<OffsetDateTime>,
}

imgshare_core::model_builder!(ImageMember => ImageMemberBuilder {
    image_id: String,
    member_id: String,
    status: MemberStatus,
    created_at: Option<OffsetDateTime>,
    updated_at: Option<OffsetDateTime>,
});

/// The answer of `listImageMembers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ListImageMembersOutput {
    /// The members, in the server's order.
    #[serde(default, deserialize_with = "lenient::list")]
    pub members: Vec<ImageMember>,
}

imgshare_core::model_builder!(ListImageMembersOutput => ListImageMembersOutputBuilder {
    members: Vec<ImageMember>,
});

/// An image (`ImageShowResponse`, the 1.2/1.3 shapes). Fields the API marks nullable are
/// `Option`s; fields whose schema the notes do not give (`volumes`,
/// `scp_supported_class_types`) are kept as raw JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Image {
    /// The image id, a UUID.
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: String,
    /// The name.
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    /// The owning account id.
    #[serde(default, deserialize_with = "lenient::string")]
    pub owner: String,
    /// Private, shared, public or community.
    #[serde(default)]
    pub visibility: Visibility,
    /// Active, queued, importing, ….
    #[serde(default)]
    pub status: ImageStatus,
    /// `bare`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub container_format: String,
    /// `qcow2`, `raw`, ….
    #[serde(default, deserialize_with = "lenient::string")]
    pub disk_format: String,
    /// The Glance file path (`/v2/images/<id>/file`).
    #[serde(default, deserialize_with = "lenient::string")]
    pub file: String,
    /// Minimum disk in GB.
    #[serde(default, deserialize_with = "lenient::number")]
    pub min_disk: i64,
    /// Minimum RAM in MB.
    #[serde(default, deserialize_with = "lenient::number")]
    pub min_ram: i64,
    /// Hidden from default listings.
    #[serde(default, deserialize_with = "lenient::bool")]
    pub os_hidden: bool,
    /// Protected from deletion.
    #[serde(default, deserialize_with = "lenient::bool")]
    pub protected: bool,
    /// Creation time.
    #[serde(default, deserialize_with = "opt_time")]
    pub created_at: Option<OffsetDateTime>,
    /// Last update time.
    #[serde(default, deserialize_with = "opt_time")]
    pub updated_at: Option<OffsetDateTime>,
    /// Checksum of the data.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub checksum: Option<String>,
    /// OS distribution (`ubuntu`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub os_distro: Option<String>,
    /// Hash algorithm of `os_hash_value`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub os_hash_algo: Option<String>,
    /// Hash of the data.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub os_hash_value: Option<String>,
    /// The owning account's name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub owner_account_name: Option<String>,
    /// The creating user's name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub owner_user_name: Option<String>,
    /// Root device name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub root_device_name: Option<String>,
    /// SCP image type.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub scp_image_type: Option<String>,
    /// Kubernetes version, for Kubernetes node images.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub scp_k8s_version: Option<String>,
    /// SCP original image type.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub scp_original_image_type: Option<String>,
    /// OS build version.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub scp_os_build_version: Option<String>,
    /// OS version (`22.04`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub scp_os_version: Option<String>,
    /// GPU driver (1.2 and later).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub scp_gpu_driver: Option<String>,
    /// Size in bytes.
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub size: Option<i64>,
    /// Virtual size in bytes.
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub virtual_size: Option<i64>,
    /// The image's import URL.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub url: Option<String>,
    /// Volumes of a server-derived image, as sent (schema not documented).
    #[serde(default)]
    pub volumes: Option<serde_json::Value>,
    /// Server classes the image supports (1.3 lists), as sent.
    #[serde(default)]
    pub scp_supported_class_types: Option<serde_json::Value>,
}

imgshare_core::model_builder!(Image => ImageBuilder {
    id: String,
    name: String,
    owner: String,
    visibility: Visibility,
    status: ImageStatus,
    container_format: String,
    disk_format: String,
    file: String,
    min_disk: i64,
    min_ram: i64,
    os_hidden: bool,
    protected: bool,
    created_at: Option<OffsetDateTime>,
    updated_at: Option<OffsetDateTime>,
    checksum: Option<String>,
    os_distro: Option<String>,
    os_hash_algo: Option<String>,
    os_hash_value: Option<String>,
    owner_account_name: Option<String>,
    owner_user_name: Option<String>,
    root_device_name: Option<String>,
    scp_image_type: Option<String>,
    scp_k8s_version: Option<String>,
    scp_original_image_type: Option<String>,
    scp_os_build_version: Option<String>,
    scp_os_version: Option<String>,
    scp_gpu_driver: Option<String>,
    size: Option<i64>,
    virtual_size: Option<i64>,
    url: Option<String>,
    volumes: Option<serde_json::Value>,
    scp_supported_class_types: Option<serde_json::Value>,
});

/// The answer of `listImages` and `listPendingImages`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ListImagesOutput {
    /// The images of this page.
    #[serde(default, deserialize_with = "lenient::list")]
    pub images: Vec<Image>,
}

imgshare_core::model_builder!(ListImagesOutput => ListImagesOutputBuilder {
    images: Vec<Image>,
});

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
        assert_eq!(m.updated_at, Some(datetime!(2025-07-26 12:00:00 UTC)));
        let odd: ImageMember =
            serde_json::from_str(r#"{"status":"frozen","created_at":null}"#).unwrap();
        assert_eq!(odd.status, MemberStatus::Unknown("frozen".into()));
        assert_eq!(odd.created_at, None);
    }
}
