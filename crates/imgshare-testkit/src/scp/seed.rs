//! The fake's data model: accounts, images, members and the [`ScpSeed`]
//! that holds them.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::harness::wire::uuid_v4;
use crate::harness::{self, REDACTED, SeedError, setters, with_defaults};

/// An SCP v2 account with one access key.
///
/// Several `ScpAccount`s may share an `account_id` (one account, several
/// keys). The `Debug` output never shows the secret key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScpAccount {
    /// The account id, 32 lowercase hex in the spec examples
    /// (`f39c460fade34fecb05ede8f904b24b7`); it is also the `member_id`
    /// others share images with (in the image-member paths).
    pub account_id: String,
    /// The access key clients send in `Scp-Accesskey`.
    pub access_key: String,
    /// The secret key the fake verifies `Scp-Signature` with.
    pub secret_key: String,
}

impl ScpAccount {
    /// An account with one access key.
    pub fn new(
        account_id: impl Into<String>,
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        ScpAccount {
            account_id: account_id.into(),
            access_key: access_key.into(),
            secret_key: secret_key.into(),
        }
    }
}

impl fmt::Debug for ScpAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScpAccount")
            .field("account_id", &self.account_id)
            .field("access_key", &self.access_key)
            .field("secret_key", &REDACTED)
            .finish()
    }
}

/// An image's `visibility` (`ImageVisibilityEnum`).
///
/// Only `private` and `shared` can be set through `PUT /v1/images/{id}`;
/// `public` and `community` exist for seeding and the list filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScpVisibility {
    /// Usable only inside the owning account (the default).
    Private,
    /// Can be shared with other accounts through members.
    Shared,
    /// Visible to every account.
    Public,
    /// Visible to every account, listed only when asked for.
    Community,
}

impl ScpVisibility {
    /// The wire spelling: `private`, `shared`, `public` or `community`.
    pub fn as_str(self) -> &'static str {
        // In declaration order, as serde spells them (the tests compare).
        ["private", "shared", "public", "community"][self as usize]
    }
}

/// A member's `status` (`ImageMemberStatusEnum`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScpMemberStatus {
    /// Added by the owner, not yet answered by the member (the initial state).
    #[default]
    Pending,
    /// The member accepted the share.
    Accepted,
    /// The member rejected the share.
    Rejected,
}

impl ScpMemberStatus {
    /// The wire spelling: `pending`, `accepted` or `rejected`.
    pub fn as_str(self) -> &'static str {
        ["pending", "accepted", "rejected"][self as usize]
    }
}

/// A wire spelling's value (`private`, `accepted`, ...), as serde reads it.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(value: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::from(value)).ok()
}

with_defaults! {
    /// A virtualserver image, with the `ImageShowResponse` fields the
    /// fake models; the other nullable fields are answered as `null`.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct ScpImage {
        /// `id`, a UUID such as `70a599e0-31e7-49b7-b260-868f441e862b`.
        pub id: String = String::new(),
        /// `owner`: the owning account id.
        pub owner: String = String::new(),
        /// `name`.
        pub name: String = "imgshare-test-image".into(),
        /// `visibility`; members can be added only while it is `shared`.
        pub visibility: ScpVisibility = ScpVisibility::Private,
        /// `status`, e.g. `active`, `queued`, `importing`.
        pub status: String = "active".into(),
        /// `os_distro`, e.g. `ubuntu`.
        pub os_distro: Option<String> = Some("ubuntu".into()),
        /// `scp_os_version`, e.g. `22.04`.
        pub scp_os_version: Option<String> = None,
        /// `scp_image_type` (the fake's guess at values: `custom`, `standard`).
        pub scp_image_type: Option<String> = Some("custom".into()),
        /// `scp_original_image_type`.
        pub scp_original_image_type: Option<String> = Some("standard".into()),
        /// `container_format`, `bare`.
        pub container_format: String = "bare".into(),
        /// `disk_format`, `qcow2`.
        pub disk_format: String = "qcow2".into(),
        /// `min_disk` in GB.
        pub min_disk: i64 = 0,
        /// `min_ram` in MB.
        pub min_ram: i64 = 0,
        /// `protected`.
        pub protected: bool = false,
        /// `os_hidden`.
        pub os_hidden: bool = false,
        /// `size` in bytes.
        pub size: Option<i64> = Some(2_361_393_152),
        /// `owner_account_name`.
        pub owner_account_name: Option<String> = None,
        /// `created_at`, `YYYY-MM-DDThh:mm:ssZ`.
        pub created_at: String = "2025-07-22T09:00:00Z".to_owned(),
        /// `updated_at`, `YYYY-MM-DDThh:mm:ssZ`; the fake bumps it on
        /// `PUT /v1/images/{id}`.
        pub updated_at: String = "2025-07-22T09:00:00Z".to_owned(),
    }
}

impl ScpImage {
    /// An `active`, `private` Ubuntu qcow2 custom image created
    /// 2025-07-22T09:00:00Z.
    pub fn new(id: impl Into<String>, owner: impl Into<String>) -> Self {
        let (id, owner) = (id.into(), owner.into());
        ScpImage {
            id,
            owner,
            ..ScpImage::default()
        }
    }

    /// Like [`ScpImage::new`] with a fresh random UUID as `id`.
    pub fn with_random_id(owner: impl Into<String>) -> Self {
        ScpImage::new(uuid_v4(), owner)
    }

