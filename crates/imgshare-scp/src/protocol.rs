//! SCP's answers (scp.md §4): success is any 2xx; errors come in several shapes, told apart by
//! their body, whatever the Content-Type says:
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
//! | anything else (an HTML 502, a 503 text) | a proxy | [`ResponseError`], retryable by status |

use imgshare_core::decode::{self, DecodeError, Format};
use imgshare_core::error::{ServiceError, body_excerpt};
use imgshare_core::{Error, ErrorKind, ErrorOrigin, HttpResponse};
use serde::Deserialize;
use serde_json::Value;

use crate::error::{classify, codes};

const HEADERS: &[&str] = <crate::Config as imgshare_core::Protocol>::REQUEST_ID_HEADERS;

fn unreadable(response: &HttpResponse, reason: String, cause: Option<DecodeError>) -> Error {
    imgshare_core::client::unreadable(response, HEADERS, reason, cause)
}

fn header_request_id(response: &HttpResponse) -> Option<String> {
    imgshare_core::client::header_request_id(response, HEADERS)
}

#[derive(Deserialize)]
struct ApiErrorItem {
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    title: Option<Value>,
    #[serde(default)]
    detail: Option<Value>,
    #[serde(default)]
    request_id: Option<Value>,
    #[serde(default)]
    global_request_id: Option<Value>,
}

fn text(value: &Option<Value>) -> Option<String> {
    match value {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// `detail` is a string or a list of strings (anything else is kept as JSON text).
fn detail_lines(value: &Option<Value>) -> Vec<String> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        Some(other) => vec![other.to_string()],
    }
}

fn api_error(response: &HttpResponse, item: &ApiErrorItem) -> ServiceError {
    let status = response.status;
    let title = text(&item.title);
    let code = text(&item.code)
        .or_else(|| title.clone())
        .unwrap_or_else(|| format!("HTTP{status}"));
    let lines = detail_lines(&item.detail);
    let message = if lines.is_empty() {
        title.clone().unwrap_or_else(|| format!("HTTP {status}"))
    } else {
        lines.join("; ")
    };
    let mut error = ServiceError::new(code.as_str(), message, status, classify(status, &code))
        .with_request_id(text(&item.request_id).or_else(|| header_request_id(response)));
    if let Some(title) = title {
        error = error.with_detail("title", title);
    }
    if let Some(global) = text(&item.global_request_id) {
        error = error.with_detail("global_request_id", global);
    }
    for line in lines {
        error = error.with_detail("detail", line);
    }
    error
}

fn gateway(response: &HttpResponse, code: &str, message: String) -> ServiceError {
    ServiceError::new(
        code,
        message,
        response.status,
        classify(response.status, code),
    )
    .with_origin(ErrorOrigin::Gateway)
}

