//! An independent TC3-HMAC-SHA256 verifier.
//!
//! This is the server side of Tencent Cloud API 3.0 signing: it rebuilds the
//! canonical request from a request *as received* and checks the signature
//! the client put in `Authorization`. It is written from the documentation
//! only and shares no code with any client signer, so a bug in a client's
//! signer cannot be hidden by the same bug here.
//!
//! Every stage is public so tests can pin each intermediate value:
//! [`parse_authorization`] → [`canonical_request`] → [`string_to_sign`] →
//! [`derive_keys`] → [`signature`], and [`verify`] runs them all.
//!
//! ```
//! use imgshare_testkit::tc3;
//!
//! // The published vector D.
//! let body = br#"{"Limit": 1, "Filters": [{"Values": ["unnamed"], "Name": "instance-name"}]}"#;
//! let headers = [
//!     ("content-type", "application/json; charset=utf-8"),
//!     ("host", "cvm.tencentcloudapi.com"),
//! ];
//! let creq = tc3::canonical_request("POST", "/", "", &headers, body);
//! let sts = tc3::string_to_sign("1551113065", &tc3::credential_scope("2019-02-25", "cvm"), &creq);
//! let keys = tc3::derive_keys("********************************", "2019-02-25", "cvm");
//! assert_eq!(
//!     tc3::signature(&keys.secret_signing, &sts),
//!     "a7b8551448762bd123d6f79e81815e31a92013640a6cef36a08ad4b292a4d2f2"
//! );
//! ```

use std::collections::BTreeSet;
use std::fmt;

use sha2::{Digest, Sha256};
use time::macros::format_description;

use crate::harness::wire::{constant_time_eq, hmac_sha256};

/// The only algorithm name accepted in `Authorization` (step 4 of the documented algorithm).
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The fixed last element of the credential scope (step 2 of the documented algorithm).
pub const TERMINATOR: &str = "tc3_request";

/// Largest allowed distance, in seconds, between `X-TC-Timestamp` and the
/// server clock (the documented skew: 5 minutes, either direction).
pub const MAX_SKEW_SECS: i64 = 300;

/// Lowercase hex SHA-256 of `data` (used for the payload and the canonical request).
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The UTC calendar date (`YYYY-MM-DD`) of a Unix timestamp, as used in the
/// credential scope. Returns `None` for timestamps outside `time`'s range.
///
/// It is the UTC date, not the local one: the docs warn that using UTC+8
/// breaks every night around midnight (step 2 of the documented algorithm).
pub fn utc_date(unix_secs: i64) -> Option<String> {
    let at = time::OffsetDateTime::from_unix_timestamp(unix_secs).ok()?;
    at.format(format_description!("[year]-[month]-[day]")).ok()
}

/// The parts of a TC3 `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The SecretId from `Credential=`.
    pub secret_id: String,
    /// The date from the credential scope, `YYYY-MM-DD`.
    pub date: String,
    /// The service from the credential scope, e.g. `cvm`.
    pub service: String,
    /// The `SignedHeaders=` names exactly as sent, split on `;`.
    pub signed_headers: Vec<String>,
    /// The `Signature=` value (hex), as sent.
    pub signature: String,
}

impl Authorization {
    /// The credential scope `date/service/tc3_request` this header claims.
    pub fn credential_scope(&self) -> String {
        credential_scope(&self.date, &self.service)
    }
}

/// Why an `Authorization` header could not be parsed; maps to
/// `AuthFailure.InvalidAuthorization`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed Authorization header: {0}")]
pub struct MalformedAuthorization(pub String);

fn malformed(reason: impl Into<String>) -> MalformedAuthorization {
    MalformedAuthorization(reason.into())
}

