//! The error type of this crate: the core error plus Tencent's codes and predicates.

use imgshare_core::{Error, ErrorKind, ErrorMetadata};

/// Error codes Tencent documents for the image-sharing APIs (seed 004, tencent.md §4.2, §5).
pub mod codes {
    /// The account is already shared with.
    pub const ACCOUNT_ALREADY_EXISTS: &str = "FailedOperation.AccountAlreadyExists";
    /// The account is the caller.
    pub const ACCOUNT_IS_YOURSELF: &str = "FailedOperation.AccountIsYourSelf";
    /// BYOL images cannot be shared.
    pub const BYOL_IMAGE_SHARE_FAILED: &str = "FailedOperation.BYOLImageShareFailed";
    /// A collaborator account was given; a root account is needed.
    pub const NOT_MASTER_ACCOUNT: &str = "FailedOperation.NotMasterAccount";
    /// Image sharing failed.
    pub const QIMAGE_SHARE_FAILED: &str = "FailedOperation.QImageShareFailed";
    /// Image sharing failed.
    pub const RIMAGE_SHARE_FAILED: &str = "FailedOperation.RImageShareFailed";
    /// Invalid account id.
    pub const INVALID_ACCOUNT_ID_NOT_FOUND: &str = "InvalidAccountId.NotFound";
    /// Cannot share an image with yourself.
    pub const INVALID_ACCOUNT_IS_YOURSELF: &str = "InvalidAccountIs.YourSelf";
    /// Malformed image id.
    pub const INVALID_IMAGE_ID_MALFORMED: &str = "InvalidImageId.Malformed";
    /// Unknown image.
    pub const INVALID_IMAGE_ID_NOT_FOUND: &str = "InvalidImageId.NotFound";
    /// Whole-instance images are not supported.
    pub const INSTANCE_IMAGE_NOT_SUPPORT: &str = "InvalidParameter.InstanceImageNotSupport";
    /// Invalid AppID.
    pub const INVALID_APP_ID_FORMAT: &str = "InvalidParameterValue.InvalidAppIdFormat";
    /// The image does not support this operation.
    pub const INVALID_IMAGE_ID: &str = "InvalidParameterValue.InvalidImageId";
    /// The image is busy with another task; retry later.
    pub const INVALID_IMAGE_STATE: &str = "InvalidParameterValue.InvalidImageState";
    /// Too many parameter values.
    pub const LIMIT_EXCEEDED: &str = "InvalidParameterValue.LimitExceeded";
    /// The image share quota is exceeded (500 accounts per image).
    pub const OVER_QUOTA: &str = "OverQuota";
    /// The image does not belong to the caller.
    pub const IMAGE_NOT_BELONG_TO_ACCOUNT: &str = "UnauthorizedOperation.ImageNotBelongToAccount";
    /// The token is invalid.
    pub const INVALID_TOKEN: &str = "UnauthorizedOperation.InvalidToken";
    /// Encrypted images are not supported.
    pub const ENCRYPTED_IMAGES_NOT_SUPPORTED: &str =
        "UnsupportedOperation.EncryptedImagesNotSupported";
    /// Images from this location are not supported.
    pub const LOCATION_IMAGE_NOT_SUPPORTED: &str = "UnsupportedOperation.LocationImageNotSupported";
    /// ImageIds and Filters were both given to DescribeImages.
    pub const COEXIST_IMAGE_IDS_FILTERS: &str =
        "InvalidParameter.InvalidParameterCoexistImageIdsFilters";
    /// Limit is out of range.
    pub const INVALID_PARAMETER_VALUE_LIMIT: &str =
        "InvalidParameterValue.InvalidParameterValueLimit";

