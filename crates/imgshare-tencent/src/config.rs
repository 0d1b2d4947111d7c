//! Client configuration: Tencent's own settings (region, endpoint choice, language) on top of
//! the shared [`ClientConfig`], and the [`Protocol`] that tells the core client how to talk to
//! CVM: TC3 signing, the `X-TC-*` headers, errors inside HTTP 200 answers.

use std::fmt;
use std::sync::Arc;

use imgshare_core::binding::{Location, WireField};
use imgshare_core::client::{OutputShape, Protocol};
use imgshare_core::operation::Operation;
use imgshare_core::sign::Signer;
use imgshare_core::sign::tc3::Tc3Signer;
use imgshare_core::wire::{ListBase, ToWire};
use imgshare_core::{
    ClientConfig, ClientConfigBuilder, Error, HttpResponse, InvalidInput, ProvideCredentials,
    RetryConfig, TimeoutConfig,
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
/// proxy), shared by every provider. Read by [`Config::from_env`].
pub const ENV_ENDPOINT: &str = imgshare_core::config::ENV_ENDPOINT;

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
    shared: ClientConfig,
    region: String,
    endpoint: Url,
    language: Option<Language>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint.as_str())
            .field("language", &self.language)
            .field("shared", &self.shared)
            .finish()
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
        ConfigBuilder::default().fill_from(|name| std::env::var(name).ok())
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

impl Protocol for Config {
    const PROVIDER: &'static str = "tencent";
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
        Arc::new(Tc3Signer::new(SERVICE))
    }

    fn default_credentials(&self) -> Arc<dyn ProvideCredentials> {
        Arc::new(default_chain())
    }

    fn common_fields<Op: Operation>(&self, fields: &mut Vec<WireField>) {
        let language = self.language.as_ref().map(Language::as_str);
        tc_headers::<Op>(fields, API_VERSION, &self.region, language);
    }

    fn check(&self, response: &HttpResponse) -> Result<(), Error> {
        crate::protocol::check(response)
    }
}

/// Every Tencent action is `POST /` with the action, version, region and language in headers
/// (CVM and STS alike).
pub(crate) fn tc_headers<Op: Operation>(
    fields: &mut Vec<WireField>,
    version: &'static str,
    region: &str,
    language: Option<&str>,
) {
    let header = |name, value: &str| WireField::new(name, name, Location::Header, value.to_wire());
    fields.push(header("X-TC-Action", Op::WIRE_NAME));
    fields.push(header("X-TC-Version", version));
    fields.push(header("X-TC-Region", region));
    if let Some(language) = language {
        fields.push(header("X-TC-Language", language));
    }
}

enum Endpoint {
    Default,
    Regional,
    International,
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    shared: ClientConfigBuilder,
    region: Option<String>,
    endpoint: Option<Endpoint>,
    language: Option<Language>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("region", &self.region)
            .field("shared", &self.shared)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    imgshare_core::shared_config_setters!(shared);

    /// Fills what is still unset from variables read through `lookup`: `TENCENTCLOUD_REGION`
    /// and `IMGSHARE_ENDPOINT`.
    pub fn fill_from(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        if self.region.is_none() {
            self.region = lookup(ENV_REGION).filter(|v| !v.is_empty());
        }
        self.shared = self.shared.fill_from(lookup);
        self
    }

    /// The region, e.g. `ap-guangzhou` (required: the image APIs are regional, and sharing
    /// works only within one region).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
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

    /// The language of error messages.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Checks the settings and builds the config.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] for a missing or malformed region, or an empty or malformed endpoint.
    pub fn build(self) -> Result<Config, TencentError> {
        let region = self.region.ok_or_else(|| {
            InvalidInput::new(
                "region",
                "is required by the CVM API: call .region(\"ap-guangzhou\") or set TENCENTCLOUD_REGION",
            )
        })?;
        if region.is_empty()
            || region.len() > 64
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
        let shared = self.shared.build()?;
        let endpoint = match (
            shared.endpoint_url(),
            self.endpoint.unwrap_or(Endpoint::Default),
        ) {
            (Some(url), _) => imgshare_core::binding::parse_endpoint(
                shared.endpoint_source().unwrap_or("endpoint_url"),
                url,
            )?,
            (None, choice) => {
                let text = match choice {
                    Endpoint::Default => DEFAULT_ENDPOINT.to_owned(),
                    Endpoint::International => INTERNATIONAL_ENDPOINT.to_owned(),
                    Endpoint::Regional => format!("https://cvm.{region}.tencentcloudapi.com/"),
                };
                imgshare_core::binding::parse_endpoint("endpoint_url", &text)?
            }
        };
        Ok(Config {
            shared,
            region,
            endpoint,
            language: self.language,
        })
    }
}
