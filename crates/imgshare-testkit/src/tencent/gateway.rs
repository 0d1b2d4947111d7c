//! The request pipeline: faults, common headers (tencent.md §3.1), TC3
//! authentication (§1), rate limit (§4.3), then the action.
//!
//! Two wiremock mocks share this state: [`DropMatcher`] claims requests
//! that must lose their connection, and [`Responder`] answers the rest.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};
use wiremock::{Match, Request, Respond, ResponseTemplate};

use super::ReceivedRequest;
use super::errors::{ApiError, error_response, request_id, success_response};
use super::faults::{Fault, FaultOutcome, outcome};
use super::handlers::{Action, dispatch};
use super::state::State;
use crate::tc3;

/// The only API version the fake serves (§5).
pub(crate) const API_VERSION: &str = "2017-03-12";
/// The credential-scope service the fake expects (§1.1 step 2).
pub(crate) const SERVICE: &str = "cvm";

pub(crate) type Shared = Arc<Mutex<State>>;

/// A panic in one test thread must not make every later call panic too.
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

fn new_record(request: &Request) -> ReceivedRequest {
    ReceivedRequest {
        action: header(request, "x-tc-action"),
        account_id: None,
        error_code: None,
        body: String::from_utf8_lossy(&request.body).into_owned(),
        fault: None,
    }
}

/// Matches (and consumes) a pending [`Fault::DropConnection`]; its mock
/// answers with a handler error, which makes hyper close the connection
/// without writing a response.
#[derive(Debug)]
pub(crate) struct DropMatcher(pub(crate) Shared);

impl Match for DropMatcher {
    fn matches(&self, request: &Request) -> bool {
        let mut state = lock(&self.0);
        if state.peek_fault() != Some(&Fault::DropConnection) {
            return false;
        }
        state.take_fault();
        let mut record = new_record(request);
        record.fault = Some(Fault::DropConnection);
        state.received.push(record);
        true
    }
}

/// The error the drop mock hands to hyper.
pub(crate) fn dropped_connection(_: &Request) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::ConnectionReset,
        "imgshare-testkit: injected DropConnection fault",
    )
}

/// The fake's `wiremock::Respond` implementation.
#[derive(Debug)]
pub(crate) struct Responder(pub(crate) Shared);

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = lock(&self.0);
        let request_id = request_id();
        let mut record = new_record(request);

        let mut delay = None;
        if let Some(fault) = state.take_fault() {
            let result = outcome(&fault, &request_id);
            record.fault = Some(fault);
            match result {
                FaultOutcome::Respond {
                    response,
                    error_code,
                } => {
                    record.error_code = error_code.map(str::to_owned);
                    state.received.push(record);
                    return response;
                }
                FaultOutcome::DelayThenProcess(d) => delay = Some(d),
            }
        }

        let response = match process(&mut state, request, &mut record) {
            Ok(fields) => success_response(fields, &request_id),
            Err(error) => {
                record.error_code = Some(error.code.to_owned());
                error_response(&error, &request_id)
            }
        };
        state.received.push(record);
        match delay {
            // wiremock sleeps outside its lock, so other requests proceed.
            Some(d) => response.set_delay(d),
            None => response,
        }
    }
}

fn unsupported(message: impl Into<String>) -> ApiError {
    ApiError::new("UnsupportedProtocol", message)
}

/// `application/json`, optionally with `; charset=utf-8` (§3.1).
fn is_json_content_type(value: &str) -> bool {
    let mut parts = value.split(';').map(str::trim);
    let media_ok = parts
        .next()
        .is_some_and(|m| m.eq_ignore_ascii_case("application/json"));
    media_ok
        && parts.all(|p| {
            p.split_once('=').is_some_and(|(k, v)| {
                k.trim().eq_ignore_ascii_case("charset")
                    && v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            })
        })
}

