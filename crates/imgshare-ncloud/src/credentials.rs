//! NCP credential sources, in the official SDKs' order (ncloud.md §1.6, §6.2):
//!
//! 1. environment: access key `NCLOUD_ACCESS_KEY_ID`, else `NCLOUD_ACCESS_KEY`; secret
//!    `NCLOUD_SECRET_ACCESS_KEY`, else `NCLOUD_SECRET_KEY` (the Go and JS SDKs' order);
//! 2. `~/.ncloud/configure` (`%USERPROFILE%\.ncloud\configure`): `key = value` lines
//!    `ncloud_access_key_id`, `ncloud_secret_access_key`; `#` starts a comment; a value is
//!    everything after the **first** `=` (the Go SDK cuts secrets holding `=`);
//! 3. the Server Role of a VPC server: the metadata service at `http://169.254.169.254`
//!    (`NCLOUD_METADATA_API_ENDPOINT`, as the Go SDK, else `NCLOUD_METADATA_ENDPOINT`, as the
//!    Python and JS SDKs, replace the scheme and host), `GET /latest/meta-data/iam/security-credentials/`
//!    gives role names one per line, `GET …/{role}` gives `{"AccessKeyId", "SecretAccessKey",
//!    "Expiration", "Code", "Message"}`. The keys carry their expiry, so the client's identity
//!    cache fetches new ones shortly before they stop working. No session token is sent.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use imgshare_core::credentials::BoxFuture;
use imgshare_core::{
    Credentials, CredentialsChain, CredentialsError, HttpClient, HttpRequest, Method,
    ProvideCredentials, ReqwestClient, SecretString,
};
use serde::Deserialize;
use url::Url;

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

type Lookup = fn(&str) -> Option<String>;

fn env_var(lookup: Option<Lookup>, name: &str) -> Option<String> {
    match lookup {
        Some(f) => f(name),
        None => std::env::var(name).ok(),
    }
    .filter(|v| !v.is_empty())
}

/// Reads credentials from the environment.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    lookup: Option<Lookup>,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads variables through `lookup` instead (tests).
    pub fn with_lookup(lookup: Lookup) -> Self {
        Self {
            lookup: Some(lookup),
        }
    }

    fn resolve(&self) -> Result<Credentials, CredentialsError> {
        const SOURCE: &str = "environment";
        let var = |n| env_var(self.lookup, n);
        let access = var(ENV_ACCESS_KEY_ID).or_else(|| var(ENV_ACCESS_KEY));
        let secret = var(ENV_SECRET_ACCESS_KEY).or_else(|| var(ENV_SECRET_KEY));
        match (access, secret) {
            (None, None) => Err(CredentialsError::not_found(
                SOURCE,
                format!(
                    "neither {ENV_ACCESS_KEY_ID}/{ENV_ACCESS_KEY} nor \
                     {ENV_SECRET_ACCESS_KEY}/{ENV_SECRET_KEY} is set"
                ),
            )),
            (Some(_), None) => Err(CredentialsError::invalid(
                SOURCE,
                format!(
                    "an access key is set but {ENV_SECRET_ACCESS_KEY} / {ENV_SECRET_KEY} is not"
                ),
            )),
            (None, Some(_)) => Err(CredentialsError::invalid(
                SOURCE,
                format!("a secret key is set but {ENV_ACCESS_KEY_ID} / {ENV_ACCESS_KEY} is not"),
            )),
            (Some(id), Some(key)) => Credentials::new(id, SecretString::new(key), None, SOURCE)
                .map_err(|e| CredentialsError::invalid(SOURCE, e.reason().to_owned())),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let result = self.resolve();
        Box::pin(async move { result })
    }
}

/// Reads `~/.ncloud/configure`.
#[derive(Debug, Clone, Default)]
pub struct ConfigFileProvider {
    path: Option<PathBuf>,
}

impl ConfigFileProvider {
    /// `$HOME/.ncloud/configure` (`%USERPROFILE%` on Windows).
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
        let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
        Some(PathBuf::from(home).join(".ncloud").join("configure"))
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let Some(path) = self.path() else {
            return Err(CredentialsError::not_found(
                "config file",
                "no home directory to look in",
            ));
        };
        let source = format!("config file {}", path.display());
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
        let pairs = parse_configure(&text);
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let (Some(id), Some(key)) = (get("ncloud_access_key_id"), get("ncloud_secret_access_key"))
        else {
            return Err(CredentialsError::invalid(
                source,
                "needs both ncloud_access_key_id and ncloud_secret_access_key",
            ));
        };
        Credentials::new(id, SecretString::new(key), None, "config file")
            .map_err(|e| CredentialsError::invalid(source, e.reason().to_owned()))
    }
}

