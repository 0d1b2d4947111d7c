//! Samsung Cloud Platform v2 `virtualserver` image sharing for the imgshare SDK.
//!
//! An image is shared between **accounts** through image members (OpenStack Glance semantics;
//! [API reference](https://docs.e.samsungsdscloud.com/en/apireference/compute/virtualserver/)): the owner sets the image's visibility to `shared`
//! ([`Client::update_image`]) and adds the recipient's account id as a member
//! ([`Client::create_image_member`], or [`Client::share`], which also reports "already a
//! member"); the member starts `pending`; the recipient, with its own credentials, finds it with
//! [`Client::list_pending_images`] and accepts or rejects it ([`Client::update_image_member`],
//! [`Client::accept_share`]); the owner lists ([`Client::list_image_members`]) and removes
//! ([`Client::delete_image_member`]) members.
//!
//! - **Endpoint**: `https://virtualserver.{region}.{environment}.samsungsdscloud.com`,
//!   environments `s`, `g`, `e` and their regions ([`Environment`]); or an override
//!   ([`ConfigBuilder::endpoint_url`], `SCP_ENDPOINT_OVERRIDE`, `SCP_TF_ENDPOINT_OVERRIDE`,
//!   `endpoint-override` in `~/.scpconf/config.json`). See [`config`] for every variable.
//! - **Signing**: `imgshare_core::sign::scp::ScpSigner` over the URL exactly as sent; headers
//!   `Scp-Accesskey`, `Scp-Signature`, `Scp-Timestamp`, `Scp-ClientType: Openapi`, plus
//!   `Scp-Api-Version`, `Accept-Language` (default `en-US`) and `Accept: application/json`.
//! - **Version pinning**: every request sends `Scp-Api-Version: virtualserver 1.3` (or 1.2);
//!   1.0/1.1 are refused ([`ApiVersion`]).
//! - **Credentials**: `SCP_ACCESS_KEY`/`SCP_SECRET_KEY`, `SCP_TF_ACCESS_KEY`/`SCP_TF_SECRET_KEY`,
//!   then `~/.scpconf/credentials.json` ([`credentials`]).
//! - **Errors**: [`ScpError`], from the service's `{"errors":[…]}` envelope or the gateway's own
//!   answers ([`error`], and the table in the crate's `protocol` notes in `docs/SCP.md`).
//! - **Retries**: reads are retried on 429, 5xx and network failures; the add-member `POST` and
//!   the `DELETE` are retried only when nothing can have reached SCP.
//!
//! # Choices where the documentation is silent
//!
//! - The account id is **not** signed and `Scp-AccountId` not sent, unless
//!   [`ConfigBuilder::sign_account_id`] is on: the official Go SDK signs it, other working clients
//!   do not, and the documentation does not say which the gateway wants.
//! - Only the recipient accepts or rejects (as in OpenStack Glance; SCP does not document who
//!   may): [`Client::accept_share`] uses the configured own account id as the member id.
//! - A 409 on add member (documented, without a body) is taken to mean "already a member";
//!   [`Client::share`] verifies it with show member before saying so.
//! - The gateway's 404 without an `errors` envelope is an authentication/routing failure, not
//!   "image not found" ([`ScpError::is_auth_failure`], not [`ScpError::is_not_found`]).
//! - `POST /v1/images/{id}/share` is offered as [`Client::create_sharing_image`]; its purpose is
//!   undocumented, so whether some images need it before sharing is open. [`Client::share`]
//!   does not call it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), imgshare_scp::ScpError> {
//! use imgshare_scp::{Client, Config};
//! let recipient = Client::new(
//!     Config::load().await?.account_id("a8f10467abfc4b87b64614ab36eb9ae4").build()?,
//! )?;
//! for image in recipient.list_pending_images().send().await?.images {
//!     recipient.accept_share(&image.id).await?;
//! }
//! # Ok(()) }
//! ```

mod client;
pub mod config;
pub mod credentials;
pub mod error;
mod model;
pub mod operation;
pub mod paginator;
mod protocol;
mod share;
pub mod types;
pub mod validate;

pub use client::Client;
pub use config::{API_VERSION_HEADER, ApiVersion, Config, ConfigBuilder, Environment};
pub use error::ScpError;
pub use imgshare_core::ErrorMetadata;
pub use types::{
    Image, ImageMember, ImageStatus, ListImageMembersOutput, ListImagesOutput, MemberStatus,
    ShareOutcome, Visibility,
};
