//! Routing and the virtualserver image and image-member operations
//! (scp.md §3.1–§3.4).

use std::cmp::Ordering;

use serde_json::{Map, Value, json};
use wiremock::Request;

use super::errors::ApiError;
use super::seed::{ScpImage, ScpMember, ScpMemberStatus, ScpVisibility};
use super::state::Scp;
use crate::harness::{Clock, Reply};

/// `limit` bounds for `GET /v1/images` (§3.3).
const MAX_LIMIT: u64 = 1000;
/// `limit` when none is sent: undocumented, so Glance's default.
pub(crate) const DEFAULT_LIMIT: u64 = 25;
/// `min_disk`/`min_ram` upper bound (§3.3 `ImageSetRequest`).
const MAX_MIN_SIZE: i64 = 2_097_151;
/// `member_id` length bound (§3.2).
const MAX_MEMBER_ID_LEN: usize = 64;

/// The paths the fake serves.
pub(crate) const ROUTES: &[&str] = &[
    "/v1/images",
    "/v1/images/{image_id}",
    "/v1/images/{image_id}/members",
    "/v1/images/{image_id}/members/{member_id}",
    "/v1/images/{image_id}/share",
    "/v1/pending-images",
];

/// A path the fake serves, with its path parameters as received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route<'a> {
    /// `/v1/images`
    Images,
    /// `/v1/images/{image_id}`
    Image(&'a str),
    /// `/v1/images/{image_id}/members`
    Members(&'a str),
    /// `/v1/images/{image_id}/members/{member_id}`
    Member(&'a str, &'a str),
    /// `/v1/images/{image_id}/share`
    Share(&'a str),
    /// `/v1/pending-images`
    PendingImages,
}

impl<'a> Route<'a> {
    /// Parses a request path; `None` for anything the fake does not serve
    /// (including a trailing slash or an empty segment).
    pub(crate) fn parse(path: &'a str) -> Option<Route<'a>> {
        let rest = path.strip_prefix("/v1/")?;
        let segments: Vec<&str> = rest.split('/').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return None;
        }
        match segments.as_slice() {
            ["images"] => Some(Route::Images),
            ["images", id] => Some(Route::Image(id)),
            ["images", id, "members"] => Some(Route::Members(id)),
            ["images", id, "members", member] => Some(Route::Member(id, member)),
            ["images", id, "share"] => Some(Route::Share(id)),
            ["pending-images"] => Some(Route::PendingImages),
            _ => None,
        }
    }

    /// The path's template, e.g. `/v1/images/{image_id}/members`: what rate limits count.
    pub(crate) fn template(self) -> &'static str {
        ROUTES[match self {
            Route::Images => 0,
            Route::Image(_) => 1,
            Route::Members(_) => 2,
            Route::Member(..) => 3,
            Route::Share(_) => 4,
            Route::PendingImages => 5,
        }]
    }

    /// The methods the fake implements on this path.
    pub(crate) fn methods(self) -> &'static [&'static str] {
        match self {
            Route::Images | Route::PendingImages => &["GET"],
            Route::Image(_) => &["GET", "PUT"],
            Route::Members(_) => &["GET", "POST"],
            Route::Member(..) => &["GET", "PUT", "DELETE"],
            Route::Share(_) => &["POST"],
        }
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

fn json_reply(status: u16, body: Value) -> Reply {
    Reply::json(status, &body)
}

/// Runs one authenticated request whose method the route implements.
pub(crate) fn dispatch(state: &mut Scp, call: &Call<'_>) -> Result<Reply, ApiError> {
    match (call.route, call.method) {
        (Route::Images, _) => list_images(state, call),
        (Route::Image(id), "GET") => show_image(state, call, id),
        (Route::Image(id), _) => update_image(state, call, id),
        (Route::Members(id), "GET") => list_members(state, call.caller, id),
        (Route::Members(id), _) => add_member(state, call, id),
        (Route::Member(id, member), "GET") => show_member(state, call.caller, id, member),
        (Route::Member(id, member), "PUT") => update_member(state, call, id, member),
        (Route::Member(id, member), _) => delete_member(state, call.caller, id, member),
        (Route::Share(id), _) => create_sharing_image(state, call.caller, id),
        (Route::PendingImages, _) => list_pending_images(state, call),
    }
}

// ---- access ----------------------------------------------------------------

/// The caller may see the image: its owner, anyone for `public`/`community`,
/// and members (any status) while the image is `shared`.
fn can_see(state: &Scp, image: &ScpImage, caller: &str) -> bool {
    image.owner == caller
        || matches!(
            image.visibility,
            ScpVisibility::Public | ScpVisibility::Community
        )
        || (image.visibility == ScpVisibility::Shared && state.member(&image.id, caller).is_some())
}

/// 404 unless the caller can see the image.
fn visible_image<'s>(
    state: &'s Scp,
    caller: &str,
    image_id: &str,
) -> Result<&'s ScpImage, ApiError> {
    state
        .image(image_id)
        .filter(|image| can_see(state, image, caller))
        .ok_or_else(|| ApiError::image_not_found(image_id))
}

