//! The error type of this crate: the core error plus NCP's codes, their classification and
//! predicates.
//!
//! NCP answers errors in two shapes (ncloud.md §4.4–§4.5):
//!
//! - the API's `responseError {returnCode, returnMessage}` (JSON or XML, usually HTTP 400 or
//!   500, tolerated at 200), kept with [`ErrorOrigin::Api`];
//! - the API Gateway's `{"error": {"errorCode", "message", "details"}}`, kept with
//!   [`ErrorOrigin::Gateway`] and `details` as the
//!   `details` detail. Gateway `errorCode` `200` means **authentication failure**, not success.
//!
//! Gateway and API codes overlap (`"200"`, `"500"`), so the predicates look at the origin too.

use imgshare_core::{Error, ErrorKind, ErrorMetadata, ErrorOrigin};

/// Known codes (ncloud.md §4.5, §4.6).
pub mod codes {
    /// Gateway: bad request (protocol or encoding), HTTP 400.
    pub const GW_BAD_REQUEST: &str = "100";
    /// Gateway: authentication failed (key, signature or timestamp), HTTP 401.
    pub const GW_AUTHENTICATION_FAILED: &str = "200";
    /// Gateway: permission denied, HTTP 401.
    pub const GW_PERMISSION_DENIED: &str = "210";
    /// Gateway: forbidden, HTTP 403.
    pub const GW_FORBIDDEN: &str = "230";
    /// Gateway: not found (unknown action or path), HTTP 404.
    pub const GW_NOT_FOUND: &str = "300";
    /// Gateway: quota exceeded, HTTP 429.
    pub const GW_QUOTA_EXCEEDED: &str = "400";
    /// Gateway: throttle limited, HTTP 429.
    pub const GW_THROTTLE_LIMITED: &str = "410";
    /// Gateway: rate limited, HTTP 429.
    pub const GW_RATE_LIMITED: &str = "420";
    /// Gateway: request entity too large, HTTP 413.
    pub const GW_ENTITY_TOO_LARGE: &str = "430";
    /// Gateway: endpoint error (backend unreachable), HTTP 503.
    pub const GW_ENDPOINT_ERROR: &str = "500";
    /// Gateway: endpoint timeout, HTTP 504.
    pub const GW_ENDPOINT_TIMEOUT: &str = "510";
    /// Gateway: unexpected error, HTTP 500.
    pub const GW_UNEXPECTED_ERROR: &str = "900";

    /// API: "Expired url." (legacy, HTTP 401).
    pub const EXPIRED_URL: &str = "800";
    /// API: "Please try your call again later." (HTTP 500, transient).
    pub const TRY_AGAIN_LATER: &str = "1000";
    /// API: unknown error.
    pub const UNKNOWN: &str = "1300";
    /// API: "The server image could not be found."
    pub const SERVER_IMAGE_NOT_FOUND: &str = "1104037";
}

/// Whether a gateway code is throttling (`400`, `410`, `420`).
fn gateway_throttling(code: &str) -> bool {
    matches!(
        code,
        codes::GW_QUOTA_EXCEEDED | codes::GW_THROTTLE_LIMITED | codes::GW_RATE_LIMITED
    )
}

/// How a gateway `errorCode` bears on retrying: `400`/`410`/`420` (HTTP 429) are throttling;
/// `500`/`510` (HTTP 503/504) and `900` are server errors, retried for reads; the rest (`200`
/// authentication, `210`, `300`, …) are client errors. An unknown code falls back to the HTTP
/// status.
pub fn classify_gateway(code: &str, http_status: u16) -> ErrorKind {
    if gateway_throttling(code) || http_status == 429 {
        ErrorKind::Throttling
    } else if matches!(
        code,
        codes::GW_ENDPOINT_ERROR | codes::GW_ENDPOINT_TIMEOUT | codes::GW_UNEXPECTED_ERROR
    ) {
        ErrorKind::Server
    } else if matches!(
        code,
        codes::GW_BAD_REQUEST
            | codes::GW_AUTHENTICATION_FAILED
            | codes::GW_PERMISSION_DENIED
            | codes::GW_FORBIDDEN
            | codes::GW_NOT_FOUND
            | codes::GW_ENTITY_TOO_LARGE
    ) {
        ErrorKind::Client
    } else {
        imgshare_core::error::status_kind(http_status)
    }
}

/// How an API `returnCode` bears on retrying: `1000` ("try again later") and any code at HTTP
/// 5xx are server errors; HTTP 429 is throttling; the rest are client errors.
pub fn classify_api(code: &str, http_status: u16) -> ErrorKind {
    if http_status == 429 {
        ErrorKind::Throttling
    } else if code == codes::TRY_AGAIN_LATER || (500..=599).contains(&http_status) {
        ErrorKind::Server
    } else {
        ErrorKind::Client
    }
}

