//! A running fake cloud: its server (owned or shared), its three mocks, and the test-facing
//! handle every cloud gets.

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use wiremock::matchers::path_regex;
use wiremock::{Match, Mock, MockServer, MockServerBuilder, Request, Respond, ResponseTemplate};

use super::admin::Admin;
use super::core::{Core, Shared, lock};
use super::{ClockError, Cloud, Fault};

/// A running fake of cloud `C` on a loopback port; see the [harness](super) docs.
///
/// Made by [`start`](Fake::start) and friends, the fake owns its server, which stops when the
/// fake is dropped. Made by [`mount_on`](Fake::mount_on), it is a handle to mocks on someone
/// else's server: dropping it leaves them serving. All methods take `&self`; the state lives
/// behind a mutex shared with the server.
#[derive(Debug)]
pub struct Fake<C: Cloud> {
    server: Option<MockServer>,
    address: SocketAddr,
    core: Shared<C>,
}

/// Claims requests whose pending fault drops the connection; its mock answers with a handler
/// error, which makes hyper close the connection without writing a response.
struct DropMatcher<C: Cloud>(Shared<C>);

impl<C: Cloud> Match for DropMatcher<C> {
    fn matches(&self, request: &Request) -> bool {
        lock(&self.0).take_drop(request)
    }
}

fn dropped_connection(_: &Request) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::ConnectionReset,
        "imgshare-testkit: injected DropConnection fault",
    )
}

struct Responder<C: Cloud>(Shared<C>);

impl<C: Cloud> Respond for Responder<C> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        lock(&self.0).respond(request)
    }
}

impl<C: Cloud> Fake<C> {
    /// Starts an empty fake (no accounts, no images) on a random loopback port.
    pub async fn start() -> Self {
        Self::start_with_seed(C::Seed::default()).await
    }

    /// Starts a fake holding `seed` on a random loopback port.
    pub async fn start_with_seed(seed: C::Seed) -> Self {
        Self::own(MockServer::builder(), seed).await
    }

    /// Starts a fake holding `seed` on an already-bound listener.
    pub async fn start_on(listener: TcpListener, seed: C::Seed) -> Self {
        Self::own(MockServer::builder().listener(listener), seed).await
    }

    async fn own(builder: MockServerBuilder, seed: C::Seed) -> Self {
        // The fake keeps its own log, so wiremock's is off.
        let server = builder.disable_request_recording().start().await;
        let mut fake = Self::mount_on(&server, seed).await;
        fake.server = Some(server);
        fake
    }

