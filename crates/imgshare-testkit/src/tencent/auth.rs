//! Who is calling: the TC3-HMAC-SHA256 or signature v1 checks, through the independent
//! verifiers [`tc3`] and [`tencent_v1`], then the key's session token.

use wiremock::Request;

use super::errors::{ApiError, ensure, err, fail};
use super::seed::TencentAccount;
use super::state::Tencent;
use crate::harness::wire::{borrowed, header, headers, host, lookup};
use crate::tc3;
use crate::tencent_v1::{self, SignatureMethod};

/// The credential-scope service the fake expects.
const SERVICE: &str = "cvm";
/// What the SDKs' unsigned-payload option hashes instead of the body, saying so in
/// `X-TC-Content-SHA256`.
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The largest v1 request: 32 KB of query for GET, 1 MB of body for POST.
const V1_MAX_GET: usize = 32 * 1024;
const V1_MAX_POST: usize = 1024 * 1024;

fn account<'a>(state: &'a Tencent, secret_id: &str) -> Result<&'a TencentAccount, ApiError> {
    let account = state.account_by_secret_id(secret_id);
    account.ok_or_else(|| err("secret_id_not_found", &[&secret_id]))
}

/// Temporary keys need their token; long-term keys must not send one.
fn check_token(account: &TencentAccount, sent: Option<&str>, name: &str) -> Result<(), ApiError> {
    match (&account.session_token, sent.filter(|t| !t.is_empty())) {
        (None, None) => Ok(()),
        (Some(expected), Some(sent)) if expected == sent => Ok(()),
        (Some(_), Some(_)) => fail("token_mismatch", &[&name]),
        (Some(_), None) => fail("token_missing", &[&name]),
        (None, Some(_)) => fail("token_unexpected", &[&name]),
    }
}

/// Signature v1 (every common parameter in `pairs`); returns the caller's account id and the
/// signature method.
pub(crate) fn v1(
    state: &Tencent,
    now: i64,
    request: &Request,
    pairs: &[(String, String)],
) -> Result<(String, &'static str), ApiError> {
    let method = SignatureMethod::from_param(lookup(pairs, "SignatureMethod"));
    for name in ["Nonce", "SecretId", "Timestamp"] {
        if lookup(pairs, name).is_none_or(str::is_empty) {
            return fail("missing", &[&name]);
        }
    }
    if lookup(pairs, "Nonce").is_some_and(|n| !n.bytes().all(|b| b.is_ascii_digit())) {
        return fail("nonce", &[]);
    }
    let too_big = match request.method.as_str() {
        "GET" => request.url.query().map_or(0, str::len) > V1_MAX_GET,
        _ => request.body.len() > V1_MAX_POST,
    };
    ensure(!too_big, || err("v1_too_large", &[]))?;
    let account = account(state, lookup(pairs, "SecretId").unwrap_or_default())?;
    let (method_name, host, path) = (request.method.as_str(), host(request), request.url.path());
    let key = &account.secret_key;
    tencent_v1::verify(method_name, &host, path, &borrowed(pairs), key, now)?;
    check_token(account, lookup(pairs, "Token"), "Token parameter")?;
    Ok((account.account_id.clone(), method.as_str()))
}

/// TC3-HMAC-SHA256 over the request as received; returns the caller's account id.
pub(crate) fn tc3(
    state: &Tencent,
    now: i64,
    request: &Request,
    timestamp: &str,
) -> Result<String, ApiError> {
    let authorization = header(request, "authorization");
    let authorization = authorization.ok_or_else(|| err("authorization_missing", &[]))?;
    let parsed = tc3::parse_authorization(&authorization);
    let parsed = parsed.map_err(|e| err("authorization_invalid", &[&e]))?;
    let account = account(state, &parsed.secret_id)?;
    let mut headers = headers(request);
    if request.headers.get("host").is_none() {
        headers.push(("host".into(), host(request)));
    }
    let unsigned =
        header(request, "x-tc-content-sha256").is_some_and(|v| v.trim() == UNSIGNED_PAYLOAD);
    let signed = tc3::SignedRequest {
        method: request.method.as_str(),
        path: request.url.path(),
        query: request.url.query().unwrap_or(""),
        headers: &borrowed(&headers),
        body: if unsigned {
            UNSIGNED_PAYLOAD.as_bytes()
        } else {
            &request.body
        },
        timestamp,
    };
    tc3::verify(&signed, &parsed, &account.secret_key, SERVICE, now)?;
    let token = header(request, "x-tc-token");
    check_token(account, token.as_deref(), "X-TC-Token")?;
    Ok(account.account_id.clone())
}