/// What to do about an error, where the fix is usually on the caller's side.
pub fn hint(error: &Error) -> Option<&'static str> {
    let service = error.as_service_error()?;
    let code = service.code();
    Some(match (service.origin(), code) {
        (ErrorOrigin::Gateway, codes::GW_AUTHENTICATION_FAILED) => {
            "check the access key and secret (NCLOUD_ACCESS_KEY_ID / NCLOUD_SECRET_ACCESS_KEY or \
             ~/.ncloud/configure), and that this machine's clock is within 5 minutes of NCP's"
        }
        (ErrorOrigin::Gateway, codes::GW_PERMISSION_DENIED | codes::GW_FORBIDDEN) => {
            "the key has no permission for the Server API: check the sub account's policies"
        }
        (ErrorOrigin::Gateway, codes::GW_NOT_FOUND) => {
            "the gateway knows no such action: check the endpoint (NCLOUD_API_GW) and the site"
        }
        (ErrorOrigin::Gateway, c) if gateway_throttling(c) => {
            "NCP's gateway is throttling this key: slow down or raise the retry backoff"
        }
        (ErrorOrigin::Api, codes::SERVER_IMAGE_NOT_FOUND) => {
            "check the image number and the region (regionCode): images are regional"
        }
        _ => return None,
    })
}

imgshare_core::provider_error! {
    /// An error from an NCP operation: bad input, credentials, transport, an unreadable
    /// response, or a service error (API `responseError` or API Gateway `error`) with NCP's
    /// code, message and request id.
    ///
    /// The shared metadata (`code()`, `message()`, `request_id()`, `is_throttling()`,
    /// `is_gateway()`, …) comes from [`ErrorMetadata`]; the predicates below name NCP's codes.
    /// Display prints the code, the message and the request id, then a hint where the fix is
    /// usually on the caller's side ([`hint`]).
    pub struct NcloudError;
    hint: hint
}

impl NcloudError {
    /// The core error.
    pub fn as_core(&self) -> &Error {
        ErrorMetadata::as_core(self)
    }

    fn origin_code(&self) -> Option<(ErrorOrigin, &str)> {
        self.service_error().map(|s| (s.origin(), s.code()))
    }

    /// The gateway rejected the credentials (gateway `errorCode` `200`: wrong key, signature
    /// or timestamp), or the API answered `800` "Expired url.".
    pub fn is_auth_failure(&self) -> bool {
        matches!(
            self.origin_code(),
            Some((ErrorOrigin::Gateway, codes::GW_AUTHENTICATION_FAILED))
                | Some((ErrorOrigin::Api, codes::EXPIRED_URL))
        )
    }

    /// The gateway denied permission (`210`) or forbade the call (`230`).
    pub fn is_permission_denied(&self) -> bool {
        matches!(
            self.origin_code(),
            Some((
                ErrorOrigin::Gateway,
                codes::GW_PERMISSION_DENIED | codes::GW_FORBIDDEN
            ))
        )
    }

    /// The gateway throttled the call (`400`, `410`, `420` at HTTP 429).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self.origin_code(), Some((ErrorOrigin::Gateway, c)) if gateway_throttling(c))
    }

    /// The gateway could not reach or wait for the API (`500` Endpoint Error, `510` Endpoint
    /// Timeout) — transient.
    pub fn is_endpoint_error(&self) -> bool {
        matches!(
            self.origin_code(),
            Some((
                ErrorOrigin::Gateway,
                codes::GW_ENDPOINT_ERROR | codes::GW_ENDPOINT_TIMEOUT
            ))
        )
    }

    /// The API asked to try again later (`1000`).
    pub fn is_try_again_later(&self) -> bool {
        matches!(
            self.origin_code(),
            Some((ErrorOrigin::Api, codes::TRY_AGAIN_LATER))
        )
    }

    /// The image was not found: `1104037`, or another API code whose message says an image was
    /// not found (NCP documents no list of image codes, ncloud.md §4.6).
    pub fn is_image_not_found(&self) -> bool {
        match self.service_error() {
            Some(s) if s.origin() == ErrorOrigin::Api => {
                let m = s.message().to_ascii_lowercase();
                s.code() == codes::SERVER_IMAGE_NOT_FOUND
                    || (m.contains("image")
                        && (m.contains("not found") || m.contains("could not be found")))
            }
            _ => false,
        }
    }

    /// The API says a login id is already shared with. NCP documents no code for it
    /// (ncloud.md §8 question 5), so this reads the message.
    pub fn is_already_shared(&self) -> bool {
        match self.service_error() {
            Some(s) if s.origin() == ErrorOrigin::Api => {
                let m = s.message().to_ascii_lowercase();
                m.contains("already") && m.contains("shar")
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imgshare_core::ServiceError;

    fn gateway(code: &str, status: u16) -> NcloudError {
        NcloudError::from(Error::Service(
            ServiceError::new(code, "m", status, classify_gateway(code, status))
                .with_origin(ErrorOrigin::Gateway),
        ))
    }

    #[test]
    fn gateway_codes_classify() {
        for code in ["400", "410", "420"] {
            assert_eq!(classify_gateway(code, 429), ErrorKind::Throttling);
            assert!(gateway(code, 429).is_rate_limited());
        }
        assert_eq!(classify_gateway("500", 503), ErrorKind::Server);
        assert_eq!(classify_gateway("510", 504), ErrorKind::Server);
        assert_eq!(classify_gateway("200", 401), ErrorKind::Client);
        assert!(gateway("200", 401).is_auth_failure());
        assert!(gateway("200", 401).hint().is_some());
        assert_eq!(classify_api("1000", 500), ErrorKind::Server);
        assert_eq!(classify_api("1104037", 400), ErrorKind::Client);
    }

    #[test]
    fn api_code_200_is_not_an_auth_failure() {
        let e = NcloudError::from(Error::Service(ServiceError::new(
            "200",
            "m",
            400,
            ErrorKind::Client,
        )));
        assert!(!e.is_auth_failure());
    }
}
