//! Tencent Cloud API 3.0 signature, TC3-HMAC-SHA256
//! ([documentation](https://cloud.tencent.com/document/api/213/30654)).
//!
//! The four stages, each a public function: [`canonical_request`] → [`string_to_sign`] →
//! [`derive_signing_key`] → [`signature`], then [`authorization`] assembles the header.
//! [`Tc3Signer`] chains them and caches the derived key, which depends only on the secret, the
//! UTC date and the service.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use hmac::Mac as _;
use sha2::{Digest as _, Sha256};
use zeroize::{Zeroize, Zeroizing};

use super::{
    SignableRequest, Signer, SigningError, SigningInstructions, hmac_sha256, hmac_sha256_mac,
    sha256_hex, unix_seconds,
};
use crate::credentials::Credentials;

/// The algorithm name, first line of the string to sign and first word of `Authorization`.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The UTC date (`YYYY-MM-DD`) of a Unix timestamp, as the credential scope needs it.
///
/// Tencent checks the UTC date; using local time (UTC+8) fails every night near midnight.
pub fn utc_date(timestamp: u64) -> Result<String, SigningError> {
    let secs = i64::try_from(timestamp).map_err(|_| SigningError::InvalidTime)?;
    let t =
        time::OffsetDateTime::from_unix_timestamp(secs).map_err(|_| SigningError::InvalidTime)?;
    Ok(format!(
        "{:04}-{:02}-{:02}",
        t.year(),
        u8::from(t.month()),
        t.day()
    ))
}

/// Lowercase hex SHA-256 of the exact body bytes.
pub fn hashed_payload(body: &[u8]) -> String {
    sha256_hex(body)
}

