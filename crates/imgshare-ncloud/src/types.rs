//! Models of the NCP server-image APIs (ncloud.md §3.8, seeds 000–002), decoded from JSON **and**
//! XML into the same types: unknown fields are ignored, absent lists are empty, numbers may
//! arrive as strings or as JSON numbers (`blockStorageSnapshotInstanceNo` is a number on the wire
//! while every other `*No` is a string, §3.8), and `code`/`codeName` pairs keep unknown codes.

use std::fmt;
use std::marker::PhantomData;

use imgshare_core::decode::lenient;
use serde::{Deserialize, Deserializer};
use time::OffsetDateTime;

imgshare_core::string_enum! {
    /// Whether an image is shared (`shareStatus.code`). Only `SHARE` and `NULL` are documented.
    pub enum ShareStatus {
        /// Shared with at least one account.
        Share => "SHARE",
        /// Not shared.
        Null => "NULL",
    }
}

imgshare_core::string_enum! {
    /// An image's status (`serverImageStatus`, `memberServerImageInstanceStatus`,
    /// `memberServerImageStatus`). Only `CREAT` images can change sharing.
    pub enum ImageStatus {
        /// Being created.
        Init => "INIT",
        /// Created, usable.
        Created => "CREAT",
        /// Creation failed.
        CreateFailed => "CREFL",
    }
}

imgshare_core::string_enum! {
    /// The operation an image is undergoing (`serverImageOperation`, …); the full list is not
    /// documented (ncloud.md §8 question 4).
    pub enum ImageOperation {
        /// None.
        Null => "NULL",
        /// Being created.
        Create => "CREAT",
        /// Being terminated.
        Terminate => "TERMT",
        /// Being copied.
        Copy => "COPY",
    }
}

imgshare_core::string_enum! {
    /// Who made a VPC server image.
    pub enum ServerImageType {
        /// The caller's own (or shared with it).
        SelfImage => "SELF",
        /// An NCP-provided image.
        Ncp => "NCP",
    }
}

imgshare_core::string_enum! {
    /// The life-cycle phase of a VPC server image.
    pub enum LifeCyclePhase {
        /// In service.
        InService => "IN_SERVICE",
        /// Being phased out.
        FadeOut => "FADE_OUT",
        /// Retired.
        Retired => "RETIRED",
    }
}

imgshare_core::string_enum! {
    /// The hypervisor an image runs on. Member-server-image APIs support XEN only.
    pub enum HypervisorType {
        /// XEN.
        Xen => "XEN",
        /// KVM.
        Kvm => "KVM",
        /// RHV (government site).
        Rhv => "RHV",
    }
}

imgshare_core::string_enum! {
    /// The CPU architecture.
    pub enum CpuArchitectureType {
        /// x86, 64 bit.
        X86_64 => "X86_64",
        /// ARM, 64 bit.
        Arm64 => "ARM64",
    }
}

imgshare_core::string_enum! {
    /// The OS category.
    pub enum OsCategoryType {
        /// Linux.
        Linux => "LINUX",
        /// Windows.
        Windows => "WINDOWS",
    }
}

imgshare_core::string_enum! {
    /// The OS type.
    pub enum OsType {
        /// CentOS.
        Centos => "CENTOS",
        /// Ubuntu.
        Ubuntu => "UBUNTU",
        /// Windows.
        Windows => "WINDOWS",
        /// Rocky Linux.
        Rocky => "ROCKY",
        /// NAVIX.
        Navix => "NAVIX",
    }
}

imgshare_core::string_enum! {
    /// The platform category of a VPC server image (`platformCategoryCode`, a plain string).
    pub enum PlatformCategory {
        /// An OS image.
        Os => "OS",
        /// An application image.
        App => "APP",
        /// A DBMS image.
        Dbms => "DBMS",
        /// A GPU image.
        Gpu => "GPU",
    }
}

imgshare_core::string_enum! {
    /// The platform type of a member server image.
    pub enum PlatformType {
        /// Linux 32 bit.
        Lnx32 => "LNX32",
        /// Linux 64 bit.
        Lnx64 => "LNX64",
        /// Windows 32 bit.
        Wnd32 => "WND32",
        /// Windows 64 bit.
        Wnd64 => "WND64",
        /// Ubuntu desktop 64 bit.
        Ubd64 => "UBD64",
        /// Ubuntu server 64 bit.
        Ubs64 => "UBS64",
    }
}

