//! A stateful, signature-checking fake of the NAVER Cloud Platform (NCP)
//! server-image sharing APIs on a [`wiremock::MockServer`].
//!
//! # What it serves
//!
//! Three API families behind the API Gateway, each action at
//! `GET` or `POST /{service}/v2/{action}`:
//!
//! | Family ([`NcloudFamily`]) | Path | Number | Actions |
//! |---|---|---|---|
//! | VPC server image | `/vserver/v2/` | `serverImageNo` | `addServerImageSharingPermission`, `removeServerImageSharingPermission`, `getServerImageList`, `getServerImageDetail` |
//! | VPC member server image | `/vserver/v2/` | `memberServerImageInstanceNo` | `add`/`remove`/`setMemberServerImageSharingPermission`, `getMemberServerImageInstanceList`, `getMemberServerImageInstanceDetail` |
//! | Classic | `/server/v2/` | `memberServerImageNo` | `add`/`remove`/`setMemberServerImageSharingPermission`, `getMemberServerImageList` |
//!
//! Parameters come in the query (GET or POST) and, for POST, in an
//! `application/x-www-form-urlencoded` body; both are
//! form-decoded (`+` is a space) and merged. Lists are flattened as
//! `name.N`, N from 1. Answers are XML by default and JSON with
//! `responseFormatType=json`, shaped as the documented examples
//! show: root `{action}Response` with `requestId` (a fresh UUID),
//! `returnCode` `"0"`, `returnMessage` `success`, `totalRows` (a number in
//! JSON) and the list (`serverImageList` / `memberServerImageInstanceList`
//! / `memberServerImageList`; in XML one singular child per item, and
//! `<sharedLoginIdList><sharedLoginId>`). Every `*No` is a string except
//! `blockStorageSnapshotInstanceNo`, which JSON sends as a number.
//! `shareStatus` is `SHARE`/`NULL` and `sharedLoginIdList` the current
//! share list, always consistent with the state.
//!
//! # What it checks
//!
//! In gateway order; gateway errors are the compact JSON envelope
//! `{"error":{"errorCode","message","details"}}`:
//!
//! 1. **Route**: a path under the two prefixes naming an action above, with
//!    GET or POST; anything else → 404 / `300` Not Found Exception.
//! 2. **Signature v2** ([`signature`], written from the documentation only):
//!    `x-ncp-apigw-timestamp` (ms; missing, not a number, or 5 minutes or
//!    more from the fake's clock), `x-ncp-iam-access-key` (missing or
//!    unknown), `x-ncp-apigw-signature-v2` (or `-v1`) =
//!    Base64(HMAC-SHA256(secret, `"METHOD target\nTIMESTAMP\nACCESSKEY"`))
//!    over the request-target as received (path + `?` + raw query), and the
//!    expiry of temporary Server Role keys → 401 / `200`
//!    Authentication Failed, with `details` naming the failed check. The
//!    body is not signed.
//! 3. **Rate limit** (off by default: no published numbers):
//!    [`set_rate_limit`](crate::harness::Fake::set_rate_limit) → 429 / `420` Rate Limited.
//! 4. **Parameters**: a POST body that is not form-encoded, or parameters
//!    that do not decode to UTF-8 → 400 / `100` Bad Request Exception.
//! 5. **The action**: service errors are `responseError {returnCode,
//!    returnMessage}` in the requested format with HTTP 400; codes in
//!    [`codes`]: unknown image ([`codes::IMAGE_NOT_FOUND`] `1104037`),
//!    missing/invalid parameters, unknown or own login id, duplicates, a
//!    KVM image through the member API, a non-owner changing shares,
//!    an image not in `CREAT` status.
//!
//! [`inject`](crate::harness::Fake::inject) adds failures the service shows only sometimes
//! ([`Fault`], [`NcloudFault`]): plain 5xx, an HTML 502 page, a dropped connection, a
//! delay, gateway throttling (429 with errorCode `400`/`410`/`420`),
//! `503`/`500` Endpoint Error, `504`/`510` Endpoint Timeout, backend 500
//! `1000` "try again later", and a truncated body.
//!
//! # Where the documentation is silent
//!
//! The documentation leaves these open; the fake chooses, and tests against it
//! should not treat the choices as NCP's behaviour:
//!
//! - **Error codes**: except `1104037` and `1000`, every `returnCode` in
//!   [`codes`] is the fake's own (`990xx`). All service errors use HTTP 400.
//! - **Gateway errors are always JSON**, even with the XML default (their XML
//!   form is not documented). Unknown actions and methods are gateway 404 / `300`,
//!   checked before authentication.
//! - **Content types**: `application/xml;charset=UTF-8` and
//!   `application/json;charset=UTF-8`. JSON is pretty-printed with two-space
//!   indents; XML is indented, without a declaration.
//! - **Signature**: the `-v1` header name is accepted as well as `-v2` (the SDKs
//!   send it); the query is signed percent-encoded, as sent (the Java SDK's
//!   behaviour); `+` and `%20` are not normalised.
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
//!   images shared with it (the docs do not say); a recipient sees only its own
//!   login id in `sharedLoginIdList` and gets [`codes::NOT_OWNER`] if it
//!   tries to change sharing. Images it cannot see are "not found".
//! - **Status**: only `CREAT` images can change sharing.
//! - **Regions**: VPC calls default to `KR` and only find images in the
//!   requested `regionCode`; any region code is accepted. Classic
//!   add/remove/set find images in any region; `regionNo` filters lists and
//!   must be a Classic region.
//! - **Lists**: `name.N` indexes may have gaps (ordered by N); index 0,
//!   zero-padded or non-numeric indexes, empty items, or a list sent without
//!   `.N` are invalid. A parameter name sent twice is invalid.
//!   Unknown parameters are ignored (e.g. old SDKs' `hypervisorCodeList.N`).
//! - **Paging**: `totalRows` counts every match, not just the page; without
//!   `pageSize` every row is returned (the documented default of 1 looks
//!   wrong); pages 0 and 1 are both the first page. Default
//!   order: by number ascending; `sortedBy` also accepts the number field.
//!   Filters on names are exact matches; code values are checked against
//!   the documented enumerations.
//! - **Code names** (`codeName`) for statuses the docs do not show are the
//!   fake's (display text only).
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
//! To serve NCP next to other fakes on **one** server, use
//! [`FakeClouds`](crate::FakeClouds) or [`mount_on`](crate::harness::Fake::mount_on): its mocks
//! only match paths starting `/vserver/v2/` or `/server/v2/` ([`Ncloud::PATHS`](crate::harness::Cloud::PATHS)).

