//! A stateful, signature-checking fake of the NAVER Cloud Platform (NCP)
//! server-image sharing APIs on a [`wiremock::MockServer`].
//!
//! Section numbers (§) refer to the reference notes `ncloud.md`; "seed NNN"
//! to the stored doc pages they were written from.
//!
//! # What it serves
//!
//! Three API families behind the API Gateway (§2.1, §3.1), each action at
//! `GET` or `POST /{service}/v2/{action}`:
//!
//! | Family ([`NcloudFamily`]) | Path | Number | Actions |
//! |---|---|---|---|
//! | VPC server image | `/vserver/v2/` | `serverImageNo` | `addServerImageSharingPermission`, `removeServerImageSharingPermission`, `getServerImageList`, `getServerImageDetail` (§3.2–§3.4) |
//! | VPC member server image | `/vserver/v2/` | `memberServerImageInstanceNo` | `add`/`remove`/`setMemberServerImageSharingPermission`, `getMemberServerImageInstanceList`, `getMemberServerImageInstanceDetail` (§3.6) |
//! | Classic | `/server/v2/` | `memberServerImageNo` | `add`/`remove`/`setMemberServerImageSharingPermission`, `getMemberServerImageList` (§3.7) |
//!
//! Parameters come in the query (GET or POST) and, for POST, in an
//! `application/x-www-form-urlencoded` body (§2.1, §6.1); both are
//! form-decoded (`+` is a space) and merged. Lists are flattened as
//! `name.N`, N from 1 (§5). Answers are XML by default and JSON with
//! `responseFormatType=json` (§4.1), shaped as §4.2–§4.3 and seeds 000–002
//! show: root `{action}Response` with `requestId` (a fresh UUID),
//! `returnCode` `"0"`, `returnMessage` `success`, `totalRows` (a number in
//! JSON) and the list (`serverImageList` / `memberServerImageInstanceList`
//! / `memberServerImageList`; in XML one singular child per item, and
//! `<sharedLoginIdList><sharedLoginId>`). Every `*No` is a string except
//! `blockStorageSnapshotInstanceNo`, which JSON sends as a number (§3.8).
//! `shareStatus` is `SHARE`/`NULL` and `sharedLoginIdList` the current
//! share list, always consistent with the state.
//!
//! # What it checks
//!
//! In gateway order; gateway errors are the compact JSON envelope
//! `{"error":{"errorCode","message","details"}}` (§4.5):
//!
//! 1. **Route**: a path under the two prefixes naming an action above, with
//!    GET or POST; anything else → 404 / `300` Not Found Exception.
//! 2. **Signature v2** ([`signature`], written from §1 only):
//!    `x-ncp-apigw-timestamp` (ms; missing, not a number, or 5 minutes or
//!    more from the fake's clock), `x-ncp-iam-access-key` (missing or
//!    unknown), `x-ncp-apigw-signature-v2` (or `-v1`, §1.1) =
//!    Base64(HMAC-SHA256(secret, `"METHOD target\nTIMESTAMP\nACCESSKEY"`))
//!    over the request-target as received (path + `?` + raw query), and the
//!    expiry of temporary Server Role keys (§1.6) → 401 / `200`
//!    Authentication Failed, with `details` naming the failed check. The
//!    body is not signed (§1.3).
//! 3. **Rate limit** (off by default, §4.7: no published numbers):
//!    [`NcloudFake::set_rate_limit`] → 429 / `420` Rate Limited.
//! 4. **Parameters**: a POST body that is not form-encoded, or parameters
//!    that do not decode to UTF-8 → 400 / `100` Bad Request Exception.
//! 5. **The action**: service errors are `responseError {returnCode,
//!    returnMessage}` in the requested format with HTTP 400 (§4.4); codes in
//!    [`codes`]: unknown image ([`codes::IMAGE_NOT_FOUND`] `1104037`, §4.6),
//!    missing/invalid parameters, unknown or own login id, duplicates, a
//!    KVM image through the member API (§3.1), a non-owner changing shares,
//!    an image not in `CREAT` status.
//!
//! [`NcloudFake::inject`] adds failures the service shows only sometimes
//! ([`NcloudFault`]): plain 5xx, an HTML 502 page, a dropped connection, a
//! delay, gateway throttling (429 with errorCode `400`/`410`/`420`, §4.5),
//! `503`/`500` Endpoint Error, `504`/`510` Endpoint Timeout, backend 500
//! `1000` "try again later" (§4.4), and a truncated body.
//!
//! # Where the documentation is silent
//!
//! The notes leave these open (§8); the fake chooses, and tests against it
//! should not treat the choices as NCP's behaviour:
//!
//! - **Error codes**: except `1104037` and `1000`, every `returnCode` in
//!   [`codes`] is the fake's own (`990xx`). All service errors use HTTP 400.
//! - **Gateway errors are always JSON**, even with the XML default (§8
//!   question 3). Unknown actions and methods are gateway 404 / `300`,
//!   checked before authentication.
//! - **Content types**: `application/xml;charset=UTF-8` and
//!   `application/json;charset=UTF-8`. JSON is pretty-printed with two-space
//!   indents (§4.2); XML is indented, without a declaration.
//! - **Signature**: the `-v1` header name is accepted as well as `-v2` (§8
//!   question 2); the query is signed percent-encoded, as sent (§8 question
//!   1, the Java SDK's behaviour, §1.3); `+` and `%20` are not normalised.
//!   Timestamps are valid while strictly less than 5 minutes away.
//! - **One store for both VPC APIs**: an XEN image's `serverImageNo` is also
//!   its `memberServerImageInstanceNo`; both APIs edit the same share list.
//!   A KVM image through the member API → [`codes::KVM_NOT_SUPPORTED`].
//! - **Targets** must be login ids of accounts in the fake (for add and
//!   set) and not the caller's own; a repeated id in one call is an error
//!   in every family (Classic documents "can't be duplicated"). Adding an
//!   id already shared, or removing one that is not, is silently ignored.
//!   No per-call or per-image maximum.
//! - **Visibility**: lists and details show the caller's own images and
//!   images shared with it (§8 question 6); a recipient sees only its own
//!   login id in `sharedLoginIdList` and gets [`codes::NOT_OWNER`] if it
//!   tries to change sharing. Images it cannot see are "not found".
//! - **Status**: only `CREAT` images can change sharing.
//! - **Regions**: VPC calls default to `KR` and only find images in the
//!   requested `regionCode`; any region code is accepted. Classic
//!   add/remove/set find images in any region; `regionNo` filters lists and
//!   must be in the §2.2 table.
//! - **Lists**: `name.N` indexes may have gaps (ordered by N); index 0,
//!   zero-padded or non-numeric indexes, empty items, or a list sent without
//!   `.N` are invalid. A parameter name sent twice is invalid.
//!   Unknown parameters are ignored (e.g. old SDKs' `hypervisorCodeList.N`).
//! - **Paging**: `totalRows` counts every match, not just the page; without
//!   `pageSize` every row is returned (the documented default of 1 looks
//!   wrong, §8 question 9); pages 0 and 1 are both the first page. Default
//!   order: by number ascending; `sortedBy` also accepts the number field.
//!   Filters on names are exact matches; code values are checked against
//!   the documented enumerations.
//! - **Code names** (`codeName`) for statuses the docs do not show are the
//!   fake's (display text only, §3.9).
//!
//! # Limits
//!
//! - In memory only; state is lost when the last handle and the server go.
//! - wiremock exposes the request URL parsed by the `url` crate, not the raw
//!   bytes. For RFC 3986 percent-encoded targets (what every HTTP client
//!   sends) they are identical. A raw `'` or raw non-ASCII byte in the query
//!   reaches the fake as `%27` / `%XX`, and the path loses `.`/`..` segments
//!   and has `"{}`` ` `` escaped; such a request verifies only if the client
//!   signed the escaped form. The fake never accepts a signature over
//!   decoded values.
//! - Only the image-sharing actions; `getRegionList`, image creation and
//!   deletion are not served.
//!
//! # Using it
//!
//! ```no_run
//! use imgshare_testkit::{NcloudFake, NcloudFault, NcloudSeed};
//!
//! # async fn example() {
//! let fake = NcloudFake::start_with_seed(NcloudSeed::demo()).await;
//! // Point the client's NCLOUD_API_GW-style endpoint at fake.uri() and sign
//! // with a demo key, then share image 10000001 with recipient@imgshare.test.
//! assert!(fake.shared_login_ids("10000001").is_empty());
//! fake.inject(NcloudFault::ThrottleLimited, 1); // the next call gets a 429
//! for request in fake.received() {
//!     println!("{} {} -> {:?}", request.method, request.request_target, request.error_code);
//! }
//! # }
//! ```
//!
//! To serve NCP next to other fakes on **one** server, build the
//! [`MockServer`] yourself and call [`NcloudFake::mount_on`]: its mocks only
//! match paths starting `/vserver/v2/` or `/server/v2/` ([`PATH_REGEX`]).

