//! The settings every provider shares, in one type with one builder.
//!
//! Each provider's `ConfigBuilder` holds a [`ClientConfigBuilder`] and gets its setters from
//! [`shared_config_setters!`](crate::shared_config_setters), so the same setting has the same
//! name everywhere (`endpoint_url`, `credentials`, `retry`, …) and is written once. A
//! [`ClientConfig`] built once can seed every provider's builder (`.shared(&config)`), as
//! `aws-types`' `SdkConfig` seeds each service's config.
//!
//! Precedence, for every provider: a builder call > the environment > a profile file > the
//! default. [`ClientConfigBuilder::from_env`] fills only what is unset, so calls made before or
//! after it still win.

use std::fmt;
use std::sync::Arc;

use crate::binding::{Endpoint, parse_endpoint};
use crate::clock::Clock;
use crate::credentials::{Credentials, ProvideCredentials, StaticProvider};
use crate::error::InvalidInput;
use crate::http::HttpClient;
use crate::retry::RetryConfig;
use crate::timeout::TimeoutConfig;

/// The environment variable naming an endpoint URL that every provider sends to instead of its
/// own (a local fake, a proxy).
pub const ENV_ENDPOINT: &str = "IMGSHARE_ENDPOINT";

/// Settings every provider shares. Build with [`ClientConfig::builder`].
#[derive(Clone, Default)]
pub struct ClientConfig {
    endpoint_url: Option<String>,
    endpoint_source: Option<&'static str>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    http: Option<Arc<dyn HttpClient>>,
    clock: Option<Arc<dyn Clock>>,
    max_response_bytes: Option<usize>,
    user_agent_suffix: Option<String>,
    no_proxy: bool,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("endpoint_url", &self.endpoint_url)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("http", &self.http.is_some())
            .field("clock", &self.clock.is_some())
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl ClientConfig {
    /// A builder with the defaults: the provider's own endpoint and credentials chain, 3
    /// attempts, the default timeouts.
    pub fn builder() -> ClientConfigBuilder {
        ClientConfigBuilder::default()
    }

    /// The endpoint URL that replaces the provider's own, when one is set.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Where the endpoint override came from (`endpoint_url`, `IMGSHARE_ENDPOINT`, …), for
    /// errors and for saying where requests go.
    pub fn endpoint_source(&self) -> Option<&'static str> {
        self.endpoint_source
    }

    /// The URL requests go to: the endpoint override when one is set, else the provider's
    /// `default`.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] for a malformed URL, naming where the override came from.
    pub fn endpoint_or(&self, default: &str) -> Result<Endpoint, InvalidInput> {
        let url = match &self.endpoint_url {
            Some(url) => parse_endpoint(self.endpoint_source.unwrap_or("endpoint_url"), url),
            None => parse_endpoint("endpoint_url", default),
        };
        url.map(Endpoint)
    }

    /// The credentials provider, when one is set (else the provider's default chain is used).
    pub fn credentials(&self) -> Option<&Arc<dyn ProvideCredentials>> {
        self.credentials.as_ref()
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// The HTTP client, when one was given.
    pub fn http_client(&self) -> Option<&Arc<dyn HttpClient>> {
        self.http.as_ref()
    }

    /// The clock, when one was given.
    pub fn clock(&self) -> Option<&Arc<dyn Clock>> {
        self.clock.as_ref()
    }

    /// The response-size limit, when one was given.
    pub fn max_response_bytes(&self) -> Option<usize> {
        self.max_response_bytes
    }

    /// The text appended to the `User-Agent`, when one was given.
    pub fn user_agent_suffix(&self) -> Option<&str> {
        self.user_agent_suffix.as_deref()
    }

    /// Whether the default HTTP client ignores the proxy variables (`HTTP_PROXY`,
    /// `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`).
    pub fn no_proxy(&self) -> bool {
        self.no_proxy
    }
}

/// Builds a [`ClientConfig`]; every provider's `ConfigBuilder` has the same setters.
#[derive(Clone, Default)]
pub struct ClientConfigBuilder {
    config: ClientConfig,
}

impl fmt::Debug for ClientConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClientConfigBuilder")
            .field(&self.config)
            .finish()
    }
}

