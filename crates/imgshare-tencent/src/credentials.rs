//! Tencent credential sources, as the official SDKs and tccli read them: described once by
//! [`Tencent`] for the environment, profile-file, metadata and web-identity providers of
//! [`imgshare_core::credentials`].
//!
//! [`default_chain`] tries, in order, and stops at the first source that has credentials:
//!
//! 1. [`EnvironmentProvider`]: `TENCENTCLOUD_SECRET_ID` + `TENCENTCLOUD_SECRET_KEY`, with an
//!    optional session token in `TENCENTCLOUD_TOKEN` (tccli's name) or
//!    `TENCENTCLOUD_SESSION_TOKEN`;
//! 2. [`ProfileFileProvider`]: the `[default]` section (`secret_id`, `secret_key`) of the INI file
//!    named by `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`, else
//!    `/etc/tencentcloud/credentials` (refused when other users can write it);
//! 3. [`CvmRoleProvider`]: the CAM role bound to this CVM instance, from the metadata service
//!    (temporary credentials, refreshed by the client's identity cache before `ExpiredTime`);
//! 4. [`WebIdentityProvider`]: TKE OIDC (`TKE_REGION`, `TKE_PROVIDER_ID`,
//!    `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN`), when all four variables are set.
//!
//! A source that has nothing passes to the next; a source that has something unusable (a key
//! without its secret, a malformed file) stops the chain with an error naming it.
//!
//! Opt-in, not in the default chain: [`AssumeRoleProvider`] (STS `AssumeRole` with the keys of
//! another provider; [`AssumeRoleProvider::from_env`] reads `TENCENTCLOUD_ROLE_ARN` and
//! `TENCENTCLOUD_ROLE_SESSION_NAME` as tccli does) and [`TccliProfile`] (tccli's
//! `~/.tccli/NAME.credential` and `NAME.configure`).

use std::time::Duration;

use imgshare_core::CredentialsChain;
use imgshare_core::credentials::{
    DescribeEnv, DescribeMetadata, DescribeProfileFile, Env, EnvSpec, ExpiryFormat, FileFormat,
    MetadataProvider, MetadataSpec, ProfileFileSpec, RoleName,
};

pub mod sts;
mod tccli;

pub use sts::{
    AssumeRoleProvider, AssumeRoleProviderBuilder, DEFAULT_STS_ENDPOINT, ENV_ROLE_ARN,
    ENV_ROLE_SESSION_NAME, ENV_TKE_PROVIDER_ID, ENV_TKE_REGION, ENV_TKE_ROLE_ARN,
    ENV_TKE_WEB_IDENTITY_TOKEN_FILE, WebIdentityProvider,
};
pub use tccli::TccliProfile;

/// Environment variable holding the SecretId.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// Environment variable holding the SecretKey.
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// Environment variable holding an STS session token (sent as `X-TC-Token`); tccli's name.
pub const ENV_TOKEN: &str = "TENCENTCLOUD_TOKEN";
/// Environment variable holding an STS session token; read when `TENCENTCLOUD_TOKEN` is unset.
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// Environment variable overriding the profile file's path.
pub const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// Environment variable holding the default region (read by the CLI and `Config::from_env`).
pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";
/// The system-wide profile file, read when the per-user one does not exist (Python SDK).
pub const SYSTEM_CREDENTIALS_FILE: &str = "/etc/tencentcloud/credentials";

/// Tencent's credential sources, described for the core providers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tencent;

impl DescribeEnv for Tencent {
    // A variable set but empty is an error, as in the Go SDK, not a reason to look further.
    const ENV: EnvSpec = EnvSpec {
        source: "environment",
        access_id: &[ENV_SECRET_ID],
        secret: &[ENV_SECRET_KEY],
        session_token: &[ENV_TOKEN, ENV_SESSION_TOKEN],
        empty_is_unset: false,
    };
}

impl DescribeProfileFile for Tencent {
    const PROFILE_FILE: ProfileFileSpec = ProfileFileSpec {
        source: "profile file",
        path_var: Some(ENV_CREDENTIALS_FILE),
        home_path: ".tencentcloud/credentials",
        system_path: Some(SYSTEM_CREDENTIALS_FILE),
        format: FileFormat::Ini {
            section: Some("default"),
        },
        access_id: "secret_id",
        secret: "secret_key",
        session_token: None,
    };
}

/// Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and an optional session token,
/// `TENCENTCLOUD_TOKEN` or `TENCENTCLOUD_SESSION_TOKEN` (both set to different values is an
/// error).
pub type EnvironmentProvider = imgshare_core::credentials::EnvironmentProvider<Tencent>;

/// Reads the `[default]` section (`secret_id`, `secret_key`) of `$TENCENTCLOUD_CREDENTIALS_FILE`
/// when that is set (then that file only: a missing file is an error, not a reason to fall
/// through to another identity), else the first of `~/.tencentcloud/credentials` and
/// `/etc/tencentcloud/credentials` that exists.
pub type ProfileFileProvider = imgshare_core::credentials::ProfileFileProvider<Tencent>;

// The CAM role bound to a CVM instance, from the instance metadata service:
// `GET <endpoint>cam/security-credentials/` names the role (404: no role bound), then
// `GET <endpoint>cam/security-credentials/<role>` answers `TmpSecretId`, `TmpSecretKey`,
// `Token`, `ExpiredTime` (Unix seconds) and `Code` (`Success`).

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

/// The default chain, as the Python SDK orders it: environment, profile file, CVM instance
/// role, TKE OIDC (see the module docs).
pub fn default_chain() -> CredentialsChain {
    default_chain_with_env(Env::process())
}

/// [`default_chain`], finding variables and the home directory through `env` (tests).
pub fn default_chain_with_env(env: Env) -> CredentialsChain {
    CredentialsChain::new()
        .or_else(EnvironmentProvider::new().with_env(env.clone()))
        .or_else(ProfileFileProvider::new().with_env(env.clone()))
        .or_else(CvmRoleProvider::new().with_env(env.clone()))
        .or_else(WebIdentityProvider::new().with_env(env))
}
