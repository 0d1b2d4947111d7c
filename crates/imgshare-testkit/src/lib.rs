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
//! Every request is checked the way Tencent documents it, with a verifier
//! ([`tc3`]) written independently of imgshare's signer:
//!
//! - `POST /` with `Content-Type: application/json` (optionally
//!   `; charset=utf-8`), else `UnsupportedProtocol`;
//! - headers `X-TC-Action` (unknown → `InvalidAction`), `X-TC-Version`
//!   (must be `2017-03-12` → `NoSuchVersion`), `X-TC-Timestamp`,
//!   `X-TC-Region` (required → `MissingParameter`), optional
//!   `X-TC-Language` (`zh-CN`/`en-US`);
//! - the TC3-HMAC-SHA256 `Authorization` header: malformed, wrong date or
//!   service → `AuthFailure.InvalidAuthorization`; unknown key →
//!   `AuthFailure.SecretIdNotFound`; timestamp more than 300 s from the
//!   fake's clock → `AuthFailure.SignatureExpire`; signature over the request
//!   *as received* (signed headers, query string, exact body bytes) →
//!   `AuthFailure.SignatureFailure`; `X-TC-Token` vs. the key's session
//!   token → `AuthFailure.TokenFailure`;
//! - 10 requests per second per action per account → `RequestLimitExceeded`
//!   ([`TencentFake::set_rate_limit`]);
//! - each action's parameters and business rules (ownership, self-share,
//!   already shared, 500-account quota, `Limit` ≤ 100, `ImageIds` vs.
//!   `Filters`, unknown parameters → `UnknownParameter`, ...).
//!
//! Errors come back as Tencent sends them: HTTP 200, `application/json`,
//! `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, with a fresh
//! request id on every response. [`TencentFake::inject`] adds failures the
//! real service shows only occasionally: plain 5xx, HTML 502 pages, dropped
//! connections, delays, throttling and truncated JSON ([`Fault`]).
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
//! - One region: any non-empty `X-TC-Region` is accepted and they all see
//!   the same images. Sharing across regions is not modelled.
//! - POST with a JSON body and TC3 signing only: no GET/form requests, no
//!   v1 (HmacSHA1/HmacSHA256) signatures, no `UNSIGNED-PAYLOAD`.
//! - Plain HTTP on loopback; the `Host` header is whatever the client sent
//!   (signed as received), so the client must sign the fake's host.
//! - Any numeric account id can receive a share; the fake does not know
//!   every Tencent account. `CANCEL` for an account an image is not shared
//!   with is silently ignored (idempotent); the docs do not say.
//! - `DescribeImages` supports the filters `image-id`, `image-type`,
//!   `image-name` and `platform` (others → `InvalidFilter`); without an
//!   `image-type` filter it lists the caller's own and shared-in images, and
//!   public images (owner [`PUBLIC_IMAGE_OWNER`]) only when asked for by id.
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

pub use ncloud::{
    NcloudAccount, NcloudClassicImage, NcloudFake, NcloudFamily, NcloudFault, NcloudImage,
    NcloudReceivedRequest, NcloudSeed,
};
pub use scp::{
    ScpAccount, ScpFake, ScpFault, ScpImage, ScpMember, ScpMemberStatus, ScpReceivedRequest,
    ScpSeed, ScpVisibility,
};
pub use tencent::{
    FakeAccount, FakeImage, Fault, PUBLIC_IMAGE_OWNER, ReceivedRequest, Seed, SeedError,
    TencentFake,
};
