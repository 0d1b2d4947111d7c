//! Client configuration: site or endpoint, VPC region, response format, credentials, retries,
//! timeouts.

use std::fmt;
use std::sync::Arc;

use imgshare_core::{
    Clock, Credentials, HttpClient, InvalidInput, ProvideCredentials, RetryConfig, StaticProvider,
    TimeoutConfig,
};
use url::Url;

use crate::credentials::default_chain;
use crate::error::NcloudError;

/// The public site's API Gateway (`www.ncloud.com`).
pub const PUBLIC_ENDPOINT: &str = "https://ncloud.apigw.ntruss.com";
/// The government site's API Gateway (`www.gov-ncloud.com`).
pub const GOV_ENDPOINT: &str = "https://ncloud.apigw.gov-ntruss.com";
/// The financial site's API Gateway (`www.fin-ncloud.com`; from the Terraform provider only,
/// ncloud.md §8 question 8).
pub const FIN_ENDPOINT: &str = "https://fin-ncloud.apigw.fin-ntruss.com";
/// Environment variable replacing the gateway's scheme and host, as the official SDKs read it
/// (the service path `/vserver/v2` or `/server/v2` is appended).
pub const ENV_API_GW: &str = "NCLOUD_API_GW";
/// imgshare's own endpoint variable, honoured by every provider's `Config::from_env`, the CLI
/// and the examples; it wins over [`ENV_API_GW`] (point everything at `imgshare-fake` at once).
pub const ENV_ENDPOINT: &str = "IMGSHARE_ENDPOINT";
/// Environment variable naming the VPC region code (Terraform's name), read by
/// [`Config::from_env`].
pub const ENV_REGION: &str = "NCLOUD_REGION";
/// Environment variable naming the site (`public`, `gov`, `fin`; Terraform's name), read by
/// [`Config::from_env`].
pub const ENV_SITE: &str = "NCLOUD_SITE";

imgshare_core::string_enum! {
    /// An NCP site, each with its own API Gateway (ncloud.md §2.1).
    pub enum Site {
        /// `https://ncloud.apigw.ntruss.com`.
        Public => "public",
        /// Government: `https://ncloud.apigw.gov-ntruss.com`.
        Gov => "gov",
        /// Financial: `https://fin-ncloud.apigw.fin-ntruss.com`.
        Fin => "fin",
    }
}

impl Site {
    /// The site's gateway URL; `None` for an unknown site.
    pub fn endpoint(&self) -> Option<&'static str> {
        match self {
            Site::Public => Some(PUBLIC_ENDPOINT),
            Site::Gov => Some(GOV_ENDPOINT),
            Site::Fin => Some(FIN_ENDPOINT),
            Site::Unknown(_) => None,
        }
    }
}

imgshare_core::string_enum! {
    /// The format asked for with `responseFormatType`. Either is decoded into the same types;
    /// whatever actually arrives is decoded by its Content-Type and first byte.
    pub enum ResponseFormat {
        /// JSON (this SDK's default, as in every official SDK).
        Json => "json",
        /// XML (NCP's own default).
        Xml => "xml",
    }
}

