//! The image operations: show, update and list images, list pending images, and create a
//! sharing image.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::errors::{ApiError, err, fail};
use super::handlers::{Call, field, json_object, owned_image, visible_image};
use super::seed::{ScpImage, ScpMemberStatus, ScpVisibility, parse};
use super::state::Scp;
use crate::harness::{Reply, ensure};

/// `limit` bounds for `GET /v1/images`.
const MAX_LIMIT: usize = 1000;
/// `limit` when none is sent: undocumented, so Glance's default.
const DEFAULT_LIMIT: usize = 25;
/// `min_disk`/`min_ram` upper bound.
const MAX_MIN_SIZE: i64 = 2_097_151;
/// `ImageShowResponse` fields the fake does not model, always `null`.
const NULL_FIELDS: [&str; 11] = [
    "checksum",
    "os_hash_algo",
    "os_hash_value",
    "owner_user_name",
    "root_device_name",
    "scp_k8s_version",
    "scp_os_build_version",
    "url",
    "virtual_size",
    "volumes",
    "scp_gpu_driver",
];

/// `ImageShowResponse`: the `V1Dot2` shape from 1.2 on (`scp_gpu_driver`), plus
/// `scp_supported_class_types` in 1.3 lists.
fn image_json(image: &ScpImage, version: (u32, u32), in_list: bool) -> Value {
    let mut value = json!(image);
    value["file"] = json!(format!("/v2/images/{}/file", image.id));
    let nulls = if version >= (1, 2) { 11 } else { 10 };
    for name in &NULL_FIELDS[..nulls] {
        value[*name] = Value::Null;
    }
    if in_list && version >= (1, 3) {
        value["scp_supported_class_types"] = Value::Null;
    }
    value
}

fn reply(image: &ScpImage, call: &Call<'_>) -> Result<Reply, ApiError> {
    Ok(Reply::json(200, &image_json(image, call.version, false)))
}

pub(crate) fn show(state: &Scp, call: &Call<'_>, image_id: &str) -> Result<Reply, ApiError> {
    reply(visible_image(state, call.caller, image_id)?, call)
}

pub(crate) fn update(state: &mut Scp, call: &Call<'_>, image_id: &str) -> Result<Reply, ApiError> {
    let body = json_object(
        call.request,
        &["min_disk", "min_ram", "protected", "visibility"],
    )?;
    // Every member is nullable: null leaves the value as it is.
    let body: Map<String, Value> = body.into_iter().filter(|(_, v)| !v.is_null()).collect();
    let size_rule = "The value should be an integer, 0 or larger, 2097151 or smaller.";
    let size = |v: &Value| v.as_i64().filter(|n| (0..=MAX_MIN_SIZE).contains(n));
    let min_disk = field(&body, "min_disk", size_rule, size)?;
    let min_ram = field(&body, "min_ram", size_rule, size)?;
    let protected = field(
        &body,
        "protected",
        "The value should be a boolean.",
        Value::as_bool,
    )?;
    let rule = "The value should be in private|shared format. Example: \"shared\"";
    let visibility = field(&body, "visibility", rule, |v| {
        let settable = [ScpVisibility::Private, ScpVisibility::Shared];
        parse(v.as_str()?).filter(|v| settable.contains(v))
    })?;

    owned_image(state, call.caller, image_id, "update it")?;
    let now = call.clock.now_utc();
    let image = state
        .image_mut(image_id)
        .ok_or_else(|| err("image_not_found", &[&image_id]))?;
    image.min_disk = min_disk.unwrap_or(image.min_disk);
    image.min_ram = min_ram.unwrap_or(image.min_ram);
    image.protected = protected.unwrap_or(image.protected);
    image.visibility = visibility.unwrap_or(image.visibility);
    image.updated_at = now;
    reply(image, call)
}

pub(crate) fn create_sharing_image(
    state: &Scp,
    caller: &str,
    image_id: &str,
) -> Result<Reply, ApiError> {
    let image = owned_image(state, caller, image_id, "create a sharing image")?;
    let active = image.status == "active";
    ensure(active, || err("not_active", &[&image_id, &image.status]))?;
    Ok(Reply::empty(202))
}

