//! The request pipeline: where the parameters are (JSON body, query, form body), the common
//! headers (TC3) or parameters (v1), authentication, region, rate limit, then the action.

use serde_json::Value;
use wiremock::Request;

use super::api::api;
use super::errors::{ApiError, ensure, err, error_reply, fail, success_reply};
use super::form::{decode_form, unflatten};
use super::handlers::{ACTIONS, Call, dispatch};
use super::state::Tencent;
use super::{TencentReceivedRequest, auth};
use crate::harness::wire::{header, is_media, json_object, lookup, uuid_v4};
use crate::harness::{Env, Reply};
use crate::tc3;

/// The only API version the fake serves.
const API_VERSION: &str = "2017-03-12";

/// A log entry for a request that just arrived.
pub(crate) fn record(request: &Request) -> TencentReceivedRequest {
    TencentReceivedRequest {
        action: header(request, "x-tc-action"),
        body: String::from_utf8_lossy(&request.body).into_owned(),
        method: request.method.as_str().to_owned(),
        query: request.url.query().unwrap_or("").to_owned(),
        region: header(request, "x-tc-region"),
        ..TencentReceivedRequest::default()
    }
}

/// Checks and answers one request, with a fresh request id.
pub(crate) fn serve(
    state: &mut Tencent,
    env: &mut Env<'_>,
    request: &Request,
    record: &mut TencentReceivedRequest,
) -> Reply {
    match process(state, env, request, record) {
        Ok(fields) => success_reply(fields, &uuid_v4()),
        Err(error) => error_reply(&error, &uuid_v4()),
    }
}

/// `application/x-www-form-urlencoded`, with any parameters.
fn is_form_content_type(value: &str) -> bool {
    let media = value.split(';').next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// Where the action's parameters are: flattened pairs from the query (GET) or a form body
/// (`Some`), or a JSON object body (`None`).
fn carrier(request: &Request) -> Result<Option<Vec<(String, String)>>, ApiError> {
    let (method, path) = (request.method.as_str(), request.url.path());
    let content_type = header(request, "content-type").unwrap_or_default();
    match method {
        "GET" | "POST" if path != "/" => fail("unsupported_path", &[&path]),
        "GET" => Ok(Some(decode_form(request.url.query().unwrap_or("")))),
        "POST" if is_media(&content_type, "application/json") => Ok(None),
        "POST" if is_form_content_type(&content_type) => {
            Ok(Some(decode_form(&String::from_utf8_lossy(&request.body))))
        }
        "POST" => fail("unsupported_content_type", &[&content_type]),
        _ => fail("unsupported_method", &[&method]),
    }
}

fn process(
    state: &mut Tencent,
    env: &mut Env<'_>,
    request: &Request,
    record: &mut TencentReceivedRequest,
) -> Result<Value, ApiError> {
    let pairs = carrier(request)?;
    let flat = pairs.as_deref().unwrap_or_default();
    // Signature v1 carries everything as parameters and has no Authorization.
    let v1 = pairs.is_some()
        && header(request, "authorization").is_none()
        && lookup(flat, "Signature").is_some();
    // A common parameter: the header (TC3), or the parameter of the same name (v1).
    let common = |header_name: &str| {
        let param = header_name.strip_prefix("X-TC-").unwrap_or(header_name);
        let (name, value) = if v1 {
            (param, lookup(flat, param).map(str::to_owned))
        } else {
            (header_name, header(request, header_name))
        };
        let value = value.filter(|v| param != "Region" || !v.trim().is_empty());
        value.ok_or_else(|| err("missing", &[&name]))
    };

    let action = common("X-TC-Action")?;
    record.action = Some(action.clone());
    let version = common("X-TC-Version")?;
    let known = version == API_VERSION;
    ensure(known, || err("no_such_version", &[&version, &API_VERSION]))?;
    let (implemented, actions) = (ACTIONS.contains(&action.as_str()), ACTIONS.join(", "));
    ensure(implemented, || err("invalid_action", &[&action, &actions]))?;
    let timestamp = common("X-TC-Timestamp")?;
    // The image APIs list Region as required.
    let region = common("X-TC-Region")?;
    record.region = Some(region.clone());
    let language = common("X-TC-Language").ok();
    if let Some(language) = language.filter(|l| l != "zh-CN" && l != "en-US") {
        return fail("language", &[&language]);
    }

    let now = env.clock().now_secs();
    let (caller, method) = match &pairs {
        Some(pairs) if v1 => auth::v1(state, now, request, pairs)?,
        _ => (auth::tc3(state, now, request, &timestamp)?, tc3::ALGORITHM),
    };
    (record.account_id, record.signature_method) = (Some(caller.clone()), Some(method.to_owned()));

    api().check_region(&region, &action)?;
    env.admit(&caller, &action).map_err(|limit| ApiError {
        code: state.rate_limit_code.as_str(),
        ..err("rate_limited", &[&limit, &action])
    })?;
    let params = match &pairs {
        Some(pairs) => unflatten(pairs)?,
        None => json_object(&request.body, err)?.unwrap_or_default(),
    };
    let call = Call {
        account_id: &caller,
        region: &region,
        clock: env.clock(),
        params: &params,
    };
    dispatch(state, &action, call)
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
