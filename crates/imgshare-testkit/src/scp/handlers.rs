//! The operations the fake serves, as a table, with the access rules and the request-body
//! schema they share, and the image-member operations.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use wiremock::Request;

use super::errors::{ApiError, err, fail};
use super::images;
use super::seed::{ScpImage, ScpMember, ScpMemberStatus, ScpVisibility, parse};
use super::state::Scp;
use crate::harness::wire::{header, is_media, json_object};
use crate::harness::{Clock, Reply, ensure};

/// `member_id` length bound.
const MAX_MEMBER_ID_LEN: usize = 64;
/// `min_disk`/`min_ram` upper bound.
const MAX_MIN_SIZE: i64 = 2_097_151;

/// What an operation answers.
pub(crate) type Answer = Result<Reply, ApiError>;

/// Checks and answers one operation.
pub(crate) type Handler = fn(&mut Scp, &Call<'_>) -> Answer;

/// An operation: its method, its path template (what rate limits count) and its handler.
type Operation = (&'static str, &'static str, Handler);

// The paths the fake serves; `{…}` is one non-empty segment.
const IMAGES: &str = "/v1/images";
const IMAGE: &str = "/v1/images/{image_id}";
const MEMBERS: &str = "/v1/images/{image_id}/members";
const MEMBER: &str = "/v1/images/{image_id}/members/{member_id}";
const SHARE: &str = "/v1/images/{image_id}/share";
const PENDING: &str = "/v1/pending-images";

/// Every operation the fake serves (the module docs' table).
pub(crate) const OPERATIONS: [Operation; 10] = [
    ("GET", IMAGES, images::list),
    ("GET", IMAGE, images::show),
    ("PUT", IMAGE, images::update),
    ("GET", MEMBERS, list_members),
    ("POST", MEMBERS, add_member),
    ("GET", MEMBER, show_member),
    ("PUT", MEMBER, update_member),
    ("DELETE", MEMBER, delete_member),
    ("POST", SHARE, images::create_sharing_image),
    ("GET", PENDING, images::list_pending),
];

/// A path the fake serves: its template and its parameters as received (`""` where it has
/// none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Route<'a> {
    pub(crate) template: &'static str,
    pub(crate) image_id: &'a str,
    pub(crate) member_id: &'a str,
}

impl<'a> Route<'a> {
    /// Parses a request path; `None` for anything the fake does not serve (including a
    /// trailing slash or an empty segment).
    pub(crate) fn parse(path: &'a str) -> Option<Route<'a>> {
        let got: Vec<&str> = path.split('/').collect();
        OPERATIONS.iter().find_map(|&(_, template, _)| {
            let want: Vec<&str> = template.split('/').collect();
            let pairs = || want.iter().zip(&got);
            let fits = pairs().all(|(w, g)| w == g || (w.starts_with('{') && !g.is_empty()));
            let mut params = pairs().filter(|(w, _)| w.starts_with('{')).map(|(_, g)| *g);
            let (image_id, member_id) = (params.next(), params.next());
            (fits && want.len() == got.len()).then(|| Route {
                template,
                image_id: image_id.unwrap_or_default(),
                member_id: member_id.unwrap_or_default(),
            })
        })
    }

    /// The handler of `method` on this path, if the fake implements it.
    pub(crate) fn handler(&self, method: &str) -> Option<Handler> {
        let operation = OPERATIONS
            .iter()
            .find(|(m, t, _)| *m == method && *t == self.template);
        operation.map(|(_, _, handler)| *handler)
    }
}

/// The caller and what it asked for, once authenticated.
pub(crate) struct Call<'a> {
    pub(crate) caller: &'a str,
    pub(crate) image_id: &'a str,
    pub(crate) member_id: &'a str,
    pub(crate) request: &'a Request,
    /// `(major, minor)` of the `Scp-Api-Version` in force.
    pub(crate) version: (u32, u32),
    pub(crate) clock: Clock,
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

/// The call's image; 404 unless the caller can see it.
pub(crate) fn visible_image<'s>(state: &'s Scp, call: &Call<'_>) -> Result<&'s ScpImage, ApiError> {
    let image = (state.image(call.image_id)).filter(|image| can_see(state, image, call.caller));
    image.ok_or_else(|| err("image_not_found", &[&call.image_id]))
}

/// The call's image; 404 unless visible, then 403 unless the caller owns it, to do `what`.
pub(crate) fn owned_image<'s>(
    state: &'s Scp,
    call: &Call<'_>,
    what: &str,
) -> Result<&'s ScpImage, ApiError> {
    let image = visible_image(state, call)?;
    ensure(image.owner == call.caller, || {
        err("owner_only", &[&call.image_id, &what])
    })?;
    Ok(image)
}

