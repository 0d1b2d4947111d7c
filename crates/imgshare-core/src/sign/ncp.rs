//! NAVER Cloud API Gateway signature v2
//! ([documentation](https://api.ncloud-docs.com/docs/en/common-ncpapi)).
//!
//! `METHOD␠REQUEST-TARGET\nTIMESTAMP_MS\nACCESS_KEY`, HMAC-SHA256 under the secret, standard
//! Base64. The request target is the path plus the query exactly as sent: the official Python
//! SDK signs unencoded values but sends encoded ones, which breaks on `@` (a login id
//! `a@b.com` is signed as `a@b.com` and sent as `a%40b.com`). The body is not signed.

use std::time::SystemTime;

use url::Url;

use super::{
    SignableRequest, Signer, SigningError, SigningInstructions, hmac_sha256_base64, unix_millis,
};
use crate::credentials::Credentials;

/// Header carrying the timestamp in milliseconds.
pub const TIMESTAMP_HEADER: &str = "x-ncp-apigw-timestamp";
/// Header carrying the access key.
pub const ACCESS_KEY_HEADER: &str = "x-ncp-iam-access-key";
/// Header carrying the signature (the documented `-v2` name).
pub const SIGNATURE_HEADER: &str = "x-ncp-apigw-signature-v2";

/// Path plus `?query` when there is one, exactly as the URL will be sent.
pub fn request_target(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

/// `METHOD + " " + target + "\n" + timestamp + "\n" + access_key`, no trailing newline.
pub fn string_to_sign(
    method: &str,
    request_target: &str,
    timestamp_ms: &str,
    access_key: &str,
) -> String {
    format!("{method} {request_target}\n{timestamp_ms}\n{access_key}")
}

/// Base64 HMAC-SHA256 of the string to sign under the secret key.
pub fn signature(secret_key: &str, string_to_sign: &str) -> String {
    hmac_sha256_base64(secret_key.as_bytes(), string_to_sign.as_bytes())
}

/// Signs NCP API Gateway requests. Adds the three `x-ncp-*` headers.
#[derive(Debug, Clone, Default)]
pub struct NcpSigner;

impl NcpSigner {
    /// A signer.
    pub fn new() -> Self {
        Self
    }
}

impl Signer for NcpSigner {
    fn sign(
        &self,
        request: &SignableRequest<'_>,
        credentials: &Credentials,
        time: SystemTime,
    ) -> Result<SigningInstructions, SigningError> {
        super::refuse_session_token(credentials, "NCP API Gateway v2")?;
        // One timestamp for both the header and the string to sign.
        let timestamp = unix_millis(time)?.to_string();
        let to_sign = string_to_sign(
            request.method(),
            &request_target(request.url()),
            &timestamp,
            credentials.access_id(),
        );
        let sig = signature(credentials.secret().expose_secret(), &to_sign);
        let mut out = SigningInstructions::default();
        out.push(TIMESTAMP_HEADER, timestamp);
        out.push(ACCESS_KEY_HEADER, credentials.access_id().to_owned());
        out.push(SIGNATURE_HEADER, sig);
        Ok(out)
    }
}