    /// Malformed `Authorization` header (also a wrong service in the credential scope).
    pub const AUTH_INVALID_AUTHORIZATION: &str = "AuthFailure.InvalidAuthorization";
    /// The key is not an API key.
    pub const AUTH_INVALID_SECRET_ID: &str = "AuthFailure.InvalidSecretId";
    /// MFA failed.
    pub const AUTH_MFA_FAILURE: &str = "AuthFailure.MFAFailure";
    /// The SecretId does not exist, was deleted or disabled.
    pub const AUTH_SECRET_ID_NOT_FOUND: &str = "AuthFailure.SecretIdNotFound";
    /// The timestamp is more than 5 minutes from server time.
    pub const AUTH_SIGNATURE_EXPIRE: &str = "AuthFailure.SignatureExpire";
    /// The signature does not match.
    pub const AUTH_SIGNATURE_FAILURE: &str = "AuthFailure.SignatureFailure";
    /// Bad temporary-credential token.
    pub const AUTH_TOKEN_FAILURE: &str = "AuthFailure.TokenFailure";
    /// Not authorised by CAM.
    pub const AUTH_UNAUTHORIZED_OPERATION: &str = "AuthFailure.UnauthorizedOperation";
    /// Operation failed.
    pub const FAILED_OPERATION: &str = "FailedOperation";
    /// Internal error.
    pub const INTERNAL_ERROR: &str = "InternalError";
    /// Unknown action.
    pub const INVALID_ACTION: &str = "InvalidAction";
    /// Bad parameter.
    pub const INVALID_PARAMETER: &str = "InvalidParameter";
    /// Bad parameter value.
    pub const INVALID_PARAMETER_VALUE: &str = "InvalidParameterValue";
    /// Quota exceeded.
    pub const LIMIT_EXCEEDED_COMMON: &str = "LimitExceeded";
    /// Required parameter missing.
    pub const MISSING_PARAMETER: &str = "MissingParameter";
    /// Unknown API version.
    pub const NO_SUCH_VERSION: &str = "NoSuchVersion";
    /// Request rate limit hit.
    pub const REQUEST_LIMIT_EXCEEDED: &str = "RequestLimitExceeded";
    /// Root-account global rate limit hit.
    pub const REQUEST_LIMIT_EXCEEDED_GLOBAL_REGION_UIN: &str =
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded";
    /// Per-IP rate limit hit.
    pub const REQUEST_LIMIT_EXCEEDED_IP: &str = "RequestLimitExceeded.IPLimitExceeded";
    /// Per-account rate limit hit.
    pub const REQUEST_LIMIT_EXCEEDED_UIN: &str = "RequestLimitExceeded.UinLimitExceeded";
    /// Resource in use.
    pub const RESOURCE_IN_USE: &str = "ResourceInUse";
    /// Resource not found.
    pub const RESOURCE_NOT_FOUND: &str = "ResourceNotFound";
    /// Resource unavailable.
    pub const RESOURCE_UNAVAILABLE: &str = "ResourceUnavailable";
    /// Service temporarily unavailable.
    pub const SERVICE_UNAVAILABLE: &str = "ServiceUnavailable";
    /// Unauthorised operation.
    pub const UNAUTHORIZED_OPERATION: &str = "UnauthorizedOperation";
    /// Undefined parameter sent.
    pub const UNKNOWN_PARAMETER: &str = "UnknownParameter";
    /// Unsupported operation.
    pub const UNSUPPORTED_OPERATION: &str = "UnsupportedOperation";
    /// The API does not support the region.
    pub const UNSUPPORTED_REGION: &str = "UnsupportedRegion";
    /// The API has been retired.
    pub const ACTION_OFFLINE: &str = "ActionOffline";
    /// The request would have succeeded; DryRun was set.
    pub const DRY_RUN_OPERATION: &str = "DryRunOperation";
    /// Malformed multipart body.
    pub const INVALID_REQUEST: &str = "InvalidRequest";
    /// The caller's IP is blacklisted.
    pub const IP_IN_BLACKLIST: &str = "IpInBlacklist";
    /// The caller's IP is not whitelisted.
    pub const IP_NOT_IN_WHITELIST: &str = "IpNotInWhitelist";
    /// Unknown product.
    pub const NO_SUCH_PRODUCT: &str = "NoSuchProduct";
    /// The request is too large.
    pub const REQUEST_SIZE_LIMIT_EXCEEDED: &str = "RequestSizeLimitExceeded";
    /// The response is too large.
    pub const RESPONSE_SIZE_LIMIT_EXCEEDED: &str = "ResponseSizeLimitExceeded";
    /// Insufficient resources.
    pub const RESOURCE_INSUFFICIENT: &str = "ResourceInsufficient";
    /// Only GET and POST are allowed (or an unsupported Content-Type).
    pub const UNSUPPORTED_PROTOCOL: &str = "UnsupportedProtocol";
    /// DescribeImages: illegal tag key.
    pub const ILLEGAL_TAG_KEY: &str = "FailedOperation.IllegalTagKey";
    /// DescribeImages: unknown filter name.
    pub const INVALID_FILTER: &str = "InvalidFilter";
    /// DescribeImages: too many values in one filter.
    pub const INVALID_FILTER_VALUE_LIMIT_EXCEEDED: &str = "InvalidFilterValue.LimitExceeded";
    /// DescribeImages: malformed instance type.
    pub const INVALID_INSTANCE_TYPE_MALFORMED: &str = "InvalidInstanceType.Malformed";
    /// DescribeImages: the instance type does not exist.
    pub const INSTANCE_TYPE_NOT_FOUND: &str = "InvalidParameterValue.InstanceTypeNotFound";
    /// DescribeImages: the tag key does not exist.
    pub const TAG_KEY_NOT_FOUND: &str = "InvalidParameterValue.TagKeyNotFound";
    /// DescribeImages: the zone is not supported.
    pub const ZONE_NOT_SUPPORTED: &str = "InvalidParameterValue.ZoneNotSupported";
    /// The region does not exist.
    pub const INVALID_REGION_NOT_FOUND: &str = "InvalidRegion.NotFound";
    /// The zone does not belong to the region.
    pub const INVALID_ZONE_MISMATCH_REGION: &str = "InvalidZone.MismatchRegion";
    /// DescribeImages: the instance type is sold out.
    pub const SPECIFIED_INSTANCE_TYPE_SOLD_OUT: &str = "ResourcesSoldOut.SpecifiedInstanceType";
    /// Permission denied.
    pub const PERMISSION_DENIED: &str = "UnauthorizedOperation.PermissionDenied";
}

