//! The three CVM image-sharing actions: `ModifyImageSharePermission`,
//! `DescribeImageSharePermission` and `DescribeImages`, each run on parameters its row of
//! `model.toml` has checked.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::errors::{ApiError, ensure, err, fail};
use super::params::{Params, check, items, string, strings};
use super::seed::{TencentImage, TencentSnapshot, TencentTag};
use super::state::{Share, Tencent};
use crate::harness::Clock;

/// The actions the fake implements.
pub(crate) const ACTIONS: [&str; 3] = [
    "ModifyImageSharePermission",
    "DescribeImageSharePermission",
    "DescribeImages",
];

/// Most accounts one image may be shared with (the current docs).
pub(crate) const MAX_SHARES_PER_IMAGE: usize = 500;
/// `DescribeImages`' `Limit` when none is given.
const DEFAULT_LIMIT: u64 = 20;

const PRIVATE_IMAGE: &str = "PRIVATE_IMAGE";
const SHARED_IMAGE: &str = "SHARED_IMAGE";
const PUBLIC_IMAGE: &str = "PUBLIC_IMAGE";

/// One authenticated, admitted call: who makes it, in which region, when, and its parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    pub(crate) account_id: &'a str,
    pub(crate) region: &'a str,
    pub(crate) clock: Clock,
    pub(crate) params: &'a Params,
}

/// Runs a call of one of [`ACTIONS`], its parameters checked against the action's description
/// first; answers the `Response` fields.
pub(crate) fn dispatch(
    state: &mut Tencent,
    action: &str,
    call: Call<'_>,
) -> Result<Value, ApiError> {
    check(call.params, action, "")?;
    match action {
        "ModifyImageSharePermission" => modify_image_share_permission(state, call),
        "DescribeImageSharePermission" => describe_image_share_permission(state, call),
        _ => describe_images(state, call),
    }
}

/// The image checks shared by both share-permission actions. Images live in one region:
/// asked for in another, an image is not found.
fn owned_image<'a>(
    state: &'a Tencent,
    call: Call<'_>,
    image_id: &str,
) -> Result<&'a TencentImage, ApiError> {
    let (region, caller) = (call.region, call.account_id);
    let Some(image) = state.image_in(region, image_id) else {
        return fail("image_not_found", &[&image_id, &region]);
    };
    let owner = image.owner_account_id == caller;
    ensure(owner, || err("not_owner", &[&image_id, &caller]))?;
    Ok(image)
}

// ---- ModifyImageSharePermission ----------------------------------------------

fn modify_image_share_permission(state: &mut Tencent, call: Call<'_>) -> Result<Value, ApiError> {
    let (caller, params, clock) = (call.account_id, call.params, call.clock);
    let (image_id, mut account_ids) = (string(params, "ImageId"), strings(params, "AccountIds"));
    let share = string(params, "Permission") == "SHARE";
    let image = owned_image(state, call, image_id)?;
    ensure(!account_ids.contains(&caller), || err("self_share", &[]))?;
    ensure(!share || !image.is_byol(), || err("byol", &[&image_id]))?;
    let whole = share && image.is_whole_instance();
    ensure(!whole, || err("whole_instance", &[&image_id]))?;
    // The docs attach "must be NORMAL" to this action's ImageId, for SHARE and CANCEL alike.
    let image_state = image.state_at(&clock.now_utc());
    let normal = image_state == "NORMAL";
    ensure(normal, || err("image_state", &[&image_id, &image_state]))?;

    // Duplicates within one call count once.
    let mut seen = HashSet::new();
    account_ids.retain(|id| seen.insert(*id));
    if !share {
        // CANCEL of an account the image is not shared with is ignored, so CANCEL is
        // idempotent (the docs do not say).
        if let Some(shares) = state.shares.get_mut(image_id) {
            shares.retain(|s| !account_ids.contains(&s.account_id.as_str()));
        }
        return Ok(json!({}));
    }
    // All or nothing: one already-shared account fails the whole call.
    for id in &account_ids {
        let shared = state.is_shared_with(image_id, id);
        ensure(!shared, || err("already_shared", &[&image_id, id]))?;
    }
    let total = state.shares_of(image_id).len() + account_ids.len();
    ensure(total <= MAX_SHARES_PER_IMAGE, || {
        err("over_quota", &[&image_id, &total, &MAX_SHARES_PER_IMAGE])
    })?;
    let created_time = clock.now_utc();
    let listed_from_ms = clock.now_ms() + state.listing_delay_ms;
    let shares = state.shares.entry(image_id.to_owned()).or_default();
    let share = |id: &&str| Share {
        account_id: (*id).to_owned(),
        created_time: created_time.clone(),
        listed_from_ms,
    };
    shares.extend(account_ids.iter().map(share));
    Ok(json!({}))
}

// ---- DescribeImageSharePermission --------------------------------------------

fn describe_image_share_permission(state: &mut Tencent, call: Call<'_>) -> Result<Value, ApiError> {
    let image_id = string(call.params, "ImageId");
    owned_image(state, call, image_id)?;
    let now = call.clock.now_ms();
    let shares = state.shares_of(image_id).iter();
    let set: Vec<Value> = (shares.filter(|s| s.listed_from_ms <= now))
        .map(|s| json!({ "CreatedTime": s.created_time, "AccountId": s.account_id }))
        .collect();
    Ok(json!({ "SharePermissionSet": set }))
}

