//! `imgshare`: share server images across accounts on Tencent Cloud, NAVER Cloud and Samsung
//! Cloud Platform from Rust.
//!
//! This facade re-exports [`imgshare_core`] as [`core`]; each provider crate is added behind a
//! feature of its own as it lands.

pub use imgshare_core as core;
pub use imgshare_core::{Credentials, Error, RetryConfig, SecretString, TimeoutConfig};
