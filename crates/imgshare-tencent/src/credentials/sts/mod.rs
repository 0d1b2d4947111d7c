//! STS (`sts.tencentcloudapi.com`, version `2018-08-13`), declared in `sts/api.toml` and run on
//! the same client path as CVM (signing, retries, typed errors): `AssumeRole`, signed with
//! another provider's keys, and `AssumeRoleWithWebIdentity` for TKE OIDC, unsigned
//! (`Authorization: SKIP`, as the official SDKs send it). Both answer
//! `Response.Credentials{TmpSecretId, TmpSecretKey, Token}` and `ExpiredTime`.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imgshare_core::binding::WireField;
use imgshare_core::client::{OutputShape, Protocol};
use imgshare_core::credentials::BoxFuture;
use imgshare_core::operation::Operation;
use imgshare_core::sign::tc3::Tc3Signer;
use imgshare_core::sign::{SignableRequest, Signer, SigningError, SigningInstructions};
use imgshare_core::wire::ListBase;
use imgshare_core::{
    ClientConfig, Credentials, CredentialsError, Error, HttpClient, HttpResponse, InvalidInput,
    ProvideCredentials, SecretString,
};
use serde::Deserialize;
use url::Url;

use crate::error::TencentError;

mod client;
pub mod operation;

pub use client::StsClient;

/// The STS endpoint.
pub const DEFAULT_STS_ENDPOINT: &str = "https://sts.tencentcloudapi.com/";
/// The STS API version.
pub const STS_VERSION: &str = "2018-08-13";
/// The region the official SDKs send to STS.
const STS_REGION: &str = "ap-guangzhou";
/// Environment variable naming the role to assume (tccli).
pub const ENV_ROLE_ARN: &str = "TENCENTCLOUD_ROLE_ARN";
/// Environment variable naming the role session (tccli).
pub const ENV_ROLE_SESSION_NAME: &str = "TENCENTCLOUD_ROLE_SESSION_NAME";
/// TKE OIDC: the region.
pub const ENV_TKE_REGION: &str = "TKE_REGION";
/// TKE OIDC: the identity provider id.
pub const ENV_TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// TKE OIDC: the file holding the web identity token.
pub const ENV_TKE_WEB_IDENTITY_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// TKE OIDC: the role to assume.
pub const ENV_TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";

/// What `AssumeRole` and `AssumeRoleWithWebIdentity` answer.
#[derive(Deserialize)]
pub struct AssumeRoleOutput {
    #[serde(rename = "Credentials")]
    credentials: TemporaryKeys,
    #[serde(rename = "ExpiredTime")]
    expired_time: u64,
}

impl fmt::Debug for AssumeRoleOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleOutput")
            .field("tmp_secret_id", &self.credentials.tmp_secret_id)
            .field("expired_time", &self.expired_time)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TemporaryKeys {
    #[serde(rename = "TmpSecretId")]
    tmp_secret_id: String,
    #[serde(rename = "TmpSecretKey")]
    tmp_secret_key: SecretString,
    #[serde(rename = "Token")]
    token: SecretString,
}

impl AssumeRoleOutput {
    /// The temporary credentials, expiring at `ExpiredTime`.
    ///
    /// # Errors
    ///
    /// When STS answered an empty or malformed key.
    pub fn into_credentials(self, source: &'static str) -> Result<Credentials, CredentialsError> {
        Ok(Credentials::new(
            self.credentials.tmp_secret_id,
            self.credentials.tmp_secret_key,
            Some(self.credentials.token),
            source,
        )?
        // A far-future answer must not overflow (`+` would panic): keep the epoch, which the
        // cache reads as already expired.
        .with_expiry(
            UNIX_EPOCH
                .checked_add(Duration::from_secs(self.expired_time))
                .unwrap_or(UNIX_EPOCH),
        ))
    }
}

/// The STS protocol: TC3 signing for the `sts` service (or none, for web identity), and the
/// same envelopes and `X-TC-*` headers as CVM.
#[derive(Debug, Clone)]
pub struct StsConfig {
    shared: ClientConfig,
    endpoint: Url,
    region: String,
    anonymous: bool,
}

