//! Temporary credentials for a workload identity (a Kubernetes pod's service-account token),
//! described by data: the variables that say where the token file is and which role to take
//! (all set, or the source is not there), and the exchange of the token for credentials at the
//! provider's security-token service, which the provider crate writes.
//!
//! The token file is read again at every refresh, since Kubernetes rotates a projected token
//! while the process runs.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use super::{BoxFuture, Credentials, CredentialsError, Env, ProvideCredentials, read_token_file};
use crate::config::{ClientConfig, ClientConfigBuilder};
use crate::http::HttpClient;
use crate::secret::SecretString;

/// Where a provider's workload-identity settings are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebIdentitySpec {
    /// The source named in errors and in [`Credentials::source`].
    pub source: &'static str,
    /// The variables that must all be set, and not empty, for the source to be there.
    pub vars: &'static [&'static str],
    /// The one of them naming the token file.
    pub token_file_var: &'static str,
}

/// The values of a [`WebIdentitySpec`]'s variables, handed to the exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebIdentityVars(Vec<(&'static str, String)>);

impl WebIdentityVars {
    /// The value of `name`, one of the spec's variables (`""` for any other name).
    pub fn get(&self, name: &str) -> &str {
        let found = self.0.iter().find(|(n, _)| *n == name);
        found.map_or("", |(_, value)| value.as_str())
    }
}

/// A provider's description of its workload identity; implemented by a marker type per
/// provider, so `WebIdentityProvider<Marker>::new()` needs no arguments.
pub trait DescribeWebIdentity: Send + Sync + 'static {
    /// The variables.
    const WEB_IDENTITY: WebIdentitySpec;

    /// Exchanges `token` for credentials at the provider's service, through a client with the
    /// `shared` settings (its endpoint override and HTTP client).
    fn exchange(
        vars: WebIdentityVars,
        token: SecretString,
        shared: ClientConfig,
    ) -> BoxFuture<'static, Result<Credentials, CredentialsError>>;
}

/// Temporary credentials for the workload identity described by `D` (see
/// [`WebIdentitySpec`]): "not found" unless all its variables are set; a token file that is
/// missing, empty or unreadable, or an exchange that fails, stops a chain.
pub struct WebIdentityProvider<D> {
    env: Env,
    shared: ClientConfigBuilder,
    describe: PhantomData<fn() -> D>,
}

impl<D: DescribeWebIdentity> WebIdentityProvider<D> {
    /// Reads the variables from the process environment, at every refresh.
    pub fn new() -> Self {
        Self {
            env: Env::process(),
            shared: ClientConfigBuilder::default(),
            describe: PhantomData,
        }
    }

    /// Reads the variables from `env` instead (tests, or settings given explicitly with
    /// [`Env::from_vars`]).
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Sends the exchange to this URL instead of the provider's service.
    pub fn with_endpoint(mut self, url: impl Into<String>) -> Self {
        self.shared = self.shared.endpoint_url(url);
        self
    }

    /// Sends the exchange with this HTTP client.
    pub fn with_http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.shared = self.shared.http_client(http);
        self
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let spec = D::WEB_IDENTITY;
        let Some(values) = self.env.all(spec.vars) else {
            let names = spec.vars.join(", ");
            return Err(CredentialsError::not_found(
                spec.source,
                format!("{names} are not all set"),
            ));
        };
        let vars = WebIdentityVars(spec.vars.iter().copied().zip(values).collect());
        let token = read_token_file(spec.source, vars.get(spec.token_file_var)).await?;
        let shared = self.shared.clone().build();
        let shared = shared.map_err(|e| CredentialsError::invalid(spec.source, e.to_string()))?;
        D::exchange(vars, token, shared).await
    }
}

impl<D: DescribeWebIdentity> Default for WebIdentityProvider<D> {
    fn default() -> Self {
        Self::new()
    }
}

impl<D> Clone for WebIdentityProvider<D> {
    fn clone(&self) -> Self {
        Self {
            env: self.env.clone(),
            shared: self.shared.clone(),
            describe: PhantomData,
        }
    }
}

impl<D: DescribeWebIdentity> fmt::Debug for WebIdentityProvider<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityProvider")
            .field("source", &D::WEB_IDENTITY.source)
            .field("vars", &D::WEB_IDENTITY.vars)
            .field("env", &self.env)
            .field("shared", &self.shared)
            .finish()
    }
}

impl<D: DescribeWebIdentity> ProvideCredentials for WebIdentityProvider<D> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::CredentialsErrorKind;

    /// Answers credentials whose access id is the role and whose secret is the token.
    struct Echo;
    impl DescribeWebIdentity for Echo {
        const WEB_IDENTITY: WebIdentitySpec = WebIdentitySpec {
            source: "oidc",
            vars: &["ROLE", "TOKEN_FILE"],
            token_file_var: "TOKEN_FILE",
        };

        fn exchange(
            vars: WebIdentityVars,
            token: SecretString,
            shared: ClientConfig,
        ) -> BoxFuture<'static, Result<Credentials, CredentialsError>> {
            let endpoint = shared.endpoint_url().map(str::to_owned);
            Box::pin(async move {
                assert_eq!(endpoint.as_deref(), Some("http://127.0.0.1:9/"));
                Credentials::new(vars.get("ROLE"), token, None, "oidc")
            })
        }
    }

    fn provider(vars: &[(&str, &str)]) -> WebIdentityProvider<Echo> {
        WebIdentityProvider::new()
            .with_env(Env::from_vars(vars.iter().copied()))
            .with_endpoint("http://127.0.0.1:9/")
    }

    #[tokio::test]
    async fn the_token_file_is_read_at_every_refresh() {
        // Catches a token read once and cached, which Kubernetes' rotation would invalidate.
        let path = std::env::temp_dir().join(format!("imgshare-oidc-{}", std::process::id()));
        let file = path.to_str().unwrap();
        let p = provider(&[("ROLE", "role-a"), ("TOKEN_FILE", file)]);
        std::fs::write(&path, "first-token\n").unwrap();
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(c.access_id(), "role-a");
        assert_eq!(c.secret().expose_secret(), "first-token");
        std::fs::write(&path, "second-token").unwrap();
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(c.secret().expose_secret(), "second-token");
        std::fs::remove_file(&path).unwrap();
        let err = p.provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Invalid, "{err}");
    }

    #[tokio::test]
    async fn a_missing_variable_is_not_found() {
        // Catches a source that starts without all its settings instead of passing on.
        let err = provider(&[("ROLE", "role-a"), ("TOKEN_FILE", "")])
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::NotFound, "{err}");
        assert!(err.to_string().contains("ROLE, TOKEN_FILE"), "{err}");
    }
}
