//! SCP's answers: success is any 2xx; errors come in several shapes, from the service and from
//! the gateway and firewall in front of it, told apart by their body, whatever the Content-Type
//! says (core's [`error_body`] recognises the shapes that are not SCP's own):
//!
//! | body | who | becomes |
//! |---|---|---|
//! | `{"errors":[{code,title,detail,status,request_id,global_request_id,…}]}` | the service | [`ServiceError`] with `code`, `detail` as the message, `request_id`; `title`, `global_request_id` and each `detail` line as details |
//! | `{"timestamp","path","status","error","requestId"}` | the gateway (Spring Cloud Gateway), e.g. a 404 when authentication headers are missing or refused | [`codes::GATEWAY_NOT_FOUND`] (404) or `Gateway<Error>`; [`ErrorOrigin::Gateway`] |
//! | `{"status":"UNAUTHORIZED","name","message"}` | the gateway's rejection (`HmacValidFail`, entitlement) | [`codes::HMAC_VALID_FAIL`] when the message says so, else [`codes::GATEWAY_REJECTED`]; gateway |
//! | `[{"loc","msg","type"}]` | a pydantic-style 400 | [`codes::REQUEST_VALIDATION`] |
//! | `{"code","message",…}` | other back-ends | that code and message |
//! | text/HTML with `HmacValidFail` | gateway 401 | [`codes::HMAC_VALID_FAIL`], gateway |
//! | HTML/text with `Request Rejected` / `Support ID`, or any 417 | WAF | [`codes::WAF_BLOCKED`], gateway |
//! | anything else (an HTML 502, a 503 text) | a proxy | `ResponseError`, retryable by status |

use imgshare_core::client::header_request_id;
use imgshare_core::error::{ServiceError, body_excerpt};
use imgshare_core::error_body::{self, SpringError, json_lines, json_text, validation_lines};
use imgshare_core::{Error, ErrorKind, ErrorOrigin, HttpResponse};
use serde_json::{Map, Value};

use crate::error::{classify, codes};

const HEADERS: &[&str] = <crate::Config as imgshare_core::Protocol>::REQUEST_ID_HEADERS;
/// What a body that no rule recognises is not.
const ANSWER: &str = "an SCP API answer";

/// Tells a success from an error (see the module docs).
pub(crate) fn check(response: &HttpResponse) -> Result<(), Error> {
    if (200..300).contains(&response.status) {
        return Ok(());
    }
    let json = |value: &Value| json_error(response, value);
    let text = |body: &str| text_error(response, body);
    Err(error_body::classify(response, HEADERS, ANSWER, json, text))
}

/// An error classified by SCP's rules, with the body's request id, or else a header's.
fn service(response: &HttpResponse, code: &str, msg: String, id: Option<String>) -> ServiceError {
    let status = response.status;
    ServiceError::new(code, msg, status, classify(status, code))
        .with_request_id(id.or_else(|| header_request_id(response, HEADERS)))
}

/// Classifies a JSON error body; `None` when it has no known shape.
fn json_error(response: &HttpResponse, value: &Value) -> Option<ServiceError> {
    if let Some(lines) = validation_lines(value) {
        let message = lines.join("; ");
        let e = service(response, codes::REQUEST_VALIDATION, message, None);
        return Some(e.with_details("detail", lines));
    }
    let map = value.as_object()?;
    if let Some(Value::Array(items)) = map.get("errors") {
        return Some(api_error(response, items.first()?.as_object()?));
    }
    if let Some(spring) = SpringError::from_json(value) {
        return Some(gateway_error(response, spring));
    }
    let text = |key: &str| map.get(key).and_then(json_text);
    // The gateway's rejection: {"status":"UNAUTHORIZED","name":..,"message":..}.
    if map.contains_key("name") && map.contains_key("message") {
        let message = text("message").unwrap_or_default();
        let code = if message.contains(codes::HMAC_VALID_FAIL) {
            codes::HMAC_VALID_FAIL
        } else {
            codes::GATEWAY_REJECTED
        };
        let e = service(response, code, message, None).with_origin(ErrorOrigin::Gateway);
        return Some(
            e.with_optional_detail("name", text("name"))
                .with_optional_detail("status", text("status")),
        );
    }
    // Other back-ends: {"code","message",...}.
    let code = text("code")?;
    let message = text("message").unwrap_or_default();
    Some(service(response, &code, message, text("requestId")))
}

/// The service's own envelope, `{"errors":[{code,title,detail,…}]}`: its first error.
fn api_error(response: &HttpResponse, item: &Map<String, Value>) -> ServiceError {
    let status = response.status;
    let text = |key: &str| item.get(key).and_then(json_text);
    let title = text("title");
    let code = text("code").or_else(|| title.clone());
    let code = code.unwrap_or_else(|| format!("HTTP{status}"));
    let lines = item.get("detail").map(json_lines).unwrap_or_default();
    let message = match &title {
        _ if !lines.is_empty() => lines.join("; "),
        Some(title) => title.clone(),
        None => format!("HTTP {status}"),
    };
    service(response, &code, message, text("request_id"))
        .with_optional_detail("title", title)
        .with_optional_detail("global_request_id", text("global_request_id"))
        .with_details("detail", lines)
}

/// The gateway's own answer (Spring Cloud Gateway); its 404 means authentication failed.
fn gateway_error(response: &HttpResponse, spring: SpringError) -> ServiceError {
    let status = response.status;
    let error = spring.error.unwrap_or_else(|| format!("HTTP {status}"));
    let path = spring.path.unwrap_or_default();
    let said = format!("the SCP API gateway answered {status} {error} for {path}");
    let (code, message) = if status == 404 {
        let why = "it answers so when the Scp-* authentication headers are missing or refused \
                   (or the route is unknown), before the service sees the request";
        (
            codes::GATEWAY_NOT_FOUND.to_owned(),
            format!("{said}: {why}"),
        )
    } else {
        (format!("Gateway{}", error.replace(' ', "")), said)
    };
    service(response, &code, message, spring.request_id)
        .with_origin(ErrorOrigin::Gateway)
        .with_optional_detail("timestamp", spring.timestamp)
        .with_optional_detail("path", Some(path).filter(|p| !p.is_empty()))
}

/// Classifies a body as text (HTML, plain); `None` leaves it unreadable.
fn text_error(response: &HttpResponse, body: &str) -> Option<ServiceError> {
    let status = response.status;
    if body.contains(codes::HMAC_VALID_FAIL) {
        let (code, excerpt) = (codes::HMAC_VALID_FAIL, body_excerpt(&response.body));
        let message = format!("the SCP API gateway could not validate the signature: {excerpt}");
        let e = ServiceError::new(code, message, status, classify(status, code));
        return Some(e.with_origin(ErrorOrigin::Gateway));
    }
    if status != 417 && !error_body::is_block_page(body) {
        return None;
    }
    let support_id = error_body::support_id(body);
    let quoted = support_id.as_ref().map(|id| format!("; Support ID {id}"));
    let message = format!(
        "a web application firewall in front of SCP blocked the request (HTTP {status}){}",
        quoted.unwrap_or_default()
    );
    // A firewall block is deliberate: never retried (classified as a client error).
    let e = ServiceError::new(codes::WAF_BLOCKED, message, status, ErrorKind::Client);
    let e = e.with_origin(ErrorOrigin::Gateway);
    Some(e.with_optional_detail("support_id", support_id))
}
