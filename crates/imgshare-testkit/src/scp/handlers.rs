//! Routing, access rules, request bodies and the image-member operations.

use serde_json::{Map, Value, json};
use wiremock::Request;

use super::errors::{ApiError, err, fail};
use super::images;
use super::seed::{ScpImage, ScpMember, ScpMemberStatus, ScpVisibility, parse};
use super::state::Scp;
use crate::harness::wire::{header, is_media};
use crate::harness::{Clock, Reply, ensure};

/// `member_id` length bound.
const MAX_MEMBER_ID_LEN: usize = 64;

/// The paths the fake serves, as templates: what rate limits count.
pub(crate) const ROUTES: [&str; 6] = [
    "/v1/images",
    "/v1/images/{image_id}",
    "/v1/images/{image_id}/members",
    "/v1/images/{image_id}/members/{member_id}",
    "/v1/images/{image_id}/share",
    "/v1/pending-images",
];

/// The methods the fake implements on each of [`ROUTES`].
const METHODS: [&[&str]; 6] = [
    &["GET"],
    &["GET", "PUT"],
    &["GET", "POST"],
    &["GET", "PUT", "DELETE"],
    &["POST"],
    &["GET"],
];

/// A path the fake serves: its index in [`ROUTES`] and its path parameters as received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Route<'a> {
    index: usize,
    image_id: &'a str,
    member_id: &'a str,
}

impl<'a> Route<'a> {
    /// Parses a request path; `None` for anything the fake does not serve (including a
    /// trailing slash or an empty segment).
    pub(crate) fn parse(path: &'a str) -> Option<Route<'a>> {
        let segments: Vec<&str> = path.strip_prefix("/v1/")?.split('/').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return None;
        }
        let (index, image_id, member_id) = match segments.as_slice() {
            ["images"] => (0, "", ""),
            ["images", id] => (1, *id, ""),
            ["images", id, "members"] => (2, *id, ""),
            ["images", id, "members", member] => (3, *id, *member),
            ["images", id, "share"] => (4, *id, ""),
            ["pending-images"] => (5, "", ""),
            _ => return None,
        };
        Some(Route {
            index,
            image_id,
            member_id,
        })
    }

    pub(crate) fn template(self) -> &'static str {
        ROUTES[self.index]
    }

    /// The methods the fake implements on this path.
    pub(crate) fn methods(self) -> &'static [&'static str] {
        METHODS[self.index]
    }
}

/// The caller and what it asked for, once authenticated.
pub(crate) struct Call<'a> {
    pub(crate) caller: &'a str,
    pub(crate) method: &'a str,
    pub(crate) route: Route<'a>,
    pub(crate) request: &'a Request,
    /// `(major, minor)` of the `Scp-Api-Version` in force.
    pub(crate) version: (u32, u32),
    pub(crate) clock: Clock,
}

/// Runs one authenticated request whose method the route implements.
pub(crate) fn dispatch(state: &mut Scp, call: &Call<'_>) -> Result<Reply, ApiError> {
    let Route {
        image_id: id,
        member_id: member,
        ..
    } = call.route;
    match (call.route.index, call.method) {
        (0, _) => images::list(state, call),
        (1, "GET") => images::show(state, call, id),
        (1, _) => images::update(state, call, id),
        (2, "GET") => list_members(state, call.caller, id),
        (2, _) => add_member(state, call, id),
        (3, "GET") => show_member(state, call.caller, id, member),
        (3, "PUT") => update_member(state, call, id, member),
        (3, _) => delete_member(state, call.caller, id, member),
        (4, _) => images::create_sharing_image(state, call.caller, id),
        _ => images::list_pending(state, call),
    }
}

// ---- access ----------------------------------------------------------------

