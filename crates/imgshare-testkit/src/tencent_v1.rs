//! An independent verifier for Tencent Cloud API 3.0 signature v1
//! (`HmacSHA1` / `HmacSHA256`).
//!
//! With v1 every common parameter (`Action`, `Version`, `Region`,
//! `Timestamp`, `Nonce`, `SecretId`, `SignatureMethod`, `Signature`, ...)
//! travels as a query (GET) or form (POST) parameter next to the action's
//! own, flattened parameters. The signature is
//! `base64(HMAC(SecretKey, METHOD + host + path + "?" + sorted raw pairs))`
//! Written from the documentation only; it shares no code with any client.
//!
//! ```
//! use imgshare_testkit::tencent_v1::{self, SignatureMethod};
//!
//! // The published example.
//! let params = [
//!     ("Action", "DescribeInstances"),
//!     ("InstanceIds.0", "ins-09dx96dg"),
//!     ("Limit", "20"),
//!     ("Nonce", "11886"),
//!     ("Offset", "0"),
//!     ("Region", "ap-guangzhou"),
//!     ("SecretId", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
//!     ("Timestamp", "1465185768"),
//!     ("Version", "2017-03-12"),
//! ];
//! let sts = tencent_v1::string_to_sign("GET", "cvm.tencentcloudapi.com", "/", &params);
//! assert_eq!(
//!     tencent_v1::signature(SignatureMethod::HmacSha1, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", &sts),
//!     "EliP9YW3pW28FpsEdkXt/+WcGeI="
//! );
//! ```

use base64::Engine as _;
use hmac::Hmac;
use sha1::Sha1;

use crate::harness::wire::{constant_time_eq, hmac, hmac_sha256};

/// The v1 signature algorithms (`SignatureMethod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureMethod {
    /// `HmacSHA1`: the default, and what any value other than `HmacSHA256` means.
    HmacSha1,
    /// `HmacSHA256`.
    HmacSha256,
}

impl SignatureMethod {
    /// The method a `SignatureMethod` parameter selects: `HmacSHA256`
    /// exactly, otherwise (absent or anything else) `HmacSHA1`.
    pub fn from_param(value: Option<&str>) -> SignatureMethod {
        match value {
            Some("HmacSHA256") => SignatureMethod::HmacSha256,
            _ => SignatureMethod::HmacSha1,
        }
    }

    /// The parameter value, `HmacSHA1` or `HmacSHA256`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HmacSHA1",
            SignatureMethod::HmacSha256 => "HmacSHA256",
        }
    }
}

/// The StringToSign (steps 1–3 of the documented algorithm): every parameter except `Signature`,
/// sorted by name in byte order, as raw (decoded) `name=value` pairs joined
/// with `&`, after `METHOD + host + path + "?"`.
pub fn string_to_sign(method: &str, host: &str, path: &str, params: &[(&str, &str)]) -> String {
    let mut pairs: Vec<_> = params
        .iter()
        .filter(|(name, _)| *name != "Signature")
        .collect();
    // `str` orders by bytes; the sort is stable, so repeated names keep their order.
    pairs.sort_by_key(|(name, _)| *name);
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let method = method.to_ascii_uppercase();
    format!("{method}{host}{path}?{}", query.join("&"))
}

/// `base64(HMAC(secret_key, string_to_sign))` (step 4 of the documented algorithm).
pub fn signature(method: SignatureMethod, secret_key: &str, string_to_sign: &str) -> String {
    let (key, message) = (secret_key.as_bytes(), string_to_sign.as_bytes());
    let mac = match method {
        SignatureMethod::HmacSha1 => hmac_sha1(key, message).to_vec(),
        SignatureMethod::HmacSha256 => hmac_sha256(key, message).to_vec(),
    };
    base64::engine::general_purpose::STANDARD.encode(mac)
}

/// Why [`verify`] refused a v1 request: the same errors as TC3's.
pub use crate::tc3::VerifyError;

