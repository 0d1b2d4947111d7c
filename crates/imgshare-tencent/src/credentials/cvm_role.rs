//! The CAM role bound to a CVM instance, from the instance metadata service:
//! `GET <endpoint>cam/security-credentials/` names the role (404: no role bound), then
//! `GET <endpoint>cam/security-credentials/<role>` answers `TmpSecretId`, `TmpSecretKey`,
//! `Token`, `ExpiredTime` (Unix seconds) and `Code` (`Success`).

use std::time::Duration;

use imgshare_core::credentials::{
    DescribeMetadata, ExpiryFormat, MetadataProvider, MetadataSpec, RoleName,
};

use super::Tencent;

/// The metadata service's base URL on a CVM instance.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://metadata.tencentyun.com/latest/meta-data/";
/// Environment variable overriding the metadata base URL (this SDK's own, for tests; the
/// official SDKs have no such variable). Only `http` to a loopback or link-local address, or
/// `https`, is accepted.
pub const ENV_METADATA_ENDPOINT: &str = "IMGSHARE_TENCENT_METADATA_ENDPOINT";

impl DescribeMetadata for Tencent {
    const METADATA: MetadataSpec = MetadataSpec {
        source: "cvm instance role",
        endpoint: DEFAULT_METADATA_ENDPOINT,
        endpoint_vars: &[ENV_METADATA_ENDPOINT],
        path: "cam/security-credentials/",
        role: RoleName::FirstListed,
        access_id: "TmpSecretId",
        secret: "TmpSecretKey",
        session_token: Some("Token"),
        expiry: "ExpiredTime",
        expiry_format: ExpiryFormat::UnixSeconds,
        status: Some(("Code", "Success")),
        message: None,
        no_role: "no CAM role is bound to this instance",
        off_platform: "not a CVM instance?",
        timeout: Duration::from_secs(1),
        session: None,
    };
}

/// Temporary credentials of the CAM role bound to this CVM instance.
///
/// Off a CVM instance the metadata host does not resolve or answer, and the provider reports
/// "not found" within its timeout (1 second by default), so a chain moves on. The credentials
/// carry their `ExpiredTime`; the client's identity cache asks again 5 minutes before it.
pub type CvmRoleProvider = MetadataProvider<Tencent>;
