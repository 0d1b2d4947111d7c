//! The error type of this crate: the core error plus NCP's codes, their classification and
//! predicates. The codes, their kinds, hints and the predicates that only read the code are
//! declared in `api.toml` and generated into [`codes`].
//!
//! NCP answers errors in two shapes:
//!
//! - the API's `responseError {returnCode, returnMessage}` (JSON or XML, usually HTTP 400 or
//!   500, tolerated at 200), kept with [`ErrorOrigin::Api`];
//! - the API Gateway's `{"error": {"errorCode", "message", "details"}}`, kept with
//!   [`ErrorOrigin::Gateway`] and `details` as the
//!   `details` detail. Gateway `errorCode` `200` means **authentication failure**, not success.
//!
//! Gateway and API codes overlap (`"200"`, `"500"`), so the table and the predicates look at the
//! origin too.

use imgshare_core::{Error, ErrorKind, ErrorMetadata, ErrorOrigin};

pub mod codes;

/// How a gateway `errorCode` bears on retrying ([`codes::TABLE`]): `400`/`410`/`420` (HTTP 429)
/// are throttling; `500`/`510` (HTTP 503/504) and `900` are server errors, retried for reads; the
/// rest (`200` authentication, `210`, `300`, …) are client errors. HTTP 429 is throttling whatever
/// the code, and an unknown code falls back to the HTTP status.
pub fn classify_gateway(code: &str, http_status: u16) -> ErrorKind {
    if http_status == 429 {
        return ErrorKind::Throttling;
    }
    codes::TABLE
        .kind(ErrorOrigin::Gateway, code)
        .unwrap_or_else(|| imgshare_core::error::status_kind(http_status))
}

/// How an API `returnCode` bears on retrying: HTTP 429 is throttling; `1000` ("try again later",
/// [`codes::TABLE`]) and any code at HTTP 5xx are server errors; the rest are client errors.
pub fn classify_api(code: &str, http_status: u16) -> ErrorKind {
    if http_status == 429 {
        ErrorKind::Throttling
    } else if (500..=599).contains(&http_status) {
        ErrorKind::Server
    } else {
        codes::TABLE
            .kind(ErrorOrigin::Api, code)
            .unwrap_or(ErrorKind::Client)
    }
}

/// What to do about an error, where the fix is usually on the caller's side ([`codes::TABLE`]).
pub fn hint(error: &Error) -> Option<&'static str> {
    codes::TABLE.hint_for(error)
}

imgshare_core::provider_error! {
    /// An error from an NCP operation: bad input, credentials, transport, an unreadable
    /// response, or a service error (API `responseError` or API Gateway `error`) with NCP's
    /// code, message and request id.
    ///
    /// The shared metadata (`code()`, `message()`, `request_id()`, `is_throttling()`,
    /// `is_gateway()`, …) comes from [`ErrorMetadata`]; its own predicates name NCP's codes
    /// (those that read only the code are generated into [`codes`]). Display prints the code,
    /// the message and the request id, then a hint where the fix is usually on the caller's side
    /// ([`hint`]).
    pub struct NcloudError;
    hint: hint
}

impl NcloudError {
    /// The core error.
    pub fn as_core(&self) -> &Error {
        ErrorMetadata::as_core(self)
    }

    /// The API's message, lower-cased, for the predicates NCP gives no code for.
    fn api_message(&self) -> Option<(&str, String)> {
        self.service_error()
            .filter(|s| s.origin() == ErrorOrigin::Api)
            .map(|s| (s.code(), s.message().to_ascii_lowercase()))
    }

    /// The image was not found: `1104037`, or another API code whose message says an image was
    /// not found (NCP documents no list of image codes).
    pub fn is_image_not_found(&self) -> bool {
        self.api_message().is_some_and(|(code, m)| {
            code == codes::SERVER_IMAGE_NOT_FOUND
                || (m.contains("image")
                    && (m.contains("not found") || m.contains("could not be found")))
        })
    }

