//! The fake's `Scp-Signature` verifier, public for tests that check the requests a client sent.
//!
//! Written from the documentation only, sharing no code with any client signer (a signer bug
//! cannot hide in both):
//!
//! ```text
//! message   = METHOD + URL + timestamp + accessKey + [accountId] + "Openapi"
//! signature = Base64_std(HMAC-SHA256(key = secretKey, data = message))
//! ```
//!
//! `URL` is the full absolute URL exactly as sent (`scheme://host[:port]/path`
//! plus `?query` when there is one). The fake rebuilds it from the `Host`
//! header and the request target it received.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::harness::wire::{constant_time_eq, hmac_sha256};

/// The v2 client-type literal, signed and sent as `Scp-ClientType`.
pub const CLIENT_TYPE: &str = "Openapi";

/// The signed string: the parts concatenated with no separators.
///
/// `account_id` is only inserted when the official SDK's variant is used
/// (a non-empty `Scp-AccountId` header).
pub fn signing_string(
    method: &str,
    url: &str,
    timestamp: &str,
    access_key: &str,
    account_id: Option<&str>,
) -> String {
    let (method, account_id) = (method.to_ascii_uppercase(), account_id.unwrap_or_default());
    format!("{method}{url}{timestamp}{access_key}{account_id}{CLIENT_TYPE}")
}

fn mac(secret_key: &str, message: &str) -> [u8; 32] {
    hmac_sha256(secret_key.as_bytes(), message.as_bytes())
}

/// Base64 (standard alphabet, `=` padding) of HMAC-SHA256 keyed with the raw
/// secret key string. The fake only verifies; this pins the vectors.
#[cfg(test)]
pub(crate) fn signature(secret_key: &str, message: &str) -> String {
    STANDARD.encode(mac(secret_key, message))
}

/// True when `sent` is the signature of `message`; compares in constant
/// time. A URL-safe or unpadded Base64 value is refused.
pub fn verify(secret_key: &str, message: &str, sent: &str) -> bool {
    match STANDARD.decode(sent.trim()) {
        Ok(bytes) => constant_time_eq(&mac(secret_key, message), &bytes),
        Err(_) => false,
    }
}

/// The URL the client must have signed: `http://` (the fake serves plain
/// HTTP) + the `Host` header as received + the path + `?query` when the
/// request target had a `?`.
pub(crate) fn signed_url(host: &str, path: &str, query: Option<&str>) -> String {
    match query {
        Some(query) => format!("http://{host}{path}?{query}"),
        None => format!("http://{host}{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The IAM OpenAPI example key pair and the docs' timestamp.
    const ACCESS_KEY: &str = "b754b12b39da4ce29a40c5e324650bd0";
    const SECRET_KEY: &str = "c4150149-f7c6-46bc-9faa-d2b9d20e0899";
    const TIMESTAMP: &str = "1605290625682";
    const HOST: &str = "https://virtualserver.kr-west1.e.samsungsdscloud.com";
    const IMAGE: &str = "70a599e0-31e7-49b7-b260-868f441e862b";

    fn sign(method: &str, url: &str, account_id: Option<&str>) -> String {
        signature(
            SECRET_KEY,
            &signing_string(method, url, TIMESTAMP, ACCESS_KEY, account_id),
        )
    }

    #[test]
    fn signed_message_of_row_1() {
        let url = format!("{HOST}/v1/images/{IMAGE}/members");
        assert_eq!(
            signing_string("GET", &url, TIMESTAMP, ACCESS_KEY, None),
            "GEThttps://virtualserver.kr-west1.e.samsungsdscloud.com/v1/images/70a599e0-31e7-49b7-b260-868f441e862b/members1605290625682b754b12b39da4ce29a40c5e324650bd0Openapi"
        );
    }

    #[test]
    fn vector_1_list_members() {
        let url = format!("{HOST}/v1/images/{IMAGE}/members");
        assert_eq!(
            sign("GET", &url, None),
            "KA0TWAwBUYW9dw8kDNibfJO+bVTPQ8f9lpTcIDVeRFw="
        );
    }

    #[test]
    fn vector_2_update_member() {
        let url = format!("{HOST}/v1/images/{IMAGE}/members/a8f10467abfc4b87b64614ab36eb9ae4");
        assert_eq!(
            sign("PUT", &url, None),
            "F6tq+3ESRpj5QLuDxZLOd78gkTxVUlKHctNTOimso/M="
        );
    }

    #[test]
    fn vector_3_list_images_with_query() {
        let url = format!("{HOST}/v1/images?limit=20&visibility=shared");
        assert_eq!(
            sign("GET", &url, None),
            "n7SIXWIbH66B/oz0Z1U+mY5BRON92Oinr8KG5zpc1xM="
        );
    }

    #[test]
    fn vector_4_with_account_id() {
        let url = format!("{HOST}/v1/images/{IMAGE}/members");
        assert_eq!(
            sign("GET", &url, Some("f39c460fade34fecb05ede8f904b24b7")),
            "k0CbqqUZhTq2O/KsGgcANI5irtSSDj10ebuS9yc9p+c="
        );
    }

    #[test]
    fn verify_accepts_only_the_exact_standard_base64() {
        let url = format!("{HOST}/v1/images?limit=20&visibility=shared");
        let message = signing_string("GET", &url, TIMESTAMP, ACCESS_KEY, None);
        assert!(verify(
            SECRET_KEY,
            &message,
            "n7SIXWIbH66B/oz0Z1U+mY5BRON92Oinr8KG5zpc1xM="
        ));
        // URL-safe alphabet, missing padding, wrong key, other message.
        assert!(!verify(
            SECRET_KEY,
            &message,
            "n7SIXWIbH66B_oz0Z1U-mY5BRON92Oinr8KG5zpc1xM="
        ));
        assert!(!verify(
            SECRET_KEY,
            &message,
            "n7SIXWIbH66B/oz0Z1U+mY5BRON92Oinr8KG5zpc1xM"
        ));
        assert!(!verify(
            "other",
            &message,
            "n7SIXWIbH66B/oz0Z1U+mY5BRON92Oinr8KG5zpc1xM="
        ));
        let other = signing_string("GET", &url, TIMESTAMP, ACCESS_KEY, Some("x"));
        assert!(!verify(
            SECRET_KEY,
            &other,
            "n7SIXWIbH66B/oz0Z1U+mY5BRON92Oinr8KG5zpc1xM="
        ));
        assert!(!verify(SECRET_KEY, &message, "not base64!"));
    }

    #[test]
    fn signed_url_keeps_port_and_query() {
        assert_eq!(
            signed_url("127.0.0.1:8080", "/v1/images", Some("limit=2")),
            "http://127.0.0.1:8080/v1/images?limit=2"
        );
        assert_eq!(
            signed_url("127.0.0.1:8080", "/v1/images", None),
            "http://127.0.0.1:8080/v1/images"
        );
        assert_eq!(
            signed_url("h", "/v1/images", Some("")),
            "http://h/v1/images?"
        );
    }
}