/// Classifies a JSON error body; `None` when it has no known shape.
fn json_error(response: &HttpResponse, value: &Value) -> Option<ServiceError> {
    let status = response.status;
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(items)) = map.get("errors") {
                let first = items.first()?;
                let item: ApiErrorItem = serde_json::from_value(first.clone()).ok()?;
                return Some(api_error(response, &item));
            }
            let get = |k: &str| text(&map.get(k).cloned());
            // Spring Cloud Gateway: {"timestamp","path","status","error","requestId"}.
            if map.contains_key("timestamp") && map.contains_key("error") {
                let error = get("error").unwrap_or_else(|| format!("HTTP {status}"));
                let path = get("path").unwrap_or_default();
                let (code, message) = if status == 404 {
                    (
                        codes::GATEWAY_NOT_FOUND.to_owned(),
                        format!(
                            "the SCP API gateway answered {status} {error} for {path}: it answers \
                             so when the Scp-* authentication headers are missing or refused (or \
                             the route is unknown), before the service sees the request"
                        ),
                    )
                } else {
                    (
                        format!("Gateway{}", error.replace(' ', "")),
                        format!("the SCP API gateway answered {status} {error} for {path}"),
                    )
                };
                let mut e = gateway(response, &code, message)
                    .with_request_id(get("requestId").or_else(|| header_request_id(response)));
                if let Some(t) = get("timestamp") {
                    e = e.with_detail("timestamp", t);
                }
                if !path.is_empty() {
                    e = e.with_detail("path", path);
                }
                return Some(e);
            }
            // Gateway rejection: {"status":"UNAUTHORIZED","name":..,"message":..}.
            if map.contains_key("name") && map.contains_key("message") {
                let message = get("message").unwrap_or_default();
                let code = if message.contains(codes::HMAC_VALID_FAIL) {
                    codes::HMAC_VALID_FAIL
                } else {
                    codes::GATEWAY_REJECTED
                };
                let mut e =
                    gateway(response, code, message).with_request_id(header_request_id(response));
                if let Some(name) = get("name") {
                    e = e.with_detail("name", name);
                }
                if let Some(s) = get("status") {
                    e = e.with_detail("status", s);
                }
                return Some(e);
            }
            // Other back-ends: {"code","message",...}.
            let code = get("code")?;
            let message = get("message").unwrap_or_default();
            Some(
                ServiceError::new(code.as_str(), message, status, classify(status, &code))
                    .with_request_id(get("requestId").or_else(|| header_request_id(response))),
            )
        }
        // Pydantic-style 400: [{"loc":[..],"msg":..,"type":..}].
        Value::Array(items) if items.iter().any(|i| i.get("msg").is_some()) => {
            let lines: Vec<String> = items
                .iter()
                .filter_map(|i| {
                    let msg = i.get("msg")?.as_str()?;
                    let loc = i
                        .get("loc")
                        .and_then(Value::as_array)
                        .map(|l| {
                            l.iter()
                                .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                                .collect::<Vec<_>>()
                                .join(".")
                        })
                        .unwrap_or_default();
                    Some(if loc.is_empty() {
                        msg.to_owned()
                    } else {
                        format!("{loc}: {msg}")
                    })
                })
                .collect();
            let mut e = ServiceError::new(
                codes::REQUEST_VALIDATION,
                lines.join("; "),
                status,
                classify(status, codes::REQUEST_VALIDATION),
            )
            .with_request_id(header_request_id(response));
            for line in lines {
                e = e.with_detail("detail", line);
            }
            Some(e)
        }
        _ => None,
    }
}

/// Classifies a non-JSON error body (HTML, text); `None` leaves it a [`ResponseError`].
fn text_error(response: &HttpResponse) -> Option<ServiceError> {
    let body = String::from_utf8_lossy(&response.body);
    if body.contains(codes::HMAC_VALID_FAIL) {
        return Some(gateway(
            response,
            codes::HMAC_VALID_FAIL,
            format!(
                "the SCP API gateway could not validate the signature: {}",
                body_excerpt(response.body.as_slice())
            ),
        ));
    }
    let lower = body.to_ascii_lowercase();
    if response.status == 417
        || lower.contains("request rejected")
        || lower.contains("request was blocked")
        || lower.contains("support id")
    {
        let support_id = support_id(&body);
        let mut message = format!(
            "a web application firewall in front of SCP blocked the request (HTTP {})",
            response.status
        );
        if let Some(id) = &support_id {
            message.push_str(&format!("; Support ID {id}"));
        }
        // A firewall block is deliberate: never retried (classified as a client error).
        let mut e = ServiceError::new(
            codes::WAF_BLOCKED,
            message,
            response.status,
            ErrorKind::Client,
        )
        .with_origin(ErrorOrigin::Gateway);
        if let Some(id) = support_id {
            e = e.with_detail("support_id", id);
        }
        return Some(e);
    }
    None
}

/// The digits after `Support ID` in a WAF page.
fn support_id(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    let at = lower.find("support id")?;
    let digits: String = body[at..]
        .chars()
        .skip("support id".len())
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then_some(digits)
}

/// Tells a success from an error (see the module docs).
pub(crate) fn check(response: &HttpResponse) -> Result<(), Error> {
    if (200..300).contains(&response.status) {
        return Ok(());
    }
    let parsed: Result<Value, DecodeError> = decode::decode_as(Format::Json, &response.body);
    if let Ok(value) = &parsed
        && let Some(e) = json_error(response, value)
    {
        return Err(Error::Service(e));
    }
    if let Some(e) = text_error(response) {
        return Err(Error::Service(e));
    }
    let reason = match parsed {
        Ok(_) => format!("HTTP {} with an unknown JSON error shape", response.status),
        Err(_) => format!(
            "HTTP {} and not an SCP API answer (an HTML or text page from a proxy?)",
            response.status
        ),
    };
    // Classified by status: a 502/503/504 page stays retryable for reads.
    Err(unreadable(response, reason, parsed.err()))
}
