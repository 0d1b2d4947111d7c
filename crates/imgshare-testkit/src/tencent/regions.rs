//! CVM regions (tencent.md §3.3).

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

/// The regions the current intl doc lists for `DescribeImageSharePermission`
/// (tencent.md §3.3): it lacks `ap-guangzhou-open`, `ap-mumbai`, `eu-moscow` and
/// `na-toronto`. The share APIs answer `UnsupportedRegion` elsewhere.
pub const SHARE_REGIONS: &[&str] = &[
    "ap-bangkok",
    "ap-beijing",
    "ap-chengdu",
    "ap-chongqing",
    "ap-guangzhou",
    "ap-hongkong",
    "ap-jakarta",
    "ap-nanjing",
    "ap-seoul",
    "ap-shanghai",
    "ap-shanghai-fsi",
    "ap-shenzhen-fsi",
    "ap-singapore",
    "ap-tokyo",
    "eu-frankfurt",
    "na-ashburn",
    "na-siliconvalley",
    "sa-saopaulo",
];

/// The region a [`FakeImage`](super::FakeImage) lives in unless told otherwise.
pub const DEFAULT_REGION: &str = "ap-guangzhou";

pub(crate) fn is_known(region: &str) -> bool {
    KNOWN_REGIONS.contains(&region)
}

pub(crate) fn supports_sharing(region: &str) -> bool {
    SHARE_REGIONS.contains(&region)
}