/// The caller may see the image: its owner, anyone for `public`/`community`, and members
/// (any status) while the image is `shared`.
fn can_see(state: &Scp, image: &ScpImage, caller: &str) -> bool {
    let everyone = matches!(
        image.visibility,
        ScpVisibility::Public | ScpVisibility::Community
    );
    let member =
        image.visibility == ScpVisibility::Shared && state.member(&image.id, caller).is_some();
    image.owner == caller || everyone || member
}

/// 404 unless the caller can see the image.
pub(crate) fn visible_image<'s>(
    state: &'s Scp,
    caller: &str,
    image_id: &str,
) -> Result<&'s ScpImage, ApiError> {
    let image = state
        .image(image_id)
        .filter(|image| can_see(state, image, caller));
    image.ok_or_else(|| err("image_not_found", &[&image_id]))
}

/// 404 unless visible, then 403 unless the caller owns it.
pub(crate) fn owned_image<'s>(
    state: &'s Scp,
    caller: &str,
    image_id: &str,
    what: &str,
) -> Result<&'s ScpImage, ApiError> {
    let image = visible_image(state, caller, image_id)?;
    ensure(image.owner == caller, || {
        err("owner_only", &[&image_id, &what])
    })?;
    Ok(image)
}

// ---- bodies ----------------------------------------------------------------

/// The JSON object body of a POST/PUT, sent as `application/json` (optionally with
/// `; charset=utf-8`), with no members but `known` (`additionalProperties: false`: every
/// unknown member is listed in `detail`).
pub(crate) fn json_object(
    request: &Request,
    known: &[&str],
) -> Result<Map<String, Value>, ApiError> {
    let content_type = header(request, "content-type").unwrap_or_default();
    if !is_media(&content_type, "application/json") {
        return fail("content_type", &[&content_type]);
    }
    if request.body.iter().all(u8::is_ascii_whitespace) {
        return fail("body_required", &[]);
    }
    let body = match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(body)) => body,
        Ok(_) => return fail("body_not_object", &[]),
        Err(e) => return fail("body_not_json", &[&e]),
    };
    let extra: Vec<String> = (body.keys())
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| format!("Field \"{k}\" is not allowed. Additional properties are not permitted."))
        .collect();
    if !extra.is_empty() {
        return Err(ApiError::validation(extra));
    }
    Ok(body)
}

/// The body's `name`, parsed by `parse`; `rule` says what a valid value is.
pub(crate) fn field<T>(
    body: &Map<String, Value>,
    name: &str,
    rule: &str,
    parse: impl Fn(&Value) -> Option<T>,
) -> Result<Option<T>, ApiError> {
    match body.get(name) {
        None => Ok(None),
        Some(value) => parse(value)
            .map(Some)
            .ok_or_else(|| err("field_invalid", &[&name, &rule])),
    }
}

fn required<T>(value: Option<T>, name: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| err("field_required", &[&name]))
}

// ---- members -----------------------------------------------------------------

fn list_members(state: &Scp, caller: &str, image_id: &str) -> Result<Reply, ApiError> {
    owned_image(state, caller, image_id, "list its members")?;
    let members: Vec<&ScpMember> = state.members_of(image_id).collect();
    Ok(Reply::json(200, &json!({ "members": members })))
}

