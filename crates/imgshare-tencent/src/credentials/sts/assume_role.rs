//! STS `AssumeRole`, described for the core assume-role provider: tccli's variables, the
//! session limits, and the call, signed with the source's keys.

use std::sync::Arc;
use std::time::Duration;

use imgshare_core::credentials::{AssumeRoleSpec, CallProvider, DescribeAssumeRole, RoleSession};
use imgshare_core::{ClientConfig, ProvideCredentials};

use super::operation::{AssumeRole, AssumeRoleInput};
use super::{ENV_ROLE_ARN, ENV_ROLE_SESSION_NAME, StsClient};
use crate::credentials::Tencent;
use crate::error::TencentError;

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
        let mut config = super::config(true).shared(&shared);
        if let Some(region) = &session.region {
            config = config.region(region);
        }
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
