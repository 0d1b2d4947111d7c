//! The error type of this crate: the core error plus SCP's codes, the gateway's answers and
//! predicates.
//!
//! SCP documents the image-member errors by HTTP status alone (403, 404, 409; no body, no code)
//! and no image-member code was ever observed, so the predicates branch on the status and on
//! who answered ([`ErrorOrigin`]); only codes seen live (or given by this crate to answers that
//! carry none) are in [`codes`], declared in `api.toml` with their hints and the predicates that
//! only read the code.

use imgshare_core::{Error, ErrorKind, ErrorMetadata, ErrorOrigin};

pub mod codes;

/// How an SCP error bears on retrying: a code's own kind in [`codes::TABLE`] first; then 429 and
/// throttling-like codes are throttling, 5xx are server errors, the rest client errors.
pub fn classify(status: u16, code: &str) -> ErrorKind {
    if let Some(kind) = codes::TABLE.kind(ErrorOrigin::Api, code) {
        return kind;
    }
    let lower = code.to_ascii_lowercase();
    if status == 429
        || lower.contains("toomanyrequests")
        || lower.contains("throttl")
        || lower.contains("ratelimit")
    {
        ErrorKind::Throttling
    } else if status >= 500 {
        ErrorKind::Server
    } else {
        ErrorKind::Client
    }
}

/// The hint for the service's 403. SCP documents the status only ("403 Forbidden", no body, no
/// code), so it is keyed on the status, whatever code the envelope carries.
const FORBIDDEN_HINT: &str = "SCP refused the call (403): only the image's owner adds or removes members, and only while the image's visibility is shared (update_image().visibility(Visibility::Shared)); only the recipient accepts or rejects";

/// The hint for the service's 409. SCP documents the status for add member and `POST /share`;
/// Glance, whose member API SCP's follows, answers an add with 409 when the account already is a
/// member.
const CONFLICT_HINT: &str = "SCP answers 409 to an add member when the account already is a member of the image: treat that as done (Client::share checks and says so)";

/// The hint for a version the service does not serve.
const VERSION_HINT: &str =
    "the service does not serve this Scp-Api-Version: use ApiVersion::V1_3 (the default)";

/// What to do about an error, where the fix is usually on the caller's side: the code's hint in
/// [`codes::TABLE`], else by the service's documented status (SCP documents statuses, not
/// codes): a 409 names the add member case; a 403 names who may do what.
fn hint(e: &Error) -> Option<&'static str> {
    codes::TABLE.hint_for(e).or_else(|| {
        let s = e.as_service_error()?;
        if s.origin() != ErrorOrigin::Api {
            return None;
        }
        if says_version_unsupported(s) {
            return Some(VERSION_HINT);
        }
        match s.http_status() {
            409 => Some(CONFLICT_HINT),
            403 => Some(FORBIDDEN_HINT),
            _ => None,
        }
    })
}

/// A 4xx from the service whose message says the version is not served: "… is an Unsupported
/// version" (the official SDK's words for it) or "no longer supported" (the reference's words for
/// a deprecated version past its Not Before date). SCP's own answer was never observed.
fn says_version_unsupported(s: &imgshare_core::ServiceError) -> bool {
    let text = s.message().to_ascii_lowercase();
    (400..500).contains(&s.http_status())
        && (text.contains("unsupported version") || text.contains("no longer supported"))
}

imgshare_core::provider_error! {
    /// An error from an SCP operation: bad input, credentials, transport, an unreadable
    /// response, a service error with SCP's code, detail and request id, or an answer of the
    /// gateway in front of the service ([`ErrorMetadata::is_gateway`]).
    ///
    /// The shared metadata (`code()`, `message()`, `request_id()`, `is_throttling()`, …) comes
    /// from [`ErrorMetadata`]; SCP extras are in [`ServiceError::details`](imgshare_core::ServiceError::details):
    /// `title`, `global_request_id`, and one `detail` per detail line. Display prints the code,
    /// the message and the request id, then a hint where the fix is usually on the caller's side.
    pub struct ScpError;
    hint: hint
}

