//! The two error envelopes and the codes the fake
//! answers with.

use super::render::{Format, object, render, text};
use crate::harness::{Catalog, Reply, error_table};

/// `responseError.returnCode` values the fake answers with.
///
/// Only [`IMAGE_NOT_FOUND`](codes::IMAGE_NOT_FOUND) and
/// [`TRY_AGAIN_LATER`](codes::TRY_AGAIN_LATER) are documented. The docs list no
/// image-sharing error codes,
/// so every other code here is **the fake's own choice**, in a `990xx` range
/// that no source mentions; match on them only in tests against this fake.
pub mod codes {
    /// `1104037` "The server image could not be found." (as in TF issue
    /// #567), HTTP 400. The fake uses it for every unknown image number in
    /// all three families, and for images the caller can neither own nor
    /// see.
    pub const IMAGE_NOT_FOUND: &str = "1104037";
    /// `1000` "Please try your call again later." with HTTP 500;
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
    /// docs: "It can't be duplicated"; applied to all families),
    /// HTTP 400.
    pub const DUPLICATED_LOGIN_ID: &str = "99005";
    /// Sharing was changed on an image whose status is not `CREAT` (fake's
    /// choice), HTTP 400.
    pub const IMAGE_NOT_SHAREABLE: &str = "99006";
    /// A KVM image number was used with the member-server-image API, which
    /// the docs say does not support KVM, HTTP 400.
    pub const KVM_NOT_SUPPORTED: &str = "99007";
    /// A recipient of a shared image tried to change its sharing (fake's
    /// choice), HTTP 400.
    pub const NOT_OWNER: &str = "99008";
}

pub(crate) use crate::harness::ApiError;

// Validation and business errors are HTTP 400 (`errors.toml`).
error_table!(include_str!("errors.toml"), 400);

/// `responseError` in the requested format.
pub(crate) fn reply(error: &ApiError, format: Format) -> Reply {
    let body = object(vec![
        ("returnCode", text(error.code)),
        ("returnMessage", text(&error.message)),
    ]);
    let body = render(format, "responseError", &body);
    Reply::raw(error.status, body, format.content_type()).code(error.code)
}

/// The API Gateway's own errors (`gateway.toml`); each row gives its status.
static GATEWAY: Catalog = Catalog::new(include_str!("gateway.toml"), 500);

/// An API Gateway error: `{"error":{"errorCode","message","details"}}`, compact JSON whatever
/// `responseFormatType` says (its XML form is not documented).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GatewayError(ApiError, String);

impl GatewayError {
    /// The gateway error `id` of `gateway.toml`, with the fake's `details`.
    pub(crate) fn new(id: &str, details: impl Into<String>) -> Self {
        GatewayError(GATEWAY.error(id, &[]), details.into())
    }

    /// Compact JSON, in this field order.
    pub(crate) fn body(&self) -> String {
        let GatewayError(error, details) = self;
        let fields = vec![
            ("errorCode", text(error.code)),
            ("message", text(&error.message)),
            ("details", text(details)),
        ];
        serde_json::to_string(&object(vec![("error", object(fields))])).unwrap_or_default()
    }
}

/// The gateway's answer is its error, whatever the request asked for.
impl From<GatewayError> for Reply {
    fn from(error: GatewayError) -> Reply {
        let (status, code) = (error.0.status, error.0.code);
        Reply::raw(status, error.body(), "application/json;charset=UTF-8").code(code)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn the_table_uses_the_documented_codes() {
        let known = [
            codes::IMAGE_NOT_FOUND,
            codes::MISSING_PARAMETER,
            codes::INVALID_PARAMETER,
            codes::LOGIN_ID_NOT_FOUND,
            codes::SELF_SHARE,
            codes::DUPLICATED_LOGIN_ID,
            codes::IMAGE_NOT_SHAREABLE,
            codes::KVM_NOT_SUPPORTED,
            codes::NOT_OWNER,
        ];
        let ids = ERRORS.ids();
        assert_eq!(ids.len(), 20);
        for id in ids {
            assert!(known.contains(&err(id, &[]).code), "{id}");
        }
    }

    /// Every gateway error has its documented status and `errorCode` (a missing row fails a
    /// debug assertion).
    #[test]
    fn the_gateway_table_has_every_kind() {
        let kinds = [
            ("bad_request", 400, "100", "Bad Request Exception"),
            ("auth_failed", 401, "200", "Authentication Failed"),
            ("not_found", 404, "300", "Not Found Exception"),
            ("quota_exceeded", 429, "400", "Quota Exceeded"),
            ("throttle_limited", 429, "410", "Throttle Limited"),
            ("rate_limited", 429, "420", "Rate Limited"),
            ("endpoint_error", 503, "500", "Endpoint Error"),
            ("endpoint_timeout", 504, "510", "Endpoint Timeout"),
        ];
        assert_eq!(GATEWAY.ids().len(), kinds.len());
        for (id, status, code, message) in kinds {
            let GatewayError(error, _) = GatewayError::new(id, "");
            assert_eq!(error, ApiError::new(status, code, message), "{id}");
        }
    }

    #[test]
    fn gateway_body_is_compact_json() {
        let e = GatewayError::new("auth_failed", "This account is not allowed.");
        assert_eq!(
            e.body(),
            r#"{"error":{"errorCode":"200","message":"Authentication Failed","details":"This account is not allowed."}}"#
        );
        let v: serde_json::Value = serde_json::from_str(&e.body()).unwrap();
        assert_eq!(v["error"]["errorCode"], "200");
    }
}