impl ProvideCredentials for ConfigFileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

/// `key = value` pairs; blank lines, `#`/`;` comments and `[section]` headers skipped; the
/// value is everything after the first `=`, trimmed. The first occurrence of a key wins.
fn parse_configure(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty()
            || line.starts_with('#')
            || line.starts_with(';')
            || line.starts_with('[')
        {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let k = k.trim().to_owned();
            if !out.iter().any(|(key, _)| *key == k) {
                out.push((k, v.trim().to_owned()));
            }
        }
    }
    out
}

/// Temporary keys of the VPC server's Server Role, from the metadata service.
#[derive(Debug, Clone)]
pub struct ServerRoleProvider {
    endpoint: Option<String>,
    lookup: Option<Lookup>,
    http: Option<Arc<dyn HttpClient>>,
    timeout: Duration,
}

impl Default for ServerRoleProvider {
    fn default() -> Self {
        Self {
            endpoint: None,
            lookup: None,
            http: None,
            timeout: Duration::from_secs(2),
        }
    }
}

#[derive(Deserialize)]
struct RoleCredentials {
    #[serde(rename = "AccessKeyId", default)]
    access_key_id: Option<String>,
    #[serde(rename = "SecretAccessKey", default)]
    secret_access_key: Option<String>,
    #[serde(rename = "Expiration", default)]
    expiration: Option<String>,
    #[serde(rename = "Code", default)]
    code: Option<String>,
    #[serde(rename = "Message", default)]
    message: Option<String>,
}

const ROLE_SOURCE: &str = "server role";

impl ServerRoleProvider {
    /// The metadata service named by the environment, else `http://169.254.169.254`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks this metadata endpoint (scheme, host and port) instead.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Reads the endpoint variables through `lookup` (tests).
    pub fn with_lookup(mut self, lookup: Lookup) -> Self {
        self.lookup = Some(lookup);
        self
    }

    /// Uses this HTTP client.
    pub fn with_http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    /// Bounds each metadata request (default 2 s, so machines off NCP fail fast).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn endpoint(&self) -> String {
        self.endpoint
            .clone()
            .or_else(|| env_var(self.lookup, ENV_METADATA_API_ENDPOINT))
            .or_else(|| env_var(self.lookup, ENV_METADATA_ENDPOINT))
            .unwrap_or_else(|| DEFAULT_METADATA_ENDPOINT.to_owned())
    }

    async fn get(&self, http: &dyn HttpClient, url: Url) -> Result<String, CredentialsError> {
        let shown = url.to_string();
        let response = http
            .send(HttpRequest::new(Method::Get, url), Some(self.timeout))
            .await
            .map_err(|e| {
                // No metadata service: not on an NCP VPC server.
                CredentialsError::not_found(
                    ROLE_SOURCE,
                    format!("no metadata service at {shown}: {e}"),
                )
            })?;
        match response.status {
            200 => Ok(String::from_utf8_lossy(&response.body).into_owned()),
            404 => Err(CredentialsError::not_found(
                ROLE_SOURCE,
                format!("{shown} answered 404: no Server Role attached"),
            )),
            s => Err(CredentialsError::unreadable(
                ROLE_SOURCE,
                format!("{shown} answered HTTP {s}"),
            )),
        }
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let endpoint = self.endpoint();
        let base = imgshare_core::binding::parse_endpoint("metadata endpoint", &endpoint)
            .map_err(|e| CredentialsError::invalid(ROLE_SOURCE, e.to_string()))?;
        let list_url = join(&base, SECURITY_CREDENTIALS_PATH)?;
        let http: Arc<dyn HttpClient> = match &self.http {
            Some(h) => h.clone(),
            None => Arc::new(
                ReqwestClient::with_connect_timeout(self.timeout)
                    .map_err(|e| CredentialsError::unreadable(ROLE_SOURCE, e.to_string()))?,
            ),
        };
        let roles = self.get(http.as_ref(), list_url).await?;
        let Some(role) = roles.lines().map(str::trim).find(|l| !l.is_empty()) else {
            return Err(CredentialsError::not_found(
                ROLE_SOURCE,
                "the metadata service lists no Server Role",
            ));
        };
        let role_path = format!(
            "{SECURITY_CREDENTIALS_PATH}{}",
            imgshare_core::binding::encode_label("role", role)
                .map_err(|e| CredentialsError::invalid(ROLE_SOURCE, e.to_string()))?
        );
        let body = self.get(http.as_ref(), join(&base, &role_path)?).await?;
        let parsed: RoleCredentials = serde_json::from_str(&body).map_err(|e| {
            CredentialsError::unreadable(
                ROLE_SOURCE,
                format!("role {role}: not the expected JSON: {e}"),
            )
        })?;
        if let Some(code) = parsed
            .code
            .as_deref()
            .filter(|c| !c.eq_ignore_ascii_case("success"))
        {
            return Err(CredentialsError::invalid(
                ROLE_SOURCE,
                format!(
                    "role {role}: {code}: {}",
                    parsed.message.as_deref().unwrap_or("no message")
                ),
            ));
        }
        let (Some(id), Some(secret)) = (parsed.access_key_id, parsed.secret_access_key) else {
            return Err(CredentialsError::unreadable(
                ROLE_SOURCE,
                format!("role {role}: AccessKeyId or SecretAccessKey is missing"),
            ));
        };
        let mut credentials = Credentials::new(id, SecretString::new(secret), None, ROLE_SOURCE)
            .map_err(|e| CredentialsError::invalid(ROLE_SOURCE, e.reason().to_owned()))?;
        if let Some(expiry) = parsed.expiration.as_deref().and_then(parse_expiration) {
            credentials = credentials.with_expiry(expiry);
        }
        Ok(credentials)
    }
}

