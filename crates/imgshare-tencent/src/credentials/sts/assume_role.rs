//! A role's temporary keys from STS `AssumeRole`, signed with another provider's keys.

use std::time::Duration;

use imgshare_core::credentials::{BoxFuture, CallProvider, Env, session_name};
use imgshare_core::{Credentials, CredentialsError, ProvideCredentials};

use super::operation::{AssumeRole, AssumeRoleInput, AssumeRoleInputBuilder};
use super::{ENV_ROLE_ARN, ENV_ROLE_SESSION_NAME, StsClient};
use crate::config::ConfigBuilder;
use crate::error::TencentError;

/// Temporary credentials of a CAM role, from STS `AssumeRole` signed with the keys of another
/// provider (the `source`). Opt-in: build one with [`AssumeRoleProvider::builder`], or
/// [`AssumeRoleProvider::from_env`] for tccli's `TENCENTCLOUD_ROLE_ARN` /
/// `TENCENTCLOUD_ROLE_SESSION_NAME`.
///
/// The credentials carry `ExpiredTime`; the client's identity cache assumes the role again 5
/// minutes before it. `Debug` shows the role, the session and the STS client, never a key.
#[derive(Debug)]
pub struct AssumeRoleProvider(CallProvider<StsClient, AssumeRole>);

/// Builds an [`AssumeRoleProvider`]: the role session, and the STS client's settings, which are
/// a client's (`endpoint_url`, `http_client`, `retry`, `timeouts`, …; `source` is
/// `credentials_provider`).
#[derive(Debug)]
pub struct AssumeRoleProviderBuilder {
    input: AssumeRoleInputBuilder,
    config: ConfigBuilder,
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` (`qcs::cam::uin/100000000001:roleName/share-images`).
    pub fn builder(role_arn: impl Into<String>) -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder {
            input: AssumeRoleInput::builder()
                .role_arn(role_arn)
                .role_session_name(session_name())
                .duration_seconds(7200),
            config: super::config(true),
        }
    }

    /// When `TENCENTCLOUD_ROLE_ARN` is set, a provider assuming that role with `source`'s keys,
    /// the session named `TENCENTCLOUD_ROLE_SESSION_NAME` (default `imgshare-rust-sdk-<micros>`).
    /// `None` when the variable is unset or empty.
    pub fn from_env(
        source: impl ProvideCredentials + 'static,
    ) -> Option<Result<AssumeRoleProvider, TencentError>> {
        let env = Env::process();
        let arn = env.var(ENV_ROLE_ARN).filter(|a| !a.is_empty())?;
        let mut builder = Self::builder(arn).source(source);
        if let Some(name) = env.var(ENV_ROLE_SESSION_NAME).filter(|n| !n.is_empty()) {
            builder = builder.session_name(name);
        }
        Some(builder.build())
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.0.provide_credentials()
    }
}

impl AssumeRoleProviderBuilder {
    imgshare_core::shared_config_setters!(config);

    /// The provider whose keys sign `AssumeRole` (default: [`super::super::default_chain`]).
    pub fn source(self, source: impl ProvideCredentials + 'static) -> Self {
        self.credentials_provider(source)
    }

    /// The role session name (default `imgshare-rust-sdk-<micros>`); it appears in CloudAudit.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.input = self.input.role_session_name(name);
        self
    }

    /// How long the credentials last, 1 second to 12 hours (default 2 hours).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.input = self.input.duration_seconds(duration.as_secs());
        self
    }

    /// The region sent to STS (default `ap-guangzhou`, as the official SDKs send).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config = self.config.region(region);
        self
    }

    /// Checks the settings and builds the provider.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`](imgshare_core::InvalidInput) for an empty role, a malformed session name,
    /// a duration out of range or a malformed endpoint.
    pub fn build(self) -> Result<AssumeRoleProvider, TencentError> {
        // Checked here to name the builder's setter; the input checks the same bounds again.
        let duration = self.input.get_duration_seconds();
        imgshare_core::validate::range("duration", duration, 1, 43_200)?;
        let input = self.input.build()?;
        let client = StsClient::new(self.config.build()?)?;
        let call = CallProvider::new("sts AssumeRole", client, input);
        Ok(AssumeRoleProvider(call))
    }
}
