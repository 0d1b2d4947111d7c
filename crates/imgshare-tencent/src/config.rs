//! Client configuration: Tencent's own settings (region, endpoint choice, language) on top of
//! the shared [`ClientConfig`], and the [`Protocol`] every Tencent Cloud API speaks, CVM for the
//! images as STS for the credential providers: TC3 signing for the API's product, the action,
//! version, region and language in `X-TC-*` headers, and errors inside HTTP 200 answers.

use std::sync::Arc;

use imgshare_core::binding::{Endpoint, Location, WireField};
use imgshare_core::client::{OutputShape, Protocol};
use imgshare_core::credentials::{Anonymous, Env};
use imgshare_core::json_errors::JsonErrors;
use imgshare_core::operation::Operation;
use imgshare_core::sign::Signer;
use imgshare_core::sign::tc3::Tc3Signer;
use imgshare_core::sign::unsigned::Unsigned;
use imgshare_core::wire::{ListBase, ToWire};
use imgshare_core::{
    ClientConfig, ClientConfigBuilder, Error, HttpResponse, InvalidInput, ProvideCredentials,
};
use url::Url;

use crate::credentials::{ENV_REGION, default_chain};
use crate::error::{TencentError, classify_code};
use crate::validate::REGION;

pub use crate::model::Language;

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

/// Tencent's envelopes: `{"Response": {..., "RequestId"}}` on success and
/// `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}` on failure, both with HTTP 200.
/// `Response.Error` is looked for whatever the status and Content-Type say (the Python SDK
/// misses errors sent as `application/json; charset=utf-8`).
const ERRORS: JsonErrors = JsonErrors {
    provider: "Tencent",
    member: Some("Response"),
    error: "Error",
    code: "Code",
    message: "Message",
    request_id: "RequestId",
};

/// A Tencent Cloud API: the product signed in the credential scope and the version sent. Every
/// one speaks the same protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Api {
    pub(crate) service: &'static str,
    pub(crate) version: &'static str,
    /// Whether requests are signed (STS `AssumeRoleWithWebIdentity` is sent unsigned).
    pub(crate) signed: bool,
}

/// `AssumeRoleWithWebIdentity` goes unsigned, as the official SDKs send it.
const UNSIGNED: Unsigned = Unsigned {
    headers: &[("Authorization", "SKIP")],
    unix_time_header: Some("X-TC-Timestamp"),
};

const CVM: Api = Api {
    service: SERVICE,
    version: API_VERSION,
    signed: true,
};

/// Settings of a [`Client`](crate::Client). Build with [`Config::builder`].
#[derive(Debug, Clone)]
pub struct Config {
    shared: ClientConfig,
    api: Api,
    region: String,
    endpoint: Endpoint,
    language: Option<Language>,
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
        ConfigBuilder::default().fill_from(|name| Env::process().var(name))
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

    imgshare_core::shared_config_getters!(shared);
}

impl Protocol for Config {
    const PROVIDER: &'static str = "tencent";
    const USER_AGENT: &'static str = concat!("imgshare-tencent/", env!("CARGO_PKG_VERSION"));
    const LIST_BASE: ListBase = ListBase::Zero;
    const OUTPUT: OutputShape = OutputShape::Member("Response");
    const REQUEST_ID_HEADERS: &'static [&'static str] = &["x-tc-requestid"];

    imgshare_core::protocol_settings!(shared, endpoint);

    fn signer(&self) -> Arc<dyn Signer> {
        if self.api.signed {
            Arc::new(Tc3Signer::new(self.api.service))
        } else {
            Arc::new(UNSIGNED)
        }
    }

    /// The default chain; for an unsigned API, the anonymous placeholder.
    fn default_credentials(&self) -> Arc<dyn ProvideCredentials> {
        if self.api.signed {
            Arc::new(default_chain())
        } else {
            Arc::new(Anonymous)
        }
    }

    /// Every Tencent action is `POST /` with the action, version, region and language in
    /// headers.
    fn common_fields<Op: Operation>(&self, fields: &mut Vec<WireField>) {
        let header =
            |name, value: &str| WireField::new(name, name, Location::Header, value.to_wire());
        fields.push(header("X-TC-Action", Op::WIRE_NAME));
        fields.push(header("X-TC-Version", self.api.version));
        fields.push(header("X-TC-Region", &self.region));
        if let Some(language) = &self.language {
            fields.push(header("X-TC-Language", language.as_str()));
        }
    }

    fn check(&self, response: &HttpResponse) -> Result<(), Error> {
        ERRORS.check(response, Self::REQUEST_ID_HEADERS, classify_code)
    }
}

