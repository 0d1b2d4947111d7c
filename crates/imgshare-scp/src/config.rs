//! Client configuration: environment and region (or an endpoint override), API version,
//! language, account id, credentials, retries, timeouts.
//!
//! # Environment variables and files
//!
//! | setting | builder | environment (first set wins) | `~/.scpconf/config.json` |
//! |---|---|---|---|
//! | region | [`ConfigBuilder::region`] | `SCP_REGION`, `SCP_TF_DEFAULT_REGION` | `default-region` |
//! | environment (`s`, `g`, `e`) | [`ConfigBuilder::environment`] | `SCP_ENVIRONMENT`, `SCP_ENV`; else the `auth-url` host `iam.<env>.samsungsdscloud.com` of `SCP_TF_AUTH_URL` | `auth-url` (same rule) |
//! | endpoint override | [`ConfigBuilder::endpoint_url`] | `IMGSHARE_ENDPOINT`, `SCP_ENDPOINT_OVERRIDE`, `SCP_TF_ENDPOINT_OVERRIDE` | `endpoint-override` |
//! | own account id | [`ConfigBuilder::account_id`] | `SCP_ACCOUNT_ID`, `SCP_TF_ACCOUNT_ID` | `account-id` |
//! | API version | [`ConfigBuilder::api_version`] | `SCP_API_VERSION` | — |
//! | `Accept-Language` | [`ConfigBuilder::language`] | `SCP_LANGUAGE` | — |
//!
//! As in the official Terraform provider, an explicit setting beats the environment, which beats
//! the file. [`Config::from_env`] reads the environment only; [`Config::load`] also reads
//! `config.json` (off the async runtime's threads). `~/.scp/` (SCP v1) is never read.

use std::fmt;
use std::sync::Arc;

use imgshare_core::binding::{Location, WireField};
use imgshare_core::client::{OutputShape, Protocol};
use imgshare_core::operation::Operation;
use imgshare_core::sign::Signer;
use imgshare_core::sign::scp::ScpSigner;
use imgshare_core::wire::{ListBase, ToWire};
use imgshare_core::{
    ClientConfig, ClientConfigBuilder, Error, HttpResponse, InvalidInput, ProvideCredentials,
    RetryConfig, TimeoutConfig,
};
use serde::Deserialize;
use url::Url;

use crate::credentials::{default_chain, scpconf_dir};
use crate::error::ScpError;

/// The product token of `Scp-Api-Version` and the endpoint host.
pub const PRODUCT: &str = "virtualserver";
/// The default `Accept-Language` (the official Go SDK's).
pub const DEFAULT_LANGUAGE: &str = "en-US";
/// The environment used when none is configured (Enterprise, as the community SDKs default).
pub const DEFAULT_ENVIRONMENT: Environment = Environment::E;

/// Environment variables read by [`Config::from_env`] and [`Config::load`].
pub mod env {
    /// Region (ours).
    pub const REGION: &str = "SCP_REGION";
    /// Region (the official provider's).
    pub const TF_DEFAULT_REGION: &str = "SCP_TF_DEFAULT_REGION";
    /// Environment `s`, `g` or `e` (scpv2-sdk's name).
    pub const ENVIRONMENT: &str = "SCP_ENVIRONMENT";
    /// Environment `s`, `g` or `e` (the community harness's name).
    pub const ENV: &str = "SCP_ENV";
    /// The IAM URL (`https://iam.e.samsungsdscloud.com/v1`); its host names the environment.
    pub const TF_AUTH_URL: &str = "SCP_TF_AUTH_URL";
    /// Endpoint override (ours).
    pub const ENDPOINT_OVERRIDE: &str = "SCP_ENDPOINT_OVERRIDE";
    /// imgshare's own endpoint variable, honoured by every provider, the CLI and the examples;
    /// it wins over the SCP-specific ones (point everything at `imgshare-fake` at once).
    pub const IMGSHARE_ENDPOINT: &str = imgshare_core::config::ENV_ENDPOINT;
    /// Endpoint override (the official provider's).
    pub const TF_ENDPOINT_OVERRIDE: &str = "SCP_TF_ENDPOINT_OVERRIDE";
    /// The caller's own account id (ours).
    pub const ACCOUNT_ID: &str = "SCP_ACCOUNT_ID";
    /// The caller's own account id (the official provider's).
    pub const TF_ACCOUNT_ID: &str = "SCP_TF_ACCOUNT_ID";
    /// `Scp-Api-Version` number, `1.3` or `1.2`.
    pub const API_VERSION: &str = "SCP_API_VERSION";
    /// `Accept-Language`, `en-US` or `ko-KR`.
    pub const LANGUAGE: &str = "SCP_LANGUAGE";
}

