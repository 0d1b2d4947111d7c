//! Tencent's response envelope (tencent.md §4.1) and the fake's API errors.

use serde_json::{Map, Value, json};
use wiremock::ResponseTemplate;

/// An error the fake answers inside a 200 JSON envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn missing(name: &str) -> Self {
        ApiError::new(
            "MissingParameter",
            format!("The request is missing a required parameter `{name}`."),
        )
    }

    pub(crate) fn invalid_value(message: impl Into<String>) -> Self {
        ApiError::new("InvalidParameterValue", message)
    }
}

/// A fresh request id shaped like Tencent's (a random v4 UUID); every
/// response gets its own (§4.1).
pub(crate) fn request_id() -> String {
    let hi = fastrand::u64(..);
    let lo = fastrand::u64(..);
    // Set the version (4) and variant (10xx) bits so it parses as a UUID.
    let hi = (hi & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

/// `{"Response":{"Error":{"Code","Message"},"RequestId"}}` with HTTP 200.
pub(crate) fn error_response(error: &ApiError, request_id: &str) -> ResponseTemplate {
    json_response(&json!({
        "Response": {
            "Error": { "Code": error.code, "Message": error.message },
            "RequestId": request_id,
        }
    }))
}

/// `{"Response":{<fields>,"RequestId"}}` with HTTP 200.
pub(crate) fn success_response(
    mut fields: Map<String, Value>,
    request_id: &str,
) -> ResponseTemplate {
    fields.insert("RequestId".into(), Value::String(request_id.into()));
    json_response(&json!({ "Response": fields }))
}

fn json_response(body: &Value) -> ResponseTemplate {
    // Tencent answers plain `application/json` (§4.1); set_body_raw keeps
    // that exact media type.
    ResponseTemplate::new(200).set_body_raw(body.to_string().into_bytes(), "application/json")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn request_ids_are_uuid_shaped_and_fresh() {
        let a = request_id();
        let b = request_id();
        assert_ne!(a, b);
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&a[14..15], "4");
        assert!(a.bytes().all(|c| c == b'-' || c.is_ascii_hexdigit()));
    }
}
