//! SCP's own injected faults, next to the [`Fault`](crate::Fault)s every cloud has.

use serde::{Deserialize, Serialize};
use wiremock::Request;

use super::errors::{err, error_reply};
use crate::harness::Reply;

/// An SCP failure to inject with [`ScpFake::inject`](crate::harness::Fake::inject), like the
/// shared [`Fault`](crate::Fault)s (SCP was seen to answer intermittent 502/503/504 pages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScpFault {
    /// HTTP 429 with an error envelope without a code (no 429 was ever observed, so no code is
    /// known) and no `Retry-After`; clients retry it anyway.
    Throttle,
    /// HTTP 500 `ContactAdminForAssistance` envelope whose `detail` is a string, as observed
    /// live.
    InternalError,
    /// HTTP 417 `text/html` WAF block page mentioning `Request Rejected` and a `Support ID`.
    WafBlock,
    /// HTTP 200 `application/json` whose body is truncated, invalid JSON.
    MalformedBody,
}

pub(crate) fn answer(fault: &ScpFault, _: &Request) -> Reply {
    match fault {
        ScpFault::Throttle => error_reply(&err("throttled", &[])),
        ScpFault::InternalError => error_reply(&err("internal", &[])),
        ScpFault::WafBlock => Reply::raw(
            417,
            "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. Your request was blocked. Please consult with your administrator.<br><br>Your Support ID is: 0000000000000000000</body></html>",
            "text/html",
        ),
        ScpFault::MalformedBody => Reply::raw(
            200,
            r#"{"members":[{"created_at":"2025-07-22T09:00:00Z","image_id":"70a5"#,
            "application/json",
        ),
    }
}