/// An SCP v2 environment: the `{environment}` of
/// `https://virtualserver.{region}.{environment}.samsungsdscloud.com`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Environment {
    /// `s`, "for Samsung": `kr-west1`, `kr-east1`.
    S,
    /// `g`, "for Sovereign": `kr-south1`, `kr-south2`, `kr-south3`.
    G,
    /// `e`, "for Enterprise": `kr-west1`, `kr-east1`.
    E,
}

impl Environment {
    /// The host label: `s`, `g` or `e`.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::S => "s",
            Environment::G => "g",
            Environment::E => "e",
        }
    }

    /// The regions of this environment (scp.md §2.1).
    pub fn regions(self) -> &'static [&'static str] {
        match self {
            Environment::S | Environment::E => &["kr-west1", "kr-east1"],
            Environment::G => &["kr-south1", "kr-south2", "kr-south3"],
        }
    }

    /// Parses `s`, `g` or `e` (any case).
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] on `environment` for anything else.
    pub fn parse(text: &str) -> Result<Self, InvalidInput> {
        match text.trim().to_ascii_lowercase().as_str() {
            "s" => Ok(Environment::S),
            "g" => Ok(Environment::G),
            "e" => Ok(Environment::E),
            _ => Err(InvalidInput::new(
                "environment",
                format!("must be s, g or e, got {text:?}"),
            )),
        }
    }

    /// The environment named by an IAM URL's host, `iam.<env>.samsungsdscloud.com`.
    pub fn from_auth_url(auth_url: &str) -> Option<Self> {
        let url = Url::parse(auth_url).ok()?;
        let host = url.host_str()?;
        let rest = host.strip_suffix(".samsungsdscloud.com")?;
        let env = rest.rsplit('.').next()?;
        Environment::parse(env).ok()
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The virtualserver API version sent in `Scp-Api-Version: virtualserver <major>.<minor>` on
/// every request (scp.md §2.3–2.4).
///
/// - [`ApiVersion::V1_3`], the default: CURRENT in the newest official documentation.
/// - [`ApiVersion::V1_2`]: SUPPORTED, minimum support guaranteed until 2026-08-31; a client
///   built after that date logs a `tracing` warning.
/// - 1.0 and 1.1 are DEPRECATED and past their Not Before dates (2025-12-31, 2026-05-31), so
///   [`ApiVersion::parse`] refuses them.
/// - Later versions (1.4, 1.5) are accepted with a warning: the image-member schemas were
///   verified identical from 1.0 to 1.3 only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApiVersion {
    major: u16,
    minor: u16,
}

impl Default for ApiVersion {
    fn default() -> Self {
        ApiVersion::V1_3
    }
}

impl ApiVersion {
    /// virtualserver 1.2.
    pub const V1_2: ApiVersion = ApiVersion { major: 1, minor: 2 };
    /// virtualserver 1.3 (the default).
    pub const V1_3: ApiVersion = ApiVersion { major: 1, minor: 3 };

