//! Tencent credential sources, as the official SDKs and tccli read them (tencent.md §6.2).
//!
//! [`default_chain`] tries, in order, and stops at the first source that has credentials:
//!
//! 1. [`EnvironmentProvider`]: `TENCENTCLOUD_SECRET_ID` + `TENCENTCLOUD_SECRET_KEY`, with an
//!    optional session token in `TENCENTCLOUD_TOKEN` (tccli's name) or
//!    `TENCENTCLOUD_SESSION_TOKEN`;
//! 2. [`ProfileFileProvider`]: the `[default]` section (`secret_id`, `secret_key`) of the INI file
//!    named by `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`, else
//!    `/etc/tencentcloud/credentials`;
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

use std::path::PathBuf;

use imgshare_core::credentials::BoxFuture;
use imgshare_core::{
    Credentials, CredentialsChain, CredentialsError, ProvideCredentials, SecretString,
};

mod cvm_role;
pub mod sts;
mod tccli;

pub use cvm_role::{CvmRoleProvider, DEFAULT_METADATA_ENDPOINT, ENV_METADATA_ENDPOINT};
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

/// Reads credentials from the environment: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`
/// and an optional session token, `TENCENTCLOUD_TOKEN` or `TENCENTCLOUD_SESSION_TOKEN` (both set
/// to different values is an error).
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    lookup: Option<fn(&str) -> Option<String>>,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads variables through `lookup` instead (tests).
    pub fn with_lookup(lookup: fn(&str) -> Option<String>) -> Self {
        Self {
            lookup: Some(lookup),
        }
    }

    fn var(&self, name: &str) -> Option<String> {
        match self.lookup {
            Some(f) => f(name),
            None => std::env::var(name).ok(),
        }
    }

    /// The session token: `TENCENTCLOUD_TOKEN`, else `TENCENTCLOUD_SESSION_TOKEN`.
    fn token(&self) -> Result<Option<String>, CredentialsError> {
        let token = self.var(ENV_TOKEN).filter(|t| !t.is_empty());
        let session = self.var(ENV_SESSION_TOKEN).filter(|t| !t.is_empty());
        match (token, session) {
            (Some(a), Some(b)) if a != b => Err(CredentialsError::invalid(
                "environment",
                format!("{ENV_TOKEN} and {ENV_SESSION_TOKEN} are both set, to different values"),
            )),
            (Some(a), _) => Ok(Some(a)),
            (None, b) => Ok(b),
        }
    }

    fn resolve(&self) -> Result<Credentials, CredentialsError> {
        const SOURCE: &str = "environment";
        let id = self.var(ENV_SECRET_ID);
        let key = self.var(ENV_SECRET_KEY);
        match (id, key) {
            (None, None) => Err(CredentialsError::not_found(
                SOURCE,
                format!("{ENV_SECRET_ID} and {ENV_SECRET_KEY} are not set"),
            )),
            (Some(_), None) => Err(CredentialsError::invalid(
                SOURCE,
                format!("{ENV_SECRET_ID} is set but {ENV_SECRET_KEY} is not"),
            )),
            (None, Some(_)) => Err(CredentialsError::invalid(
                SOURCE,
                format!("{ENV_SECRET_KEY} is set but {ENV_SECRET_ID} is not"),
            )),
            (Some(id), Some(key)) => Credentials::new(
                id,
                SecretString::new(key),
                self.token()?.map(SecretString::new),
                SOURCE,
            )
            .map_err(|e| {
                CredentialsError::invalid(
                    SOURCE,
                    format!("{ENV_SECRET_ID}/{ENV_SECRET_KEY}: {}", e.reason()),
                )
            }),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let result = self.resolve();
        Box::pin(async move { result })
    }
}

/// Reads the `[default]` section of the Tencent profile file.
///
/// The file is `$TENCENTCLOUD_CREDENTIALS_FILE` when that is set (then that file only: a missing
/// file is an error, not a reason to fall through to another identity), else the first of
/// `~/.tencentcloud/credentials` and `/etc/tencentcloud/credentials` that exists.
#[derive(Debug, Clone, Default)]
pub struct ProfileFileProvider {
    path: Option<PathBuf>,
}

impl ProfileFileProvider {
    /// The files named above.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads this file instead (a missing file is then "not found").
    pub fn with_path(path: impl Into<PathBuf>) -> Self {
        Self {
            path: Some(path.into()),
        }
    }

