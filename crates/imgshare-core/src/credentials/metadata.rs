//! Temporary credentials of the role bound to a virtual machine, from the cloud's instance
//! metadata service, described by data: where the service is, where the role and its keys are,
//! and which JSON fields hold what.
//!
//! The exchange is the one Tencent's CVM and NCP's VPC servers share: `GET <base>/<path>` lists
//! the bound role (404 or an empty list: none), `GET <base>/<path><role>` answers a JSON object
//! with the keys, their expiry and perhaps a status code. Requests never go through a proxy:
//! the service answers only on the machine's own link, and a proxy would hand the keys to a
//! third party.

use std::fmt;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use url::{Host, Url};

use super::{BoxFuture, Credentials, CredentialsError, Env, ProvideCredentials};
use crate::http::{HttpClient, HttpErrorKind, HttpRequest, HttpResponse, Method, ReqwestClient};
use crate::secret::SecretString;

/// How the expiry field is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryFormat {
    /// Unix seconds, as a JSON number or a string of digits (Tencent's `ExpiredTime`).
    UnixSeconds,
    /// RFC 3339 (`2025-06-20T09:59:39Z`); an offset without a colon (`+0900`) is accepted too,
    /// as NCP writes its dates.
    Rfc3339,
}

/// How the role name is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleName {
    /// The first non-empty line of the listing at [`MetadataSpec::path`].
    FirstListed,
    /// Always this one.
    Fixed(&'static str),
}

/// A session token to fetch first and send with every request (the IMDSv2 scheme):
/// `PUT <base>/<path>` with `ttl_header: ttl_seconds` answers the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetadataSession {
    /// Where the token is issued, relative to the base URL.
    pub path: &'static str,
    /// The header asking for the token's lifetime.
    pub ttl_header: &'static str,
    /// The lifetime asked for.
    pub ttl_seconds: u32,
    /// The header carrying the token on the following requests.
    pub header: &'static str,
}

/// Where a provider's metadata service is and what it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetadataSpec {
    /// The source named in errors and in [`Credentials::source`].
    pub source: &'static str,
    /// The base URL of the metadata service.
    pub endpoint: &'static str,
    /// Variables overriding `endpoint`, tried in order; see [`MetadataProvider::with_endpoint`]
    /// for what an override may be.
    pub endpoint_vars: &'static [&'static str],
    /// The role listing and the parent of each role's document, relative to the base URL's
    /// path; ends with `/`.
    pub path: &'static str,
    /// How the role name is found.
    pub role: RoleName,
    /// The field holding the access id.
    pub access_id: &'static str,
    /// The field holding the secret.
    pub secret: &'static str,
    /// The field holding the session token, if the service sends one.
    pub session_token: Option<&'static str>,
    /// The field holding the expiry.
    pub expiry: &'static str,
    /// How the expiry is written.
    pub expiry_format: ExpiryFormat,
    /// A status field and its success value (compared ignoring case); any other value is an
    /// error quoting the `message` field.
    pub status: Option<(&'static str, &'static str)>,
    /// The field explaining a failed status.
    pub message: Option<&'static str>,
    /// Why there are no credentials when no role is bound ("no CAM role is bound to this
    /// instance").
    pub no_role: &'static str,
    /// A hint when nothing answers ("not a CVM instance?").
    pub off_platform: &'static str,
    /// The default time limit of each request: short, because off the platform nothing answers
    /// and a chain waits for this before trying its next source.
    pub timeout: Duration,
    /// A session token to fetch first, if the service wants one.
    pub session: Option<MetadataSession>,
}

/// A provider's description of its metadata service; implemented by a marker type per
/// provider, so `MetadataProvider<Marker>::new()` needs no arguments.
pub trait DescribeMetadata: Send + Sync + 'static {
    /// The service.
    const METADATA: MetadataSpec;
}

/// Temporary credentials from the metadata service described by `D` (see [`MetadataSpec`]).
///
/// Off the platform the service does not answer and the provider reports "not found" within
/// the timeout, so a chain moves on; no role bound is "not found" too. The credentials carry
/// their expiry, and a client's identity cache asks again shortly before it.
pub struct MetadataProvider<D> {
    endpoint: Option<String>,
    role_name: Option<String>,
    http: Option<Arc<dyn HttpClient>>,
    timeout: Duration,
    env: Env,
    describe: PhantomData<fn() -> D>,
}

