//! A stateful fake of the Tencent Cloud CVM image-sharing API (service `cvm`, version
//! `2017-03-12`), on the [harness](crate::harness).
//!
//! [`TencentFake`] behaves like `cvm.tencentcloudapi.com` for three actions:
//!
//! - `ModifyImageSharePermission`: share an image with accounts, or cancel;
//! - `DescribeImageSharePermission`: list who an image is shared with;
//! - `DescribeImages`: list images, including images shared *with* you.
//!
//! It keeps accounts, images and shares in memory, so a client can share, read back, and see
//! the result from the recipient's side.
//!
//! # What it checks
//!
//! Every request is checked the way Tencent documents it, with verifiers ([`tc3`](crate::tc3),
//! [`tencent_v1`](crate::tencent_v1)) written independently of imgshare's signer:
//!
//! - `GET /` (parameters in the query) or `POST /` with `application/json` (optionally
//!   `; charset=utf-8`) or `application/x-www-form-urlencoded`; anything else is
//!   `UnsupportedProtocol`. Query and form parameters are flattened 0-based (`AccountIds.0`,
//!   `Filters.0.Values.1`) and mapped onto the same handlers as JSON bodies;
//! - TC3-HMAC-SHA256 (`Authorization` header, over the raw query and the exact body, or
//!   `UNSIGNED-PAYLOAD`) with `X-TC-*` headers, or signature v1 (`HmacSHA1`/`HmacSHA256`,
//!   `Signature`, `Nonce`, `Timestamp`, `SecretId`, `Action`, `Version`, `Region`, `Token` as
//!   parameters): malformed → `AuthFailure.InvalidAuthorization`; unknown key →
//!   `AuthFailure.SecretIdNotFound`; more than 300 s from the fake's clock →
//!   `AuthFailure.SignatureExpire`; mismatch → `AuthFailure.SignatureFailure`; token →
//!   `AuthFailure.TokenFailure`;
//! - `Action` (`InvalidAction`), `Version` `2017-03-12` (`NoSuchVersion`), `Region`
//!   (required; unknown → `InvalidRegion.NotFound`; images live in one region each),
//!   `Language` (`zh-CN`/`en-US`);
//! - the documented per-action frequency limits (`DescribeImages` 40/s, the share APIs 10/s)
//!   → `RequestLimitExceeded` (or a chosen subcode, [`TencentFake::set_rate_limit_code`]);
//!   [`set_rate_limit`](crate::harness::Fake::set_rate_limit) overrides them;
//! - each action's parameters and business rules (ownership, self-share, already shared,
//!   BYOL, `NORMAL` state, 500-account quota, `Limit` ≤ 100, `ImageIds` vs. `Filters`, the
//!   documented filters including tags, unknown parameters → `UnknownParameter`, ...).
//!
//! Errors come back as Tencent sends them: HTTP 200, `application/json`,
//! `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, with a fresh request id on every
//! response. [`inject`](crate::harness::Fake::inject) adds failures the real service shows only
//! occasionally: plain 5xx, HTML 502 pages, dropped connections, delays, throttling and
//! truncated JSON ([`Fault`], [`TencentFault`]).
//!
//! # Using it in a test
//!
//! ```no_run
//! use imgshare_testkit::{TencentAccount, TencentFake, TencentFault, TencentImage};
//!
//! # async fn example() {
//! let fake = TencentFake::start().await;
//! fake.add_account(TencentAccount::new("100000000001", "AKIDTESTOWNER", "test-key-owner"));
//! fake.add_image(TencentImage::new("img-abcd1234", "100000000001").with_name("web"));
//!
//! // Point the client under test at fake.uri() with the test key, then:
//! // client.share("img-abcd1234", ["100000000002"]).await?;
//!
//! assert_eq!(fake.shared_accounts("img-abcd1234"), Vec::<String>::new());
//! fake.inject(TencentFault::Throttle, 1); // the next request is throttled
//! for request in fake.received() {
//!     println!("{:?} -> {:?}", request.action, request.error_code);
//! }
//! # }
//! ```
//!
//! # Limits
//!
//! - Plain HTTP on loopback; the `Host` header is whatever the client sent (signed as
//!   received), so the client must sign the fake's host.
//! - Any numeric account id can receive a share; the fake does not know every Tencent account.
//!   `CANCEL` for an account an image is not shared with is silently ignored (idempotent); the
//!   docs do not say.
//! - No CDC, zones or instance types: `dedicated-cluster-id` and `cdc-cache-status` filters
//!   match nothing; `InstanceType` is ignored.
//! - Error messages are the fake's own English text; match on codes.

