//! The request pipeline: the API gateway's HMAC authentication, the service's common headers,
//! then the operation.

use wiremock::Request;

use super::ScpReceivedRequest;
use super::auth::{CLIENT_TYPE, signed_url, signing_string, verify};
use super::errors::{ApiError, error_reply, gateway_not_found, hmac_valid_fail};
use super::handlers::{Call, Route, dispatch};
use super::state::{FALLBACK_VERSION, RETIRED_VERSIONS, Scp};
use crate::harness::{Env, Reply};

/// The product token of `Scp-Api-Version`.
pub(crate) const PRODUCT: &str = "virtualserver";

/// A header's value; an empty (or all-blank) value counts as absent.
fn header(request: &Request, name: &str) -> Option<String> {
    crate::harness::wire::header(request, name).filter(|v| !v.trim().is_empty())
}

/// A log entry for a request that just arrived.
pub(crate) fn record(request: &Request) -> ScpReceivedRequest {
    ScpReceivedRequest {
        method: request.method.as_str().to_owned(),
        path: request.url.path().to_owned(),
        query: request.url.query().map(str::to_owned),
        account_id: None,
        api_version: header(request, "scp-api-version"),
        status: None,
        error_code: None,
        body: String::from_utf8_lossy(&request.body).into_owned(),
        fault: None,
    }
}

/// Checks and answers one request. An unknown route is the gateway's 404, like a missing
/// credential.
pub(crate) fn serve(
    state: &mut Scp,
    env: &mut Env<'_>,
    request: &Request,
    record: &mut ScpReceivedRequest,
) -> Reply {
    state.gateway_sequence += 1;
    let (path, now_ms, sequence) = (
        request.url.path(),
        env.clock().now_ms(),
        state.gateway_sequence,
    );
    let Some(route) = Route::parse(path) else {
        return gateway_not_found(path, now_ms, sequence);
    };
    let caller = match authenticate(state, env, request) {
        Ok(caller) => caller,
        Err(None) => return gateway_not_found(path, now_ms, sequence),
        Err(Some(reason)) => return hmac_valid_fail(&reason),
    };
    record.account_id = Some(caller.clone());
    if env.admit(&caller, route.template()).is_err() {
        let detail = "Too many requests. Please try again later.";
        return error_reply(&ApiError::new(429, "TooManyRequests", detail));
    }
    serve_route(state, env, request, route, &caller).unwrap_or_else(|e| error_reply(&e))
}

/// The gateway's HMAC check; returns the caller's account id. `Err(None)`: the gateway's 404,
/// `Err(Some(why))`: its 401.
fn authenticate(state: &Scp, env: &Env<'_>, request: &Request) -> Result<String, Option<String>> {
    // Missing or refused credentials: 404, not 401 (§4.2, observed live).
    let (Some(access_key), Some(sent_signature), Some(timestamp), Some(client_type)) = (
        header(request, "scp-accesskey"),
        header(request, "scp-signature"),
        header(request, "scp-timestamp"),
        header(request, "scp-clienttype"),
    ) else {
        return Err(None);
    };
    if client_type != CLIENT_TYPE {
        return Err(None);
    }
    let fail = Some;
    let account = state
        .account_by_access_key(&access_key)
        .ok_or_else(|| fail(format!("the access key {access_key} is not registered")))?;

    let sent_ms = timestamp
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| timestamp.parse::<i64>().ok())
        .flatten()
        .ok_or_else(|| {
            fail(format!(
                "Scp-Timestamp `{timestamp}` is not a Unix time in milliseconds"
            ))
        })?;
    if let Some(window) = state.timestamp_window {
        let skew = env.clock().now_ms().abs_diff(sent_ms);
        if u128::from(skew) > window.as_millis() {
            return Err(fail(format!(
                "Scp-Timestamp {timestamp} is {skew} ms away from the server clock (allowed: {} ms)",
                window.as_millis()
            )));
        }
    }

    // The official SDK's variant signs a non-empty Scp-AccountId (§1.1).
    let account_id = header(request, "scp-accountid");
    if let Some(sent) = &account_id
        && *sent != account.account_id
    {
        return Err(fail(format!(
            "Scp-AccountId {sent} is not the account of access key {access_key}"
        )));
    }

    // HTTP/2 carries the host as :authority; wiremock puts it in the URL.
    let host = header(request, "host").or_else(|| {
        request.url.host_str().map(|h| match request.url.port() {
            Some(port) => format!("{h}:{port}"),
            None => h.to_owned(),
        })
    });
    let url = signed_url(
        host.as_deref().unwrap_or(""),
        request.url.path(),
        request.url.query(),
    );
    let message = signing_string(
        request.method.as_str(),
        &url,
        &timestamp,
        &access_key,
        account_id.as_deref(),
    );
    if !verify(&account.secret_key, &message, &sent_signature) {
        return Err(fail(format!(
            "Scp-Signature does not match; the fake signed `{message}`"
        )));
    }
    Ok(account.account_id.clone())
}

/// `"1.3"` → `(1, 3)`.
fn parse_version(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(major) || !digits(minor) {
        return None;
    }
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// `Accept-Language` and `Scp-Api-Version` (§1.3, §2.3), the method, then
/// the operation.
fn serve_route(
    state: &mut Scp,
    env: &Env<'_>,
    request: &Request,
    route: Route<'_>,
    caller: &str,
) -> Result<Reply, ApiError> {
    if state.strict_headers && header(request, "accept-language").is_none() {
        return Err(ApiError::validation(vec![
            "Header \"Accept-Language\" is required (ko-KR or en-US).".to_owned(),
        ]));
    }
    let version_header = match header(request, "scp-api-version") {
        Some(v) => v,
        None if state.strict_headers => {
            return Err(ApiError::validation(vec![format!(
                "Header \"Scp-Api-Version\" is required, e.g. \"{PRODUCT} {FALLBACK_VERSION}\"."
            )]));
        }
        None => format!("{PRODUCT} {FALLBACK_VERSION}"),
    };
    let version = match version_header.split_once(' ') {
        Some((PRODUCT, number)) if state.versions.iter().any(|v| v == number) => {
            parse_version(number)
        }
        _ => None,
    };
    let Some(version) = version else {
        let number = version_header
            .strip_prefix(PRODUCT)
            .map(str::trim)
            .unwrap_or(&version_header);
        let detail = if version_header.starts_with(PRODUCT) && RETIRED_VERSIONS.contains(&number) {
            format!(
                "{PRODUCT} {number} is a deprecated version past its Not Before date and is no longer supported."
            )
        } else {
            format!("{version_header} is an Unsupported version.")
        };
        return Err(ApiError::new(400, "UnsupportedVersion", detail));
    };

    let method = request.method.as_str();
    if !route.methods().contains(&method) {
        return Err(ApiError::new(
            405,
            "MethodNotAllowed",
            format!(
                "Method {method} is not allowed on {} (the fake serves {}).",
                request.url.path(),
                route.methods().join(", ")
            ),
        ));
    }
    let call = Call {
        caller,
        method,
        route,
        request,
        version,
        clock: env.clock(),
    };
    dispatch(state, &call)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_version("1.3"), Some((1, 3)));
        assert_eq!(parse_version("10.12"), Some((10, 12)));
        assert_eq!(parse_version("v1.3"), None);
        assert_eq!(parse_version("1."), None);
        assert_eq!(parse_version("1"), None);
    }
}
