//! The request pipeline: where the parameters are (JSON body, query, form body), the common
//! headers or parameters, TC3 or v1 authentication, region, rate limit, then the action.

use serde_json::{Map, Value};
use wiremock::Request;

use super::TencentReceivedRequest;
use super::errors::{ApiError, error_reply, success_reply};
use super::handlers::{Action, Caller, dispatch};
use super::params::{decode_form, unflatten};
use super::regions;
use super::seed::TencentAccount;
use super::state::Tencent;
use crate::harness::wire::{header, is_media, uuid_v4};
use crate::harness::{Env, Reply};
use crate::tc3;
use crate::tencent_v1::{self, SignatureMethod};

/// The only API version the fake serves.
pub(crate) const API_VERSION: &str = "2017-03-12";
/// The credential-scope service the fake expects.
pub(crate) const SERVICE: &str = "cvm";

/// A log entry for a request that just arrived.
pub(crate) fn record(request: &Request) -> TencentReceivedRequest {
    TencentReceivedRequest {
        action: header(request, "x-tc-action"),
        account_id: None,
        error_code: None,
        status: None,
        body: String::from_utf8_lossy(&request.body).into_owned(),
        fault: None,
        method: request.method.as_str().to_owned(),
        query: request.url.query().unwrap_or("").to_owned(),
        signature_method: None,
        region: header(request, "x-tc-region"),
    }
}

/// Checks and answers one request, with a fresh request id.
pub(crate) fn serve(
    state: &mut Tencent,
    env: &mut Env<'_>,
    request: &Request,
    record: &mut TencentReceivedRequest,
) -> Reply {
    let request_id = uuid_v4();
    match process(state, env, request, record) {
        Ok(fields) => success_reply(fields, &request_id),
        Err(error) => error_reply(&error, &request_id),
    }
}

fn unsupported(message: impl Into<String>) -> ApiError {
    ApiError::new("UnsupportedProtocol", message)
}

/// `application/x-www-form-urlencoded`, with any parameters.
fn is_form_content_type(value: &str) -> bool {
    value.split(';').next().is_some_and(|m| {
        m.trim()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })
}

/// Where a request's action parameters are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carrier {
    /// A JSON object body (POST).
    Json,
    /// Flattened `name=value` pairs in the query (GET) or form body (POST).
    Pairs,
}

/// The host the client addressed, as signed: the `Host` header, else the
/// URL's host and port (HTTP/2 carries it as `:authority`).
fn request_host(request: &Request) -> String {
    if let Some(host) = header(request, "host") {
        return host;
    }
    match (request.url.host_str(), request.url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => String::new(),
    }
}

/// The largest v1 request: 32 KB of query for GET, 1 MB of body for POST (§2.6).
const V1_MAX_GET: usize = 32 * 1024;
const V1_MAX_POST: usize = 1024 * 1024;

