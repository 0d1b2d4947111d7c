//! A stateful fake of the Tencent Cloud CVM image-sharing API
//! (service `cvm`, version `2017-03-12`) on a [`wiremock::MockServer`].
//!
//! See the [crate docs](crate) for what it checks and its limits.

mod admin;
mod errors;
mod faults;
mod gateway;
mod handlers;
mod params;
pub mod regions;
mod seed;
mod state;

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use wiremock::matchers::{any, path, path_regex};
use wiremock::{Mock, MockServer};

pub use admin::ADMIN_PREFIX;
pub use faults::Fault;
pub use seed::{FakeAccount, FakeImage, FakeTag, PUBLIC_IMAGE_OWNER, Seed, SeedError};
pub use state::RateLimitCode;

use admin::AdminResponder;
use gateway::{DropMatcher, Responder, Shared, dropped_connection, lock};
use state::State;

/// One request the fake received, recorded in arrival order whatever the
/// outcome (rejected, faulted or served).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedRequest {
    /// The action: the `X-TC-Action` header, or the v1 `Action` parameter.
    pub action: Option<String>,
    /// The caller's account id, once its signature was verified.
    pub account_id: Option<String>,
    /// The `Error.Code` the fake answered, if it answered an error envelope.
    pub error_code: Option<String>,
    /// The request body (lossy UTF-8).
    pub body: String,
    /// The injected fault applied to this request, if any.
    pub fault: Option<Fault>,
    /// The HTTP method, `GET` or `POST` (or whatever was sent).
    #[serde(default)]
    pub method: String,
    /// The raw query string (empty for none).
    #[serde(default)]
    pub query: String,
    /// `TC3-HMAC-SHA256`, `HmacSHA1` or `HmacSHA256`, once the signature
    /// style was recognised.
    #[serde(default)]
    pub signature_method: Option<String>,
    /// The region asked for (`X-TC-Region` or the v1 `Region` parameter).
    #[serde(default)]
    pub region: Option<String>,
}

/// A running fake Tencent Cloud CVM endpoint on a loopback port.
///
/// Point a client's endpoint at [`TencentFake::uri`]. The server stops when
/// this value is dropped. All methods take `&self`; state lives behind a
/// mutex shared with the server thread.
#[derive(Debug)]
pub struct TencentFake {
    server: MockServer,
    state: Shared,
}

impl TencentFake {
    /// Starts an empty fake (no accounts, no images) on a random loopback port.
    pub async fn start() -> TencentFake {
        TencentFake::start_with_seed(Seed::default()).await
    }

    /// Starts a fake holding `seed` on a random loopback port.
    pub async fn start_with_seed(seed: Seed) -> TencentFake {
        TencentFake::mount(MockServer::builder(), seed).await
    }

    /// Starts a fake holding `seed` on an already-bound listener, e.g. for
    /// `imgshare-fake serve --port N`.
    pub async fn start_on(listener: TcpListener, seed: Seed) -> TencentFake {
        TencentFake::mount(MockServer::builder().listener(listener), seed).await
    }

    async fn mount(builder: wiremock::MockServerBuilder, seed: Seed) -> TencentFake {
        // The fake keeps its own log (`received`), so wiremock's is off.
        let server = builder.disable_request_recording().start().await;
        let state: Shared = Arc::new(Mutex::new(State::from_seed(seed)));
        // Checked first: claims requests whose fault is DropConnection. Only Tencent's `/`, so a
        // pending Tencent fault never swallows an NCP or SCP request on a shared server (the path
        // matcher runs before the fault is consumed).
        Mock::given(path("/"))
            .and(DropMatcher(state.clone()))
            .respond_with_err(dropped_connection)
            .with_priority(1)
            .named("imgshare-testkit DropConnection")
            .mount(&server)
            .await;
        // The admin API (reset, faults, clock, rate limits, state) for tests in other languages.
        Mock::given(path_regex(format!("^{ADMIN_PREFIX}")))
            .respond_with(AdminResponder(state.clone()))
            .with_priority(1)
            .named("imgshare-testkit Tencent admin API")
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(Responder(state.clone()))
            .with_priority(2)
            .named("imgshare-testkit Tencent CVM fake")
            .mount(&server)
            .await;
        TencentFake { server, state }
    }