    /// Parses `1.3`, `v1.3` or `virtualserver 1.3`.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] on `api_version` for a malformed value, or 1.0 / 1.1 (retired).
    pub fn parse(text: &str) -> Result<Self, InvalidInput> {
        let t = text.trim();
        let t = t.strip_prefix(PRODUCT).map(str::trim_start).unwrap_or(t);
        let t = t.strip_prefix('v').unwrap_or(t);
        let parsed = t
            .split_once('.')
            .and_then(|(a, b)| Some((a.parse::<u16>().ok()?, b.parse::<u16>().ok()?)));
        let Some((major, minor)) = parsed else {
            return Err(InvalidInput::new(
                "api_version",
                format!("must look like 1.3, got {text:?}"),
            ));
        };
        let version = ApiVersion { major, minor };
        if version < ApiVersion::V1_2 {
            return Err(InvalidInput::new(
                "api_version",
                format!(
                    "{PRODUCT} {version} is deprecated and past its Not Before date, so SCP no \
                     longer serves it: use 1.3 (or 1.2)"
                ),
            ));
        }
        Ok(version)
    }

    /// The major number.
    pub fn major(self) -> u16 {
        self.major
    }

    /// The minor number.
    pub fn minor(self) -> u16 {
        self.minor
    }

    /// The header value, `virtualserver 1.3`.
    pub fn header_value(self) -> String {
        format!("{PRODUCT} {self}")
    }

