//! Reading error bodies beyond a provider's own envelope: JSON values as message text, detail
//! lines, and the answers of common software in front of an API (Spring's error attributes,
//! pydantic validation lists, web application firewall block pages). A provider's `check` maps
//! what these recognise onto its own codes; [`classify`] runs its recognisers and says why a
//! body none of them knew is unreadable.

use serde_json::Value;

use crate::client::unreadable;
use crate::decode::{self, DecodeError, Format};
use crate::error::{Error, ServiceError};
use crate::http::HttpResponse;

/// A JSON value as message text: a non-empty string, or a number.
pub fn json_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A JSON value as detail lines: a string is one line, a list one line per item (items that are
/// not strings as JSON text), `null` none, anything else its JSON text.
pub fn json_lines(value: &Value) -> Vec<String> {
    let line = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().map(line).collect(),
        other => vec![line(other)],
    }
}

/// Spring's error attributes, `{"timestamp","path","status","error","requestId"}`: what a Spring
/// Boot service or a Spring Cloud Gateway answers with when it, not the API, refuses a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SpringError {
    /// When it answered, as sent.
    pub timestamp: Option<String>,
    /// The request path.
    pub path: Option<String>,
    /// The status's reason phrase (`Not Found`).
    pub error: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
}

impl SpringError {
    /// Recognises the shape by its `timestamp` and `error` members; `None` for anything else.
    pub fn from_json(value: &Value) -> Option<Self> {
        let map = value.as_object()?;
        if !(map.contains_key("timestamp") && map.contains_key("error")) {
            return None;
        }
        let text = |key: &str| map.get(key).and_then(json_text);
        Some(Self {
            timestamp: text("timestamp"),
            path: text("path"),
            error: text("error"),
            request_id: text("requestId"),
        })
    }
}

/// The lines of a pydantic validation error list, `[{"loc": ["body", "x"], "msg": …, "type": …}]`,
/// each `loc.joined: msg` (or just `msg` without a `loc`); `None` when `value` is not such a list
/// (no item has a `msg`).
pub fn validation_lines(value: &Value) -> Option<Vec<String>> {
    let items = value.as_array()?;
    if !items.iter().any(|i| i.get("msg").is_some()) {
        return None;
    }
    let line = |item: &Value| {
        let msg = item.get("msg")?.as_str()?;
        let loc = item.get("loc").and_then(Value::as_array).map(|parts| {
            let parts: Vec<String> = parts
                .iter()
                .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                .collect();
            parts.join(".")
        });
        Some(match loc.filter(|l| !l.is_empty()) {
            Some(loc) => format!("{loc}: {msg}"),
            None => msg.to_owned(),
        })
    };
    Some(items.iter().filter_map(line).collect())
}

/// Whether `body` is a web application firewall's block page ("Request Rejected", "The request
/// was blocked", a "Support ID" to quote), in any case.
pub fn is_block_page(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    ["request rejected", "request was blocked", "support id"]
        .iter()
        .any(|phrase| lower.contains(phrase))
}

/// The digits after `Support ID` in a block page, which the provider's support asks for.
pub fn support_id(body: &str) -> Option<String> {
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

/// The error of a response that is not a success: the first service error that `json` finds in
/// the body read as JSON, or else that `text` finds in it as text (lossily decoded); failing
/// both, an unreadable-response error, classified by status (so a proxy's 502/503/504 page
/// stays retryable for reads), saying the body is not `answer` (`an SCP API answer`).
pub fn classify(
    response: &HttpResponse,
    request_id_headers: &[&str],
    answer: &str,
    json: impl FnOnce(&Value) -> Option<ServiceError>,
    text: impl FnOnce(&str) -> Option<ServiceError>,
) -> Error {
    let parsed: Result<Value, DecodeError> = decode::decode_as(Format::Json, &response.body);
    let found = parsed.as_ref().ok().and_then(json);
    if let Some(e) = found.or_else(|| text(&String::from_utf8_lossy(&response.body))) {
        return Error::Service(e);
    }
    let status = response.status;
    let reason = match parsed {
        Ok(_) => format!("HTTP {status} with an unknown JSON error shape"),
        Err(_) => format!("HTTP {status} and not {answer} (an HTML or text page from a proxy?)"),
    };
    unreadable(response, request_id_headers, reason, parsed.err())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn values_read_as_text_and_lines() {
        assert_eq!(json_text(&json!("a")), Some("a".into()));
        assert_eq!(json_text(&json!(404)), Some("404".into()));
        assert_eq!(json_text(&json!("")), None);
        assert_eq!(json_text(&json!(null)), None);
        assert_eq!(json_lines(&json!("one")), ["one"]);
        assert_eq!(json_lines(&json!(["a", 1])), ["a", "1"]);
        assert_eq!(json_lines(&json!({"k": 1})), [r#"{"k":1}"#]);
        assert!(json_lines(&json!(null)).is_empty());
    }

    #[test]
    fn spring_attributes_need_timestamp_and_error() {
        let e = SpringError::from_json(&json!({
            "timestamp": "2025-07-22T09:00:00.000+00:00", "path": "/v1/images",
            "status": 404, "error": "Not Found", "requestId": "7e1d"
        }))
        .unwrap();
        assert_eq!(e.error.as_deref(), Some("Not Found"));
        assert_eq!(e.request_id.as_deref(), Some("7e1d"));
        assert_eq!(SpringError::from_json(&json!({"error": "x"})), None);
    }

    #[test]
    fn pydantic_lists_join_their_location() {
        let lines = validation_lines(&json!([
            {"loc": ["body", "member_id", 0], "msg": "field required", "type": "missing"},
            {"msg": "bad"},
            {"loc": [], "msg": "empty loc"},
            {"no": "msg"}
        ]))
        .unwrap();
        assert_eq!(
            lines,
            ["body.member_id.0: field required", "bad", "empty loc"]
        );
        assert_eq!(validation_lines(&json!([{"loc": ["x"]}])), None);
        assert_eq!(validation_lines(&json!({"msg": "x"})), None);
    }

    #[test]
    fn block_pages_and_their_support_id() {
        let page = "<html>The requested URL was rejected. Your support ID is: 1234567890</html>";
        assert!(is_block_page(page));
        assert_eq!(support_id(page), Some("1234567890".into()));
        assert!(is_block_page("Request Rejected"));
        assert_eq!(support_id("Request Rejected"), None);
        assert!(!is_block_page("<html>502 Bad Gateway</html>"));
    }
}