impl StsConfig {
    /// STS at `endpoint` (default [`DEFAULT_STS_ENDPOINT`]), calling as `region`; `anonymous`
    /// sends unsigned requests (`AssumeRoleWithWebIdentity`).
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] for a malformed endpoint.
    pub fn new(
        shared: ClientConfig,
        endpoint: &str,
        region: impl Into<String>,
        anonymous: bool,
    ) -> Result<Self, InvalidInput> {
        Ok(Self {
            endpoint: imgshare_core::binding::parse_endpoint("endpoint_url", endpoint)?,
            shared,
            region: region.into(),
            anonymous,
        })
    }
}

impl Protocol for StsConfig {
    const PROVIDER: &'static str = "tencent-sts";
    const USER_AGENT: &'static str = concat!("imgshare-tencent/", env!("CARGO_PKG_VERSION"));
    const LIST_BASE: ListBase = ListBase::Zero;
    const OUTPUT: OutputShape = OutputShape::Member("Response");
    const REQUEST_ID_HEADERS: &'static [&'static str] = &["x-tc-requestid"];

    fn shared(&self) -> &ClientConfig {
        &self.shared
    }

    fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    fn signer(&self) -> Arc<dyn Signer> {
        if self.anonymous {
            Arc::new(Unsigned)
        } else {
            Arc::new(Tc3Signer::new("sts"))
        }
    }

    fn default_credentials(&self) -> Arc<dyn ProvideCredentials> {
        Arc::new(super::default_chain())
    }

    fn common_fields<Op: Operation>(&self, fields: &mut Vec<WireField>) {
        crate::config::tc_headers::<Op>(fields, STS_VERSION, &self.region, None);
    }

    fn check(&self, response: &HttpResponse) -> Result<(), Error> {
        crate::protocol::check(response)
    }
}

/// `AssumeRoleWithWebIdentity` is sent unsigned: `Authorization: SKIP` and the timestamp.
#[derive(Debug)]
struct Unsigned;

impl Signer for Unsigned {
    fn sign(
        &self,
        _request: &SignableRequest<'_>,
        _credentials: &Credentials,
        time: SystemTime,
    ) -> Result<SigningInstructions, SigningError> {
        let mut out = SigningInstructions::default();
        out.push("Authorization", "SKIP".to_owned());
        out.push(
            "X-TC-Timestamp",
            imgshare_core::sign::unix_seconds(time)?.to_string(),
        );
        Ok(out)
    }
}

/// An STS failure as a credentials error: a service answer stops a chain (the role exists in
/// the user's mind but cannot be had), a transport failure says it could not be reached.
fn sts_failure(source: &'static str, action: &str, error: TencentError) -> CredentialsError {
    let error = error.into_core();
    match &error {
        Error::Credentials(inner) => inner.clone(),
        Error::Service(s) => CredentialsError::invalid(
            source,
            format!(
                "{action} failed: {}: {} (request id {})",
                s.code(),
                s.message(),
                s.request_id().unwrap_or("none")
            ),
        ),
        _ => CredentialsError::unreadable(source, format!("{action} failed: {error}")),
    }
}

fn session_name_default() -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros())
        .unwrap_or_default();
    format!("imgshare-rust-sdk-{micros}")
}

/// A role session name: 2 to 128 of `[A-Za-z0-9_+=,.@-]`.
///
/// # Errors
///
/// [`InvalidInput`] naming `field`.
pub fn role_session_name(
    field: impl Into<std::borrow::Cow<'static, str>>,
    name: &str,
) -> Result<(), InvalidInput> {
    let ok = (2..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(InvalidInput::new(
            field,
            format!("must be 2 to 128 of [A-Za-z0-9_+=,.@-], got {name:?}"),
        ))
    }
}

/// Temporary credentials of a CAM role, from STS `AssumeRole` signed with the keys of another
/// provider (the `source`). Opt-in: build one with [`AssumeRoleProvider::builder`], or
/// [`AssumeRoleProvider::from_env`] for tccli's `TENCENTCLOUD_ROLE_ARN` /
/// `TENCENTCLOUD_ROLE_SESSION_NAME`.
///
/// The credentials carry `ExpiredTime`; the client's identity cache assumes the role again 5
/// minutes before it.
pub struct AssumeRoleProvider {
    role_arn: String,
    session_name: String,
    duration_secs: u64,
    client: StsClient,
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration_secs", &self.duration_secs)
            .field("endpoint", &self.client.config().endpoint.as_str())
            .finish_non_exhaustive()
    }
}