imgshare_core::string_enum! {
    /// A block storage volume type.
    pub enum BlockStorageVolumeType {
        /// SSD.
        Ssd => "SSD",
        /// HDD.
        Hdd => "HDD",
        /// Common BlockStorage 1.
        Cb1 => "CB1",
        /// Flexible BlockStorage 1.
        Fb1 => "FB1",
    }
}

imgshare_core::string_enum! {
    /// The disk type of the server a Classic image was made from.
    pub enum DiskType {
        /// Local storage.
        Local => "LOCAL",
        /// Network storage.
        Net => "NET",
    }
}

/// A `{code, codeName}` pair (NCP's `CommonCode`): `code` typed, `codeName` display text only
/// (its wording differs between sources, ncloud.md §3.9).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Code<T> {
    /// The code.
    pub code: T,
    /// The display name.
    pub code_name: String,
}

impl<T> Code<T> {
    /// A pair.
    pub fn new(code: impl Into<T>, code_name: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            code_name: code_name.into(),
        }
    }
}

#[derive(Deserialize)]
struct RawCode {
    #[serde(default, deserialize_with = "lenient::string")]
    code: String,
    #[serde(rename = "codeName", default, deserialize_with = "lenient::string")]
    code_name: String,
}

impl<'de, T: From<String>> Deserialize<'de> for Code<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawCode::deserialize(deserializer)?;
        Ok(Code {
            code: T::from(raw.code),
            code_name: raw.code_name,
        })
    }
}

/// Deserializes an optional [`Code`]: JSON `null`, an absent field and an empty XML element
/// all give `None`.
fn opt_code<'de, D, T>(deserializer: D) -> Result<Option<Code<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: From<String>> serde::de::Visitor<'de> for V<T> {
        type Value = Option<Code<T>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a {code, codeName} object")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            // An empty element, or a bare code where an object was expected.
            Ok((!v.trim().is_empty()).then(|| Code {
                code: T::from(v.trim().to_owned()),
                code_name: String::new(),
            }))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let raw = RawCode::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
            if raw.code.is_empty() && raw.code_name.is_empty() {
                return Ok(None);
            }
            Ok(Some(Code {
                code: T::from(raw.code),
                code_name: raw.code_name,
            }))
        }
    }
    deserializer.deserialize_any(V(PhantomData))
}

fn enum_string<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    Ok(lenient::opt_string(deserializer)?.map(T::from))
}

/// Parses NCP's `createDate`: `2025-06-20T09:59:39+0900` (offset without a colon), also
/// accepting RFC 3339 (`…+09:00`, `…Z`).
pub fn parse_ncp_time(text: &str) -> Option<OffsetDateTime> {
    let ncp = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory][offset_minute]"
    );
    let text = text.trim();
    OffsetDateTime::parse(text, &ncp)
        .or_else(|_| OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339))
        .ok()
}

/// One disk of a VPC server image (`BlockStorageMapping`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BlockStorageMapping {
    /// Disk order (0 = boot disk).
    #[serde(rename = "order", default, deserialize_with = "lenient::opt_number")]
    pub order: Option<u32>,
    /// The snapshot number; NCP sends it as a JSON number, kept as its decimal text.
    #[serde(
        rename = "blockStorageSnapshotInstanceNo",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub block_storage_snapshot_instance_no: Option<String>,
    /// The snapshot name (older pages: `blockStorageSnapshotInstanceName`).
    #[serde(
        rename = "blockStorageSnapshotName",
        alias = "blockStorageSnapshotInstanceName",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub block_storage_snapshot_name: Option<String>,
    /// Size in bytes.
    #[serde(
        rename = "blockStorageSize",
        default,
        deserialize_with = "lenient::opt_number"
    )]
    pub block_storage_size: Option<u64>,
    /// The block storage name.
    #[serde(
        rename = "blockStorageName",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub block_storage_name: Option<String>,
    /// The volume type.
    #[serde(
        rename = "blockStorageVolumeType",
        default,
        deserialize_with = "opt_code"
    )]
    pub block_storage_volume_type: Option<Code<BlockStorageVolumeType>>,
    /// IOPS.
    #[serde(rename = "iops", default, deserialize_with = "lenient::opt_number")]
    pub iops: Option<u64>,
    /// Throughput in bytes per second.
    #[serde(
        rename = "throughput",
        default,
        deserialize_with = "lenient::opt_number"
    )]
    pub throughput: Option<u64>,
    /// Whether the volume is encrypted.
    #[serde(
        rename = "isEncryptedVolume",
        default,
        deserialize_with = "lenient::opt_bool"
    )]
    pub is_encrypted_volume: Option<bool>,
}

