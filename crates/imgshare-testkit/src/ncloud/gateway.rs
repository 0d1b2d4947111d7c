//! The request pipeline, in the order an API Gateway would run it: routing, authentication,
//! rate limit, parameters, then the action.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use wiremock::Request;

use super::NcloudReceivedRequest;
use super::errors::{ApiError, GatewayError};
use super::handlers::{Action, Api, dispatch};
use super::params::{Params, parse_urlencoded};
use super::render::{Format, number, object, render, text};
use super::signature::{
    ACCESS_KEY_HEADER, MAX_SKEW_MS, SIGNATURE_HEADER, SIGNATURE_HEADER_V1, TIMESTAMP_HEADER,
    parse_timestamp_ms, sign, signatures_match, string_to_sign, timestamp_fresh,
};
use super::state::Ncloud;
use crate::harness::wire::{header, is_media, uuid_v4};
use crate::harness::{Env, Reply};

/// The request-target as the fake sees it: path, then `?` and the query
/// when the request had one (even an empty one).
///
/// wiremock hands over a parsed `url::Url`, not the raw bytes. For a target
/// that is already percent-encoded the way RFC 3986 asks, its path and
/// query are the bytes received. Only characters that hyper accepts but the
/// `url` crate escapes differ: a raw `'` or non-ASCII byte in the query (the
/// fake sees `%27` / `%C3%A9`), `"`, `{`, `}`, `` ` `` or non-ASCII in the
/// path, and `.`/`..` segments (normalised away). A client that sends those
/// raw must sign the escaped form to pass the fake (see the module docs).
pub(crate) fn request_target(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_owned(),
    }
}

/// Splits `/vserver/v2/{action}` or `/server/v2/{action}`.
fn split_path(path: &str) -> Option<(Api, &str)> {
    if let Some(name) = path.strip_prefix("/vserver/v2/") {
        Some((Api::Vpc, name))
    } else {
        path.strip_prefix("/server/v2/")
            .map(|name| (Api::Classic, name))
    }
}

/// A log entry for a request that just arrived.
pub(crate) fn record(request: &Request) -> NcloudReceivedRequest {
    let route = split_path(request.url.path());
    NcloudReceivedRequest {
        method: request.method.as_str().to_owned(),
        request_target: request_target(request),
        family: route
            .and_then(|(api, name)| Action::route(api, name))
            .map(|a| a.family),
        action: route.map(|(_, name)| name.to_owned()),
        login_id: None,
        status: None,
        error_code: None,
        body: String::from_utf8_lossy(&request.body).into_owned(),
        fault: None,
    }
}

/// `responseFormatType` read leniently (no errors), for answers produced
/// before the parameters are checked (faults).
pub(crate) fn format_hint(request: &Request) -> Format {
    let mut pairs = request
        .url
        .query()
        .and_then(|q| parse_urlencoded(q).ok())
        .unwrap_or_default();
    if let Ok(body) = std::str::from_utf8(&request.body)
        && let Ok(more) = parse_urlencoded(body)
    {
        pairs.extend(more);
    }
    match pairs
        .iter()
        .find(|(n, _)| n == "responseFormatType")
        .map(|(_, v)| v.as_str())
    {
        Some(v) if v.eq_ignore_ascii_case("json") => Format::Json,
        _ => Format::Xml,
    }
}

/// Why a request was not served.
enum Failure {
    Gateway(GatewayError),
    Api(ApiError, Format),
}

impl From<GatewayError> for Failure {
    fn from(e: GatewayError) -> Self {
        Failure::Gateway(e)
    }
}

/// Checks and answers one request, with a fresh request id.
pub(crate) fn serve(
    state: &mut Ncloud,
    env: &mut Env<'_>,
    request: &Request,
    record: &mut NcloudReceivedRequest,
) -> Reply {
    match process(state, env, request, record, &uuid_v4()) {
        Ok(reply) => reply,
        Err(Failure::Gateway(error)) => error.reply(),
        Err(Failure::Api(error, format)) => error.reply(format),
    }
}

fn process(
    state: &mut Ncloud,
    env: &mut Env<'_>,
    request: &Request,
    record: &mut NcloudReceivedRequest,
    request_id: &str,
) -> Result<Reply, Failure> {
    // Routing first: the gateway must know the API to authenticate for it.
    let path = request.url.path();
    let action = split_path(path)
        .and_then(|(api, name)| Action::route(api, name))
        .ok_or_else(|| {
            GatewayError::not_found(format!(
                "No API is registered at `{path}` (the fake serves only the server image sharing actions)."
            ))
        })?;
    let method = request.method.as_str();
    if method != "GET" && method != "POST" {
        return Err(GatewayError::not_found(format!(
            "`{path}` accepts GET or POST, not {method}."
        ))
        .into());
    }

    let login_id = authenticate(state, env.clock().now_ms(), request)?;
    record.login_id = Some(login_id.clone());

    if let Err(limit) = env.admit(&login_id, action.name) {
        return Err(GatewayError::rate_limited(format!(
            "More than {limit} requests per second for {}.",
            action.name
        ))
        .into());
    }

    let params = read_params(request)?;
    let format = match params.get("responseFormatType") {
        None => Format::Xml,
        Some(v) if v.eq_ignore_ascii_case("xml") => Format::Xml,
        Some(v) if v.eq_ignore_ascii_case("json") => Format::Json,
        Some(v) => {
            return Err(Failure::Api(
                ApiError::invalid(format!(
                    "`responseFormatType` must be xml or json, not `{v}`."
                )),
                Format::Xml,
            ));
        }
    };
    params.check_unique().map_err(|e| Failure::Api(e, format))?;
    let listing =
        dispatch(state, action, &login_id, &params).map_err(|e| Failure::Api(e, format))?;

    let body = object(vec![
        ("requestId", text(request_id)),
        ("returnCode", text("0")),
        ("returnMessage", text("success")),
        ("totalRows", number(listing.total_rows)),
        (listing.key, listing.list),
    ]);
    let root = format!("{}Response", action.name);
    Ok(Reply::raw(
        200,
        render(format, &root, &body),
        format.content_type(),
    ))
}

