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

/// A custom image in the fake's single region.
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
    /// `LicenseType`: `TencentCloud` or `BYOL`.
    #[serde(default = "defaults::license_type")]
    pub license_type: String,
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

    /// True when every caller can see this image as a `PUBLIC_IMAGE`.
    pub fn is_public(&self) -> bool {
        self.owner_account_id == PUBLIC_IMAGE_OWNER
            || self.image_type.as_deref() == Some("PUBLIC_IMAGE")
    }
}

/// The fake's whole state: accounts, images and shares.
///
/// Read from a JSON file for `imgshare fake serve --seed FILE`, and returned
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

    /// Parses a seed from JSON text.
    pub fn from_json_str(json: &str) -> Result<Seed, SeedError> {
        serde_json::from_str(json).map_err(|source| SeedError::Json { path: None, source })
    }

    /// Reads and parses a seed JSON file.
    pub fn from_json_file(path: impl AsRef<Path>) -> Result<Seed, SeedError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SeedError::Io {
            path: path.to_owned(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| SeedError::Json {
            path: Some(path.to_owned()),
            source,
        })
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
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeedError::Io { path, .. } => write!(f, "cannot read seed file {}", path.display()),
            SeedError::Json {
                path: Some(path), ..
            } => write!(f, "invalid seed JSON in {}", path.display()),
            SeedError::Json { path: None, .. } => f.write_str("invalid seed JSON"),
        }
    }
}

impl std::error::Error for SeedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SeedError::Io { source, .. } => Some(source),
            SeedError::Json { source, .. } => Some(source),
        }
    }
}
