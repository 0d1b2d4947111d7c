//! A stateful fake of the Samsung Cloud Platform v2 `virtualserver` image
//! and image-member APIs on a [`wiremock::MockServer`].
//!
//! # What it serves
//!
//! | Method + path | Answer |
//! |---|---|
//! | `GET /v1/images` | `{"images":[...]}`; `limit` (1–1000), `marker`, `sort`, `visibility`, `name`, `os_distro`, `status`, `scp_image_type`, `scp_original_image_type` |
//! | `GET /v1/images/{image_id}` | 200 `ImageShowResponse` |
//! | `PUT /v1/images/{image_id}` | 200; body `min_disk`, `min_ram`, `protected`, `visibility` (`private`/`shared`) only |
//! | `GET /v1/images/{image_id}/members` | 200 `{"members":[...]}` (owner only, no paging) |
//! | `POST /v1/images/{image_id}/members` | **200** member with `status: pending`; body `{"member_id"}` only; 409 if already a member |
//! | `GET /v1/images/{image_id}/members/{member_id}` | 200 member |
//! | `PUT /v1/images/{image_id}/members/{member_id}` | 200; `{"status":"accepted"\|"rejected"\|"pending"}`, by the member only |
//! | `DELETE /v1/images/{image_id}/members/{member_id}` | **204**, empty body (owner only) |
//! | `GET /v1/pending-images` | `{"images":[...]}` shared with the caller and still `pending` |
//! | `POST /v1/images/{image_id}/share` | **202**, empty body (owner only) |
//!
//! Members carry `created_at`/`updated_at` as `YYYY-MM-DDThh:mm:ssZ`,
//! from the fake's clock.
//!
//! # What it checks
//!
//! In this order, the way the documentation describes the gateway and the service:
//!
//! 1. The path is one of the above, else the gateway's 404
//!    `{"timestamp","path","status":404,"error":"Not Found","requestId"}`.
//! 2. `Scp-Accesskey`, `Scp-Signature`, `Scp-Timestamp` and
//!    `Scp-ClientType: Openapi` are all present (names are
//!    case-insensitive), else the same gateway 404 — not 401.
//! 3. HMAC: unknown access key, a timestamp that is not epoch
//!    milliseconds or is more than the window away from the fake's clock,
//!    a non-empty `Scp-AccountId` that is not the key's account, or a
//!    signature that is not `Base64_std(HMAC-SHA256(secret, METHOD + URL +
//!    timestamp + accessKey [+ accountId] + "Openapi"))` → 401
//!    `{"status":"UNAUTHORIZED","name":"Request was rejected by gateway","message":"HmacValidFail : ..."}`.
//!    The message shows the string the fake signed.
//! 4. `Accept-Language` and `Scp-Api-Version: virtualserver <v>` present
//!    (see [`ScpFake::set_strict_headers`](crate::ScpFake::set_strict_headers)); `<v>` must be served (1.2 and
//!    1.3 by default, [`ScpFake::set_supported_versions`]) → else 400
//!    whose `detail` says the version is unsupported.
//! 5. The method is one the fake implements on that path → else 400
//!    `ContactAdminForAssistance` `"Invalid method"` (what SCP was seen to
//!    answer on IAM).
//! 6. The body (`Content-Type: application/json`, `additionalProperties:
//!    false`, the documented field rules) → 400 `ValidationError` with
//!    `detail` as a list of strings; then ownership, membership and
//!    visibility rules.
//!
//! Service errors use the observed envelope
//! `{"errors":[{"code","title","detail","status","request_id","global_request_id","links","related_resources","response"}]}`
//! with `status` a number equal to the HTTP status and `req-<uuid>` ids.
//! `code` and `title` appear only with a code observed live
//! (`ValidationError`, `ContactAdminForAssistance`); every other refusal
//! (403, 404, 409, an unserved version, 429) is documented by its status
//! alone, so its envelope has `status` and `detail` and no code: match on
//! the status.
//!
//! # Signed URL
//!
//! The fake verifies the signature over `http://` + the `Host` header as
//! received + the path + `?` + the query when the request target had one.
//! wiremock hands the fake a parsed `url::Url` ([`wiremock::Request::url`])
//! built from the raw request target, which keeps existing `%XX` escapes as
//! sent but resolves `.`/`..` segments and percent-encodes a few characters
//! the URL standard does not allow raw (for example `"`, `<`, `>`, `` ` ``,
//! space, and `'` in queries). Clients that send such bytes raw are
//! verified against the re-encoded form; plain ASCII paths and queries,
//! which is all the image APIs need, are verified byte for byte.
//! The scheme is always `http` (the fake speaks plain HTTP).
//!
//! # Where the documentation is silent
//!
//! The documentation leaves these open; the fake's choices:
//!
//! - **Who may do what** (Glance's semantics): an image is
//!   visible to its owner, to everyone if `public`/`community`, and to its
//!   members (any status) only while it is `shared`. Invisible or unknown
//!   image → 404. Listing, adding and deleting members, updating the image
//!   and `/share` are owner-only: a visible non-owner gets 403. Show member:
//!   the owner sees every member, a member only itself (others → 404).
//!   Update member status: only the member account itself, with its own key
//!   (the owner or another member → 403).
//! - **Adding to a non-`shared` image** → 403 (Glance's status for it);
//!   duplicate → 409 (Glance's); the owner as its own member → 400
//!   `ValidationError`. Any well-formed `member_id` is accepted (the fake
//!   does not know every account); no cap on members per image.
//! - **Error codes**: none for these refusals (SCP documents their statuses
//!   only; no image-member code was ever seen): the envelope has no `code`
//!   and `detail` says what went wrong.
//! - **401 body**: the exact JSON was never captured, so the fake
//!   uses the observed gateway-rejection shape with `HmacValidFail` in
//!   `message`. Unknown access keys and bad timestamps get the same 401.
//!   A `Scp-ClientType` other than `Openapi` is treated like a missing
//!   credential (404).
//! - **Timestamp window**: ±5 minutes by default (NAVER Cloud's);
//!   [`ScpFake::set_timestamp_window`].
//! - **Missing `Scp-Api-Version`**: the docs say the service falls back to
//!   the latest CURRENT version; by default the fake refuses with
//!   400 `ValidationError` so a client's version pinning is tested, like a
//!   missing `Accept-Language`. [`ScpFake::set_strict_headers`](crate::ScpFake::set_strict_headers)`(false)`
//!   restores the fallback (to 1.3) and treats a missing `Accept-Language`
//!   as `en-US`.
//! - **Unsupported version**: 400 without a code, `detail`
//!   `"virtualserver 9.9 is an Unsupported version."` (wording of the
//!   official SDK's client-side check); 1.0 and 1.1 (deprecated, past
//!   their Not Before dates) say so.
//! - **Paging**: `limit` defaults to 25 (Glance's default); the list
//!   is ordered by `sort` (default `created_at:desc`), ties broken by `id`;
//!   `marker` is the id of the last image of the previous page, and a
//!   marker not in the listing → 400. No `next` link is returned; a page
//!   shorter than `limit` is the last. Without a `visibility` filter the
//!   list holds the caller's own images, `public` images and `shared`
//!   images the caller has *accepted*; `visibility=community` lists every
//!   community image. Unknown query parameters are ignored.
//! - **`POST /v1/images/{id}/share`**: owner-only, 409 (no code) unless
//!   `status` is `active`, otherwise 202 and no state change.
//! - **`PUT .../members/{member_id}`** also refuses body members other than
//!   `status` (only the create request's `additionalProperties: false` is
//!   documented). Setting visibility back to `private` keeps the members,
//!   who lose sight of the image until it is `shared` again.
//! - **Bodies** must be sent with `Content-Type: application/json`
//!   (optionally `; charset=utf-8`), else 400 `ValidationError`.
//! - **Unimplemented methods** on a served path (e.g. `DELETE
//!   /v1/images/{id}`) → 400 `ContactAdminForAssistance` `"Invalid method"`.
//!
//! # Limits
//!
//! - In memory, one region; `Accept-Language` is not localised (`detail` is
//!   English); `X-Auth-Token` authentication is not supported; no rate
//!   limit (none is documented — use [`ScpFault::Throttle`]).
//! - Image create/delete and server-derived images are not modelled.
//! - Paths outside `/v1/` are not the fake's: on its own server they get
//!   wiremock's default empty 404, not the gateway body.