imgshare_core::model_builder!(BlockStorageMapping => BlockStorageMappingBuilder {
    order: Option<u32>,
    block_storage_snapshot_instance_no: Option<String>,
    block_storage_snapshot_name: Option<String>,
    block_storage_size: Option<u64>,
    block_storage_name: Option<String>,
    block_storage_volume_type: Option<Code<BlockStorageVolumeType>>,
    iops: Option<u64>,
    throughput: Option<u64>,
    is_encrypted_volume: Option<bool>,
});

/// A VPC server image (new API, XEN and KVM; seed 000, ncloud.md §3.8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ServerImage {
    /// The number (digits).
    #[serde(
        rename = "serverImageNo",
        default,
        deserialize_with = "lenient::string"
    )]
    pub server_image_no: String,
    /// The name.
    #[serde(
        rename = "serverImageName",
        default,
        deserialize_with = "lenient::string"
    )]
    pub server_image_name: String,
    /// The description.
    #[serde(
        rename = "serverImageDescription",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub server_image_description: Option<String>,
    /// `SELF` or `NCP`.
    #[serde(rename = "serverImageType", default, deserialize_with = "opt_code")]
    pub server_image_type: Option<Code<ServerImageType>>,
    /// Life-cycle phase.
    #[serde(
        rename = "serverImageLifeCyclePhase",
        default,
        deserialize_with = "opt_code"
    )]
    pub server_image_life_cycle_phase: Option<Code<LifeCyclePhase>>,
    /// Hypervisor.
    #[serde(rename = "hypervisorType", default, deserialize_with = "opt_code")]
    pub hypervisor_type: Option<Code<HypervisorType>>,
    /// CPU architecture.
    #[serde(rename = "cpuArchitectureType", default, deserialize_with = "opt_code")]
    pub cpu_architecture_type: Option<Code<CpuArchitectureType>>,
    /// OS category.
    #[serde(rename = "osCategoryType", default, deserialize_with = "opt_code")]
    pub os_category_type: Option<Code<OsCategoryType>>,
    /// OS type.
    #[serde(rename = "osType", default, deserialize_with = "opt_code")]
    pub os_type: Option<Code<OsType>>,
    /// Status.
    #[serde(rename = "serverImageStatus", default, deserialize_with = "opt_code")]
    pub server_image_status: Option<Code<ImageStatus>>,
    /// Current operation.
    #[serde(
        rename = "serverImageOperation",
        default,
        deserialize_with = "opt_code"
    )]
    pub server_image_operation: Option<Code<ImageOperation>>,
    /// Status in words (`created`, …).
    #[serde(
        rename = "serverImageStatusName",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub server_image_status_name: Option<String>,
    /// Share status.
    #[serde(rename = "shareStatus", default, deserialize_with = "opt_code")]
    pub share_status: Option<Code<ShareStatus>>,
    /// The disks.
    #[serde(
        rename = "blockStorageMappingList",
        default,
        deserialize_with = "lenient::list"
    )]
    pub block_storage_mapping_list: Vec<BlockStorageMapping>,
    /// The login ids the image is shared with (a recipient sees only its own).
    #[serde(
        rename = "sharedLoginIdList",
        default,
        deserialize_with = "lenient::list"
    )]
    pub shared_login_id_list: Vec<String>,
    /// The product code (`SW.VSVR.OS.LNX64.UBNTU.SVR24.G003`).
    #[serde(
        rename = "serverImageProductCode",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub server_image_product_code: Option<String>,
    /// Creation time as sent (`2025-06-20T09:59:39+0900`); see [`ServerImage::created_at`].
    #[serde(
        rename = "createDate",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub create_date: Option<String>,
    /// Platform category (a plain string on the wire).
    #[serde(
        rename = "platformCategoryCode",
        default,
        deserialize_with = "enum_string"
    )]
    pub platform_category_code: Option<PlatformCategory>,
}

