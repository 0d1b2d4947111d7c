//! Models of the CVM image APIs (tencent.md §5), decoded leniently: unknown fields are ignored,
//! absent lists are empty, server-controlled enums keep unknown values.

use imgshare_core::decode::lenient;
use imgshare_core::wire::{ToWire, WireValue};
use serde::Deserialize;

imgshare_core::string_enum! {
    /// Who an image belongs to, from the caller's point of view.
    pub enum ImageType {
        /// A custom image created by the caller.
        Private => "PRIVATE_IMAGE",
        /// An official Tencent image.
        Public => "PUBLIC_IMAGE",
        /// An image another account shared with the caller.
        Shared => "SHARED_IMAGE",
    }
}

imgshare_core::string_enum! {
    /// An image's lifecycle state. Only `NORMAL` images can be shared.
    pub enum ImageState {
        /// Being created.
        Creating => "CREATING",
        /// Usable.
        Normal => "NORMAL",
        /// Creation failed.
        CreateFailed => "CREATEFAILED",
        /// Being synced to another region.
        Syncing => "SYNCING",
        /// Being imported.
        Importing => "IMPORTING",
        /// Import failed.
        ImportFailed => "IMPORTFAILED",
    }
}

/// One account an image is shared with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct SharePermission {
    /// The recipient's root account id.
    #[serde(rename = "AccountId", default, deserialize_with = "lenient::string")]
    pub account_id: String,
    /// When the share was made (ISO 8601, UTC), as Tencent sent it.
    #[serde(
        rename = "CreatedTime",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub created_time: Option<String>,
}

imgshare_core::model_builder!(SharePermission => SharePermissionBuilder {
    account_id: String,
    created_time: Option<String>,
});

impl SharePermission {
    /// `created_time` parsed; accepts both `…Z` and `…+00:00` forms.
    pub fn created_at(&self) -> Option<time::OffsetDateTime> {
        parse_time(self.created_time.as_deref()?)
    }
}

/// Parses Tencent's ISO 8601 timestamps (`2020-09-22T00:00:00Z` or `…+00:00`).
pub fn parse_time(text: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

/// A disk snapshot backing an image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Snapshot {
    /// The snapshot id.
    #[serde(rename = "SnapshotId", default, deserialize_with = "lenient::string")]
    pub snapshot_id: String,
    /// `SYSTEM_DISK` or `DATA_DISK`.
    #[serde(rename = "DiskUsage", default, deserialize_with = "lenient::string")]
    pub disk_usage: String,
    /// Size in GiB.
    #[serde(rename = "DiskSize", default, deserialize_with = "lenient::number")]
    pub disk_size: u64,
}

imgshare_core::model_builder!(Snapshot => SnapshotBuilder {
    snapshot_id: String,
    disk_usage: String,
    disk_size: u64,
});

/// A tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Tag {
    /// The key.
    #[serde(rename = "Key", default, deserialize_with = "lenient::string")]
    pub key: String,
    /// The value.
    #[serde(rename = "Value", default, deserialize_with = "lenient::string")]
    pub value: String,
}

imgshare_core::model_builder!(Tag => TagBuilder { key: String, value: String });

/// An image as `DescribeImages` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Image {
    /// `img-` + 8 characters.
    #[serde(rename = "ImageId", default, deserialize_with = "lenient::string")]
    pub image_id: String,
    /// Operating system name.
    #[serde(rename = "OsName", default, deserialize_with = "lenient::string")]
    pub os_name: String,
    /// Private, public or shared (`Unknown("")` if Tencent left it out).
    #[serde(rename = "ImageType", default = "unknown_image_type")]
    pub image_type: ImageType,
    /// Creation time (ISO 8601).
    #[serde(
        rename = "CreatedTime",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub created_time: Option<String>,
    /// Name.
    #[serde(rename = "ImageName", default, deserialize_with = "lenient::string")]
    pub image_name: String,
    /// Description.
    #[serde(
        rename = "ImageDescription",
        default,
        deserialize_with = "lenient::string"
    )]
    pub image_description: String,
    /// Size in GiB.
    #[serde(rename = "ImageSize", default, deserialize_with = "lenient::number")]
    pub image_size: u64,
    /// `x86_64`, `arm`, `i386`.
    #[serde(rename = "Architecture", default, deserialize_with = "lenient::string")]
    pub architecture: String,
    /// Lifecycle state (`Unknown("")` if Tencent left it out).
    #[serde(rename = "ImageState", default = "unknown_image_state")]
    pub image_state: ImageState,
    /// Platform (`TencentOS`, `Ubuntu`, …).
    #[serde(rename = "Platform", default, deserialize_with = "lenient::string")]
    pub platform: String,
    /// Creator: `tencentcloud` or an account id.
    #[serde(rename = "ImageCreator", default, deserialize_with = "lenient::string")]
    pub image_creator: String,
    /// `OFFICIAL`, `CREATE_IMAGE`, `EXTERNAL_IMPORT`.
    #[serde(rename = "ImageSource", default, deserialize_with = "lenient::string")]
    pub image_source: String,
    /// Sync progress in percent; Tencent may send null.
    #[serde(
        rename = "SyncPercent",
        default,
        deserialize_with = "lenient::opt_number"
    )]
    pub sync_percent: Option<u64>,
    /// Whether cloud-init is supported.
    #[serde(
        rename = "IsSupportCloudinit",
        default,
        deserialize_with = "lenient::bool"
    )]
    pub is_support_cloudinit: bool,
    /// Backing snapshots.
    #[serde(rename = "SnapshotSet", default, deserialize_with = "lenient::list")]
    pub snapshot_set: Vec<Snapshot>,
    /// Tags.
    #[serde(rename = "Tags", default, deserialize_with = "lenient::list")]
    pub tags: Vec<Tag>,
    /// `TencentCloud` or `BYOL` (BYOL images cannot be shared).
    #[serde(rename = "LicenseType", default, deserialize_with = "lenient::string")]
    pub license_type: String,
    /// Image family, if any.
    #[serde(
        rename = "ImageFamily",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub image_family: Option<String>,
    /// Whether the image is deprecated, if reported.
    #[serde(
        rename = "ImageDeprecated",
        default,
        deserialize_with = "lenient::opt_bool"
    )]
    pub image_deprecated: Option<bool>,
}

