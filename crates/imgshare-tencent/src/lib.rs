//! Tencent Cloud CVM image sharing for the imgshare SDK (CVM API `2017-03-12`).
//!
//! - [`Client::share_image`] / [`Client::unshare_image`]: `ModifyImageSharePermission` with
//!   `SHARE` / `CANCEL`;
//! - [`Client::describe_image_share_permission`]: who an image is shared with;
//! - [`Client::describe_images`]: list images (a recipient sees shared ones as
//!   [`ImageType::Shared`]), with a paginator.
//!
//! Input is checked before anything is sent (image id format, 1 to 500 numeric account ids, no
//! duplicates). Errors are [`TencentError`]s with Tencent's code, message and request id; every
//! documented code has a constant in [`error::codes`] and the common ones a predicate.
//! [`Client::share_image_with`] shares safely when re-run (accounts already shared with count
//! as done). Credentials come from [`Config`] or, by default, the chain of
//! [`credentials::default_chain`]: environment, profile file, CVM instance role, TKE OIDC;
//! [`credentials::AssumeRoleProvider`] and [`credentials::TccliProfile`] are opt-in.
//!
//! ```no_run
//! # async fn demo() -> Result<(), imgshare_tencent::TencentError> {
//! let client = imgshare_tencent::Client::new(
//!     imgshare_tencent::Config::builder().region("ap-guangzhou").build()?,
//! )?;
//! client.share_image().image_id("img-6pb6lrmy").account_id("100000000002").send().await?;
//! # Ok(()) }
//! ```

mod client;
pub mod config;
pub mod credentials;
pub mod error;
mod model;
pub mod operation;
pub mod paginator;
pub mod share;
pub mod types;
pub mod validate;

pub use client::Client;
pub use config::{Config, ConfigBuilder, Language};
pub use error::TencentError;
pub use imgshare_core::ErrorMetadata;
pub use share::ShareOutcome;
pub use types::{Filter, Image, ImageState, ImageType, SharePermission};
