//! The CAM role bound to a CVM instance, read from the instance metadata service (tencent.md
//! §6.2): `GET <endpoint>cam/security-credentials/` names the role (404: no role bound), then
//! `GET <endpoint>cam/security-credentials/<role>` returns `TmpSecretId`, `TmpSecretKey`,
//! `Token`, `ExpiredTime` (Unix seconds) and `Code` (`Success`).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imgshare_core::credentials::BoxFuture;
use imgshare_core::http::HttpErrorKind;
use imgshare_core::{
    Credentials, CredentialsError, HttpClient, HttpRequest, HttpResponse, Method,
    ProvideCredentials, ReqwestClient, SecretString,
};
use serde::Deserialize;
use url::Url;

/// The metadata service's base URL on a CVM instance.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://metadata.tencentyun.com/latest/meta-data/";
/// Environment variable overriding the metadata base URL (this SDK's own, for tests and
/// proxies; the official SDKs have no such variable).
pub const ENV_METADATA_ENDPOINT: &str = "IMGSHARE_TENCENT_METADATA_ENDPOINT";

const SOURCE: &str = "cvm instance role";

/// Temporary credentials of the CAM role bound to this CVM instance.
///
/// Off a CVM instance the metadata host does not resolve or answer, and the provider reports
/// "not found" within [`CvmRoleProvider::timeout`] (1 second by default), so a chain moves on.
/// The credentials carry their `ExpiredTime`; the client's identity cache asks again 5 minutes
/// before it.
#[derive(Debug, Clone)]
pub struct CvmRoleProvider {
    endpoint: Option<String>,
    role_name: Option<String>,
    http: Option<Arc<dyn HttpClient>>,
    timeout: Duration,
}

impl Default for CvmRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Deserialize)]
struct RoleCredentials {
    #[serde(rename = "TmpSecretId")]
    tmp_secret_id: String,
    #[serde(rename = "TmpSecretKey")]
    tmp_secret_key: String,
    #[serde(rename = "Token", default)]
    token: String,
    #[serde(rename = "ExpiredTime")]
    expired_time: u64,
    #[serde(rename = "Code", default)]
    code: Option<String>,
}

impl CvmRoleProvider {
    /// Reads `$IMGSHARE_TENCENT_METADATA_ENDPOINT`, else the standard metadata URL, and asks it
    /// for the bound role's name.
    pub fn new() -> Self {
        Self {
            endpoint: None,
            role_name: None,
            http: None,
            timeout: Duration::from_secs(1),
        }
    }

    /// Asks this metadata base URL (`http://127.0.0.1:PORT/latest/meta-data/` in tests).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Uses this role name instead of asking the metadata service for it.
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        self.role_name = Some(name.into());
        self
    }

    /// Sends with this HTTP client.
    pub fn http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    /// The time limit of each metadata request (default 1 second).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn base(&self) -> Result<Url, CredentialsError> {
        let text = match &self.endpoint {
            Some(e) => e.clone(),
            None => std::env::var(ENV_METADATA_ENDPOINT)
                .ok()
                .filter(|e| !e.is_empty())
                .unwrap_or_else(|| DEFAULT_METADATA_ENDPOINT.to_owned()),
        };
        let text = if text.ends_with('/') {
            text
        } else {
            format!("{text}/")
        };
        Url::parse(&text).map_err(|e| {
            CredentialsError::invalid(SOURCE, format!("bad metadata endpoint {text:?}: {e}"))
        })
    }

    async fn get(&self, http: &dyn HttpClient, url: Url) -> Result<HttpResponse, CredentialsError> {
        let shown = url.to_string();
        match http
            .send(HttpRequest::new(Method::Get, url), Some(self.timeout))
            .await
        {
            Ok(response) => Ok(response),
            // Off a CVM instance: the host does not resolve, refuses, or never answers.
            Err(e) if matches!(e.kind(), HttpErrorKind::Connect | HttpErrorKind::Timeout) => {
                Err(CredentialsError::not_found(
                    SOURCE,
                    format!(
                        "the metadata service {shown} did not answer (not a CVM instance?): {e}"
                    ),
                ))
            }
            Err(e) => Err(CredentialsError::unreadable(
                SOURCE,
                format!("{shown}: {e}"),
            )),
        }
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let base = self.base()?;
        let client;
        let http: &dyn HttpClient = match &self.http {
            Some(h) => h.as_ref(),
            None => {
                client = ReqwestClient::with_connect_timeout(self.timeout).map_err(|e| {
                    CredentialsError::unreadable(SOURCE, format!("no HTTP client: {e}"))
                })?;
                &client
            }
        };
        let listing = join(&base, &["cam", "security-credentials", ""])?;
        let role = match &self.role_name {
            Some(r) => r.clone(),
            None => {
                let response = self.get(http, listing).await?;
                match response.status {
                    200 => {}
                    404 => {
                        return Err(CredentialsError::not_found(
                            SOURCE,
                            "no CAM role is bound to this instance",
                        ));
                    }
                    s => {
                        return Err(CredentialsError::unreadable(
                            SOURCE,
                            format!("the metadata service answered HTTP {s} for the role name"),
                        ));
                    }
                }
                let text = String::from_utf8_lossy(&response.body);
                match text.lines().map(str::trim).find(|l| !l.is_empty()) {
                    Some(name) => name.to_owned(),
                    None => {
                        return Err(CredentialsError::not_found(
                            SOURCE,
                            "no CAM role is bound to this instance",
                        ));
                    }
                }
            }
        };
        let url = join(&base, &["cam", "security-credentials", &role])?;
        let response = self.get(http, url).await?;
        if response.status != 200 {
            return Err(CredentialsError::unreadable(
                SOURCE,
                format!(
                    "the metadata service answered HTTP {} for role {role:?}",
                    response.status
                ),
            ));
        }
        let parsed: RoleCredentials = serde_json::from_slice(&response.body).map_err(|e| {
            CredentialsError::unreadable(
                SOURCE,
                format!("unexpected credentials document for role {role:?}: {e}"),
            )
        })?;
        if let Some(code) = parsed.code.as_deref().filter(|c| *c != "Success") {
            return Err(CredentialsError::unreadable(
                SOURCE,
                format!("the metadata service answered Code {code:?} for role {role:?}"),
            ));
        }
        let expiry = expiry_from_unix(parsed.expired_time);
        Ok(Credentials::new(
            parsed.tmp_secret_id,
            SecretString::new(parsed.tmp_secret_key),
            Some(SecretString::new(parsed.token)),
            SOURCE,
        )?
        .with_expiry(expiry))
    }
}

impl ProvideCredentials for CvmRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

/// `ExpiredTime` (Unix seconds) as a `SystemTime`.
pub(crate) fn expiry_from_unix(secs: u64) -> SystemTime {
    UNIX_EPOCH
        .checked_add(Duration::from_secs(secs))
        .unwrap_or(UNIX_EPOCH)
}

/// `base` with path segments appended (an empty last segment keeps a trailing slash).
fn join(base: &Url, segments: &[&str]) -> Result<Url, CredentialsError> {
    let mut url = base.clone();
    {
        let mut path = url.path_segments_mut().map_err(|()| {
            CredentialsError::invalid(SOURCE, format!("bad metadata endpoint {base}"))
        })?;
        path.pop_if_empty();
        path.extend(segments);
    }
    Ok(url)
}