/// 404 unless visible, then 403 unless the caller owns it.
fn owned_image<'s>(
    state: &'s Scp,
    caller: &str,
    image_id: &str,
    what: &str,
) -> Result<&'s ScpImage, ApiError> {
    let image = visible_image(state, caller, image_id)?;
    if image.owner != caller {
        return Err(ApiError::forbidden(format!(
            "Only the owner of image {image_id} can {what}."
        )));
    }
    Ok(image)
}

// ---- bodies ----------------------------------------------------------------

/// `application/json`, optionally with `; charset=utf-8`.
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

/// The JSON object body of a POST/PUT.
fn json_object(request: &Request) -> Result<Map<String, Value>, ApiError> {
    let content_type = request
        .headers
        .get("content-type")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    if !is_json_content_type(&content_type) {
        return Err(ApiError::validation(vec![format!(
            "Content-Type must be application/json, not \"{content_type}\"."
        )]));
    }
    if request.body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::validation(vec![
            "The request body is required.".to_owned(),
        ]));
    }
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::validation(vec![
            "The request body must be a JSON object.".to_owned(),
        ])),
        Err(e) => Err(ApiError::validation(vec![format!(
            "The request body is not valid JSON: {e}."
        )])),
    }
}

/// `additionalProperties: false` (§3.2, §3.3): every unknown member is
/// listed in `detail`.
fn only_fields(body: &Map<String, Value>, known: &[&str]) -> Result<(), ApiError> {
    let extra: Vec<String> = body
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| format!("Field \"{k}\" is not allowed. Additional properties are not permitted."))
        .collect();
    if extra.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(extra))
    }
}