mod auth;
mod errors;
mod families;
mod faults;
mod gateway;
mod handlers;
mod params;
mod render;
mod seed;
pub mod signature;
mod state;

use serde::{Deserialize, Serialize};

use crate::harness::{Fake, Fault, adders};

pub use errors::codes;
pub use faults::NcloudFault;
pub use seed::{NcloudAccount, NcloudClassicImage, NcloudImage, NcloudSeed};
pub use state::Ncloud;

/// A running fake NCP API Gateway for the Server image-sharing APIs. Point a client's gateway
/// endpoint at [`uri`](crate::harness::Fake::uri); it appends `/vserver/v2/{action}` or
/// `/server/v2/{action}`. See the [module docs](self) and the [harness](crate::harness).
pub type NcloudFake = Fake<Ncloud>;

/// The API family an action belongs to.
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

/// One request the NCP fake received, recorded in arrival order whatever the outcome
/// (rejected, faulted or served).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NcloudReceivedRequest {
    /// The HTTP method.
    pub method: String,
    /// The request-target the signature was checked against: path, then `?` and the query if
    /// there was one (see the module's "Limits").
    pub request_target: String,
    /// The family, when the path names an action the fake implements.
    pub family: Option<NcloudFamily>,
    /// The last path segment under `/vserver/v2/` or `/server/v2/`, known or not.
    pub action: Option<String>,
    /// The caller's login id, once its signature was verified.
    pub login_id: Option<String>,
    /// The HTTP status answered; `None` when the connection was dropped.
    pub status: Option<u16>,
    /// The gateway `errorCode` or the service `returnCode` of an error answer.
    pub error_code: Option<String>,
    /// The `requestId` the fake answered (JSON or XML); `None` when it answered none (an API
    /// Gateway error, a transport fault, a dropped connection).
    #[serde(default)]
    pub request_id: Option<String>,
    /// The request body (lossy UTF-8).
    pub body: String,
    /// The injected fault applied to this request, if any.
    pub fault: Option<Fault<NcloudFault>>,
}

/// The NCP fake's own methods, next to those of every [`Fake`].
impl Fake<Ncloud> {
    adders! {
        NcloudSeed {
            /// Adds an API key; replaces any account with the same access key.
            add_account => accounts: NcloudAccount;
            /// Adds a VPC image; replaces any image with the same number, shares included.
            add_image => images: NcloudImage;
        }
    }

    /// Login ids VPC image `image_no` is shared with, in share order (empty for an unknown
    /// image).
    pub fn shared_login_ids(&self, image_no: &str) -> Vec<String> {
        self.login_ids(NcloudFamily::VpcServerImage, image_no)
    }

    /// Login ids Classic image `image_no` is shared with, in share order (empty for an unknown
    /// image).
    pub fn classic_shared_login_ids(&self, image_no: &str) -> Vec<String> {
        self.login_ids(NcloudFamily::Classic, image_no)
    }

    fn login_ids(&self, family: NcloudFamily, image_no: &str) -> Vec<String> {
        let shares = self.with(|state| state.shares_mut(family, image_no).cloned());
        shares.unwrap_or_default()
    }
}
