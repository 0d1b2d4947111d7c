//! The fake's data model: keys, images and the [`TencentSeed`] that holds them.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::validation::problems;
use crate::harness::{self, REDACTED, SeedError, setters, with_defaults};

/// A Tencent Cloud root account with one API key.
///
/// Several `TencentAccount`s may share an `account_id` (one account, several keys). The `Debug`
/// output never shows the secret key or session token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TencentAccount {
    /// Numeric root-account id (the "uin"), e.g. `100000000001`.
    pub account_id: String,
    /// The SecretId clients put in `Credential=`.
    pub secret_id: String,
    /// The SecretKey the fake verifies signatures with.
    pub secret_key: String,
    /// When set, the key is a temporary credential: every request must send this value in
    /// `X-TC-Token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
}

impl TencentAccount {
    /// An account with a long-term key (no session token).
    pub fn new(
        account_id: impl Into<String>,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        TencentAccount {
            account_id: account_id.into(),
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            session_token: None,
        }
    }

    /// Makes the key a temporary credential that requires `X-TC-Token: token`.
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }
}

impl fmt::Debug for TencentAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TencentAccount")
            .field("account_id", &self.account_id)
            .field("secret_id", &self.secret_id)
            .field("secret_key", &REDACTED)
            .field("session_token", &self.session_token.as_ref().and(REDACTED))
            .finish()
    }
}

/// The owner id the fake treats as Tencent itself: its images are `PUBLIC_IMAGE`s visible to
/// everyone.
pub const PUBLIC_IMAGE_OWNER: &str = "tencentcloud";

/// The region a [`TencentImage`] lives in unless told otherwise.
const DEFAULT_REGION: &str = "ap-guangzhou";

/// The `LicenseType` of a bring-your-own-license image.
const LICENSE_BYOL: &str = "BYOL";

with_defaults! {
    /// A custom image in one region, with the fields `DescribeImages` answers. `ImageType` is not
    /// stored because it depends on who asks (see [`TencentImage::image_type`]). Fields missing
    /// from a JSON seed take the values of [`TencentImage::new`].
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct TencentImage {
        /// `img-` followed by 8 lowercase letters or digits.
        pub image_id: String = String::new(),
        /// The owning account id, or [`PUBLIC_IMAGE_OWNER`] for a public image.
        pub owner_account_id: String = String::new(),
        /// `ImageName`.
        pub name: String = "imgshare-test-image".into(),
        /// `ImageDescription`.
        pub description: String = String::new(),
        /// `OsName`, e.g. `TencentOS Server 3.1 (TK4)`.
        pub os_name: String = "TencentOS Server 3.1 (TK4)".into(),
        /// `Platform`, e.g. `TencentOS`, `Ubuntu`.
        pub platform: String = "TencentOS".into(),
        /// `Architecture`: `x86_64`, `arm` or `i386`.
        pub architecture: String = "x86_64".into(),
        /// `ImageState`: `NORMAL`, `CREATING`, `SYNCING`, ... Only `NORMAL` images can be shared.
        pub state: String = "NORMAL".into(),
        /// From this fake-clock time on (`YYYY-MM-DDThh:mm:ssZ`, the form the clock writes), the
        /// image is `NORMAL` whatever `state` says: an image that finishes creating. See
        /// [`TencentImage::state_at`].
        #[serde(skip_serializing_if = "Option::is_none")]
        pub normal_from: Option<String> = None,
        /// Forces the `ImageType` every caller sees. `None` derives it: `PUBLIC_IMAGE` for
        /// [`PUBLIC_IMAGE_OWNER`], otherwise `PRIVATE_IMAGE` for the owner and `SHARED_IMAGE` for
        /// accounts it is shared with. `Some("PUBLIC_IMAGE")` also makes the image visible to
        /// everyone.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub image_type: Option<String> = None,
        /// `ImageSize` in GiB.
        pub size_gib: u64 = 50,
        /// `CreatedTime`, ISO 8601 UTC (`YYYY-MM-DDThh:mm:ssZ`).
        pub created_time: String = "2024-01-01T00:00:00Z".into(),
        /// `ImageSource`: `OFFICIAL`, `CREATE_IMAGE` or `EXTERNAL_IMPORT`.
        pub image_source: String = "CREATE_IMAGE".into(),
        /// `IsSupportCloudinit`.
        pub is_support_cloudinit: bool = true,
        /// `LicenseType`: `TencentCloud` or `BYOL`. A `BYOL` image cannot be shared
        /// (`FailedOperation.BYOLImageShareFailed`); see [`TencentImage::byol`].
        pub license_type: String = "TencentCloud".into(),
        /// The region the image lives in; requests for another region do not see it. Default
        /// `ap-guangzhou`.
        pub region: String = DEFAULT_REGION.into(),
        /// `Tags`, matched by the `tag-key`, `tag-value` and `tag:<key>` filters.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub tags: Vec<TencentTag> = Vec::new(),
        /// `SnapshotSet`, empty by default. A `DATA_DISK` snapshot makes it a whole-instance
        /// image, which cannot be shared (`InvalidParameter.InstanceImageNotSupport`).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub snapshots: Vec<TencentSnapshot> = Vec::new(),
    }
}