    setters! {
        /// Sets `name`.
        with_name => name: String;
        /// Sets `visibility`.
        with_visibility => visibility: ScpVisibility;
        /// Sets `status` (e.g. `queued`).
        with_status => status: String;
    }

    /// Sets `created_at` and `updated_at` (`YYYY-MM-DDThh:mm:ssZ`).
    pub fn with_created_at(mut self, created_at: impl Into<String>) -> Self {
        self.created_at = created_at.into();
        self.updated_at = self.created_at.clone();
        self
    }
}

/// One image member (`ImageMemberShowResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScpMember {
    /// `image_id`.
    pub image_id: String,
    /// `member_id`: the recipient account id.
    pub member_id: String,
    /// `status`; `pending` when omitted in a seed.
    #[serde(default)]
    pub status: ScpMemberStatus,
    /// `created_at`; `None` in a seed means "when the fake starts".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// `updated_at`; `None` in a seed means "when the fake starts".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

impl ScpMember {
    /// A `pending` member, stamped when the fake starts.
    pub fn new(image_id: impl Into<String>, member_id: impl Into<String>) -> Self {
        ScpMember {
            image_id: image_id.into(),
            member_id: member_id.into(),
            ..ScpMember::default()
        }
    }

    setters! {
        /// Sets `status`.
        with_status => status: ScpMemberStatus;
    }
}

/// The SCP fake's whole state: accounts, images and members.
///
/// Serialisable as JSON, like the [`TencentSeed`](crate::TencentSeed):
///
/// ```
/// let seed = imgshare_testkit::ScpSeed::from_json_str(r#"{
///   "accounts": [{"account_id": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
///                 "access_key": "ak", "secret_key": "sk"}],
///   "images": [{"id": "70a599e0-31e7-49b7-b260-868f441e862b",
///               "owner": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", "visibility": "shared"}],
///   "members": [{"image_id": "70a599e0-31e7-49b7-b260-868f441e862b",
///                "member_id": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"}]
/// }"#).unwrap();
/// assert_eq!(seed.images[0].status, "active");
/// assert_eq!(seed.members[0].status, imgshare_testkit::ScpMemberStatus::Pending);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScpSeed {
    /// Access keys the fake accepts.
    pub accounts: Vec<ScpAccount>,
    /// Images in the fake's single region.
    pub images: Vec<ScpImage>,
    /// Image members, oldest first.
    pub members: Vec<ScpMember>,
}

impl ScpSeed {
    /// Three accounts and four images, for demos and quick tests.
    ///
    /// **These are test keys**, accepted only by this fake; they are not and
    /// never were Samsung Cloud Platform credentials.
    ///
    /// | account id                         | access key                         | role            |
    /// |------------------------------------|------------------------------------|-----------------|
    /// | `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1` | `fakeowneraccesskey00000000000001` | image owner     |
    /// | `bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2` | `fakerecipientaccesskey0000000002` | recipient       |
    /// | `ccccccccccccccccccccccccccccccc3` | `fakeotheraccesskey00000000000003` | an outsider     |
    ///
    /// Images owned by the owner: `00000000-0000-4000-8000-0000000000a1`
    /// (`demo-ubuntu`, `shared`), `...a2` (`demo-rocky`, `shared`) and
    /// `...a3` (`demo-private`, `private`); owned by the recipient:
    /// `...b1` (`recipient-own`, `private`). No members.
    pub fn demo() -> ScpSeed {
        // Kept as a seed file, which also shows the format `imgshare-fake --seed` reads;
        // the tests check that it parses.
        serde_json::from_str(include_str!("../../seeds/scp.json")).unwrap_or_default()
    }

    /// Parses and checks a seed from JSON text.
    pub fn from_json_str(json: &str) -> Result<ScpSeed, SeedError> {
        harness::parse(json, None, problems)
    }

    /// Reads, parses and checks a seed JSON file.
    pub fn from_json_file(path: impl AsRef<Path>) -> Result<ScpSeed, SeedError> {
        harness::read(path.as_ref(), problems)
    }
}

/// What the fake cannot serve: empty keys, images without an id or owner, or members
/// without an image or account.
pub(crate) fn problems(seed: &ScpSeed) -> Vec<String> {
    let accounts = seed.accounts.iter().enumerate().map(|(i, a)| {
        let keys = [&a.account_id, &a.access_key, &a.secret_key];
        (keys.iter().any(|v| v.is_empty()))
            .then(|| format!("accounts[{i}] needs an account_id, access_key and secret_key"))
    });
    let images = seed.images.iter().enumerate().map(|(i, image)| {
        (image.id.is_empty() || image.owner.is_empty())
            .then(|| format!("images[{i}] needs an id and an owner"))
    });
    let members = seed.members.iter().enumerate().map(|(i, m)| {
        (m.image_id.is_empty() || m.member_id.is_empty())
            .then(|| format!("members[{i}] needs an image_id and a member_id"))
    });
    accounts.chain(images).chain(members).flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_is_the_serde_spelling() {
        use ScpMemberStatus::*;
        use ScpVisibility::*;
        for v in [Private, Shared, Public, Community] {
            assert_eq!(serde_json::json!(v), v.as_str());
            assert_eq!(parse::<ScpVisibility>(v.as_str()), Some(v));
        }
        for s in [Pending, Accepted, Rejected] {
            assert_eq!(serde_json::json!(s), s.as_str());
            assert_eq!(parse::<ScpMemberStatus>(s.as_str()), Some(s));
        }
        assert_eq!(parse::<ScpVisibility>("Shared"), None);
    }
}