impl<D: DescribeMetadata> MetadataProvider<D> {
    /// The service at the spec's endpoint, or at the one its variables name.
    pub fn new() -> Self {
        Self {
            endpoint: None,
            role_name: None,
            http: None,
            timeout: D::METADATA.timeout,
            env: Env::process(),
            describe: PhantomData,
        }
    }

    /// Asks this base URL instead. Like an override from the environment, it must be `http` to
    /// a loopback or link-local address (`http://127.0.0.1:PORT/…` in tests, `169.254.x.x`), or
    /// `https` to any host, without user info: anything else could send the keys' request, or
    /// the keys, across a network in clear.
    pub fn with_endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Uses this role name instead of asking the service for it.
    pub fn with_role_name(mut self, name: impl Into<String>) -> Self {
        self.role_name = Some(name.into());
        self
    }

    /// Sends with this HTTP client. The default one never uses a proxy; this one is used as
    /// it is.
    pub fn with_http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    /// The time limit of each request (default: the spec's).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Reads the endpoint variables from `env` instead (tests).
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    fn error(reason: impl Into<String>) -> CredentialsError {
        CredentialsError::unreadable(D::METADATA.source, reason)
    }

    /// The base URL: the explicit one, else the first endpoint variable set, else the spec's.
    fn base(&self) -> Result<Url, CredentialsError> {
        let spec = D::METADATA;
        let from_env = || {
            spec.endpoint_vars.iter().find_map(|&name| {
                let value = self.env.var(name).filter(|v| !v.trim().is_empty())?;
                Some((name, value))
            })
        };
        let (text, setting) = match (&self.endpoint, from_env()) {
            (Some(url), _) => (url.clone(), Some("the metadata endpoint")),
            (None, Some((name, value))) => (value, Some(name)),
            (None, None) => (spec.endpoint.to_owned(), None),
        };
        // The text is not quoted in errors: it may hold user info.
        let invalid = |reason: String| {
            let setting = setting.unwrap_or("the default metadata endpoint");
            CredentialsError::invalid(spec.source, format!("{setting}: {reason}"))
        };
        let url = crate::binding::parse_endpoint("metadata endpoint", text.trim())
            .map_err(|e| invalid(e.message().to_owned()))?;
        if setting.is_some() {
            check_override(&url).map_err(invalid)?;
        }
        Ok(url)
    }

    async fn send(
        &self,
        http: &dyn HttpClient,
        request: HttpRequest,
    ) -> Result<HttpResponse, CredentialsError> {
        let shown = request.url.to_string();
        http.send(request, Some(self.timeout)).await.map_err(|e| {
            if matches!(e.kind(), HttpErrorKind::Connect | HttpErrorKind::Timeout) {
                CredentialsError::not_found(
                    D::METADATA.source,
                    format!(
                        "the metadata service at {shown} did not answer ({}): {e}",
                        D::METADATA.off_platform
                    ),
                )
            } else {
                Self::error(format!("{shown}: {e}"))
            }
        })
    }

