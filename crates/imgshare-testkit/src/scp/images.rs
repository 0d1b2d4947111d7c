//! The image operations: show, update and list images, list pending images, and create a
//! sharing image.

use std::cmp::Ordering;

use serde::Deserialize;
use serde_json::{Value, json};

use super::errors::err;
use super::handlers::{Answer, Call, body, owned_image, visible_image};
use super::seed::{ScpImage, ScpMemberStatus, ScpVisibility, parse};
use super::state::Scp;
use crate::harness::{Reply, ensure};

/// `limit` bounds for `GET /v1/images`.
const MAX_LIMIT: usize = 1000;
/// `limit` when none is sent: undocumented, so Glance's default.
const DEFAULT_LIMIT: usize = 25;
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

fn reply(image: &ScpImage, call: &Call<'_>) -> Answer {
    Ok(Reply::json(200, &image_json(image, call.version, false)))
}

pub(crate) fn show(state: &mut Scp, call: &Call<'_>) -> Answer {
    reply(visible_image(state, call)?, call)
}

/// What `PUT /v1/images/{image_id}` may change; a member left out or null stays as it is.
#[derive(Deserialize)]
struct ImageUpdate {
    min_disk: Option<i64>,
    min_ram: Option<i64>,
    protected: Option<bool>,
    visibility: Option<ScpVisibility>,
}

pub(crate) fn update(state: &mut Scp, call: &Call<'_>) -> Answer {
    let known = ["min_disk", "min_ram", "protected", "visibility"];
    let update: ImageUpdate = body(call.request, &known, &[])?;
    owned_image(state, call, "update it")?;
    let image = (state.image_mut(call.image_id))
        .ok_or_else(|| err("image_not_found", &[&call.image_id]))?;
    image.min_disk = update.min_disk.unwrap_or(image.min_disk);
    image.min_ram = update.min_ram.unwrap_or(image.min_ram);
    image.protected = update.protected.unwrap_or(image.protected);
    image.visibility = update.visibility.unwrap_or(image.visibility);
    image.updated_at = call.clock.now_utc();
    reply(image, call)
}

pub(crate) fn create_sharing_image(state: &mut Scp, call: &Call<'_>) -> Answer {
    let image = owned_image(state, call, "create a sharing image")?;
    let (image_id, status) = (call.image_id, &image.status);
    ensure(status == "active", || {
        err("not_active", &[&image_id, status])
    })?;
    Ok(Reply::empty(202))
}

