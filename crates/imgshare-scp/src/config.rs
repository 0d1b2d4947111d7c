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
//! `config.json` (off the async runtime's threads). `~/.scp/` (SCP v1) is never read. The table
//! is [`SOURCES`], which both read; `IMGSHARE_ENDPOINT` is imgshare's own variable, honoured by
//! every provider, the CLI and the examples, and wins over the SCP-specific ones.

use std::fmt;
use std::sync::Arc;

use imgshare_core::binding::{Endpoint, WireField, check_header};
use imgshare_core::client::{OutputShape, Protocol};
use imgshare_core::credentials::Env;
use imgshare_core::operation::Operation;
use imgshare_core::settings::{ENDPOINT, Settings, Source};
use imgshare_core::sign::Signer;
use imgshare_core::sign::scp::ScpSigner;
use imgshare_core::validate::{Token, token};
use imgshare_core::version::{Version, VersionPolicy};
use imgshare_core::wire::ListBase;
use imgshare_core::{
    ClientConfig, ClientConfigBuilder, Error, HttpResponse, InvalidInput, ProvideCredentials,
};
use time::macros::date;
use url::Url;

use crate::credentials::default_chain;
use crate::error::ScpError;

/// The product token of `Scp-Api-Version` and the endpoint host.
pub const PRODUCT: &str = "virtualserver";
/// The default `Accept-Language` (the official Go SDK's).
pub const DEFAULT_LANGUAGE: &str = "en-US";
/// The environment used when none is configured (Enterprise, as the community SDKs default).
pub const DEFAULT_ENVIRONMENT: Environment = Environment::E;
/// The official provider's configuration file, under the home directory.
const CONFIG_FILE: &str = ".scpconf/config.json";
/// A region's shape (`kr-west1`): checked even with an endpoint override, so a region that
/// is no region at all is refused before anything is sent.
const REGION: Token = Token {
    what: "an SCP region like kr-west1",
    min_len: 1,
    max_len: 64,
    allowed: "a-z, 0-9 and `-`",
    allows: |b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-',
};

/// Why a config without a region (and without an endpoint override) cannot be built.
const NO_REGION: &str = "is required: pass --region kr-west1 (SDK: .region(\"kr-west1\")), set \
                         SCP_REGION, or set default-region in ~/.scpconf/config.json (or give an \
                         endpoint override)";

/// Where each setting is read from besides its builder call: the variables of the official
/// Terraform provider (`SCP_TF_*`) and of the community SDKs, and the keys of
/// `~/.scpconf/config.json` (see the [module docs](self)).
pub const SOURCES: &[Source] = &[
    Source::new("region", &["SCP_REGION", "SCP_TF_DEFAULT_REGION"]).file_key("default-region"),
    Source::new("environment", &["SCP_ENVIRONMENT", "SCP_ENV"]),
    // The IAM URL (`https://iam.e.samsungsdscloud.com/v1`): its host names the environment.
    Source::new("auth_url", &["SCP_TF_AUTH_URL"]).file_key("auth-url"),
    Source::new(
        ENDPOINT,
        &["SCP_ENDPOINT_OVERRIDE", "SCP_TF_ENDPOINT_OVERRIDE"],
    )
    .file_key("endpoint-override"),
    Source::new("account_id", &["SCP_ACCOUNT_ID", "SCP_TF_ACCOUNT_ID"]).file_key("account-id"),
    Source::new("api_version", &["SCP_API_VERSION"]),
    Source::new("language", &["SCP_LANGUAGE"]),
];

imgshare_core::setting_enum! {
    /// An SCP v2 environment: the `{environment}` of
    /// `https://virtualserver.{region}.{environment}.samsungsdscloud.com`.
    pub enum Environment: "environment" {
        /// `s`, "for Samsung": `kr-west1`, `kr-east1`.
        S => "s",
        /// `g`, "for Sovereign": `kr-south1`, `kr-south2`, `kr-south3`.
        G => "g",
        /// `e`, "for Enterprise": `kr-west1`, `kr-east1`.
        E => "e",
    }
}

impl Environment {
    /// The regions of this environment.
    pub fn regions(self) -> &'static [&'static str] {
        match self {
            Environment::S | Environment::E => &["kr-west1", "kr-east1"],
            Environment::G => &["kr-south1", "kr-south2", "kr-south3"],
        }
    }

    /// The environment named by an IAM URL's host, `iam.<env>.samsungsdscloud.com`.
    pub fn from_auth_url(auth_url: &str) -> Option<Self> {
        let url = Url::parse(auth_url).ok()?;
        let rest = url.host_str()?.strip_suffix(".samsungsdscloud.com")?;
        Environment::parse(rest.rsplit('.').next()?).ok()
    }
}

/// Which virtualserver versions SCP serves and this crate was checked against.
const API_VERSIONS: VersionPolicy = VersionPolicy {
    provider: "SCP",
    product: PRODUCT,
    default: ApiVersion::V1_3.0,
    // 1.0 and 1.1 are past their Not Before dates (2025-12-31, 2026-05-31).
    oldest_served: ApiVersion::V1_2.0,
    support_ends: &[(ApiVersion::V1_2.0, date!(2026 - 08 - 31))],
    verified: "image-member schemas",
    verified_from: Version::new(1, 0),
    verified_to: ApiVersion::V1_3.0,
};

