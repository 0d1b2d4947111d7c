//! A role's temporary credentials, asked for with another source's credentials (the source's
//! keys sign the request), described by data: how long a session may last and the variables
//! naming the role and the session. The provider crate prepares the call to its token service
//! (a [`CallProvider`](super::CallProvider), say); it is made again at every refresh.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use super::{BoxFuture, Credentials, CredentialsError, Env, ProvideCredentials, session_name};
use crate::config::{ClientConfig, ClientConfigBuilder};
use crate::error::InvalidInput;

/// What a provider's token service grants, and where its role settings are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssumeRoleSpec {
    /// The variable naming the role, read by [`AssumeRoleProvider::from_env`].
    pub role_var: &'static str,
    /// The variable naming the session, read by [`AssumeRoleProvider::from_env`].
    pub session_name_var: &'static str,
    /// How long the credentials last unless the builder says otherwise.
    pub default_duration: Duration,
    /// The longest session the service grants.
    pub max_duration: Duration,
}

/// The role to assume, as the builder gathered it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleSession {
    /// The role.
    pub role: String,
    /// The session's name (default [`session_name`]); the service logs it.
    pub session_name: String,
    /// How long the credentials last, within the spec's bounds.
    pub duration: Duration,
    /// The region to ask in, when one was given.
    pub region: Option<String>,
}

/// A provider's description of its role assumption; implemented by a marker type per provider,
/// so `AssumeRoleProvider<Marker>::builder(role)` needs nothing else.
pub trait DescribeAssumeRole: Send + Sync + 'static {
    /// The limits and variables.
    const ASSUME_ROLE: AssumeRoleSpec;
    /// The provider crate's error type.
    type Error: From<InvalidInput>;

    /// Checks `session` and prepares the call that assumes it, through a client with the
    /// `shared` settings, whose credentials are the source's.
    ///
    /// # Errors
    ///
    /// Bad input (the role, the session name), or a client that cannot be built.
    fn prepare(
        session: &RoleSession,
        shared: ClientConfig,
    ) -> Result<Arc<dyn ProvideCredentials>, Self::Error>;
}

/// Temporary credentials of a role, assumed with another source's credentials as `D`
/// describes (see [`AssumeRoleSpec`]). Build one with [`AssumeRoleProvider::builder`].
///
/// The credentials carry their expiry; a client's identity cache assumes the role again
/// shortly before it. `Debug` shows the session and the prepared call, never a key.
pub struct AssumeRoleProvider<D> {
    session: RoleSession,
    call: Arc<dyn ProvideCredentials>,
    describe: PhantomData<fn() -> D>,
}

/// Builds an [`AssumeRoleProvider`]: the session, and the settings of the client that asks
/// for it, which are a client's (`endpoint_url`, `http_client`, `retry`, `timeouts`, …;
/// [`source`](AssumeRoleProviderBuilder::source) is `credentials_provider`).
pub struct AssumeRoleProviderBuilder<D> {
    session: RoleSession,
    shared: ClientConfigBuilder,
    describe: PhantomData<fn() -> D>,
}

impl<D: DescribeAssumeRole> AssumeRoleProvider<D> {
    /// Assumes `role`.
    pub fn builder(role: impl Into<String>) -> AssumeRoleProviderBuilder<D> {
        let session = RoleSession {
            role: role.into(),
            session_name: session_name(),
            duration: D::ASSUME_ROLE.default_duration,
            region: None,
        };
        AssumeRoleProviderBuilder {
            session,
            shared: ClientConfigBuilder::default(),
            describe: PhantomData,
        }
    }

    /// When the spec's role variable is set (and not empty), a provider assuming that role with
    /// `source`'s credentials, the session named by the spec's session variable when that is
    /// set. `None` otherwise.
    pub fn from_env(
        source: impl ProvideCredentials + 'static,
    ) -> Option<Result<AssumeRoleProvider<D>, D::Error>> {
        Self::from_env_with(&Env::process(), source)
    }

    /// [`AssumeRoleProvider::from_env`], reading the variables through `env` (tests).
    pub fn from_env_with(
        env: &Env,
        source: impl ProvideCredentials + 'static,
    ) -> Option<Result<AssumeRoleProvider<D>, D::Error>> {
        let spec = D::ASSUME_ROLE;
        let role = env.var(spec.role_var).filter(|r| !r.is_empty())?;
        let mut builder = Self::builder(role).source(source);
        if let Some(name) = env.var(spec.session_name_var).filter(|n| !n.is_empty()) {
            builder = builder.session_name(name);
        }
        Some(builder.build())
    }

