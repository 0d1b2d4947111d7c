//! Tencent's response envelope and the fake's API errors.

use serde_json::{Map, Value, json};

use crate::harness::Reply;

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
        let message = format!("The request is missing a required parameter `{name}`.");
        ApiError::new("MissingParameter", message)
    }

    pub(crate) fn invalid_value(message: impl Into<String>) -> Self {
        ApiError::new("InvalidParameterValue", message)
    }
}

/// `Err` of a new [`ApiError`].
pub(crate) fn fail<T>(code: &'static str, message: impl Into<String>) -> Result<T, ApiError> {
    Err(ApiError::new(code, message))
}

/// `Err` of a new [`ApiError`] unless `ok`; the message is only built when needed.
pub(crate) fn ensure(
    ok: bool,
    code: &'static str,
    message: impl FnOnce() -> String,
) -> Result<(), ApiError> {
    if ok { Ok(()) } else { fail(code, message()) }
}

/// `{"Response":{"Error":{"Code","Message"},"RequestId"}}` with HTTP 200; every response gets
/// a fresh request id.
pub(crate) fn error_reply(error: &ApiError, request_id: &str) -> Reply {
    let error_json = json!({ "Code": error.code, "Message": error.message });
    let body = json!({ "Response": { "Error": error_json, "RequestId": request_id } });
    Reply::json(200, &body).code(error.code)
}

/// `{"Response":{<fields>,"RequestId"}}` with HTTP 200.
pub(crate) fn success_reply(mut fields: Map<String, Value>, request_id: &str) -> Reply {
    fields.insert("RequestId".into(), Value::String(request_id.into()));
    Reply::json(200, &json!({ "Response": fields }))
}