mod errors;
mod faults;
mod gateway;
mod handlers;
mod params;
mod render;
mod seed;
pub mod signature;
mod state;
mod views;

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer};

pub use errors::codes;
pub use faults::NcloudFault;
pub use seed::{NcloudAccount, NcloudClassicImage, NcloudImage, NcloudSeed};

use gateway::{DropMatcher, Responder, Shared, dropped_connection, lock};
use state::State;

/// The paths the fake's mocks match: the VPC (`/vserver/v2/`) and Classic
/// (`/server/v2/`) Server API prefixes (§2.1).
pub const PATH_REGEX: &str = "^/(vserver|server)/v2/";

/// The wiremock priority of both of the fake's mocks (the highest), so a
/// catch-all mock mounted by another fake on the same server never sees NCP
/// paths.
pub const MOCK_PRIORITY: u8 = 1;

/// The API family an action belongs to (§3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NcloudFamily {
    /// VPC server images, `/vserver/v2/…ServerImage…` (`serverImageNo`).
    VpcServerImage,
    /// VPC member server image instances, `/vserver/v2/…MemberServerImage…`
    /// (`memberServerImageInstanceNo`, XEN only).
    VpcMemberServerImage,
    /// Classic member server images, `/server/v2/` (`memberServerImageNo`).
    Classic,
}