/// The canonical header block (`name:value\n` per signed header, names and values lowercased
/// and trimmed, sorted by name) and the `SignedHeaders` list (`a;b;c`).
///
/// Every name in `signed` must be among `headers`.
pub fn canonical_headers(
    headers: &[(&str, &str)],
    signed: &[&str],
) -> Result<(String, String), SigningError> {
    let mut entries: Vec<(String, String)> = Vec::with_capacity(signed.len());
    for name in signed {
        let value = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
            .ok_or_else(|| SigningError::InvalidHeaderValue {
                name: (*name).to_owned(),
                reason: "listed as signed but not on the request",
            })?;
        entries.push((name.to_ascii_lowercase(), value.trim().to_lowercase()));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut block = String::new();
    let mut names = String::new();
    for (i, (name, value)) in entries.iter().enumerate() {
        block.push_str(name);
        block.push(':');
        block.push_str(value);
        block.push('\n');
        if i > 0 {
            names.push(';');
        }
        names.push_str(name);
    }
    Ok((block, names))
}

/// The canonical request: method, URI, query, header block, signed headers and payload hash,
/// joined by `\n` with no trailing newline.
pub fn canonical_request(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    canonical_header_block: &str,
    signed_headers: &str,
    hashed_payload: &str,
) -> String {
    let mut out = String::with_capacity(
        method.len()
            + canonical_uri.len()
            + canonical_query.len()
            + canonical_header_block.len()
            + signed_headers.len()
            + hashed_payload.len()
            + 5,
    );
    for (i, part) in [
        method,
        canonical_uri,
        canonical_query,
        canonical_header_block,
        signed_headers,
        hashed_payload,
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(part);
    }
    out
}

/// `<date>/<service>/tc3_request`.
pub fn credential_scope(date: &str, service: &str) -> String {
    format!("{date}/{service}/tc3_request")
}

/// The string to sign: algorithm, timestamp, scope and the hashed canonical request.
pub fn string_to_sign(timestamp: u64, credential_scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{credential_scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// A derived HMAC key. `Debug` is redacted; the bytes are cleared on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey([u8; 32]);

impl SigningKey {
    /// The raw key bytes (for test vectors).
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({})", crate::secret::REDACTED)
    }
}

/// Stage 3a: `HMAC("TC3" + secret, date)`.
pub fn secret_date(secret_key: &str, date: &str) -> SigningKey {
    let key = Zeroizing::new(format!("TC3{secret_key}"));
    SigningKey(hmac_sha256(key.as_bytes(), date.as_bytes()))
}

/// Stage 3b: `HMAC(secret_date, service)`.
pub fn secret_service(secret_date: &SigningKey, service: &str) -> SigningKey {
    SigningKey(hmac_sha256(&secret_date.0, service.as_bytes()))
}

/// Stage 3c: `HMAC(secret_service, "tc3_request")`.
pub fn secret_signing(secret_service: &SigningKey) -> SigningKey {
    SigningKey(hmac_sha256(&secret_service.0, b"tc3_request"))
}

/// Stages 3a–3c in one call.
pub fn derive_signing_key(secret_key: &str, date: &str, service: &str) -> SigningKey {
    secret_signing(&secret_service(&secret_date(secret_key, date), service))
}

/// Stage 4: lowercase hex `HMAC(signing_key, string_to_sign)`.
pub fn signature(signing_key: &SigningKey, string_to_sign: &str) -> String {
    hex::encode(hmac_sha256(&signing_key.0, string_to_sign.as_bytes()))
}

/// The `Authorization` header value (note the comma-and-space separators).
pub fn authorization(
    secret_id: &str,
    credential_scope: &str,
    signed_headers: &str,
    signature: &str,
) -> String {
    format!(
        "{ALGORITHM} Credential={secret_id}/{credential_scope}, SignedHeaders={signed_headers}, Signature={signature}"
    )
}

struct CachedKey {
    secret: Zeroizing<String>,
    /// Days since the epoch (UTC) the key and scope are for.
    day: u64,
    scope: Arc<str>,
    key: SigningKey,
}

/// Signs Tencent Cloud API 3.0 requests (POST with a JSON body).
///
/// Signs `content-type`, `host` and, by default, `x-tc-action` (as the current Chinese doc and
/// the official demo do; the server checks whatever `SignedHeaders` lists). Adds
/// `Authorization`, `X-TC-Timestamp` and, for temporary credentials, `X-TC-Token`.
///
/// The derived key and the credential scope depend only on the secret, the UTC day and the
/// service, so they are computed once a day and cached; signing then costs two SHA-256 passes
/// and one HMAC, fed piece by piece without building the canonical request or the string to
/// sign (the stage functions of this module build them, for tests and debugging).
pub struct Tc3Signer {
    service: String,
    sign_action: bool,
    cache: Mutex<Option<CachedKey>>,
}

impl Tc3Signer {
    /// A signer for `service`, the product name (`cvm`), never derived from the endpoint host:
    /// an `http://127.0.0.1:PORT` endpoint still signs as `cvm`.
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            sign_action: true,
            cache: Mutex::new(None),
        }
    }

    /// Whether to sign `x-tc-action` too (default true).
    pub fn sign_action(mut self, yes: bool) -> Self {
        self.sign_action = yes;
        self
    }

    /// The signed service name.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The credential scope and signing key for `timestamp`'s UTC day, from the cache when the
    /// secret and the day match.
    fn scope_and_key(
        &self,
        secret: &str,
        timestamp: u64,
    ) -> Result<(Arc<str>, SigningKey), SigningError> {
        let day = timestamp / 86_400;
        let mut cache = match self.cache.lock() {
            Ok(guard) => guard,
            // A poisoned cache only means another thread panicked mid-update; start afresh.
            Err(poisoned) => {
                let mut guard = poisoned.into_inner();
                *guard = None;
                guard
            }
        };
        if let Some(c) = cache.as_ref()
            && c.day == day
            && c.secret.as_str() == secret
        {
            return Ok((c.scope.clone(), c.key.clone()));
        }
        let date = utc_date(timestamp)?;
        let scope: Arc<str> = credential_scope(&date, &self.service).into();
        let key = derive_signing_key(secret, &date, &self.service);
        *cache = Some(CachedKey {
            secret: Zeroizing::new(secret.to_owned()),
            day,
            scope: scope.clone(),
            key: key.clone(),
        });
        Ok((scope, key))
    }
}

