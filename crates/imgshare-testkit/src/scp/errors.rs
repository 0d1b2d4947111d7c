//! What the fake answers when it refuses: the service's `{"errors":[...]}` envelope and the
//! gateway's own 404 and 401 bodies.
//!
//! The envelope carries a `code` only where one was observed live (`ValidationError`,
//! `ContactAdminForAssistance`). SCP documents the image-member errors by status alone (403,
//! 404, 409, no body, no code), so for those, and for the fake's own refusals (an unserved
//! version, its opt-in rate limit), the envelope has `status` and `detail` but no `code` or
//! `title`: the fake invents no code a client could come to rely on.

use serde_json::{Value, json};

use crate::harness::wire::uuid_v4;
use crate::harness::{self, Reply, error_table, utc_millis};

/// An error in the service envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The HTTP status, repeated as the number `status` in the body.
    pub(crate) status: u16,
    /// `code`, repeated as `title` (as in every observed body); `None` where no code was ever
    /// observed, and the envelope then has neither.
    pub(crate) code: Option<&'static str>,
    /// What went wrong: `ValidationError`'s `detail` is this list (as observed), any other
    /// error's its one string.
    pub(crate) detail: Vec<String>,
}

error_table!(include_str!("errors.toml"), 400);

impl ApiError {
    /// 400 `ValidationError` with these details, like the live `POST /v1/keypairs` capture.
    pub(crate) fn validation(detail: Vec<String>) -> Self {
        ApiError {
            status: 400,
            code: Some("ValidationError"),
            detail,
        }
    }
}

/// A row of the table; `""` is no code.
impl From<harness::ApiError> for ApiError {
    fn from(error: harness::ApiError) -> Self {
        ApiError {
            status: error.status,
            code: Some(error.code).filter(|c| !c.is_empty()),
            detail: vec![error.message],
        }
    }
}

/// `req-<uuid>`, the shape of `request_id`/`global_request_id`.
pub(crate) fn request_id() -> String {
    format!("req-{}", uuid_v4())
}

/// The service envelope: one element, `status` a JSON number equal to the HTTP status, fresh
/// `req-` ids, `code` repeated as `title` (as in every observed body) when there is one.
pub(crate) fn error_body(error: &ApiError) -> Value {
    let detail = match error.code {
        Some("ValidationError") => json!(error.detail),
        _ => json!(error.detail.concat()),
    };
    let mut item = json!({
        "detail": detail,
        "global_request_id": request_id(),
        "links": [],
        "related_resources": [],
        "request_id": request_id(),
        "response": null,
        "status": error.status,
    });
    if let Some(code) = error.code {
        item["code"] = json!(code);
        item["title"] = json!(code);
    }
    json!({ "errors": [item] })
}

pub(crate) fn error_reply(error: &ApiError) -> Reply {
    let reply = Reply::json(error.status, &error_body(error));
    match error.code {
        Some(code) => reply.code(code),
        None => reply,
    }
}

/// The gateway's Spring-style 404 for a missing or refused credential or an unknown route,
/// e.g. `{"timestamp":"2026-06-05T04:43:54.505+00:00","path":"/v1/volume-types","status":404,
/// "error":"Not Found","requestId":"e2dcbc11-53724"}`.
pub(crate) fn gateway_not_found(path: &str, now_ms: i64, sequence: u64) -> Reply {
    let body = json!({
        "timestamp": utc_millis(now_ms),
        "path": path,
        "status": 404,
        "error": "Not Found",
        "requestId": format!("{:08x}-{:05}", fastrand::u32(..), sequence % 100_000),
    });
    Reply::json(404, &body).code("Not Found")
}

/// The gateway's 401 for a signature it cannot validate: the body "contains HmacValidFail",
/// but its exact JSON was never captured, so the fake uses the gateway-rejection shape seen
/// for another 401 (`{status,name,message}`); `reason` says what failed.
pub(crate) fn hmac_valid_fail(reason: &str) -> Reply {
    let body = json!({
        "status": "UNAUTHORIZED",
        "name": "Request was rejected by gateway",
        "message": format!("HmacValidFail : {reason}"),
    });
    Reply::json(401, &body).code("HmacValidFail")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_shape() {
        let body = error_body(&ApiError::validation(vec!["x".into()]));
        let error = &body["errors"][0];
        assert_eq!(error["status"], 400);
        assert_eq!(error["code"], "ValidationError");
        assert_eq!(error["title"], "ValidationError");
        assert_eq!(error["detail"], json!(["x"]));
        assert!(error["response"].is_null());
        let text = error_body(&err("image_not_found", &[&"i"]));
        assert!(text["errors"][0]["detail"].is_string());
        // Documented by status only: no code to invent.
        assert_eq!(text["errors"][0]["status"], 404);
        assert!(text["errors"][0].get("code").is_none());
        assert!(text["errors"][0].get("title").is_none());
        assert!(request_id().starts_with("req-"));
        let internal = err("internal", &[]);
        assert_eq!(
            (internal.status, internal.code),
            (500, Some("ContactAdminForAssistance"))
        );
    }
}
