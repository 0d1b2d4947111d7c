//! Client configuration: NAVER Cloud's own settings (site, VPC region, response format) on top
//! of the shared [`ClientConfig`], and the [`Protocol`] that tells the core client how to talk
//! to the API Gateway: signature v2, `POST` forms carrying `regionCode` and
//! `responseFormatType`, errors in the body at any status.

use std::fmt;
use std::sync::Arc;

use imgshare_core::binding::{Endpoint, Location, WireField};
use imgshare_core::client::{OutputShape, Protocol};
use imgshare_core::operation::Operation;
use imgshare_core::sign::Signer;
use imgshare_core::sign::ncp::NcpSigner;
use imgshare_core::wire::{ListBase, ToWire};
use imgshare_core::{
    ClientConfig, ClientConfigBuilder, Error, HttpResponse, InvalidInput, ProvideCredentials,
};
use url::Url;

use crate::credentials::default_chain;
use crate::error::NcloudError;

/// The public site's API Gateway (`www.ncloud.com`).
pub const PUBLIC_ENDPOINT: &str = "https://ncloud.apigw.ntruss.com";
/// The government site's API Gateway (`www.gov-ncloud.com`).
pub const GOV_ENDPOINT: &str = "https://ncloud.apigw.gov-ntruss.com";
/// The financial site's API Gateway (`www.fin-ncloud.com`; from the official Terraform provider only,
/// no financial-site API page names it).
pub const FIN_ENDPOINT: &str = "https://fin-ncloud.apigw.fin-ntruss.com";
/// Environment variable replacing the gateway's scheme and host, as the official SDKs read it
/// (the service path `/vserver/v2` or `/server/v2` is appended).
pub const ENV_API_GW: &str = "NCLOUD_API_GW";
/// imgshare's own endpoint variable, honoured by every provider's `Config::from_env`, the CLI
/// and the examples; it wins over [`ENV_API_GW`] (point everything at `imgshare-fake` at once).
pub const ENV_ENDPOINT: &str = imgshare_core::config::ENV_ENDPOINT;
/// The path prefix of the VPC Server API.
pub const VPC_PATH_PREFIX: &str = "/vserver/v2/";
/// The path prefix of the Classic Server API.
pub const CLASSIC_PATH_PREFIX: &str = "/server/v2/";
/// Environment variable naming the VPC region code (Terraform's name), read by
/// [`Config::from_env`].
pub const ENV_REGION: &str = "NCLOUD_REGION";
/// Environment variable naming the site (`public`, `gov`, `fin`; Terraform's name), read by
/// [`Config::from_env`].
pub const ENV_SITE: &str = "NCLOUD_SITE";

