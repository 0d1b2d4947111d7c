//! The error type of this crate: the core error plus SCP's codes, the gateway's answers and
//! predicates.
//!
//! SCP documents no image-member error codes (scp.md §4.1), so the predicates branch on the HTTP
//! status and on who answered ([`ErrorOrigin`]) first, and on codes second.

use imgshare_core::{Error, ErrorKind, ErrorMetadata, ErrorOrigin};

/// Error codes: those observed on SCP v2, the codes this crate gives the gateway's own answers
/// (which carry none), and the codes of the testkit's fake.
pub mod codes {
    /// Schema validation failed (400; `detail` lists the fields).
    pub const VALIDATION_ERROR: &str = "ValidationError";
    /// An internal error (500; observed live).
    pub const CONTACT_ADMIN: &str = "ContactAdminForAssistance";
    /// The gateway could not validate the signature (401). Also the code given to other gateway
    /// 401 rejections whose message says `HmacValidFail`.
    pub const HMAC_VALID_FAIL: &str = "HmacValidFail";
    /// Given by this crate to the gateway's Spring-style 404
    /// (`{"timestamp","path","status","error","requestId"}`): authentication headers missing
    /// or refused, or a route the gateway does not know.
    pub const GATEWAY_NOT_FOUND: &str = "GatewayNotFound";
    /// Given by this crate to the gateway's other rejections (`{"status","name","message"}`),
    /// e.g. a service the account is not entitled to.
    pub const GATEWAY_REJECTED: &str = "GatewayRejected";
    /// Given by this crate to a 417 web-application-firewall block page.
    pub const WAF_BLOCKED: &str = "WafBlocked";
    /// The requested `Scp-Api-Version` is not served (the testkit fake's code; the real body is
    /// undocumented, scp.md §7.4).
    pub const UNSUPPORTED_VERSION: &str = "UnsupportedVersion";
    /// Too many requests (429).
    pub const TOO_MANY_REQUESTS: &str = "TooManyRequests";
    /// The image does not exist or is not visible to the caller (fake).
    pub const IMAGE_NOT_FOUND: &str = "ImageNotFound";
    /// The member does not exist or is not visible to the caller (fake).
    pub const IMAGE_MEMBER_NOT_FOUND: &str = "ImageMemberNotFound";
    /// The account already is a member (fake; SCP answers 409).
    pub const IMAGE_MEMBER_ALREADY_EXISTS: &str = "ImageMemberAlreadyExists";
    /// The image's visibility is not `shared` (fake).
    pub const IMAGE_NOT_SHARED: &str = "ImageNotShared";
    /// The image is not `active` (fake, `POST /share`).
    pub const IMAGE_NOT_ACTIVE: &str = "ImageNotActive";
    /// The caller may not do this (fake).
    pub const FORBIDDEN: &str = "Forbidden";
    /// Given by this crate to a 400 answered as a list of `{loc, msg, type}` objects.
    pub const REQUEST_VALIDATION: &str = "RequestValidationError";
}

/// How an SCP error bears on retrying: 429 and throttling codes are throttling, 5xx are server
/// errors, the rest client errors.
pub fn classify(status: u16, code: &str) -> ErrorKind {
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

/// What to do about an error, where the fix is usually on the caller's side.
fn hint(e: &Error) -> Option<&'static str> {
    let s = e.as_service_error()?;
    let code = s.code();
    Some(match code {
        codes::HMAC_VALID_FAIL => {
            "the gateway refused the signature: check the secret key (SCP_SECRET_KEY or \
             ~/.scpconf/credentials.json) and this machine's clock"
        }
        codes::GATEWAY_NOT_FOUND => {
            "SCP's gateway answers 404 when the Scp-* authentication headers are missing or \
             refused: check the access key and that the endpoint is the virtualserver host"
        }
        codes::GATEWAY_REJECTED => {
            "the gateway rejected the request before the service saw it: check that the account \
             may use virtualserver in this region"
        }
        codes::WAF_BLOCKED => {
            "a web application firewall blocked the request: quote its Support ID to SCP support"
        }
        codes::UNSUPPORTED_VERSION => {
            "the service does not serve this Scp-Api-Version: use ApiVersion::V1_3 (the default)"
        }
        codes::IMAGE_NOT_SHARED => {
            "set the image's visibility to shared first (update_image().visibility(Visibility::Shared))"
        }
        _ if s.origin() == ErrorOrigin::Api
            && s.http_status() == 409
            && is_member_conflict(code) =>
        {
            "the account already is a member of the image: treat it as done"
        }
        _ => return None,
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

    /// The gateway could not validate the signature (`HmacValidFail`).
    pub fn is_signature_failure(&self) -> bool {
        self.is_code(codes::HMAC_VALID_FAIL)
    }

    /// A web application firewall blocked the request (417).
    pub fn is_waf_blocked(&self) -> bool {
        self.is_code(codes::WAF_BLOCKED)
    }

    /// Schema validation failed (400 `ValidationError`); the detail lines are
    /// [`ScpError::detail_lines`].
    pub fn is_validation_error(&self) -> bool {
        self.is_code(codes::VALIDATION_ERROR) || self.is_code(codes::REQUEST_VALIDATION)
    }

    /// The image's visibility is not `shared`, so members cannot be added.
    pub fn is_image_not_shared(&self) -> bool {
        self.is_code(codes::IMAGE_NOT_SHARED)
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
}