imgshare_core::model_builder!(ServerImage => ServerImageBuilder {
    server_image_no: String,
    server_image_name: String,
    server_image_description: Option<String>,
    server_image_type: Option<Code<ServerImageType>>,
    server_image_life_cycle_phase: Option<Code<LifeCyclePhase>>,
    hypervisor_type: Option<Code<HypervisorType>>,
    cpu_architecture_type: Option<Code<CpuArchitectureType>>,
    os_category_type: Option<Code<OsCategoryType>>,
    os_type: Option<Code<OsType>>,
    server_image_status: Option<Code<ImageStatus>>,
    server_image_operation: Option<Code<ImageOperation>>,
    server_image_status_name: Option<String>,
    share_status: Option<Code<ShareStatus>>,
    block_storage_mapping_list: Vec<BlockStorageMapping>,
    shared_login_id_list: Vec<String>,
    server_image_product_code: Option<String>,
    create_date: Option<String>,
    platform_category_code: Option<PlatformCategory>,
});

impl ServerImage {
    /// `createDate` parsed ([`parse_ncp_time`]).
    pub fn created_at(&self) -> Option<OffsetDateTime> {
        parse_ncp_time(self.create_date.as_deref()?)
    }

    /// The share status code, `None` when NCP left it out.
    pub fn share_status(&self) -> Option<&ShareStatus> {
        self.share_status.as_ref().map(|c| &c.code)
    }

    /// The hypervisor code.
    pub fn hypervisor(&self) -> Option<&HypervisorType> {
        self.hypervisor_type.as_ref().map(|c| &c.code)
    }
}

/// A Classic zone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Zone {
    /// Zone number.
    #[serde(rename = "zoneNo", default, deserialize_with = "lenient::opt_string")]
    pub zone_no: Option<String>,
    /// Zone name (`KR-1`).
    #[serde(rename = "zoneName", default, deserialize_with = "lenient::opt_string")]
    pub zone_name: Option<String>,
    /// Zone code.
    #[serde(rename = "zoneCode", default, deserialize_with = "lenient::opt_string")]
    pub zone_code: Option<String>,
    /// Description.
    #[serde(
        rename = "zoneDescription",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub zone_description: Option<String>,
    /// Region number.
    #[serde(rename = "regionNo", default, deserialize_with = "lenient::opt_string")]
    pub region_no: Option<String>,
}

imgshare_core::model_builder!(Zone => ZoneBuilder {
    zone_no: Option<String>,
    zone_name: Option<String>,
    zone_code: Option<String>,
    zone_description: Option<String>,
    region_no: Option<String>,
});

/// A Classic region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Region {
    /// Region number (`1`).
    #[serde(rename = "regionNo", default, deserialize_with = "lenient::opt_string")]
    pub region_no: Option<String>,
    /// Region code (`KR`).
    #[serde(
        rename = "regionCode",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub region_code: Option<String>,
    /// Region name (`Korea`).
    #[serde(
        rename = "regionName",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub region_name: Option<String>,
}

imgshare_core::model_builder!(Region => RegionBuilder {
    region_no: Option<String>,
    region_code: Option<String>,
    region_name: Option<String>,
});

/// A VPC member server image instance (legacy XEN-only API; seed 002, ncloud.md §3.8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MemberServerImageInstance {
    /// The number (digits).
    #[serde(
        rename = "memberServerImageInstanceNo",
        default,
        deserialize_with = "lenient::string"
    )]
    pub member_server_image_instance_no: String,
    /// The name.
    #[serde(
        rename = "memberServerImageName",
        default,
        deserialize_with = "lenient::string"
    )]
    pub member_server_image_name: String,
    /// The description.
    #[serde(
        rename = "memberServerImageDescription",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub member_server_image_description: Option<String>,
    /// The server it was made from.
    #[serde(
        rename = "originalServerInstanceNo",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub original_server_instance_no: Option<String>,
    /// The product code of the original server image.
    #[serde(
        rename = "originalServerImageProductCode",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub original_server_image_product_code: Option<String>,
    /// Status.
    #[serde(
        rename = "memberServerImageInstanceStatus",
        default,
        deserialize_with = "opt_code"
    )]
    pub member_server_image_instance_status: Option<Code<ImageStatus>>,
    /// Current operation.
    #[serde(
        rename = "memberServerImageInstanceOperation",
        default,
        deserialize_with = "opt_code"
    )]
    pub member_server_image_instance_operation: Option<Code<ImageOperation>>,
    /// Status in words.
    #[serde(
        rename = "memberServerImageInstanceStatusName",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub member_server_image_instance_status_name: Option<String>,
    /// Creation time as sent; see [`MemberServerImageInstance::created_at`].
    #[serde(
        rename = "createDate",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub create_date: Option<String>,
    /// Number of disks.
    #[serde(
        rename = "memberServerImageBlockStorageTotalRows",
        default,
        deserialize_with = "lenient::opt_number"
    )]
    pub member_server_image_block_storage_total_rows: Option<u32>,
    /// Total disk size in bytes.
    #[serde(
        rename = "memberServerImageBlockStorageTotalSize",
        default,
        deserialize_with = "lenient::opt_number"
    )]
    pub member_server_image_block_storage_total_size: Option<u64>,
    /// Share status.
    #[serde(rename = "shareStatus", default, deserialize_with = "opt_code")]
    pub share_status: Option<Code<ShareStatus>>,
    /// The login ids the image is shared with.
    #[serde(
        rename = "sharedLoginIdList",
        default,
        deserialize_with = "lenient::list"
    )]
    pub shared_login_id_list: Vec<String>,
}