    /// Mounts a fake holding `seed` on `server`, next to other clouds' fakes.
    ///
    /// Three mocks are mounted: the admin API under `/_fake/{cloud}/`, then, restricted to the
    /// cloud's paths at its priority, one that drops the connection when such a fault is due
    /// and the responder. They never claim another cloud's requests, and a fault queued here
    /// is never consumed by them. Mount at most one fake per cloud on a server.
    pub async fn mount_on(server: &MockServer, seed: C::Seed) -> Self {
        let core: Shared<C> = Arc::new(Mutex::new(Core::new(seed)));
        let name = C::NAME;
        Mock::given(path_regex(format!("^/_fake/{name}/")))
            .respond_with(Admin(core.clone()))
            .with_priority(1)
            .named(format!("imgshare-testkit {name} admin API"))
            .mount(server)
            .await;
        Mock::given(path_regex(C::PATHS))
            .and(DropMatcher(core.clone()))
            .respond_with_err(dropped_connection)
            .with_priority(C::PRIORITY)
            .named(format!("imgshare-testkit {name} DropConnection"))
            .mount(server)
            .await;
        Mock::given(path_regex(C::PATHS))
            .respond_with(Responder(core.clone()))
            .with_priority(C::PRIORITY)
            .named(format!("imgshare-testkit {name} fake"))
            .mount(server)
            .await;
        Fake {
            server: None,
            address: *server.address(),
            core,
        }
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The socket address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The server this fake owns (and will stop), to mount other clouds' fakes on; `None` for a
    /// fake mounted on someone else's server.
    pub fn mock_server(&self) -> Option<&MockServer> {
        self.server.as_ref()
    }

    /// The admin API's base URL, `http://127.0.0.1:PORT/_fake/{cloud}/`.
    pub fn admin_uri(&self) -> String {
        format!("{}/_fake/{}/", self.uri(), C::NAME)
    }

    /// Applies `fault` (a shared [`Fault`] or one of the cloud's own) to the next `next_n`
    /// requests of this cloud, before any checking. Calls queue up: `inject(A, 2); inject(B, 1)`
    /// gives A, A, B.
    pub fn inject(&self, fault: impl Into<Fault<C::Fault>>, next_n: usize) {
        lock(&self.core).inject(fault.into(), next_n);
    }

    /// Every request seen so far, in arrival order, whatever the outcome.
    pub fn received(&self) -> Vec<C::Record> {
        lock(&self.core).received.clone()
    }

    /// How many requests have arrived (`received().len()`).
    pub fn request_count(&self) -> usize {
        lock(&self.core).received.len()
    }

    /// The current accounts, images and shares, e.g. for printing or re-seeding.
    pub fn seed(&self) -> C::Seed {
        lock(&self.core).cloud.seed()
    }

    /// Adds (or replaces) the accounts, images and shares of `seed`.
    pub fn add_seed(&self, seed: C::Seed) {
        lock(&self.core).merge(seed);
    }

    /// Back to the seed the fake started with (or was last reset to over the admin API): no
    /// recorded requests, pending faults, clock offset or limit overrides.
    pub fn reset(&self) {
        lock(&self.core).reset(None);
    }

    /// Sets the fake's clock to the system clock plus `offset` seconds; signature windows, key
    /// expiry and new timestamps use it. Refuses offsets beyond ±10 years.
    pub fn set_clock_offset_secs(&self, offset: i64) -> Result<(), ClockError> {
        lock(&self.core).clock.set_offset_secs(offset)
    }

    /// Stops the fake's clock (signature windows, key expiry, rate-limit windows, timestamps)
    /// at the current time, so that a test counts requests per second whatever the machine's
    /// speed; [`advance_clock_ms`](Fake::advance_clock_ms) moves it. [`reset`](Fake::reset)
    /// lets it run again.
    pub fn freeze_clock(&self) {
        lock(&self.core).clock.freeze();
    }

    /// Stops the fake's clock at `unix_secs` exactly, so a test can sign at a known distance
    /// from it whatever the machine's speed. Refuses an instant beyond ±10 years from now.
    pub fn freeze_clock_at_secs(&self, unix_secs: i64) -> Result<(), ClockError> {
        let unix_ms = unix_secs.checked_mul(1000).ok_or(ClockError)?;
        lock(&self.core).clock.freeze_at(unix_ms)
    }

    /// Lets the fake's clock follow the system clock again (keeping its offset).
    pub fn unfreeze_clock(&self) {
        lock(&self.core).clock.unfreeze();
    }

    /// Moves the fake's clock forward by `ms` (backward if negative): its offset grows by `ms`.
    /// Refuses a resulting offset beyond ±10 years.
    pub fn advance_clock_ms(&self, ms: i64) -> Result<(), ClockError> {
        let mut core = lock(&self.core);
        let offset = core.clock.offset_ms().checked_add(ms).ok_or(ClockError)?;
        core.clock.set_offset_ms(offset)
    }

    /// Requests per second allowed per action per caller, for every action (`None`: no
    /// limit), instead of the documented limits. Clears the windows and per-action overrides.
    pub fn set_rate_limit(&self, per_second_per_action: Option<u32>) {
        lock(&self.core).limits.set_all(per_second_per_action);
    }

    /// Overrides one action's limit (`None`: unlimited); clears the windows.
    pub fn set_action_rate_limit(&self, action: &str, per_second: Option<u32>) {
        lock(&self.core).limits.set_action(action, per_second);
    }

    /// Back to the documented limits (none, where the provider documents none).
    pub fn use_documented_rate_limits(&self) {
        lock(&self.core).limits.use_documented();
    }

    /// The limit `action` has now (`None`: unlimited).
    pub fn rate_limit_for(&self, action: &str) -> Option<u32> {
        lock(&self.core).limits.limit_for(action)
    }

    /// Runs `f` on the cloud's state, for the cloud's own test-facing methods.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut C) -> R) -> R {
        f(&mut lock(&self.core).cloud)
    }
}
