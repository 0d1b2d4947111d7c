//! Injected faults: transport, gateway and server failures a client must
//! survive.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use wiremock::Request;

use super::errors::{err, error_reply};
use crate::harness::wire::{html_502, upstream_error};
use crate::harness::{FaultEffect, Reply};

/// A failure to inject with [`ScpFake::inject`](crate::harness::Fake::inject).
///
/// A fault applies before any checking: the request is recorded, but not
/// authenticated or executed (except [`ScpFault::Delay`], which answers
/// normally after the delay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScpFault {
    /// An HTTP error status with a short `text/plain` body and no JSON, like
    /// the intermittent 502/503/504 observed. Codes outside 200..=999 become
    /// 500 (a 1xx is not a final response).
    Status(u16),
    /// HTTP 502 with a small `text/html` page, like a load balancer's.
    Html502,
    /// Close the connection without sending any HTTP response.
    DropConnection,
    /// Wait this long, then process the request and answer normally.
    Delay(Duration),
    /// HTTP 429 with an error envelope without a code (no 429 was ever
    /// observed, so no code is known) and no `Retry-After`; clients
    /// retry it anyway.
    Throttle,
    /// HTTP 500 `ContactAdminForAssistance` envelope whose `detail` is a
    /// string, as observed live.
    InternalError,
    /// HTTP 417 `text/html` WAF block page mentioning `Request Rejected` and
    /// a `Support ID`.
    WafBlock,
    /// HTTP 200 `application/json` whose body is truncated, invalid JSON.
    MalformedBody,
}

pub(crate) fn effect(fault: &ScpFault, _: &Request) -> FaultEffect {
    FaultEffect::Reply(match fault {
        ScpFault::Status(code) => upstream_error(*code),
        ScpFault::Html502 => html_502(""),
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
        ScpFault::Delay(delay) => return FaultEffect::Delay(*delay),
        ScpFault::DropConnection => return FaultEffect::Drop,
    })
}