impl ClientConfigBuilder {
    /// Starts from `config` (settings shared between providers).
    pub fn shared(mut self, config: &ClientConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// Fills what is still unset from the process environment: the endpoint from
    /// `IMGSHARE_ENDPOINT`.
    pub fn from_env(self) -> Self {
        self.fill_from(|name| std::env::var(name).ok())
    }

    /// Fills what is still unset from variables read through `lookup` (tests). A variable set
    /// to the empty string counts as set, so that the build refuses it rather than silently
    /// using the provider's production endpoint.
    pub fn fill_from(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        if self.config.endpoint_url.is_none()
            && let Some(url) = lookup(ENV_ENDPOINT)
        {
            self.config.endpoint_url = Some(url);
            self.config.endpoint_source = Some(ENV_ENDPOINT);
        }
        self
    }

    /// Sends to this URL instead of the provider's endpoint (`http://127.0.0.1:PORT` for a
    /// local fake). The signature still names the provider's service.
    pub fn endpoint_url(self, url: impl Into<String>) -> Self {
        self.endpoint_url_from(url, "endpoint_url")
    }

    /// As [`ClientConfigBuilder::endpoint_url`], naming where the URL came from (a flag, a
    /// plan entry, a variable) for errors and for saying where requests go.
    pub fn endpoint_url_from(mut self, url: impl Into<String>, source: &'static str) -> Self {
        self.config.endpoint_url = Some(url.into());
        self.config.endpoint_source = Some(source);
        self
    }

    /// Whether an endpoint override is set.
    pub fn has_endpoint_url(&self) -> bool {
        self.config.endpoint_url.is_some()
    }

    /// Fixed credentials (one client per account).
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(StaticProvider::new(credentials))
    }

    /// A credentials provider, resolved once and refreshed before it expires.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials = Some(Arc::new(provider));
        self
    }

    /// A shared credentials provider.
    pub fn shared_credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.config.credentials = Some(provider);
        self
    }

    /// Retry settings (default: 3 attempts, full-jitter exponential backoff).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.config.retry = retry;
        self
    }

    /// Timeouts (default: 60 s per attempt, 180 s per operation, 10 s to connect).
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.config.timeouts = timeouts;
        self
    }

    /// Shares an HTTP client (and its connection pool) between clients, or plugs in another.
    pub fn http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.config.http = Some(http);
        self
    }

    /// The clock used for signing (tests); it is then trusted as is, with no clock-skew
    /// correction.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.config.clock = Some(clock);
        self
    }

    /// Limits response bodies read by the default HTTP client (default 16 MiB).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.config.max_response_bytes = Some(limit);
        self
    }

    /// Appends `text` (`myapp/1.2`) to the `User-Agent`.
    pub fn user_agent_suffix(mut self, text: impl Into<String>) -> Self {
        self.config.user_agent_suffix = Some(text.into());
        self
    }

    /// With `true`, the default HTTP client connects directly, ignoring `HTTP_PROXY`,
    /// `HTTPS_PROXY` and `ALL_PROXY` (default `false`: they are honoured, with `NO_PROXY`'s
    /// exceptions). A client given with `http_client` keeps its own proxy settings.
    pub fn no_proxy(mut self, no_proxy: bool) -> Self {
        self.config.no_proxy = no_proxy;
        self
    }

    /// The settings so far, checked.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] naming the endpoint's source for an empty endpoint URL (an empty
    /// override is a mistake, never "the default").
    pub fn build(self) -> Result<ClientConfig, InvalidInput> {
        if let Some(url) = &self.config.endpoint_url
            && url.trim().is_empty()
        {
            return Err(InvalidInput::new(
                self.config.endpoint_source.unwrap_or("endpoint_url"),
                "is empty: give a URL such as `http://127.0.0.1:9000`, or leave it unset for \
                 the provider's own endpoint",
            ));
        }
        Ok(self.config)
    }
}