/// One `Snapshot{SnapshotId, DiskUsage, DiskSize}` of an image's `SnapshotSet`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TencentSnapshot {
    /// `SnapshotId`, e.g. `snap-gqa37j2p`.
    pub snapshot_id: String,
    /// `DiskUsage`: `SYSTEM_DISK` or `DATA_DISK`.
    pub disk_usage: String,
    /// `DiskSize` in GiB.
    pub disk_size: u64,
}

/// One `Tag{Key, Value}` of an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TencentTag {
    /// `Key`.
    pub key: String,
    /// `Value`.
    pub value: String,
}

impl TencentImage {
    /// A `NORMAL` x86_64 TencentOS image of 50 GiB in `ap-guangzhou`, created 2024-01-01.
    pub fn new(image_id: impl Into<String>, owner_account_id: impl Into<String>) -> Self {
        let mut image = TencentImage::default();
        (image.image_id, image.owner_account_id) = (image_id.into(), owner_account_id.into());
        image
    }

    setters! {
        /// Sets `ImageName`.
        with_name => name: String;
        /// Sets `ImageDescription`.
        with_description => description: String;
        /// Sets `OsName`.
        with_os_name => os_name: String;
        /// Sets `Platform`.
        with_platform => platform: String;
        /// Sets `Architecture`.
        with_architecture => architecture: String;
        /// Sets `ImageState` (e.g. `CREATING` to test `InvalidImageState`).
        with_state => state: String;
        /// Sets `CreatedTime` (ISO 8601, e.g. `2024-05-01T12:00:00Z`).
        with_created_time => created_time: String;
        /// Sets `LicenseType`.
        with_license_type => license_type: String;
        /// Puts the image in `region` (default `ap-guangzhou`).
        in_region => region: String;
        /// Sets `ImageSize` in GiB.
        with_size_gib => size_gib: u64;
    }

    /// Makes the image `NORMAL` from the fake-clock time `at` (`YYYY-MM-DDThh:mm:ssZ`).
    pub fn normal_from(mut self, at: impl Into<String>) -> Self {
        self.normal_from = Some(at.into());
        self
    }

    /// `ImageState` at the fake-clock time `now` (`YYYY-MM-DDThh:mm:ssZ`, which orders as text).
    pub fn state_at(&self, now: &str) -> &str {
        match &self.normal_from {
            Some(at) if at.as_str() <= now => "NORMAL",
            _ => &self.state,
        }
    }

    /// Makes it a bring-your-own-license image (`LicenseType` `BYOL`), which cannot be shared.
    pub fn byol(self) -> Self {
        self.with_license_type(LICENSE_BYOL)
    }

    /// True for a `BYOL` image.
    pub fn is_byol(&self) -> bool {
        self.license_type == LICENSE_BYOL
    }

