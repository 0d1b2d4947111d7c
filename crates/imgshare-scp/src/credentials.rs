//! SCP v2 credential sources, in the default chain's order:
//!
//! 1. `SCP_ACCESS_KEY` / `SCP_SECRET_KEY` (the community SDKs' names);
//! 2. `SCP_TF_ACCESS_KEY` / `SCP_TF_SECRET_KEY` (the official Terraform provider's);
//! 3. `~/.scpconf/credentials.json`, keys `access-key` and `secret-key` (the official
//!    provider's file; `%USERPROFILE%\.scpconf\` on Windows).
//!
//! A source with nothing passes to the next; a half-set pair (one variable without the other)
//! or a file without both keys stops the chain, since falling through to another account's keys
//! would be worse than failing. `~/.scp/` belongs to SCP v1 (other headers, other signature) and
//! is never read. Session tokens (`auth-token`, STS) are not supported by the signer.

use std::path::PathBuf;

use imgshare_core::credentials::BoxFuture;
use imgshare_core::{
    Credentials, CredentialsChain, CredentialsError, ProvideCredentials, SecretString,
};
use serde::Deserialize;

/// Access key variable (community SDKs).
pub const ENV_ACCESS_KEY: &str = "SCP_ACCESS_KEY";
/// Secret key variable (community SDKs).
pub const ENV_SECRET_KEY: &str = "SCP_SECRET_KEY";
/// Access key variable (official Terraform provider).
pub const ENV_TF_ACCESS_KEY: &str = "SCP_TF_ACCESS_KEY";
/// Secret key variable (official Terraform provider).
pub const ENV_TF_SECRET_KEY: &str = "SCP_TF_SECRET_KEY";

/// `~/.scpconf` (or `%USERPROFILE%\.scpconf`), where the official provider keeps its files.
pub fn scpconf_dir() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var_os("USERPROFILE").filter(|h| !h.is_empty()))?;
    Some(PathBuf::from(home).join(".scpconf"))
}

/// Reads one pair of access-key / secret-key variables.
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    access_key_var: &'static str,
    secret_key_var: &'static str,
    lookup: Option<fn(&str) -> Option<String>>,
}

impl EnvironmentProvider {
    /// `SCP_ACCESS_KEY` / `SCP_SECRET_KEY`.
    pub fn new() -> Self {
        Self::with_names(ENV_ACCESS_KEY, ENV_SECRET_KEY)
    }

    /// `SCP_TF_ACCESS_KEY` / `SCP_TF_SECRET_KEY`.
    pub fn terraform() -> Self {
        Self::with_names(ENV_TF_ACCESS_KEY, ENV_TF_SECRET_KEY)
    }

    /// Another pair of variable names.
    pub fn with_names(access_key_var: &'static str, secret_key_var: &'static str) -> Self {
        Self {
            access_key_var,
            secret_key_var,
            lookup: None,
        }
    }

    /// Reads variables through `lookup` instead of the process environment (tests).
    pub fn with_lookup(mut self, lookup: fn(&str) -> Option<String>) -> Self {
        self.lookup = Some(lookup);
        self
    }

    fn var(&self, name: &str) -> Option<String> {
        match self.lookup {
            Some(f) => f(name),
            None => std::env::var(name).ok(),
        }
        .filter(|v| !v.is_empty())
    }

    fn resolve(&self) -> Result<Credentials, CredentialsError> {
        const SOURCE: &str = "environment";
        let (ak, sk) = (self.access_key_var, self.secret_key_var);
        match (self.var(ak), self.var(sk)) {
            (None, None) => Err(CredentialsError::not_found(
                SOURCE,
                format!("{ak} and {sk} are not set"),
            )),
            (Some(_), None) => Err(CredentialsError::invalid(
                SOURCE,
                format!("{ak} is set but {sk} is not"),
            )),
            (None, Some(_)) => Err(CredentialsError::invalid(
                SOURCE,
                format!("{sk} is set but {ak} is not"),
            )),
            (Some(id), Some(key)) => Credentials::new(id, SecretString::new(key), None, SOURCE)
                .map_err(|e| {
                    CredentialsError::invalid(SOURCE, format!("{ak}/{sk}: {}", e.reason()))
                }),
        }
    }
}

impl Default for EnvironmentProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let result = self.resolve();
        Box::pin(async move { result })
    }
}