fn join(base: &Url, path: &str) -> Result<Url, CredentialsError> {
    let mut url = base.clone();
    let prefix = url.path().trim_end_matches('/').to_owned();
    url.set_path(&format!("{prefix}{path}"));
    Ok(url)
}

fn parse_expiration(text: &str) -> Option<SystemTime> {
    time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
        .ok()
        .or_else(|| crate::types::parse_ncp_time(text))
        .map(SystemTime::from)
}

impl ProvideCredentials for ServerRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

/// The default chain: environment, `~/.ncloud/configure`, then the Server Role.
pub fn default_chain() -> CredentialsChain {
    CredentialsChain::new()
        .or_else(EnvironmentProvider::new())
        .or_else(ConfigFileProvider::new())
        .or_else(ServerRoleProvider::new())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn environment_reads_both_spellings() {
        let p = EnvironmentProvider::with_lookup(|k| match k {
            ENV_ACCESS_KEY => Some("AK2".into()),
            ENV_SECRET_KEY => Some("SK2".into()),
            _ => None,
        });
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(c.access_id(), "AK2");
        let p = EnvironmentProvider::with_lookup(|k| match k {
            ENV_ACCESS_KEY_ID => Some("AK1".into()),
            ENV_ACCESS_KEY => Some("AK2".into()),
            ENV_SECRET_ACCESS_KEY => Some("SK1".into()),
            ENV_SECRET_KEY => Some("SK2".into()),
            _ => None,
        });
        let c = p.provide_credentials().await.unwrap();
        assert_eq!((c.access_id(), c.secret().expose_secret()), ("AK1", "SK1"));
        let half =
            EnvironmentProvider::with_lookup(|k| (k == ENV_ACCESS_KEY_ID).then(|| "x".into()));
        let err = half.provide_credentials().await.unwrap_err();
        assert!(err.to_string().contains(ENV_SECRET_ACCESS_KEY), "{err}");
    }

    #[tokio::test]
    async fn config_file_keeps_equals_signs_in_values() {
        let dir = std::env::temp_dir().join(format!("imgshare-ncloud-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("configure");
        std::fs::write(
            &path,
            "# NCP\n[DEFAULT]\nncloud_access_key_id = AKFILE\nncloud_secret_access_key = s3cr=t==\nncloud_api_url = https://x\n",
        )
        .unwrap();
        let c = ConfigFileProvider::with_path(&path)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_id(), "AKFILE");
        assert_eq!(c.secret().expose_secret(), "s3cr=t==");
        let missing = ConfigFileProvider::with_path(dir.join("absent"))
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
