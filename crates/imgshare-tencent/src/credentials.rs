//! Tencent credential sources, as the official SDKs read them (tencent.md §6.2):
//! `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY` / optional `TENCENTCLOUD_SESSION_TOKEN`,
//! then the INI profile file `~/.tencentcloud/credentials` (`[default]` with `secret_id`,
//! `secret_key`), whose path `TENCENTCLOUD_CREDENTIALS_FILE` overrides.

use std::path::PathBuf;

use imgshare_core::credentials::BoxFuture;
use imgshare_core::{
    Credentials, CredentialsChain, CredentialsError, ProvideCredentials, SecretString,
};

/// Environment variable holding the SecretId.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// Environment variable holding the SecretKey.
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// Environment variable holding an STS session token (sent as `X-TC-Token`).
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// Environment variable overriding the profile file's path.
pub const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// Environment variable holding the default region (read by the CLI and `Config::from_env`).
pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";

/// Reads credentials from the environment.
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
                self.var(ENV_SESSION_TOKEN).map(SecretString::new),
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
#[derive(Debug, Clone, Default)]
pub struct ProfileFileProvider {
    path: Option<PathBuf>,
}

impl ProfileFileProvider {
    /// `$TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads this file instead.
    pub fn with_path(path: impl Into<PathBuf>) -> Self {
        Self {
            path: Some(path.into()),
        }
    }

    fn path(&self) -> Option<PathBuf> {
        if let Some(p) = &self.path {
            return Some(p.clone());
        }
        if let Some(p) = std::env::var_os(ENV_CREDENTIALS_FILE) {
            return Some(PathBuf::from(p));
        }
        let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
        Some(
            PathBuf::from(home)
                .join(".tencentcloud")
                .join("credentials"),
        )
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let Some(path) = self.path() else {
            return Err(CredentialsError::not_found(
                "profile file",
                "no home directory to look in",
            ));
        };
        let source = format!("profile file {}", path.display());
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

/// The default chain: environment, then the profile file.
pub fn default_chain() -> CredentialsChain {
    CredentialsChain::new()
        .or_else(EnvironmentProvider::new())
        .or_else(ProfileFileProvider::new())
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
        assert_eq!(c.access_id(), "AKIDx");
        assert_eq!(c.session_token().unwrap().expose_secret(), "tok");

        let half = EnvironmentProvider::with_lookup(|k| (k == ENV_SECRET_ID).then(|| "x".into()));
        let err = half.provide_credentials().await.unwrap_err();
        assert!(err.to_string().contains(ENV_SECRET_KEY), "{err}");
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