/// Parses `TC3-HMAC-SHA256 Credential=<SecretId>/<Date>/<service>/tc3_request,
/// SignedHeaders=<a;b;c>, Signature=<hex>` (step 4 of the documented algorithm).
///
/// Parsing is syntactic only: the date, service and signed-header rules are
/// checked by [`verify`]. The separators between the three parts must be a
/// comma, optionally followed by spaces (clients send `", "`).
pub fn parse_authorization(header: &str) -> Result<Authorization, MalformedAuthorization> {
    let Some(rest) = header.trim().strip_prefix(ALGORITHM) else {
        return Err(malformed(format!("algorithm must be {ALGORITHM}")));
    };
    let rest = rest.strip_prefix(' ');
    let rest = rest.ok_or_else(|| malformed("expected a space after the algorithm"))?;

    let mut fields = [
        ("Credential", None),
        ("SignedHeaders", None),
        ("Signature", None),
    ];
    for part in rest.split(',') {
        let part = part.trim();
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| malformed(format!("expected key=value, got {part:?}")))?;
        let Some((_, slot)) = fields.iter_mut().find(|(name, _)| *name == key) else {
            return Err(malformed(format!("unexpected field {key:?}")));
        };
        if slot.replace(value).is_some() {
            return Err(malformed(format!("duplicate field {key}")));
        }
    }
    let [credential, signed_headers, signature] =
        fields.map(|(name, value)| value.ok_or_else(|| malformed(format!("missing {name}"))));
    let (credential, signed_headers, signature) = (credential?, signed_headers?, signature?);

    // The SecretId cannot contain '/', so split from the left.
    let scope: Vec<&str> = credential.split('/').collect();
    let [secret_id, date, service, terminator] = scope.as_slice() else {
        let shape = "Credential must be <SecretId>/<Date>/<service>/tc3_request";
        return Err(malformed(shape));
    };
    if *terminator != TERMINATOR {
        let end = format!("credential scope must end in {TERMINATOR}");
        return Err(malformed(end));
    }
    if secret_id.is_empty() || date.is_empty() || service.is_empty() {
        return Err(malformed("empty element in Credential"));
    }
    if signed_headers.is_empty() || signed_headers.split(';').any(str::is_empty) {
        return Err(malformed("empty header name in SignedHeaders"));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(malformed("Signature must be 64 hex digits"));
    }
    Ok(Authorization {
        secret_id: (*secret_id).to_owned(),
        date: (*date).to_owned(),
        service: (*service).to_owned(),
        signed_headers: signed_headers.split(';').map(str::to_owned).collect(),
        signature: signature.to_owned(),
    })
}

/// Canonical header block and signed-header line for the given headers.
///
/// Each name and value is lowercased and trimmed, entries are sorted by name
/// in ASCII order, and each is written `name:value\n`, so the block ends in a
/// newline (step 1 of the documented algorithm).
pub fn canonical_headers(headers: &[(&str, &str)]) -> (String, String) {
    let mut entries = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        let (name, value) = (name.trim(), value.trim());
        entries.push((name.to_ascii_lowercase(), value.to_lowercase()));
    }
    entries.sort();
    let block: String = entries.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed: Vec<&str> = entries.iter().map(|(name, _)| name.as_str()).collect();
    (block, signed.join(";"))
}

