//! The fake's data model: accounts, images and the [`Seed`] that holds them.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A Tencent Cloud root account with one API key.
///
/// Several `FakeAccount`s may share an `account_id` (one account, several
/// keys). The `Debug` output never shows the secret key or session token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FakeAccount {
    /// Numeric root-account id (the "uin"), e.g. `100000000001`.
    pub account_id: String,
    /// The SecretId clients put in `Credential=`.
    pub secret_id: String,
    /// The SecretKey the fake verifies signatures with.
    pub secret_key: String,
    /// When set, the key is a temporary credential: every request must send
    /// this value in `X-TC-Token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
}

impl FakeAccount {
    /// An account with a long-term key (no session token).
    pub fn new(
        account_id: impl Into<String>,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        FakeAccount {
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

impl fmt::Debug for FakeAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Hand-written so test logs never carry keys, even fake ones: users
        // may seed the fake from files that hold real-looking material.
        f.debug_struct("FakeAccount")
            .field("account_id", &self.account_id)
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// The owner id the fake treats as Tencent itself: its images are
/// `PUBLIC_IMAGE`s visible to everyone.
pub const PUBLIC_IMAGE_OWNER: &str = "tencentcloud";

/// The `LicenseType` of a bring-your-own-license image.
const LICENSE_BYOL: &str = "BYOL";

/// A custom image in one region.
///
/// Field names follow tencent.md §5.3; `ImageType` is not stored because it
/// depends on who asks (see [`FakeImage::image_type`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FakeImage {
    /// `img-` followed by 8 lowercase letters or digits.
    pub image_id: String,
    /// The owning account id, or [`PUBLIC_IMAGE_OWNER`] for a public image.
    pub owner_account_id: String,
    /// `ImageName`.
    #[serde(default = "defaults::name")]
    pub name: String,
    /// `ImageDescription`.
    #[serde(default)]
    pub description: String,
    /// `OsName`, e.g. `TencentOS Server 3.1 (TK4)`.
    #[serde(default = "defaults::os_name")]
    pub os_name: String,
    /// `Platform`, e.g. `TencentOS`, `Ubuntu`.
    #[serde(default = "defaults::platform")]
    pub platform: String,
    /// `Architecture`: `x86_64`, `arm` or `i386`.
    #[serde(default = "defaults::architecture")]
    pub architecture: String,
    /// `ImageState`: `NORMAL`, `CREATING`, `SYNCING`, ... Only `NORMAL`
    /// images can be shared.
    #[serde(default = "defaults::state")]
    pub state: String,
    /// Forces the `ImageType` every caller sees. `None` derives it:
    /// `PUBLIC_IMAGE` for [`PUBLIC_IMAGE_OWNER`], otherwise `PRIVATE_IMAGE`
    /// for the owner and `SHARED_IMAGE` for accounts it is shared with.
    /// `Some("PUBLIC_IMAGE")` also makes the image visible to everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
    /// `ImageSize` in GiB.
    #[serde(default = "defaults::size_gib")]
    pub size_gib: u64,
    /// `CreatedTime`, ISO 8601 UTC (`YYYY-MM-DDThh:mm:ssZ`).
    #[serde(default = "defaults::created_time")]
    pub created_time: String,
    /// `ImageSource`: `OFFICIAL`, `CREATE_IMAGE` or `EXTERNAL_IMPORT`.
    #[serde(default = "defaults::image_source")]
    pub image_source: String,
    /// `IsSupportCloudinit`.
    #[serde(default = "defaults::yes")]
    pub is_support_cloudinit: bool,
    /// `LicenseType`: `TencentCloud` or `BYOL`. A `BYOL` image cannot be
    /// shared (`FailedOperation.BYOLImageShareFailed`); see [`FakeImage::byol`].
    #[serde(default = "defaults::license_type")]
    pub license_type: String,
    /// The region the image lives in (tencent.md §3.3); requests for another
    /// region do not see it. Default `ap-guangzhou`.
    #[serde(default = "defaults::region")]
    pub region: String,
    /// `Tags`, matched by the `tag-key`, `tag-value` and `tag:<key>` filters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<FakeTag>,
}

/// One `Tag{Key, Value}` of an image (tencent.md §5.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FakeTag {
    /// `Key`.
    pub key: String,
    /// `Value`.
    pub value: String,
}

mod defaults {
    pub(super) fn name() -> String {
        "imgshare-test-image".into()
    }
    pub(super) fn os_name() -> String {
        "TencentOS Server 3.1 (TK4)".into()
    }
    pub(super) fn platform() -> String {
        "TencentOS".into()
    }
    pub(super) fn architecture() -> String {
        "x86_64".into()
    }
    pub(super) fn state() -> String {
        "NORMAL".into()
    }
    pub(super) fn size_gib() -> u64 {
        50
    }
    pub(super) fn created_time() -> String {
        "2024-01-01T00:00:00Z".into()
    }
    pub(super) fn image_source() -> String {
        "CREATE_IMAGE".into()
    }
    pub(super) fn yes() -> bool {
        true
    }
    pub(super) fn license_type() -> String {
        "TencentCloud".into()
    }
    pub(super) fn region() -> String {
        super::super::regions::DEFAULT_REGION.into()
    }
}

impl FakeImage {
    /// A `NORMAL` x86_64 TencentOS image of 50 GiB created 2024-01-01.
    pub fn new(image_id: impl Into<String>, owner_account_id: impl Into<String>) -> Self {
        FakeImage {
            image_id: image_id.into(),
            owner_account_id: owner_account_id.into(),
            name: defaults::name(),
            description: String::new(),
            os_name: defaults::os_name(),
            platform: defaults::platform(),
            architecture: defaults::architecture(),
            state: defaults::state(),
            image_type: None,
            size_gib: defaults::size_gib(),
            created_time: defaults::created_time(),
            image_source: defaults::image_source(),
            is_support_cloudinit: defaults::yes(),
            license_type: defaults::license_type(),
            region: defaults::region(),
            tags: Vec::new(),
        }
    }