/// Adds the shared getters to a provider's config, reading its [`ClientConfig`] field:
/// `shared`, `retry`, `timeouts`.
///
/// ```
/// use imgshare_core::ClientConfig;
///
/// pub struct Config {
///     shared: ClientConfig,
/// }
///
/// impl Config {
///     imgshare_core::shared_config_getters!(shared);
/// }
///
/// let config = Config { shared: ClientConfig::builder().build()? };
/// assert_eq!(config.retry().max_attempts(), 3);
/// # Ok::<(), imgshare_core::InvalidInput>(())
/// ```
#[macro_export]
macro_rules! shared_config_getters {
    ($field:ident) => {
        /// The settings every provider shares.
        pub fn shared(&self) -> &$crate::config::ClientConfig {
            &self.$field
        }

        /// The retry settings.
        pub fn retry(&self) -> &$crate::RetryConfig {
            self.$field.retry()
        }

        /// The timeouts.
        pub fn timeouts(&self) -> &$crate::TimeoutConfig {
            self.$field.timeouts()
        }
    };
}

/// Implements [`Protocol::shared`](crate::Protocol::shared) and
/// [`Protocol::endpoint`](crate::Protocol::endpoint) inside a provider config's `impl Protocol`,
/// from its [`ClientConfig`] and [`Endpoint`](crate::binding::Endpoint) (or `Url`) fields.
///
/// ```text
/// impl Protocol for Config {
///     imgshare_core::protocol_settings!(shared, endpoint);
///     // the provider's own items
/// }
/// ```
#[macro_export]
macro_rules! protocol_settings {
    ($shared:ident, $endpoint:ident) => {
        fn shared(&self) -> &$crate::config::ClientConfig {
            &self.$shared
        }

        fn endpoint(&self) -> &$crate::__private::Url {
            &self.$endpoint
        }
    };
}