/// The six-line CanonicalRequest (step 1 of the documented algorithm), with no trailing newline.
///
/// `headers` are the signed headers with their values as received; `body`
/// is hashed exactly as received.
pub fn canonical_request(
    method: &str,
    uri: &str,
    query: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> String {
    let (block, signed) = canonical_headers(headers);
    format!(
        "{}\n{uri}\n{query}\n{block}\n{signed}\n{}",
        method.to_ascii_uppercase(),
        sha256_hex(body)
    )
}

/// `<date>/<service>/tc3_request`.
pub fn credential_scope(date: &str, service: &str) -> String {
    format!("{date}/{service}/{TERMINATOR}")
}

/// The four-line StringToSign (step 2 of the documented algorithm), with no trailing newline.
///
/// `timestamp` is the `X-TC-Timestamp` value as sent.
pub fn string_to_sign(timestamp: &str, credential_scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{credential_scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The chain of derived keys (step 3 of the documented algorithm).
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKeys {
    /// `HMAC("TC3" + SecretKey, Date)`.
    pub secret_date: [u8; 32],
    /// `HMAC(SecretDate, Service)`.
    pub secret_service: [u8; 32],
    /// `HMAC(SecretService, "tc3_request")`: the key that signs StringToSign.
    pub secret_signing: [u8; 32],
}

impl fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Derived keys are credentials for a day; don't leak them into logs.
        f.write_str("SigningKeys { .. }")
    }
}

/// Derives the signing key chain from a SecretKey (step 3 of the documented algorithm).
pub fn derive_keys(secret_key: &str, date: &str, service: &str) -> SigningKeys {
    let secret_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let secret_service = hmac_sha256(&secret_date, service.as_bytes());
    let secret_signing = hmac_sha256(&secret_service, TERMINATOR.as_bytes());
    SigningKeys {
        secret_date,
        secret_service,
        secret_signing,
    }
}

/// Lowercase hex `HMAC(secret_signing, string_to_sign)` (step 3 of the documented algorithm).
pub fn signature(secret_signing: &[u8], string_to_sign: &str) -> String {
    hex::encode(hmac_sha256(secret_signing, string_to_sign.as_bytes()))
}

/// A request as the server received it, for [`verify`].
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// The HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// The path; API 3.0 uses `/`.
    pub path: &'a str,
    /// The raw query string after `?`, or `""`.
    pub query: &'a str,
    /// Every request header as received (any case); the first value wins
    /// when a name repeats.
    pub headers: &'a [(&'a str, &'a str)],
    /// The exact body bytes.
    pub body: &'a [u8],
    /// The `X-TC-Timestamp` value as sent.
    pub timestamp: &'a str,
}

impl SignedRequest<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        let mut headers = self.headers.iter();
        let found = headers.find(|(n, _)| n.trim().eq_ignore_ascii_case(name));
        found.map(|(_, v)| *v)
    }
}

/// Why [`verify`] (or [`tencent_v1::verify`](crate::tencent_v1::verify)) rejected a request.
/// [`VerifyError::code`] gives the Tencent error code the server answers with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The header is well-formed but inconsistent: wrong date or service in
    /// the scope, required headers not signed, a signed header missing, or an
    /// unparsable timestamp.
    #[error("invalid Authorization: {0}")]
    InvalidAuthorization(String),
    /// A signature v1 `Timestamp` parameter that is not an integer.
    #[error("Timestamp {0:?} is not an integer")]
    InvalidTimestamp(String),
    /// The timestamp is more than [`MAX_SKEW_SECS`] away from the server clock.
    #[error(
        "the request timestamp is {skew_secs} s away from server time (limit {MAX_SKEW_SECS} s)"
    )]
    SignatureExpire {
        /// Server time minus request time, in seconds.
        skew_secs: i64,
    },
    /// The recomputed signature differs from the one sent.
    #[error(
        "The provided credentials could not be validated. Please check your signature is correct."
    )]
    SignatureFailure,
}

impl VerifyError {
    /// The Tencent error code for this failure.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::InvalidAuthorization(_) => "AuthFailure.InvalidAuthorization",
            VerifyError::InvalidTimestamp(_) => "InvalidParameter",
            VerifyError::SignatureExpire { .. } => "AuthFailure.SignatureExpire",
            VerifyError::SignatureFailure => "AuthFailure.SignatureFailure",
        }
    }
}

/// `SignatureExpire` when `timestamp` is more than [`MAX_SKEW_SECS`] from `now_unix`.
pub(crate) fn check_skew(timestamp: i64, now_unix: i64) -> Result<(), VerifyError> {
    let skew_secs = now_unix.saturating_sub(timestamp);
    if skew_secs.unsigned_abs() > MAX_SKEW_SECS.unsigned_abs() {
        return Err(VerifyError::SignatureExpire { skew_secs });
    }
    Ok(())
}

