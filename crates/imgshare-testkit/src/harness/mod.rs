//! The one harness every fake cloud runs on, in the manner of moto and LocalStack: a shared core
//! that owns the server's lifecycle, routing by provider, the fault queue, rate limits, the clock,
//! the request log and the admin API, and a [`Cloud`] per provider that supplies only its state,
//! its handlers and its signature checks.
//!
//! [`Fake<C>`](Fake) runs one cloud alone ([`Fake::start`]) or next to the others on one
//! address ([`Fake::mount_on`], or [`FakeClouds`] for all three, as `imgshare-fake serve` runs
//! them). Each cloud's mocks match only its own paths ([`Cloud::PATHS`]), so a fault queued for
//! one never touches another's requests.
//!
//! # The admin API
//!
//! Every cloud answers the same plain-JSON endpoints under `/_fake/{cloud}/` (`tencent`,
//! `ncloud`, `scp`; see [`Fake::admin_uri`]), so tests in any language can inspect and drive it.
//! They are never signed, recorded, faulted or rate-limited (`docs/TESTKIT.md` has a curl
//! example for each):
//!
//! | endpoint | body | effect |
//! |---|---|---|
//! | `GET state` | | the seed (accounts with their test keys, images, shares), `received`, `request_count`, the clock, `rate_limits`, `pending_faults` |
//! | `GET seed` | | the current seed, in the form `--seed` files use |
//! | `POST seed` | a (partial) seed | adds or replaces its accounts, images, shares |
//! | `POST {list}` | one item | the same for one item of the seed list `{list}` (`accounts`, `images`, ...) |
//! | `POST reset` | empty, or a seed | back to the start seed, or to this one; clears requests, faults, clock and limits |
//! | `POST faults` | `{"fault": F, "count": N}` or `{"delay_ms": MS, "count": N}` | queues a fault for the next `N` (default 1) requests |
//! | `POST clock` | `{"offset_secs": S}` or `{"offset_ms": MS}` | moves the clock (at most ±10 years); answers the clock |
//! | `GET requests` | | the request log (each entry's `request_id`: the id its answer carried, or `null`) |
//! | `POST rate-limit` | `{"per_second": N\|null, "action": A?}` or `{"documented": true}` | override or restore the limits |
//!
//! Success is `200` with JSON (`{"ok":true}` for changes); a bad body or offset is
//! `400 {"error":…}` (an invalid seed also lists its `problems`); an unknown endpoint `404`.

mod admin;
mod clock;
mod clouds;
mod core;
mod errors;
mod fault;
mod limits;
mod seed;
mod server;
pub(crate) mod wire;

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use wiremock::{Request, ResponseTemplate};

pub use clock::{Clock, ClockError, MAX_CLOCK_OFFSET_MS};
pub use clouds::{FakeClouds, FakeSeeds};
pub use fault::Fault;
pub use seed::SeedError;
pub use server::Fake;

pub(crate) use errors::{ApiError, Catalog, ensure, error_table};

pub(crate) use clock::utc_millis;
pub(crate) use seed::{REDACTED, adders, check, parse, read, setters, upsert, with_defaults};

use limits::RateLimits;

