//! The fake's data model: accounts, VPC and Classic images, and the
//! [`NcloudSeed`] that holds them (serialisable as JSON).

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::harness::{self, REDACTED, SeedError, setters, with_defaults};

/// An NCP account (identified by its login id, an e-mail address)
/// with one API key.
///
/// Several `NcloudAccount`s may share a `login_id` (one account, several
/// keys: the portal allows two). The `Debug` output never shows the
/// secret key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NcloudAccount {
    /// The account login id that `targetLoginIdList.N` names, e.g.
    /// `owner@imgshare.test`.
    pub login_id: String,
    /// The key sent in `x-ncp-iam-access-key`.
    pub access_key: String,
    /// The secret the fake verifies `x-ncp-apigw-signature-v2` with.
    pub secret_key: String,
    /// When set, the key is a temporary Server Role credential that
    /// stops working at this instant, written like the metadata service's
    /// `Expiration` (`2020-12-31T08:53:47Z`, RFC 3339). No token header is
    /// involved: temporary keys sign exactly like permanent ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<String>,
}

impl NcloudAccount {
    /// An account with a permanent key.
    pub fn new(
        login_id: impl Into<String>,
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        NcloudAccount {
            login_id: login_id.into(),
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            expiration: None,
        }
    }

    /// Makes the key a temporary credential that expires at `expiration`
    /// (RFC 3339, e.g. `2030-01-01T00:00:00Z`); requests signed with it after
    /// that instant (by the fake's clock) get 401 / `200`.
    pub fn with_expiration(mut self, expiration: impl Into<String>) -> Self {
        self.expiration = Some(expiration.into());
        self
    }
}

impl fmt::Debug for NcloudAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NcloudAccount")
            .field("login_id", &self.login_id)
            .field("access_key", &self.access_key)
            .field("expiration", &self.expiration)
            .field("secret_key", &REDACTED)
            .finish()
    }
}

/// `createDate` unless told otherwise.
const CREATE_DATE: &str = "2025-06-20T09:59:39+0900";

with_defaults! {
    /// A VPC server image (`/vserver/v2`, `serverImageNo`; fields per
    /// the documented `ServerImage`).
    ///
    /// An image whose `hypervisor` is `XEN` is also a VPC *member server image
    /// instance* with the same number (`memberServerImageInstanceNo`): the
    /// member API reaches XEN images only, and both APIs change
    /// the same share list.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct NcloudImage {
        /// `serverImageNo` (and, for XEN, `memberServerImageInstanceNo`):
        /// decimal digits.
        pub image_no: String = String::new(),
        /// The owning account's login id.
        pub owner_login_id: String = String::new(),
        /// `serverImageName` / `memberServerImageName`.
        pub name: String = "imgshare-test-image".into(),
        /// `serverImageDescription` / `memberServerImageDescription`.
        pub description: String = String::new(),
        /// The region the image lives in (`regionCode`, default `KR`).
        pub region_code: String = "KR".into(),
        /// `hypervisorType.code`: `KVM` (default) or `XEN` (`RHV` on gov).
        pub hypervisor: String = "KVM".into(),
        /// `osType.code`: `CENTOS`, `UBUNTU`, `WINDOWS`, `ROCKY`, `NAVIX`.
        pub os_type: String = "UBUNTU".into(),
        /// The member API's `platformTypeCodeList` value (`LNX64`, `UBS64`,
        /// `WND64`, ...).
        pub platform_type: String = "LNX64".into(),
        /// `serverImageStatus.code`: `INIT`, `CREAT` (default) or `CREFL`. The fake lets
        /// only `CREAT` images change sharing (its own rule: NCP documents none).
        pub status: String = "CREAT".into(),
        /// `platformCategoryCode`: `OS`, `APP`, `DBMS` or `GPU`.
        pub platform_category_code: String = "OS".into(),
        /// `createDate`, `yyyy-MM-dd'T'HH:mm:ssZ` with a `+0900`-style offset.
        pub create_date: String = CREATE_DATE.into(),
        /// `sharedLoginIdList`: login ids the image is shared with, in share
        /// order.
        pub shared_login_ids: Vec<String> = Vec::new(),
    }
}