fn process(
    state: &mut State,
    request: &Request,
    record: &mut ReceivedRequest,
) -> Result<Map<String, Value>, ApiError> {
    // POST + JSON only; GET and form bodies are out of the fake's scope.
    if request.method.as_str() != "POST" {
        return Err(unsupported(format!(
            "The fake supports only POST with a JSON body, not {}.",
            request.method.as_str()
        )));
    }
    if request.url.path() != "/" {
        return Err(unsupported(format!(
            "API 3.0 requests go to `/`, not `{}`.",
            request.url.path()
        )));
    }
    let content_type = header(request, "content-type").unwrap_or_default();
    if !is_json_content_type(&content_type) {
        return Err(unsupported(format!(
            "Content-Type must be application/json, not `{content_type}`."
        )));
    }

    // Common headers (§3.1).
    let action_name =
        header(request, "x-tc-action").ok_or_else(|| ApiError::missing("X-TC-Action"))?;
    let version =
        header(request, "x-tc-version").ok_or_else(|| ApiError::missing("X-TC-Version"))?;
    if version != API_VERSION {
        return Err(ApiError::new(
            "NoSuchVersion",
            format!("The API version `{version}` does not exist; cvm uses {API_VERSION}."),
        ));
    }
    let action = Action::parse(&action_name).ok_or_else(|| {
        ApiError::new(
            "InvalidAction",
            format!("The action `{action_name}` does not exist (the fake implements ModifyImageSharePermission, DescribeImageSharePermission and DescribeImages)."),
        )
    })?;
    let timestamp =
        header(request, "x-tc-timestamp").ok_or_else(|| ApiError::missing("X-TC-Timestamp"))?;
    // The image APIs list Region as required (§5.1); the fake has one
    // region, so any non-empty value is accepted.
    if header(request, "x-tc-region").is_none_or(|r| r.trim().is_empty()) {
        return Err(ApiError::missing("X-TC-Region"));
    }
    if let Some(language) = header(request, "x-tc-language")
        && language != "zh-CN"
        && language != "en-US"
    {
        return Err(ApiError::invalid_value(format!(
            "X-TC-Language must be zh-CN or en-US, not `{language}`."
        )));
    }

    let caller = authenticate(state, request, &timestamp)?;
    record.account_id = Some(caller.clone());

    if let Err(limit) = state.admit(&caller, &action_name) {
        return Err(ApiError::new(
            "RequestLimitExceeded",
            format!(
                "Your current request times exceeds the frequency limit `{limit}` per second for {action_name}. Please reduce the frequency of calls."
            ),
        ));
    }

    let params = if request.body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(Value::Object(map)) => map,
            Ok(_) => {
                return Err(ApiError::new(
                    "InvalidParameter",
                    "The request body must be a JSON object.",
                ));
            }
            Err(e) => {
                return Err(ApiError::new(
                    "InvalidParameter",
                    format!("The request body is not valid JSON: {e}."),
                ));
            }
        }
    };
    dispatch(state, action, &caller, &params)
}

/// TC3 checks (§1.1, §4.2); returns the caller's account id.
fn authenticate(state: &State, request: &Request, timestamp: &str) -> Result<String, ApiError> {
    let invalid = |message: String| ApiError::new("AuthFailure.InvalidAuthorization", message);
    let authorization = header(request, "authorization")
        .ok_or_else(|| invalid("The Authorization header is missing.".into()))?;
    let parsed = tc3::parse_authorization(&authorization).map_err(|e| invalid(e.to_string()))?;
    let account = state.account_by_secret_id(&parsed.secret_id).ok_or_else(|| {
        ApiError::new(
            "AuthFailure.SecretIdNotFound",
            format!(
                "The SecretId `{}` is not found; check that it is correct and has no stray whitespace.",
                parsed.secret_id
            ),
        )
    })?;

    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    // HTTP/2 carries the host as :authority, not a Host header.
    if request.headers.get("host").is_none()
        && let Some(host) = request.url.host_str()
    {
        let host = match request.url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        headers.push(("host".into(), host));
    }
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let signed = tc3::SignedRequest {
        method: request.method.as_str(),
        path: request.url.path(),
        query: request.url.query().unwrap_or(""),
        headers: &headers,
        body: &request.body,
        timestamp,
    };
    tc3::verify(
        &signed,
        &parsed,
        &account.secret_key,
        SERVICE,
        state.now_unix(),
    )
    .map_err(|e| ApiError::new(e.code(), e.to_string()))?;

    // Temporary keys need their token; long-term keys must not send one (§3.1).
    let sent = header(request, "x-tc-token").filter(|t| !t.is_empty());
    match (&account.session_token, sent) {
        (None, None) => {}
        (Some(expected), Some(sent)) if *expected == sent => {}
        (Some(_), Some(_)) => {
            return Err(ApiError::new(
                "AuthFailure.TokenFailure",
                "The X-TC-Token does not match the temporary credential.",
            ));
        }
        (Some(_), None) => {
            return Err(ApiError::new(
                "AuthFailure.TokenFailure",
                "This SecretId is a temporary credential; send its token in X-TC-Token.",
            ));
        }
        (None, Some(_)) => {
            return Err(ApiError::new(
                "AuthFailure.TokenFailure",
                "X-TC-Token was sent with a long-term SecretId that has no token.",
            ));
        }
    }
    Ok(account.account_id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_content_types() {
        assert!(is_json_content_type("application/json"));
        assert!(is_json_content_type("application/json; charset=utf-8"));
        assert!(is_json_content_type("Application/JSON;charset=UTF-8"));
        assert!(!is_json_content_type("application/x-www-form-urlencoded"));
        assert!(!is_json_content_type("application/json; charset=latin1"));
        assert!(!is_json_content_type(""));
    }
}
