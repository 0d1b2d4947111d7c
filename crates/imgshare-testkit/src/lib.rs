//! Test doubles for imgshare: a stateful fake of the Tencent Cloud CVM
//! image-sharing API.
//!
//! [`TencentFake`] runs an HTTP server on a loopback port (a
//! [`wiremock::MockServer`] with a custom responder) that behaves like
//! `cvm.tencentcloudapi.com` for three actions of API version `2017-03-12`:
//!
//! - `ModifyImageSharePermission` — share an image with accounts, or cancel;
//! - `DescribeImageSharePermission` — list who an image is shared with;
//! - `DescribeImages` — list images, including images shared *with* you.
//!
//! It keeps accounts, images and shares in memory, so a client can share,
//! read back, and see the result from the recipient's side.
//!
//! # What it checks
//!
//! Every request is checked the way Tencent documents it, with verifiers
//! ([`tc3`], [`tencent_v1`]) written independently of imgshare's signer:
//!
//! - `GET /` (parameters in the query) or `POST /` with
//!   `application/json` (optionally `; charset=utf-8`) or
//!   `application/x-www-form-urlencoded`; anything else is
//!   `UnsupportedProtocol`. Query and form parameters are flattened
//!   0-based (`AccountIds.0`, `Filters.0.Values.1`) and mapped onto the
//!   same handlers as JSON bodies;
//! - TC3-HMAC-SHA256 (`Authorization` header, over the raw query and the
//!   exact body, or `UNSIGNED-PAYLOAD`) with `X-TC-*` headers, or signature
//!   v1 (`HmacSHA1`/`HmacSHA256`, `Signature`, `Nonce`, `Timestamp`,
//!   `SecretId`, `Action`, `Version`, `Region`, `Token` as parameters):
//!   malformed → `AuthFailure.InvalidAuthorization`; unknown key →
//!   `AuthFailure.SecretIdNotFound`; more than 300 s from the fake's clock →
//!   `AuthFailure.SignatureExpire`; mismatch → `AuthFailure.SignatureFailure`;
//!   token → `AuthFailure.TokenFailure`;
//! - `Action` (`InvalidAction`), `Version` `2017-03-12` (`NoSuchVersion`),
//!   `Region` (required; unknown → `InvalidRegion.NotFound`; images live in
//!   one region each), `Language` (`zh-CN`/`en-US`);
//! - the documented per-action frequency limits (`DescribeImages` 40/s, the
//!   share APIs 10/s) → `RequestLimitExceeded` (or a chosen subcode,
//!   [`TencentFake::set_rate_limit_code`]); [`TencentFake::set_rate_limit`]
//!   overrides them;
//! - each action's parameters and business rules (ownership, self-share,
//!   already shared, BYOL, `NORMAL` state, 500-account quota, `Limit` ≤ 100,
//!   `ImageIds` vs. `Filters`, the documented filters including tags,
//!   unknown parameters → `UnknownParameter`, ...).
//!
//! Errors come back as Tencent sends them: HTTP 200, `application/json`,
//! `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, with a fresh
//! request id on every response. [`TencentFake::inject`] adds failures the
//! real service shows only occasionally: plain 5xx, HTML 502 pages, dropped
//! connections, delays, throttling and truncated JSON ([`Fault`]).
//!
//! An admin API under [`ADMIN_PREFIX`] (`/_fake/tencent/`: `state`, `reset`,
//! `faults`, `clock`, `rate-limit`, `accounts`, `images`) lets tests in
//! other languages drive the fake over plain HTTP; see `docs/TESTKIT.md`.
//!
//! # Using it in a test
//!
//! ```no_run
//! use imgshare_testkit::{FakeAccount, FakeImage, Fault, TencentFake};
//!
//! # async fn example() {
//! let fake = TencentFake::start().await;
//! fake.add_account(FakeAccount::new("100000000001", "AKIDTESTOWNER", "test-key-owner"));
//! fake.add_image(FakeImage::new("img-abcd1234", "100000000001").with_name("web"));
//!
//! // Point the client under test at fake.uri() with the test key, then:
//! // client.share("img-abcd1234", ["100000000002"]).await?;
//!
//! assert_eq!(fake.shared_accounts("img-abcd1234"), Vec::<String>::new());
//! fake.inject(Fault::Throttle, 1); // the next request is throttled
//! for request in fake.received() {
//!     println!("{:?} -> {:?}", request.action, request.error_code);
//! }
//! # }
//! ```
//!
//! [`Seed::demo`] gives ready-made test accounts and images; run
//! `cargo run -p imgshare-testkit --example fake_server` to poke at it by hand.
//!
//! # Limits
//!
//! - In memory only; state is lost when the [`TencentFake`] is dropped.
//! - Plain HTTP on loopback; the `Host` header is whatever the client sent
//!   (signed as received), so the client must sign the fake's host.
//! - Any numeric account id can receive a share; the fake does not know
//!   every Tencent account. `CANCEL` for an account an image is not shared
//!   with is silently ignored (idempotent); the docs do not say.
//! - No CDC, zones or instance types: `dedicated-cluster-id` and
//!   `cdc-cache-status` filters match nothing; `InstanceType` is ignored.
//! - Error messages are the fake's own English text; match on codes.
//!
//! # Samsung Cloud Platform v2
//!
//! [`ScpFake`] does the same for the SCP v2 `virtualserver` image and
//! image-member APIs under `/v1/` (add/list/show/update/remove members,
//! pending images, image show/update/list, sharing image), checking the
//! `Scp-Signature` HMAC with an independent verifier and answering SCP's
//! gateway and `{"errors":[...]}` bodies. It can run alone
//! ([`ScpFake::start`]) or be mounted next to other fakes on one
//! [`wiremock::MockServer`] ([`ScpFake::mount_on`]). See the [`scp`] module
//! for what it checks and the choices made where the documentation is
//! silent; [`ScpSeed::demo`] has ready-made test accounts and images.
//!
//! # NAVER Cloud Platform
//!
//! [`NcloudFake`] does the same for NCP's server-image sharing APIs: VPC
//! server images and member server image instances under `/vserver/v2/`,
//! and Classic member server images under `/server/v2/`, over GET (query)
//! or POST (form body), answering XML or JSON. It checks the API Gateway
//! signature v2 with an independent verifier ([`ncloud::signature`]) over
//! the request-target as received, and answers the gateway's `error` and
//! the service's `responseError` envelopes. It runs alone
//! ([`NcloudFake::start`]) or next to other fakes on one
//! [`wiremock::MockServer`] ([`NcloudFake::mount_on`]). See the [`ncloud`]
//! module for what it checks and the choices made where the documentation
//! is silent; [`NcloudSeed::demo`] has ready-made test accounts and images.

pub mod ncloud;
pub mod scp;
pub mod tc3;
pub mod tencent;
pub mod tencent_v1;

pub use ncloud::{
    NcloudAccount, NcloudClassicImage, NcloudFake, NcloudFamily, NcloudFault, NcloudImage,
    NcloudReceivedRequest, NcloudSeed,
};
pub use scp::{
    ScpAccount, ScpFake, ScpFault, ScpImage, ScpMember, ScpMemberStatus, ScpReceivedRequest,
    ScpSeed, ScpVisibility,
};
pub use tencent::{
    ADMIN_PREFIX, FakeAccount, FakeImage, FakeTag, Fault, PUBLIC_IMAGE_OWNER, RateLimitCode,
    ReceivedRequest, Seed, SeedError, TencentFake,
};