/// Adds the shared setters to a provider's config builder, delegating to its
/// [`ClientConfigBuilder`] field: `shared`, `endpoint_url`, `credentials`,
/// `credentials_provider`, `shared_credentials_provider`, `retry`, `timeouts`, `http_client`,
/// `clock`, `max_response_bytes`, `user_agent_suffix`, `no_proxy`.
///
/// ```
/// use imgshare_core::ClientConfigBuilder;
///
/// #[derive(Default)]
/// pub struct ConfigBuilder {
///     shared: ClientConfigBuilder,
/// }
///
/// impl ConfigBuilder {
///     imgshare_core::shared_config_setters!(shared);
/// }
///
/// let builder = ConfigBuilder::default().endpoint_url("http://127.0.0.1:9000");
/// assert!(builder.shared.has_endpoint_url());
/// ```
#[macro_export]
macro_rules! shared_config_setters {
    ($field:ident) => {
        /// Starts from settings shared between providers (they replace any shared setting made
        /// before).
        pub fn shared(mut self, config: &$crate::config::ClientConfig) -> Self {
            self.$field = self.$field.shared(config);
            self
        }

        /// Sends to this URL instead of the provider's endpoint (`http://127.0.0.1:PORT` for a
        /// local fake). The signature still names the provider's service.
        pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
            self.$field = self.$field.endpoint_url(url);
            self
        }

        /// Fixed credentials (one client per account).
        pub fn credentials(mut self, credentials: $crate::Credentials) -> Self {
            self.$field = self.$field.credentials(credentials);
            self
        }

        /// A credentials provider, resolved once and refreshed before it expires.
        pub fn credentials_provider(
            mut self,
            provider: impl $crate::ProvideCredentials + 'static,
        ) -> Self {
            self.$field = self.$field.credentials_provider(provider);
            self
        }

        /// A shared credentials provider.
        pub fn shared_credentials_provider(
            mut self,
            provider: ::std::sync::Arc<dyn $crate::ProvideCredentials>,
        ) -> Self {
            self.$field = self.$field.shared_credentials_provider(provider);
            self
        }

        /// Retry settings (default: 3 attempts, full-jitter exponential backoff).
        pub fn retry(mut self, retry: $crate::RetryConfig) -> Self {
            self.$field = self.$field.retry(retry);
            self
        }

        /// Timeouts (default: 60 s per attempt, 180 s per operation, 10 s to connect).
        pub fn timeouts(mut self, timeouts: $crate::TimeoutConfig) -> Self {
            self.$field = self.$field.timeouts(timeouts);
            self
        }

        /// Shares an HTTP client (and its connection pool) between clients, or plugs in
        /// another.
        pub fn http_client(mut self, http: ::std::sync::Arc<dyn $crate::HttpClient>) -> Self {
            self.$field = self.$field.http_client(http);
            self
        }

        /// The clock used for signing (tests).
        pub fn clock(mut self, clock: ::std::sync::Arc<dyn $crate::Clock>) -> Self {
            self.$field = self.$field.clock(clock);
            self
        }

        /// Limits response bodies read by the default HTTP client (default 16 MiB).
        pub fn max_response_bytes(mut self, limit: usize) -> Self {
            self.$field = self.$field.max_response_bytes(limit);
            self
        }

        /// Appends `text` (`myapp/1.2`) to the `User-Agent`.
        pub fn user_agent_suffix(mut self, text: impl Into<String>) -> Self {
            self.$field = self.$field.user_agent_suffix(text);
            self
        }

        /// With `true`, the default HTTP client connects directly, ignoring `HTTP_PROXY`,
        /// `HTTPS_PROXY` and `ALL_PROXY` (default `false`: they are honoured, with
        /// `NO_PROXY`'s exceptions).
        pub fn no_proxy(mut self, no_proxy: bool) -> Self {
            self.$field = self.$field.no_proxy(no_proxy);
            self
        }
    };
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn empty_endpoint_is_refused_naming_its_source() {
        let e = ClientConfig::builder()
            .endpoint_url(" ")
            .build()
            .unwrap_err();
        assert_eq!(e.field(), "endpoint_url");
        let e = ClientConfig::builder()
            .fill_from(|n| (n == ENV_ENDPOINT).then(String::new))
            .build()
            .unwrap_err();
        assert_eq!(e.field(), ENV_ENDPOINT);
    }

    #[test]
    fn endpoint_or_prefers_the_override_and_names_its_source() {
        // Catches the default winning over an override, or an error naming the wrong setting.
        let c = ClientConfig::builder().build().unwrap();
        let url = c.endpoint_or("https://api.example.com/").unwrap();
        assert_eq!(url.as_str(), "https://api.example.com/");
        let c = ClientConfig::builder()
            .endpoint_url_from("http://127.0.0.1:9/", "--endpoint")
            .build()
            .unwrap();
        let url = c.endpoint_or("https://api.example.com/").unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:9/");
        let c = ClientConfig::builder()
            .endpoint_url_from("ftp://x", "--endpoint")
            .build()
            .unwrap();
        let err = c.endpoint_or("https://api.example.com/").unwrap_err();
        assert_eq!(err.field(), "--endpoint");
    }

    #[test]
    fn builder_setting_beats_environment() {
        let env = |n: &str| (n == ENV_ENDPOINT).then(|| "http://127.0.0.1:1".to_owned());
        let c = ClientConfig::builder()
            .endpoint_url("http://127.0.0.1:2")
            .fill_from(env)
            .build()
            .unwrap();
        assert_eq!(c.endpoint_url(), Some("http://127.0.0.1:2"));
        assert_eq!(c.endpoint_source(), Some("endpoint_url"));
        let c = ClientConfig::builder().fill_from(env).build().unwrap();
        assert_eq!(c.endpoint_url(), Some("http://127.0.0.1:1"));
        assert_eq!(c.endpoint_source(), Some(ENV_ENDPOINT));
    }
}