/// What one provider plugs into the harness: its state (this type), its handlers and its
/// signature checks. The harness does everything else.
pub trait Cloud: Default + Send + 'static {
    /// The admin API's path segment, `/_fake/{NAME}/`.
    const NAME: &'static str;
    /// A `path_regex` of the paths the cloud serves.
    const PATHS: &'static str;
    /// The wiremock priority of its mocks (1 is tried first): a catch-all cloud uses a larger
    /// number, so the others see their paths first on a shared server.
    const PRIORITY: u8;
    /// Its seed: accounts, images and shares, as JSON seed files spell them.
    type Seed: Clone + Debug + Default + Serialize + DeserializeOwned + Send + Sync;
    /// Its own injectable faults, next to the [`Fault`]s every cloud has.
    type Fault: Clone + Debug + PartialEq + Serialize + DeserializeOwned + Send + Sync;
    /// The server name its proxy signs an HTML 502 page with ([`Fault::Html502`]); none by
    /// default.
    const PROXY: &'static str = "";
    /// One entry of its request log.
    type Record: Clone + Debug + Serialize + Send + Sync;

    /// Adds (or replaces) the seed's accounts, images and shares; `clock` stamps new shares.
    fn merge(&mut self, seed: Self::Seed, clock: Clock);
    /// The state as a seed, e.g. for printing or re-seeding.
    fn seed(&self) -> Self::Seed;
    /// What the API would refuse in a seed; empty when it is acceptable.
    const PROBLEMS: fn(&Self::Seed) -> Vec<String>;
    /// The actions whose limits the admin API's `state` reports.
    fn actions() -> Vec<String>;
    /// The documented requests-per-second limit of `action`; `None` (the default) when there
    /// is none.
    fn documented_limit(_action: &str) -> Option<u32> {
        None
    }
    /// A log entry for a request that just arrived.
    const RECORD: fn(&Request) -> Self::Record;
    /// Completes a log entry: the fault applied, the status, the error code and the request id
    /// answered (`None` status: the connection was dropped).
    fn log(
        record: &mut Self::Record,
        fault: Option<Fault<Self::Fault>>,
        status: Option<u16>,
        error_code: Option<String>,
        request_id: Option<String>,
    );
    /// The answer one of its own faults gives instead of serving the request.
    const FAULT: fn(&Self::Fault, &Request) -> Reply;
    /// Checks and answers one request, filling in its log entry as it learns who called what.
    const SERVE: fn(&mut Self, &mut Env<'_>, &Request, &mut Self::Record) -> Reply;
    /// Adds cloud-specific entries to the admin API's `state`; none by default.
    fn admin_state(&self, _state: &mut Map<String, Value>) {}
    /// Applies cloud-specific settings of an admin `POST` to `route` (e.g. a rate-limit code);
    /// none by default.
    fn admin(&mut self, _route: &str, _body: &Value) -> Result<(), String> {
        Ok(())
    }
}

/// [`Cloud::log`] for a record whose `fault`, `status`, `error_code` and `request_id` fields
/// keep the outcome, as every cloud's does.
macro_rules! log_outcome {
    () => {
        fn log(
            record: &mut Self::Record,
            fault: Option<$crate::harness::Fault<Self::Fault>>,
            status: Option<u16>,
            error_code: Option<String>,
            request_id: Option<String>,
        ) {
            (record.fault, record.status) = (fault, status);
            (record.error_code, record.request_id) = (error_code, request_id);
        }
    };
}
pub(crate) use log_outcome;

/// An answer, with what the request log keeps of it.
#[derive(Debug)]
pub struct Reply {
    /// The response.
    pub response: ResponseTemplate,
    /// Its HTTP status.
    pub status: u16,
    /// The provider's error code in it, if it is an error.
    pub error_code: Option<String>,
    /// The request id in its body, if it has one (the first `RequestId`, `requestId`,
    /// `request_id` member or `<requestId>` element).
    pub request_id: Option<String>,
}

impl Reply {
    /// `body` as `content_type`, with `status`.
    pub fn raw(status: u16, body: impl Into<Vec<u8>>, content_type: &str) -> Reply {
        let body = body.into();
        Reply {
            request_id: wire::answered_request_id(&body),
            response: ResponseTemplate::new(status).set_body_raw(body, content_type),
            status,
            error_code: None,
        }
    }

    /// `status` with no body at all.
    pub fn empty(status: u16) -> Reply {
        Reply {
            response: ResponseTemplate::new(status),
            status,
            error_code: None,
            request_id: None,
        }
    }

    /// `body` as compact `application/json`.
    pub fn json(status: u16, body: &Value) -> Reply {
        Reply::raw(status, body.to_string(), "application/json")
    }

    /// The same answer, logged with `code`.
    pub fn code(mut self, code: impl Into<String>) -> Reply {
        self.error_code = Some(code.into());
        self
    }
}

/// What the harness lends a cloud while it serves a request.
#[derive(Debug)]
pub struct Env<'a> {
    clock: Clock,
    limits: &'a mut RateLimits,
}

impl Env<'_> {
    /// The fake's clock.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Counts one request of `caller` to `action`; `Err` carries the limit it went over.
    pub fn admit(&mut self, caller: &str, action: &str) -> Result<(), u32> {
        self.limits.admit(caller, action, self.clock.now_ms())
    }
}
