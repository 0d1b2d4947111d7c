//! Injected faults: gateway, transport and backend failures a client must
//! survive.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use wiremock::Request;

use super::errors::{
    ApiError, ENDPOINT_ERROR, ENDPOINT_TIMEOUT, GatewayError, QUOTA_EXCEEDED, RATE_LIMITED,
    THROTTLE_LIMITED, codes, reply,
};
use super::gateway::format_hint;
use super::render::Format;
use crate::harness::wire::{html_502, upstream_error, uuid_v4};
use crate::harness::{FaultEffect, Reply};

/// A failure to inject with [`NcloudFake::inject`](crate::harness::Fake::inject).
///
/// A fault applies before any checking: the request is recorded, but not
/// routed, authenticated or executed (except [`NcloudFault::Delay`], which
/// answers normally after the delay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NcloudFault {
    /// An HTTP error status with a short `text/plain` body, like a load
    /// balancer in trouble. Codes outside 200..=999 become 500.
    Status(u16),
    /// HTTP 502 with a small `text/html` page.
    Html502,
    /// Close the connection without sending any HTTP response.
    DropConnection,
    /// Wait this long, then process the request and answer normally.
    Delay(Duration),
    /// Gateway HTTP 429, errorCode `400` "Quota Exceeded".
    QuotaExceeded,
    /// Gateway HTTP 429, errorCode `410` "Throttle Limited".
    ThrottleLimited,
    /// Gateway HTTP 429, errorCode `420` "Rate Limited"; the same
    /// answer [`NcloudFake::set_rate_limit`](crate::harness::Fake::set_rate_limit)
    /// gives.
    RateLimited,
    /// Gateway HTTP 503, errorCode `500` "Endpoint Error" (the
    /// intermittent error of TF issue #68).
    EndpointError,
    /// Gateway HTTP 504, errorCode `510` "Endpoint Timeout".
    EndpointTimeout,
    /// Backend HTTP 500 `responseError` returnCode `1000` "Please try your
    /// call again later." in the requested format (as in TF issue #298).
    TryAgainLater,
    /// HTTP 200 in the requested format (XML or JSON) whose body is cut
    /// off, so it does not parse.
    MalformedBody,
}

pub(crate) fn effect(fault: &NcloudFault, request: &Request) -> FaultEffect {
    let format = format_hint(request);
    FaultEffect::Reply(match fault {
        NcloudFault::Status(code) => upstream_error(*code),
        NcloudFault::Html502 => html_502("nginx"),
        NcloudFault::QuotaExceeded => GatewayError::new(QUOTA_EXCEEDED, "").reply(),
        NcloudFault::ThrottleLimited => GatewayError::new(THROTTLE_LIMITED, "").reply(),
        NcloudFault::RateLimited => GatewayError::new(RATE_LIMITED, "").reply(),
        NcloudFault::EndpointError => GatewayError::new(ENDPOINT_ERROR, "").reply(),
        NcloudFault::EndpointTimeout => GatewayError::new(ENDPOINT_TIMEOUT, "").reply(),
        NcloudFault::TryAgainLater => {
            let message =
                "Please try your call again later.\nTemporarily unable to process the request.";
            reply(&ApiError::new(500, codes::TRY_AGAIN_LATER, message), format)
        }
        NcloudFault::MalformedBody => {
            let request_id = uuid_v4();
            let body = match format {
                Format::Xml => format!(
                    "<getServerImageListResponse>\n  <requestId>{request_id}</requestId>\n  <returnCode>0</returnCode>\n  <serverImageList>\n    <serverIm"
                ),
                Format::Json => format!(
                    "{{\n  \"getServerImageListResponse\": {{\n    \"requestId\": \"{request_id}\",\n    \"serverImageList\": [\n      {{\"serverIm"
                ),
            };
            Reply::raw(200, body, format.content_type())
        }
        NcloudFault::Delay(delay) => return FaultEffect::Delay(*delay),
        NcloudFault::DropConnection => return FaultEffect::Drop,
    })
}
