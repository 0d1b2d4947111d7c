//! CVM regions, and the ones where the share APIs are not offered.

/// Every CVM region id the Go SDK knows (`tencentcloud/common/regions/regions.go`);
/// any other region is `InvalidRegion.NotFound`.
pub const KNOWN_REGIONS: &[&str] = &[
    "ap-bangkok",
    "ap-beijing",
    "ap-chengdu",
    "ap-chongqing",
    "ap-guangzhou",
    "ap-guangzhou-open",
    "ap-hongkong",
    "ap-jakarta",
    "ap-mumbai",
    "ap-seoul",
    "ap-shanghai",
    "ap-nanjing",
    "ap-shanghai-fsi",
    "ap-shenzhen-fsi",
    "ap-singapore",
    "ap-tokyo",
    "eu-frankfurt",
    "eu-moscow",
    "na-ashburn",
    "na-siliconvalley",
    "na-toronto",
    "sa-saopaulo",
];

/// The regions the current international docs leave out of `DescribeImageSharePermission`'s
/// list; the share APIs answer `UnsupportedRegion` there.
pub const NO_SHARING_REGIONS: &[&str] =
    &["ap-guangzhou-open", "ap-mumbai", "eu-moscow", "na-toronto"];

/// The region a [`TencentImage`](super::TencentImage) lives in unless told otherwise.
pub const DEFAULT_REGION: &str = "ap-guangzhou";

pub(crate) fn is_known(region: &str) -> bool {
    KNOWN_REGIONS.contains(&region)
}

pub(crate) fn supports_sharing(region: &str) -> bool {
    is_known(region) && !NO_SHARING_REGIONS.contains(&region)
}