fn process(
    state: &mut Tencent,
    env: &mut Env<'_>,
    request: &Request,
    record: &mut TencentReceivedRequest,
) -> Result<Map<String, Value>, ApiError> {
    let method = request.method.as_str();
    if method != "POST" && method != "GET" {
        return Err(unsupported(format!(
            "Only GET and POST are supported, not {method}."
        )));
    }
    if request.url.path() != "/" {
        return Err(unsupported(format!(
            "API 3.0 requests go to `/`, not `{}`.",
            request.url.path()
        )));
    }
    let content_type = header(request, "content-type").unwrap_or_default();
    let (carrier, raw_pairs) = if method == "GET" {
        (
            Carrier::Pairs,
            decode_form(request.url.query().unwrap_or("")),
        )
    } else if is_media(&content_type, "application/json") {
        (Carrier::Json, Vec::new())
    } else if is_form_content_type(&content_type) {
        (
            Carrier::Pairs,
            decode_form(&String::from_utf8_lossy(&request.body)),
        )
    } else {
        return Err(unsupported(format!(
            "Content-Type must be application/json or application/x-www-form-urlencoded, not `{content_type}`."
        )));
    };
    let pair = |name: &str| {
        raw_pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };

    // Signature v1 carries everything as parameters and has no Authorization (§2.1).
    let v1 = carrier == Carrier::Pairs
        && header(request, "authorization").is_none()
        && pair("Signature").is_some();
    let common = |header_name: &str, param: &str| {
        if v1 {
            pair(param)
        } else {
            header(request, header_name)
        }
    };
    let missing =
        |header_name: &str, param: &str| ApiError::missing(if v1 { param } else { header_name });

    // Common parameters (§2.1, §3.1).
    let action_name =
        common("x-tc-action", "Action").ok_or_else(|| missing("X-TC-Action", "Action"))?;
    record.action = Some(action_name.clone());
    let version =
        common("x-tc-version", "Version").ok_or_else(|| missing("X-TC-Version", "Version"))?;
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
    let timestamp = common("x-tc-timestamp", "Timestamp")
        .ok_or_else(|| missing("X-TC-Timestamp", "Timestamp"))?;
    // The image APIs list Region as required (§5.1–5.3).
    let region = common("x-tc-region", "Region")
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| missing("X-TC-Region", "Region"))?;
    record.region = Some(region.clone());
    if let Some(language) = common("x-tc-language", "Language")
        && language != "zh-CN"
        && language != "en-US"
    {
        return Err(ApiError::invalid_value(format!(
            "Language must be zh-CN or en-US, not `{language}`."
        )));
    }

    let caller = if v1 {
        authenticate_v1(state, env, request, &raw_pairs, record)?
    } else {
        record.signature_method = Some(tc3::ALGORITHM.to_owned());
        authenticate(state, env, request, &timestamp)?
    };
    record.account_id = Some(caller.clone());

    if !regions::is_known(&region) {
        return Err(ApiError::new(
            "InvalidRegion.NotFound",
            format!("The region `{region}` does not exist."),
        ));
    }
    if action != Action::DescribeImages && !regions::supports_sharing(&region) {
        return Err(ApiError::new(
            "UnsupportedRegion",
            format!("{action_name} is not available in region `{region}`."),
        ));
    }

    if let Err(limit) = env.admit(&caller, &action_name) {
        return Err(ApiError::new(
            state.rate_limit_code.as_str(),
            format!(
                "Your current request times exceeds the frequency limit `{limit}` per second for {action_name}. Please reduce the frequency of calls."
            ),
        ));
    }

    let params = match carrier {
        Carrier::Pairs => unflatten(&raw_pairs)?,
        Carrier::Json => parse_json_body(&request.body)?,
    };
    let caller = Caller {
        account_id: &caller,
        region: &region,
        clock: env.clock(),
    };
    dispatch(state, action, caller, &params)
}

fn parse_json_body(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::new(
            "InvalidParameter",
            "The request body must be a JSON object.",
        )),
        Err(e) => Err(ApiError::new(
            "InvalidParameter",
            format!("The request body is not valid JSON: {e}."),
        )),
    }
}

/// Temporary keys need their token; long-term keys must not send one (§3.1).
fn check_token(account: &TencentAccount, sent: Option<String>, name: &str) -> Result<(), ApiError> {
    let sent = sent.filter(|t| !t.is_empty());
    match (&account.session_token, sent) {
        (None, None) => Ok(()),
        (Some(expected), Some(sent)) if *expected == sent => Ok(()),
        (Some(_), Some(_)) => Err(ApiError::new(
            "AuthFailure.TokenFailure",
            format!("The {name} does not match the temporary credential."),
        )),
        (Some(_), None) => Err(ApiError::new(
            "AuthFailure.TokenFailure",
            format!("This SecretId is a temporary credential; send its token in {name}."),
        )),
        (None, Some(_)) => Err(ApiError::new(
            "AuthFailure.TokenFailure",
            format!("{name} was sent with a long-term SecretId that has no token."),
        )),
    }
}

fn secret_id_not_found(secret_id: &str) -> ApiError {
    ApiError::new(
        "AuthFailure.SecretIdNotFound",
        format!(
            "The SecretId `{secret_id}` is not found; check that it is correct and has no stray whitespace."
        ),
    )
}

