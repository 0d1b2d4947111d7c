//! The client: one per account and site; cheap to clone.

use std::sync::Arc;

use imgshare_core::binding::{Location, WireField, encode_request};
use imgshare_core::operation::{Execute, Operation};
use imgshare_core::runtime::OperationCall;
use imgshare_core::sign::ncp::NcpSigner;
use imgshare_core::wire::{ListBase, ToWire};
use imgshare_core::{HttpRequest, InvalidInput, Runtime};
use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::error::NcloudError;
use crate::operation::{
    AddMemberServerImageSharingPermissionFluentBuilder,
    AddServerImageSharingPermissionFluentBuilder,
    ClassicAddMemberServerImageSharingPermissionFluentBuilder,
    ClassicGetMemberServerImageListFluentBuilder,
    ClassicRemoveMemberServerImageSharingPermissionFluentBuilder,
    ClassicSetMemberServerImageSharingPermissionFluentBuilder,
    GetMemberServerImageInstanceDetailFluentBuilder, GetMemberServerImageInstanceListFluentBuilder,
    GetServerImageDetailFluentBuilder, GetServerImageListFluentBuilder,
    RemoveMemberServerImageSharingPermissionFluentBuilder,
    RemoveServerImageSharingPermissionFluentBuilder,
    SetMemberServerImageSharingPermissionFluentBuilder,
};
use crate::protocol;

/// The path prefix of the VPC Server API.
pub const VPC_PATH_PREFIX: &str = "/vserver/v2/";
/// The path prefix of the Classic Server API.
pub const CLASSIC_PATH_PREFIX: &str = "/server/v2/";

