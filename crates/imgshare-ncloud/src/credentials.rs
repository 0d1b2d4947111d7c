//! NCP credential sources, in the official SDKs' order, described once by [`Ncloud`] for the
//! environment, profile-file and metadata providers of [`imgshare_core::credentials`]:
//!
//! 1. environment: access key `NCLOUD_ACCESS_KEY_ID`, else `NCLOUD_ACCESS_KEY`; secret
//!    `NCLOUD_SECRET_ACCESS_KEY`, else `NCLOUD_SECRET_KEY` (the Go and JS SDKs' order); an empty
//!    variable counts as unset;
//! 2. `~/.ncloud/configure` (`%USERPROFILE%\.ncloud\configure`): `key = value` lines
//!    `ncloud_access_key_id`, `ncloud_secret_access_key`, in any section; `#` starts a comment;
//!    a value is everything after the **first** `=` (the Go SDK cuts secrets holding `=`); the
//!    file is refused when other users can write it;
//! 3. the Server Role of a VPC server: the metadata service at `http://169.254.169.254`
//!    (`NCLOUD_METADATA_API_ENDPOINT`, as the Go SDK, else `NCLOUD_METADATA_ENDPOINT`, as the
//!    Python and JS SDKs, replace the scheme and host; only `http` to a loopback or link-local
//!    address, or `https`, is accepted), `GET /latest/meta-data/iam/security-credentials/`
//!    gives role names one per line, `GET …/{role}` gives `{"AccessKeyId", "SecretAccessKey",
//!    "Expiration", "Code", "Message"}`. The keys carry their expiry, so the client's identity
//!    cache fetches new ones shortly before they stop working. No session token is sent.

use std::time::Duration;

use imgshare_core::CredentialsChain;
use imgshare_core::credentials::{
    DescribeEnv, DescribeMetadata, DescribeProfileFile, Env, EnvSpec, ExpiryFormat, FileFormat,
    MetadataProvider, MetadataSpec, ProfileFileProvider, ProfileFileSpec, RoleName,
};

/// The access key (first choice).
pub const ENV_ACCESS_KEY_ID: &str = "NCLOUD_ACCESS_KEY_ID";
/// The access key (fallback).
pub const ENV_ACCESS_KEY: &str = "NCLOUD_ACCESS_KEY";
/// The secret key (first choice).
pub const ENV_SECRET_ACCESS_KEY: &str = "NCLOUD_SECRET_ACCESS_KEY";
/// The secret key (fallback).
pub const ENV_SECRET_KEY: &str = "NCLOUD_SECRET_KEY";
/// Metadata endpoint override (Go SDK).
pub const ENV_METADATA_API_ENDPOINT: &str = "NCLOUD_METADATA_API_ENDPOINT";
/// Metadata endpoint override (Python and JS SDKs).
pub const ENV_METADATA_ENDPOINT: &str = "NCLOUD_METADATA_ENDPOINT";
/// The metadata service.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://169.254.169.254";
/// Where the role names and keys live under the metadata endpoint.
pub const SECURITY_CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// NCP's credential sources, described for the core providers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ncloud;

impl DescribeEnv for Ncloud {
    const ENV: EnvSpec = EnvSpec {
        source: "environment",
        access_id: &[ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY],
        secret: &[ENV_SECRET_ACCESS_KEY, ENV_SECRET_KEY],
        session_token: &[],
        empty_is_unset: true,
    };
}

impl DescribeProfileFile for Ncloud {
    const PROFILE_FILE: ProfileFileSpec = ProfileFileSpec {
        source: "config file",
        path_var: None,
        home_path: ".ncloud/configure",
        system_path: None,
        format: FileFormat::Ini { section: None },
        access_id: "ncloud_access_key_id",
        secret: "ncloud_secret_access_key",
        session_token: None,
    };
}

impl DescribeMetadata for Ncloud {
    const METADATA: MetadataSpec = MetadataSpec {
        source: "server role",
        endpoint: DEFAULT_METADATA_ENDPOINT,
        endpoint_vars: &[ENV_METADATA_API_ENDPOINT, ENV_METADATA_ENDPOINT],
        path: SECURITY_CREDENTIALS_PATH,
        role: RoleName::FirstListed,
        access_id: "AccessKeyId",
        secret: "SecretAccessKey",
        session_token: None,
        expiry: "Expiration",
        expiry_format: ExpiryFormat::Rfc3339,
        status: Some(("Code", "success")),
        message: Some("Message"),
        no_role: "no Server Role is attached to this server",
        off_platform: "not an NCP VPC server?",
        // Short, so machines off NCP fail fast and the chain moves on.
        timeout: Duration::from_secs(2),
        session: None,
    };
}

/// Reads the NCP access key and secret key variables (see the module docs).
pub type EnvironmentProvider = imgshare_core::credentials::EnvironmentProvider<Ncloud>;

/// Reads `~/.ncloud/configure`, or the file given to `with_path`.
pub type ConfigFileProvider = ProfileFileProvider<Ncloud>;

/// Temporary keys of the VPC server's Server Role, from the metadata service.
pub type ServerRoleProvider = MetadataProvider<Ncloud>;

/// The default chain: environment, `~/.ncloud/configure`, then the Server Role.
pub fn default_chain() -> CredentialsChain {
    default_chain_with_env(Env::process())
}

/// [`default_chain`], finding variables and the home directory through `env` (tests).
pub fn default_chain_with_env(env: Env) -> CredentialsChain {
    CredentialsChain::new()
        .or_else(EnvironmentProvider::new().with_env(env.clone()))
        .or_else(ConfigFileProvider::new().with_env(env.clone()))
        .or_else(ServerRoleProvider::new().with_env(env))
}