/// The decoded query parameters: the first value of `name`.
fn param(call: &Call<'_>, name: &str) -> Option<String> {
    let mut pairs = call.request.url.query_pairs();
    pairs.find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// The query parameters both listings filter on: when given, the image's member must equal
/// it.
const TYPE_FILTERS: [&str; 2] = ["scp_image_type", "scp_original_image_type"];
/// The ones only `GET /v1/images` takes.
const IMAGE_FILTERS: [&str; 3] = ["name", "os_distro", "status"];

/// Whether the image (as JSON) passes the call's `filters`.
fn passes(call: &Call<'_>, image: &Value, filters: &[&str]) -> bool {
    let same = |name: &&str| param(call, name).is_none_or(|wanted| image[*name] == json!(wanted));
    filters.iter().all(same)
}

pub(crate) fn list_pending(state: &mut Scp, call: &Call<'_>) -> Answer {
    let pending = |image: &&ScpImage| {
        let member = state.member(&image.id, call.caller);
        image.visibility == ScpVisibility::Shared
            && member.is_some_and(|m| m.status == ScpMemberStatus::Pending)
            && passes(call, &json!(image), &TYPE_FILTERS)
    };
    let images = state.data.images.iter().filter(pending);
    let images: Vec<Value> = images
        .map(|image| image_json(image, call.version, false))
        .collect();
    Ok(Reply::json(200, &json!({ "images": images })))
}

/// The keys `sort` may name.
const SORT_KEYS: [&str; 5] = ["created_at", "updated_at", "name", "id", "status"];

/// `sort`, a comma-separated list of `key[:asc|desc]` (descending by default), as (key,
/// descending) pairs; then by id in the last key's direction, a total order for keyset paging.
fn parse_sort(value: &str) -> Option<Vec<(&str, bool)>> {
    let keys = value.split(',').map(|part| {
        let (key, direction) = part.split_once(':').unwrap_or((part, "desc"));
        let descending = match direction {
            "desc" => true,
            "asc" => false,
            _ => return None,
        };
        SORT_KEYS.contains(&key).then_some((key, descending))
    });
    let mut keys: Vec<(&str, bool)> = keys.collect::<Option<_>>()?;
    let last_descending = keys.last().is_none_or(|(_, descending)| *descending);
    keys.push(("id", last_descending));
    Some(keys)
}

/// `GET /v1/images`: without a `visibility` filter, the caller's own images, `public` images
/// and `shared` images it has *accepted*; `visibility=community` lists every community image.
pub(crate) fn list(state: &mut Scp, call: &Call<'_>) -> Answer {
    let limit = match param(call, "limit") {
        None => DEFAULT_LIMIT,
        Some(text) => (text.parse().ok().filter(|n| (1..=MAX_LIMIT).contains(n)))
            .ok_or_else(|| err("invalid_limit", &[]))?,
    };
    let visibility = match param(call, "visibility") {
        None => None,
        Some(v) => Some(parse(&v).ok_or_else(|| err("invalid_visibility_filter", &[]))?),
    };
    let sort = param(call, "sort").unwrap_or_else(|| "created_at:desc".into());
    let keys = parse_sort(&sort).ok_or_else(|| err("invalid_sort", &[]))?;

    let listed = |image: &&ScpImage| -> bool {
        let member = state.member(&image.id, call.caller);
        let accepted = member.is_some_and(|m| m.status == ScpMemberStatus::Accepted);
        let shared_in = image.visibility == ScpVisibility::Shared && accepted;
        let base =
            image.owner == call.caller || image.visibility == ScpVisibility::Public || shared_in;
        match visibility {
            None => base,
            Some(ScpVisibility::Community) => image.visibility == ScpVisibility::Community,
            Some(v) => base && image.visibility == v,
        }
    };
    let images = state.data.images.iter().filter(listed);
    let images = images.map(|image| (json!(image), image));
    let filters = [TYPE_FILTERS.as_slice(), &IMAGE_FILTERS].concat();
    let mut found: Vec<_> = images
        .filter(|(json, _)| passes(call, json, &filters))
        .collect();
    found.sort_by(|(a, _), (b, _)| {
        let by = |&(key, descending): &(&str, bool)| {
            let (x, y) = if descending { (b, a) } else { (a, b) };
            x[key].as_str().cmp(&y[key].as_str())
        };
        keys.iter().map(by).fold(Ordering::Equal, Ordering::then)
    });

    let start = match param(call, "marker") {
        None => 0,
        Some(marker) => {
            let at = found.iter().position(|(_, image)| image.id == marker);
            at.ok_or_else(|| err("invalid_marker", &[&marker]))? + 1
        }
    };
    let page = found.into_iter().skip(start).take(limit);
    let images: Vec<Value> = page
        .map(|(_, image)| image_json(image, call.version, true))
        .collect();
    Ok(Reply::json(200, &json!({ "images": images })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_parsing() {
        let keys = parse_sort("name:asc,created_at");
        assert_eq!(
            keys,
            Some(vec![("name", false), ("created_at", true), ("id", true)])
        );
        assert_eq!(
            parse_sort("id:asc").map(|keys| keys[1]),
            Some(("id", false))
        );
        assert_eq!(parse_sort("name:up"), None);
        assert_eq!(parse_sort("owner"), None);
    }
}