mod errors;
mod faults;
mod gateway;
mod handlers;
mod images;
mod seed;
pub mod signature;
mod signin;
mod state;

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::harness::{Fake, Fault, adders};

pub use faults::ScpFault;
pub use seed::{ScpAccount, ScpImage, ScpMember, ScpMemberStatus, ScpSeed, ScpVisibility};
pub use state::Scp;

/// A running fake SCP v2 `virtualserver` endpoint. Point a client's virtualserver endpoint at
/// [`uri`](crate::harness::Fake::uri) (requests go to `/v1/...`). See the [module docs](self)
/// and the [harness](crate::harness).
pub type ScpFake = Fake<Scp>;

/// One request the SCP fake received, recorded in arrival order whatever
/// the outcome (rejected, faulted or served).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScpReceivedRequest {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The path, e.g. `/v1/images/<id>/members`.
    pub path: String,
    /// The query string without `?`, if the request target had one.
    pub query: Option<String>,
    /// The caller's account id, once its signature was verified.
    pub account_id: Option<String>,
    /// The `Scp-Api-Version` header, if sent.
    pub api_version: Option<String>,
    /// The HTTP status answered; `None` when the connection was dropped.
    pub status: Option<u16>,
    /// The error answered, if any: the envelope's `code` (e.g.
    /// `ValidationError`; `None` for the errors SCP documents by status
    /// only), `HmacValidFail` for a gateway 401, or `Not Found` for a
    /// gateway 404.
    pub error_code: Option<String>,
    /// The request id the fake answered: the error envelope's `request_id` or the gateway
    /// 404's `requestId`; `None` for a success (SCP answers none) or a body without one.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The request body (lossy UTF-8).
    pub body: String,
    /// The injected fault applied to this request, if any.
    pub fault: Option<Fault<ScpFault>>,
}

