//! NAVER Cloud's own injected faults, the API Gateway's and the backend's, next to the
//! [`Fault`](crate::Fault)s every cloud has.

use serde::{Deserialize, Serialize};
use wiremock::Request;

use super::errors::{ApiError, GatewayError, codes, reply};
use super::gateway::format_hint;
use super::render::Format;
use crate::harness::Reply;
use crate::harness::wire::uuid_v4;

/// A NAVER Cloud failure to inject with [`NcloudFake::inject`](crate::harness::Fake::inject),
/// like the shared [`Fault`](crate::Fault)s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NcloudFault {
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

pub(crate) fn answer(fault: &NcloudFault, request: &Request) -> Reply {
    let format = format_hint(request);
    match fault {
        NcloudFault::QuotaExceeded => GatewayError::new("quota_exceeded", "").into(),
        NcloudFault::ThrottleLimited => GatewayError::new("throttle_limited", "").into(),
        NcloudFault::RateLimited => GatewayError::new("rate_limited", "").into(),
        NcloudFault::EndpointError => GatewayError::new("endpoint_error", "").into(),
        NcloudFault::EndpointTimeout => GatewayError::new("endpoint_timeout", "").into(),
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
    }
}