/// Signature v2 checks (§1.1–§1.2, §1.6); returns the caller's login id.
/// Every failure is 401 / errorCode `200` "Authentication Failed" (§4.5);
/// `details` says which check failed (the fake's wording).
fn authenticate(state: &Ncloud, now: i64, request: &Request) -> Result<String, GatewayError> {
    let fail = |details: String| GatewayError::auth_failed(details);
    let timestamp = header(request, TIMESTAMP_HEADER)
        .ok_or_else(|| fail(format!("The {TIMESTAMP_HEADER} header is missing.")))?;
    let timestamp_ms = parse_timestamp_ms(&timestamp).ok_or_else(|| {
        fail(format!(
            "{TIMESTAMP_HEADER} must be milliseconds since the epoch, not `{timestamp}`."
        ))
    })?;
    // A clock moved back before the epoch reads 0.
    let now = u64::try_from(now).unwrap_or(0);
    if !timestamp_fresh(timestamp_ms, now) {
        let hint = if timestamp.len() <= 10 {
            " It looks like seconds; the gateway wants milliseconds."
        } else {
            ""
        };
        return Err(fail(format!(
            "The timestamp {timestamp} is {} ms from the gateway clock ({now}); at most {} ms are allowed.{hint}",
            timestamp_ms.abs_diff(now),
            MAX_SKEW_MS - 1
        )));
    }
    let access_key = header(request, ACCESS_KEY_HEADER)
        .ok_or_else(|| fail(format!("The {ACCESS_KEY_HEADER} header is missing.")))?;
    let signature = header(request, SIGNATURE_HEADER)
        .or_else(|| header(request, SIGNATURE_HEADER_V1))
        .ok_or_else(|| fail(format!("The {SIGNATURE_HEADER} header is missing.")))?;
    let account = state
        .account_by_access_key(&access_key)
        .ok_or_else(|| fail("This account is not allowed.".into()))?;
    if let Some(expiration) = &account.expiration {
        let expires_ms = OffsetDateTime::parse(expiration, &Rfc3339)
            .map(|t| t.unix_timestamp_nanos() / 1_000_000)
            .unwrap_or(0);
        if i128::from(now) >= expires_ms {
            return Err(fail(format!(
                "The temporary credential expired at {expiration}."
            )));
        }
    }
    let target = request_target(request);
    let sts = string_to_sign(request.method.as_str(), &target, &timestamp, &access_key);
    if !signatures_match(&sign(&account.secret_key, &sts), &signature) {
        return Err(fail(format!(
            "The signature does not match. The fake signed {:?} (the request-target as received).",
            sts
        )));
    }
    Ok(account.login_id.clone())
}

/// The query, plus the body of a POST. A non-empty POST body must be
/// `application/x-www-form-urlencoded` (UTF-8); otherwise, and for bytes
/// that do not decode to UTF-8, the gateway's 400 / `100`. GET bodies are
/// ignored.
fn read_params(request: &Request) -> Result<Params, GatewayError> {
    let mut pairs = match request.url.query() {
        Some(query) => parse_urlencoded(query)?,
        None => Vec::new(),
    };
    if request.method.as_str() == "POST" && !request.body.is_empty() {
        let content_type = header(request, "content-type").unwrap_or_default();
        if !is_media(&content_type, "application/x-www-form-urlencoded") {
            return Err(GatewayError::bad_request(format!(
                "A POST body must be application/x-www-form-urlencoded, not `{content_type}`."
            )));
        }
        let body = std::str::from_utf8(&request.body)
            .map_err(|_| GatewayError::bad_request("The request body is not UTF-8."))?;
        pairs.extend(parse_urlencoded(body)?);
    }
    Ok(Params::new(pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            split_path("/vserver/v2/getServerImageList"),
            Some((Api::Vpc, "getServerImageList"))
        );
        assert_eq!(
            split_path("/server/v2/getMemberServerImageList"),
            Some((Api::Classic, "getMemberServerImageList"))
        );
        assert_eq!(split_path("/server/v1/getMemberServerImageList"), None);
    }
}
