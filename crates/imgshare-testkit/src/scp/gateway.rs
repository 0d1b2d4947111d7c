//! The request pipeline: the API gateway's HMAC authentication, the service's common headers,
//! then the operation.

use wiremock::Request;

use super::ScpReceivedRequest;
use super::errors::{ApiError, err, error_reply, fail, gateway_not_found, hmac_valid_fail};
use super::handlers::{Answer, Call, Route};
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
    let sequence = state.gateway_sequence;
    let (path, now_ms) = (request.url.path(), env.clock().now_ms());
    let not_found = || gateway_not_found(path, now_ms, sequence);
    let Some(route) = Route::parse(path) else {
        return not_found();
    };
    let caller = match authenticate(state, now_ms, request) {
        Ok(caller) => caller,
        Err(None) => return not_found(),
        Err(Some(reason)) => return hmac_valid_fail(&reason),
    };
    record.account_id = Some(caller.clone());
    operation(state, env, request, route, &caller).unwrap_or_else(|e| error_reply(&e))
}

/// The caller's rate limit, then the service: `Accept-Language`, `Scp-Api-Version` and the
/// method, then the operation.
fn operation(
    state: &mut Scp,
    env: &mut Env<'_>,
    request: &Request,
    route: Route<'_>,
    caller: &str,
) -> Answer {
    (env.admit(caller, route.template)).map_err(|_| err("throttled", &[]))?;
    if state.strict_headers && header(request, "accept-language").is_none() {
        return fail("accept_language", &[]);
    }
    let version = api_version(state, request)?;
    let handler = route.handler(request.method.as_str());
    let handler = handler.ok_or_else(|| err("invalid_method", &[]))?;
    let (image_id, member_id) = (route.image_id, route.member_id);
    let call = Call {
        caller,
        image_id,
        member_id,
        request,
        version,
        clock: env.clock(),
    };
    handler(state, &call)
}

/// The `Scp-Api-Version` in force, `(major, minor)`: one the fake serves, or the fallback
/// when the header is left out and the fake is lenient.
fn api_version(state: &Scp, request: &Request) -> Result<(u32, u32), ApiError> {
    let fallback = format!("{PRODUCT} {FALLBACK_VERSION}");
    let version = match header(request, "scp-api-version") {
        Some(version) => version,
        None if state.strict_headers => return fail("version_required", &[&fallback]),
        None => fallback,
    };
    let served = (version.split_once(' '))
        .filter(|(product, n)| *product == PRODUCT && state.versions.iter().any(|v| v == n));
    if let Some(number) = served.and_then(|(_, n)| parse_version(n)) {
        return Ok(number);
    }
    let number = version.strip_prefix(PRODUCT).map(str::trim);
    match number.filter(|n| RETIRED_VERSIONS.contains(n)) {
        Some(n) => fail("version_retired", &[&n]),
        None => fail("version_unsupported", &[&version]),
    }
}

/// `"1.3"` → `(1, 3)`.
fn parse_version(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.split_once('.')?;
    let number = |s: &str| {
        s.parse()
            .ok()
            .filter(|_| s.bytes().all(|b| b.is_ascii_digit()))
    };
    Some((number(major)?, number(minor)?))
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
        assert_eq!(parse_version("+1.3"), None);
        assert_eq!(parse_version("1.-3"), None);
    }
}