    /// `GET url` with the session header, if any.
    async fn get(
        &self,
        http: &dyn HttpClient,
        url: Url,
        session: Option<&(&'static str, String)>,
    ) -> Result<HttpResponse, CredentialsError> {
        let mut request = HttpRequest::new(Method::Get, url);
        if let Some((header, token)) = session {
            request = request.with_header(*header, token.clone());
        }
        self.send(http, request).await
    }

    async fn session(
        &self,
        http: &dyn HttpClient,
        base: &Url,
    ) -> Result<Option<(&'static str, String)>, CredentialsError> {
        let Some(session) = D::METADATA.session else {
            return Ok(None);
        };
        let request = HttpRequest::new(Method::Put, join(base, session.path))
            .with_header(session.ttl_header, session.ttl_seconds.to_string());
        let response = self.send(http, request).await?;
        let token = String::from_utf8_lossy(&response.body).trim().to_owned();
        if response.status != 200 || token.is_empty() {
            return Err(Self::error(format!(
                "the metadata service answered HTTP {} and no session token",
                response.status
            )));
        }
        Ok(Some((session.header, token)))
    }

    async fn role(
        &self,
        http: &dyn HttpClient,
        base: &Url,
        session: Option<&(&'static str, String)>,
    ) -> Result<String, CredentialsError> {
        let spec = D::METADATA;
        if let Some(name) = &self.role_name {
            return Ok(name.clone());
        }
        if let RoleName::Fixed(name) = spec.role {
            return Ok(name.to_owned());
        }
        let response = self.get(http, join(base, spec.path), session).await?;
        let no_role = || CredentialsError::not_found(spec.source, spec.no_role);
        match response.status {
            200 => {}
            404 => return Err(no_role()),
            status => {
                return Err(Self::error(format!(
                    "the metadata service answered HTTP {status} for the role name"
                )));
            }
        }
        let text = String::from_utf8_lossy(&response.body);
        let name = text.lines().map(str::trim).find(|l| !l.is_empty());
        name.map(str::to_owned).ok_or_else(no_role)
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let spec = D::METADATA;
        let base = self.base()?;
        let client;
        let http: &dyn HttpClient = match &self.http {
            Some(http) => http.as_ref(),
            None => {
                client = ReqwestClient::without_proxy(self.timeout)
                    .map_err(|e| Self::error(format!("no HTTP client: {e}")))?;
                &client
            }
        };
        let session = self.session(http, &base).await?;
        let role = self.role(http, &base, session.as_ref()).await?;
        let label = crate::binding::encode_label("role", &role)
            .map_err(|e| CredentialsError::invalid(spec.source, e.to_string()))?;
        let url = join(&base, &format!("{}{label}", spec.path));
        let response = self.get(http, url, session.as_ref()).await?;
        if response.status != 200 {
            return Err(Self::error(format!(
                "the metadata service answered HTTP {} for role {role:?}",
                response.status
            )));
        }
        read_document(&spec, &response.body)
            .map_err(|reason| Self::error(format!("role {role:?}: {reason}")))
    }
}

/// The credentials in a role's document, or why there are none. The reason quotes no secret.
fn read_document(spec: &MetadataSpec, body: &[u8]) -> Result<Credentials, String> {
    // serde_json's syntax errors say where, never what.
    let doc: Value = serde_json::from_slice(body).map_err(|e| {
        format!(
            "the answer is not JSON (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let Some(object) = doc.as_object() else {
        return Err("the answer is not a JSON object".to_owned());
    };
    let text = |field: &str| crate::decode::json_text(&doc, field);
    if let Some((field, success)) = spec.status
        && let Some(status) = text(field)
        && !status.eq_ignore_ascii_case(success)
    {
        let message = spec.message.and_then(text).unwrap_or("no message");
        return Err(format!(
            "the metadata service answered {field} {status:?}: {message}"
        ));
    }
    let (Some(id), Some(secret)) = (text(spec.access_id), text(spec.secret)) else {
        return Err(format!(
            "the answer lacks {} or {}",
            spec.access_id, spec.secret
        ));
    };
    let expiry = expiry(object, spec.expiry, spec.expiry_format)?;
    let token = spec.session_token.and_then(text).map(SecretString::new);
    let credentials = Credentials::new(id, SecretString::new(secret), token, spec.source)
        .map_err(|e| e.reason().to_owned())?;
    Ok(credentials.with_expiry(expiry))
}

/// The expiry field as a time. Temporary keys without one would be cached past their end.
fn expiry(
    doc: &Map<String, Value>,
    field: &str,
    format: ExpiryFormat,
) -> Result<SystemTime, String> {
    let value = doc.get(field);
    let parsed = match format {
        ExpiryFormat::UnixSeconds => value
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()))
            .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs))),
        ExpiryFormat::Rfc3339 => value.and_then(Value::as_str).and_then(parse_rfc3339),
    };
    parsed.ok_or_else(|| format!("{field} is missing or not {format:?}"))
}

fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    use time::OffsetDateTime;
    let text = text.trim();
    let compact_offset = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]][offset_hour sign:mandatory][offset_minute]"
    );
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .or_else(|_| OffsetDateTime::parse(text, &compact_offset))
        .ok()
        .map(SystemTime::from)
}

/// `base` with `path` appended to its path (whatever slashes either has at the seam).
fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    url.set_path(&format!("{prefix}/{}", path.trim_start_matches('/')));
    url
}