mod api;
mod auth;
mod errors;
mod faults;
mod form;
mod gateway;
mod handlers;
mod params;
mod seed;
mod state;
mod validation;

use serde::{Deserialize, Serialize};

use crate::harness::{Fake, Fault, adders};

pub use faults::TencentFault;
pub use seed::{
    PUBLIC_IMAGE_OWNER, TencentAccount, TencentImage, TencentSeed, TencentSnapshot, TencentTag,
};
pub use state::{Tencent, TencentRateLimitCode};

/// A running fake Tencent Cloud CVM endpoint on a loopback port; requests go to `/`. See the
/// [module docs](self) and the [harness](crate::harness) for what every fake can do.
pub type TencentFake = Fake<Tencent>;

/// One request the Tencent fake received, recorded in arrival order whatever the outcome
/// (rejected, faulted or served).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TencentReceivedRequest {
    /// The action: the `X-TC-Action` header, or the v1 `Action` parameter.
    pub action: Option<String>,
    /// The caller's account id, once its signature was verified.
    pub account_id: Option<String>,
    /// The `Error.Code` the fake answered, if it answered an error envelope.
    pub error_code: Option<String>,
    /// The `Response.RequestId` the fake answered; `None` when it answered none (a transport
    /// fault, a dropped connection).
    pub request_id: Option<String>,
    /// The HTTP status answered; `None` when the connection was dropped.
    pub status: Option<u16>,
    /// The request body (lossy UTF-8).
    pub body: String,
    /// The injected fault applied to this request, if any.
    pub fault: Option<Fault<TencentFault>>,
    /// The HTTP method, `GET` or `POST` (or whatever was sent).
    pub method: String,
    /// The raw query string (empty for none).
    pub query: String,
    /// `TC3-HMAC-SHA256`, `HmacSHA1` or `HmacSHA256`, once the signature style was recognised.
    pub signature_method: Option<String>,
    /// The region asked for (`X-TC-Region` or the v1 `Region` parameter).
    pub region: Option<String>,
}

/// The Tencent fake's own methods, next to those of every [`Fake`].
impl Fake<Tencent> {
    adders! {
        TencentSeed {
            /// Adds an API key; replaces any account with the same SecretId.
            add_account => accounts: TencentAccount;
            /// Adds an image; replaces any image with the same id (its shares stay).
            add_image => images: TencentImage;
        }
    }

    /// Accounts `image_id` is shared with, oldest share first.
    pub fn shared_accounts(&self, image_id: &str) -> Vec<String> {
        self.with(|state| {
            let shares = state.shares_of(image_id).iter();
            shares.map(|s| s.account_id.clone()).collect()
        })
    }

    /// The code a request over the limit is answered with; default
    /// [`TencentRateLimitCode::RequestLimitExceeded`].
    pub fn set_rate_limit_code(&self, code: TencentRateLimitCode) {
        self.with(|state| state.rate_limit_code = code);
    }

    /// Shares made from now on appear in `DescribeImageSharePermission` only `delay_ms` of
    /// fake-clock time after the call that made them (a listing that catches up late); they
    /// count at once for everything else. 0 (the default) lists them at once.
    pub fn set_listing_delay_ms(&self, delay_ms: i64) {
        self.with(|state| state.listing_delay_ms = delay_ms);
    }
}
