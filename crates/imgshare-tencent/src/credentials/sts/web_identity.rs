//! TKE OIDC, described for the core web-identity provider: the `TKE_*` variables, and the
//! exchange, STS `AssumeRoleWithWebIdentity`, sent unsigned (`Authorization: SKIP`, as the
//! official SDKs send it).

use imgshare_core::credentials::{
    BoxFuture, DescribeWebIdentity, WebIdentitySpec, WebIdentityVars, call_failure, from_call,
    session_name,
};
use imgshare_core::{ClientConfig, Credentials, CredentialsError, SecretString};

use super::operation::{AssumeRoleWithWebIdentity, AssumeRoleWithWebIdentityInput};
use super::{
    ENV_TKE_PROVIDER_ID, ENV_TKE_REGION, ENV_TKE_ROLE_ARN, ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
    StsClient,
};
use crate::credentials::Tencent;
use crate::error::TencentError;

const SOURCE: &str = "tke oidc";

impl DescribeWebIdentity for Tencent {
    const WEB_IDENTITY: WebIdentitySpec = WebIdentitySpec {
        source: SOURCE,
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
        let fail = |e: TencentError| call_failure(SOURCE, "AssumeRoleWithWebIdentity", e);
        let config = super::config(false).shared(&shared);
        let client = config.region(vars.get(ENV_TKE_REGION)).build();
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
            from_call::<_, AssumeRoleWithWebIdentity>(SOURCE, &client, input).await
        })
    }
}

/// TKE OIDC: temporary credentials of `TKE_ROLE_ARN` from STS `AssumeRoleWithWebIdentity`,
/// presenting the token in `TKE_WEB_IDENTITY_TOKEN_FILE` (read again at every refresh, since
/// Kubernetes rotates it); the request goes to `TKE_REGION` and names `TKE_PROVIDER_ID`. It is
/// not signed. "Not found" unless all four variables are set; give them explicitly with
/// `.with_env(Env::from_vars([...]))`.
pub type WebIdentityProvider = imgshare_core::credentials::WebIdentityProvider<Tencent>;