    /// Adds a tag.
    pub fn with_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let (key, value) = (key.into(), value.into());
        self.tags.push(TencentTag { key, value });
        self
    }

    /// Adds a snapshot of a `usage` (`SYSTEM_DISK` or `DATA_DISK`) disk of `size` GiB.
    pub fn with_snapshot(mut self, id: impl Into<String>, usage: &str, size: u64) -> Self {
        let (snapshot_id, disk_usage, disk_size) = (id.into(), usage.to_owned(), size);
        let snapshot = TencentSnapshot {
            snapshot_id,
            disk_usage,
            disk_size,
        };
        self.snapshots.push(snapshot);
        self
    }

    /// True for a whole-instance image: one with a data-disk snapshot.
    pub fn is_whole_instance(&self) -> bool {
        self.snapshots.iter().any(|s| s.disk_usage == "DATA_DISK")
    }

    /// True when every caller can see this image as a `PUBLIC_IMAGE`.
    pub fn is_public(&self) -> bool {
        self.owner_account_id == PUBLIC_IMAGE_OWNER
            || self.image_type.as_deref() == Some("PUBLIC_IMAGE")
    }
}

/// The Tencent fake's whole state: accounts, images and shares.
///
/// Read from a JSON file for `imgshare-fake serve --seed FILE`, and returned by
/// [`TencentFake::seed`](crate::harness::Fake::seed) for printing. In JSON, `shares` is a list
/// of `[image_id, account_id]` pairs; the fake stamps them with the time it starts.
///
/// ```
/// let seed = imgshare_testkit::TencentSeed::from_json_str(r#"{
///   "accounts": [{"account_id": "100000000001", "secret_id": "AKIDX", "secret_key": "k"}],
///   "images": [{"image_id": "img-abcd1234", "owner_account_id": "100000000001"}],
///   "shares": [["img-abcd1234", "100000000002"]]
/// }"#).unwrap();
/// assert_eq!(seed.images[0].state, "NORMAL");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TencentSeed {
    /// API keys the fake accepts.
    pub accounts: Vec<TencentAccount>,
    /// Images, each in its region.
    pub images: Vec<TencentImage>,
    /// `(image_id, account_id)` pairs already shared, oldest first.
    pub shares: Vec<(String, String)>,
}

impl TencentSeed {
    /// Three accounts and three images, for demos and quick tests.
    ///
    /// **These are test keys**, accepted only by this fake; they are not and never were
    /// Tencent Cloud credentials.
    ///
    /// | account id     | SecretId                               | notes                 |
    /// |----------------|----------------------------------------|-----------------------|
    /// | `100000000001` | `AKIDFAKEOWNER000000000000000000000000` | owns every image      |
    /// | `100000000002` | `AKIDFAKERECIPIENT0000000000000000000` | a share recipient     |
    /// | `100000000003` | `AKIDFAKETEMPORARY0000000000000000000` | needs `X-TC-Token`    |
    ///
    /// Images `img-demo0001` (TencentOS), `img-demo0002` (Ubuntu) and `img-demo0003` (arm),
    /// all `NORMAL` and owned by `100000000001`, with no shares.
    pub fn demo() -> TencentSeed {
        // Kept as a seed file, which also shows the format `imgshare-fake --seed` reads;
        // the tests check that it parses.
        serde_json::from_str(include_str!("../../seeds/tencent.json")).unwrap_or_default()
    }

    /// Parses a seed from JSON text and [validates](TencentSeed::validate) it.
    pub fn from_json_str(json: &str) -> Result<TencentSeed, SeedError> {
        harness::parse(json, None, problems)
    }

    /// Reads, parses and [validates](TencentSeed::validate) a seed JSON file.
    pub fn from_json_file(path: impl AsRef<Path>) -> Result<TencentSeed, SeedError> {
        harness::read(path.as_ref(), problems)
    }

    /// Checks the seed the way the API would check the same data, and lists every problem:
    /// account ids are numeric root-account ids; SecretIds are non-empty and unique; image ids
    /// are `img-` + 8 lowercase letters or digits and unique; owners are account ids (or
    /// [`PUBLIC_IMAGE_OWNER`]); regions are documented CVM regions; `ImageState`,
    /// `Architecture`, `ImageSource`, `LicenseType` and `ImageType` hold documented values;
    /// `CreatedTime` is ISO 8601 UTC (`Z` or `+00:00`); shares name a known, private, non-BYOL
    /// image and a numeric account that is not its owner, once each, at most 500 per image.
    pub fn validate(&self) -> Result<(), SeedError> {
        harness::check(self, None, problems)
    }
}