/// `^[A-Za-z0-9-]*$`, 1..=64 characters (§3.2).
fn is_valid_member_id(id: &str) -> bool {
    (1..=MAX_MEMBER_ID_LEN).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn invalid_member_id() -> ApiError {
    ApiError::invalid_field(
        "member_id",
        "The value should be 1 characters or longer, 64 characters or shorter, in ^[A-Za-z0-9-]*$ format. Example: \"a8f10467abfc4b87b64614ab36eb9ae4\"",
    )
}

// ---- JSON shapes -----------------------------------------------------------

/// `ImageMemberShowResponse` (§3.2).
fn member_json(member: &ScpMember) -> Value {
    json!({
        "created_at": member.created_at,
        "image_id": member.image_id,
        "member_id": member.member_id,
        "status": member.status.as_str(),
        "updated_at": member.updated_at,
    })
}

/// `ImageShowResponse` (§3.3): the `V1Dot2` shape from 1.2 on
/// (`scp_gpu_driver`), plus `scp_supported_class_types` in 1.3 lists.
fn image_json(image: &ScpImage, version: (u32, u32), in_list: bool) -> Value {
    let mut value = json!({
        "checksum": null,
        "container_format": image.container_format,
        "created_at": image.created_at,
        "disk_format": image.disk_format,
        "file": format!("/v2/images/{}/file", image.id),
        "id": image.id,
        "min_disk": image.min_disk,
        "min_ram": image.min_ram,
        "name": image.name,
        "os_distro": image.os_distro,
        "os_hash_algo": null,
        "os_hash_value": null,
        "os_hidden": image.os_hidden,
        "owner": image.owner,
        "owner_account_name": image.owner_account_name,
        "owner_user_name": null,
        "protected": image.protected,
        "root_device_name": null,
        "scp_image_type": image.scp_image_type,
        "scp_k8s_version": null,
        "scp_original_image_type": image.scp_original_image_type,
        "scp_os_build_version": null,
        "scp_os_version": image.scp_os_version,
        "size": image.size,
        "status": image.status,
        "updated_at": image.updated_at,
        "url": null,
        "virtual_size": null,
        "visibility": image.visibility.as_str(),
        "volumes": null,
    });
    if let Value::Object(map) = &mut value {
        if version >= (1, 2) {
            map.insert("scp_gpu_driver".into(), Value::Null);
        }
        if in_list && version >= (1, 3) {
            map.insert("scp_supported_class_types".into(), Value::Null);
        }
    }
    value
}

// ---- members (§3.1 ops 1–5) ------------------------------------------------

fn list_members(state: &Scp, caller: &str, image_id: &str) -> Result<Reply, ApiError> {
    owned_image(state, caller, image_id, "list its members")?;
    let members: Vec<Value> = state.members_of(image_id).map(member_json).collect();
    Ok(json_reply(200, json!({ "members": members })))
}

fn add_member(state: &mut Scp, call: &Call<'_>, image_id: &str) -> Result<Reply, ApiError> {
    // The body is validated first, as a schema-validating service does.
    let body = json_object(call.request)?;
    only_fields(&body, &["member_id"])?;
    let member_id = match body.get("member_id") {
        Some(Value::String(id)) if is_valid_member_id(id) => id.clone(),
        Some(_) => return Err(invalid_member_id()),
        None => {
            return Err(ApiError::validation(vec![
                "Field \"member_id\" is required.".to_owned(),
            ]));
        }
    };

    let image = owned_image(state, call.caller, image_id, "add members")?;
    if image.visibility != ScpVisibility::Shared {
        return Err(ApiError::new(
            403,
            "ImageNotShared",
            format!(
                "Image {image_id} has visibility \"{}\"; set it to \"shared\" before adding members.",
                image.visibility.as_str()
            ),
        ));
    }
    if member_id == call.caller {
        return Err(ApiError::validation(vec![
            "The image owner cannot be added as a member of its own image.".to_owned(),
        ]));
    }
    if state.member(image_id, &member_id).is_some() {
        return Err(ApiError::new(
            409,
            "ImageMemberAlreadyExists",
            format!("Account {member_id} is already a member of image {image_id}."),
        ));
    }
    let now = call.clock.now_utc();
    let member = ScpMember {
        image_id: image_id.to_owned(),
        member_id,
        status: ScpMemberStatus::Pending,
        created_at: Some(now.clone()),
        updated_at: Some(now),
    };
    let answer = json_reply(200, member_json(&member));
    state.members.push(member);
    Ok(answer)
}

fn show_member(
    state: &Scp,
    caller: &str,
    image_id: &str,
    member_id: &str,
) -> Result<Reply, ApiError> {
    let image = visible_image(state, caller, image_id)?;
    // The owner sees every member, a member only itself (Glance, §3.5).
    let member = state
        .member(image_id, member_id)
        .filter(|_| image.owner == caller || member_id == caller)
        .ok_or_else(|| ApiError::member_not_found(image_id, member_id))?;
    Ok(json_reply(200, member_json(member)))
}

fn update_member(
    state: &mut Scp,
    call: &Call<'_>,
    image_id: &str,
    member_id: &str,
) -> Result<Reply, ApiError> {
    let body = json_object(call.request)?;
    only_fields(&body, &["status"])?;
    let status = match body.get("status") {
        Some(Value::String(s)) => ScpMemberStatus::parse(s),
        Some(_) => None,
        None => {
            return Err(ApiError::validation(vec![
                "Field \"status\" is required.".to_owned(),
            ]));
        }
    }
    .ok_or_else(|| {
        ApiError::invalid_field(
            "status",
            "The value should be one of pending, accepted, rejected.",
        )
    })?;

    visible_image(state, call.caller, image_id)?;
    if state.member(image_id, member_id).is_none() {
        return Err(ApiError::member_not_found(image_id, member_id));
    }
    if member_id != call.caller {
        return Err(ApiError::forbidden(format!(
            "Only account {member_id} can change its own membership status."
        )));
    }
    let now = call.clock.now_utc();
    let member = state
        .member_mut(image_id, member_id)
        .ok_or_else(|| ApiError::member_not_found(image_id, member_id))?;
    member.status = status;
    member.updated_at = Some(now);
    Ok(json_reply(200, member_json(member)))
}

fn delete_member(
    state: &mut Scp,
    caller: &str,
    image_id: &str,
    member_id: &str,
) -> Result<Reply, ApiError> {
    owned_image(state, caller, image_id, "remove members")?;
    if !state.remove_member(image_id, member_id) {
        return Err(ApiError::member_not_found(image_id, member_id));
    }
    Ok(Reply::empty(204))
}

// ---- pending images and sharing (§3.1 ops 6–7) -----------------------------

/// The decoded query parameters (first value wins).
fn query(request: &Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn param<'q>(query: &'q [(String, String)], name: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn matches_type_filters(image: &ScpImage, query: &[(String, String)]) -> bool {
    let same = |name: &str, value: &Option<String>| {
        param(query, name).is_none_or(|wanted| value.as_deref() == Some(wanted))
    };
    same("scp_image_type", &image.scp_image_type)
        && same("scp_original_image_type", &image.scp_original_image_type)
}

fn list_pending_images(state: &Scp, call: &Call<'_>) -> Result<Reply, ApiError> {
    let query = query(call.request);
    let images: Vec<Value> = state
        .images
        .iter()
        .filter(|image| {
            image.visibility == ScpVisibility::Shared
                && state
                    .member(&image.id, call.caller)
                    .is_some_and(|m| m.status == ScpMemberStatus::Pending)
                && matches_type_filters(image, &query)
        })
        .map(|image| image_json(image, call.version, false))
        .collect();
    Ok(json_reply(200, json!({ "images": images })))
}

fn create_sharing_image(state: &Scp, caller: &str, image_id: &str) -> Result<Reply, ApiError> {
    let image = owned_image(state, caller, image_id, "create a sharing image")?;
    if image.status != "active" {
        return Err(ApiError::new(
            409,
            "ImageNotActive",
            format!(
                "Image {image_id} is \"{}\"; only active images can be shared.",
                image.status
            ),
        ));
    }
    Ok(Reply::empty(202))
}

// ---- images (§3.3) ---------------------------------------------------------

fn show_image(state: &Scp, call: &Call<'_>, image_id: &str) -> Result<Reply, ApiError> {
    let image = visible_image(state, call.caller, image_id)?;
    Ok(json_reply(200, image_json(image, call.version, false)))
}

/// A nullable integer in `0..=2097151`; `Ok(None)` when absent or null.
fn opt_size(body: &Map<String, Value>, name: &str) -> Result<Option<i64>, ApiError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .filter(|n| (0..=MAX_MIN_SIZE).contains(n))
            .map(Some)
            .ok_or_else(|| {
                ApiError::invalid_field(
                    name,
                    "The value should be an integer, 0 or larger, 2097151 or smaller.",
                )
            }),
    }
}

