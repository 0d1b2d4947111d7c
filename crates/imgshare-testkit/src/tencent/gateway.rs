//! The request pipeline: where the parameters are (JSON body, query, form body), the common
//! headers (TC3) or parameters (v1), authentication, region, rate limit, then the action.

use serde_json::Value;
use wiremock::Request;

use super::errors::{ApiError, error_reply, fail, success_reply};
use super::handlers::{ACTIONS, Caller, dispatch};
use super::params::{Params, decode_form, unflatten};
use super::state::Tencent;
use super::{TencentReceivedRequest, auth, regions};
use crate::harness::wire::{header, is_media, uuid_v4};
use crate::harness::{Env, Reply};
use crate::tc3;

/// The only API version the fake serves.
const API_VERSION: &str = "2017-03-12";

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
    let media = value.split(';').next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// Where the action's parameters are: flattened pairs from the query (GET) or a form body
/// (`Some`), or a JSON object body (`None`).
fn carrier(request: &Request) -> Result<Option<Vec<(String, String)>>, ApiError> {
    let method = request.method.as_str();
    if method != "POST" && method != "GET" {
        return Err(unsupported(format!(
            "Only GET and POST are supported, not {method}."
        )));
    }
    if request.url.path() != "/" {
        let path = request.url.path();
        return Err(unsupported(format!(
            "API 3.0 requests go to `/`, not `{path}`."
        )));
    }
    let content_type = header(request, "content-type").unwrap_or_default();
    if method == "GET" {
        Ok(Some(decode_form(request.url.query().unwrap_or(""))))
    } else if is_media(&content_type, "application/json") {
        Ok(None)
    } else if is_form_content_type(&content_type) {
        Ok(Some(decode_form(&String::from_utf8_lossy(&request.body))))
    } else {
        Err(unsupported(format!(
            "Content-Type must be application/json or application/x-www-form-urlencoded, not `{content_type}`."
        )))
    }
}

fn process(
    state: &mut Tencent,
    env: &mut Env<'_>,
    request: &Request,
    record: &mut TencentReceivedRequest,
) -> Result<Params, ApiError> {
    let pairs = carrier(request)?;
    let pair = |name: &str| {
        let pairs = pairs.iter().flatten();
        pairs
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .next()
    };
    // Signature v1 carries everything as parameters and has no Authorization.
    let v1 = pairs.is_some()
        && header(request, "authorization").is_none()
        && pair("Signature").is_some();
    // A common parameter: the header (TC3), or the parameter (v1).
    let common = |header_name: &str| {
        let param = header_name.strip_prefix("X-TC-").unwrap_or(header_name);
        let value = if v1 {
            pair(param)
        } else {
            header(request, header_name)
        };
        value.ok_or_else(|| ApiError::missing(if v1 { param } else { header_name }))
    };

    let action = common("X-TC-Action")?;
    record.action = Some(action.clone());
    let version = common("X-TC-Version")?;
    if version != API_VERSION {
        let message =
            format!("The API version `{version}` does not exist; cvm uses {API_VERSION}.");
        return fail("NoSuchVersion", message);
    }
    if !ACTIONS.contains(&action.as_str()) {
        let message = format!(
            "The action `{action}` does not exist (the fake implements ModifyImageSharePermission, DescribeImageSharePermission and DescribeImages)."
        );
        return fail("InvalidAction", message);
    }
    let timestamp = common("X-TC-Timestamp")?;
    // The image APIs list Region as required.
    let region = common("X-TC-Region").ok().filter(|r| !r.trim().is_empty());
    let region =
        region.ok_or_else(|| ApiError::missing(if v1 { "Region" } else { "X-TC-Region" }))?;
    record.region = Some(region.clone());
    if let Ok(language) = common("X-TC-Language")
        && language != "zh-CN"
        && language != "en-US"
    {
        let message = format!("Language must be zh-CN or en-US, not `{language}`.");
        return Err(ApiError::invalid_value(message));
    }

    let now = env.clock().now_secs();
    let caller = match &pairs {
        Some(pairs) if v1 => {
            let (caller, method) = auth::v1(state, now, request, pairs)?;
            record.signature_method = Some(method.as_str().to_owned());
            caller
        }
        _ => {
            record.signature_method = Some(tc3::ALGORITHM.to_owned());
            auth::tc3(state, now, request, &timestamp)?
        }
    };
    record.account_id = Some(caller.clone());

    if !regions::is_known(&region) {
        return fail(
            "InvalidRegion.NotFound",
            format!("The region `{region}` does not exist."),
        );
    }
    if action != "DescribeImages" && !regions::supports_sharing(&region) {
        let message = format!("{action} is not available in region `{region}`.");
        return fail("UnsupportedRegion", message);
    }
    if let Err(limit) = env.admit(&caller, &action) {
        let message = format!(
            "Your current request times exceeds the frequency limit `{limit}` per second for {action}. Please reduce the frequency of calls."
        );
        return Err(ApiError::new(state.rate_limit_code.as_str(), message));
    }

    let params = match &pairs {
        Some(pairs) => unflatten(pairs)?,
        None => parse_json_body(&request.body)?,
    };
    let clock = env.clock();
    let caller = Caller {
        account_id: &caller,
        region: &region,
        clock,
    };
    dispatch(state, &action, caller, &params)
}

fn parse_json_body(body: &[u8]) -> Result<Params, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Params::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => fail(
            "InvalidParameter",
            "The request body must be a JSON object.",
        ),
        Err(e) => fail(
            "InvalidParameter",
            format!("The request body is not valid JSON: {e}."),
        ),
    }
}

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