/// `credentials.json` of the official provider.
#[derive(Deserialize)]
struct CredentialsFile {
    #[serde(rename = "access-key")]
    access_key: Option<String>,
    #[serde(rename = "secret-key")]
    secret_key: Option<String>,
}

/// Reads `~/.scpconf/credentials.json` (`{"access-key": "…", "secret-key": "…"}`).
#[derive(Debug, Clone, Default)]
pub struct ProfileFileProvider {
    path: Option<PathBuf>,
}

impl ProfileFileProvider {
    /// `~/.scpconf/credentials.json`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads this file instead.
    pub fn with_path(path: impl Into<PathBuf>) -> Self {
        Self {
            path: Some(path.into()),
        }
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let path = match &self.path {
            Some(p) => p.clone(),
            None => match scpconf_dir() {
                Some(dir) => dir.join("credentials.json"),
                None => {
                    return Err(CredentialsError::not_found(
                        "credentials file",
                        "no home directory to look in",
                    ));
                }
            },
        };
        let source = format!("credentials file {}", path.display());
        let text = match imgshare_core::credentials::read_file_off_thread(path).await {
            Ok(Some(t)) => t,
            Ok(None) => {
                return Err(CredentialsError::not_found(
                    source,
                    "the file does not exist",
                ));
            }
            Err(e) => return Err(CredentialsError::unreadable(source, e.to_string())),
        };
        // serde_json's messages quote no input, so a secret never lands in the error.
        let file: CredentialsFile = serde_json::from_str(&text).map_err(|e| {
            CredentialsError::invalid(
                source.clone(),
                format!(
                    "not a JSON object with access-key and secret-key (line {})",
                    e.line()
                ),
            )
        })?;
        let (Some(ak), Some(sk)) = (
            file.access_key.filter(|v| !v.is_empty()),
            file.secret_key.filter(|v| !v.is_empty()),
        ) else {
            return Err(CredentialsError::invalid(
                source,
                "needs both access-key and secret-key",
            ));
        };
        Credentials::new(ak, SecretString::new(sk), None, "credentials file")
            .map_err(|e| CredentialsError::invalid(source, e.reason().to_owned()))
    }
}

impl ProvideCredentials for ProfileFileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

/// The default chain: `SCP_*` variables, `SCP_TF_*` variables, then `credentials.json`.
pub fn default_chain() -> CredentialsChain {
    CredentialsChain::new()
        .or_else(EnvironmentProvider::new())
        .or_else(EnvironmentProvider::terraform())
        .or_else(ProfileFileProvider::new())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn environment_pairs() {
        let p = EnvironmentProvider::terraform().with_lookup(|k| match k {
            ENV_TF_ACCESS_KEY => Some("ak".into()),
            ENV_TF_SECRET_KEY => Some("sk-secret".into()),
            _ => None,
        });
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(c.access_id(), "ak");
        let half =
            EnvironmentProvider::new().with_lookup(|k| (k == ENV_ACCESS_KEY).then(|| "x".into()));
        let err = half.provide_credentials().await.unwrap_err();
        assert!(err.to_string().contains(ENV_SECRET_KEY), "{err}");
        assert_eq!(err.kind(), &imgshare_core::CredentialsErrorKind::Invalid);
    }

    #[tokio::test]
    async fn credentials_json() {
        let dir = std::env::temp_dir().join(format!("imgshare-scp-cred-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("credentials.json");
        std::fs::write(
            &path,
            r#"{"access-key":"b754b12b39da4ce29a40c5e324650bd0","secret-key":"very-secret-value","auth-token":""}"#,
        )
        .unwrap();
        let c = ProfileFileProvider::with_path(&path)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_id(), "b754b12b39da4ce29a40c5e324650bd0");
        assert!(!format!("{c:?}").contains("very-secret-value"));

        std::fs::write(&path, r#"{"access-key":"a"}"#).unwrap();
        let err = ProfileFileProvider::with_path(&path)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("secret-key"), "{err}");

        std::fs::write(
            &path,
            r#"{"access-key":"a","secret-key":"very-secret-value""#,
        )
        .unwrap();
        let err = ProfileFileProvider::with_path(&path)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(!err.to_string().contains("very-secret-value"), "{err}");

        let missing = ProfileFileProvider::with_path(dir.join("absent.json"))
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