/// The SCP fake's own methods, next to those of every [`Fake`].
impl Fake<Scp> {
    adders! {
        ScpSeed {
            /// Adds an access key; replaces any account with the same access key.
            add_account => accounts: ScpAccount;
            /// Adds an image; replaces any image with the same id (its members stay).
            add_image => images: ScpImage;
            /// Adds a member directly, or replaces the same (image, member) pair; missing timestamps
            /// are "now".
            add_member => members: ScpMember;
        }
    }

    /// The image with this id as the fake holds it now.
    pub fn image(&self, image_id: &str) -> Option<ScpImage> {
        self.with(|state| state.image(image_id).cloned())
    }

    /// The members of `image_id`, oldest first, with their timestamps.
    pub fn members(&self, image_id: &str) -> Vec<ScpMember> {
        self.with(|state| state.members_of(image_id).cloned().collect())
    }

    /// How far `Scp-Timestamp` may be from the fake's clock, either way; `None` disables the
    /// check. Default 5 minutes (undocumented; NAVER Cloud's window).
    pub fn set_timestamp_window(&self, window: Option<Duration>) {
        self.with(|state| state.timestamp_window = window);
    }

    /// `true` (the default) requires `Scp-Api-Version` and `Accept-Language` on every
    /// request; `false` follows the documented fallback: no version header means
    /// `virtualserver 1.3`, no `Accept-Language` means `en-US`.
    pub fn set_strict_headers(&self, strict: bool) {
        self.with(|state| state.strict_headers = strict);
    }

    /// The `Scp-Api-Version` numbers served, e.g. `["1.3"]`; others get a 400 whose `detail`
    /// says the version is unsupported (no code). Default `["1.2", "1.3"]`.
    pub fn set_supported_versions(&self, versions: impl IntoIterator<Item = impl Into<String>>) {
        let versions = versions.into_iter().map(Into::into).collect();
        self.with(|state| state.versions = versions);
    }
}
