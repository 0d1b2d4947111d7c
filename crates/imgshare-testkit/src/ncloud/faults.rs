//! Injected faults: gateway, transport and backend failures a client must
//! survive (ncloud.md §4.4, §4.5, §4.7, §6.3).

use std::time::Duration;

use serde::{Deserialize, Serialize};
use wiremock::ResponseTemplate;

use super::errors::{ApiError, GatewayError, codes};
use super::render::Format;

/// A failure to inject with [`NcloudFake::inject`](crate::NcloudFake::inject).
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
    /// Gateway HTTP 429, errorCode `400` "Quota Exceeded" (§4.5).
    QuotaExceeded,
    /// Gateway HTTP 429, errorCode `410` "Throttle Limited" (§4.5).
    ThrottleLimited,
    /// Gateway HTTP 429, errorCode `420` "Rate Limited" (§4.5); the same
    /// answer [`NcloudFake::set_rate_limit`](crate::NcloudFake::set_rate_limit)
    /// gives.
    RateLimited,
    /// Gateway HTTP 503, errorCode `500` "Endpoint Error" (§4.5, the
    /// intermittent error of TF issue #68).
    EndpointError,
    /// Gateway HTTP 504, errorCode `510` "Endpoint Timeout" (§4.5).
    EndpointTimeout,
    /// Backend HTTP 500 `responseError` returnCode `1000` "Please try your
    /// call again later." in the requested format (§4.4, TF issue #298).
    TryAgainLater,
    /// HTTP 200 in the requested format (XML or JSON) whose body is cut
    /// off, so it does not parse.
    MalformedBody,
}

/// What a fault turns into.
pub(crate) enum FaultOutcome {
    /// Send this instead of processing the request.
    Respond {
        response: ResponseTemplate,
        status: u16,
        error_code: Option<&'static str>,
    },
    /// Process the request, then send the answer after this delay.
    DelayThenProcess(Duration),
}

pub(crate) fn outcome(fault: &NcloudFault, format: Format, request_id: &str) -> FaultOutcome {
    let gateway = |error: GatewayError| FaultOutcome::Respond {
        response: error.response(),
        status: error.status,
        error_code: Some(error.code),
    };
    match fault {
        NcloudFault::Status(code) => {
            let code = if (200..=999).contains(code) { *code } else { 500 };
            FaultOutcome::Respond {
                response: ResponseTemplate::new(code)
                    .set_body_raw(format!("{code} upstream error\n").into_bytes(), "text/plain"),
                status: code,
                error_code: None,
            }
        }
        NcloudFault::Html502 => FaultOutcome::Respond {
            response: ResponseTemplate::new(502).set_body_raw(
                b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
                    .to_vec(),
                "text/html",
            ),
            status: 502,
            error_code: None,
        },
        NcloudFault::QuotaExceeded => gateway(GatewayError::quota_exceeded()),
        NcloudFault::ThrottleLimited => gateway(GatewayError::throttle_limited()),
        NcloudFault::RateLimited => gateway(GatewayError::rate_limited("")),
        NcloudFault::EndpointError => gateway(GatewayError::endpoint_error()),
        NcloudFault::EndpointTimeout => gateway(GatewayError::endpoint_timeout()),
        NcloudFault::TryAgainLater => {
            let mut error = ApiError::new(
                codes::TRY_AGAIN_LATER,
                "Please try your call again later.\nTemporarily unable to process the request.",
            );
            error.status = 500;
            FaultOutcome::Respond {
                response: error.response(format),
                status: 500,
                error_code: Some(codes::TRY_AGAIN_LATER),
            }
        }
        NcloudFault::MalformedBody => {
            let body = match format {
                Format::Xml => format!(
                    "<getServerImageListResponse>\n  <requestId>{request_id}</requestId>\n  <returnCode>0</returnCode>\n  <serverImageList>\n    <serverIm"
                ),
                Format::Json => format!(
                    "{{\n  \"getServerImageListResponse\": {{\n    \"requestId\": \"{request_id}\",\n    \"serverImageList\": [\n      {{\"serverIm"
                ),
            };
            FaultOutcome::Respond {
                response: ResponseTemplate::new(200)
                    .set_body_raw(body.into_bytes(), format.content_type()),
                status: 200,
                error_code: None,
            }
        }
        NcloudFault::Delay(delay) => FaultOutcome::DelayThenProcess(*delay),
        // Handled by the connection-dropping mock before the responder runs;
        // answering 500 here only matters if that mock was bypassed.
        NcloudFault::DropConnection => FaultOutcome::Respond {
            response: ResponseTemplate::new(500),
            status: 500,
            error_code: None,
        },
    }
}
