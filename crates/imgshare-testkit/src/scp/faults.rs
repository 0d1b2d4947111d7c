//! Injected faults: transport, gateway and server failures a client must
//! survive (scp.md §4.2, §4.4).

use std::time::Duration;

use serde::{Deserialize, Serialize};
use wiremock::ResponseTemplate;

use super::errors::{ApiError, error_body, json_template};

/// A failure to inject with [`ScpFake::inject`](crate::ScpFake::inject).
///
/// A fault applies before any checking: the request is recorded, but not
/// authenticated or executed (except [`ScpFault::Delay`], which answers
/// normally after the delay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScpFault {
    /// An HTTP error status with a short `text/plain` body and no JSON, like
    /// the intermittent 502/503/504 of §4.4. Codes outside 200..=999 become
    /// 500 (a 1xx is not a final response).
    Status(u16),
    /// HTTP 502 with a small `text/html` page, like a load balancer's.
    Html502,
    /// Close the connection without sending any HTTP response.
    DropConnection,
    /// Wait this long, then process the request and answer normally.
    Delay(Duration),
    /// HTTP 429 with a `TooManyRequests` error envelope and no
    /// `Retry-After` (§4.4: no 429 was ever observed; clients such as S6
    /// retry it anyway).
    Throttle,
    /// HTTP 500 `ContactAdminForAssistance` envelope whose `detail` is a
    /// string, as observed live (§4.1).
    InternalError,
    /// HTTP 417 `text/html` WAF block page mentioning `Request Rejected` and
    /// a `Support ID` (§4.2).
    WafBlock,
    /// HTTP 200 `application/json` whose body is truncated, invalid JSON.
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

fn text(status: u16, body: &str, media: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), media)
}

pub(crate) fn outcome(fault: &ScpFault) -> FaultOutcome {
    let respond = |response, status, error_code| FaultOutcome::Respond {
        response,
        status,
        error_code,
    };
    match fault {
        ScpFault::Status(code) => {
            let code = if (200..=999).contains(code) {
                *code
            } else {
                500
            };
            respond(
                text(code, &format!("{code} upstream error\n"), "text/plain"),
                code,
                None,
            )
        }
        ScpFault::Html502 => respond(
            text(
                502,
                "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
                "text/html",
            ),
            502,
            None,
        ),
        ScpFault::Throttle => {
            let error = ApiError::new(
                429,
                "TooManyRequests",
                "Too many requests. Please try again later.",
            );
            respond(
                json_template(429, &error_body(&error)),
                429,
                Some(error.code),
            )
        }
        ScpFault::InternalError => {
            let error = ApiError::new(
                500,
                "ContactAdminForAssistance",
                "There was a problem processing your request.\nContact us through Support Center > Contact Us.",
            );
            respond(
                json_template(500, &error_body(&error)),
                500,
                Some(error.code),
            )
        }
        ScpFault::WafBlock => respond(
            text(
                417,
                "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. Your request was blocked. Please consult with your administrator.<br><br>Your Support ID is: 0000000000000000000</body></html>",
                "text/html",
            ),
            417,
            None,
        ),
        ScpFault::MalformedBody => respond(
            text(
                200,
                r#"{"members":[{"created_at":"2025-07-22T09:00:00Z","image_id":"70a5"#,
                "application/json",
            ),
            200,
            None,
        ),
        ScpFault::Delay(delay) => FaultOutcome::DelayThenProcess(*delay),
        // Handled by the connection-dropping mock before the responder runs;
        // answering 500 here only matters if that mock was bypassed.
        ScpFault::DropConnection => respond(ResponseTemplate::new(500), 500, None),
    }
}