/// The virtualserver API version sent in `Scp-Api-Version: virtualserver <major>.<minor>` on
/// every request: without it SCP answers with its latest version, whose shapes may change.
///
/// - [`ApiVersion::V1_3`], the default: CURRENT in the newest official documentation.
/// - [`ApiVersion::V1_2`]: SUPPORTED, minimum support guaranteed until 2026-08-31; a client
///   built after that date logs a `tracing` warning.
/// - 1.0 and 1.1 are DEPRECATED and past their Not Before dates (2025-12-31, 2026-05-31), so
///   [`ApiVersion::parse`] refuses them.
/// - Later versions (1.4, 1.5) are accepted with a warning: the image-member schemas were
///   verified identical from 1.0 to 1.3 only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApiVersion(Version);

impl Default for ApiVersion {
    fn default() -> Self {
        ApiVersion::V1_3
    }
}

impl ApiVersion {
    /// virtualserver 1.2.
    pub const V1_2: ApiVersion = ApiVersion(Version::new(1, 2));
    /// virtualserver 1.3 (the default).
    pub const V1_3: ApiVersion = ApiVersion(Version::new(1, 3));

    /// Parses `1.3`, `v1.3` or `virtualserver 1.3`.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] on `api_version` for a malformed value, or 1.0 / 1.1 (retired).
    pub fn parse(text: &str) -> Result<Self, InvalidInput> {
        API_VERSIONS.parse("api_version", text).map(ApiVersion)
    }

    /// The major number.
    pub fn major(self) -> u16 {
        self.0.major()
    }

    /// The minor number.
    pub fn minor(self) -> u16 {
        self.0.minor()
    }

    /// The header value, `virtualserver 1.3`.
    pub fn header_value(self) -> String {
        API_VERSIONS.header_value(self.0)
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The official virtualserver endpoint of a region.
pub fn endpoint_for(environment: Environment, region: &str) -> String {
    format!("https://{PRODUCT}.{region}.{environment}.samsungsdscloud.com")
}

/// Settings of a [`Client`](crate::Client). Build with [`Config::builder`].
#[derive(Debug, Clone)]
pub struct Config {
    shared: ClientConfig,
    pub(crate) endpoint: Endpoint,
    pub(crate) region: Option<String>,
    pub(crate) environment: Environment,
    pub(crate) api_version: ApiVersion,
    pub(crate) language: String,
    pub(crate) account_id: Option<String>,
    pub(crate) sign_account_id: bool,
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
        let mut b = Config::from_env();
        let env = Env::process();
        b.settings
            .fill_from_home_file(SOURCES, &mut b.shared, &env, CONFIG_FILE)
            .await?;
        Ok(b)
    }

    /// The endpoint URL requests go to.
    pub fn endpoint(&self) -> &Url {
        self.endpoint.url()
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

    imgshare_core::shared_config_getters!(shared);
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

    imgshare_core::protocol_settings!(shared, endpoint);

    fn signer(&self) -> Arc<dyn Signer> {
        let signer = ScpSigner::new();
        match self.account_id.clone().filter(|_| self.sign_account_id) {
            Some(id) => Arc::new(signer.account_id(id)),
            None => Arc::new(signer),
        }
    }

    fn default_credentials(&self) -> Arc<dyn ProvideCredentials> {
        Arc::new(default_chain())
    }

    /// Every call pins the API version and asks for JSON in the configured language.
    fn common_fields<Op: Operation>(&self, fields: &mut Vec<WireField>) {
        let version = self.api_version.header_value();
        fields.push(WireField::header(API_VERSION_HEADER, version));
        fields.push(WireField::header("Accept-Language", self.language.as_str()));
        fields.push(WireField::header("Accept", "application/json"));
    }

    fn check(&self, response: &HttpResponse) -> Result<(), Error> {
        crate::protocol::check(response)
    }
}

/// Builds a [`Config`].
#[derive(Debug, Default)]
pub struct ConfigBuilder {
    shared: ClientConfigBuilder,
    settings: Settings,
    sign_account_id: bool,
}

impl ConfigBuilder {
    imgshare_core::shared_config_setters!(shared);

    /// Fills unset settings from variables read through `lookup` (the names of [`SOURCES`];
    /// `IMGSHARE_ENDPOINT` first).
    pub fn fill_from(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        self.shared = self.shared.fill_from(&lookup);
        self.settings
            .fill_from_vars(SOURCES, &mut self.shared, lookup);
        self
    }

    /// Fills unset settings from the text of `~/.scpconf/config.json` (the keys of
    /// [`SOURCES`]; others are ignored).
    ///
    /// # Errors
    ///
    /// Why the text is not a JSON object of strings.
    pub fn fill_from_config_json(mut self, text: &str) -> Result<Self, String> {
        self.settings
            .fill_from_json(SOURCES, &mut self.shared, text)?;
        Ok(self)
    }

    /// The region, e.g. `kr-west1` (required unless an endpoint override is set).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings.set("region", region);
        self
    }

    /// The environment (default `e`).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.settings.set("environment", environment.as_str());
        self
    }