/// One request the fake received, recorded in arrival order whatever the
/// outcome (rejected, faulted or served).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NcloudReceivedRequest {
    /// The HTTP method.
    pub method: String,
    /// The request-target the signature was checked against: path, then `?`
    /// and the query if there was one (see the module's "Limits").
    pub request_target: String,
    /// The family, when the path names an action the fake implements.
    pub family: Option<NcloudFamily>,
    /// The last path segment under `/vserver/v2/` or `/server/v2/`, known
    /// or not.
    pub action: Option<String>,
    /// The caller's login id, once its signature was verified.
    pub login_id: Option<String>,
    /// The HTTP status answered; `None` when the connection was dropped.
    pub status: Option<u16>,
    /// The gateway `errorCode` or the service `returnCode` of an error
    /// answer.
    pub error_code: Option<String>,
    /// The request body (lossy UTF-8).
    pub body: String,
    /// The injected fault applied to this request, if any.
    pub fault: Option<NcloudFault>,
}

/// A running fake NCP API Gateway for the Server image-sharing APIs.
///
/// Point a client's gateway endpoint at [`NcloudFake::uri`]; it appends
/// `/vserver/v2/{action}` or `/server/v2/{action}`. All methods take
/// `&self`; state lives behind a mutex shared with the server.
///
/// Made by [`start`](NcloudFake::start) and friends, the fake owns its
/// server, which stops when the fake is dropped. Made by
/// [`mount_on`](NcloudFake::mount_on), it is a handle to mocks on someone
/// else's server: dropping it leaves them serving.
#[derive(Debug)]
pub struct NcloudFake {
    server: Option<MockServer>,
    uri: String,
    address: SocketAddr,
    state: Shared,
}

impl NcloudFake {
    /// Starts an empty fake (no accounts, no images) on a random loopback
    /// port.
    pub async fn start() -> NcloudFake {
        NcloudFake::start_with_seed(NcloudSeed::default()).await
    }

    /// Starts a fake holding `seed` on a random loopback port.
    pub async fn start_with_seed(seed: NcloudSeed) -> NcloudFake {
        NcloudFake::owned(MockServer::builder(), seed).await
    }

    /// Starts a fake holding `seed` on an already-bound listener.
    pub async fn start_on(listener: TcpListener, seed: NcloudSeed) -> NcloudFake {
        NcloudFake::owned(MockServer::builder().listener(listener), seed).await
    }

    async fn owned(builder: wiremock::MockServerBuilder, seed: NcloudSeed) -> NcloudFake {
        // The fake keeps its own log (`received`), so wiremock's is off.
        let server = builder.disable_request_recording().start().await;
        let mut fake = NcloudFake::mount_on(&server, seed).await;
        fake.server = Some(server);
        fake
    }