imgshare_core::model_builder!(MemberServerImageInstance => MemberServerImageInstanceBuilder {
    member_server_image_instance_no: String,
    member_server_image_name: String,
    member_server_image_description: Option<String>,
    original_server_instance_no: Option<String>,
    original_server_image_product_code: Option<String>,
    member_server_image_instance_status: Option<Code<ImageStatus>>,
    member_server_image_instance_operation: Option<Code<ImageOperation>>,
    member_server_image_instance_status_name: Option<String>,
    create_date: Option<String>,
    member_server_image_block_storage_total_rows: Option<u32>,
    member_server_image_block_storage_total_size: Option<u64>,
    share_status: Option<Code<ShareStatus>>,
    shared_login_id_list: Vec<String>,
});

impl MemberServerImageInstance {
    /// `createDate` parsed ([`parse_ncp_time`]).
    pub fn created_at(&self) -> Option<OffsetDateTime> {
        parse_ncp_time(self.create_date.as_deref()?)
    }

    /// The share status code.
    pub fn share_status(&self) -> Option<&ShareStatus> {
        self.share_status.as_ref().map(|c| &c.code)
    }
}

/// A Classic member server image (ncloud.md §3.7–3.8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MemberServerImage {
    /// The number (digits).
    #[serde(
        rename = "memberServerImageNo",
        default,
        deserialize_with = "lenient::string"
    )]
    pub member_server_image_no: String,
    /// The name.
    #[serde(
        rename = "memberServerImageName",
        default,
        deserialize_with = "lenient::string"
    )]
    pub member_server_image_name: String,
    /// The description.
    #[serde(
        rename = "memberServerImageDescription",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub member_server_image_description: Option<String>,
    /// The server it was made from.
    #[serde(
        rename = "originalServerInstanceNo",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub original_server_instance_no: Option<String>,
    /// The original server's product code.
    #[serde(
        rename = "originalServerProductCode",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub original_server_product_code: Option<String>,
    /// The original server's name.
    #[serde(
        rename = "originalServerName",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub original_server_name: Option<String>,
    /// The original server's base disk type.
    #[serde(
        rename = "originalBaseBlockStorageDiskType",
        default,
        deserialize_with = "opt_code"
    )]
    pub original_base_block_storage_disk_type: Option<Code<DiskType>>,
    /// The original server image's product code.
    #[serde(
        rename = "originalServerImageProductCode",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub original_server_image_product_code: Option<String>,
    /// The original OS (`CentOS 7.3 (64-bit)`).
    #[serde(
        rename = "originalOsInformation",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub original_os_information: Option<String>,
    /// The original server image's name.
    #[serde(
        rename = "originalServerImageName",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub original_server_image_name: Option<String>,
    /// Status in words.
    #[serde(
        rename = "memberServerImageStatusName",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub member_server_image_status_name: Option<String>,
    /// Status.
    #[serde(
        rename = "memberServerImageStatus",
        default,
        deserialize_with = "opt_code"
    )]
    pub member_server_image_status: Option<Code<ImageStatus>>,
    /// Current operation.
    #[serde(
        rename = "memberServerImageOperation",
        default,
        deserialize_with = "opt_code"
    )]
    pub member_server_image_operation: Option<Code<ImageOperation>>,
    /// Platform type (`LNX64`).
    #[serde(
        rename = "memberServerImagePlatformType",
        default,
        deserialize_with = "opt_code"
    )]
    pub member_server_image_platform_type: Option<Code<PlatformType>>,
    /// Region (present in practice though not in the doc syntax, ncloud.md §3.8).
    #[serde(rename = "region", default)]
    pub region: Option<Region>,
    /// Zone.
    #[serde(rename = "zone", default)]
    pub zone: Option<Zone>,
    /// Creation time as sent; see [`MemberServerImage::created_at`].
    #[serde(
        rename = "createDate",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub create_date: Option<String>,
    /// Number of disks.
    #[serde(
        rename = "memberServerImageBlockStorageTotalRows",
        default,
        deserialize_with = "lenient::opt_number"
    )]
    pub member_server_image_block_storage_total_rows: Option<u32>,
    /// Total disk size in bytes.
    #[serde(
        rename = "memberServerImageBlockStorageTotalSize",
        default,
        deserialize_with = "lenient::opt_number"
    )]
    pub member_server_image_block_storage_total_size: Option<u64>,
    /// Share status.
    #[serde(rename = "shareStatus", default, deserialize_with = "opt_code")]
    pub share_status: Option<Code<ShareStatus>>,
    /// The login ids the image is shared with.
    #[serde(
        rename = "sharedLoginIdList",
        default,
        deserialize_with = "lenient::list"
    )]
    pub shared_login_id_list: Vec<String>,
}