    /// Logs a `tracing` warning when this version is past its guaranteed support or newer
    /// than the versions this crate was checked against.
    pub(crate) fn warn_if_risky(self) {
        if self == ApiVersion::V1_2 {
            let guaranteed_until = time::macros::datetime!(2026-09-01 00:00 UTC);
            if time::OffsetDateTime::now_utc() >= guaranteed_until {
                tracing::warn!(
                    api_version = %self,
                    "virtualserver 1.2's minimum support guarantee ended 2026-08-31; SCP may \
                     retire it at any time: use 1.3"
                );
            }
        } else if self > ApiVersion::V1_3 {
            tracing::warn!(
                api_version = %self,
                "image-member schemas were verified for virtualserver 1.0 to 1.3 only"
            );
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// The official virtualserver endpoint of a region.
pub fn endpoint_for(environment: Environment, region: &str) -> String {
    format!("https://{PRODUCT}.{region}.{environment}.samsungsdscloud.com")
}

/// Settings of a [`Client`](crate::Client). Build with [`Config::builder`].
#[derive(Clone)]
pub struct Config {
    shared: ClientConfig,
    pub(crate) endpoint: Url,
    pub(crate) region: Option<String>,
    pub(crate) environment: Environment,
    pub(crate) api_version: ApiVersion,
    pub(crate) language: String,
    pub(crate) account_id: Option<String>,
    pub(crate) sign_account_id: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("endpoint", &self.endpoint.as_str())
            .field("region", &self.region)
            .field("environment", &self.environment)
            .field("api_version", &self.api_version)
            .field("language", &self.language)
            .field("account_id", &self.account_id)
            .field("sign_account_id", &self.sign_account_id)
            .field("shared", &self.shared)
            .finish()
    }
}

impl Config {
    /// A builder with defaults: environment `e`, API version 1.3, `en-US`, the default
    /// credentials chain, standard retries. Nothing is read from the environment.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder filled from the environment variables of the [module docs](self).
    pub fn from_env() -> ConfigBuilder {
        ConfigBuilder::default().fill_from(|k| std::env::var(k).ok())
    }

    /// Like [`Config::from_env`], then fills what is still unset from `~/.scpconf/config.json`
    /// (read on the blocking pool).
    ///
    /// # Errors
    ///
    /// An unreadable or malformed `config.json` (a missing one is fine), one larger than
    /// 64 KiB, or, on Unix, one that group or others can write.
    pub async fn load() -> Result<ConfigBuilder, ScpError> {
        let builder = Config::from_env();
        let Some(path) = scpconf_dir().map(|d| d.join("config.json")) else {
            return Ok(builder);
        };
        // Refused when others can write it: its endpoint-override decides where signed
        // requests go.
        let text = imgshare_core::credentials::read_config_file(&path)
            .await
            .map_err(|e| {
                InvalidInput::new(
                    "config_file",
                    format!("cannot read {}: {e}", path.display()),
                )
            })?;
        match text {
            Some(text) => Ok(builder.fill_from_config_json(&text).map_err(|reason| {
                InvalidInput::new("config_file", format!("{}: {reason}", path.display()))
            })?),
            None => Ok(builder),
        }
    }

    /// The endpoint URL requests go to.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The region, if one was configured.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The environment.
    pub fn environment(&self) -> Environment {
        self.environment
    }

    /// The pinned API version.
    pub fn api_version(&self) -> ApiVersion {
        self.api_version
    }

    /// The `Accept-Language` sent.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The caller's own account id, if configured (used to accept or reject shares).
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }

    /// The settings every provider shares.
    pub fn shared(&self) -> &ClientConfig {
        &self.shared
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        self.shared.retry()
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &TimeoutConfig {
        self.shared.timeouts()
    }
}

/// The header pinning the API version.
pub const API_VERSION_HEADER: &str = "Scp-Api-Version";

impl Protocol for Config {
    const PROVIDER: &'static str = "scp";
    const USER_AGENT: &'static str = concat!("imgshare-scp/", env!("CARGO_PKG_VERSION"));
    const LIST_BASE: ListBase = ListBase::Zero;
    const OUTPUT: OutputShape = OutputShape::Body;
    const REQUEST_ID_HEADERS: &'static [&'static str] =
        &["x-request-id", "x-scp-request-id", "requestid"];

    fn shared(&self) -> &ClientConfig {
        &self.shared
    }

    fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    fn signer(&self) -> Arc<dyn Signer> {
        let mut signer = ScpSigner::new();
        if self.sign_account_id
            && let Some(id) = &self.account_id
        {
            signer = signer.account_id(id.clone());
        }
        Arc::new(signer)
    }

    fn default_credentials(&self) -> Arc<dyn ProvideCredentials> {
        Arc::new(default_chain())
    }

    /// Every call pins the API version and asks for JSON in the configured language.
    fn common_fields<Op: Operation>(&self, fields: &mut Vec<WireField>) {
        let header =
            |name, value: String| WireField::new(name, name, Location::Header, value.to_wire());
        fields.push(header(API_VERSION_HEADER, self.api_version.header_value()));
        fields.push(header("Accept-Language", self.language.clone()));
        fields.push(header("Accept", "application/json".to_owned()));
    }

    fn check(&self, response: &HttpResponse) -> Result<(), Error> {
        crate::protocol::check(response)
    }
}

/// `~/.scpconf/config.json`, as the official provider writes it (unknown keys ignored).
#[derive(Deserialize)]
struct ConfigFile {
    #[serde(rename = "default-region")]
    default_region: Option<String>,
    #[serde(rename = "endpoint-override")]
    endpoint_override: Option<String>,
    #[serde(rename = "account-id")]
    account_id: Option<String>,
    #[serde(rename = "auth-url")]
    auth_url: Option<String>,
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    shared: ClientConfigBuilder,
    region: Option<String>,
    environment: Option<String>,
    auth_url: Option<String>,
    api_version: Option<String>,
    language: Option<String>,
    account_id: Option<String>,
    sign_account_id: bool,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("region", &self.region)
            .field("environment", &self.environment)
            .field("api_version", &self.api_version)
            .field("account_id", &self.account_id)
            .field("shared", &self.shared)
            .finish_non_exhaustive()
    }
}

fn first(lookup: &impl Fn(&str) -> Option<String>, names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| lookup(n).filter(|v| !v.trim().is_empty()))
}

impl ConfigBuilder {
    imgshare_core::shared_config_setters!(shared);