// The endpoints of a Tencent Cloud API, `{service}` and `{region}` filled in at build.
const NEAREST: &str = "https://{service}.tencentcloudapi.com/";
const REGIONAL: &str = "https://{service}.{region}.tencentcloudapi.com/";
const INTERNATIONAL: &str = "https://{service}.intl.tencentcloudapi.com/";

/// Builds a [`Config`].
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {
    shared: ClientConfigBuilder,
    api: Option<Api>,
    region: Option<String>,
    endpoint: Option<&'static str>,
    language: Option<Language>,
}

impl ConfigBuilder {
    imgshare_core::shared_config_setters!(shared);

    /// Another Tencent Cloud API than CVM (STS, for the credential providers).
    pub(crate) fn api(mut self, api: Api) -> Self {
        self.api = Some(api);
        self
    }

    /// Fills what is still unset from variables read through `lookup`: `TENCENTCLOUD_REGION`
    /// and `IMGSHARE_ENDPOINT`.
    pub fn fill_from(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let from_env = || lookup(ENV_REGION).filter(|v| !v.is_empty());
        self.region = self.region.or_else(from_env);
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
        self.endpoint = Some(REGIONAL);
        self
    }

    /// Sends to the international-site endpoint `cvm.intl.tencentcloudapi.com`.
    pub fn international_endpoint(mut self) -> Self {
        self.endpoint = Some(INTERNATIONAL);
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
                "is required by the CVM API: pass --region ap-guangzhou (SDK: .region(\"ap-guangzhou\")) \
                 or set TENCENTCLOUD_REGION",
            )
        })?;
        REGION.check("region", &region)?;
        let api = self.api.unwrap_or(CVM);
        let shared = self.shared.build()?;
        let template = self
            .endpoint
            .unwrap_or(NEAREST)
            .replace("{service}", api.service);
        let default = template.replace("{region}", &region);
        Ok(Config {
            endpoint: shared.endpoint_or(&default)?,
            shared,
            api,
            region,
            language: self.language,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use imgshare_core::ErrorMetadata as _;

    fn endpoint(builder: ConfigBuilder) -> String {
        builder.build().unwrap().endpoint().to_string()
    }

    #[test]
    fn endpoints_follow_the_api_and_the_region() {
        // Catches the endpoint templates filled with the wrong service or region, which would
        // send STS calls to CVM or a regional call to another region.
        let cvm = || Config::builder().region("ap-singapore");
        assert_eq!(endpoint(cvm()), DEFAULT_ENDPOINT);
        assert_eq!(
            endpoint(cvm().international_endpoint()),
            INTERNATIONAL_ENDPOINT
        );
        assert_eq!(
            endpoint(cvm().regional_endpoint()),
            "https://cvm.ap-singapore.tencentcloudapi.com/"
        );
        let sts = Api {
            service: "sts",
            version: "2018-08-13",
            signed: true,
        };
        let sts = Config::builder().api(sts).region("ap-guangzhou");
        assert_eq!(
            endpoint(sts.clone()),
            crate::credentials::DEFAULT_STS_ENDPOINT
        );
        let overridden = sts.endpoint_url("http://127.0.0.1:9/");
        assert_eq!(
            endpoint(overridden.regional_endpoint()),
            "http://127.0.0.1:9/"
        );
    }

    #[test]
    fn the_region_is_required_and_checked() {
        let err = Config::builder().build().unwrap_err();
        assert!(err.to_string().contains("TENCENTCLOUD_REGION"), "{err}");
        let err = Config::builder().region("Guangzhou").build().unwrap_err();
        assert_eq!(err.invalid_input().unwrap().field(), "region");
        let env = |name: &str| (name == ENV_REGION).then(|| "ap-shanghai".to_owned());
        let config = Config::builder().fill_from(env).build().unwrap();
        assert_eq!(config.region(), "ap-shanghai");
    }
}
