//! NAVER Cloud Platform (NCP) server-image sharing for the imgshare SDK.
//!
//! Three API families, all behind the NCP API Gateway
//! ([Server API guide](https://api.ncloud-docs.com/docs/en/compute-vserver)):
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
//!   `regionCode` included — what the Go, Python and JS SDKs send. The
//!   body is not signed, so the signed request-target is the bare action path: login ids with
//!   `@`, `+`, spaces or non-ASCII letters never enter the signature, and the open question of
//!   whether the gateway verifies an encoded or a decoded query (undocumented) does not arise.
//!   The form is encoded as Java's `URLEncoder` does (space `+`, `@` `%40`, `+` `%2B`).
//! - **Signature header** `x-ncp-apigw-signature-v2`, as documented
//!   ([API Gateway authentication](https://api.ncloud-docs.com/docs/en/common-ncpapi)), with
//!   one millisecond timestamp per attempt used for both the header and the string to sign.
//! - **Per-client parameters.** `responseFormatType` (from [`Config`], JSON by default) and
//!   `regionCode` (VPC calls only, when [`ConfigBuilder::region_code`] was given; otherwise NCP
//!   uses the first region, `KR`) are appended by the client to every request rather than
//!   declared per operation. Classic lists take `region_no` per call.
//! - **XML and JSON.** Whatever arrives is decoded by Content-Type and first byte into the same
//!   types; a list is a JSON array or an XML wrapper (`<sharedLoginIdList><sharedLoginId>`, any
//!   child name: the element's name is undocumented). Root names are not relied on: the
//!   documentation shows wrong roots for some actions (a remove example rooted at
//!   `getServerImageListResponse`).
//! - **Errors.** `responseError` is an error at any HTTP status, 200 included (the
//!   documentation does not say which statuses carry it);
//!   gateway `error` bodies are read in JSON or XML. See [`error`].
//! - **Codes** (`shareStatus`, statuses, operations; their full lists are not published)
//!   are typed enums keeping
//!   unknown codes; `codeName` is display text only.
//! - **Validation** (see [`validate`]): digit image numbers, e-mail-shaped login ids, at least
//!   one for add/remove, none repeated, no maximum count (none is documented).
//! - **Sites**: [`Site::Fin`]'s host comes from the official Terraform provider only;
//!   no financial-site API page names it.
//! - **Paging** always sends `pageSize` (the documented default of 1 is not relied on); see
//!   [`paginator`].
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
