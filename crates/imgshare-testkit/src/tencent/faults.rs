//! Tencent's own injected faults, next to the [`Fault`](crate::Fault)s every cloud has.

use serde::{Deserialize, Serialize};
use wiremock::Request;

use super::errors::{err, error_reply};
use crate::harness::Reply;
use crate::harness::wire::uuid_v4;

/// A Tencent failure to inject with [`TencentFake::inject`](crate::harness::Fake::inject), like
/// the shared [`Fault`](crate::Fault)s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TencentFault {
    /// Answer `RequestLimitExceeded` in a normal 200 JSON envelope.
    Throttle,
    /// HTTP 200 `application/json` whose body is truncated, invalid JSON.
    MalformedBody,
}

pub(crate) fn answer(fault: &TencentFault, _: &Request) -> Reply {
    let request_id = uuid_v4();
    match fault {
        TencentFault::Throttle => error_reply(&err("throttled", &[]), &request_id),
        TencentFault::MalformedBody => Reply::raw(
            200,
            format!(r#"{{"Response":{{"RequestId":"{request_id}","SharePermissionSet":[{{"Acc"#),
            "application/json",
        ),
    }
}