/// How a Tencent error code bears on retrying: `RequestLimitExceeded` and its subcodes are
/// throttling; `AuthFailure.SignatureExpire` is clock skew; internal errors and unavailability are
/// server errors; the rest are client errors.
pub fn classify_code(code: &str) -> ErrorKind {
    if code == codes::REQUEST_LIMIT_EXCEEDED || code.starts_with("RequestLimitExceeded.") {
        ErrorKind::Throttling
    } else if code == codes::AUTH_SIGNATURE_EXPIRE {
        // The timestamp was refused: nothing was applied, and the runtime can correct its clock.
        ErrorKind::ClockSkew
    } else if code == codes::INTERNAL_ERROR
        || code.starts_with("InternalError.")
        || code == codes::SERVICE_UNAVAILABLE
        || code == codes::RESOURCE_UNAVAILABLE
    {
        ErrorKind::Server
    } else {
        ErrorKind::Client
    }
}

/// What to do about a Tencent error code, for the codes where the fix is usually on the
/// caller's side. `None` for codes with no general advice.
pub fn hint_for_code(code: &str) -> Option<&'static str> {
    Some(match code {
        codes::AUTH_SIGNATURE_FAILURE => {
            "check the secret key (TENCENTCLOUD_SECRET_KEY or the profile's secret_key) for typos or stray spaces"
        }
        codes::AUTH_SECRET_ID_NOT_FOUND => {
            "the SecretId is unknown, deleted or disabled: check TENCENTCLOUD_SECRET_ID"
        }
        codes::AUTH_SIGNATURE_EXPIRE => {
            "this machine's clock is more than 5 minutes off Tencent's: synchronise it (NTP)"
        }
        codes::AUTH_TOKEN_FAILURE | codes::INVALID_TOKEN => {
            "the session token is invalid or expired: refresh the temporary credentials"
        }
        codes::INVALID_ACCOUNT_ID_NOT_FOUND | codes::NOT_MASTER_ACCOUNT => {
            "use the recipient's root (main) account id, not a sub-user, collaborator or QQ number"
        }
        codes::IMAGE_NOT_BELONG_TO_ACCOUNT => "only the account that owns the image can share it",
        codes::INVALID_IMAGE_ID_NOT_FOUND => {
            "check the image id and the region: images and shares are regional"
        }
        codes::ACCOUNT_ALREADY_EXISTS => {
            "the image is already shared with that account: treat it as done, or leave it out"
        }
        codes::OVER_QUOTA => "an image can be shared with at most 500 accounts: unshare some first",
        codes::INVALID_IMAGE_STATE => "the image is busy with another task: retry later",
        c if c == codes::REQUEST_LIMIT_EXCEEDED || c.starts_with("RequestLimitExceeded.") => {
            "the share APIs allow 10 requests per second: slow down or raise the retry backoff"
        }
        _ => return None,
    })
}

