//! An independent NCP API Gateway "signature v2" verifier.
//!
//! Written from the documentation only, sharing no code with any client
//! signer: a bug in a client's signer cannot be hidden by the same bug here.
//!
//! The string to sign is
//!
//! ```text
//! {METHOD} {request-target}\n{timestamp}\n{accessKey}
//! ```
//!
//! where the request-target is the path plus `?` and the query exactly as
//! sent (percent-encoded), and the signature is standard Base64 (with
//! padding) of HMAC-SHA256 keyed with the secret key.
//!
//! ```
//! use imgshare_testkit::ncloud::signature;
//!
//! // The published third-party vector, re-computed.
//! let sts = signature::string_to_sign(
//!     "GET",
//!     "/vserver/v2/getServerInstanceList?responseFormatType=json",
//!     "1234567890123",
//!     "TestAccessKey",
//! );
//! assert_eq!(
//!     sts,
//!     "GET /vserver/v2/getServerInstanceList?responseFormatType=json\n1234567890123\nTestAccessKey"
//! );
//! assert_eq!(
//!     signature::sign("TestSecretKey", &sts),
//!     "FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M="
//! );
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::harness::wire::{constant_time_eq, hmac_sha256};

/// Request header carrying the timestamp in milliseconds.
pub const TIMESTAMP_HEADER: &str = "x-ncp-apigw-timestamp";
/// Request header carrying the access key.
pub const ACCESS_KEY_HEADER: &str = "x-ncp-iam-access-key";
/// Request header carrying the signature, as documented.
pub const SIGNATURE_HEADER: &str = "x-ncp-apigw-signature-v2";
/// The header name the Go/Python/JS SDKs send the same HMAC-SHA256 value
/// under; the fake accepts it too.
pub const SIGNATURE_HEADER_V1: &str = "x-ncp-apigw-signature-v1";

/// Requests whose timestamp differs from the gateway clock by this many
/// milliseconds **or more** are rejected ("5 minutes or more").
pub const MAX_SKEW_MS: u64 = 5 * 60 * 1000;

/// `METHOD + " " + request_target + "\n" + timestamp + "\n" + access_key`,
/// with no trailing newline.
pub fn string_to_sign(
    method: &str,
    request_target: &str,
    timestamp: &str,
    access_key: &str,
) -> String {
    format!("{method} {request_target}\n{timestamp}\n{access_key}")
}

/// Base64 (standard alphabet, padded) of HMAC-SHA256(`secret_key`,
/// `string_to_sign`), both as UTF-8 bytes.
pub fn sign(secret_key: &str, string_to_sign: &str) -> String {
    STANDARD.encode(hmac_sha256(
        secret_key.as_bytes(),
        string_to_sign.as_bytes(),
    ))
}

/// Compares a received signature with the expected one without an early
/// exit on the first differing byte.
pub fn signatures_match(expected: &str, received: &str) -> bool {
    constant_time_eq(expected.as_bytes(), received.as_bytes())
}

/// Parses `x-ncp-apigw-timestamp`: milliseconds since the Unix epoch as a
/// plain decimal string. `None` for anything else (sign, spaces,
/// fractions, more than 16 digits).
pub fn parse_timestamp_ms(value: &str) -> Option<u64> {
    if value.is_empty() || value.len() > 16 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// True when `timestamp_ms` is within [`MAX_SKEW_MS`] of `now_ms`, in
/// either direction.
pub fn timestamp_fresh(timestamp_ms: u64, now_ms: u64) -> bool {
    timestamp_ms.abs_diff(now_ms) < MAX_SKEW_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    const TS: &str = "1234567890123";
    const AK: &str = "TestAccessKey";
    const SK: &str = "TestSecretKey";

    /// Every published vector (same keys and timestamp).
    #[test]
    fn documented_vectors() {
        let cases = [
            (
                "GET",
                "/vserver/v2/getServerInstanceList?responseFormatType=json",
                "FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M=",
            ),
            (
                "GET",
                "/vserver/v2/getRegionList?responseFormatType=json",
                "OJl4a94ft59QSpPIFERFF9Ot30KfsMgrSmJZYd7+PZA=",
            ),
            (
                "GET",
                "/vserver/v2/addServerImageSharingPermission?regionCode=KR&serverImageNo=12345678&targetLoginIdList.1=test%40naver.com&responseFormatType=json",
                "5Fvk+j1V/Z5AymbN0I8xQ8agvWsDwqK6cR5IHffHLYA=",
            ),
            (
                "GET",
                "/vserver/v2/addServerImageSharingPermission?regionCode=KR&serverImageNo=12345678&targetLoginIdList.1=test@naver.com&responseFormatType=json",
                "u8RkVSwkv2u5qLAwDBAxh1m4vL+PWL6Fzqhl2aHSvCw=",
            ),
            (
                "POST",
                "/vserver/v2/addServerImageSharingPermission",
                "/Xy7W/Sl7l4zGP+HtyfZlVGHiII7sw341IN51yADUH8=",
            ),
            (
                "POST",
                "/vserver/v2/addServerImageSharingPermission?responseFormatType=json",
                "Mg7d7w+MYiFPa126MxYxE925Gvi6A4pg7hPvjCIPkm4=",
            ),
        ];
        for (method, target, expected) in cases {
            let sts = string_to_sign(method, target, TS, AK);
            assert_eq!(sign(SK, &sts), expected, "{method} {target}");
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp_ms("1234567890123"), Some(1_234_567_890_123));
        assert_eq!(parse_timestamp_ms(""), None);
        assert_eq!(parse_timestamp_ms("-1"), None);
        assert_eq!(parse_timestamp_ms("12.5"), None);
        assert_eq!(parse_timestamp_ms(" 1"), None);
        assert!(timestamp_fresh(1_000_000, 1_000_000 + MAX_SKEW_MS - 1));
        assert!(!timestamp_fresh(1_000_000, 1_000_000 + MAX_SKEW_MS));
        assert!(!timestamp_fresh(1_000_000 + MAX_SKEW_MS, 1_000_000));
    }

    #[test]
    fn constant_time_compare() {
        assert!(signatures_match("abc=", "abc="));
        assert!(!signatures_match("abc=", "abd="));
        assert!(!signatures_match("abc=", "abc"));
    }
}