impl fmt::Debug for Tc3Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tc3Signer")
            .field("service", &self.service)
            .field("sign_action", &self.sign_action)
            .finish_non_exhaustive()
    }
}

/// A header value as the canonical block wants it: trimmed and lowercased, borrowed when it
/// already is.
fn canonical_value(value: &str) -> Cow<'_, str> {
    let value = value.trim();
    if value.chars().any(char::is_uppercase) {
        Cow::Owned(value.to_lowercase())
    } else {
        Cow::Borrowed(value)
    }
}

impl Signer for Tc3Signer {
    fn sign(
        &self,
        request: &SignableRequest<'_>,
        credentials: &Credentials,
        time: SystemTime,
    ) -> Result<SigningInstructions, SigningError> {
        let timestamp = unix_seconds(time)?;
        let host = request.host_header()?;
        let content_type =
            request
                .header_value("content-type")
                .ok_or(SigningError::MissingHeader {
                    name: "content-type",
                    scheme: ALGORITHM,
                })?;
        let action = if self.sign_action {
            request.header_value("x-tc-action")
        } else {
            None
        };
        // Already in sorted order: content-type < host < x-tc-action.
        let mut headers = [
            ("content-type", content_type),
            ("host", host.as_str()),
            ("", ""),
        ];
        let (headers, signed_headers) = match action {
            Some(action) => {
                headers[2] = ("x-tc-action", action);
                (&headers[..], "content-type;host;x-tc-action")
            }
            None => (&headers[..2], "content-type;host"),
        };

        // Stages 1 and 2, streamed: hash the canonical request without building it.
        let mut payload_hex = [0u8; 64];
        hex_into(&Sha256::digest(request.body()), &mut payload_hex);
        let mut canonical = Sha256::new();
        for part in [
            request.method(),
            "\n",
            request.url().path(),
            "\n",
            request.url().query().unwrap_or(""),
            "\n",
        ] {
            canonical.update(part.as_bytes());
        }
        for (name, value) in headers {
            canonical.update(name.as_bytes());
            canonical.update(b":");
            canonical.update(canonical_value(value).as_bytes());
            canonical.update(b"\n");
        }
        canonical.update(b"\n");
        canonical.update(signed_headers.as_bytes());
        canonical.update(b"\n");
        canonical.update(payload_hex);
        let mut canonical_hex = [0u8; 64];
        hex_into(&canonical.finalize(), &mut canonical_hex);

        // Stages 3 and 4: the cached key, then one HMAC over the string to sign.
        let (scope, key) = self.scope_and_key(credentials.secret().expose_secret(), timestamp)?;
        let timestamp_text = timestamp.to_string();
        let mut mac = hmac_sha256_mac(key.as_bytes());
        for part in [
            ALGORITHM.as_bytes(),
            b"\n",
            timestamp_text.as_bytes(),
            b"\n",
            scope.as_bytes(),
            b"\n",
            &canonical_hex,
        ] {
            mac.update(part);
        }
        // Hex on the stack, as above (`hex::encode` builds its String a char at a time); hex
        // digits are ASCII, so the lossy view borrows and never replaces anything.
        let mut signature_hex = [0u8; 64];
        hex_into(&mac.finalize().into_bytes(), &mut signature_hex);
        let signature = String::from_utf8_lossy(&signature_hex);

        let mut out = SigningInstructions::default();
        out.push(
            "Authorization",
            authorization(credentials.access_id(), &scope, signed_headers, &signature),
        );
        out.push("X-TC-Timestamp", timestamp_text);
        if let Some(token) = credentials.session_token() {
            out.push("X-TC-Token", token.expose_secret().to_owned());
        }
        Ok(out)
    }
}

/// Lowercase hex of a 32-byte digest into a stack buffer.
fn hex_into(digest: &[u8], out: &mut [u8; 64]) {
    // 32 bytes always fit 64 hex digits.
    let _ = hex::encode_to_slice(digest, out);
}