/// The decoded query parameters: the first value of `name`.
fn param(call: &Call<'_>, name: &str) -> Option<String> {
    let mut pairs = call.request.url.query_pairs();
    pairs.find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// The filters every listing takes: each given parameter must equal the image's field.
fn filtered(call: &Call<'_>, image: &ScpImage, names: &[&str]) -> bool {
    let value = json!(image);
    let same = |name: &&str| param(call, name).is_none_or(|wanted| value[*name] == json!(wanted));
    names.iter().all(same)
}

const TYPE_FILTERS: [&str; 2] = ["scp_image_type", "scp_original_image_type"];

pub(crate) fn list_pending(state: &Scp, call: &Call<'_>) -> Result<Reply, ApiError> {
    let pending = |image: &&ScpImage| {
        let member = state.member(&image.id, call.caller);
        image.visibility == ScpVisibility::Shared
            && member.is_some_and(|m| m.status == ScpMemberStatus::Pending)
            && filtered(call, image, &TYPE_FILTERS)
    };
    let images = state.images.iter().filter(pending);
    let images: Vec<Value> = images
        .map(|image| image_json(image, call.version, false))
        .collect();
    Ok(Reply::json(200, &json!({ "images": images })))
}

/// A field images sort by, and whether descending.
type SortKey = (fn(&ScpImage) -> &str, bool);

/// A `sort` key's field, for `created_at`, `updated_at`, `name`, `id` and `status`.
fn sort_field(name: &str) -> Option<fn(&ScpImage) -> &str> {
    let field: fn(&ScpImage) -> &str = match name {
        "created_at" => |i| &i.created_at,
        "updated_at" => |i| &i.updated_at,
        "name" => |i| &i.name,
        "id" => |i| &i.id,
        "status" => |i| &i.status,
        _ => return None,
    };
    Some(field)
}

/// `sort`: a comma-separated list of `key[:asc|desc]` (descending by default), then by id in
/// the last key's direction, a total order for keyset paging.
fn parse_sort(value: &str) -> Result<Vec<SortKey>, ApiError> {
    let rule = "The value should be a comma-separated list of key[:asc|desc] with keys created_at, updated_at, name, id, status. Example: \"created_at:desc\"";
    let mut keys = Vec::new();
    for part in value.split(',') {
        let (key, direction) = part.split_once(':').unwrap_or((part, "desc"));
        let descending = match direction {
            "desc" => true,
            "asc" => false,
            _ => return fail("field_invalid", &[&"sort", &rule]),
        };
        let field = sort_field(key).ok_or_else(|| err("field_invalid", &[&"sort", &rule]))?;
        keys.push((field, descending));
    }
    let last_descending = keys.last().is_none_or(|(_, d)| *d);
    keys.push((|i: &ScpImage| i.id.as_str(), last_descending));
    Ok(keys)
}

fn compare(a: &ScpImage, b: &ScpImage, keys: &[SortKey]) -> Ordering {
    let by = |(field, descending): &SortKey| {
        let ordering = field(a).cmp(field(b));
        if *descending {
            ordering.reverse()
        } else {
            ordering
        }
    };
    keys.iter()
        .map(by)
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// `GET /v1/images`: without a `visibility` filter, the caller's own images, `public` images
/// and `shared` images it has *accepted*; `visibility=community` lists every community image.
pub(crate) fn list(state: &Scp, call: &Call<'_>) -> Result<Reply, ApiError> {
    let rule = "The value should be an integer, 1 or larger, 1000 or smaller.";
    let limit = match param(call, "limit") {
        None => DEFAULT_LIMIT,
        Some(text) => (text.parse().ok().filter(|n| (1..=MAX_LIMIT).contains(n)))
            .ok_or_else(|| err("field_invalid", &[&"limit", &rule]))?,
    };
    let rule = "The value should be one of public, community, shared, private.";
    let visibility = param(call, "visibility").map(|v| parse::<ScpVisibility>(&v));
    let visibility =
        visibility.map(|v| v.ok_or_else(|| err("field_invalid", &[&"visibility", &rule])));
    let visibility = visibility.transpose()?;
    let keys = parse_sort(&param(call, "sort").unwrap_or_else(|| "created_at:desc".into()))?;

    let listed = |image: &&ScpImage| -> bool {
        let member = state.member(&image.id, call.caller);
        let accepted = member.is_some_and(|m| m.status == ScpMemberStatus::Accepted);
        let shared_in = image.visibility == ScpVisibility::Shared && accepted;
        let base =
            image.owner == call.caller || image.visibility == ScpVisibility::Public || shared_in;
        let by_visibility = match visibility {
            None => base,
            Some(ScpVisibility::Community) => image.visibility == ScpVisibility::Community,
            Some(v) => base && image.visibility == v,
        };
        let filters = [
            "name",
            "os_distro",
            "status",
            TYPE_FILTERS[0],
            TYPE_FILTERS[1],
        ];
        by_visibility && filtered(call, image, &filters)
    };
    let mut found: Vec<&ScpImage> = state.images.iter().filter(listed).collect();
    found.sort_by(|a, b| compare(a, b, &keys));

    let start = match param(call, "marker") {
        None => 0,
        Some(marker) => {
            let rule = format!("The image {marker} could not be found in this listing.");
            let at = found.iter().position(|i| i.id == marker);
            at.ok_or_else(|| err("field_invalid", &[&"marker", &rule]))? + 1
        }
    };
    let page = found.into_iter().skip(start).take(limit);
    let images: Vec<Value> = page
        .map(|image| image_json(image, call.version, true))
        .collect();
    Ok(Reply::json(200, &json!({ "images": images })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_parsing() {
        assert!(parse_sort("name:asc,created_at").is_ok());
        assert!(parse_sort("name:up").is_err());
        assert!(parse_sort("owner").is_err());
    }
}