impl NcloudImage {
    /// A `CREAT` KVM Ubuntu image in `KR`, not shared.
    pub fn new(image_no: impl Into<String>, owner_login_id: impl Into<String>) -> Self {
        let (image_no, owner_login_id) = (image_no.into(), owner_login_id.into());
        NcloudImage {
            image_no,
            owner_login_id,
            ..NcloudImage::default()
        }
    }

    setters! {
        /// Sets the name.
        with_name => name: String;
        /// Sets the description.
        with_description => description: String;
        /// Sets the region code (e.g. `SGN`).
        with_region_code => region_code: String;
        /// Sets the hypervisor (`XEN` makes it reachable by the member API).
        with_hypervisor => hypervisor: String;
        /// Sets `osType` (its `osCategoryType` follows: `WINDOWS`, else `LINUX`).
        with_os_type => os_type: String;
        /// Sets the member API platform type (`LNX64`, `UBS64`, `WND64`, ...).
        with_platform_type => platform_type: String;
        /// Sets the status code (`INIT`, `CREAT`, `CREFL`).
        with_status => status: String;
        /// Sets `createDate`.
        with_create_date => create_date: String;
        /// Sets the login ids the image is already shared with.
        with_shared_login_ids => shared_login_ids: Vec<String>;
    }
}

with_defaults! {
    /// A Classic member server image (`/server/v2`, `memberServerImageNo`;
    /// fields of the documented `MemberServerImage`).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct NcloudClassicImage {
        /// `memberServerImageNo`: decimal digits.
        pub image_no: String = String::new(),
        /// The owning account's login id.
        pub owner_login_id: String = String::new(),
        /// `memberServerImageName`.
        pub name: String = "imgshare-test-image".into(),
        /// `memberServerImageDescription`.
        pub description: String = String::new(),
        /// `region.regionNo` (the Classic regions: `1` KR, `7` SGN, `8` JPN, ...).
        pub region_no: String = "1".into(),
        /// `memberServerImagePlatformType.code`: `LNX32`, `LNX64`, `WND32`,
        /// `WND64`, `UBD64` or `UBS64`.
        pub platform_type: String = "LNX64".into(),
        /// `memberServerImageStatus.code`: `INIT`, `CREAT` (default), `CREFL`.
        pub status: String = "CREAT".into(),
        /// `createDate`.
        pub create_date: String = CREATE_DATE.into(),
        /// `sharedLoginIdList`, in share order.
        pub shared_login_ids: Vec<String> = Vec::new(),
    }
}

impl NcloudClassicImage {
    /// A `CREAT` LNX64 CentOS image in region 1 (KR), zone KR-1, not shared.
    pub fn new(image_no: impl Into<String>, owner_login_id: impl Into<String>) -> Self {
        let (image_no, owner_login_id) = (image_no.into(), owner_login_id.into());
        NcloudClassicImage {
            image_no,
            owner_login_id,
            ..NcloudClassicImage::default()
        }
    }

    setters! {
        /// Sets the name.
        with_name => name: String;
        /// Sets the description.
        with_description => description: String;
        /// Sets `regionNo` (`1` KR, `7` SGN, `8` JPN, ...).
        with_region_no => region_no: String;
        /// Sets the platform type (`LNX64`, `WND64`, ...).
        with_platform_type => platform_type: String;
        /// Sets the status code (`INIT`, `CREAT`, `CREFL`).
        with_status => status: String;
        /// Sets `createDate`.
        with_create_date => create_date: String;
        /// Sets the login ids the image is already shared with.
        with_shared_login_ids => shared_login_ids: Vec<String>;
    }
}

