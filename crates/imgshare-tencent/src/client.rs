//! The client: one per account and region; cheap to clone.

use std::sync::Arc;

use imgshare_core::binding::encode_request;
use imgshare_core::operation::{Execute, Operation};
use imgshare_core::runtime::OperationCall;
use imgshare_core::sign::tc3::Tc3Signer;
use imgshare_core::wire::ListBase;
use imgshare_core::{HttpRequest, InvalidInput, Runtime};
use serde::de::DeserializeOwned;

use crate::config::{API_VERSION, Config, SERVICE};
use crate::error::TencentError;
use crate::operation::{
    DescribeImageSharePermissionFluentBuilder, DescribeImagesFluentBuilder,
    ShareImageFluentBuilder, UnshareImageFluentBuilder,
};
use crate::protocol;

/// A Tencent Cloud CVM client for image sharing.
///
/// ```no_run
/// # async fn demo() -> Result<(), imgshare_tencent::TencentError> {
/// use imgshare_tencent::{Client, Config};
/// let client = Client::new(Config::builder().region("ap-guangzhou").build()?)?;
/// client
///     .share_image()
///     .image_id("img-6pb6lrmy")
///     .account_id("100000000002")
///     .send()
///     .await?;
/// let shares = client
///     .describe_image_share_permission()
///     .image_id("img-6pb6lrmy")
///     .send()
///     .await?;
/// for s in &shares.share_permissions {
///     println!("{}", s.account_id);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    runtime: Runtime,
}

impl Client {
    /// A client for the config's account and region.
    pub fn new(config: Config) -> Result<Self, TencentError> {
        let mut builder = Runtime::builder(
            "tencent",
            config.credentials.clone(),
            Arc::new(Tc3Signer::new(SERVICE)),
        )
        .user_agent_suffix(concat!("imgshare-tencent/", env!("CARGO_PKG_VERSION")))
        .retry(config.retry.clone())
        .timeouts(config.timeouts.clone());
        if let Some(http) = &config.http {
            builder = builder.http_client(http.clone());
        }
        if let Some(clock) = &config.clock {
            builder = builder.clock(clock.clone());
        }
        Ok(Self {
            inner: Arc::new(Inner {
                runtime: builder.build()?,
                config,
            }),
        })
    }

    /// The client's settings.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Shares an image with accounts (`ModifyImageSharePermission`, `SHARE`).
    pub fn share_image(&self) -> ShareImageFluentBuilder {
        ShareImageFluentBuilder::new(self.clone())
    }

    /// Stops sharing an image with accounts (`ModifyImageSharePermission`, `CANCEL`).
    pub fn unshare_image(&self) -> UnshareImageFluentBuilder {
        UnshareImageFluentBuilder::new(self.clone())
    }

    /// Lists the accounts an image is shared with (`DescribeImageSharePermission`).
    pub fn describe_image_share_permission(&self) -> DescribeImageSharePermissionFluentBuilder {
        DescribeImageSharePermissionFluentBuilder::new(self.clone())
    }

    /// Lists images (`DescribeImages`); shared-with-me images have type `SHARED_IMAGE`.
    pub fn describe_images(&self) -> DescribeImagesFluentBuilder {
        DescribeImagesFluentBuilder::new(self.clone())
    }

    /// The request for `Op`: its binding (`POST /`, JSON body) plus Tencent's common headers
    /// (tencent.md §3.1).
    fn request<Op: Operation>(&self, input: &Op::Input) -> Result<HttpRequest, InvalidInput> {
        let config = &self.inner.config;
        let fields = Op::wire_fields(input);
        let mut request = encode_request(&config.endpoint, &Op::BINDING, &fields, ListBase::Zero)?
            .with_header("X-TC-Action", Op::WIRE_NAME)
            .with_header("X-TC-Version", API_VERSION)
            .with_header("X-TC-Region", config.region.as_str());
        if let Some(language) = &config.language {
            request = request.with_header("X-TC-Language", language.as_str());
        }
        Ok(request)
    }
}

impl<Op> Execute<Op> for Client
where
    Op: Operation,
    Op::Output: DeserializeOwned + Send,
{
    type Error = TencentError;

    async fn execute(&self, input: Op::Input) -> Result<Op::Output, TencentError> {
        let call = OperationCall {
            name: Op::WIRE_NAME,
            idempotent: Op::IDEMPOTENT,
            request: self.request::<Op>(&input)?,
        };
        let response = self.inner.runtime.invoke(call, &protocol::check).await?;
        Ok(protocol::decode_output(&response)?)
    }
}
