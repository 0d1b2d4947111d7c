//! Client configuration: region (required), endpoint, credentials, language, retries, timeouts.

use std::fmt;
use std::sync::Arc;

use imgshare_core::{
    Clock, Credentials, HttpClient, InvalidInput, ProvideCredentials, RetryConfig, StaticProvider,
    TimeoutConfig,
};
use url::Url;

use crate::credentials::{ENV_REGION, default_chain};
use crate::error::TencentError;

/// The CVM API version these operations use.
pub const API_VERSION: &str = "2017-03-12";
/// The product name signed in the credential scope, whatever the endpoint host is.
pub const SERVICE: &str = "cvm";
/// The nearest-access-point endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://cvm.tencentcloudapi.com/";
/// The international-site endpoint.
pub const INTERNATIONAL_ENDPOINT: &str = "https://cvm.intl.tencentcloudapi.com/";
/// Environment variable naming an endpoint URL to send to instead of Tencent's (a local fake, a
/// proxy). Read by [`Config::from_env`], the examples and the CLI (as `--endpoint`'s default).
pub const ENV_ENDPOINT: &str = "IMGSHARE_ENDPOINT";

imgshare_core::string_enum! {
    /// The language of Tencent's error messages (`X-TC-Language`; only some APIs honour it).
    pub enum Language {
        /// Simplified Chinese (Tencent's default).
        ZhCn => "zh-CN",
        /// English.
        EnUs => "en-US",
    }
}

/// Settings of a [`Client`](crate::Client). Build with [`Config::builder`].
#[derive(Clone)]
pub struct Config {
    pub(crate) region: String,
    pub(crate) endpoint: Url,
    pub(crate) credentials: Arc<dyn ProvideCredentials>,
    pub(crate) language: Option<Language>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) http: Option<Arc<dyn HttpClient>>,
    pub(crate) clock: Option<Arc<dyn Clock>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint.as_str())
            .field("credentials", &self.credentials)
            .field("language", &self.language)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A builder with defaults: the default endpoint, the default credentials chain
    /// ([`credentials::default_chain`](crate::credentials::default_chain): environment, profile
    /// file, CVM instance role, TKE OIDC), standard retries.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder set from the environment: the region from `TENCENTCLOUD_REGION` and the
    /// endpoint from `IMGSHARE_ENDPOINT`, when set; credentials from the default chain
    /// ([`credentials::default_chain`](crate::credentials::default_chain)) unless given.
    /// Builder calls made afterwards override both.
    pub fn from_env() -> ConfigBuilder {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        ConfigBuilder {
            region: var(ENV_REGION),
            endpoint: var(ENV_ENDPOINT).map(Endpoint::Url),
            ..ConfigBuilder::default()
        }
    }

    /// The language of error messages, when one is set (Tencent's default is `zh-CN`).
    pub fn language(&self) -> Option<&Language> {
        self.language.as_ref()
    }

    /// The region (`ap-guangzhou`).
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The endpoint URL.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }
}

enum Endpoint {
    Default,
    Regional,
    International,
    Url(String),
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    endpoint: Option<Endpoint>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    language: Option<Language>,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    http: Option<Arc<dyn HttpClient>>,
    clock: Option<Arc<dyn Clock>>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// The region, e.g. `ap-guangzhou` (required: the image APIs are regional, and sharing
    /// works only within one region).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends to this URL instead (`http://127.0.0.1:PORT` for a local fake). The signature still
    /// names the `cvm` service.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(Endpoint::Url(url.into()));
        self
    }

    /// Sends to the region-pinned endpoint `cvm.<region>.tencentcloudapi.com`.
    pub fn regional_endpoint(mut self) -> Self {
        self.endpoint = Some(Endpoint::Regional);
        self
    }

    /// Sends to the international-site endpoint `cvm.intl.tencentcloudapi.com`.
    pub fn international_endpoint(mut self) -> Self {
        self.endpoint = Some(Endpoint::International);
        self
    }

    /// Fixed credentials (one client per account).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(StaticProvider::new(credentials)));
        self
    }

    /// A credentials provider.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// The language of error messages.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Retry settings (default: 3 attempts, full-jitter exponential backoff).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Timeouts.
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Shares an HTTP client (and its connection pool) between clients, or plugs in another.
    pub fn http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    /// The clock used for signing (tests).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Checks the settings and builds the config.
    pub fn build(self) -> Result<Config, TencentError> {
        let region = self.region.ok_or_else(|| {
            InvalidInput::new(
                "region",
                "is required by the CVM API: call .region(\"ap-guangzhou\") or set TENCENTCLOUD_REGION",
            )
        })?;
        if region.is_empty()
            || !region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(InvalidInput::new(
                "region",
                format!("must look like `ap-guangzhou`, got {region:?}"),
            )
            .into());
        }
        let endpoint_text = match self.endpoint.unwrap_or(Endpoint::Default) {
            Endpoint::Default => DEFAULT_ENDPOINT.to_owned(),
            Endpoint::International => INTERNATIONAL_ENDPOINT.to_owned(),
            Endpoint::Regional => format!("https://cvm.{region}.tencentcloudapi.com/"),
            Endpoint::Url(u) => u,
        };
        let endpoint = imgshare_core::binding::parse_endpoint("endpoint_url", &endpoint_text)?;
        Ok(Config {
            region,
            endpoint,
            credentials: self
                .credentials
                .unwrap_or_else(|| Arc::new(default_chain())),
            language: self.language,
            retry: self.retry.unwrap_or_default(),
            timeouts: self.timeouts.unwrap_or_default(),
            http: self.http,
            clock: self.clock,
        })
    }
}