    /// The session assumed.
    pub fn session(&self) -> &RoleSession {
        &self.session
    }
}

impl<D: DescribeAssumeRole> AssumeRoleProviderBuilder<D> {
    crate::shared_config_setters!(shared);

    /// The provider whose credentials sign the request (default: the provider's default chain).
    pub fn source(self, source: impl ProvideCredentials + 'static) -> Self {
        self.credentials_provider(source)
    }

    /// The session's name (default [`session_name`]).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session.session_name = name.into();
        self
    }

    /// How long the credentials last, 1 second to the spec's longest session.
    pub fn duration(mut self, duration: Duration) -> Self {
        self.session.duration = duration;
        self
    }

    /// The region to ask in (default: the provider's).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.session.region = Some(region.into());
        self
    }

    /// Checks the settings and prepares the call.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] naming `duration` for a duration out of bounds, and whatever the
    /// provider's [`DescribeAssumeRole::prepare`] refuses.
    pub fn build(self) -> Result<AssumeRoleProvider<D>, D::Error> {
        let max = D::ASSUME_ROLE.max_duration.as_secs();
        let duration = Some(self.session.duration.as_secs());
        crate::validate::range("duration", duration, 1, max)?;
        let call = D::prepare(&self.session, self.shared.build()?)?;
        Ok(AssumeRoleProvider {
            session: self.session,
            call,
            describe: PhantomData,
        })
    }
}

impl<D> fmt::Debug for AssumeRoleProvider<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("session", &self.session)
            .field("call", &self.call)
            .finish()
    }
}

impl<D> fmt::Debug for AssumeRoleProviderBuilder<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProviderBuilder")
            .field("session", &self.session)
            .field("shared", &self.shared)
            .finish()
    }
}

impl<D: DescribeAssumeRole> ProvideCredentials for AssumeRoleProvider<D> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.call.provide_credentials()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::credentials::StaticProvider;

    /// Answers the source's credentials renamed to the session, so tests see what was asked.
    struct Echo;
    impl DescribeAssumeRole for Echo {
        const ASSUME_ROLE: AssumeRoleSpec = AssumeRoleSpec {
            role_var: "ROLE",
            session_name_var: "SESSION",
            default_duration: Duration::from_secs(3600),
            max_duration: Duration::from_secs(7200),
        };
        type Error = InvalidInput;

        fn prepare(
            session: &RoleSession,
            shared: ClientConfig,
        ) -> Result<Arc<dyn ProvideCredentials>, InvalidInput> {
            assert!(shared.credentials().is_some(), "the source signs the call");
            let id = format!("{}@{}", session.session_name, session.role);
            let credentials = Credentials::new(id, "k", None, "echo");
            Ok(Arc::new(StaticProvider::new(credentials.unwrap())))
        }
    }

    #[tokio::test]
    async fn from_env_reads_the_role_and_session_through_env() {
        // Catches from_env reading the process environment instead of the Env it was given,
        // or ignoring the session variable.
        let source = Credentials::new("AKID", "s", None, "test").unwrap();
        let env = Env::from_vars([("ROLE", "admin"), ("SESSION", "ci-run")]);
        let provider = AssumeRoleProvider::<Echo>::from_env_with(&env, source.clone());
        let c = provider
            .unwrap()
            .unwrap()
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_id(), "ci-run@admin");
        let env = Env::from_vars([("ROLE", "")]);
        assert!(AssumeRoleProvider::<Echo>::from_env_with(&env, source).is_none());
    }

    #[test]
    fn the_duration_is_bounded_by_the_spec() {
        // Catches a bound other than the spec's (the service would refuse later, at refresh).
        let build = |secs| {
            AssumeRoleProvider::<Echo>::builder("admin")
                .source(Credentials::new("AKID", "s", None, "test").unwrap())
                .duration(Duration::from_secs(secs))
                .build()
        };
        assert!(build(7200).is_ok());
        assert_eq!(build(7201).unwrap_err().field(), "duration");
        assert_eq!(build(0).unwrap_err().field(), "duration");
    }
}