/// Checks a parsed `Authorization` against the request as received.
///
/// In order: the scope date must be the UTC date of the timestamp and the
/// scope service must be `expected_service`; the timestamp must be within
/// [`MAX_SKEW_SECS`] of `now_unix`; `SignedHeaders` must include
/// `content-type` and `host`, and every signed header must be present; then
/// the canonical request is rebuilt and the signature compared.
///
/// `SignedHeaders` is canonicalised (lowercased, sorted) the way the docs
/// define it, so a client that lists names out of order but signs the
/// documented form still passes. Looking up the SecretId and checking the
/// session token are the caller's job: they need account data.
pub fn verify(
    request: &SignedRequest<'_>,
    authorization: &Authorization,
    secret_key: &str,
    expected_service: &str,
    now_unix: i64,
) -> Result<(), VerifyError> {
    let invalid = |reason: String| VerifyError::InvalidAuthorization(reason);
    let sent_timestamp = request.timestamp;
    let Ok(timestamp) = sent_timestamp.trim().parse::<i64>() else {
        let reason = format!("X-TC-Timestamp {sent_timestamp:?} is not an integer");
        return Err(invalid(reason));
    };
    let date = utc_date(timestamp).ok_or_else(|| invalid("X-TC-Timestamp out of range".into()))?;
    let (claimed_date, service) = (&authorization.date, &authorization.service);
    if *claimed_date != date {
        let reason = format!(
            "Date in Credential is {claimed_date} but the UTC date of X-TC-Timestamp is {date}"
        );
        return Err(invalid(reason));
    }
    if service != expected_service {
        let reason = format!(
            "`Service` in Credential not valid: expected {expected_service}, got {service}"
        );
        return Err(invalid(reason));
    }
    check_skew(timestamp, now_unix)?;

    // The documented form of SignedHeaders: lowercase, sorted, each name once.
    let names: BTreeSet<String> = (authorization.signed_headers.iter())
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    for required in ["content-type", "host"] {
        if !names.contains(required) {
            return Err(invalid(format!("SignedHeaders must include {required}")));
        }
    }
    let mut signed = Vec::with_capacity(names.len());
    for name in &names {
        let missing = || invalid(format!("signed header {name} is not in the request"));
        signed.push((name.as_str(), request.header(name).ok_or_else(missing)?));
    }

    let (method, path, query) = (request.method, request.path, request.query);
    let creq = canonical_request(method, path, query, &signed, request.body);
    let scope = authorization.credential_scope();
    let sts = string_to_sign(request.timestamp.trim(), &scope, &creq);
    let keys = derive_keys(secret_key, claimed_date, service);
    let expected = signature(&keys.secret_signing, &sts);
    let sent = authorization.signature.to_ascii_lowercase();
    let matches = constant_time_eq(expected.as_bytes(), sent.as_bytes());
    matches.then_some(()).ok_or(VerifyError::SignatureFailure)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    // The published payloads.
    const P1: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    const P2: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["unnamed"], "Name": "instance-name"}]}"#;
    const TS: &str = "1551113065";
    const DATE: &str = "2019-02-25";
    const CT: &str = "application/json; charset=utf-8";
    const HOST: &str = "cvm.tencentcloudapi.com";

    struct Vector {
        key: &'static str,
        body: &'static str,
        with_action: bool,
        creq: &'static str,
        hashed_creq: &'static str,
        keys: Option<[&'static str; 3]>,
        signature: &'static str,
    }

    const CREQ_2H_P1: &str = "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064";
    const KEYS_STARS: [&str; 3] = [
        "da98fb70dcf6b112dc21038d1eeeb3a95c74b4dcb12c1131f864f6066bd02be0",
        "8d70cbefb03939f929db64d32dc2ba89b1095620119fe3e050e2b18c5bd2752f",
        "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af",
    ];

    fn vectors() -> [(&'static str, Vector); 4] {
        [
            (
                "A",
                Vector {
                    key: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                    body: P1,
                    with_action: false,
                    creq: CREQ_2H_P1,
                    hashed_creq: "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
                    keys: Some([
                        "d1308c81fe71cfd4e06437bbc067b2b8a3d2d8c0e375d547f15c41d5214b395a",
                        "3c7cb7c7795393edc14fd2e0e6434a518564b4504b88e94f5d11bf59ba3e7050",
                        "ac658d5dde49e9bfdd14e04e062f66b05d9f637d44b8a8d845327d4a77f666b1",
                    ]),
                    signature: "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
                },
            ),
            (
                "B",
                Vector {
                    key: "********************************",
                    body: P1,
                    with_action: true,
                    creq: "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\nx-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
                    hashed_creq: "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84",
                    keys: Some(KEYS_STARS),
                    signature: "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f",
                },
            ),
            (
                "C",
                Vector {
                    key: "Gu5t9xGARNpq86cd98joQYCN3*******",
                    body: P1,
                    with_action: false,
                    creq: CREQ_2H_P1,
                    hashed_creq: "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
                    keys: Some([
                        "f1cb4d518a0eda9d5cbbfdb7850983f1e603eeae484edea76e4dd8d8deb5556e",
                        "e7c609ce81bea53546bed2cc904778bef9ca14082e48e67883443ed64e227cd7",
                        "8aa8ab5755582f576e94bcfe383b8e29325b0ca90c3590d569221c6a63a091ed",
                    ]),
                    signature: "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
                },
            ),
            (
                "D",
                Vector {
                    key: "********************************",
                    body: P2,
                    with_action: false,
                    creq: "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n99d58dfbc6745f6747f36bfca17dee5e6881dc0428a0a36f96199342bc5b4907",
                    hashed_creq: "2815843035062fffda5fd6f2a44ea8a34818b0dc46f024b8b3786976a3adda7a",
                    keys: Some(KEYS_STARS),
                    signature: "a7b8551448762bd123d6f79e81815e31a92013640a6cef36a08ad4b292a4d2f2",
                },
            ),
        ]
    }

    fn signed_headers(v: &Vector) -> Vec<(&'static str, &'static str)> {
        // Wire-case names and values: the canonicaliser must lowercase them.
        let mut h = vec![("Content-Type", CT), ("Host", HOST)];
        if v.with_action {
            h.push(("X-TC-Action", "DescribeInstances"));
        }
        h
    }

    #[test]
    fn payload_hashes_match_the_doc() {
        assert_eq!(P1.len(), 86);
        assert_eq!(P2.len(), 75);
        assert_eq!(
            sha256_hex(P1.as_bytes()),
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            sha256_hex(P2.as_bytes()),
            "99d58dfbc6745f6747f36bfca17dee5e6881dc0428a0a36f96199342bc5b4907"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn vectors_match_at_every_stage() {
        let scope = credential_scope(DATE, "cvm");
        assert_eq!(scope, "2019-02-25/cvm/tc3_request");
        assert_eq!(utc_date(1551113065).as_deref(), Some(DATE));
        for (name, v) in vectors() {
            let headers = signed_headers(&v);
            let creq = canonical_request("POST", "/", "", &headers, v.body.as_bytes());
            assert_eq!(creq, v.creq, "vector {name}: canonical request");
            assert!(!creq.ends_with('\n'), "vector {name}: no trailing newline");
            assert_eq!(
                creq.matches("\n\n").count(),
                2,
                "vector {name}: empty query line and one blank line before SignedHeaders"
            );
            assert_eq!(
                sha256_hex(creq.as_bytes()),
                v.hashed_creq,
                "vector {name}: hashed creq"
            );

            let sts = string_to_sign(TS, &scope, &creq);
            assert_eq!(
                sts,
                format!("TC3-HMAC-SHA256\n{TS}\n{scope}\n{}", v.hashed_creq),
                "vector {name}: string to sign"
            );
            assert!(!sts.ends_with('\n'));

            let keys = derive_keys(v.key, DATE, "cvm");
            if let Some([date, service, signing]) = v.keys {
                assert_eq!(
                    hex::encode(keys.secret_date),
                    date,
                    "vector {name}: SecretDate"
                );
                assert_eq!(
                    hex::encode(keys.secret_service),
                    service,
                    "vector {name}: SecretService"
                );
                assert_eq!(
                    hex::encode(keys.secret_signing),
                    signing,
                    "vector {name}: SecretSigning"
                );
            }
            assert_eq!(
                signature(&keys.secret_signing, &sts),
                v.signature,
                "vector {name}: signature"
            );
        }
    }

    #[test]
    fn vector_a_stage_string_to_sign_is_the_published_text() {
        let sts = string_to_sign(TS, "2019-02-25/cvm/tc3_request", CREQ_2H_P1);
        assert_eq!(
            sts,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
    }

    fn authorization_for(v: &Vector, secret_id: &str) -> String {
        let signed = if v.with_action {
            "content-type;host;x-tc-action"
        } else {
            "content-type;host"
        };
        format!(
            "TC3-HMAC-SHA256 Credential={secret_id}/{DATE}/cvm/tc3_request, SignedHeaders={signed}, Signature={}",
            v.signature
        )
    }

    #[test]
    fn parse_authorization_of_vectors_b_and_d() {
        let vs = vectors();
        let b = &vs[1].1;
        let header = authorization_for(b, "AKID********************************");
        assert_eq!(
            header,
            "TC3-HMAC-SHA256 Credential=AKID********************************/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
        );
        let auth = parse_authorization(&header).unwrap();
        assert_eq!(auth.secret_id, "AKID********************************");
        assert_eq!(auth.date, DATE);
        assert_eq!(auth.service, "cvm");
        assert_eq!(auth.signed_headers, ["content-type", "host", "x-tc-action"]);
        assert_eq!(auth.signature, b.signature);

        let d = parse_authorization(
            "TC3-HMAC-SHA256 Credential=AKID********************************/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=a7b8551448762bd123d6f79e81815e31a92013640a6cef36a08ad4b292a4d2f2",
        )
        .unwrap();
        assert_eq!(d.signed_headers, ["content-type", "host"]);
        assert_eq!(d.credential_scope(), "2019-02-25/cvm/tc3_request");
    }

    #[test]
    fn parse_authorization_rejects_malformed_headers() {
        let sig = "a".repeat(64);
        let bad = [
            String::new(),
            format!("HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature={sig}"),
            format!("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm, SignedHeaders=content-type;host, Signature={sig}"),
            format!("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc2_request, SignedHeaders=content-type;host, Signature={sig}"),
            format!("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, Signature={sig}"),
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=xyz".into(),
            format!("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;;host, Signature={sig}"),
            format!("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature={sig}, Extra=1"),
            format!("TC3-HMAC-SHA256 Credential=/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature={sig}"),
        ];
        for header in bad {
            assert!(parse_authorization(&header).is_err(), "accepted {header:?}");
        }
        // Commas without the space are tolerated.
        assert!(parse_authorization(&format!(
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request,SignedHeaders=content-type;host,Signature={sig}"
        ))
        .is_ok());
    }

    #[test]
    fn utc_date_crosses_midnight_at_utc_not_utc8() {
        assert_eq!(utc_date(1551139199).as_deref(), Some("2019-02-25"));
        assert_eq!(utc_date(1551139200).as_deref(), Some("2019-02-26"));
        assert_eq!(utc_date(0).as_deref(), Some("1970-01-01"));
    }

    fn verify_vector(
        v: &Vector,
        headers: &[(&str, &str)],
        body: &[u8],
        now: i64,
    ) -> Result<(), VerifyError> {
        let auth = parse_authorization(&authorization_for(v, "AKIDEXAMPLE")).unwrap();
        let request = SignedRequest {
            method: "POST",
            path: "/",
            query: "",
            headers,
            body,
            timestamp: TS,
        };
        verify(&request, &auth, v.key, "cvm", now)
    }

    #[test]
    fn verify_accepts_every_vector_as_received() {
        for (name, v) in vectors() {
            let mut headers = signed_headers(&v);
            // Unsigned headers are ignored.
            headers.push(("X-TC-Version", "2017-03-12"));
            headers.push(("X-TC-Timestamp", TS));
            if !v.with_action {
                headers.push(("X-TC-Action", "DescribeInstances"));
            }
            assert_eq!(
                verify_vector(&v, &headers, v.body.as_bytes(), 1551113065),
                Ok(()),
                "vector {name}"
            );
        }
    }

    #[test]
    fn verify_rejects_absurd_clocks_without_overflow() {
        let vs = vectors();
        let d = &vs[3].1;
        let headers = signed_headers(d);
        for now in [i64::MIN, i64::MIN + 1, i64::MAX] {
            let err = verify_vector(d, &headers, d.body.as_bytes(), now).unwrap_err();
            assert_eq!(err.code(), "AuthFailure.SignatureExpire", "now = {now}");
        }
    }

    #[test]
    fn verify_rejects_tampering_expiry_and_scope() {
        let vs = vectors();
        let d = &vs[3].1;
        let headers = signed_headers(d);
        let now = 1551113065;

        // One changed body byte.
        let mut body = d.body.as_bytes().to_vec();
        body[10] ^= 1;
        assert_eq!(
            verify_vector(d, &headers, &body, now),
            Err(VerifyError::SignatureFailure)
        );

        // A changed signed header value (the action is not signed in D, so change host).
        let other_host = [
            ("Content-Type", CT),
            ("Host", "cvm.ap-guangzhou.tencentcloudapi.com"),
        ];
        assert_eq!(
            verify_vector(d, &other_host, d.body.as_bytes(), now),
            Err(VerifyError::SignatureFailure)
        );

        // Skew: 300 s is fine, 301 s is not, either direction.
        assert_eq!(
            verify_vector(d, &headers, d.body.as_bytes(), now + 300),
            Ok(())
        );
        assert_eq!(
            verify_vector(d, &headers, d.body.as_bytes(), now - 300),
            Ok(())
        );
        assert_eq!(
            verify_vector(d, &headers, d.body.as_bytes(), now + 301),
            Err(VerifyError::SignatureExpire { skew_secs: 301 })
        );
        assert_eq!(
            verify_vector(d, &headers, d.body.as_bytes(), now - 301),
            Err(VerifyError::SignatureExpire { skew_secs: -301 })
        );

        // Missing signed header.
        let err = verify_vector(d, &[("Content-Type", CT)], d.body.as_bytes(), now).unwrap_err();
        assert_eq!(err.code(), "AuthFailure.InvalidAuthorization");

        // Wrong service and wrong date in the scope.
        let request = SignedRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: d.body.as_bytes(),
            timestamp: TS,
        };
        let mut auth = parse_authorization(&authorization_for(d, "AKIDEXAMPLE")).unwrap();
        auth.service = "cbs".into();
        assert_eq!(
            verify(&request, &auth, d.key, "cvm", now)
                .unwrap_err()
                .code(),
            "AuthFailure.InvalidAuthorization"
        );
        let mut auth = parse_authorization(&authorization_for(d, "AKIDEXAMPLE")).unwrap();
        auth.date = "2019-02-26".into();
        assert_eq!(
            verify(&request, &auth, d.key, "cvm", now)
                .unwrap_err()
                .code(),
            "AuthFailure.InvalidAuthorization"
        );
        // content-type must be signed.
        let mut auth = parse_authorization(&authorization_for(d, "AKIDEXAMPLE")).unwrap();
        auth.signed_headers = vec!["host".into()];
        assert_eq!(
            verify(&request, &auth, d.key, "cvm", now)
                .unwrap_err()
                .code(),
            "AuthFailure.InvalidAuthorization"
        );
        // Wrong key.
        let auth = parse_authorization(&authorization_for(d, "AKIDEXAMPLE")).unwrap();
        assert_eq!(
            verify(
                &request,
                &auth,
                "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                "cvm",
                now
            ),
            Err(VerifyError::SignatureFailure)
        );
    }
}
