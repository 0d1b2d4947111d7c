//! The request pipeline: faults, the API gateway's HMAC authentication
//! (scp.md §1, §4.2), the service's common headers (§1.3, §2.3), then the
//! operation (§3).
//!
//! Two wiremock mocks share this state: [`DropMatcher`] claims requests
//! that must lose their connection, and [`Responder`] answers the rest.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use wiremock::{Match, Request, Respond, ResponseTemplate};

use super::ScpReceivedRequest;
use super::auth::{CLIENT_TYPE, signed_url, signing_string, verify};
use super::errors::{Answer, ApiError, RenderContext, render};
use super::faults::{FaultOutcome, ScpFault, outcome};
use super::handlers::{Call, Route, dispatch};
use super::state::{FALLBACK_VERSION, RETIRED_VERSIONS, State};

/// The product token of `Scp-Api-Version` (§2.3).
pub(crate) const PRODUCT: &str = "virtualserver";

pub(crate) type Shared = Arc<Mutex<State>>;

/// A panic in one test thread must not make every later call panic too.
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A header's value; an empty (or all-blank) value counts as absent.
fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .filter(|v| !v.trim().is_empty())
}

fn new_record(request: &Request) -> ScpReceivedRequest {
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

/// Matches (and consumes) a pending [`ScpFault::DropConnection`]; its mock
/// answers with a handler error, which makes hyper close the connection
/// without writing a response.
#[derive(Debug)]
pub(crate) struct DropMatcher(pub(crate) Shared);

impl Match for DropMatcher {
    fn matches(&self, request: &Request) -> bool {
        // Also checked by the mock's path_regex; never consume a fault for
        // a request that belongs to another fake on the same server.
        if !request.url.path().starts_with("/v1/") {
            return false;
        }
        let mut state = lock(&self.0);
        if state.peek_fault() != Some(&ScpFault::DropConnection) {
            return false;
        }
        state.take_fault();
        let mut record = new_record(request);
        record.fault = Some(ScpFault::DropConnection);
        state.received.push(record);
        true
    }
}

/// The error the drop mock hands to hyper.
pub(crate) fn dropped_connection(_: &Request) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::ConnectionReset,
        "imgshare-testkit: injected ScpFault::DropConnection",
    )
}

/// The fake's `wiremock::Respond` implementation.
#[derive(Debug)]
pub(crate) struct Responder(pub(crate) Shared);

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = lock(&self.0);
        let mut record = new_record(request);

        let mut delay = None;
        if let Some(fault) = state.take_fault() {
            let result = outcome(&fault);
            record.fault = Some(fault);
            match result {
                FaultOutcome::Respond {
                    response,
                    status,
                    error_code,
                } => {
                    record.status = Some(status);
                    record.error_code = error_code.map(str::to_owned);
                    state.received.push(record);
                    return response;
                }
                FaultOutcome::DelayThenProcess(d) => delay = Some(d),
            }
        }

        let answer = process(&mut state, request, &mut record);
        state.gateway_sequence += 1;
        let context = RenderContext {
            path: request.url.path(),
            now_ms: state.now_ms(),
            gateway_sequence: state.gateway_sequence,
        };
        let rendered = render(answer, &context);
        record.status = Some(rendered.status);
        record.error_code = rendered.error_code;
        state.received.push(record);
        match delay {
            // wiremock sleeps outside its lock, so other requests proceed.
            Some(d) => rendered.response.set_delay(d),
            None => rendered.response,
        }
    }
}

fn process(state: &mut State, request: &Request, record: &mut ScpReceivedRequest) -> Answer {
    let path = request.url.path();
    // An unknown route is the gateway's 404, like a missing credential.
    let Some(route) = Route::parse(path) else {
        return Answer::GatewayNotFound;
    };
    let caller = match authenticate(state, request) {
        Ok(caller) => caller,
        Err(answer) => return answer,
    };
    record.account_id = Some(caller.clone());
    match serve(state, request, route, &caller) {
        Ok(answer) => answer,
        Err(error) => Answer::Error(error),
    }
}

/// The gateway's HMAC check (§1.1, §1.3, §4.2); returns the caller's
/// account id.
fn authenticate(state: &State, request: &Request) -> Result<String, Answer> {
    // Missing or refused credentials: 404, not 401 (§4.2, observed live).
    let (Some(access_key), Some(sent_signature), Some(timestamp), Some(client_type)) = (
        header(request, "scp-accesskey"),
        header(request, "scp-signature"),
        header(request, "scp-timestamp"),
        header(request, "scp-clienttype"),
    ) else {
        return Err(Answer::GatewayNotFound);
    };
    if client_type != CLIENT_TYPE {
        return Err(Answer::GatewayNotFound);
    }
    let fail = |reason: String| Answer::HmacValidFail(reason);
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
        let skew = state.now_ms().abs_diff(sent_ms);
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
fn serve(
    state: &mut State,
    request: &Request,
    route: Route<'_>,
    caller: &str,
) -> Result<Answer, ApiError> {
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