/// Settings of a [`Client`](crate::Client). Build with [`Config::builder`].
#[derive(Clone)]
pub struct Config {
    pub(crate) endpoint: Url,
    pub(crate) region_code: Option<String>,
    pub(crate) response_format: ResponseFormat,
    pub(crate) credentials: Arc<dyn ProvideCredentials>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) http: Option<Arc<dyn HttpClient>>,
    pub(crate) clock: Option<Arc<dyn Clock>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("endpoint", &self.endpoint.as_str())
            .field("region_code", &self.region_code)
            .field("response_format", &self.response_format)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A builder with defaults: the public site, no `regionCode` (NCP then uses the first
    /// region of `getRegionList`, `KR`), JSON, the default credentials chain (environment,
    /// `~/.ncloud/configure`, Server Role), standard retries. Reads no environment variable
    /// for the endpoint; see [`Config::from_env`].
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder that also reads `NCLOUD_API_GW` (endpoint), `NCLOUD_SITE` and `NCLOUD_REGION`
    /// when set; later builder calls override them.
    pub fn from_env() -> ConfigBuilder {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        ConfigBuilder {
            endpoint: var(ENV_ENDPOINT)
                .map(|u| EndpointChoice::Url(u, ENV_ENDPOINT))
                .or_else(|| var(ENV_API_GW).map(|u| EndpointChoice::Url(u, ENV_API_GW)))
                .or_else(|| var(ENV_SITE).map(|s| EndpointChoice::Site(Site::from(s.trim())))),
            region_code: var(ENV_REGION),
            ..ConfigBuilder::default()
        }
    }

    /// The gateway URL (scheme, host and an optional path prefix).
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The VPC `regionCode` sent with every VPC call, if set.
    pub fn region_code(&self) -> Option<&str> {
        self.region_code.as_deref()
    }

    /// The format asked for.
    pub fn response_format(&self) -> &ResponseFormat {
        &self.response_format
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

#[derive(Debug, Clone)]
enum EndpointChoice {
    Site(Site),
    /// A URL and where it came from (for the error's field name).
    Url(String, &'static str),
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    endpoint: Option<EndpointChoice>,
    region_code: Option<String>,
    response_format: Option<ResponseFormat>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    http: Option<Arc<dyn HttpClient>>,
    clock: Option<Arc<dyn Clock>>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("endpoint", &self.endpoint)
            .field("region_code", &self.region_code)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// Uses a site's gateway (default [`Site::Public`]).
    pub fn site(mut self, site: Site) -> Self {
        self.endpoint = Some(EndpointChoice::Site(site));
        self
    }

    /// Sends to this gateway URL instead (`http://127.0.0.1:PORT` for a local fake); the service
    /// path `/vserver/v2/…` or `/server/v2/…` is appended, after any path the URL has.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(EndpointChoice::Url(url.into(), "endpoint_url"));
        self
    }

    /// The VPC region code sent as `regionCode` with every VPC call (`KR`, `SGN`, `JPN`, `FKR`).
    /// Classic calls never send it (their lists filter by `regionNo`).
    pub fn region_code(mut self, region: impl Into<String>) -> Self {
        self.region_code = Some(region.into());
        self
    }

    /// The format to ask for (default JSON).
    pub fn response_format(mut self, format: ResponseFormat) -> Self {
        self.response_format = Some(format);
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

    /// Shares an HTTP client between clients, or plugs in another.
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
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] naming `endpoint_url` (or `NCLOUD_API_GW`) for a URL that is not an
    /// absolute `http`/`https` URL without user info, query or fragment, `site` for an unknown
    /// site, and `region_code` for a code that is not upper-case letters and digits.
    pub fn build(self) -> Result<Config, NcloudError> {
        let endpoint = match self.endpoint.unwrap_or(EndpointChoice::Site(Site::Public)) {
            EndpointChoice::Site(site) => {
                let url = site.endpoint().ok_or_else(|| {
                    InvalidInput::new(
                        "site",
                        format!("`{site}` is not a known NCP site (public, gov or fin)"),
                    )
                })?;
                imgshare_core::binding::parse_endpoint("site", url)?
            }
            EndpointChoice::Url(url, field) => {
                imgshare_core::binding::parse_endpoint(field, url.trim())?
            }
        };
        if let Some(region) = &self.region_code
            && (region.is_empty()
                || !region
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
        {
            return Err(InvalidInput::new(
                "region_code",
                format!("must be an NCP region code like `KR` or `SGN`, got {region:?}"),
            )
            .into());
        }
        Ok(Config {
            endpoint,
            region_code: self.region_code,
            response_format: self.response_format.unwrap_or(ResponseFormat::Json),
            credentials: self
                .credentials
                .unwrap_or_else(|| Arc::new(default_chain())),
            retry: self.retry.unwrap_or_default(),
            timeouts: self.timeouts.unwrap_or_default(),
            http: self.http,
            clock: self.clock,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use imgshare_core::ErrorMetadata;

    #[test]
    fn sites_and_overrides() {
        let c = Config::builder().site(Site::Gov).build().unwrap();
        assert_eq!(
            c.endpoint().as_str(),
            "https://ncloud.apigw.gov-ntruss.com/"
        );
        let c = Config::builder().build().unwrap();
        assert_eq!(c.endpoint().as_str(), "https://ncloud.apigw.ntruss.com/");
        let e = Config::builder()
            .endpoint_url("https://u:p@x.test")
            .build()
            .unwrap_err();
        assert_eq!(e.invalid_input().unwrap().field(), "endpoint_url");
        let e = Config::builder().region_code("kr").build().unwrap_err();
        assert_eq!(e.invalid_input().unwrap().field(), "region_code");
        let e = Config::builder()
            .site(Site::from("moon"))
            .build()
            .unwrap_err();
        assert_eq!(e.invalid_input().unwrap().field(), "site");
    }
}
