//! The error type of this crate: the core error plus Tencent's codes and predicates. The codes,
//! their kinds, hints and predicates are declared in `api.toml` and generated into [`codes`].

use imgshare_core::{Error, ErrorKind, ErrorMetadata, ErrorOrigin};

pub mod codes;

/// How a Tencent error code bears on retrying, from [`codes::TABLE`]: `RequestLimitExceeded` and
/// its subcodes are throttling; `AuthFailure.SignatureExpire` is clock skew (the timestamp was
/// refused: nothing was applied, and the runtime can correct its clock); internal errors and
/// unavailability are server errors; the rest are client errors.
pub fn classify_code(code: &str) -> ErrorKind {
    codes::TABLE
        .kind(ErrorOrigin::Api, code)
        .unwrap_or(ErrorKind::Client)
}

/// What to do about a Tencent error code, for the codes where the fix is usually on the
/// caller's side ([`codes::TABLE`]). `None` for codes with no general advice.
pub fn hint_for_code(code: &str) -> Option<&'static str> {
    codes::TABLE.hint(ErrorOrigin::Api, code)
}

imgshare_core::provider_error! {
    /// An error from a Tencent operation: bad input, credentials, transport, an unreadable
    /// response, or a service error with Tencent's code, message and request id.
    ///
    /// The shared metadata (`code()`, `message()`, `request_id()`, `is_throttling()`, …) comes
    /// from [`ErrorMetadata`]; its own predicates (`is_signature_failure()`, …), generated into
    /// [`codes`], name Tencent's codes. Display prints the code, the message and the request id,
    /// then a hint where the fix is usually on the caller's side ([`hint_for_code`]).
    pub struct TencentError;
    hint: |e| e.code().and_then(hint_for_code)
}

impl TencentError {
    /// The core error.
    pub fn as_core(&self) -> &Error {
        ErrorMetadata::as_core(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imgshare_core::ServiceError;

    fn service(code: &str) -> TencentError {
        TencentError::from(Error::Service(
            ServiceError::new(code, "m", 200, classify_code(code))
                .with_request_id(Some("r-1".into())),
        ))
    }

    #[test]
    fn display_adds_a_hint_for_caller_side_codes() {
        let text = service(codes::AUTH_SIGNATURE_EXPIRE).to_string();
        assert!(
            text.starts_with("service error: AuthFailure.SignatureExpire: m (request id r-1)"),
            "{text}"
        );
        assert!(text.ends_with("; hint: this machine's clock is more than 5 minutes off Tencent's: synchronise it (NTP)"), "{text}");
        assert!(
            service("RequestLimitExceeded.UinLimitExceeded")
                .hint()
                .is_some()
        );
        assert_eq!(service(codes::INTERNAL_ERROR).hint(), None);
        assert_eq!(
            service(codes::INTERNAL_ERROR).to_string(),
            "service error: InternalError: m (request id r-1)"
        );
    }

    #[test]
    fn throttling_codes_classify_as_throttling() {
        for code in [
            codes::REQUEST_LIMIT_EXCEEDED,
            codes::REQUEST_LIMIT_EXCEEDED_UIN,
            codes::REQUEST_LIMIT_EXCEEDED_IP,
            codes::REQUEST_LIMIT_EXCEEDED_GLOBAL_REGION_UIN,
        ] {
            assert_eq!(classify_code(code), ErrorKind::Throttling, "{code}");
        }
        assert_eq!(classify_code(codes::INTERNAL_ERROR), ErrorKind::Server);
        assert_eq!(
            classify_code(codes::INVALID_IMAGE_ID_NOT_FOUND),
            ErrorKind::Client
        );
    }

    #[test]
    fn table_rows_keep_their_meaning() {
        // An exact row without a kind takes its prefix row's; an unknown subcode too.
        assert_eq!(
            classify_code(codes::REQUEST_LIMIT_EXCEEDED_IP),
            ErrorKind::Throttling
        );
        assert_eq!(classify_code("InternalError.DbError"), ErrorKind::Server);
        assert_eq!(
            classify_code(codes::AUTH_SIGNATURE_EXPIRE),
            ErrorKind::ClockSkew
        );
        assert_eq!(classify_code(codes::SERVICE_UNAVAILABLE), ErrorKind::Server);
        assert_eq!(
            classify_code(codes::RESOURCE_UNAVAILABLE),
            ErrorKind::Server
        );
        assert_eq!(classify_code("RequestLimitExceededish"), ErrorKind::Client);
        // The prefix predicate covers every AuthFailure code, not the others.
        assert!(service(codes::AUTH_MFA_FAILURE).is_auth_failure());
        assert!(service(codes::AUTH_SIGNATURE_EXPIRE).is_signature_expired());
        assert!(!service(codes::UNAUTHORIZED_OPERATION).is_auth_failure());
        // A code's own hint wins over its prefix's, and codes share hints where they should.
        assert_eq!(
            hint_for_code(codes::INVALID_TOKEN),
            hint_for_code(codes::AUTH_TOKEN_FAILURE)
        );
        assert_eq!(
            hint_for_code(codes::REQUEST_LIMIT_EXCEEDED_UIN),
            hint_for_code(codes::REQUEST_LIMIT_EXCEEDED)
        );
        assert_eq!(hint_for_code(codes::INTERNAL_ERROR), None);
    }

    // Catches: an image Tencent will never share (BYOL, encrypted, another region, a
    // whole-instance image) reported as a generic failure with no way out.
    #[test]
    fn images_that_cannot_be_shared_have_a_predicate_and_a_hint() {
        for code in [
            codes::BYOL_IMAGE_SHARE_FAILED,
            codes::ENCRYPTED_IMAGES_NOT_SUPPORTED,
            codes::LOCATION_IMAGE_NOT_SUPPORTED,
            codes::INSTANCE_IMAGE_NOT_SUPPORT,
        ] {
            let err = service(code);
            assert!(err.is_not_shareable(), "{code}");
            assert!(err.hint().is_some(), "{code}");
        }
        assert!(
            hint_for_code(codes::LOCATION_IMAGE_NOT_SUPPORTED)
                .is_some_and(|h| h.contains("SyncImages"))
        );
        assert!(!service(codes::INVALID_IMAGE_ID_NOT_FOUND).is_not_shareable());
        for code in [
            codes::ACCOUNT_IS_YOURSELF,
            codes::INVALID_ACCOUNT_IS_YOURSELF,
        ] {
            assert!(service(code).is_account_yourself(), "{code}");
            assert!(hint_for_code(code).is_some(), "{code}");
        }
    }

    // Catches: `LimitExceeded` (a quota) indistinguishable from any other client error, and a
    // busy image or resource reported without saying when to try again.
    #[test]
    fn quotas_and_busy_resources_are_named() {
        assert!(service(codes::LIMIT_EXCEEDED_COMMON).is_quota_exceeded());
        assert!(service(codes::OVER_QUOTA).is_quota_exceeded());
        assert!(!service(codes::LIMIT_EXCEEDED).is_quota_exceeded());
        for code in [codes::INVALID_IMAGE_STATE, codes::RESOURCE_IN_USE] {
            let err = service(code);
            assert!(err.is_image_busy(), "{code}");
            assert!(
                err.hint().is_some_and(|h| h.contains("retry")),
                "{code}: {:?}",
                err.hint()
            );
        }
    }
}