fn unknown_image_type() -> ImageType {
    ImageType::Unknown(String::new())
}

fn unknown_image_state() -> ImageState {
    ImageState::Unknown(String::new())
}

impl Image {
    /// `created_time` parsed; accepts both `…Z` and `…+00:00` forms.
    pub fn created_at(&self) -> Option<time::OffsetDateTime> {
        parse_time(self.created_time.as_deref()?)
    }
}

impl Default for Image {
    fn default() -> Self {
        Self {
            image_id: String::new(),
            os_name: String::new(),
            image_type: ImageType::Private,
            created_time: None,
            image_name: String::new(),
            image_description: String::new(),
            image_size: 0,
            architecture: String::new(),
            image_state: ImageState::Normal,
            platform: String::new(),
            image_creator: String::new(),
            image_source: String::new(),
            sync_percent: None,
            is_support_cloudinit: false,
            snapshot_set: Vec::new(),
            tags: Vec::new(),
            license_type: String::new(),
            image_family: None,
            image_deprecated: None,
        }
    }
}

imgshare_core::model_builder!(Image => ImageBuilder {
    image_id: String,
    os_name: String,
    image_type: ImageType,
    created_time: Option<String>,
    image_name: String,
    image_description: String,
    image_size: u64,
    architecture: String,
    image_state: ImageState,
    platform: String,
    image_creator: String,
    image_source: String,
    sync_percent: Option<u64>,
    is_support_cloudinit: bool,
    snapshot_set: Vec<Snapshot>,
    tags: Vec<Tag>,
    license_type: String,
    image_family: Option<String>,
    image_deprecated: Option<bool>,
});

/// A `DescribeImages` filter: AND between filters, OR within one filter's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    name: String,
    values: Vec<String>,
}

impl Filter {
    /// A filter on `name` (`image-type`, `image-id`, `image-name`, `platform`, `tag-key`, …).
    pub fn new(
        name: impl Into<String>,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            name: name.into(),
            values: values.into_iter().map(Into::into).collect(),
        }
    }

    /// `image-type` = the given type.
    pub fn image_type(image_type: ImageType) -> Self {
        Self::new("image-type", [image_type.as_str()])
    }

    /// The filter name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The values.
    pub fn values(&self) -> &[String] {
        &self.values
    }
}

impl ToWire for Filter {
    fn to_wire(&self) -> WireValue {
        WireValue::Object(vec![
            ("Name", self.name.to_wire()),
            ("Values", self.values.to_wire()),
        ])
    }
}

// Operation outputs.

/// Output of [`ShareImage`](crate::operation::ShareImage) and [`UnshareImage`](crate::operation::UnshareImage): Tencent returns only the request id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ModifyImageSharePermissionOutput {
    /// The request id.
    #[serde(rename = "RequestId", default)]
    pub request_id: String,
}

imgshare_core::model_builder!(ModifyImageSharePermissionOutput => ModifyImageSharePermissionOutputBuilder {
    request_id: String,
});

/// Output of [`DescribeImageSharePermission`](crate::operation::DescribeImageSharePermission).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DescribeImageSharePermissionOutput {
    /// The accounts the image is shared with (empty when none).
    #[serde(
        rename = "SharePermissionSet",
        default,
        deserialize_with = "lenient::list"
    )]
    pub share_permissions: Vec<SharePermission>,
    /// The request id.
    #[serde(rename = "RequestId", default)]
    pub request_id: String,
}

imgshare_core::model_builder!(DescribeImageSharePermissionOutput => DescribeImageSharePermissionOutputBuilder {
    share_permissions: Vec<SharePermission>,
    request_id: String,
});

impl DescribeImageSharePermissionOutput {
    /// The account ids, in Tencent's order.
    pub fn account_ids(&self) -> impl Iterator<Item = &str> {
        self.share_permissions.iter().map(|p| p.account_id.as_str())
    }
}

/// Output of [`DescribeImages`](crate::operation::DescribeImages): one page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DescribeImagesOutput {
    /// The images on this page.
    #[serde(rename = "ImageSet", default, deserialize_with = "lenient::list")]
    pub images: Vec<Image>,
    /// How many images match in all.
    #[serde(rename = "TotalCount", default, deserialize_with = "lenient::number")]
    pub total_count: u64,
    /// The request id.
    #[serde(rename = "RequestId", default)]
    pub request_id: String,
}

imgshare_core::model_builder!(DescribeImagesOutput => DescribeImagesOutputBuilder {
    images: Vec<Image>,
    total_count: u64,
    request_id: String,
});
