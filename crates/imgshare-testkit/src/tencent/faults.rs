//! Injected faults: transport and server failures a client must survive.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use wiremock::ResponseTemplate;

use super::errors::{ApiError, error_response};

/// A failure to inject with [`TencentFake::inject`](crate::TencentFake::inject).
///
/// A fault applies before any checking: the request is recorded, but not
/// authenticated, rate-limited or executed (except [`Fault::Delay`], which
/// answers normally after the delay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fault {
    /// An HTTP error status with a short `text/plain` body and no JSON, like
    /// a load balancer in trouble. Codes outside 200..=999 become 500
    /// (a 1xx is not a final response).
    Status(u16),
    /// HTTP 502 with a small `text/html` page, like a gateway error page.
    Html502,
    /// Close the connection without sending any HTTP response; the client
    /// sees a connection error.
    DropConnection,
    /// Wait this long, then process the request and answer normally.
    Delay(Duration),
    /// Answer `RequestLimitExceeded` in a normal 200 JSON envelope.
    Throttle,
    /// HTTP 200 `application/json` whose body is truncated, invalid JSON.
    MalformedBody,
}

/// What a fault turns into.
pub(crate) enum FaultOutcome {
    /// Send this instead of processing the request.
    Respond {
        response: ResponseTemplate,
        error_code: Option<&'static str>,
    },
    /// Process the request, then send the answer after this delay.
    DelayThenProcess(Duration),
}

pub(crate) fn outcome(fault: &Fault, request_id: &str) -> FaultOutcome {
    let respond = |response, error_code| FaultOutcome::Respond {
        response,
        error_code,
    };
    match fault {
        Fault::Status(code) => {
            let code = if (200..=999).contains(code) { *code } else { 500 };
            respond(
                ResponseTemplate::new(code)
                    .set_body_raw(format!("{code} upstream error\n").into_bytes(), "text/plain"),
                None,
            )
        }
        Fault::Html502 => respond(
            ResponseTemplate::new(502).set_body_raw(
                b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n"
                    .to_vec(),
                "text/html",
            ),
            None,
        ),
        Fault::Throttle => {
            let error = ApiError::new(
                "RequestLimitExceeded",
                "Your current request times equals to `11` in a second, which exceeds the frequency limit `10` for a second. Please reduce the frequency of calls.",
            );
            respond(error_response(&error, request_id), Some(error.code))
        }
        Fault::MalformedBody => respond(
            ResponseTemplate::new(200).set_body_raw(
                format!(r#"{{"Response":{{"RequestId":"{request_id}","SharePermissionSet":[{{"Acc"#)
                    .into_bytes(),
                "application/json",
            ),
            None,
        ),
        Fault::Delay(delay) => FaultOutcome::DelayThenProcess(*delay),
        // Handled by the connection-dropping mock before the responder runs;
        // answering 500 here only matters if that mock was bypassed.
        Fault::DropConnection => respond(ResponseTemplate::new(500), None),
    }
}
