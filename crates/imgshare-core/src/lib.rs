//! The core of the imgshare SDK, shared by every provider crate and knowing none of them:
//!
//! - [`SecretString`], [`Credentials`] and the [`ProvideCredentials`] trait with a static
//!   provider and a [`CredentialsChain`];
//! - pure, synchronous request [`sign`]ers for Tencent TC3-HMAC-SHA256, NCP API Gateway v2 and
//!   SCP v2, every stage public;
//! - the [`HttpClient`] trait with [`ReqwestClient`] (rustls) as the default, so no `reqwest`
//!   type appears in a public signature;
//! - the [`Runtime`] pipeline: sign each attempt afresh, send, classify, retry
//!   ([`RetryConfig`]), time out ([`TimeoutConfig`]);
//! - one [`Error`] type with service, response, dispatch, timeout, credentials and input classes;
//! - [`decode`]: JSON **and** XML into the same serde types, chosen by Content-Type or by sniffing;
//! - [`wire`] values and the [`declare_operation!`](crate::declare_operation) macro, so each provider operation is declared
//!   once (input struct, fluent builder, required-field checks, wire encoding).
//!
//! Layering: `imgshare-core` ← provider crates ← the `imgshare` facade ← CLI and examples.

#![warn(missing_docs)]

pub mod clock;
pub mod credentials;
pub mod decode;
pub mod error;
pub mod http;
pub mod model;
pub mod operation;
pub mod retry;
pub mod runtime;
pub mod secret;
pub mod sign;
pub mod timeout;
pub mod wire;

pub use clock::{Clock, FixedClock, SystemClock};
pub use credentials::{
    BoxFuture, Credentials, CredentialsChain, CredentialsError, CredentialsErrorKind,
    ProvideCredentials, StaticProvider,
};
pub use error::{
    DisplayErrorContext, Error, ErrorKind, InvalidInput, ResponseError, ServiceError, TimeoutError,
    TimeoutKind,
};
pub use http::{
    HttpClient, HttpError, HttpRequest, HttpResponse, Method, RequestSent, ReqwestClient,
};
pub use retry::RetryConfig;
pub use runtime::{OperationCall, Runtime, RuntimeBuilder};
pub use secret::SecretString;
pub use timeout::TimeoutConfig;

// Used by `declare_operation!` expansions in other crates.
#[doc(hidden)]
pub mod __private {
    pub use std::borrow::Cow;
}
