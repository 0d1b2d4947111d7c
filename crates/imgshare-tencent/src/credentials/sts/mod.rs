//! STS (`sts.tencentcloudapi.com`, version `2018-08-13`) as a credential source, described for
//! the core kit: `AssumeRole`, signed with another provider's keys ([`AssumeRoleProvider`]),
//! and `AssumeRoleWithWebIdentity` for TKE OIDC, unsigned ([`WebIdentityProvider`]). Both are
//! declared in `sts/api.toml` and run on the same client path and [`Config`] as
//! CVM (signing, retries, typed errors); both answer
//! `Response.Credentials{TmpSecretId, TmpSecretKey, Token}` and `ExpiredTime`.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use imgshare_core::credentials::{
    AssumeRoleSpec, BoxFuture, CallProvider, DescribeAssumeRole, DescribeWebIdentity,
    IntoCredentials, RoleSession, WebIdentitySpec, WebIdentityVars, call_failure, from_call,
    session_name,
};
use imgshare_core::{
    ClientConfig, Credentials, CredentialsError, ProvideCredentials, SecretString,
};

use crate::config::{Api, Config, ConfigBuilder};
use crate::credentials::Tencent;
use crate::error::TencentError;
use operation::{AssumeRole, AssumeRoleInput};
use operation::{AssumeRoleWithWebIdentity, AssumeRoleWithWebIdentityInput};

mod client;
mod model;
pub mod operation;

pub use client::StsClient;
pub use model::{AssumeRoleOutput, TemporaryKeys};

/// The STS endpoint.
pub const DEFAULT_STS_ENDPOINT: &str = "https://sts.tencentcloudapi.com/";
/// The STS API version.
pub const STS_VERSION: &str = "2018-08-13";
/// Environment variable naming the role to assume (tccli).
pub const ENV_ROLE_ARN: &str = "TENCENTCLOUD_ROLE_ARN";
/// Environment variable naming the role session (tccli).
pub const ENV_ROLE_SESSION_NAME: &str = "TENCENTCLOUD_ROLE_SESSION_NAME";
/// TKE OIDC: the region.
pub const ENV_TKE_REGION: &str = "TKE_REGION";
/// TKE OIDC: the identity provider id.
pub const ENV_TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// TKE OIDC: the file holding the web identity token.
pub const ENV_TKE_WEB_IDENTITY_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// TKE OIDC: the role to assume.
pub const ENV_TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";

/// The settings of an STS client: its endpoint is [`DEFAULT_STS_ENDPOINT`] unless overridden,
/// and it calls in `region`, else in `ap-guangzhou`, the region the official SDKs send.
fn sts_config(signed: bool, region: Option<&str>) -> ConfigBuilder {
    let api = Api {
        service: "sts",
        version: STS_VERSION,
        signed,
    };
    let region = region.unwrap_or("ap-guangzhou");
    Config::builder().api(api).region(region)
}

impl IntoCredentials for AssumeRoleOutput {
    /// The temporary keys, expiring at `ExpiredTime`.
    fn into_credentials(self, source: &'static str) -> Result<Credentials, CredentialsError> {
        let no_expiry = || CredentialsError::invalid(source, "STS answered no ExpiredTime");
        let expired_time = self.expired_time.ok_or_else(no_expiry)?;
        let keys = self.credentials;
        let token = Some(keys.token);
        let credentials = Credentials::new(keys.tmp_secret_id, keys.tmp_secret_key, token, source)?;
        // A far-future answer must not overflow (`+` would panic): keep the epoch, which the
        // cache reads as already expired.
        let expiry = UNIX_EPOCH.checked_add(Duration::from_secs(expired_time));
        Ok(credentials.with_expiry(expiry.unwrap_or(UNIX_EPOCH)))
    }
}

impl DescribeAssumeRole for Tencent {
    const ASSUME_ROLE: AssumeRoleSpec = AssumeRoleSpec {
        role_var: ENV_ROLE_ARN,
        session_name_var: ENV_ROLE_SESSION_NAME,
        default_duration: Duration::from_secs(7200),
        max_duration: Duration::from_secs(43_200),
    };
    type Error = TencentError;

    fn prepare(
        session: &RoleSession,
        shared: ClientConfig,
    ) -> Result<Arc<dyn ProvideCredentials>, TencentError> {
        let input = AssumeRoleInput::builder()
            .role_arn(&session.role)
            .role_session_name(&session.session_name)
            .duration_seconds(session.duration.as_secs())
            .build()?;
        let config = sts_config(true, session.region.as_deref()).shared(&shared);
        let client = StsClient::new(config.build()?)?;
        let call = CallProvider::<_, AssumeRole>::new("sts AssumeRole", client, input);
        Ok(Arc::new(call))
    }
}

