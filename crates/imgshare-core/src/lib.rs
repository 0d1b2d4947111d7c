//! The core of the imgshare SDK, shared by every provider crate and knowing none of them:
//!
//! - [`SecretString`], [`Credentials`] and the [`ProvideCredentials`] trait with a static
//!   provider and a [`CredentialsChain`]; the [`credentials`] kit each provider crate describes
//!   its sources with: environment variables, INI or JSON profile files (size-limited, refused
//!   when others can write them), an instance metadata service (never through a proxy), all
//!   reading the environment through an [`Env`](credentials::Env) that tests replace;
//! - pure, synchronous request [`sign`]ers for Tencent TC3-HMAC-SHA256, NCP API Gateway v2 and
//!   SCP v2, every stage public;
//! - the [`HttpClient`] trait with [`ReqwestClient`] (rustls) as the default, so no `reqwest`
//!   type appears in a public signature;
//! - [`ClientConfig`], the settings every provider shares, and [`ServiceClient`], the one client
//!   path (build → encode → invoke → check → decode) a provider describes with a [`Protocol`];
//!   [`settings`], a provider's own settings filled from variables and a JSON file by a table,
//!   and [`version`], pinned API versions with their support policy;
//! - the [`Runtime`] pipeline: sign each attempt afresh, send, classify, retry
//!   ([`RetryConfig`]), time out ([`TimeoutConfig`]);
//! - one [`Error`] type with service, response, dispatch, timeout, credentials and input classes,
//!   and [`ErrorMetadata`] / [`provider_error!`](macro@crate::provider_error) so each provider's error
//!   type shares the same metadata and predicates;
//! - an [`IdentityCache`] that resolves credentials once and refreshes them before they expire;
//! - [`share`]: sharing with a batch of accounts that is safe to repeat, for all-or-nothing
//!   share calls;
//! - [`json_errors`]: errors answered inside a JSON envelope, described by where they sit;
//! - [`decode`]: JSON **and** XML into the same serde types, chosen by Content-Type or by sniffing;
//!   [`error_body`]: error bodies beyond a provider's envelope (gateway, validation, firewall);
//! - [`binding`]: operations declared as HTTP bindings (method, path template, where each field
//!   goes) and the one encoder of paths, queries, forms, JSON bodies and headers; [`operation`]
//!   holds the traits the generated code implements;
//! - [`paginate`]: one [`Paginator`](paginate::Paginator) for the providers' offset/limit, page
//!   number/size and token/marker paging, with `Stream`s of pages and of items.
//! - with the `test-util` feature, `test_util::ReplayClient`: an in-memory HTTP client that
//!   answers from a script and records every request, for users' unit tests.
//!
//! Layering: `imgshare-core` ← provider crates ← the `imgshare` facade ← CLI and examples.

#![warn(missing_docs)]

pub mod binding;
pub mod client;
pub mod clock;
pub mod config;
pub mod credentials;
pub mod decode;
pub mod error;
pub mod error_body;
pub mod http;
pub mod identity_cache;
pub mod json_errors;
pub mod model;
pub mod operation;
pub mod paginate;
pub mod provider_error;
pub mod retry;
pub mod runtime;
pub mod secret;
pub mod settings;
pub mod share;
pub mod sign;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod timeout;
pub mod validate;
pub mod version;
pub mod wire;

pub use client::{OutputShape, Protocol, ServiceClient};
pub use clock::{Clock, FixedClock, SystemClock};
pub use config::{ClientConfig, ClientConfigBuilder};
pub use credentials::{
    BoxFuture, Credentials, CredentialsChain, CredentialsError, CredentialsErrorKind,
    ProvideCredentials, StaticProvider,
};
pub use error::{
    DisplayErrorContext, Error, ErrorKind, ErrorOrigin, InvalidInput, ResponseError, ServiceError,
    TimeoutError, TimeoutKind,
};
pub use http::{
    HttpClient, HttpError, HttpRequest, HttpResponse, Method, RequestSent, ReqwestClient,
};
pub use identity_cache::IdentityCache;
pub use provider_error::ErrorMetadata;
pub use retry::RetryConfig;
pub use runtime::{OperationCall, Runtime, RuntimeBuilder};
pub use secret::{Redacted, SecretString};
pub use timeout::TimeoutConfig;

// Used by macro expansions in other crates, so they need no direct serde dependency.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use url::Url;
}