/// An overridden endpoint must not carry the keys across a network in clear: `http` only to a
/// loopback or link-local host (where the real services live), `https` to any.
fn check_override(url: &Url) -> Result<(), String> {
    if url.scheme() == "https" {
        return Ok(());
    }
    let local = match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback() || ip.is_link_local(),
        Some(Host::Ipv6(ip)) => ip.is_loopback() || ip.is_unicast_link_local(),
        Some(Host::Domain(name)) => {
            name.eq_ignore_ascii_case("localhost")
                || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        None => false,
    };
    if local {
        Ok(())
    } else {
        Err(format!(
            "http is allowed only to a loopback or link-local address (127.0.0.1, [::1], \
             169.254.x.x, [fe80::…]), and {} is neither: use https for any other host",
            url.host_str().unwrap_or("the host")
        ))
    }
}

impl<D: DescribeMetadata> Default for MetadataProvider<D> {
    fn default() -> Self {
        Self::new()
    }
}

impl<D> Clone for MetadataProvider<D> {
    fn clone(&self) -> Self {
        Self {
            endpoint: self.endpoint.clone(),
            role_name: self.role_name.clone(),
            http: self.http.clone(),
            timeout: self.timeout,
            env: self.env.clone(),
            describe: PhantomData,
        }
    }
}

impl<D: DescribeMetadata> fmt::Debug for MetadataProvider<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetadataProvider")
            .field("source", &D::METADATA.source)
            .field("endpoint", &self.endpoint)
            .field("role_name", &self.role_name)
            .field("timeout", &self.timeout)
            .field("env", &self.env)
            .finish_non_exhaustive()
    }
}

impl<D: DescribeMetadata> ProvideCredentials for MetadataProvider<D> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn check(text: &str) -> Result<(), String> {
        check_override(&Url::parse(text).unwrap())
    }

    #[test]
    fn overrides_are_local_http_or_https() {
        for ok in [
            "http://127.0.0.1:8080/latest/",
            "http://127.9.9.9",
            "http://[::1]:1/",
            "http://169.254.169.254",
            "http://[fe80::1]/",
            "http://localhost:9/",
            "https://metadata.example.com/",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        // Catches an override that would send the keys' request in clear across a network.
        for bad in [
            "http://metadata.example.com/",
            "http://10.0.0.1/",
            "http://[2001:db8::1]/",
            "http://169.255.0.1/",
        ] {
            let err = check(bad).unwrap_err();
            assert!(err.contains("use https"), "{bad}: {err}");
        }
    }

    #[test]
    fn join_keeps_one_slash_at_the_seam() {
        let base = Url::parse("http://h/latest/meta-data/").unwrap();
        assert_eq!(
            join(&base, "cam/security-credentials/").as_str(),
            "http://h/latest/meta-data/cam/security-credentials/"
        );
        let bare = Url::parse("http://h").unwrap();
        assert_eq!(
            join(&bare, "/latest/x/role").as_str(),
            "http://h/latest/x/role"
        );
    }

    #[test]
    fn expiry_formats() {
        let doc = |v: Value| {
            let mut m = Map::new();
            m.insert("E".into(), v);
            m
        };
        let at = |secs| UNIX_EPOCH + Duration::from_secs(secs);
        let unix = |v| expiry(&doc(v), "E", ExpiryFormat::UnixSeconds);
        let rfc = |v| expiry(&doc(v), "E", ExpiryFormat::Rfc3339);
        assert_eq!(unix(Value::from(1_700_000_000u64)), Ok(at(1_700_000_000)));
        assert_eq!(unix(Value::from("1700000000")), Ok(at(1_700_000_000)));
        assert_eq!(
            rfc(Value::from("2023-11-14T22:13:20Z")),
            Ok(at(1_700_000_000))
        );
        // Catches rejecting NCP's offset without a colon.
        assert_eq!(
            rfc(Value::from("2023-11-15T07:13:20+0900")),
            Ok(at(1_700_000_000))
        );
        // Catches treating a missing or garbled expiry as "never expires".
        assert!(unix(Value::from("soon")).is_err());
        assert!(rfc(Value::from(1_700_000_000u64)).is_err());
        assert!(expiry(&Map::new(), "E", ExpiryFormat::Rfc3339).is_err());
    }
}