    /// Mounts a fake holding `seed` on an existing `server`, e.g. one that
    /// also hosts the Tencent (`POST /`) and SCP (`/v1/…`) fakes.
    ///
    /// Two mocks are mounted, both matching only [`PATH_REGEX`] and both at
    /// priority [`MOCK_PRIORITY`]: first one that drops the connection when
    /// an [`NcloudFault::DropConnection`] is due, then the responder. They
    /// never claim requests outside `/vserver/v2/` and `/server/v2/`. Mount
    /// at most one NCP fake per server (the first would answer every NCP
    /// request).
    pub async fn mount_on(server: &MockServer, seed: NcloudSeed) -> NcloudFake {
        let state: Shared = Arc::new(Mutex::new(State::from_seed(seed)));
        Mock::given(path_regex(PATH_REGEX))
            .and(DropMatcher(state.clone()))
            .respond_with_err(dropped_connection)
            .with_priority(MOCK_PRIORITY)
            .named("imgshare-testkit NCP DropConnection")
            .mount(server)
            .await;
        Mock::given(path_regex(PATH_REGEX))
            .respond_with(Responder(state.clone()))
            .with_priority(MOCK_PRIORITY)
            .named("imgshare-testkit NCP server image sharing fake")
            .mount(server)
            .await;
        NcloudFake {
            server: None,
            uri: server.uri(),
            address: *server.address(),
            state,
        }
    }

    /// The base URL, `http://127.0.0.1:PORT` (the gateway root; requests go
    /// to `/vserver/v2/…` and `/server/v2/…` under it).
    pub fn uri(&self) -> String {
        self.uri.clone()
    }

    /// The socket address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// True when this fake owns (and will stop) its server.
    pub fn owns_server(&self) -> bool {
        self.server.is_some()
    }

    /// Adds an API key; replaces any account with the same access key.
    pub fn add_account(&self, account: NcloudAccount) {
        lock(&self.state).add_account(account);
    }

    /// Adds a VPC image; replaces any image with the same number, shares
    /// included.
    pub fn add_image(&self, image: NcloudImage) {
        lock(&self.state).add_image(image);
    }

    /// Adds a Classic image; replaces any image with the same number, shares
    /// included.
    pub fn add_classic_image(&self, image: NcloudClassicImage) {
        lock(&self.state).add_classic_image(image);
    }

    /// Login ids VPC image `image_no` is shared with, in share order (empty
    /// for an unknown image).
    pub fn shared_login_ids(&self, image_no: &str) -> Vec<String> {
        lock(&self.state)
            .image(image_no)
            .map(|i| i.shared_login_ids.clone())
            .unwrap_or_default()
    }

    /// Login ids Classic image `image_no` is shared with, in share order
    /// (empty for an unknown image).
    pub fn classic_shared_login_ids(&self, image_no: &str) -> Vec<String> {
        lock(&self.state)
            .classic_image(image_no)
            .map(|i| i.shared_login_ids.clone())
            .unwrap_or_default()
    }

    /// Applies `fault` to the next `next_n` NCP requests, before any
    /// checking. Calls queue up: `inject(A, 2); inject(B, 1)` gives A, A, B.
    pub fn inject(&self, fault: NcloudFault, next_n: usize) {
        lock(&self.state).inject(fault, next_n);
    }

    /// Every NCP request seen so far, in arrival order.
    pub fn received(&self) -> Vec<NcloudReceivedRequest> {
        lock(&self.state).received.clone()
    }

    /// How many NCP requests have arrived (`received().len()`).
    pub fn request_count(&self) -> usize {
        lock(&self.state).received.len()
    }

    /// Requests per second allowed per action per account; `None` (the
    /// default: NCP publishes no number, §4.7) disables the limit. Changing
    /// it clears the current window.
    pub fn set_rate_limit(&self, per_second_per_action: Option<u32>) {
        lock(&self.state).set_rate_limit(per_second_per_action);
    }

    /// Sets the fake's clock to the system clock plus `offset` milliseconds;
    /// the 5-minute timestamp window and temporary-key expiry use it.
    pub fn set_clock_offset_ms(&self, offset: i64) {
        lock(&self.state).set_clock_offset_ms(offset);
    }

    /// The current accounts and images (with their shares), e.g. for
    /// printing or re-seeding.
    pub fn seed(&self) -> NcloudSeed {
        lock(&self.state).to_seed()
    }
}
