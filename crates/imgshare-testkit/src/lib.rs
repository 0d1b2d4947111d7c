//! Test doubles for imgshare: stateful, signature-checking fakes of the image-sharing APIs of
//! Tencent Cloud CVM ([`TencentFake`]), NAVER Cloud Platform ([`NcloudFake`]) and Samsung
//! Cloud Platform v2 ([`ScpFake`]), each on a loopback HTTP port.
//!
//! All three run on one [harness]: it owns the server's lifecycle (alone, or all three on one
//! address with [`FakeClouds`]), routing by provider, the fault queue, rate limits, the clock,
//! the request log and the same admin API for every cloud under `/_fake/{cloud}/`, so tests in
//! other languages can drive them over plain HTTP (see `docs/TESTKIT.md`). Each cloud supplies
//! its state, its handlers and its signature checks.
//!
//! The checkers are written from the providers' documentation and share no code with
//! imgshare's signers (this crate depends on no imgshare crate), so a bug in a signer cannot
//! hide behind the same bug here: [`tc3`] and [`tencent_v1`] for Tencent,
//! [`ncloud::signature`] for NAVER Cloud's API Gateway, and [`scp::signature`] for SCP.
//!
//! ```no_run
//! use imgshare_testkit::{TencentFake, TencentFault, TencentSeed};
//!
//! # async fn example() {
//! let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
//! // Point the client under test at fake.uri() with a demo key, then:
//! fake.inject(TencentFault::Throttle, 1); // the next request is throttled
//! assert!(fake.shared_accounts("img-demo0001").is_empty());
//! # }
//! ```
//!
//! Each cloud's module says what it checks and what it chooses where the documentation is
//! silent: [`tencent`], [`ncloud`], [`scp`].

pub mod harness;
pub mod ncloud;
pub mod scp;
pub mod tc3;
pub mod tencent;
pub mod tencent_v1;

pub use harness::{ClockError, Fake, FakeClouds, FakeSeeds, Fault, SeedError};
pub use ncloud::{
    NcloudAccount, NcloudClassicImage, NcloudFake, NcloudFamily, NcloudFault, NcloudImage,
    NcloudReceivedRequest, NcloudSeed,
};
pub use scp::{
    ScpAccount, ScpFake, ScpFault, ScpImage, ScpMember, ScpMemberStatus, ScpReceivedRequest,
    ScpSeed, ScpVisibility,
};
pub use tencent::{
    TencentAccount, TencentFake, TencentFault, TencentImage, TencentRateLimitCode,
    TencentReceivedRequest, TencentSeed, TencentSnapshot, TencentTag,
};