/// A NAVER Cloud Platform client for server-image sharing (VPC and Classic).
///
/// ```no_run
/// # async fn demo() -> Result<(), imgshare_ncloud::NcloudError> {
/// use imgshare_ncloud::{Client, Config};
/// let client = Client::new(Config::builder().region_code("KR").build()?)?;
/// let out = client
///     .add_server_image_sharing_permission()
///     .server_image_no("10000001")
///     .target_login_id("recipient@example.com")
///     .send()
///     .await?;
/// for image in &out.server_image_list {
///     println!("{} shared with {:?}", image.server_image_no, image.shared_login_id_list);
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
    /// A client for the config's site and account.
    pub fn new(config: Config) -> Result<Self, NcloudError> {
        let mut builder = Runtime::builder(
            "ncloud",
            config.credentials.clone(),
            Arc::new(NcpSigner::new()),
        )
        .user_agent_suffix(concat!("imgshare-ncloud/", env!("CARGO_PKG_VERSION")))
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

    /// Shares a VPC server image with accounts (`addServerImageSharingPermission`).
    pub fn add_server_image_sharing_permission(
        &self,
    ) -> AddServerImageSharingPermissionFluentBuilder {
        AddServerImageSharingPermissionFluentBuilder::new(self.clone())
    }

    /// Stops sharing a VPC server image (`removeServerImageSharingPermission`).
    pub fn remove_server_image_sharing_permission(
        &self,
    ) -> RemoveServerImageSharingPermissionFluentBuilder {
        RemoveServerImageSharingPermissionFluentBuilder::new(self.clone())
    }

    /// Lists VPC server images (`getServerImageList`), with a paginator.
    pub fn get_server_image_list(&self) -> GetServerImageListFluentBuilder {
        GetServerImageListFluentBuilder::new(self.clone())
    }

    /// One VPC server image and its shares (`getServerImageDetail`).
    pub fn get_server_image_detail(&self) -> GetServerImageDetailFluentBuilder {
        GetServerImageDetailFluentBuilder::new(self.clone())
    }

    /// Shares a VPC member server image instance, XEN only (`addMemberServerImageSharingPermission`).
    pub fn add_member_server_image_sharing_permission(
        &self,
    ) -> AddMemberServerImageSharingPermissionFluentBuilder {
        AddMemberServerImageSharingPermissionFluentBuilder::new(self.clone())
    }

    /// Stops sharing a VPC member server image instance (`removeMemberServerImageSharingPermission`).
    pub fn remove_member_server_image_sharing_permission(
        &self,
    ) -> RemoveMemberServerImageSharingPermissionFluentBuilder {
        RemoveMemberServerImageSharingPermissionFluentBuilder::new(self.clone())
    }

    /// Replaces a VPC member server image instance's shares (`setMemberServerImageSharingPermission`).
    pub fn set_member_server_image_sharing_permission(
        &self,
    ) -> SetMemberServerImageSharingPermissionFluentBuilder {
        SetMemberServerImageSharingPermissionFluentBuilder::new(self.clone())
    }

    /// Lists VPC member server image instances (`getMemberServerImageInstanceList`), with a paginator.
    pub fn get_member_server_image_instance_list(
        &self,
    ) -> GetMemberServerImageInstanceListFluentBuilder {
        GetMemberServerImageInstanceListFluentBuilder::new(self.clone())
    }

    /// One VPC member server image instance (`getMemberServerImageInstanceDetail`).
    pub fn get_member_server_image_instance_detail(
        &self,
    ) -> GetMemberServerImageInstanceDetailFluentBuilder {
        GetMemberServerImageInstanceDetailFluentBuilder::new(self.clone())
    }

    /// Classic: shares a member server image (`/server/v2/addMemberServerImageSharingPermission`).
    pub fn classic_add_member_server_image_sharing_permission(
        &self,
    ) -> ClassicAddMemberServerImageSharingPermissionFluentBuilder {
        ClassicAddMemberServerImageSharingPermissionFluentBuilder::new(self.clone())
    }

    /// Classic: stops sharing a member server image (`/server/v2/removeMemberServerImageSharingPermission`).
    pub fn classic_remove_member_server_image_sharing_permission(
        &self,
    ) -> ClassicRemoveMemberServerImageSharingPermissionFluentBuilder {
        ClassicRemoveMemberServerImageSharingPermissionFluentBuilder::new(self.clone())
    }

    /// Classic: replaces a member server image's shares (`/server/v2/setMemberServerImageSharingPermission`).
    pub fn classic_set_member_server_image_sharing_permission(
        &self,
    ) -> ClassicSetMemberServerImageSharingPermissionFluentBuilder {
        ClassicSetMemberServerImageSharingPermissionFluentBuilder::new(self.clone())
    }

    /// Classic: lists member server images (`/server/v2/getMemberServerImageList`), with a paginator.
    pub fn classic_get_member_server_image_list(
        &self,
    ) -> ClassicGetMemberServerImageListFluentBuilder {
        ClassicGetMemberServerImageListFluentBuilder::new(self.clone())
    }

    /// The request for `Op`: its binding (`POST /{service}/v2/{action}`, form body) plus the
    /// fields every call carries, appended to the form: `regionCode` for VPC calls when the
    /// config names one, then `responseFormatType`. The request-target signed and sent is the
    /// bare action path.
    fn request<Op: Operation>(&self, input: &Op::Input) -> Result<HttpRequest, InvalidInput> {
        let config = &self.inner.config;
        let mut fields = Op::wire_fields(input);
        if Op::BINDING.path.starts_with(VPC_PATH_PREFIX)
            && let Some(region) = &config.region_code
        {
            fields.push(WireField::new(
                "region_code",
                "regionCode",
                Location::Form,
                region.as_str().to_wire(),
            ));
        }
        fields.push(WireField::new(
            "response_format",
            "responseFormatType",
            Location::Form,
            config.response_format.as_str().to_wire(),
        ));
        encode_request(&config.endpoint, &Op::BINDING, &fields, ListBase::One)
    }
}

impl<Op> Execute<Op> for Client
where
    Op: Operation,
    Op::Output: DeserializeOwned + Send,
{
    type Error = NcloudError;

    async fn execute(&self, input: Op::Input) -> Result<Op::Output, NcloudError> {
        let call = OperationCall {
            name: Op::WIRE_NAME,
            idempotent: Op::IDEMPOTENT,
            request: self.request::<Op>(&input)?,
        };
        let response = self.inner.runtime.invoke(call, &protocol::check).await?;
        Ok(protocol::decode_output(&response)?)
    }
}