    /// Sets `ImageName`.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Sets `ImageDescription`.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Sets `OsName`.
    pub fn with_os_name(mut self, os_name: impl Into<String>) -> Self {
        self.os_name = os_name.into();
        self
    }

    /// Sets `Platform`.
    pub fn with_platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = platform.into();
        self
    }

    /// Sets `Architecture`.
    pub fn with_architecture(mut self, architecture: impl Into<String>) -> Self {
        self.architecture = architecture.into();
        self
    }

    /// Sets `ImageState` (e.g. `CREATING` to test `InvalidImageState`).
    pub fn with_state(mut self, state: impl Into<String>) -> Self {
        self.state = state.into();
        self
    }

    /// Forces the reported `ImageType`; see [`FakeImage::image_type`].
    pub fn with_image_type(mut self, image_type: impl Into<String>) -> Self {
        self.image_type = Some(image_type.into());
        self
    }

    /// Sets `ImageSize` in GiB.
    pub fn with_size_gib(mut self, size_gib: u64) -> Self {
        self.size_gib = size_gib;
        self
    }

    /// Sets `CreatedTime` (ISO 8601, e.g. `2024-05-01T12:00:00Z`).
    pub fn with_created_time(mut self, created_time: impl Into<String>) -> Self {
        self.created_time = created_time.into();
        self
    }

    /// Sets `ImageSource`.
    pub fn with_image_source(mut self, image_source: impl Into<String>) -> Self {
        self.image_source = image_source.into();
        self
    }

    /// Sets `IsSupportCloudinit`.
    pub fn with_cloudinit(mut self, supported: bool) -> Self {
        self.is_support_cloudinit = supported;
        self
    }

    /// Sets `LicenseType`.
    pub fn with_license_type(mut self, license_type: impl Into<String>) -> Self {
        self.license_type = license_type.into();
        self
    }

    /// Makes it a bring-your-own-license image (`LicenseType` `BYOL`), which
    /// cannot be shared.
    pub fn byol(self) -> Self {
        self.with_license_type(LICENSE_BYOL)
    }

    /// True for a `BYOL` image.
    pub fn is_byol(&self) -> bool {
        self.license_type == LICENSE_BYOL
    }

    /// Puts the image in `region` (default `ap-guangzhou`).
    pub fn in_region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// Adds a tag.
    pub fn with_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push(FakeTag {
            key: key.into(),
            value: value.into(),
        });
        self
    }

    /// True when every caller can see this image as a `PUBLIC_IMAGE`.
    pub fn is_public(&self) -> bool {
        self.owner_account_id == PUBLIC_IMAGE_OWNER
            || self.image_type.as_deref() == Some("PUBLIC_IMAGE")
    }
}