impl ScpError {
    /// The core error.
    pub fn as_core(&self) -> &Error {
        ErrorMetadata::as_core(self)
    }

    fn status_from(&self, origin: ErrorOrigin) -> Option<u16> {
        self.service_error()
            .filter(|s| s.origin() == origin)
            .map(|s| s.http_status())
    }

    /// The service answered 409, which to an add member means the account already is a member.
    ///
    /// Keyed on the status alone: SCP documents 409 for add member (and for `POST /share`,
    /// meaning undocumented) with no body and no code; "already a member" is Glance's meaning,
    /// assumed. Only read it after an add member; [`Client::share`](crate::Client::share) also
    /// checks with show member before saying so.
    pub fn is_already_member(&self) -> bool {
        self.status_from(ErrorOrigin::Api) == Some(409)
    }

    /// The service answered 404: the image or member does not exist or is not visible to the
    /// caller. Keyed on the status (documented, with no body or code) and on who answered: the
    /// gateway's own 404 (authentication headers missing or refused) is **not** this; see
    /// [`ScpError::is_auth_failure`].
    pub fn is_not_found(&self) -> bool {
        self.status_from(ErrorOrigin::Api) == Some(404)
    }

    /// The service answered 403: the caller may not do this (a non-owner adding members, the
    /// owner accepting its own share, or, for add member, an image whose visibility is not
    /// `shared`, Glance's reason for it). Keyed on the status, which SCP documents with no body
    /// and no code; its hint names every case.
    pub fn is_forbidden(&self) -> bool {
        self.status_from(ErrorOrigin::Api) == Some(403)
    }

    /// The requested `Scp-Api-Version` is not (or no longer) served: a 4xx from the service
    /// whose message says "Unsupported version" (the official SDK's wording) or "no longer
    /// supported" (the reference's, for a deprecated version). SCP's own answer was never
    /// observed, so this keys on that wording, assumed.
    pub fn is_version_unsupported(&self) -> bool {
        self.service_error().is_some_and(says_version_unsupported)
    }

    /// Authentication failed: the gateway's 401 (`HmacValidFail`, or any other 401), or its 404
    /// answer to missing or refused authentication headers ([`codes::GATEWAY_NOT_FOUND`]).
    pub fn is_auth_failure(&self) -> bool {
        let Some(s) = self.service_error() else {
            return false;
        };
        s.http_status() == 401
            || s.code() == codes::HMAC_VALID_FAIL
            || s.code() == codes::GATEWAY_NOT_FOUND
            || s.code().contains("AuthNFailed")
    }

