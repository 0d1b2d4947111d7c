//! The request pipeline: the API gateway's HMAC authentication, the service's common headers,
//! then the operation.

use wiremock::Request;

use super::ScpReceivedRequest;
use super::errors::{ApiError, err, error_reply, fail, gateway_not_found, hmac_valid_fail};
use super::handlers::{Call, Route};
use super::signin::{authenticate, header};
use super::state::{FALLBACK_VERSION, RETIRED_VERSIONS, Scp};
use crate::harness::{Env, Reply};

/// The product token of `Scp-Api-Version`.
pub(crate) const PRODUCT: &str = "virtualserver";

/// A log entry for a request that just arrived.
pub(crate) fn record(request: &Request) -> ScpReceivedRequest {
    ScpReceivedRequest {
        method: request.method.as_str().to_owned(),
        path: request.url.path().to_owned(),
        query: request.url.query().map(str::to_owned),
        api_version: header(request, "scp-api-version"),
        body: String::from_utf8_lossy(&request.body).into_owned(),
        ..ScpReceivedRequest::default()
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
    let caller = match authenticate(state, env.clock().now_ms(), request) {
        Ok(caller) => caller,
        Err(None) => return gateway_not_found(path, now_ms, sequence),
        Err(Some(reason)) => return hmac_valid_fail(&reason),
    };
    record.account_id = Some(caller.clone());
    if env.admit(&caller, route.template).is_err() {
        return error_reply(&err("throttled", &[]));
    }
    serve_route(state, env, request, &route, &caller).unwrap_or_else(|e| error_reply(&e))
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

/// `Accept-Language` and `Scp-Api-Version`, the method, then
/// the operation.
fn serve_route(
    state: &mut Scp,
    env: &Env<'_>,
    request: &Request,
    route: &Route<'_>,
    caller: &str,
) -> Result<Reply, ApiError> {
    if state.strict_headers && header(request, "accept-language").is_none() {
        return fail("accept_language", &[]);
    }
    let fallback = format!("{PRODUCT} {FALLBACK_VERSION}");
    let version_header = match header(request, "scp-api-version") {
        Some(version) => version,
        None if state.strict_headers => return fail("version_required", &[&fallback]),
        None => fallback,
    };
    let served = version_header
        .split_once(' ')
        .filter(|(product, n)| *product == PRODUCT && state.versions.iter().any(|v| v == n));
    let Some(version) = served.and_then(|(_, n)| parse_version(n)) else {
        let number = version_header.strip_prefix(PRODUCT).map(str::trim);
        return match number.filter(|n| RETIRED_VERSIONS.contains(n)) {
            Some(n) => fail("version_retired", &[&n]),
            None => fail("version_unsupported", &[&version_header]),
        };
    };

    let Some(handler) = route.handler(request.method.as_str()) else {
        return fail("invalid_method", &[]);
    };
    let call = Call {
        caller,
        image_id: route.param(0),
        member_id: route.param(1),
        request,
        version,
        clock: env.clock(),
    };
    handler(state, &call)
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
