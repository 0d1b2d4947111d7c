//! SCP v2 credential sources, described by [`Scp`] and [`Terraform`] for the environment and
//! profile-file providers of [`imgshare_core::credentials`], in the default chain's order:
//!
//! 1. `SCP_ACCESS_KEY` / `SCP_SECRET_KEY` (the community SDKs' names);
//! 2. `SCP_TF_ACCESS_KEY` / `SCP_TF_SECRET_KEY` (the official Terraform provider's);
//! 3. `~/.scpconf/credentials.json`, keys `access-key` and `secret-key` (the official
//!    provider's file; `%USERPROFILE%\.scpconf\` on Windows), refused when other users can
//!    write it.
//!
//! A source with nothing passes to the next (an empty variable counts as unset); a half-set
//! pair (one variable without the other) or a file without both keys stops the chain, since
//! falling through to another account's keys would be worse than failing. `~/.scp/` belongs to
//! SCP v1 (other headers, other signature) and is never read. Session tokens (`auth-token`,
//! STS) are not supported by the signer.

use imgshare_core::CredentialsChain;
use imgshare_core::credentials::{
    DescribeEnv, DescribeProfileFile, Env, EnvSpec, FileFormat, ProfileFileSpec,
};

/// Access key variable (community SDKs).
pub const ENV_ACCESS_KEY: &str = "SCP_ACCESS_KEY";
/// Secret key variable (community SDKs).
pub const ENV_SECRET_KEY: &str = "SCP_SECRET_KEY";
/// Access key variable (official Terraform provider).
pub const ENV_TF_ACCESS_KEY: &str = "SCP_TF_ACCESS_KEY";
/// Secret key variable (official Terraform provider).
pub const ENV_TF_SECRET_KEY: &str = "SCP_TF_SECRET_KEY";

/// SCP's credential sources, described for the core providers: the community SDKs' variables
/// and the official provider's `credentials.json`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scp;

/// The official Terraform provider's variables.
#[derive(Debug, Clone, Copy, Default)]
pub struct Terraform;

impl DescribeEnv for Scp {
    const ENV: EnvSpec = EnvSpec {
        source: "environment",
        access_id: &[ENV_ACCESS_KEY],
        secret: &[ENV_SECRET_KEY],
        session_token: &[],
        empty_is_unset: true,
    };
}

impl DescribeEnv for Terraform {
    const ENV: EnvSpec = EnvSpec {
        access_id: &[ENV_TF_ACCESS_KEY],
        secret: &[ENV_TF_SECRET_KEY],
        ..Scp::ENV
    };
}

impl DescribeProfileFile for Scp {
    const PROFILE_FILE: ProfileFileSpec = ProfileFileSpec {
        source: "credentials file",
        path_var: None,
        home_path: ".scpconf/credentials.json",
        system_path: None,
        format: FileFormat::Json,
        access_id: "access-key",
        secret: "secret-key",
        session_token: None,
    };
}

/// Reads `SCP_ACCESS_KEY` / `SCP_SECRET_KEY`.
pub type EnvironmentProvider = imgshare_core::credentials::EnvironmentProvider<Scp>;

/// Reads `SCP_TF_ACCESS_KEY` / `SCP_TF_SECRET_KEY`.
pub type TerraformEnvironmentProvider = imgshare_core::credentials::EnvironmentProvider<Terraform>;

/// Reads `~/.scpconf/credentials.json` (`{"access-key": "…", "secret-key": "…"}`), or the file
/// given to `with_path`.
pub type ProfileFileProvider = imgshare_core::credentials::ProfileFileProvider<Scp>;

/// The default chain: `SCP_*` variables, `SCP_TF_*` variables, then `credentials.json`.
pub fn default_chain() -> CredentialsChain {
    default_chain_with_env(Env::process())
}

/// [`default_chain`], finding variables and the home directory through `env` (tests).
pub fn default_chain_with_env(env: Env) -> CredentialsChain {
    CredentialsChain::new()
        .or_else(EnvironmentProvider::new().with_env(env.clone()))
        .or_else(TerraformEnvironmentProvider::new().with_env(env.clone()))
        .or_else(ProfileFileProvider::new().with_env(env))
}