/// `^[A-Za-z0-9-]*$`, 1..=64 characters.
fn is_valid_member_id(id: &str) -> bool {
    (1..=MAX_MEMBER_ID_LEN).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn add_member(state: &mut Scp, call: &Call<'_>, image_id: &str) -> Result<Reply, ApiError> {
    // The body is validated first, as a schema-validating service does.
    let body = json_object(call.request, &["member_id"])?;
    let rule = "The value should be 1 characters or longer, 64 characters or shorter, in ^[A-Za-z0-9-]*$ format. Example: \"a8f10467abfc4b87b64614ab36eb9ae4\"";
    let valid = |v: &Value| {
        v.as_str()
            .filter(|id| is_valid_member_id(id))
            .map(str::to_owned)
    };
    let member_id = required(field(&body, "member_id", rule, valid)?, "member_id")?;

    let image = owned_image(state, call.caller, image_id, "add members")?;
    let visibility = image.visibility.as_str();
    ensure(image.visibility == ScpVisibility::Shared, || {
        err("not_shared", &[&image_id, &visibility])
    })?;
    ensure(member_id != call.caller, || err("owner_as_member", &[]))?;
    let known = state.member(image_id, &member_id).is_some();
    ensure(!known, || err("already_member", &[&member_id, &image_id]))?;
    let now = Some(call.clock.now_utc());
    let member = ScpMember {
        image_id: image_id.to_owned(),
        member_id,
        status: ScpMemberStatus::Pending,
        created_at: now.clone(),
        updated_at: now,
    };
    let reply = Reply::json(200, &json!(member));
    state.members.push(member);
    Ok(reply)
}

fn show_member(
    state: &Scp,
    caller: &str,
    image_id: &str,
    member_id: &str,
) -> Result<Reply, ApiError> {
    let image = visible_image(state, caller, image_id)?;
    // The owner sees every member, a member only itself (as Glance does).
    let member = (state.member(image_id, member_id))
        .filter(|_| image.owner == caller || member_id == caller)
        .ok_or_else(|| err("member_not_found", &[&image_id, &member_id]))?;
    Ok(Reply::json(200, &json!(member)))
}

fn update_member(
    state: &mut Scp,
    call: &Call<'_>,
    image_id: &str,
    member_id: &str,
) -> Result<Reply, ApiError> {
    let body = json_object(call.request, &["status"])?;
    let rule = "The value should be one of pending, accepted, rejected.";
    let status = field(&body, "status", rule, |v| parse(v.as_str()?))?;
    let status = required(status, "status")?;

    visible_image(state, call.caller, image_id)?;
    let not_found = || err("member_not_found", &[&image_id, &member_id]);
    state.member(image_id, member_id).ok_or_else(not_found)?;
    ensure(member_id == call.caller, || {
        err("own_membership_only", &[&member_id])
    })?;
    let now = call.clock.now_utc();
    let member = state
        .member_mut(image_id, member_id)
        .ok_or_else(not_found)?;
    member.status = status;
    member.updated_at = Some(now);
    Ok(Reply::json(200, &json!(member)))
}

fn delete_member(
    state: &mut Scp,
    caller: &str,
    image_id: &str,
    member_id: &str,
) -> Result<Reply, ApiError> {
    owned_image(state, caller, image_id, "remove members")?;
    let removed = state.remove_member(image_id, member_id);
    ensure(removed, || {
        err("member_not_found", &[&image_id, &member_id])
    })?;
    Ok(Reply::empty(204))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let route = |path| Route::parse(path).map(|r| (r.template(), r.image_id, r.member_id));
        assert_eq!(route("/v1/images"), Some(("/v1/images", "", "")));
        assert_eq!(route("/v1/images/x"), Some((ROUTES[1], "x", "")));
        assert_eq!(route("/v1/images/x/members"), Some((ROUTES[2], "x", "")));
        assert_eq!(route("/v1/images/x/members/m"), Some((ROUTES[3], "x", "m")));
        assert_eq!(route("/v1/images/x/share"), Some((ROUTES[4], "x", "")));
        assert_eq!(route("/v1/pending-images"), Some((ROUTES[5], "", "")));
        assert_eq!(route("/v1/images/"), None);
        assert_eq!(route("/v1/images//members"), None);
        assert_eq!(route("/v1/volume-types"), None);
        assert_eq!(route("/v2/images"), None);
        assert_eq!(route("/"), None);
    }

    #[test]
    fn member_id_rule() {
        assert!(is_valid_member_id("a8f10467abfc4b87b64614ab36eb9ae4"));
        assert!(is_valid_member_id("ABC-123"));
        assert!(!is_valid_member_id(""));
        assert!(!is_valid_member_id("a_b"));
        assert!(!is_valid_member_id(&"a".repeat(65)));
    }
}