/// The fake's whole state: accounts, images and shares.
///
/// Read from a JSON file for `imgshare-fake serve --seed FILE`, and returned
/// by [`TencentFake::seed`](crate::TencentFake::seed) for printing. In JSON,
/// `shares` is a list of `[image_id, account_id]` pairs; the fake stamps them
/// with the time it starts.
///
/// ```
/// let seed = imgshare_testkit::Seed::from_json_str(r#"{
///   "accounts": [{"account_id": "100000000001", "secret_id": "AKIDX", "secret_key": "k"}],
///   "images": [{"image_id": "img-abcd1234", "owner_account_id": "100000000001"}],
///   "shares": [["img-abcd1234", "100000000002"]]
/// }"#).unwrap();
/// assert_eq!(seed.images[0].state, "NORMAL");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seed {
    /// API keys the fake accepts.
    #[serde(default)]
    pub accounts: Vec<FakeAccount>,
    /// Images in the region.
    #[serde(default)]
    pub images: Vec<FakeImage>,
    /// `(image_id, account_id)` pairs already shared, oldest first.
    #[serde(default)]
    pub shares: Vec<(String, String)>,
}

impl Seed {
    /// Three accounts and three images, for demos and quick tests.
    ///
    /// **These are test keys**, accepted only by this fake; they are not and
    /// never were Tencent Cloud credentials.
    ///
    /// | account id     | SecretId                               | notes                 |
    /// |----------------|----------------------------------------|-----------------------|
    /// | `100000000001` | `AKIDFAKEOWNER000000000000000000000000` | owns every image      |
    /// | `100000000002` | `AKIDFAKERECIPIENT0000000000000000000` | a share recipient     |
    /// | `100000000003` | `AKIDFAKETEMPORARY0000000000000000000` | needs `X-TC-Token`    |
    ///
    /// Images `img-demo0001` (TencentOS), `img-demo0002` (Ubuntu) and
    /// `img-demo0003` (arm), all `NORMAL` and owned by `100000000001`, with
    /// no shares.
    pub fn demo() -> Seed {
        Seed {
            accounts: vec![
                FakeAccount::new(
                    "100000000001",
                    "AKIDFAKEOWNER000000000000000000000000",
                    "fake-secret-owner-0000000000000000",
                ),
                FakeAccount::new(
                    "100000000002",
                    "AKIDFAKERECIPIENT0000000000000000000",
                    "fake-secret-recipient-000000000000",
                ),
                FakeAccount::new(
                    "100000000003",
                    "AKIDFAKETEMPORARY0000000000000000000",
                    "fake-secret-temporary-000000000000",
                )
                .with_session_token("fake-session-token-0000000000000000"),
            ],
            images: vec![
                FakeImage::new("img-demo0001", "100000000001")
                    .with_name("demo-tencentos")
                    .with_description("imgshare demo image")
                    .with_created_time("2024-03-01T08:00:00Z"),
                FakeImage::new("img-demo0002", "100000000001")
                    .with_name("demo-ubuntu")
                    .with_os_name("Ubuntu Server 22.04 LTS 64bit")
                    .with_platform("Ubuntu")
                    .with_size_gib(20)
                    .with_created_time("2024-03-02T08:00:00Z"),
                FakeImage::new("img-demo0003", "100000000001")
                    .with_name("demo-arm")
                    .with_architecture("arm")
                    .with_created_time("2024-03-03T08:00:00Z"),
            ],
            shares: Vec::new(),
        }
    }

    /// Parses a seed from JSON text and [validates](Seed::validate) it.
    pub fn from_json_str(json: &str) -> Result<Seed, SeedError> {
        let seed: Seed =
            serde_json::from_str(json).map_err(|source| SeedError::Json { path: None, source })?;
        seed.validate()?;
        Ok(seed)
    }

    /// Checks the seed the way the API would check the same data, and lists
    /// every problem: account ids are numeric root-account ids; SecretIds are
    /// non-empty and unique; image ids are `img-` + 8 lowercase letters or
    /// digits and unique; owners are account ids (or [`PUBLIC_IMAGE_OWNER`]);
    /// regions are documented CVM regions; `ImageState`, `Architecture`,
    /// `ImageSource`, `LicenseType` and `ImageType` hold documented values;
    /// `CreatedTime` is ISO 8601 UTC (`Z` or `+00:00`); shares name a known,
    /// private, non-BYOL image and a numeric account that is not its owner,
    /// once each, at most 500 per image.
    pub fn validate(&self) -> Result<(), SeedError> {
        let problems = validation::problems(self);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(SeedError::Invalid {
                path: None,
                problems,
            })
        }
    }

    /// Reads and parses a seed JSON file.
    pub fn from_json_file(path: impl AsRef<Path>) -> Result<Seed, SeedError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SeedError::Io {
            path: path.to_owned(),
            source,
        })?;
        let seed: Seed = serde_json::from_str(&text).map_err(|source| SeedError::Json {
            path: Some(path.to_owned()),
            source,
        })?;
        match seed.validate() {
            Err(SeedError::Invalid { problems, .. }) => Err(SeedError::Invalid {
                path: Some(path.to_owned()),
                problems,
            }),
            other => other.map(|()| seed),
        }
    }
}

