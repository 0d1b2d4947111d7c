//! The API gateway's HMAC authentication: the `Scp-*` headers, the access key, the timestamp
//! window, then the independent [`signature`](super::signature) verifier.

use wiremock::Request;

use super::signature::{CLIENT_TYPE, signed_url, signing_string, verify};
use super::state::Scp;
use crate::harness::wire::host;

/// A header's value; an empty (or all-blank) value counts as absent.
pub(crate) fn header(request: &Request, name: &str) -> Option<String> {
    crate::harness::wire::header(request, name).filter(|v| !v.trim().is_empty())
}

/// Returns the caller's account id. `Err(None)`: the gateway's 404 (missing or refused
/// credentials get 404, not 401, as observed live); `Err(Some(why))`: its 401.
pub(crate) fn authenticate(
    state: &Scp,
    now_ms: i64,
    request: &Request,
) -> Result<String, Option<String>> {
    let headers = [
        "scp-accesskey",
        "scp-signature",
        "scp-timestamp",
        "scp-clienttype",
    ];
    let values = headers.map(|name| header(request, name));
    let [
        Some(access_key),
        Some(sent),
        Some(timestamp),
        Some(CLIENT_TYPE),
    ] = values.each_ref().map(Option::as_deref)
    else {
        return Err(None);
    };
    let fail = |why: String| Err(Some(why));
    let Some(account) = state.account_by_access_key(access_key) else {
        return fail(format!("the access key {access_key} is not registered"));
    };
    let digits = timestamp.bytes().all(|b| b.is_ascii_digit());
    let Some(sent_ms) = timestamp.parse::<i64>().ok().filter(|_| digits) else {
        return fail(format!(
            "Scp-Timestamp `{timestamp}` is not a Unix time in milliseconds"
        ));
    };
    if let Some(window) = state.timestamp_window {
        let (skew, window) = (u128::from(now_ms.abs_diff(sent_ms)), window.as_millis());
        if skew > window {
            let allowed = format!("(allowed: {window} ms)");
            return fail(format!(
                "Scp-Timestamp {timestamp} is {skew} ms away from the server clock {allowed}"
            ));
        }
    }
    // The official SDK's variant signs a non-empty Scp-AccountId.
    let account_id = header(request, "scp-accountid");
    if let Some(other) = account_id.as_ref().filter(|id| **id != account.account_id) {
        return fail(format!(
            "Scp-AccountId {other} is not the account of access key {access_key}"
        ));
    }
    let url = signed_url(&host(request), request.url.path(), request.url.query());
    let method = request.method.as_str();
    let message = signing_string(method, &url, timestamp, access_key, account_id.as_deref());
    if !verify(&account.secret_key, &message, sent) {
        return fail(format!(
            "Scp-Signature does not match; the fake signed `{message}`"
        ));
    }
    Ok(account.account_id.clone())
}
