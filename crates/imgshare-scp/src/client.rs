//! The client: one per account and endpoint; cheap to clone.

use std::sync::Arc;

use imgshare_core::binding::encode_request;
use imgshare_core::operation::{Execute, Operation};
use imgshare_core::runtime::OperationCall;
use imgshare_core::sign::scp::ScpSigner;
use imgshare_core::wire::ListBase;
use imgshare_core::{HttpRequest, InvalidInput, Runtime};
use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::error::ScpError;
use crate::operation::{
    CreateImageMemberFluentBuilder, CreateSharingImageFluentBuilder,
    DeleteImageMemberFluentBuilder, ListImageMembersFluentBuilder, ListImagesFluentBuilder,
    ListPendingImagesFluentBuilder, ShowImageFluentBuilder, ShowImageMemberFluentBuilder,
    UpdateImageFluentBuilder, UpdateImageMemberFluentBuilder,
};
use crate::protocol;
use crate::types::{ImageMember, MemberStatus, ShareOutcome};

/// The header pinning the API version.
pub const API_VERSION_HEADER: &str = "Scp-Api-Version";

/// A Samsung Cloud Platform v2 virtualserver client for image sharing.
///
/// ```no_run
/// # async fn demo() -> Result<(), imgshare_scp::ScpError> {
/// use imgshare_scp::{Client, Config, Visibility};
/// let owner = Client::new(Config::load().await?.region("kr-west1").build()?)?;
/// let image = "70a599e0-31e7-49b7-b260-868f441e862b";
/// owner.update_image().image_id(image).visibility(Visibility::Shared).send().await?;
/// let outcome = owner.share(image, "a8f10467abfc4b87b64614ab36eb9ae4").await?;
/// println!("{} is {}", outcome.member().member_id, outcome.member().status);
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
    /// A client for the config's account and endpoint.
    ///
    /// # Errors
    ///
    /// When the default HTTP client cannot be built.
    pub fn new(config: Config) -> Result<Self, ScpError> {
        config.api_version.warn_if_risky();
        let mut signer = ScpSigner::new();
        if config.sign_account_id
            && let Some(id) = &config.account_id
        {
            signer = signer.account_id(id.clone());
        }
        let mut builder = Runtime::builder("scp", config.credentials.clone(), Arc::new(signer))
            .user_agent_suffix(concat!("imgshare-scp/", env!("CARGO_PKG_VERSION")))
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

    /// Lists an image's members (`GET /v1/images/{image_id}/members`).
    pub fn list_image_members(&self) -> ListImageMembersFluentBuilder {
        ListImageMembersFluentBuilder::new(self.clone())
    }

    /// Adds an account as a member (`POST /v1/images/{image_id}/members`); see also
    /// [`Client::share`].
    pub fn create_image_member(&self) -> CreateImageMemberFluentBuilder {
        CreateImageMemberFluentBuilder::new(self.clone())
    }

    /// Shows one member (`GET /v1/images/{image_id}/members/{member_id}`).
    pub fn show_image_member(&self) -> ShowImageMemberFluentBuilder {
        ShowImageMemberFluentBuilder::new(self.clone())
    }

    /// Sets a member's status, as the recipient (`PUT /v1/images/{image_id}/members/{member_id}`).
    pub fn update_image_member(&self) -> UpdateImageMemberFluentBuilder {
        UpdateImageMemberFluentBuilder::new(self.clone())
    }

    /// Removes a member (`DELETE /v1/images/{image_id}/members/{member_id}`).
    pub fn delete_image_member(&self) -> DeleteImageMemberFluentBuilder {
        DeleteImageMemberFluentBuilder::new(self.clone())
    }

    /// Lists images shared with the caller and still pending (`GET /v1/pending-images`).
    pub fn list_pending_images(&self) -> ListPendingImagesFluentBuilder {
        ListPendingImagesFluentBuilder::new(self.clone())
    }

    /// Shows an image (`GET /v1/images/{image_id}`).
    pub fn show_image(&self) -> ShowImageFluentBuilder {
        ShowImageFluentBuilder::new(self.clone())
    }

    /// Updates an image, e.g. its visibility (`PUT /v1/images/{image_id}`).
    pub fn update_image(&self) -> UpdateImageFluentBuilder {
        UpdateImageFluentBuilder::new(self.clone())
    }

    /// Lists images, paged by `limit`/`marker` (`GET /v1/images`).
    pub fn list_images(&self) -> ListImagesFluentBuilder {
        ListImagesFluentBuilder::new(self.clone())
    }

    /// "Create Sharing Image" (`POST /v1/images/{image_id}/share`, 202).
    pub fn create_sharing_image(&self) -> CreateSharingImageFluentBuilder {
        CreateSharingImageFluentBuilder::new(self.clone())
    }

    /// Shares `image_id` with account `member_id` and says whether the account was added now
    /// or already was a member.
    ///
    /// The add is sent once and never repeated after an ambiguous failure (a timeout, a 5xx):
    /// that error is returned, and calling `share` again is safe. When SCP answers 409, the
    /// member is looked up with show member; if it is there the result is
    /// [`ShareOutcome::AlreadyMember`], otherwise the 409 is returned.
    ///
    /// # Errors
    ///
    /// Bad input (before sending), the add's error, or the lookup's error after a 409.
    pub async fn share(
        &self,
        image_id: impl Into<String>,
        member_id: impl Into<String>,
    ) -> Result<ShareOutcome, ScpError> {
        let image_id = image_id.into();
        let member_id = member_id.into();
        let added = self
            .create_image_member()
            .image_id(&image_id)
            .member_id(&member_id)
            .send()
            .await;
        match added {
            Ok(member) => Ok(ShareOutcome::Added(member)),
            Err(e) if e.is_already_member() => {
                tracing::debug!(
                    image_id = %image_id,
                    member_id = %member_id,
                    "add member answered 409; checking with show member"
                );
                match self
                    .show_image_member()
                    .image_id(&image_id)
                    .member_id(&member_id)
                    .send()
                    .await
                {
                    Ok(member) => Ok(ShareOutcome::AlreadyMember(member)),
                    Err(lookup) if lookup.is_not_found() => Err(e),
                    Err(lookup) => Err(lookup),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Accepts a share of `image_id`, as the recipient: sets the member whose id is the
    /// configured [`account_id`](crate::ConfigBuilder::account_id) to `accepted`.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] on `account_id` when none is configured; otherwise as
    /// [`Client::update_image_member`].
    pub async fn accept_share(&self, image_id: impl Into<String>) -> Result<ImageMember, ScpError> {
        self.answer_share(image_id.into(), MemberStatus::Accepted)
            .await
    }

    /// Rejects a share of `image_id`, as the recipient (see [`Client::accept_share`]).
    ///
    /// # Errors
    ///
    /// As [`Client::accept_share`].
    pub async fn reject_share(&self, image_id: impl Into<String>) -> Result<ImageMember, ScpError> {
        self.answer_share(image_id.into(), MemberStatus::Rejected)
            .await
    }

    async fn answer_share(
        &self,
        image_id: String,
        status: MemberStatus,
    ) -> Result<ImageMember, ScpError> {
        let account = self.config().account_id().ok_or_else(|| {
            InvalidInput::new(
                "account_id",
                "is needed to answer a share as the recipient: set it in the config, \
                 SCP_ACCOUNT_ID or account-id in ~/.scpconf/config.json",
            )
        })?;
        self.update_image_member()
            .image_id(image_id)
            .member_id(account)
            .status(status)
            .send()
            .await
    }

    /// The request for `Op`: its binding plus the version, language and accept headers.
    fn request<Op: Operation>(&self, input: &Op::Input) -> Result<HttpRequest, InvalidInput> {
        let config = &self.inner.config;
        let fields = Op::wire_fields(input);
        Ok(
            encode_request(&config.endpoint, &Op::BINDING, &fields, ListBase::Zero)?
                .with_header(API_VERSION_HEADER, config.api_version.header_value())
                .with_header("Accept-Language", config.language.as_str())
                .with_header("Accept", "application/json"),
        )
    }
}

impl<Op> Execute<Op> for Client
where
    Op: Operation,
    Op::Output: DeserializeOwned + Send,
{
    type Error = ScpError;

    async fn execute(&self, input: Op::Input) -> Result<Op::Output, ScpError> {
        let call = OperationCall {
            name: Op::WIRE_NAME,
            idempotent: Op::IDEMPOTENT,
            request: self.request::<Op>(&input)?,
        };
        let response = self.inner.runtime.invoke(call, &protocol::check).await?;
        Ok(protocol::decode_output(&response)?)
    }
}