imgshare_core::model_builder!(MemberServerImage => MemberServerImageBuilder {
    member_server_image_no: String,
    member_server_image_name: String,
    member_server_image_description: Option<String>,
    original_server_instance_no: Option<String>,
    original_server_product_code: Option<String>,
    original_server_name: Option<String>,
    original_base_block_storage_disk_type: Option<Code<DiskType>>,
    original_server_image_product_code: Option<String>,
    original_os_information: Option<String>,
    original_server_image_name: Option<String>,
    member_server_image_status_name: Option<String>,
    member_server_image_status: Option<Code<ImageStatus>>,
    member_server_image_operation: Option<Code<ImageOperation>>,
    member_server_image_platform_type: Option<Code<PlatformType>>,
    region: Option<Region>,
    zone: Option<Zone>,
    create_date: Option<String>,
    member_server_image_block_storage_total_rows: Option<u32>,
    member_server_image_block_storage_total_size: Option<u64>,
    share_status: Option<Code<ShareStatus>>,
    shared_login_id_list: Vec<String>,
});

impl MemberServerImage {
    /// `createDate` parsed ([`parse_ncp_time`]).
    pub fn created_at(&self) -> Option<OffsetDateTime> {
        parse_ncp_time(self.create_date.as_deref()?)
    }

    /// The share status code.
    pub fn share_status(&self) -> Option<&ShareStatus> {
        self.share_status.as_ref().map(|c| &c.code)
    }
}

macro_rules! list_output {
    ($(#[$meta:meta])* $name:ident => $builder:ident, $field:ident : $item:ty = $wire:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            /// The request id (a UUID; may be empty).
            #[serde(rename = "requestId", default, deserialize_with = "lenient::string")]
            pub request_id: String,
            /// `0` on success.
            #[serde(rename = "returnCode", default, deserialize_with = "lenient::string")]
            pub return_code: String,
            /// `success`.
            #[serde(rename = "returnMessage", default, deserialize_with = "lenient::string")]
            pub return_message: String,
            /// Rows matching the request (all pages).
            #[serde(rename = "totalRows", default, deserialize_with = "lenient::number")]
            pub total_rows: u64,
            #[doc = concat!("The images (`", $wire, "`).")]
            #[serde(rename = $wire, default, deserialize_with = "lenient::list")]
            pub $field: Vec<$item>,
        }

        imgshare_core::model_builder!($name => $builder {
            request_id: String,
            return_code: String,
            return_message: String,
            total_rows: u64,
            $field: Vec<$item>,
        });
    };
}

list_output!(
    /// The answer of every VPC server-image operation: `totalRows` and `serverImageList`.
    ServerImageListOutput => ServerImageListOutputBuilder,
    server_image_list: ServerImage = "serverImageList"
);

list_output!(
    /// The answer of every VPC member-server-image operation: `totalRows` and
    /// `memberServerImageInstanceList`.
    MemberServerImageInstanceListOutput => MemberServerImageInstanceListOutputBuilder,
    member_server_image_instance_list: MemberServerImageInstance = "memberServerImageInstanceList"
);

list_output!(
    /// The answer of every Classic member-server-image operation: `totalRows` and
    /// `memberServerImageList`.
    MemberServerImageListOutput => MemberServerImageListOutputBuilder,
    member_server_image_list: MemberServerImage = "memberServerImageList"
);
