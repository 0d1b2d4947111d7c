//! The two error envelopes (ncloud.md §4.4, §4.5) and the codes the fake
//! answers with.

use super::render::{Format, object, render, text};
use crate::harness::Reply;

/// `responseError.returnCode` values the fake answers with.
///
/// Only [`IMAGE_NOT_FOUND`](codes::IMAGE_NOT_FOUND) and
/// [`TRY_AGAIN_LATER`](codes::TRY_AGAIN_LATER) come from ncloud.md
/// (§4.6). The notes list no image-sharing error codes (§4.6, §8 question 5),
/// so every other code here is **the fake's own choice**, in a `990xx` range
/// that no source mentions; match on them only in tests against this fake.
pub mod codes {
    /// `1104037` "The server image could not be found." (§4.6, TF issue
    /// #567), HTTP 400. The fake uses it for every unknown image number in
    /// all three families, and for images the caller can neither own nor
    /// see.
    pub const IMAGE_NOT_FOUND: &str = "1104037";
    /// `1000` "Please try your call again later." with HTTP 500 (§4.4, §4.6);
    /// only from [`NcloudFault::TryAgainLater`](crate::NcloudFault::TryAgainLater).
    pub const TRY_AGAIN_LATER: &str = "1000";
    /// A required parameter is missing or empty (fake's choice), HTTP 400.
    pub const MISSING_PARAMETER: &str = "99001";
    /// A parameter value is malformed or out of range: a non-numeric image
    /// number, `pageSize` outside its range, an unknown code value, a bad
    /// `name.N` index, a repeated parameter (fake's choice), HTTP 400.
    pub const INVALID_PARAMETER: &str = "99002";
    /// A target login id names no account the fake knows (fake's choice),
    /// HTTP 400.
    pub const LOGIN_ID_NOT_FOUND: &str = "99003";
    /// The owner listed its own login id as a target (fake's choice),
    /// HTTP 400.
    pub const SELF_SHARE: &str = "99004";
    /// The same login id appears twice in one `targetLoginIdList` (Classic
    /// docs: "It can't be duplicated", §3.7; applied to all families),
    /// HTTP 400.
    pub const DUPLICATED_LOGIN_ID: &str = "99005";
    /// Sharing was changed on an image whose status is not `CREAT` (fake's
    /// choice), HTTP 400.
    pub const IMAGE_NOT_SHAREABLE: &str = "99006";
    /// A KVM image number was used with the member-server-image API, which
    /// the docs say does not support KVM (§3.1, §3.6), HTTP 400.
    pub const KVM_NOT_SUPPORTED: &str = "99007";
    /// A recipient of a shared image tried to change its sharing (fake's
    /// choice), HTTP 400.
    pub const NOT_OWNER: &str = "99008";
}

/// A service-level error: `responseError {returnCode, returnMessage}`
/// (§4.4), in the requested format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl ApiError {
    /// HTTP 400, as the notes report for validation and business errors.
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn missing(name: &str) -> Self {
        ApiError::new(
            codes::MISSING_PARAMETER,
            format!("The required parameter `{name}` is missing."),
        )
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        ApiError::new(codes::INVALID_PARAMETER, message)
    }

    pub(crate) fn reply(&self, format: Format) -> Reply {
        let body = object(vec![
            ("returnCode", text(self.code)),
            ("returnMessage", text(&self.message)),
        ]);
        let body = render(format, "responseError", &body);
        Reply::raw(self.status, body, format.content_type()).code(self.code)
    }
}

/// `Err` of a new [`ApiError`].
pub(crate) fn fail<T>(code: &'static str, message: impl Into<String>) -> Result<T, ApiError> {
    Err(ApiError::new(code, message))
}

/// `Err` of an invalid-parameter [`ApiError`].
pub(crate) fn invalid<T>(message: impl Into<String>) -> Result<T, ApiError> {
    Err(ApiError::invalid(message))
}

/// An API Gateway error: `{"error":{"errorCode","message","details"}}`,
/// compact JSON whatever `responseFormatType` says (§4.5; the XML form is
/// not known, §8 question 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GatewayError {
    pub(crate) status: u16,
    pub(crate) code: &'static str,
    pub(crate) message: &'static str,
    pub(crate) details: String,
}

impl GatewayError {
    fn new(status: u16, code: &'static str, message: &'static str, details: String) -> Self {
        GatewayError {
            status,
            code,
            message,
            details,
        }
    }

    /// 400 / `100` Bad Request Exception (protocol or encoding error).
    pub(crate) fn bad_request(details: impl Into<String>) -> Self {
        GatewayError::new(400, "100", "Bad Request Exception", details.into())
    }

    /// 401 / `200` Authentication Failed (key, signature or timestamp).
    pub(crate) fn auth_failed(details: impl Into<String>) -> Self {
        GatewayError::new(401, "200", "Authentication Failed", details.into())
    }

    /// 404 / `300` Not Found Exception.
    pub(crate) fn not_found(details: impl Into<String>) -> Self {
        GatewayError::new(404, "300", "Not Found Exception", details.into())
    }

    /// 429 / `400` Quota Exceeded.
    pub(crate) fn quota_exceeded() -> Self {
        GatewayError::new(429, "400", "Quota Exceeded", String::new())
    }

    /// 429 / `410` Throttle Limited.
    pub(crate) fn throttle_limited() -> Self {
        GatewayError::new(429, "410", "Throttle Limited", String::new())
    }

    /// 429 / `420` Rate Limited.
    pub(crate) fn rate_limited(details: impl Into<String>) -> Self {
        GatewayError::new(429, "420", "Rate Limited", details.into())
    }

    /// 503 / `500` Endpoint Error (TF issue #68).
    pub(crate) fn endpoint_error() -> Self {
        GatewayError::new(503, "500", "Endpoint Error", String::new())
    }

    /// 504 / `510` Endpoint Timeout.
    pub(crate) fn endpoint_timeout() -> Self {
        GatewayError::new(504, "510", "Endpoint Timeout", String::new())
    }

    /// Compact JSON, in this field order.
    pub(crate) fn body(&self) -> String {
        let fields = vec![
            ("errorCode", text(self.code)),
            ("message", text(self.message)),
            ("details", text(&self.details)),
        ];
        serde_json::to_string(&object(vec![("error", object(fields))])).unwrap_or_default()
    }

    pub(crate) fn reply(&self) -> Reply {
        Reply::raw(self.status, self.body(), "application/json;charset=UTF-8").code(self.code)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn gateway_body_is_compact_json() {
        let e = GatewayError::auth_failed("This account is not allowed.");
        assert_eq!(
            e.body(),
            r#"{"error":{"errorCode":"200","message":"Authentication Failed","details":"This account is not allowed."}}"#
        );
        let v: serde_json::Value = serde_json::from_str(&e.body()).unwrap();
        assert_eq!(v["error"]["errorCode"], "200");
    }
}