/// Signature v1 checks (§2); returns the caller's account id.
fn authenticate_v1(
    state: &Tencent,
    env: &Env<'_>,
    request: &Request,
    pairs: &[(String, String)],
    record: &mut TencentReceivedRequest,
) -> Result<String, ApiError> {
    let find = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let method = SignatureMethod::from_param(find("SignatureMethod"));
    record.signature_method = Some(method.as_str().to_owned());
    for name in ["Nonce", "SecretId", "Timestamp"] {
        if find(name).is_none_or(str::is_empty) {
            return Err(ApiError::missing(name));
        }
    }
    if find("Nonce").is_some_and(|n| !n.bytes().all(|b| b.is_ascii_digit())) {
        return Err(ApiError::invalid_value(
            "`Nonce` must be a positive integer.",
        ));
    }
    let too_big = if request.method.as_str() == "GET" {
        request.url.query().map_or(0, str::len) > V1_MAX_GET
    } else {
        request.body.len() > V1_MAX_POST
    };
    if too_big {
        return Err(ApiError::new(
            "AuthFailure.SignatureFailure",
            "The request is exceeding request size limit, please use new signature method TC3-HMAC-SHA256.",
        ));
    }
    let secret_id = find("SecretId").unwrap_or_default();
    let account = state
        .account_by_secret_id(secret_id)
        .ok_or_else(|| secret_id_not_found(secret_id))?;
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    tencent_v1::verify(
        request.method.as_str(),
        &request_host(request),
        request.url.path(),
        &borrowed,
        &account.secret_key,
        env.clock().now_secs(),
    )
    .map_err(|e| ApiError::new(e.code(), e.to_string()))?;
    check_token(account, find("Token").map(str::to_owned), "Token parameter")?;
    Ok(account.account_id.clone())
}

/// TC3 checks (§1.1, §4.2); returns the caller's account id.
fn authenticate(
    state: &Tencent,
    env: &Env<'_>,
    request: &Request,
    timestamp: &str,
) -> Result<String, ApiError> {
    let invalid = |message: String| ApiError::new("AuthFailure.InvalidAuthorization", message);
    let authorization = header(request, "authorization")
        .ok_or_else(|| invalid("The Authorization header is missing.".into()))?;
    let parsed = tc3::parse_authorization(&authorization).map_err(|e| invalid(e.to_string()))?;
    let account = state
        .account_by_secret_id(&parsed.secret_id)
        .ok_or_else(|| secret_id_not_found(&parsed.secret_id))?;

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
    if request.headers.get("host").is_none() {
        headers.push(("host".into(), request_host(request)));
    }
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    // The SDKs' unsigned-payload option hashes the literal `UNSIGNED-PAYLOAD`
    // and says so in X-TC-Content-SHA256 (§1.1).
    let unsigned =
        header(request, "x-tc-content-sha256").is_some_and(|v| v.trim() == UNSIGNED_PAYLOAD);
    let body: &[u8] = if unsigned {
        UNSIGNED_PAYLOAD.as_bytes()
    } else {
        &request.body
    };
    let signed = tc3::SignedRequest {
        method: request.method.as_str(),
        path: request.url.path(),
        query: request.url.query().unwrap_or(""),
        headers: &headers,
        body,
        timestamp,
    };
    tc3::verify(
        &signed,
        &parsed,
        &account.secret_key,
        SERVICE,
        env.clock().now_secs(),
    )
    .map_err(|e| ApiError::new(e.code(), e.to_string()))?;
    check_token(account, header(request, "x-tc-token"), "X-TC-Token")?;
    Ok(account.account_id.clone())
}

const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert!(is_media(
            "application/json; charset=utf-8",
            "application/json"
        ));
        assert!(!is_media(
            "application/x-www-form-urlencoded",
            "application/json"
        ));
        assert!(is_form_content_type("application/x-www-form-urlencoded"));
        assert!(is_form_content_type(
            "application/x-www-form-urlencoded; charset=utf-8"
        ));
        assert!(!is_form_content_type("multipart/form-data"));
    }
}