/// Temporary credentials of a CAM role, from STS `AssumeRole` signed with the keys of another
/// provider (the `source`, default [`default_chain`](crate::credentials::default_chain)).
/// Opt-in: build one with [`AssumeRoleProvider::builder`]
/// (`qcs::cam::uin/100000000001:roleName/share-images`), or [`AssumeRoleProvider::from_env`]
/// for tccli's `TENCENTCLOUD_ROLE_ARN` / `TENCENTCLOUD_ROLE_SESSION_NAME`.
///
/// The session lasts 2 hours unless `.duration(..)` says otherwise (1 second to 12 hours); its
/// name defaults to `imgshare-rust-sdk-<micros>` and appears in CloudAudit. STS is asked in
/// `ap-guangzhou`, as the official SDKs ask, unless `.region(..)` says otherwise. The
/// credentials carry `ExpiredTime`; the client's identity cache assumes the role again 5
/// minutes before it.
pub type AssumeRoleProvider = imgshare_core::credentials::AssumeRoleProvider<Tencent>;

/// Builds an [`AssumeRoleProvider`].
pub type AssumeRoleProviderBuilder = imgshare_core::credentials::AssumeRoleProviderBuilder<Tencent>;

const TKE_SOURCE: &str = "tke oidc";

impl DescribeWebIdentity for Tencent {
    const WEB_IDENTITY: WebIdentitySpec = WebIdentitySpec {
        source: TKE_SOURCE,
        vars: &[
            ENV_TKE_REGION,
            ENV_TKE_PROVIDER_ID,
            ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
            ENV_TKE_ROLE_ARN,
        ],
        token_file_var: ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
    };

    fn exchange(
        vars: WebIdentityVars,
        token: SecretString,
        shared: ClientConfig,
    ) -> BoxFuture<'static, Result<Credentials, CredentialsError>> {
        let fail = |e: TencentError| call_failure(TKE_SOURCE, "AssumeRoleWithWebIdentity", e);
        let config = sts_config(false, Some(vars.get(ENV_TKE_REGION)));
        let client = config.shared(&shared).build();
        let input = AssumeRoleWithWebIdentityInput::builder()
            .provider_id(vars.get(ENV_TKE_PROVIDER_ID))
            .web_identity_token(token)
            .role_arn(vars.get(ENV_TKE_ROLE_ARN))
            .role_session_name(session_name())
            .duration_seconds(7200)
            .build();
        Box::pin(async move {
            let client = client.and_then(StsClient::new).map_err(fail)?;
            let input = input.map_err(|e| fail(e.into()))?;
            from_call::<_, AssumeRoleWithWebIdentity>(TKE_SOURCE, &client, input).await
        })
    }
}

/// TKE OIDC: temporary credentials of `TKE_ROLE_ARN` from STS `AssumeRoleWithWebIdentity`,
/// presenting the token in `TKE_WEB_IDENTITY_TOKEN_FILE` (read again at every refresh, since
/// Kubernetes rotates it); the request goes to `TKE_REGION` and names `TKE_PROVIDER_ID`. It is
/// not signed. "Not found" unless all four variables are set; give them explicitly with
/// `.with_env(Env::from_vars([...]))`.
pub type WebIdentityProvider = imgshare_core::credentials::WebIdentityProvider<Tencent>;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_far_future_expiry_does_not_panic() {
        let body = r#"{"Credentials":{"TmpSecretId":"AKID","TmpSecretKey":"k","Token":"t"},"ExpiredTime":18446744073709551615}"#;
        let output: AssumeRoleOutput = serde_json::from_str(body).unwrap();
        let credentials = output.into_credentials("test").unwrap();
        assert_eq!(credentials.expiry(), Some(UNIX_EPOCH));
        assert!(!format!("{credentials:?}").contains("\"k\""));
    }

    #[test]
    fn an_answer_without_keys_or_expiry_is_refused() {
        // Catches lenient decoding letting a malformed answer through: keys decoded as empty
        // strings, or temporary keys cached with no end.
        let body = r#"{"Credentials":{"TmpSecretId":"AKID","TmpSecretKey":"k","Token":"t"}}"#;
        let output: AssumeRoleOutput = serde_json::from_str(body).unwrap();
        let err = output.into_credentials("test").unwrap_err();
        assert!(err.to_string().contains("ExpiredTime"), "{err}");
        // Without `Credentials` the answer does not even decode (a required field).
        assert!(serde_json::from_str::<AssumeRoleOutput>(r#"{"ExpiredTime":1}"#).is_err());
    }
}
