//! The request pipeline, in the order an API Gateway would run it: routing, authentication,
//! rate limit, parameters, then the action.

use wiremock::Request;

use super::NcloudReceivedRequest;
use super::auth::authenticate;
use super::errors::{GatewayError, err, reply};
use super::families::route as route_action;
use super::handlers::dispatch;
use super::params::{Params, parse_urlencoded};
use super::render::{Format, Node, object, render, text};
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

/// Splits `/vserver/v2/{action}` or `/server/v2/{action}` (`true`: Classic).
fn split_path(path: &str) -> Option<(bool, &str)> {
    let vpc = path.strip_prefix("/vserver/v2/").map(|name| (false, name));
    vpc.or_else(|| path.strip_prefix("/server/v2/").map(|name| (true, name)))
}

/// A log entry for a request that just arrived.
pub(crate) fn record(request: &Request) -> NcloudReceivedRequest {
    let route = split_path(request.url.path());
    NcloudReceivedRequest {
        method: request.method.as_str().to_owned(),
        request_target: request_target(request),
        family: route
            .and_then(|(classic, name)| route_action(classic, name))
            .map(|(family, _)| family.id),
        action: route.map(|(_, name)| name.to_owned()),
        body: String::from_utf8_lossy(&request.body).into_owned(),
        ..NcloudReceivedRequest::default()
    }
}

/// `responseFormatType`: XML (the default) or JSON, in any case; `Err` carries another value.
fn response_format(params: &Params) -> Result<Format, &str> {
    match params.get("responseFormatType") {
        None => Ok(Format::Xml),
        Some(v) if v.eq_ignore_ascii_case("xml") => Ok(Format::Xml),
        Some(v) if v.eq_ignore_ascii_case("json") => Ok(Format::Json),
        Some(v) => Err(v),
    }
}

/// `responseFormatType` read leniently (XML unless it says JSON), for answers produced before
/// the parameters are checked (faults).
pub(crate) fn format_hint(request: &Request) -> Format {
    response_format(&read_params(request).unwrap_or_default()).unwrap_or(Format::Xml)
}

/// Checks and answers one request, with a fresh request id.
pub(crate) fn serve(
    state: &mut Ncloud,
    env: &mut Env<'_>,
    request: &Request,
    record: &mut NcloudReceivedRequest,
) -> Reply {
    process(state, env, request, record).unwrap_or_else(Reply::from)
}

/// The gateway's checks, in its order, then the service's answer; `Err` is the gateway's
/// refusal.
fn process(
    state: &mut Ncloud,
    env: &mut Env<'_>,
    request: &Request,
    record: &mut NcloudReceivedRequest,
) -> Result<Reply, GatewayError> {
    // Routing first: the gateway must know the API to authenticate for it.
    let (path, method) = (request.url.path(), request.method.as_str());
    let route =
        split_path(path).and_then(|(classic, name)| Some((route_action(classic, name)?, name)));
    let Some((action, name)) = route else {
        let unknown = "(the fake serves only the server image sharing actions)";
        let details = format!("No API is registered at `{path}` {unknown}.");
        return Err(GatewayError::new("not_found", details));
    };
    if method != "GET" && method != "POST" {
        let details = format!("`{path}` accepts GET or POST, not {method}.");
        return Err(GatewayError::new("not_found", details));
    }
    let login_id = authenticate(state, env.clock().now_ms(), request)?;
    record.login_id = Some(login_id.clone());
    if let Err(limit) = env.admit(&login_id, name) {
        let details = format!("More than {limit} requests per second for {name}.");
        return Err(GatewayError::new("rate_limited", details));
    }
    let params = read_params(request)?;

    // Past the gateway, the service answers, errors included, in the format asked for (an
    // unknown one is refused in XML).
    let format = match response_format(&params) {
        Ok(format) => format,
        Err(v) => return Ok(reply(&err("response_format", &[&v]), Format::Xml)),
    };
    let checked = params.check_unique();
    let found = checked.and_then(|()| dispatch(state, action, &login_id, &params));
    let (total_rows, items) = match found {
        Ok(found) => found,
        Err(error) => return Ok(reply(&error, format)),
    };
    let body = object(vec![
        ("requestId", text(&uuid_v4())),
        ("returnCode", text("0")),
        ("returnMessage", text("success")),
        ("totalRows", Node::Number(total_rows as u64)),
        (&format!("{}List", action.0.base), Node::List(items)),
    ]);
    let body = render(format, &format!("{name}Response"), &body);
    Ok(Reply::raw(200, body, format.content_type()))
}

/// The query, plus the body of a POST. A non-empty POST body must be
/// `application/x-www-form-urlencoded` (UTF-8); otherwise, and for bytes that do not decode to
/// UTF-8, the gateway's 400 / `100`. GET bodies are ignored.
fn read_params(request: &Request) -> Result<Params, GatewayError> {
    let mut pairs = parse_urlencoded(request.url.query().unwrap_or_default())?;
    if request.method.as_str() == "POST" && !request.body.is_empty() {
        let content_type = header(request, "content-type").unwrap_or_default();
        if !is_media(&content_type, "application/x-www-form-urlencoded") {
            let wrong = format!(
                "A POST body must be application/x-www-form-urlencoded, not `{content_type}`."
            );
            return Err(GatewayError::new("bad_request", wrong));
        }
        let body = std::str::from_utf8(&request.body);
        let body =
            body.map_err(|_| GatewayError::new("bad_request", "The request body is not UTF-8."))?;
        pairs.extend(parse_urlencoded(body)?);
    }
    Ok(Params::new(pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let vpc = split_path("/vserver/v2/getServerImageList");
        assert_eq!(vpc, Some((false, "getServerImageList")));
        let classic = split_path("/server/v2/getMemberServerImageList");
        assert_eq!(classic, Some((true, "getMemberServerImageList")));
        assert_eq!(split_path("/server/v1/getMemberServerImageList"), None);
    }
}