// ---- DescribeImages ----------------------------------------------------------

/// One of `DescribeImages`' `Filters`.
struct Filter<'a> {
    name: &'a str,
    values: Vec<&'a str>,
}

fn filters(params: &Params) -> Vec<Filter<'_>> {
    let filter = |f| Filter {
        name: string(f, "Name"),
        values: strings(f, "Values"),
    };
    let filters = items(params, "Filters").filter_map(Value::as_object);
    filters.map(filter).collect()
}

/// The `ImageType` `caller` sees for `image`, or `None` if it can't see it.
fn image_type_for(state: &Tencent, image: &TencentImage, caller: &str) -> Option<String> {
    let derived = if image.owner_account_id == caller {
        PRIVATE_IMAGE
    } else if image.is_public() {
        PUBLIC_IMAGE
    } else if state.is_shared_with(&image.image_id, caller) {
        SHARED_IMAGE
    } else {
        return None;
    };
    let forced = image.image_type.clone();
    Some(forced.unwrap_or_else(|| derived.to_owned()))
}

/// Whether `image` passes `filter` (the type filter is applied by the caller).
fn matches(filter: &Filter<'_>, image: &TencentImage) -> bool {
    let any = |value: &str| {
        let (value, mut values) = (value.to_lowercase(), filter.values.iter());
        values.any(|v| value.contains(&v.to_lowercase()))
    };
    let listed = |value: &String| filter.values.contains(&value.as_str());
    let mut tags = image.tags.iter();
    match filter.name {
        "image-id" => listed(&image.image_id),
        "image-name" => any(&image.name),
        "platform" => any(&image.platform),
        "tag-key" => tags.any(|t| listed(&t.key)),
        "tag-value" => tags.any(|t| listed(&t.value)),
        // The fake has no CDC: no image is in a dedicated cluster or has a cache status.
        "dedicated-cluster-id" | "cdc-cache-status" => false,
        name => match name.strip_prefix("tag:") {
            Some(key) => tags.any(|t| t.key == key && listed(&t.value)),
            None => true,
        },
    }
}

fn describe_images(state: &mut Tencent, call: Call<'_>) -> Result<Value, ApiError> {
    let params = call.params;
    let (image_ids, filters) = (strings(params, "ImageIds"), filters(params));
    let by_ids = !image_ids.is_empty();
    let both = by_ids && !filters.is_empty();
    ensure(!both, || err("ids_and_filters", &[]))?;
    let number = |name| params.get(name).and_then(Value::as_u64);
    let offset = number("Offset").unwrap_or(0);
    let limit = number("Limit").unwrap_or(DEFAULT_LIMIT);
    let now = call.clock.now_utc();
    let type_filter = filters.iter().find(|f| f.name == "image-type");
    let asks_by_id = by_ids || filters.iter().any(|f| f.name == "image-id");

    let found: Vec<Value> = (state.images.iter())
        .filter(|image| image.region == call.region)
        .filter_map(|image| Some((image, image_type_for(state, image, call.account_id)?)))
        .filter(|(image, image_type)| {
            let type_ok = match type_filter {
                Some(f) => f.values.contains(&image_type.as_str()),
                // Without a type filter: the caller's own and shared-in images; public ones
                // only when asked for by id.
                None => asks_by_id || image_type != PUBLIC_IMAGE,
            };
            let id_ok = !by_ids || image_ids.contains(&image.image_id.as_str());
            type_ok && id_ok && filters.iter().all(|f| matches(f, image))
        })
        .map(|(image, image_type)| image_json(image, &image_type, &now))
        .collect();
    let total = found.len();
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let take = usize::try_from(limit).unwrap_or(usize::MAX);
    let page: Vec<Value> = found.into_iter().skip(skip).take(take).collect();
    Ok(json!({ "TotalCount": total, "ImageSet": page }))
}

/// An `Image` object as `DescribeImages` answers it.
fn image_json(image: &TencentImage, image_type: &str, now: &str) -> Value {
    let tag = |t: &TencentTag| json!({ "Key": t.key, "Value": t.value });
    let snapshot = |s: &TencentSnapshot| json!({ "SnapshotId": s.snapshot_id, "DiskUsage": s.disk_usage, "DiskSize": s.disk_size });
    json!({
        "ImageId": image.image_id,
        "OsName": image.os_name,
        "ImageType": image_type,
        "CreatedTime": image.created_time,
        "ImageName": image.name,
        "ImageDescription": image.description,
        "ImageSize": image.size_gib,
        "Architecture": image.architecture,
        "ImageState": image.state_at(now),
        "Platform": image.platform,
        "ImageCreator": image.owner_account_id,
        "ImageSource": image.image_source,
        "SyncPercent": null,
        "IsSupportCloudinit": image.is_support_cloudinit,
        "SnapshotSet": image.snapshots.iter().map(snapshot).collect::<Vec<_>>(),
        "Tags": image.tags.iter().map(tag).collect::<Vec<_>>(),
        "LicenseType": image.license_type,
    })
}
