//! NAVER Cloud Platform (NCP) server-image sharing for the imgshare SDK.
//!
//! Three API families, all behind the NCP API Gateway (ncloud.md §3.1):
//!
//! | family | path | image number | operations |
//! |---|---|---|---|
//! | VPC server image (XEN and KVM) | `/vserver/v2/` | `serverImageNo` | [`Client::add_server_image_sharing_permission`], [`Client::remove_server_image_sharing_permission`], [`Client::get_server_image_list`] (paginator), [`Client::get_server_image_detail`] |
//! | VPC member server image (XEN only) | `/vserver/v2/` | `memberServerImageInstanceNo` | [`Client::add_member_server_image_sharing_permission`], `remove_…`, `set_…`, [`Client::get_member_server_image_instance_list`], [`Client::get_member_server_image_instance_detail`] |
//! | Classic | `/server/v2/` | `memberServerImageNo` | [`Client::classic_add_member_server_image_sharing_permission`], `classic_remove_…`, `classic_set_…`, [`Client::classic_get_member_server_image_list`] |
//!
//! # Choices
//!
//! - **POST + form.** Every call is `POST /{service}/v2/{action}` with an
//!   `application/x-www-form-urlencoded` body holding every parameter, `responseFormatType` and
//!   `regionCode` included — what the Go, Python and JS SDKs send (ncloud.md §1.3, §7). The
//!   body is not signed, so the signed request-target is the bare action path: login ids with
//!   `@`, `+`, spaces or non-ASCII letters never enter the signature, and the open question of
//!   whether the gateway verifies an encoded or a decoded query (§8 question 1) does not arise.
//!   The form is encoded as Java's `URLEncoder` does (space `+`, `@` `%40`, `+` `%2B`).
//! - **Signature header** `x-ncp-apigw-signature-v2`, as documented (§8 question 2), with
//!   one millisecond timestamp per attempt used for both the header and the string to sign.
//! - **Per-client parameters.** `responseFormatType` (from [`Config`], JSON by default) and
//!   `regionCode` (VPC calls only, when [`ConfigBuilder::region_code`] was given; otherwise NCP
//!   uses the first region, `KR`) are appended by the client to every request rather than
//!   declared per operation. Classic lists take `region_no` per call.
//! - **XML and JSON.** Whatever arrives is decoded by Content-Type and first byte into the same
//!   types; a list is a JSON array or an XML wrapper (`<sharedLoginIdList><sharedLoginId>`, any
//!   child name, §8 question 3). Root names are not relied on (§3.2).
//! - **Errors.** `responseError` is an error at any HTTP status, 200 included (§8 question 7);
//!   gateway `error` bodies are read in JSON or XML. See [`error`].
//! - **Codes** (`shareStatus`, statuses, operations; §8 question 4) are typed enums keeping
//!   unknown codes; `codeName` is display text only.
//! - **Validation** (see [`validate`]): digit image numbers, e-mail-shaped login ids, at least
//!   one for add/remove, none repeated, no maximum count (§8 question 5).
//! - **Sites**: [`Site::Fin`]'s host comes from the Terraform provider only (§8 question 8).
//! - **Paging** always sends `pageSize` (§8 question 9); see [`paginator`].
//!
//! Credentials: [`credentials`] (environment, `~/.ncloud/configure`, Server Role).
//!
//! ```no_run
//! # async fn demo() -> Result<(), imgshare_ncloud::NcloudError> {
//! let client = imgshare_ncloud::Client::new(imgshare_ncloud::Config::from_env().build()?)?;
//! client
//!     .add_server_image_sharing_permission()
//!     .server_image_no("10000001")
//!     .target_login_id("recipient@example.com")
//!     .send()
//!     .await?;
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
pub mod types;
pub mod validate;

pub use client::Client;
pub use config::{CLASSIC_PATH_PREFIX, VPC_PATH_PREFIX};
pub use config::{Config, ConfigBuilder, ResponseFormat, Site};
pub use error::NcloudError;
pub use imgshare_core::ErrorMetadata;
pub use types::{
    Code, HypervisorType, ImageStatus, MemberServerImage, MemberServerImageInstance, ServerImage,
    ShareStatus,
};