    /// The base URL, `http://127.0.0.1:PORT` (for [`TencentFake::start_on`],
    /// the listener's own address); requests go to `/`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The wiremock server underneath, to mount the other providers' fakes on the same address
    /// (`NcloudFake::mount_on`, `ScpFake::mount_on`): their paths never collide with Tencent's
    /// `POST /`, and their mocks take precedence on theirs.
    pub fn mock_server(&self) -> &MockServer {
        &self.server
    }

    /// The socket address the fake listens on.
    pub fn address(&self) -> SocketAddr {
        *self.server.address()
    }

    /// Adds an API key; replaces any account with the same SecretId.
    pub fn add_account(&self, account: FakeAccount) {
        lock(&self.state).add_account(account);
    }

    /// Adds an image; replaces any image with the same id (its shares stay).
    pub fn add_image(&self, image: FakeImage) {
        lock(&self.state).add_image(image);
    }

    /// Accounts `image_id` is shared with, oldest share first.
    pub fn shared_accounts(&self, image_id: &str) -> Vec<String> {
        lock(&self.state)
            .shares_of(image_id)
            .iter()
            .map(|s| s.account_id.clone())
            .collect()
    }

    /// Applies `fault` to the next `next_n` requests, before any checking.
    ///
    /// Calls queue up: `inject(A, 2); inject(B, 1)` gives A, A, B.
    pub fn inject(&self, fault: Fault, next_n: usize) {
        lock(&self.state).inject(fault, next_n);
    }

    /// Every request seen so far, in arrival order.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        lock(&self.state).received.clone()
    }

    /// How many requests have arrived (`received().len()`).
    pub fn request_count(&self) -> usize {
        lock(&self.state).received.len()
    }

    /// Overrides the documented limits: requests per second allowed per
    /// action per account, for every action; `None` disables the limit.
    /// By default each action has its documented limit (tencent.md §4.3):
    /// `DescribeImages` 40/s, `ModifyImageSharePermission` and
    /// `DescribeImageSharePermission` 10/s. Clears the current windows and
    /// any per-action override.
    pub fn set_rate_limit(&self, per_second_per_action: Option<u32>) {
        lock(&self.state).set_rate_limit(per_second_per_action);
    }

    /// Overrides one action's limit (`None`: unlimited); clears the windows.
    pub fn set_action_rate_limit(&self, action: &str, per_second: Option<u32>) {
        lock(&self.state).set_action_rate_limit(action, per_second);
    }

    /// Back to the documented per-action limits.
    pub fn use_documented_rate_limits(&self) {
        lock(&self.state).use_documented_rate_limits();
    }

    /// The limit `action` has now (`None`: unlimited).
    pub fn rate_limit_for(&self, action: &str) -> Option<u32> {
        lock(&self.state).rate_limit_for(action)
    }

    /// The code a request over the limit is answered with; default
    /// [`RateLimitCode::RequestLimitExceeded`].
    pub fn set_rate_limit_code(&self, code: RateLimitCode) {
        lock(&self.state).rate_limit_code = code;
    }

    /// Back to the seed the fake started with: its accounts, images and
    /// shares, no recorded requests, no pending faults, clock offset 0 and
    /// the documented rate limits. Also `POST /_fake/tencent/reset`.
    pub fn reset(&self) {
        lock(&self.state).reset(None);
    }

    /// The admin API's base URL, `http://127.0.0.1:PORT/_fake/tencent/`
    /// (see the crate docs for its endpoints).
    pub fn admin_uri(&self) -> String {
        format!("{}{ADMIN_PREFIX}", self.uri())
    }

    /// Sets the fake's clock to the system clock plus `offset` seconds; the
    /// 300 s signature window is measured against it. Share times use it too.
    pub fn set_clock_offset_secs(&self, offset: i64) {
        lock(&self.state).set_clock_offset_secs(offset);
    }

    /// The current accounts, images and shares, e.g. for printing.
    pub fn seed(&self) -> Seed {
        lock(&self.state).to_seed()
    }
}