    /// The files to try, in order, and whether the first was named explicitly by the variable.
    fn candidates(&self) -> (Vec<PathBuf>, bool) {
        if let Some(p) = &self.path {
            return (vec![p.clone()], false);
        }
        if let Some(p) = std::env::var_os(ENV_CREDENTIALS_FILE).filter(|p| !p.is_empty()) {
            return (vec![PathBuf::from(p)], true);
        }
        let mut paths = Vec::new();
        if let Some(home) = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
        {
            paths.push(
                PathBuf::from(home)
                    .join(".tencentcloud")
                    .join("credentials"),
            );
        }
        paths.push(PathBuf::from(SYSTEM_CREDENTIALS_FILE));
        (paths, false)
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let (candidates, named_by_env) = self.candidates();
        let mut found = None;
        for path in &candidates {
            let source = format!("profile file {}", path.display());
            match imgshare_core::credentials::read_file_off_thread(path.clone()).await {
                Ok(Some(text)) => {
                    found = Some((source, text));
                    break;
                }
                Ok(None) if named_by_env => {
                    return Err(CredentialsError::invalid(
                        source,
                        format!("{ENV_CREDENTIALS_FILE} names this file, which does not exist"),
                    ));
                }
                Ok(None) => {}
                Err(e) => return Err(CredentialsError::unreadable(source, e.to_string())),
            }
        }
        let Some((source, text)) = found else {
            let tried: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
            return Err(CredentialsError::not_found(
                "profile file",
                format!("none of {} exists", tried.join(", ")),
            ));
        };
        let section = parse_ini_section(&text, "default");
        let get = |k: &str| {
            section
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let (Some(id), Some(key)) = (get("secret_id"), get("secret_key")) else {
            return Err(CredentialsError::invalid(
                source,
                "the [default] section needs both secret_id and secret_key",
            ));
        };
        Credentials::new(id, SecretString::new(key), None, "profile file")
            .map_err(|e| CredentialsError::invalid(source, e.reason().to_owned()))
    }
}

impl ProvideCredentials for ProfileFileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

/// `key = value` pairs of one `[section]` of an INI file; `#` and `;` start comments.
fn parse_ini_section(text: &str, wanted: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_section = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_section = name.trim() == wanted;
            continue;
        }
        if in_section && let Some((k, v)) = line.split_once('=') {
            out.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    out
}

/// The default chain, as the Python SDK orders it: environment, profile file, CVM instance
/// role, TKE OIDC (see the module docs).
pub fn default_chain() -> CredentialsChain {
    CredentialsChain::new()
        .or_else(EnvironmentProvider::new())
        .or_else(ProfileFileProvider::new())
        .or_else(CvmRoleProvider::new())
        .or_else(WebIdentityProvider::from_env())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn environment_reads_the_official_variables() {
        let p = EnvironmentProvider::with_lookup(|k| match k {
            ENV_SECRET_ID => Some("AKIDx".into()),
            ENV_SECRET_KEY => Some("key".into()),
            ENV_SESSION_TOKEN => Some("tok".into()),
            _ => None,
        });
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(c.session_token().unwrap().expose_secret(), "tok");

        let p = EnvironmentProvider::with_lookup(|k| match k {
            ENV_SECRET_ID => Some("AKIDx".into()),
            ENV_SECRET_KEY => Some("key".into()),
            ENV_TOKEN => Some("tok".into()),
            _ => None,
        });
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(c.access_id(), "AKIDx");
        assert_eq!(c.session_token().unwrap().expose_secret(), "tok");

        let half = EnvironmentProvider::with_lookup(|k| (k == ENV_SECRET_ID).then(|| "x".into()));
        let err = half.provide_credentials().await.unwrap_err();
        assert!(err.to_string().contains(ENV_SECRET_KEY), "{err}");

        let both = EnvironmentProvider::with_lookup(|k| match k {
            ENV_SECRET_ID => Some("AKIDx".into()),
            ENV_SECRET_KEY => Some("key".into()),
            ENV_TOKEN => Some("one".into()),
            ENV_SESSION_TOKEN => Some("two".into()),
            _ => None,
        });
        let err = both.provide_credentials().await.unwrap_err();
        assert!(err.to_string().contains("different values"), "{err}");
        assert!(!err.to_string().contains("one"), "{err}");
    }

    #[tokio::test]
    async fn profile_file_reads_default_section() {
        let dir = std::env::temp_dir().join(format!("imgshare-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("credentials");
        std::fs::write(
            &path,
            "[other]\nsecret_id = no\nsecret_key = no\n\n[default]\n# comment\nsecret_id = AKIDp\nsecret_key = pkey\n",
        )
        .unwrap();
        let c = ProfileFileProvider::with_path(&path)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_id(), "AKIDp");
        assert_eq!(c.secret().expose_secret(), "pkey");

        std::fs::write(&path, "[default]\nsecret_id = AKIDp\n").unwrap();
        let err = ProfileFileProvider::with_path(&path)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("secret_key"), "{err}");
        let missing = ProfileFileProvider::with_path(dir.join("absent"))
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(
            missing.kind(),
            &imgshare_core::CredentialsErrorKind::NotFound
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
