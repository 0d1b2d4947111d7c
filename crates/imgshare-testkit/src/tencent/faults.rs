//! Injected faults: transport and server failures a client must survive.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use wiremock::Request;

use super::errors::{err, error_reply};
use crate::harness::wire::{html_502, upstream_error, uuid_v4};
use crate::harness::{FaultEffect, Reply};

/// A failure to inject with [`TencentFake::inject`](crate::harness::Fake::inject).
///
/// A fault applies before any checking: the request is recorded, but not authenticated,
/// rate-limited or executed (except [`TencentFault::Delay`], which answers normally after the
/// delay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TencentFault {
    /// An HTTP error status with a short `text/plain` body and no JSON, like a load balancer in
    /// trouble. Codes outside 200..=999 become 500 (a 1xx is not a final response).
    Status(u16),
    /// HTTP 502 with a small `text/html` page, like a gateway error page.
    Html502,
    /// Close the connection without sending any HTTP response; the client sees a connection
    /// error.
    DropConnection,
    /// Wait this long, then process the request and answer normally.
    Delay(Duration),
    /// Answer `RequestLimitExceeded` in a normal 200 JSON envelope.
    Throttle,
    /// HTTP 200 `application/json` whose body is truncated, invalid JSON.
    MalformedBody,
}

pub(crate) fn effect(fault: &TencentFault, _: &Request) -> FaultEffect {
    let request_id = uuid_v4();
    FaultEffect::Reply(match fault {
        TencentFault::Status(code) => upstream_error(*code),
        TencentFault::Html502 => html_502("stgw"),
        TencentFault::Throttle => error_reply(&err("throttled", &[]), &request_id),
        TencentFault::MalformedBody => Reply::raw(
            200,
            format!(r#"{{"Response":{{"RequestId":"{request_id}","SharePermissionSet":[{{"Acc"#),
            "application/json",
        ),
        TencentFault::Delay(delay) => return FaultEffect::Delay(*delay),
        TencentFault::DropConnection => return FaultEffect::Drop,
    })
}
