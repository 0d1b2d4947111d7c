//! The error type of this crate: the core error plus SCP's codes, the gateway's answers and
//! predicates.
//!
//! SCP documents no image-member error codes, so the predicates branch on the HTTP status and on
//! who answered ([`ErrorOrigin`]) first, and on codes second. The codes, their hints and the
//! predicates that only read the code are declared in `api.toml` and generated into [`codes`].

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

/// What to do about an error, where the fix is usually on the caller's side: the code's hint in
/// [`codes::TABLE`], else by the service's documented status (SCP documents statuses, not
/// codes): a 409 to an add member is already done; a 403 names who may do what.
fn hint(e: &Error) -> Option<&'static str> {
    codes::TABLE.hint_for(e).or_else(|| {
        let s = e.as_service_error()?;
        if s.origin() != ErrorOrigin::Api {
            return None;
        }
        match s.http_status() {
            409 if is_member_conflict(s.code()) => {
                Some("the account already is a member of the image: treat it as done")
            }
            403 => Some(FORBIDDEN_HINT),
            _ => None,
        }
    })
}

fn is_member_conflict(code: &str) -> bool {
    code != codes::IMAGE_NOT_ACTIVE
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

    /// The service answered 409 to an add member: the account already is a member. (A 409
    /// from `POST /share`, `ImageNotActive`, is not this.)
    pub fn is_already_member(&self) -> bool {
        self.status_from(ErrorOrigin::Api) == Some(409)
            && self.code().is_some_and(is_member_conflict)
    }

    /// The service answered 404: the image or member does not exist or is not visible to the
    /// caller. The gateway's own 404 (authentication headers missing or refused) is **not**
    /// this; see [`ScpError::is_auth_failure`].
    pub fn is_not_found(&self) -> bool {
        self.status_from(ErrorOrigin::Api) == Some(404)
    }

    /// The service answered 403: the caller may not do this (e.g. a non-owner adding members,
    /// the owner accepting its own share).
    pub fn is_forbidden(&self) -> bool {
        self.status_from(ErrorOrigin::Api) == Some(403)
    }

    /// The requested `Scp-Api-Version` is not (or no longer) served.
    pub fn is_version_unsupported(&self) -> bool {
        let Some(s) = self.service_error() else {
            return false;
        };
        if s.code() == codes::UNSUPPORTED_VERSION {
            return true;
        }
        let text = s.message().to_ascii_lowercase();
        s.http_status() == 400
            && (text.contains("unsupported version") || text.contains("no longer supported"))
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
    fn only_a_member_conflict_is_treated_as_done() {
        let not_active = service(409, codes::IMAGE_NOT_ACTIVE, ErrorOrigin::Api);
        assert!(
            !not_active.to_string().contains("treat it as done"),
            "{not_active}"
        );
        assert!(!service(404, "x", ErrorOrigin::Api).is_forbidden());
        assert!(!service(403, "x", ErrorOrigin::Gateway).is_forbidden());
        assert!(service(403, "x", ErrorOrigin::Api).is_forbidden());
    }

    #[test]
    fn an_unsupported_version_is_read_from_a_400_message_too() {
        let yes = |status, message| with_message(status, "x", message).is_version_unsupported();
        assert!(yes(400, "Unsupported version 20230101"));
        assert!(yes(400, "API version 20230101 is no longer supported"));
        assert!(!yes(404, "unsupported version"));
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

    #[test]
    fn predicates() {
        let conflict = service(409, codes::IMAGE_MEMBER_ALREADY_EXISTS, ErrorOrigin::Api);
        assert!(conflict.is_already_member());
        assert!(
            conflict.to_string().contains("treat it as done"),
            "{conflict}"
        );
        assert!(!service(409, codes::IMAGE_NOT_ACTIVE, ErrorOrigin::Api).is_already_member());
        let gw = service(404, codes::GATEWAY_NOT_FOUND, ErrorOrigin::Gateway);
        assert!(!gw.is_not_found());
        assert!(gw.is_auth_failure());
        assert!(gw.is_gateway());
        assert!(service(404, codes::IMAGE_NOT_FOUND, ErrorOrigin::Api).is_not_found());
        assert!(
            service(400, codes::UNSUPPORTED_VERSION, ErrorOrigin::Api).is_version_unsupported()
        );
        assert!(service(401, codes::HMAC_VALID_FAIL, ErrorOrigin::Gateway).is_signature_failure());
        assert_eq!(classify(429, "x"), ErrorKind::Throttling);
        assert_eq!(classify(503, "x"), ErrorKind::Server);
        assert_eq!(classify(409, "x"), ErrorKind::Client);
    }

    // Catches: the real 403 (SCP documents only the status, so its code is not one of ours)
    // for adding a member to an image that is not `shared` losing the visibility hint that
    // only the fake's own `ImageNotShared` code carried.
    #[test]
    fn the_documented_403_gives_the_visibility_hint() {
        let body = br#"{"errors":[{"code":"Forbidden","title":"Forbidden","detail":"Forbidden","status":403,"request_id":"req-5b2c","global_request_id":"req-9d1e","links":[],"related_resources":[],"response":null}]}"#;
        let mut response =
            imgshare_core::HttpResponse::new(403).with_header("content-type", "application/json");
        response.body = body.to_vec();
        let Err(core) = crate::protocol::check(&response) else {
            panic!("a 403 is an error");
        };
        let err = ScpError::from(core);
        assert!(err.is_forbidden(), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("visibility"), "{text}");
        assert!(text.contains("Visibility::Shared"), "{text}");
        // Whatever code the envelope carries.
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
        // A code's hint comes before the 409 "already a member" rule.
        let not_shared = service(409, codes::IMAGE_NOT_SHARED, ErrorOrigin::Api);
        assert!(not_shared.is_image_not_shared());
        assert!(
            not_shared.to_string().contains("visibility"),
            "{not_shared}"
        );
        // Codes match whoever answered: the origin only documents them.
        assert!(service(401, codes::HMAC_VALID_FAIL, ErrorOrigin::Api).is_signature_failure());
        assert!(service(400, codes::REQUEST_VALIDATION, ErrorOrigin::Api).is_validation_error());
        assert!(service(417, codes::WAF_BLOCKED, ErrorOrigin::Gateway).is_waf_blocked());
        // Throttling by code whatever the status, and by status whatever the code.
        assert_eq!(
            classify(500, codes::TOO_MANY_REQUESTS),
            ErrorKind::Throttling
        );
        assert_eq!(classify(400, "ApiRateLimit"), ErrorKind::Throttling);
        assert_eq!(
            classify(429, codes::VALIDATION_ERROR),
            ErrorKind::Throttling
        );
        assert_eq!(classify(500, codes::CONTACT_ADMIN), ErrorKind::Server);
        assert_eq!(classify(400, codes::CONTACT_ADMIN), ErrorKind::Client);
    }
}