/// A seed file could not be read or parsed.
#[derive(Debug)]
pub enum SeedError {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not a valid seed.
    Json {
        /// The file, when read from one.
        path: Option<PathBuf>,
        /// The parse error, with line and column.
        source: serde_json::Error,
    },
    /// The JSON parsed, but the data is not what the API would accept.
    Invalid {
        /// The file, when read from one.
        path: Option<PathBuf>,
        /// Every problem found, e.g. `images[0].image_id "img-1": ...`.
        problems: Vec<String>,
    },
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeedError::Io { path, .. } => write!(f, "cannot read seed file {}", path.display()),
            SeedError::Json {
                path: Some(path), ..
            } => write!(f, "invalid seed JSON in {}", path.display()),
            SeedError::Json { path: None, .. } => f.write_str("invalid seed JSON"),
            SeedError::Invalid { path, problems } => {
                f.write_str("invalid seed")?;
                if let Some(path) = path {
                    write!(f, " in {}", path.display())?;
                }
                write!(f, ": {}", problems.join("; "))
            }
        }
    }
}

impl std::error::Error for SeedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SeedError::Io { source, .. } => Some(source),
            SeedError::Json { source, .. } => Some(source),
            SeedError::Invalid { .. } => None,
        }
    }
}

mod validation {
    use std::collections::{HashMap, HashSet};

    use super::{PUBLIC_IMAGE_OWNER, Seed};
    use crate::tencent::handlers::{MAX_SHARES_PER_IMAGE, is_account_id, is_image_id};
    use crate::tencent::regions;

    const STATES: &[&str] = &[
        "CREATING",
        "NORMAL",
        "CREATEFAILED",
        "SYNCING",
        "IMPORTING",
        "IMPORTFAILED",
    ];
    const ARCHITECTURES: &[&str] = &["x86_64", "arm", "i386"];
    const SOURCES: &[&str] = &["OFFICIAL", "CREATE_IMAGE", "EXTERNAL_IMPORT"];
    const LICENSES: &[&str] = &["TencentCloud", "BYOL"];
    const TYPES: &[&str] = &["PRIVATE_IMAGE", "PUBLIC_IMAGE", "SHARED_IMAGE"];

