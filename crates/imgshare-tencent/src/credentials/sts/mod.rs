//! STS (`sts.tencentcloudapi.com`, version `2018-08-13`), declared in `sts/api.toml` and run on
//! the same client path and [`Config`](crate::Config) as CVM (signing, retries, typed errors):
//! `AssumeRole`, signed with another provider's keys, and `AssumeRoleWithWebIdentity` for TKE
//! OIDC, unsigned (`Authorization: SKIP`, as the official SDKs send it). Both answer
//! `Response.Credentials{TmpSecretId, TmpSecretKey, Token}` and `ExpiredTime`.

use std::time::{Duration, UNIX_EPOCH};

use imgshare_core::credentials::IntoCredentials;
use imgshare_core::{Credentials, CredentialsError};

use crate::config::{Api, ConfigBuilder};

mod assume_role;
mod client;
mod model;
pub mod operation;
mod web_identity;

pub use assume_role::{AssumeRoleProvider, AssumeRoleProviderBuilder};
pub use client::StsClient;
pub use model::{AssumeRoleOutput, TemporaryKeys};
pub use web_identity::WebIdentityProvider;

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
/// and it calls as `ap-guangzhou`, the region the official SDKs send.
fn config(signed: bool) -> ConfigBuilder {
    let api = Api {
        service: "sts",
        version: STS_VERSION,
        signed,
    };
    ConfigBuilder::for_api(api).region("ap-guangzhou")
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
        let output: AssumeRoleOutput = serde_json::from_str(r#"{"ExpiredTime":1}"#).unwrap();
        assert!(output.into_credentials("test").is_err());
    }
}