fn update_image(state: &mut Scp, call: &Call<'_>, image_id: &str) -> Result<Reply, ApiError> {
    let body = json_object(call.request)?;
    only_fields(&body, &["min_disk", "min_ram", "protected", "visibility"])?;
    let min_disk = opt_size(&body, "min_disk")?;
    let min_ram = opt_size(&body, "min_ram")?;
    let protected = match body.get("protected") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            return Err(ApiError::invalid_field(
                "protected",
                "The value should be a boolean.",
            ));
        }
    };
    let visibility = match body.get("visibility") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s == "private" => Some(ScpVisibility::Private),
        Some(Value::String(s)) if s == "shared" => Some(ScpVisibility::Shared),
        Some(_) => {
            return Err(ApiError::invalid_field(
                "visibility",
                "The value should be in private|shared format. Example: \"shared\"",
            ));
        }
    };

    owned_image(state, call.caller, image_id, "update it")?;
    let now = call.clock.now_utc();
    let image = state
        .image_mut(image_id)
        .ok_or_else(|| ApiError::image_not_found(image_id))?;
    if let Some(v) = min_disk {
        image.min_disk = v;
    }
    if let Some(v) = min_ram {
        image.min_ram = v;
    }
    if let Some(v) = protected {
        image.protected = v;
    }
    if let Some(v) = visibility {
        image.visibility = v;
    }
    image.updated_at = now;
    Ok(json_reply(200, image_json(image, call.version, false)))
}

/// One `sort` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortKey {
    CreatedAt,
    UpdatedAt,
    Name,
    Id,
    Status,
}

fn parse_sort(value: &str) -> Result<Vec<(SortKey, bool)>, ApiError> {
    let invalid = || {
        ApiError::invalid_field(
            "sort",
            "The value should be a comma-separated list of key[:asc|desc] with keys created_at, updated_at, name, id, status. Example: \"created_at:desc\"",
        )
    };
    value
        .split(',')
        .map(|part| {
            let (key, dir) = match part.split_once(':') {
                Some((k, d)) => (k, d),
                None => (part, "desc"),
            };
            let key = match key {
                "created_at" => SortKey::CreatedAt,
                "updated_at" => SortKey::UpdatedAt,
                "name" => SortKey::Name,
                "id" => SortKey::Id,
                "status" => SortKey::Status,
                _ => return Err(invalid()),
            };
            let descending = match dir {
                "desc" => true,
                "asc" => false,
                _ => return Err(invalid()),
            };
            Ok((key, descending))
        })
        .collect()
}

