//! `imgshare`: share server images across accounts on Tencent Cloud, NAVER Cloud and Samsung
//! Cloud Platform from Rust.
//!
//! This facade re-exports [`imgshare_core`] as [`core`] and each provider crate behind a feature
//! of its own (all on by default; turn off the ones you do not use):
//!
//! | feature | module | crate |
//! |---|---|---|
//! | `tencent` | `tencent` | `imgshare-tencent` |
//! | `ncloud` | `ncloud` | `imgshare-ncloud` |
//! | `scp` | `scp` | `imgshare-scp` |
//!
//! [`sharing`] holds what no single provider has: the [`ImageSharing`] trait every provider
//! client implements, and [`reconcile`](sharing::reconcile), which makes an image's shares
//! exactly a desired set. [`plan`] reads sharing plans (TOML) and applies them across
//! providers with guard rails, rate limits and a truthful report. [`connect`] is the one path
//! from settings (command line, plan entry, environment, profile files) to a client.
//!
//! ```no_run
//! # #[cfg(feature = "tencent")]
//! # async fn demo() -> Result<(), imgshare::tencent::TencentError> {
//! use imgshare::tencent::{Client, Config};
//! let client = Client::new(Config::builder().region("ap-guangzhou").build()?)?;
//! client.share_image().image_id("img-6pb6lrmy").account_id("100000000002").send().await?;
//! # Ok(()) }
//! ```

pub mod connect;
pub mod plan;
pub mod sharing;

pub use imgshare_core as core;
pub use imgshare_core::{
    Credentials, Error, ErrorMetadata, RetryConfig, SecretString, TimeoutConfig,
};
pub use sharing::{ImageSharing, OwnedImage, ReconcileReport, Share, ShareState, SharingError};

/// Tencent Cloud CVM image sharing (the `imgshare-tencent` crate).
#[cfg(feature = "tencent")]
pub use imgshare_tencent as tencent;

/// NAVER Cloud Platform server-image sharing (the `imgshare-ncloud` crate).
#[cfg(feature = "ncloud")]
pub use imgshare_ncloud as ncloud;

/// Samsung Cloud Platform v2 virtualserver image sharing (the `imgshare-scp` crate).
#[cfg(feature = "scp")]
pub use imgshare_scp as scp;

/// The README's Rust examples compile as doctests, so the front page cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