    /// The `detail` lines of the service's error (one for a string `detail`, several for a
    /// list).
    pub fn detail_lines(&self) -> Vec<&str> {
        self.service_error()
            .map(|s| {
                s.details()
                    .iter()
                    .filter(|(n, _)| n == "detail")
                    .map(|(_, v)| v.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The `global_request_id`, which SCP support may ask for besides the request id.
    pub fn global_request_id(&self) -> Option<&str> {
        self.service_error()?.detail("global_request_id")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imgshare_core::ServiceError;

    fn service(status: u16, code: &str, origin: ErrorOrigin) -> ScpError {
        ScpError::from(Error::Service(
            ServiceError::new(code, "m", status, classify(status, code))
                .with_request_id(Some("req-1".into()))
                .with_origin(origin),
        ))
    }

    fn with_message(status: u16, code: &str, message: &str) -> ScpError {
        ScpError::from(Error::Service(
            ServiceError::new(code, message, status, classify(status, code))
                .with_origin(ErrorOrigin::Api),
        ))
    }

    #[test]
    fn unknown_codes_are_classified_by_their_words_then_by_status() {
        for code in ["Throttled", "RequestThrottling", "TooManyRequestsPerUser"] {
            assert_eq!(classify(400, code), ErrorKind::Throttling, "{code}");
        }
        assert_eq!(classify(500, "x"), ErrorKind::Server);
        assert_eq!(classify(499, "x"), ErrorKind::Client);
    }

    #[test]
    fn only_the_service_answers_are_read_by_status() {
        let done = |origin| {
            service(409, "x", origin)
                .to_string()
                .contains("treat that as done")
        };
        assert!(done(ErrorOrigin::Api));
        assert!(!done(ErrorOrigin::Gateway));
        assert!(!service(404, "x", ErrorOrigin::Api).is_forbidden());
        assert!(!service(403, "x", ErrorOrigin::Gateway).is_forbidden());
        assert!(service(403, "x", ErrorOrigin::Api).is_forbidden());
    }

    #[test]
    fn an_unsupported_version_is_read_from_a_400_message_too() {
        let yes = |status, message| with_message(status, "x", message).is_version_unsupported();
        assert!(yes(400, "Unsupported version 20230101"));
        assert!(yes(400, "API version 20230101 is no longer supported"));
        assert!(!yes(500, "unsupported version"));
        assert!(!yes(400, "bad request"));
    }

    #[test]
    fn auth_failure_is_any_401_or_an_auth_code() {
        assert!(service(401, "Unauthorized", ErrorOrigin::Gateway).is_auth_failure());
        assert!(service(400, codes::HMAC_VALID_FAIL, ErrorOrigin::Gateway).is_auth_failure());
        assert!(service(403, "IamAuthNFailed", ErrorOrigin::Gateway).is_auth_failure());
        assert!(!service(400, "x", ErrorOrigin::Api).is_auth_failure());
    }

    #[test]
    fn detail_lines_and_the_global_request_id_are_read_from_the_details() {
        let err = ScpError::from(Error::Service(
            ServiceError::new("x", "m", 400, ErrorKind::Client)
                .with_detail("title", "t")
                .with_detail("detail", "a")
                .with_detail("global_request_id", "g-1")
                .with_detail("detail", "b"),
        ));
        assert_eq!(err.detail_lines(), ["a", "b"]);
        assert_eq!(err.global_request_id(), Some("g-1"));
        let bare = service(400, "x", ErrorOrigin::Api);
        assert!(bare.detail_lines().is_empty());
        assert_eq!(bare.global_request_id(), None);
    }

    /// The service's envelope as the fake answers what SCP documents by status only: no
    /// `code`, no `title`.
    fn uncoded(status: u16, detail: &str) -> ScpError {
        let body = serde_json::json!({"errors": [{
            "detail": detail, "status": status, "request_id": "req-1",
            "global_request_id": "req-2", "links": [], "related_resources": [], "response": null,
        }]});
        let mut response = imgshare_core::HttpResponse::new(status)
            .with_header("content-type", "application/json");
        response.body = body.to_string().into_bytes();
        let Err(core) = crate::protocol::check(&response) else {
            panic!("{status} is an error");
        };
        ScpError::from(core)
    }

    // Catches: a predicate keyed on a code SCP never sends (the fake's old `ImageNotFound`,
    // `ImageMemberAlreadyExists`, `UnsupportedVersion`), so the real, code-less answers miss it.
    #[test]
    fn predicates_key_on_status_and_wording_not_on_codes() {
        let conflict = uncoded(409, "Account x is already a member of image y.");
        assert!(conflict.is_already_member());
        assert!(
            conflict.to_string().contains("treat that as done"),
            "{conflict}"
        );
        assert_eq!(conflict.code(), Some("HTTP409"));
        assert!(uncoded(404, "Image y could not be found.").is_not_found());
        assert!(!uncoded(404, "x").is_already_member());
        let version = uncoded(400, "virtualserver 9.9 is an Unsupported version.");
        assert!(version.is_version_unsupported());
        assert!(
            version.to_string().contains("ApiVersion::V1_3"),
            "{version}"
        );
        assert!(
            uncoded(400, "virtualserver 1.1 is a deprecated version past its Not Before date and is no longer supported.")
                .is_version_unsupported()
        );
        assert!(!uncoded(400, "Field \"name\" is invalid.").is_version_unsupported());
        assert!(!uncoded(500, "Unsupported version").is_version_unsupported());
        let gw = service(404, codes::GATEWAY_NOT_FOUND, ErrorOrigin::Gateway);
        assert!(!gw.is_not_found());
        assert!(gw.is_auth_failure());
        assert!(gw.is_gateway());
        assert!(!service(409, "X", ErrorOrigin::Gateway).is_already_member());
        assert!(service(401, codes::HMAC_VALID_FAIL, ErrorOrigin::Gateway).is_signature_failure());
        assert_eq!(classify(429, "x"), ErrorKind::Throttling);
        assert_eq!(classify(503, "x"), ErrorKind::Server);
        assert_eq!(classify(409, "x"), ErrorKind::Client);
    }

    // Catches: the real 403 (SCP documents only the status, so it carries no code of ours)
    // for adding a member to an image that is not `shared` losing the visibility hint.
    #[test]
    fn the_documented_403_gives_the_visibility_hint() {
        let err = uncoded(403, "Forbidden");
        assert!(err.is_forbidden(), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("visibility"), "{text}");
        assert!(text.contains("Visibility::Shared"), "{text}");
        // Whatever code the envelope carries, if any.
        assert!(
            service(403, "SomethingElse", ErrorOrigin::Api)
                .to_string()
                .contains("visibility")
        );
        // Not the gateway's 403s.
        assert!(service(403, "X", ErrorOrigin::Gateway).hint().is_none());
    }

    #[test]
    fn codes_and_statuses_keep_their_order() {
        // A code's hint comes before the status rules.
        let signature = service(403, codes::HMAC_VALID_FAIL, ErrorOrigin::Api);
        assert!(signature.to_string().contains("secret key"), "{signature}");
        assert!(!signature.to_string().contains("visibility"), "{signature}");
        // Codes match whoever answered: the origin only documents them.
        assert!(service(401, codes::HMAC_VALID_FAIL, ErrorOrigin::Api).is_signature_failure());
        assert!(service(400, codes::REQUEST_VALIDATION, ErrorOrigin::Api).is_validation_error());
        assert!(service(417, codes::WAF_BLOCKED, ErrorOrigin::Gateway).is_waf_blocked());
        // Throttling by code-like words whatever the status, and by status whatever the code.
        assert_eq!(classify(500, "TooManyRequests"), ErrorKind::Throttling);
        assert_eq!(classify(400, "ApiRateLimit"), ErrorKind::Throttling);
        assert_eq!(
            classify(429, codes::VALIDATION_ERROR),
            ErrorKind::Throttling
        );
        assert_eq!(classify(500, codes::CONTACT_ADMIN), ErrorKind::Server);
        assert_eq!(classify(400, codes::CONTACT_ADMIN), ErrorKind::Client);
    }

    // Catches: a code the real cloud never sends creeping back into the table.
    #[test]
    fn the_table_holds_only_observed_or_own_codes() {
        let table: Vec<&str> = codes::TABLE.codes().iter().map(|c| c.code()).collect();
        assert_eq!(
            table,
            [
                // Observed live.
                codes::VALIDATION_ERROR,
                codes::CONTACT_ADMIN,
                codes::HMAC_VALID_FAIL,
                // Given by this crate to answers that carry no code.
                codes::GATEWAY_NOT_FOUND,
                codes::GATEWAY_REJECTED,
                codes::WAF_BLOCKED,
                codes::REQUEST_VALIDATION,
            ]
        );
    }
}