imgshare_core::provider_error! {
    /// An error from a Tencent operation: bad input, credentials, transport, an unreadable
    /// response, or a service error with Tencent's code, message and request id.
    ///
    /// The shared metadata (`code()`, `message()`, `request_id()`, `is_throttling()`, …) comes
    /// from [`ErrorMetadata`]; the predicates below name Tencent's own codes. Display prints the
    /// code, the message and the request id, then a hint where the fix is usually on the caller's
    /// side ([`hint_for_code`]).
    pub struct TencentError;
    hint: |e| e.code().and_then(hint_for_code)
}

impl TencentError {
    /// The core error.
    pub fn as_core(&self) -> &Error {
        ErrorMetadata::as_core(self)
    }

    /// Any `AuthFailure.*` code: wrong key, signature, expired timestamp, token.
    pub fn is_auth_failure(&self) -> bool {
        self.code().is_some_and(|c| c.starts_with("AuthFailure"))
    }

    /// `AuthFailure.SignatureFailure`: usually a wrong secret key.
    pub fn is_signature_failure(&self) -> bool {
        self.is_code(codes::AUTH_SIGNATURE_FAILURE)
    }

    /// `AuthFailure.SignatureExpire`: the local clock is off by more than 5 minutes.
    pub fn is_signature_expired(&self) -> bool {
        self.is_code(codes::AUTH_SIGNATURE_EXPIRE)
    }

    /// `AuthFailure.SecretIdNotFound`: unknown, deleted or disabled SecretId.
    pub fn is_secret_id_not_found(&self) -> bool {
        self.is_code(codes::AUTH_SECRET_ID_NOT_FOUND)
    }

    /// `InvalidImageId.NotFound`.
    pub fn is_image_not_found(&self) -> bool {
        self.is_code(codes::INVALID_IMAGE_ID_NOT_FOUND)
    }

    /// `InvalidImageId.Malformed`.
    pub fn is_image_id_malformed(&self) -> bool {
        self.is_code(codes::INVALID_IMAGE_ID_MALFORMED)
    }

    /// `FailedOperation.AccountAlreadyExists`: the image is already shared with an account.
    pub fn is_account_already_shared(&self) -> bool {
        self.is_code(codes::ACCOUNT_ALREADY_EXISTS)
    }

    /// Sharing with yourself (`InvalidAccountIs.YourSelf` or `FailedOperation.AccountIsYourSelf`).
    pub fn is_account_yourself(&self) -> bool {
        self.is_code(codes::INVALID_ACCOUNT_IS_YOURSELF) || self.is_code(codes::ACCOUNT_IS_YOURSELF)
    }

    /// `InvalidAccountId.NotFound`.
    pub fn is_account_not_found(&self) -> bool {
        self.is_code(codes::INVALID_ACCOUNT_ID_NOT_FOUND)
    }

    /// `UnauthorizedOperation.ImageNotBelongToAccount`.
    pub fn is_image_not_owned(&self) -> bool {
        self.is_code(codes::IMAGE_NOT_BELONG_TO_ACCOUNT)
    }

    /// `OverQuota`: more than 500 accounts for one image.
    pub fn is_over_quota(&self) -> bool {
        self.is_code(codes::OVER_QUOTA)
    }

    /// `InvalidParameterValue.LimitExceeded`: too many values in one call.
    pub fn is_limit_exceeded(&self) -> bool {
        self.is_code(codes::LIMIT_EXCEEDED)
    }

    /// `InvalidParameterValue.InvalidImageState`: the image is busy; retry later.
    pub fn is_image_busy(&self) -> bool {
        self.is_code(codes::INVALID_IMAGE_STATE)
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
}