/// Checks a v1-signed request as received: `params` are every decoded
/// query (GET) or form (POST) parameter, `Signature` included.
///
/// The timestamp must be within 300 s of `now_unix`; the signature is
/// recomputed with the method `SignatureMethod` selects. Go's SDK leaves
/// empty-valued parameters out of the string it signs,
/// so a signature over the pairs without the empty ones is accepted too.
pub fn verify(
    method: &str,
    host: &str,
    path: &str,
    params: &[(&str, &str)],
    secret_key: &str,
    now_unix: i64,
) -> Result<(), VerifyError> {
    let find = |name: &str| params.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    let timestamp = find("Timestamp").unwrap_or("");
    let Ok(at) = timestamp.trim().parse::<i64>() else {
        return Err(VerifyError::InvalidTimestamp(timestamp.to_owned()));
    };
    crate::tc3::check_skew(at, now_unix)?;
    let algorithm = SignatureMethod::from_param(find("SignatureMethod"));
    let sent = find("Signature").unwrap_or("");
    let signed = |pairs: &[(&str, &str)]| {
        let sts = string_to_sign(method, host, path, pairs);
        let expected = signature(algorithm, secret_key, &sts);
        constant_time_eq(expected.as_bytes(), sent.as_bytes())
    };
    let mut non_empty = params.to_vec();
    non_empty.retain(|(_, value)| !value.is_empty());
    // `|`, not `||`: both signatures are always computed.
    (signed(params) | signed(&non_empty))
        .then_some(())
        .ok_or(VerifyError::SignatureFailure)
}

/// HMAC-SHA1 of `msg` under `key`.
pub fn hmac_sha1(key: &[u8], msg: &[u8]) -> [u8; 20] {
    hmac::<Hmac<Sha1>>(key, msg).into()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    const STS: &str = "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12";

    fn params() -> Vec<(&'static str, &'static str)> {
        // Deliberately unsorted: string_to_sign sorts.
        vec![
            ("Version", "2017-03-12"),
            ("Timestamp", "1465185768"),
            ("SecretId", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
            ("Region", "ap-guangzhou"),
            ("Offset", "0"),
            ("Nonce", "11886"),
            ("Limit", "20"),
            ("InstanceIds.0", "ins-09dx96dg"),
            ("Action", "DescribeInstances"),
        ]
    }

    #[test]
    fn hmac_sha1_known_answer() {
        // RFC 2202 test case 2.
        assert_eq!(
            hex::encode(hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
    }

    #[test]
    fn doc_vector_2_4_hmac_sha1() {
        let sts = string_to_sign("GET", "cvm.tencentcloudapi.com", "/", &params());
        assert_eq!(sts, STS);
        assert_eq!(
            signature(SignatureMethod::HmacSha1, KEY, &sts),
            "EliP9YW3pW28FpsEdkXt/+WcGeI="
        );
    }

    #[test]
    fn doc_vector_2_4_hmac_sha256_variant() {
        let mut p = params();
        p.push(("SignatureMethod", "HmacSHA256"));
        let sts = string_to_sign("GET", "cvm.tencentcloudapi.com", "/", &p);
        assert_eq!(
            signature(SignatureMethod::HmacSha256, KEY, &sts),
            "A8uy2/o7WBZXYCTWEFpMrVGhGBVlEGIOioeqRM+fzFs="
        );
    }

    #[test]
    fn byte_order_sorting() {
        let sts = string_to_sign("POST", "h", "/", &[("A.2", "x"), ("A.12", "y")]);
        assert_eq!(sts, "POSTh/?A.12=y&A.2=x");
    }

    #[test]
    fn verify_accepts_the_vector_and_rejects_tampering() {
        let mut p = params();
        p.push(("Signature", "EliP9YW3pW28FpsEdkXt/+WcGeI="));
        let now = 1465185768;
        assert_eq!(
            verify("GET", "cvm.tencentcloudapi.com", "/", &p, KEY, now),
            Ok(())
        );
        assert_eq!(
            verify("POST", "cvm.tencentcloudapi.com", "/", &p, KEY, now),
            Err(VerifyError::SignatureFailure)
        );
        assert_eq!(
            verify("GET", "cvm.tencentcloudapi.com", "/", &p, "wrong", now),
            Err(VerifyError::SignatureFailure)
        );
        assert_eq!(
            verify("GET", "cvm.tencentcloudapi.com", "/", &p, KEY, now + 301),
            Err(VerifyError::SignatureExpire { skew_secs: 301 })
        );
        // A clock at the end of time is far away, not an overflow.
        for now in [i64::MIN, i64::MAX] {
            assert!(matches!(
                verify("GET", "cvm.tencentcloudapi.com", "/", &p, KEY, now),
                Err(VerifyError::SignatureExpire { .. })
            ));
        }
        // Any SignatureMethod other than HmacSHA256 is HmacSHA1, but it is signed too.
        p.push(("SignatureMethod", "HmacSHA1"));
        assert_eq!(
            verify("GET", "cvm.tencentcloudapi.com", "/", &p, KEY, now),
            Err(VerifyError::SignatureFailure)
        );
    }
}