    /// The API version to pin (default [`ApiVersion::V1_3`]).
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.settings.set("api_version", version.to_string());
        self
    }

    /// The `Accept-Language` header, `en-US` (default) or `ko-KR`; it localises `detail`.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.settings.set("language", language);
        self
    }

    /// The caller's own account id: the member id used by
    /// [`Client::accept_share`](crate::Client::accept_share) and
    /// [`Client::reject_share`](crate::Client::reject_share).
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.settings.set("account_id", account_id);
        self
    }

    /// Also signs the account id and sends it as `Scp-AccountId`, as the official Go SDK can
    /// (off by default: working clients sign without it). Needs [`ConfigBuilder::account_id`].
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
        let settings = &self.settings;
        let environment = match (settings.get("environment"), settings.get("auth_url")) {
            (Some(e), _) => Environment::parse(e)?,
            (None, url) => url
                .and_then(Environment::from_auth_url)
                .unwrap_or(DEFAULT_ENVIRONMENT),
        };
        let region = settings.get("region").map(|r| r.trim().to_owned());
        // Checked with an endpoint override too: the region is kept and reported either way.
        if let Some(region) = &region {
            token("region", region, &REGION)?;
        }
        let shared = self.shared.build()?;
        let regional = match (shared.endpoint_url(), &region) {
            (Some(_), _) => String::new(),
            (None, Some(region)) => regional_endpoint(environment, region)?,
            (None, None) => return Err(InvalidInput::new("region", NO_REGION).into()),
        };
        let endpoint = shared.endpoint_or(&regional)?;
        let api_version = settings.parse("api_version", ApiVersion::parse)?;
        let api_version = api_version.unwrap_or_default();
        let language = settings.get("language").unwrap_or(DEFAULT_LANGUAGE);
        check_header("Accept-Language", language)
            .map_err(|p| InvalidInput::new("language", p.reason()))?;
        let account_id = settings.get("account_id").map(str::to_owned);
        if let Some(id) = &account_id {
            crate::validate::member_id("account_id", id)?;
        }
        if self.sign_account_id && account_id.is_none() {
            let why = "is required when sign_account_id is on";
            return Err(InvalidInput::new("account_id", why).into());
        }
        API_VERSIONS.warn_if_risky(api_version.0);
        Ok(Config {
            shared,
            endpoint,
            region,
            environment,
            api_version,
            language: language.to_owned(),
            account_id,
            sign_account_id: self.sign_account_id,
        })
    }
}

/// The official endpoint of `region`, which must be one of `environment`'s.
fn regional_endpoint(environment: Environment, region: &str) -> Result<String, InvalidInput> {
    let regions = environment.regions();
    if regions.contains(&region) {
        return Ok(endpoint_for(environment, region));
    }
    let message = format!(
        "{region:?} is not a region of environment {environment} (regions: {}); for another \
         host set an endpoint override",
        regions.join(", ")
    );
    Err(InvalidInput::new("region", message))
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
                "SCP_TF_DEFAULT_REGION" => Some("kr-east1".into()),
                "SCP_TF_ENDPOINT_OVERRIDE" => Some("http://127.0.0.1:9".into()),
                "SCP_TF_AUTH_URL" => Some("https://iam.s.samsungsdscloud.com/v1".into()),
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

    #[test]
    fn endpoint_overrides_keep_their_order_and_are_named_by_their_source() {
        // Catches a table that reads SCP_TF_ENDPOINT_OVERRIDE before SCP_ENDPOINT_OVERRIDE, lets
        // either beat IMGSHARE_ENDPOINT, or loses which variable a bad URL came from.
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let err = Config::builder()
            .region("kr-west1")
            .fill_from(vars(&[
                ("SCP_ENDPOINT_OVERRIDE", "ftp://x"),
                ("SCP_TF_ENDPOINT_OVERRIDE", "http://127.0.0.1:2"),
            ]))
            .build()
            .unwrap_err();
        assert_eq!(
            err.invalid_input().unwrap().field(),
            "SCP_ENDPOINT_OVERRIDE"
        );
        let c = Config::builder()
            .fill_from(vars(&[
                ("IMGSHARE_ENDPOINT", "http://127.0.0.1:1"),
                ("SCP_ENDPOINT_OVERRIDE", "http://127.0.0.1:2"),
            ]))
            .build()
            .unwrap();
        assert_eq!(c.endpoint().as_str(), "http://127.0.0.1:1/");
        let err = Config::builder()
            .fill_from_config_json(r#"{"endpoint-override":"http://u:p@x"}"#)
            .unwrap()
            .build()
            .unwrap_err();
        assert_eq!(err.invalid_input().unwrap().field(), "endpoint-override");
    }
}