    /// Fills unset settings from variables read through `lookup` (the [module docs](self)'
    /// names).
    pub fn fill_from(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let fill = |slot: &mut Option<String>, names: &[&str]| {
            if slot.is_none() {
                *slot = first(&lookup, names);
            }
        };
        fill(&mut self.region, &[env::REGION, env::TF_DEFAULT_REGION]);
        fill(&mut self.environment, &[env::ENVIRONMENT, env::ENV]);
        fill(&mut self.auth_url, &[env::TF_AUTH_URL]);
        self.shared = self.shared.fill_from(&lookup);
        for name in [env::ENDPOINT_OVERRIDE, env::TF_ENDPOINT_OVERRIDE] {
            if !self.shared.has_endpoint_url()
                && let Some(url) = first(&lookup, &[name])
            {
                self.shared = self.shared.endpoint_url_from(url.trim(), name);
            }
        }
        fill(&mut self.account_id, &[env::ACCOUNT_ID, env::TF_ACCOUNT_ID]);
        fill(&mut self.api_version, &[env::API_VERSION]);
        fill(&mut self.language, &[env::LANGUAGE]);
        self
    }

    /// Fills unset settings from the text of `~/.scpconf/config.json`.
    ///
    /// # Errors
    ///
    /// Why the text is not a JSON object of strings.
    pub fn fill_from_config_json(mut self, text: &str) -> Result<Self, String> {
        let file: ConfigFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let fill = |slot: &mut Option<String>, value: Option<String>| {
            if slot.is_none() {
                *slot = value.filter(|v| !v.trim().is_empty());
            }
        };
        fill(&mut self.region, file.default_region);
        if !self.shared.has_endpoint_url()
            && let Some(url) = file.endpoint_override.filter(|v| !v.trim().is_empty())
        {
            self.shared = self
                .shared
                .endpoint_url_from(url.trim(), "endpoint-override");
        }
        fill(&mut self.account_id, file.account_id);
        fill(&mut self.auth_url, file.auth_url);
        Ok(self)
    }