// ---- bodies ----------------------------------------------------------------

/// Whether `value` keeps the documented rule of the body member `name`; `invalid_{name}` in
/// errors.toml says the rule in words.
fn keeps_rule(name: &str, value: &Value) -> bool {
    // Every member of an image update is nullable: null leaves the value as it is.
    let nullable = |keeps: bool| value.is_null() || keeps;
    match name {
        "member_id" => value.as_str().is_some_and(is_valid_member_id),
        "status" => value.as_str().and_then(parse::<ScpMemberStatus>).is_some(),
        "min_disk" | "min_ram" => nullable(value.as_i64().is_some_and(is_valid_size)),
        "protected" => nullable(value.is_boolean()),
        "visibility" => nullable(matches!(
            value.as_str().and_then(parse),
            Some(ScpVisibility::Private | ScpVisibility::Shared)
        )),
        _ => false,
    }
}

/// The JSON object body of a POST/PUT as `T`, as the schema allows it: sent as
/// `application/json` (optionally with `; charset=utf-8`), with no members but `known`
/// (`additionalProperties: false`: every unknown member is listed in `detail`), each keeping
/// its rule, and the `required` ones present.
pub(crate) fn body<T: DeserializeOwned>(
    request: &Request,
    known: &[&str],
    required: &[&str],
) -> Result<T, ApiError> {
    let content_type = header(request, "content-type").unwrap_or_default();
    if !is_media(&content_type, "application/json") {
        return fail("content_type", &[&content_type]);
    }
    let body = json_object(&request.body, err)?;
    let body = body.ok_or_else(|| err("body_required", &[]))?;
    let extra: Vec<String> = (body.keys())
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| format!("Field \"{k}\" is not allowed. Additional properties are not permitted."))
        .collect();
    if !extra.is_empty() {
        return Err(ApiError::validation(extra));
    }
    for name in known {
        match body.get(*name) {
            Some(value) if !keeps_rule(name, value) => {
                return fail(&format!("invalid_{name}"), &[]);
            }
            None if required.contains(name) => return fail("field_required", &[name]),
            _ => {}
        }
    }
    // The members keep their rules, so they read as `T`.
    serde_json::from_value(Value::Object(body)).map_err(|_| err("internal", &[]))
}

// ---- members -----------------------------------------------------------------

fn list_members(state: &mut Scp, call: &Call<'_>) -> Answer {
    owned_image(state, call, "list its members")?;
    let members: Vec<&ScpMember> = state.members_of(call.image_id).collect();
    Ok(Reply::json(200, &json!({ "members": members })))
}

/// `min_disk` and `min_ram`: 0..=2097151.
fn is_valid_size(size: i64) -> bool {
    (0..=MAX_MIN_SIZE).contains(&size)
}