fn compare(a: &ScpImage, b: &ScpImage, keys: &[(SortKey, bool)]) -> Ordering {
    for (key, descending) in keys {
        let ordering = match key {
            SortKey::CreatedAt => a.created_at.cmp(&b.created_at),
            SortKey::UpdatedAt => a.updated_at.cmp(&b.updated_at),
            SortKey::Name => a.name.cmp(&b.name),
            SortKey::Id => a.id.cmp(&b.id),
            SortKey::Status => a.status.cmp(&b.status),
        };
        let ordering = if *descending {
            ordering.reverse()
        } else {
            ordering
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

fn list_images(state: &Scp, call: &Call<'_>) -> Result<Reply, ApiError> {
    let query = query(call.request);
    let limit = match param(&query, "limit") {
        None => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::invalid_field(
                    "limit",
                    "The value should be an integer, 1 or larger, 1000 or smaller.",
                )
            })?,
    };
    let visibility = match param(&query, "visibility") {
        None => None,
        Some(text) => Some(ScpVisibility::parse(text).ok_or_else(|| {
            ApiError::invalid_field(
                "visibility",
                "The value should be one of public, community, shared, private.",
            )
        })?),
    };
    let mut keys = match param(&query, "sort") {
        None => vec![(SortKey::CreatedAt, true)],
        Some(text) => parse_sort(text)?,
    };
    // A total order for keyset paging: ties broken by id.
    let last_descending = keys.last().is_none_or(|(_, d)| *d);
    keys.push((SortKey::Id, last_descending));

    let listed = |image: &ScpImage| -> bool {
        let shared_in = image.visibility == ScpVisibility::Shared
            && state
                .member(&image.id, call.caller)
                .is_some_and(|m| m.status == ScpMemberStatus::Accepted);
        let base =
            image.owner == call.caller || image.visibility == ScpVisibility::Public || shared_in;
        let by_visibility = match visibility {
            None => base,
            Some(ScpVisibility::Community) => image.visibility == ScpVisibility::Community,
            Some(v) => base && image.visibility == v,
        };
        let same = |name: &str, value: Option<&str>| {
            param(&query, name).is_none_or(|wanted| value == Some(wanted))
        };
        by_visibility
            && same("name", Some(&image.name))
            && same("os_distro", image.os_distro.as_deref())
            && same("status", Some(&image.status))
            && matches_type_filters(image, &query)
    };
    let mut found: Vec<&ScpImage> = state.images.iter().filter(|i| listed(i)).collect();
    found.sort_by(|a, b| compare(a, b, &keys));

    let start = match param(&query, "marker") {
        None => 0,
        Some(marker) => {
            found.iter().position(|i| i.id == marker).ok_or_else(|| {
                ApiError::invalid_field(
                    "marker",
                    &format!("The image {marker} could not be found in this listing."),
                )
            })? + 1
        }
    };
    let images: Vec<Value> = found
        .into_iter()
        .skip(start)
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|image| image_json(image, call.version, true))
        .collect();
    Ok(json_reply(200, json!({ "images": images })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(Route::parse("/v1/images"), Some(Route::Images));
        assert_eq!(Route::parse("/v1/images/x"), Some(Route::Image("x")));
        assert_eq!(
            Route::parse("/v1/images/x/members"),
            Some(Route::Members("x"))
        );
        assert_eq!(
            Route::parse("/v1/images/x/members/m"),
            Some(Route::Member("x", "m"))
        );
        assert_eq!(Route::parse("/v1/images/x/share"), Some(Route::Share("x")));
        assert_eq!(
            Route::parse("/v1/pending-images"),
            Some(Route::PendingImages)
        );
        assert_eq!(Route::parse("/v1/images/"), None);
        assert_eq!(Route::parse("/v1/images//members"), None);
        assert_eq!(Route::parse("/v1/volume-types"), None);
        assert_eq!(Route::parse("/v2/images"), None);
        assert_eq!(Route::parse("/"), None);
    }

    #[test]
    fn member_id_rule() {
        assert!(is_valid_member_id("a8f10467abfc4b87b64614ab36eb9ae4"));
        assert!(is_valid_member_id("ABC-123"));
        assert!(!is_valid_member_id(""));
        assert!(!is_valid_member_id("a_b"));
        assert!(!is_valid_member_id(&"a".repeat(65)));
    }

    #[test]
    fn sort_parsing() {
        assert!(parse_sort("name:asc,created_at").is_ok());
        assert!(parse_sort("name:up").is_err());
        assert!(parse_sort("owner").is_err());
    }
}