    /// The region, e.g. `kr-west1` (required unless an endpoint override is set).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The environment (default `e`).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment.as_str().to_owned());
        self
    }

    /// The API version to pin (default [`ApiVersion::V1_3`]).
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.api_version = Some(version.to_string());
        self
    }

    /// The `Accept-Language` header, `en-US` (default) or `ko-KR`; it localises `detail`.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// The caller's own account id: the member id used by
    /// [`Client::accept_share`](crate::Client::accept_share) and
    /// [`Client::reject_share`](crate::Client::reject_share).
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// Also signs the account id and sends it as `Scp-AccountId`, as the official Go SDK can
    /// (off by default: working clients sign without it, scp.md §1.1). Needs
    /// [`ConfigBuilder::account_id`].
    pub fn sign_account_id(mut self, sign: bool) -> Self {
        self.sign_account_id = sign;
        self
    }

    /// Checks the settings and builds the config.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] naming the setting: an unknown environment, a region not in the
    /// environment (or none, without an endpoint override), a malformed endpoint, a retired API
    /// version, a language or account id that cannot be sent.
    pub fn build(self) -> Result<Config, ScpError> {
        let environment = match (&self.environment, &self.auth_url) {
            (Some(e), _) => Environment::parse(e)?,
            (None, Some(url)) => Environment::from_auth_url(url).unwrap_or(DEFAULT_ENVIRONMENT),
            (None, None) => DEFAULT_ENVIRONMENT,
        };
        let region = self.region.map(|r| r.trim().to_owned());
        let shared = self.shared.build()?;
        let endpoint_field = shared.endpoint_source().unwrap_or("endpoint_url");
        let endpoint_text = match (shared.endpoint_url(), &region) {
            (Some(url), _) => url.trim().to_owned(),
            (None, Some(region)) => {
                if !environment.regions().contains(&region.as_str()) {
                    return Err(InvalidInput::new(
                        "region",
                        format!(
                            "{region:?} is not a region of environment {environment} (regions: {}); \
                             for another host set an endpoint override",
                            environment.regions().join(", ")
                        ),
                    )
                    .into());
                }
                endpoint_for(environment, region)
            }
            (None, None) => {
                return Err(InvalidInput::new(
                    "region",
                    "is required: call .region(\"kr-west1\"), set SCP_REGION, or set \
                     default-region in ~/.scpconf/config.json (or give an endpoint override)",
                )
                .into());
            }
        };
        let endpoint = imgshare_core::binding::parse_endpoint(endpoint_field, &endpoint_text)?;
        let api_version = match &self.api_version {
            Some(v) => ApiVersion::parse(v)?,
            None => ApiVersion::default(),
        };
        let language = self.language.unwrap_or_else(|| DEFAULT_LANGUAGE.to_owned());
        imgshare_core::binding::check_header("Accept-Language", &language)
            .map_err(|p| InvalidInput::new("language", p.reason()))?;
        if let Some(id) = &self.account_id {
            crate::validate::member_id("account_id", id)?;
        }
        if self.sign_account_id && self.account_id.is_none() {
            return Err(
                InvalidInput::new("account_id", "is required when sign_account_id is on").into(),
            );
        }
        api_version.warn_if_risky();
        Ok(Config {
            shared,
            endpoint,
            region,
            environment,
            api_version,
            language,
            account_id: self.account_id,
            sign_account_id: self.sign_account_id,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn endpoints_follow_environment_and_region() {
        let c = Config::builder().region("kr-west1").build().unwrap();
        assert_eq!(
            c.endpoint().as_str(),
            "https://virtualserver.kr-west1.e.samsungsdscloud.com/"
        );
        let c = Config::builder()
            .environment(Environment::G)
            .region("kr-south2")
            .build()
            .unwrap();
        assert_eq!(
            c.endpoint().as_str(),
            "https://virtualserver.kr-south2.g.samsungsdscloud.com/"
        );
        let err = Config::builder()
            .environment(Environment::G)
            .region("kr-west1")
            .build()
            .unwrap_err();
        assert_eq!(err.invalid_input().unwrap().field(), "region");
        assert!(Config::builder().build().is_err());
        let bad = Config::builder()
            .endpoint_url("https://u:p@example.com")
            .build()
            .unwrap_err();
        assert_eq!(bad.invalid_input().unwrap().field(), "endpoint_url");
    }

    use imgshare_core::ErrorMetadata as _;

    #[test]
    fn versions() {
        assert_eq!(ApiVersion::parse("1.3").unwrap(), ApiVersion::V1_3);
        assert_eq!(
            ApiVersion::parse("virtualserver 1.2").unwrap(),
            ApiVersion::V1_2
        );
        assert_eq!(ApiVersion::parse("v1.5").unwrap().to_string(), "1.5");
        for bad in ["1.1", "1.0", "x", "1", "0.9"] {
            assert_eq!(ApiVersion::parse(bad).unwrap_err().field(), "api_version");
        }
        assert_eq!(ApiVersion::default().header_value(), "virtualserver 1.3");
    }

    #[test]
    fn environment_then_file_precedence() {
        let b = Config::builder()
            .fill_from(|k| match k {
                env::TF_DEFAULT_REGION => Some("kr-east1".into()),
                env::TF_ENDPOINT_OVERRIDE => Some("http://127.0.0.1:9".into()),
                env::TF_AUTH_URL => Some("https://iam.s.samsungsdscloud.com/v1".into()),
                _ => None,
            })
            .fill_from_config_json(
                r#"{"default-region":"kr-west1","account-id":"f39c460fade34fecb05ede8f904b24b7","max-remain-days":"90"}"#,
            )
            .unwrap();
        let c = b.build().unwrap();
        assert_eq!(c.region(), Some("kr-east1"));
        assert_eq!(c.environment(), Environment::S);
        assert_eq!(c.endpoint().as_str(), "http://127.0.0.1:9/");
        assert_eq!(c.account_id(), Some("f39c460fade34fecb05ede8f904b24b7"));
    }
}