/// `^[A-Za-z0-9-]*$`, 1..=64 characters.
fn is_valid_member_id(id: &str) -> bool {
    (1..=MAX_MEMBER_ID_LEN).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[derive(Deserialize)]
struct NewMember {
    member_id: String,
}

fn add_member(state: &mut Scp, call: &Call<'_>) -> Answer {
    // The body is checked first, as a schema-validating service does.
    let NewMember { member_id } = body(call.request, &["member_id"], &["member_id"])?;
    let image = owned_image(state, call, "add members")?;
    let (image_id, visibility) = (call.image_id, image.visibility.as_str());
    ensure(image.visibility == ScpVisibility::Shared, || {
        err("not_shared", &[&image_id, &visibility])
    })?;
    ensure(member_id != call.caller, || err("owner_as_member", &[]))?;
    let known = state.member(image_id, &member_id).is_some();
    ensure(!known, || err("already_member", &[&member_id, &image_id]))?;
    let now = Some(call.clock.now_utc());
    let member = ScpMember {
        created_at: now.clone(),
        updated_at: now,
        ..ScpMember::new(image_id, member_id)
    };
    let reply = Reply::json(200, &json!(member));
    state.data.members.push(member);
    Ok(reply)
}

fn member_not_found(call: &Call<'_>) -> ApiError {
    err("member_not_found", &[&call.image_id, &call.member_id])
}

fn show_member(state: &mut Scp, call: &Call<'_>) -> Answer {
    let image = visible_image(state, call)?;
    // The owner sees every member, a member only itself (as Glance does).
    let member = (state.member(call.image_id, call.member_id))
        .filter(|_| image.owner == call.caller || call.member_id == call.caller)
        .ok_or_else(|| member_not_found(call))?;
    Ok(Reply::json(200, &json!(member)))
}

#[derive(Deserialize)]
struct MemberStatus {
    status: ScpMemberStatus,
}

fn update_member(state: &mut Scp, call: &Call<'_>) -> Answer {
    let MemberStatus { status } = body(call.request, &["status"], &["status"])?;
    visible_image(state, call)?;
    let member =
        (state.member_mut(call.image_id, call.member_id)).ok_or_else(|| member_not_found(call))?;
    ensure(call.member_id == call.caller, || {
        err("own_membership_only", &[&call.member_id])
    })?;
    member.status = status;
    member.updated_at = Some(call.clock.now_utc());
    Ok(Reply::json(200, &json!(member)))
}

fn delete_member(state: &mut Scp, call: &Call<'_>) -> Answer {
    owned_image(state, call, "remove members")?;
    let removed = state.remove_member(call.image_id, call.member_id);
    ensure(removed, || member_not_found(call))?;
    Ok(Reply::empty(204))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let route = |path| Route::parse(path).map(|r| (r.template, r.image_id, r.member_id));
        assert_eq!(route("/v1/images"), Some((IMAGES, "", "")));
        assert_eq!(route("/v1/images/x"), Some((IMAGE, "x", "")));
        assert_eq!(route("/v1/images/x/members"), Some((MEMBERS, "x", "")));
        assert_eq!(route("/v1/images/x/members/m"), Some((MEMBER, "x", "m")));
        assert_eq!(route("/v1/images/x/share"), Some((SHARE, "x", "")));
        assert_eq!(route("/v1/pending-images"), Some((PENDING, "", "")));
        assert_eq!(route("/v1/images/"), None);
        assert_eq!(route("/v1/images//members"), None);
        assert_eq!(route("/v1/images/x/members/m/n"), None);
        assert_eq!(route("/v1/volume-types"), None);
        assert_eq!(route("/v2/images"), None);
        assert_eq!(route("/"), None);
        let route = Route::parse("/v1/images/x").map(|r| r.handler("DELETE").is_none());
        assert_eq!(route, Some(true));
    }

    #[test]
    fn member_id_rule() {
        assert!(is_valid_member_id("a8f10467abfc4b87b64614ab36eb9ae4"));
        assert!(is_valid_member_id("ABC-123"));
        assert!(!is_valid_member_id(""));
        assert!(!is_valid_member_id("a_b"));
        assert!(!is_valid_member_id(&"a".repeat(65)));
    }

    /// Every body member's rule is in the error table, in words (a missing row fails a debug
    /// assertion).
    #[test]
    fn every_rule_is_in_the_table() {
        let members = [
            "member_id",
            "status",
            "min_disk",
            "min_ram",
            "protected",
            "visibility",
        ];
        for name in members {
            let error = err(&format!("invalid_{name}"), &[]);
            assert_eq!((error.status, error.code), (400, Some("ValidationError")));
        }
    }
}