/// The NCP fake's whole state: accounts, VPC images (with their shares) and
/// Classic images (with theirs).
///
/// ```
/// let seed = imgshare_testkit::NcloudSeed::from_json_str(r#"{
///   "accounts": [{"login_id": "a@x.test", "access_key": "AK", "secret_key": "SK"}],
///   "images": [{"image_no": "1001", "owner_login_id": "a@x.test", "hypervisor": "XEN"}],
///   "classic_images": [{"image_no": "2001", "owner_login_id": "a@x.test"}]
/// }"#).unwrap();
/// assert_eq!(seed.images[0].status, "CREAT");
/// assert_eq!(seed.classic_images[0].region_no, "1");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NcloudSeed {
    /// API keys the fake accepts; their login ids are the accounts that can
    /// receive shares.
    pub accounts: Vec<NcloudAccount>,
    /// VPC server images (XEN ones are also member server image instances).
    pub images: Vec<NcloudImage>,
    /// Classic member server images.
    pub classic_images: Vec<NcloudClassicImage>,
}

impl NcloudSeed {
    /// Three accounts and a few images in each family, for demos and quick
    /// tests.
    ///
    /// **These are test keys**, accepted only by this fake; they are not and
    /// never were NAVER Cloud credentials.
    ///
    /// | login id                    | access key             | notes                         |
    /// |-----------------------------|------------------------|-------------------------------|
    /// | `owner@imgshare.test`       | `NCPFAKEOWNER00000000` | owns every image              |
    /// | `recipient@imgshare.test`   | `NCPFAKERECIPIENT0000` | a share recipient             |
    /// | `server-role@imgshare.test` | `NCPFAKESERVERROLE000` | temporary key, expires 2099   |
    ///
    /// VPC images `10000001` (KVM Ubuntu), `10000002` (XEN CentOS, also a
    /// member server image instance), `10000003` (KVM Rocky, `INIT`), all in
    /// `KR`; Classic images `20000001` (LNX64) and `20000002` (WND64). No
    /// shares.
    pub fn demo() -> NcloudSeed {
        // Kept as a seed file, which also shows the format `imgshare-fake --seed` reads;
        // the tests check that it parses.
        serde_json::from_str(include_str!("../../seeds/ncloud.json")).unwrap_or_default()
    }

    /// Parses and checks a seed from JSON text.
    pub fn from_json_str(json: &str) -> Result<NcloudSeed, SeedError> {
        harness::parse(json, None, problems)
    }

    /// Reads, parses and checks a seed JSON file.
    pub fn from_json_file(path: impl AsRef<Path>) -> Result<NcloudSeed, SeedError> {
        harness::read(path.as_ref(), problems)
    }
}

/// What the fake cannot serve: keys or images missing an identifying field.
pub(crate) fn problems(seed: &NcloudSeed) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, a) in seed.accounts.iter().enumerate() {
        if a.login_id.is_empty() || a.access_key.is_empty() || a.secret_key.is_empty() {
            problems.push(format!(
                "accounts[{i}] needs a login_id, access_key and secret_key"
            ));
        }
    }
    let vpc = seed.images.iter();
    let vpc = vpc.map(|i| ("images", &i.image_no, &i.owner_login_id));
    let classic = seed.classic_images.iter();
    let classic = classic.map(|i| ("classic_images", &i.image_no, &i.owner_login_id));
    for (list, no, owner) in vpc.chain(classic) {
        if no.is_empty() || owner.is_empty() {
            problems.push(format!(
                "{list} {no:?} needs an image_no and an owner_login_id"
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn demo_round_trips_through_json() {
        let seed = NcloudSeed::demo();
        let json = serde_json::to_string(&seed).unwrap();
        assert_eq!(NcloudSeed::from_json_str(&json).unwrap(), seed);
    }

    #[test]
    fn problems_name_each_incomplete_entry() {
        let seed = NcloudSeed {
            accounts: vec![NcloudAccount::new("a@x.test", "", "SK")],
            images: vec![NcloudImage::new("1", "")],
            classic_images: vec![NcloudClassicImage::new("", "a@x.test")],
        };
        assert_eq!(
            problems(&seed),
            [
                "accounts[0] needs a login_id, access_key and secret_key",
                "images \"1\" needs an image_no and an owner_login_id",
                "classic_images \"\" needs an image_no and an owner_login_id",
            ]
        );
        assert!(problems(&NcloudSeed::demo()).is_empty());
    }

    #[test]
    fn debug_redacts_the_secret() {
        let text = format!("{:?}", NcloudAccount::new("a@x.test", "AK", "very-secret"));
        assert!(!text.contains("very-secret"));
    }
}