/// Builds an [`AssumeRoleProvider`].
pub struct AssumeRoleProviderBuilder {
    role_arn: String,
    source: Option<Arc<dyn ProvideCredentials>>,
    session_name: Option<String>,
    duration: Duration,
    region: String,
    endpoint: String,
    http: Option<Arc<dyn HttpClient>>,
}

impl fmt::Debug for AssumeRoleProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProviderBuilder")
            .field("role_arn", &self.role_arn)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` (`qcs::cam::uin/100000000001:roleName/share-images`).
    pub fn builder(role_arn: impl Into<String>) -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder {
            role_arn: role_arn.into(),
            source: None,
            session_name: None,
            duration: Duration::from_secs(7200),
            region: STS_REGION.to_owned(),
            endpoint: DEFAULT_STS_ENDPOINT.to_owned(),
            http: None,
        }
    }

    /// When `TENCENTCLOUD_ROLE_ARN` is set, a provider assuming that role with `source`'s keys,
    /// the session named `TENCENTCLOUD_ROLE_SESSION_NAME` (default `imgshare-rust-sdk-<micros>`).
    /// `None` when the variable is unset or empty.
    pub fn from_env(
        source: impl ProvideCredentials + 'static,
    ) -> Option<Result<AssumeRoleProvider, TencentError>> {
        let arn = std::env::var(ENV_ROLE_ARN).ok().filter(|a| !a.is_empty())?;
        let mut builder = Self::builder(arn).source(source);
        if let Some(name) = std::env::var(ENV_ROLE_SESSION_NAME)
            .ok()
            .filter(|n| !n.is_empty())
        {
            builder = builder.session_name(name);
        }
        Some(builder.build())
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        const SOURCE: &str = "sts AssumeRole";
        self.client
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(&self.session_name)
            .duration_seconds(self.duration_secs)
            .send()
            .await
            .map_err(|e| sts_failure(SOURCE, "AssumeRole", e))?
            .into_credentials(SOURCE)
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

impl AssumeRoleProviderBuilder {
    /// The provider whose keys sign `AssumeRole` (default: [`super::default_chain`]).
    pub fn source(mut self, source: impl ProvideCredentials + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// The role session name (default `imgshare-rust-sdk-<micros>`); it appears in CloudAudit.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials last, 1 second to 12 hours (default 2 hours).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = duration;
        self
    }

    /// The region sent to STS (default `ap-guangzhou`, as the official SDKs send).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// Sends to this URL instead of `https://sts.tencentcloudapi.com/` (the signature still
    /// names the `sts` service).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into();
        self
    }

    /// Sends with this HTTP client.
    pub fn http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the settings and builds the provider.
    pub fn build(self) -> Result<AssumeRoleProvider, TencentError> {
        if self.role_arn.is_empty() {
            return Err(InvalidInput::new("role_arn", "is empty").into());
        }
        let session_name = self.session_name.unwrap_or_else(session_name_default);
        role_session_name("role_session_name", &session_name)?;
        let duration_secs = self.duration.as_secs();
        if !(1..=43_200).contains(&duration_secs) {
            return Err(InvalidInput::new(
                "duration",
                format!("must be 1 to 43200 seconds, got {duration_secs}"),
            )
            .into());
        }
        let source = self
            .source
            .unwrap_or_else(|| Arc::new(super::default_chain()));
        let mut shared = ClientConfig::builder().shared_credentials_provider(source);
        if let Some(http) = self.http {
            shared = shared.http_client(http);
        }
        let config = StsConfig::new(shared.build()?, &self.endpoint, self.region, false)?;
        Ok(AssumeRoleProvider {
            role_arn: self.role_arn,
            session_name,
            duration_secs,
            client: StsClient::new(config)?,
        })
    }
}

/// TKE OIDC: temporary credentials of `TKE_ROLE_ARN` from STS `AssumeRoleWithWebIdentity`,
/// presenting the token in `TKE_WEB_IDENTITY_TOKEN_FILE` (read again at every refresh, since
/// Kubernetes rotates it). The request is not signed (`Authorization: SKIP`, as the official
/// SDKs send it). "Not found" unless all four `TKE_*` variables are set.
#[derive(Debug, Clone)]
pub struct WebIdentityProvider {
    settings: Option<WebIdentitySettings>,
    endpoint: String,
    http: Option<Arc<dyn HttpClient>>,
}