    fn one_of(problems: &mut Vec<String>, at: &str, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            problems.push(format!(
                "{at} {value:?} is not one of {}",
                allowed.join(", ")
            ));
        }
    }

    pub(super) fn problems(seed: &Seed) -> Vec<String> {
        let mut problems = Vec::new();
        let mut secret_ids = HashSet::new();
        for (i, account) in seed.accounts.iter().enumerate() {
            if !is_account_id(&account.account_id) {
                problems.push(format!(
                    "accounts[{i}].account_id {:?} is not a numeric root-account id",
                    account.account_id
                ));
            }
            if account.secret_id.trim().is_empty() || account.secret_id.trim() != account.secret_id
            {
                problems.push(format!(
                    "accounts[{i}].secret_id {:?} is empty or has surrounding whitespace",
                    account.secret_id
                ));
            } else if !secret_ids.insert(account.secret_id.as_str()) {
                problems.push(format!(
                    "accounts[{i}].secret_id {:?} is used twice",
                    account.secret_id
                ));
            }
            if account.secret_key.is_empty() {
                problems.push(format!("accounts[{i}].secret_key is empty"));
            }
        }
        let mut images = HashMap::new();
        for (i, image) in seed.images.iter().enumerate() {
            let at = format!("images[{i}]");
            if !is_image_id(&image.image_id) {
                problems.push(format!(
                    "{at}.image_id {:?} is malformed (InvalidImageId.Malformed): expected img- and 8 lowercase letters or digits",
                    image.image_id
                ));
            } else if images.insert(image.image_id.as_str(), image).is_some() {
                problems.push(format!("{at}.image_id {:?} is used twice", image.image_id));
            }
            if image.owner_account_id != PUBLIC_IMAGE_OWNER
                && !is_account_id(&image.owner_account_id)
            {
                problems.push(format!(
                    "{at}.owner_account_id {:?} is neither a numeric account id nor {PUBLIC_IMAGE_OWNER:?}",
                    image.owner_account_id
                ));
            }
            if !regions::is_known(&image.region) {
                problems.push(format!(
                    "{at}.region {:?} is not a CVM region (InvalidRegion.NotFound)",
                    image.region
                ));
            }
            one_of(&mut problems, &format!("{at}.state"), &image.state, STATES);
            one_of(
                &mut problems,
                &format!("{at}.architecture"),
                &image.architecture,
                ARCHITECTURES,
            );
            one_of(
                &mut problems,
                &format!("{at}.image_source"),
                &image.image_source,
                SOURCES,
            );
            one_of(
                &mut problems,
                &format!("{at}.license_type"),
                &image.license_type,
                LICENSES,
            );
            if let Some(image_type) = &image.image_type {
                one_of(
                    &mut problems,
                    &format!("{at}.image_type"),
                    image_type,
                    TYPES,
                );
            }
            if !is_utc_timestamp(&image.created_time) {
                problems.push(format!(
                    "{at}.created_time {:?} is not ISO 8601 UTC (YYYY-MM-DDThh:mm:ssZ or +00:00)",
                    image.created_time
                ));
            }
            for (t, tag) in image.tags.iter().enumerate() {
                if tag.key.is_empty() {
                    problems.push(format!("{at}.tags[{t}].key is empty"));
                }
            }
        }
        let mut shared = HashSet::new();
        let mut per_image: HashMap<&str, usize> = HashMap::new();
        for (i, (image_id, account_id)) in seed.shares.iter().enumerate() {
            let at = format!("shares[{i}] [{image_id:?}, {account_id:?}]");
            if !is_account_id(account_id) {
                problems.push(format!(
                    "{at}: the account id is not a numeric root-account id (InvalidAccountId.NotFound)"
                ));
            }
            match images.get(image_id.as_str()) {
                None => problems.push(format!(
                    "{at}: no image {image_id:?} in images (InvalidImageId.NotFound)"
                )),
                Some(image) => {
                    if image.is_public() {
                        problems.push(format!("{at}: a public image cannot be shared"));
                    } else if image.owner_account_id == *account_id {
                        problems.push(format!(
                            "{at}: an image cannot be shared with its owner (InvalidAccountIs.YourSelf)"
                        ));
                    }
                    if image.is_byol() {
                        problems.push(format!(
                            "{at}: a BYOL image cannot be shared (FailedOperation.BYOLImageShareFailed)"
                        ));
                    }
                }
            }
            if !shared.insert((image_id.as_str(), account_id.as_str())) {
                problems.push(format!(
                    "{at}: shared twice (FailedOperation.AccountAlreadyExists)"
                ));
            }
            let count = per_image.entry(image_id.as_str()).or_default();
            *count += 1;
            if *count == MAX_SHARES_PER_IMAGE + 1 {
                problems.push(format!(
                    "{at}: more than {MAX_SHARES_PER_IMAGE} shares of one image (OverQuota)"
                ));
            }
        }
        problems
    }

    /// `YYYY-MM-DDThh:mm:ssZ` or `YYYY-MM-DDThh:mm:ss+00:00`, a real date and time.
    pub(crate) fn is_utc_timestamp(text: &str) -> bool {
        let Some(core) = text
            .strip_suffix('Z')
            .or_else(|| text.strip_suffix("+00:00"))
        else {
            return false;
        };
        let b = core.as_bytes();
        if b.len() != 19
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
        {
            return false;
        }
        let num = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = core.get(range)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
            num(0..4),
            num(5..7),
            num(8..10),
            num(11..13),
            num(14..16),
            num(17..19),
        ) else {
            return false;
        };
        let Ok(month) = time::Month::try_from(u8::try_from(month).unwrap_or(0)) else {
            return false;
        };
        let date_ok = i32::try_from(year).is_ok_and(|y| {
            time::Date::from_calendar_date(y, month, u8::try_from(day).unwrap_or(0)).is_ok()
        });
        date_ok && hour < 24 && minute < 60 && second < 60
    }

    #[cfg(test)]
    mod tests {
        use super::is_utc_timestamp;

        #[test]
        fn utc_timestamps_in_both_forms() {
            assert!(is_utc_timestamp("2020-09-22T00:00:00+00:00"));
            assert!(is_utc_timestamp("2018-06-10T11:02:50Z"));
            assert!(!is_utc_timestamp("2018-06-10T11:02:50+08:00"));
            assert!(!is_utc_timestamp("2018-06-10 11:02:50Z"));
            assert!(!is_utc_timestamp("2018-02-30T11:02:50Z"));
            assert!(!is_utc_timestamp("2018-06-10T24:02:50Z"));
            assert!(!is_utc_timestamp("2018-6-10T11:02:50Z"));
        }
    }
}