    /// The API says a login id is already shared with. NCP documents no code for it, so this
    /// reads the message.
    pub fn is_already_shared(&self) -> bool {
        self.api_message()
            .is_some_and(|(_, m)| m.contains("already") && m.contains("shar"))
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
        // Every documented gateway code, each at an HTTP status whose own fallback would give
        // another kind, so only the code can decide (a classifier that ignored the table and
        // read the status alone fails every row).
        let cases = [
            (codes::GW_BAD_REQUEST, 503, ErrorKind::Client),
            (codes::GW_AUTHENTICATION_FAILED, 503, ErrorKind::Client),
            (codes::GW_PERMISSION_DENIED, 503, ErrorKind::Client),
            (codes::GW_FORBIDDEN, 503, ErrorKind::Client),
            (codes::GW_NOT_FOUND, 503, ErrorKind::Client),
            (codes::GW_QUOTA_EXCEEDED, 400, ErrorKind::Throttling),
            (codes::GW_THROTTLE_LIMITED, 400, ErrorKind::Throttling),
            (codes::GW_RATE_LIMITED, 400, ErrorKind::Throttling),
            (codes::GW_ENTITY_TOO_LARGE, 503, ErrorKind::Client),
            (codes::GW_ENDPOINT_ERROR, 400, ErrorKind::Server),
            (codes::GW_ENDPOINT_TIMEOUT, 400, ErrorKind::Server),
            (codes::GW_UNEXPECTED_ERROR, 400, ErrorKind::Server),
        ];
        for (code, status, kind) in cases {
            assert_ne!(
                imgshare_core::error::status_kind(status),
                kind,
                "{code}: pick a status that does not imply {kind:?}"
            );
            assert_eq!(
                classify_gateway(code, status),
                kind,
                "gateway {code} at {status}"
            );
            let e = gateway(code, status);
            assert_eq!(
                e.is_rate_limited(),
                kind == ErrorKind::Throttling,
                "is_rate_limited for {code} at {status}"
            );
        }
        for code in ["200", "210", "230"] {
            assert_eq!(
                gateway(code, 503).is_auth_failure(),
                code == "200",
                "is_auth_failure for {code}"
            );
            assert_eq!(
                gateway(code, 503).is_permission_denied(),
                code != "200",
                "is_permission_denied for {code}"
            );
            assert!(gateway(code, 503).hint().is_some(), "hint for {code}");
        }
        for code in ["500", "510"] {
            assert!(gateway(code, 400).is_endpoint_error(), "{code}");
        }
        assert!(!gateway("900", 400).is_endpoint_error());
        assert!(gateway("300", 503).hint().is_some());
        // HTTP 429 is throttling whatever the code.
        for code in ["400", "410", "420"] {
            assert_eq!(classify_gateway(code, 429), ErrorKind::Throttling);
            assert!(gateway(code, 429).is_rate_limited());
        }
        assert_eq!(classify_api("1000", 500), ErrorKind::Server);
        assert_eq!(classify_api("1104037", 400), ErrorKind::Client);
    }

    fn api_with(code: &str, message: &str) -> NcloudError {
        NcloudError::from(Error::Service(ServiceError::new(
            code,
            message,
            400,
            ErrorKind::Client,
        )))
    }

    #[test]
    fn image_not_found_by_code_or_by_message_from_the_api_only() {
        assert!(api_with(codes::SERVER_IMAGE_NOT_FOUND, "m").is_image_not_found());
        // No code for it: the API's message decides, and it must name an image.
        assert!(api_with("9999", "Image not found.").is_image_not_found());
        assert!(api_with("9999", "The image could not be found").is_image_not_found());
        assert!(!api_with("9999", "Server not found.").is_image_not_found());
        assert!(!api_with("9999", "Image is being created.").is_image_not_found());
        let from_gateway = NcloudError::from(Error::Service(
            ServiceError::new("9999", "Image not found.", 404, ErrorKind::Client)
                .with_origin(ErrorOrigin::Gateway),
        ));
        assert!(!from_gateway.is_image_not_found());
    }

    #[test]
    fn already_shared_needs_both_words() {
        assert!(api_with("9999", "Already shared with this login id").is_already_shared());
        assert!(!api_with("9999", "Already exists").is_already_shared());
        assert!(!api_with("9999", "Sharing failed").is_already_shared());
    }

    #[test]
    fn hints_are_the_tables_and_the_core_error_is_kept() {
        let e = gateway("200", 401);
        assert!(
            e.hint().is_some_and(|h| h.contains("access key")),
            "{:?}",
            e.hint()
        );
        assert!(
            hint(api_with(codes::SERVER_IMAGE_NOT_FOUND, "m").as_core())
                .is_some_and(|h| h.contains("image number"))
        );
        assert_eq!(hint(api_with("9999", "m").as_core()), None);
        assert!(matches!(e.as_core(), Error::Service(s) if s.code() == "200"));
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

    #[test]
    fn the_status_and_the_origin_keep_their_say() {
        // HTTP 429 is throttling even for a gateway code the table calls a client error.
        assert_eq!(classify_gateway("200", 429), ErrorKind::Throttling);
        // An unknown gateway code falls back to the status.
        assert_eq!(classify_gateway("777", 502), ErrorKind::Server);
        assert_eq!(classify_gateway("777", 404), ErrorKind::Client);
        // An API code at 5xx is a server error whatever the table says; `1000` at any status.
        assert_eq!(classify_api("1300", 500), ErrorKind::Server);
        assert_eq!(classify_api("1000", 400), ErrorKind::Server);
        assert_eq!(classify_api("1000", 429), ErrorKind::Throttling);
        // A gateway code from the API means nothing: no kind, no hint, no predicate.
        assert_eq!(classify_api("500", 400), ErrorKind::Client);
        let api = |code: &str| {
            NcloudError::from(Error::Service(ServiceError::new(
                code,
                "m",
                400,
                ErrorKind::Client,
            )))
        };
        assert!(!api("410").is_rate_limited());
        assert_eq!(api("210").hint(), None);
        assert!(api(codes::EXPIRED_URL).is_auth_failure());
        assert!(api(codes::SERVER_IMAGE_NOT_FOUND).is_image_not_found());
        assert!(api(codes::SERVER_IMAGE_NOT_FOUND).hint().is_some());
        assert!(!gateway(codes::SERVER_IMAGE_NOT_FOUND, 400).is_image_not_found());
        assert!(gateway("510", 504).is_endpoint_error());
        assert!(gateway("230", 403).is_permission_denied());
    }
}