#[derive(Debug, Clone)]
struct WebIdentitySettings {
    region: String,
    provider_id: String,
    token_file: PathBuf,
    role_arn: String,
}

impl WebIdentityProvider {
    /// Reads `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` and `TKE_ROLE_ARN`.
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let settings = match (
            var(ENV_TKE_REGION),
            var(ENV_TKE_PROVIDER_ID),
            var(ENV_TKE_WEB_IDENTITY_TOKEN_FILE),
            var(ENV_TKE_ROLE_ARN),
        ) {
            (Some(region), Some(provider_id), Some(file), Some(role_arn)) => {
                Some(WebIdentitySettings {
                    region,
                    provider_id,
                    token_file: PathBuf::from(file),
                    role_arn,
                })
            }
            _ => None,
        };
        Self {
            settings,
            endpoint: DEFAULT_STS_ENDPOINT.to_owned(),
            http: None,
        }
    }

    /// Explicit settings instead of the `TKE_*` variables.
    pub fn new(
        region: impl Into<String>,
        provider_id: impl Into<String>,
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
    ) -> Self {
        Self {
            settings: Some(WebIdentitySettings {
                region: region.into(),
                provider_id: provider_id.into(),
                token_file: token_file.into(),
                role_arn: role_arn.into(),
            }),
            endpoint: DEFAULT_STS_ENDPOINT.to_owned(),
            http: None,
        }
    }

    /// Sends to this URL instead of `https://sts.tencentcloudapi.com/`.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into();
        self
    }

    /// Sends with this HTTP client.
    pub fn http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        const SOURCE: &str = "tke oidc";
        let Some(s) = &self.settings else {
            return Err(CredentialsError::not_found(
                SOURCE,
                format!(
                    "{ENV_TKE_REGION}, {ENV_TKE_PROVIDER_ID}, {ENV_TKE_WEB_IDENTITY_TOKEN_FILE} \
                     and {ENV_TKE_ROLE_ARN} are not all set"
                ),
            ));
        };
        let token =
            match imgshare_core::credentials::read_file_off_thread(s.token_file.clone()).await {
                Ok(Some(t)) if !t.trim().is_empty() => SecretString::new(t.trim()),
                Ok(_) => {
                    return Err(CredentialsError::invalid(
                        SOURCE,
                        format!(
                            "the web identity token file {} is missing or empty",
                            s.token_file.display()
                        ),
                    ));
                }
                Err(e) => {
                    return Err(CredentialsError::unreadable(
                        SOURCE,
                        format!("{}: {e}", s.token_file.display()),
                    ));
                }
            };
        const ACTION: &str = "AssumeRoleWithWebIdentity";
        // Unsigned: the placeholder identity only satisfies the runtime, and is never sent.
        let placeholder = Credentials::new("anonymous", "anonymous", None, SOURCE)?;
        let mut shared = ClientConfig::builder().credentials(placeholder);
        if let Some(http) = &self.http {
            shared = shared.http_client(http.clone());
        }
        let invalid = |e: InvalidInput| CredentialsError::invalid(SOURCE, e.to_string());
        let config = StsConfig::new(
            shared.build().map_err(invalid)?,
            &self.endpoint,
            &s.region,
            true,
        )
        .map_err(invalid)?;
        let client = StsClient::new(config).map_err(|e| sts_failure(SOURCE, ACTION, e))?;
        client
            .assume_role_with_web_identity()
            .provider_id(&s.provider_id)
            .web_identity_token(token)
            .role_arn(&s.role_arn)
            .role_session_name(session_name_default())
            .duration_seconds(7200)
            .send()
            .await
            .map_err(|e| sts_failure(SOURCE, ACTION, e))?
            .into_credentials(SOURCE)
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_far_future_expiry_does_not_panic() {
        let body = r#"{"Credentials":{"TmpSecretId":"AKID","TmpSecretKey":"k","Token":"t"},"ExpiredTime":18446744073709551615}"#;
        let output: AssumeRoleOutput = serde_json::from_str(body).unwrap();
        let credentials = output.into_credentials("test").unwrap();
        assert_eq!(credentials.expiry(), Some(UNIX_EPOCH));
        assert!(!format!("{credentials:?}").contains("\"k\""));
    }
}