imgshare_core::string_enum! {
    /// An NCP site, each with its own API Gateway (public `ncloud.apigw.ntruss.com`, government and financial).
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
#[derive(Debug, Clone)]
pub struct Config {
    shared: ClientConfig,
    endpoint: Endpoint,
    region_code: Option<String>,
    response_format: ResponseFormat,
}

impl Config {
    /// A builder with defaults: the public site, no `regionCode` (NCP then uses the first
    /// region of `getRegionList`, `KR`), JSON, the default credentials chain (environment,
    /// `~/.ncloud/configure`, Server Role), standard retries. Reads no environment variable
    /// for the endpoint; see [`Config::from_env`].
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder that also reads `IMGSHARE_ENDPOINT`, then `NCLOUD_API_GW` (endpoint),
    /// `NCLOUD_SITE` and `NCLOUD_REGION` when set; later builder calls override them.
    pub fn from_env() -> ConfigBuilder {
        ConfigBuilder::default().fill_from(|name| std::env::var(name).ok())
    }

    /// The gateway URL (scheme, host and an optional path prefix).
    pub fn endpoint(&self) -> &Url {
        self.endpoint.url()
    }

    /// The VPC `regionCode` sent with every VPC call, if set.
    pub fn region_code(&self) -> Option<&str> {
        self.region_code.as_deref()
    }

    /// The format asked for.
    pub fn response_format(&self) -> &ResponseFormat {
        &self.response_format
    }

    imgshare_core::shared_config_getters!(shared);
}

impl Protocol for Config {
    const PROVIDER: &'static str = "ncloud";
    const USER_AGENT: &'static str = concat!("imgshare-ncloud/", env!("CARGO_PKG_VERSION"));
    const LIST_BASE: ListBase = ListBase::One;
    const OUTPUT: OutputShape = OutputShape::Root;
    const REQUEST_ID_HEADERS: &'static [&'static str] = &[];

    imgshare_core::protocol_settings!(shared, endpoint);

    fn signer(&self) -> Arc<dyn Signer> {
        Arc::new(NcpSigner::new())
    }

    fn default_credentials(&self) -> Arc<dyn ProvideCredentials> {
        Arc::new(default_chain())
    }

    /// Every call is `POST /{service}/v2/{action}` with a form: `regionCode` for VPC calls
    /// when the config names one, then `responseFormatType`. Only the bare action path is
    /// signed and sent, so no query encoding question arises.
    fn common_fields<Op: Operation>(&self, fields: &mut Vec<WireField>) {
        if Op::BINDING.path.starts_with(VPC_PATH_PREFIX)
            && let Some(region) = &self.region_code
        {
            fields.push(WireField::new(
                "region_code",
                "regionCode",
                Location::Form,
                region.as_str().to_wire(),
            ));
        }
        fields.push(WireField::new(
            "response_format",
            "responseFormatType",
            Location::Form,
            self.response_format.as_str().to_wire(),
        ));
    }

    fn check(&self, response: &HttpResponse) -> Result<(), Error> {
        crate::protocol::check(response)
    }
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    shared: ClientConfigBuilder,
    site: Option<Site>,
    region_code: Option<String>,
    response_format: Option<ResponseFormat>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("site", &self.site)
            .field("region_code", &self.region_code)
            .field("shared", &self.shared)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    imgshare_core::shared_config_setters!(shared);

    /// Fills what is still unset from variables read through `lookup`: the endpoint from
    /// `IMGSHARE_ENDPOINT`, else `NCLOUD_API_GW`; the site from `NCLOUD_SITE`; the region
    /// from `NCLOUD_REGION`.
    pub fn fill_from(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        self.shared = self.shared.fill_from(&lookup);
        if !self.shared.has_endpoint_url()
            && let Some(url) = var(ENV_API_GW)
        {
            self.shared = self.shared.endpoint_url_from(url.trim(), ENV_API_GW);
        }
        if self.site.is_none() {
            self.site = var(ENV_SITE).map(|s| Site::from(s.trim()));
        }
        if self.region_code.is_none() {
            self.region_code = var(ENV_REGION);
        }
        self
    }

    /// Uses a site's gateway (default [`Site::Public`]); an endpoint URL, when set, wins.
    pub fn site(mut self, site: Site) -> Self {
        self.site = Some(site);
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

    /// Checks the settings and builds the config.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] naming `endpoint_url` (or where the URL came from) for a URL that is
    /// empty or not an absolute `http`/`https` URL without user info, query or fragment, `site`
    /// for an unknown site, and `region_code` for a code that is not upper-case letters and
    /// digits.
    pub fn build(self) -> Result<Config, NcloudError> {
        let shared = self.shared.build()?;
        // An endpoint URL, when set, wins over the site (whose name is then not checked).
        let site_url = match shared.endpoint_url() {
            Some(_) => "",
            None => {
                let site = self.site.unwrap_or(Site::Public);
                site.endpoint().ok_or_else(|| {
                    InvalidInput::new(
                        "site",
                        format!("`{site}` is not a known NCP site (public, gov or fin)"),
                    )
                })?
            }
        };
        let endpoint = shared.endpoint_or(site_url)?;
        if let Some(region) = &self.region_code
            && (region.is_empty()
                || region.len() > 16
                || !region
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
        {
            return Err(InvalidInput::new(
                "region_code",
                format!(
                    "must be an NCP region code like `KR` or `SGN`, got {}",
                    imgshare_core::validate::quote(region)
                ),
            )
            .into());
        }
        Ok(Config {
            shared,
            endpoint,
            region_code: self.region_code,
            response_format: self.response_format.unwrap_or(ResponseFormat::Json),
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
