//! The three CVM image-sharing actions: `ModifyImageSharePermission`,
//! `DescribeImageSharePermission` and `DescribeImages`.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::errors::{ApiError, ensure, err, fail};
use super::params::{Params, check, string, strings};
use super::seed::TencentImage;
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
/// Most account ids accepted in one call; the docs give no per-call cap, so the fake uses the
/// per-image quota.
const MAX_ACCOUNTS_PER_CALL: usize = 500;
/// `DescribeImages` paging and filter bounds.
const DEFAULT_LIMIT: u64 = 20;
const MAX_LIMIT: u64 = 100;
const MAX_FILTERS: usize = 10;
const MAX_FILTER_VALUES: usize = 5;
const MAX_IMAGE_IDS: usize = 100;

const PRIVATE_IMAGE: &str = "PRIVATE_IMAGE";
const SHARED_IMAGE: &str = "SHARED_IMAGE";
const PUBLIC_IMAGE: &str = "PUBLIC_IMAGE";
const IMAGE_TYPES: [&str; 3] = [PRIVATE_IMAGE, SHARED_IMAGE, PUBLIC_IMAGE];
const CDC_CACHE_STATUSES: &[&str] = &[
    "CACHED_ALL",
    "CACHING",
    "CACHED",
    "CACHE_INVALID",
    "CACHE_FAILED",
];

/// Who calls, in which region, and when.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller<'a> {
    pub(crate) account_id: &'a str,
    pub(crate) region: &'a str,
    pub(crate) clock: Clock,
}

/// Runs one authenticated, admitted request of one of [`ACTIONS`], its parameters checked
/// against its table first.
pub(crate) fn dispatch(
    state: &mut Tencent,
    action: &str,
    caller: Caller<'_>,
    params: &Params,
) -> Result<Params, ApiError> {
    check(params, action, "")?;
    match action {
        "ModifyImageSharePermission" => modify_image_share_permission(state, caller, params),
        "DescribeImageSharePermission" => describe_image_share_permission(state, caller, params),
        _ => describe_images(state, caller, params),
    }
}

/// `img-` + 8 lowercase letters or digits.
pub(crate) fn is_image_id(id: &str) -> bool {
    let rest = id.strip_prefix("img-").unwrap_or_default();
    rest.len() == 8
        && rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

fn check_image_id(id: &str) -> Result<(), ApiError> {
    ensure(is_image_id(id), || err("image_id_malformed", &[&id]))
}

/// Root-account ids ("uin") are decimal numbers.
pub(crate) fn is_account_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit())
}

/// The image checks shared by both share-permission actions. Images live in one region:
/// asked for in another, an image is not found.
fn owned_image<'a>(
    state: &'a Tencent,
    caller: Caller<'_>,
    image_id: &str,
) -> Result<&'a TencentImage, ApiError> {
    check_image_id(image_id)?;
    let (region, caller) = (caller.region, caller.account_id);
    let Some(image) = state.image_in(region, image_id) else {
        return fail("image_not_found", &[&image_id, &region]);
    };
    let owner = image.owner_account_id == caller;
    ensure(owner, || err("not_owner", &[&image_id, &caller]))?;
    Ok(image)
}

// ---- ModifyImageSharePermission ----------------------------------------------

fn modify_image_share_permission(
    state: &mut Tencent,
    who: Caller<'_>,
    params: &Params,
) -> Result<Params, ApiError> {
    let caller = who.account_id;
    let image_id = string(params, "ImageId");
    let account_ids = strings(params, "AccountIds");
    let permission = string(params, "Permission");
    check_image_id(image_id)?;
    // Case-sensitive, as documented.
    let share = permission == "SHARE";
    ensure(share || permission == "CANCEL", || {
        err("permission", &[&permission])
    })?;
    let count = account_ids.len();
    ensure(count <= MAX_ACCOUNTS_PER_CALL, || {
        err("too_many_accounts", &[&count, &MAX_ACCOUNTS_PER_CALL])
    })?;
    if let Some(bad) = account_ids.iter().find(|id| !is_account_id(id)) {
        return fail("account_id", &[bad]);
    }
    let image = owned_image(state, who, image_id)?;
    ensure(!account_ids.contains(&caller), || err("self_share", &[]))?;
    ensure(!share || !image.is_byol(), || err("byol", &[&image_id]))?;
    let whole = share && image.is_whole_instance();
    ensure(!whole, || err("whole_instance", &[&image_id]))?;
    // The docs attach "must be NORMAL" to this action's ImageId, for SHARE and CANCEL alike.
    let image_state = image.state_at(&who.clock.now_utc());
    ensure(image_state == "NORMAL", || {
        err("image_state", &[&image_id, &image_state])
    })?;

    // Duplicates within one call count once.
    let mut seen = HashSet::new();
    let account_ids: Vec<&str> = account_ids
        .into_iter()
        .filter(|id| seen.insert(*id))
        .collect();
    if !share {
        // CANCEL of an account the image is not shared with is ignored, so CANCEL is
        // idempotent (the docs do not say).
        if let Some(shares) = state.shares.get_mut(image_id) {
            shares.retain(|s| !account_ids.contains(&s.account_id.as_str()));
        }
        return Ok(Params::new());
    }
    // All or nothing: one already-shared account fails the whole call.
    if let Some(existing) = account_ids
        .iter()
        .find(|id| state.is_shared_with(image_id, id))
    {
        return fail("already_shared", &[&image_id, existing]);
    }
    let total = state.shares_of(image_id).len() + account_ids.len();
    ensure(total <= MAX_SHARES_PER_IMAGE, || {
        err("over_quota", &[&image_id, &total, &MAX_SHARES_PER_IMAGE])
    })?;
    let created_time = who.clock.now_utc();
    let listed_from_ms = who.clock.now_ms() + state.listing_delay_ms;
    let shares = state.shares.entry(image_id.to_owned()).or_default();
    let share = |id: &&str| Share {
        account_id: (*id).to_owned(),
        created_time: created_time.clone(),
        listed_from_ms,
    };
    shares.extend(account_ids.iter().map(share));
    Ok(Params::new())
}

// ---- DescribeImageSharePermission --------------------------------------------

fn describe_image_share_permission(
    state: &mut Tencent,
    caller: Caller<'_>,
    params: &Params,
) -> Result<Params, ApiError> {
    let image_id = string(params, "ImageId");
    owned_image(state, caller, image_id)?;
    let now = caller.clock.now_ms();
    let shares = state.shares_of(image_id).iter();
    let set: Vec<Value> = (shares.filter(|s| s.listed_from_ms <= now))
        .map(|s| json!({ "CreatedTime": s.created_time, "AccountId": s.account_id }))
        .collect();
    Ok(Params::from_iter([(
        "SharePermissionSet".into(),
        json!(set),
    )]))
}

// ---- DescribeImages ----------------------------------------------------------

struct Filter<'a> {
    name: &'a str,
    values: Vec<&'a str>,
}

/// Checks one filter's name and values.
fn check_filter(name: &str, values: &[&str]) -> Result<(), ApiError> {
    ensure(values.len() <= MAX_FILTER_VALUES, || {
        err("too_many_filter_values", &[&name, &MAX_FILTER_VALUES])
    })?;
    let bad_value = |allowed: &[&str]| values.iter().find(|v| !allowed.contains(v)).copied();
    match name {
        "image-id" => values.iter().try_for_each(|v| check_image_id(v)),
        "image-type" => bad_value(&IMAGE_TYPES).map_or(Ok(()), |bad| fail("image_type", &[&bad])),
        "cdc-cache-status" => bad_value(CDC_CACHE_STATUSES).map_or(Ok(()), |bad| {
            fail("cdc_cache_status", &[&bad, &CDC_CACHE_STATUSES.join(", ")])
        }),
        "image-name" | "platform" | "tag-key" | "tag-value" | "dedicated-cluster-id" => Ok(()),
        other => match other.strip_prefix("tag:") {
            Some(key) if key.trim().is_empty() => fail("empty_tag_key", &[&other]),
            Some(_) => Ok(()),
            None => fail("invalid_filter", &[&other]),
        },
    }
}

/// The `Filters` (an array, as checked), each checked.
fn parse_filters(params: &Params) -> Result<Vec<Filter<'_>>, ApiError> {
    let items: &[Value] = params
        .get("Filters")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    ensure(items.len() <= MAX_FILTERS, || {
        err("too_many_filters", &[&MAX_FILTERS])
    })?;
    let mut filters = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let wrong = || err("wrong_type", &[&format!("Filters.{i}"), &"a Filter object"]);
        let filter = item.as_object().ok_or_else(wrong)?;
        check(filter, "Filter", &format!("Filters.{i}."))?;
        let (name, values) = (string(filter, "Name"), strings(filter, "Values"));
        check_filter(name, &values)?;
        filters.push(Filter { name, values });
    }
    Ok(filters)
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
    Some(
        image
            .image_type
            .clone()
            .unwrap_or_else(|| derived.to_owned()),
    )
}

/// Whether `image` passes `filter` (the type filter is applied by the caller).
fn matches(filter: &Filter<'_>, image: &TencentImage) -> bool {
    let any = |value: &str| {
        filter
            .values
            .iter()
            .any(|v| value.to_lowercase().contains(&v.to_lowercase()))
    };
    let tags = image.tags.iter();
    match filter.name {
        "image-id" => filter.values.contains(&image.image_id.as_str()),
        "image-name" => any(&image.name),
        "platform" => any(&image.platform),
        "tag-key" => tags
            .clone()
            .any(|t| filter.values.contains(&t.key.as_str())),
        "tag-value" => tags
            .clone()
            .any(|t| filter.values.contains(&t.value.as_str())),
        // The fake has no CDC: no image is in a dedicated cluster or has a cache status.
        "dedicated-cluster-id" | "cdc-cache-status" => false,
        name => match name.strip_prefix("tag:") {
            Some(key) => tags
                .clone()
                .any(|t| t.key == key && filter.values.contains(&t.value.as_str())),
            None => true,
        },
    }
}

fn describe_images(
    state: &mut Tencent,
    who: Caller<'_>,
    params: &Params,
) -> Result<Params, ApiError> {
    let ids = strings(params, "ImageIds");
    let image_ids = (!ids.is_empty()).then_some(ids);
    let filters = parse_filters(params)?;
    let now = who.clock.now_utc();
    ensure(image_ids.is_none() || filters.is_empty(), || {
        err("ids_and_filters", &[])
    })?;
    let number = |name| params.get(name).and_then(Value::as_u64);
    let (offset, limit) = (
        number("Offset").unwrap_or(0),
        number("Limit").unwrap_or(DEFAULT_LIMIT),
    );
    ensure((1..=MAX_LIMIT).contains(&limit), || {
        err("limit", &[&MAX_LIMIT])
    })?;
    // InstanceType (checked to be a string) is ignored: the fake has no instance types.
    if let Some(ids) = &image_ids {
        ensure(ids.len() <= MAX_IMAGE_IDS, || {
            err("too_many_image_ids", &[&MAX_IMAGE_IDS])
        })?;
        ids.iter().try_for_each(|id| check_image_id(id))?;
    }
    let type_filter = filters.iter().find(|f| f.name == "image-type");
    let asks_by_id = image_ids.is_some() || filters.iter().any(|f| f.name == "image-id");

    let found: Vec<Value> = (state.images.iter())
        .filter(|image| image.region == who.region)
        .filter_map(|image| Some((image, image_type_for(state, image, who.account_id)?)))
        .filter(|(image, image_type)| {
            let type_ok = match type_filter {
                Some(f) => f.values.contains(&image_type.as_str()),
                // Without a type filter: the caller's own and shared-in images; public ones
                // only when asked for by id.
                None => asks_by_id || image_type != PUBLIC_IMAGE,
            };
            let id_ok = image_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&image.image_id.as_str()));
            type_ok && id_ok && filters.iter().all(|f| matches(f, image))
        })
        .map(|(image, image_type)| image_json(image, &image_type, &now))
        .collect();
    let total = found.len();
    let page = found
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX));
    let page: Vec<Value> = page
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    Ok(Params::from_iter([
        ("TotalCount".into(), json!(total)),
        ("ImageSet".into(), json!(page)),
    ]))
}

/// An `Image` object as `DescribeImages` answers it.
fn image_json(image: &TencentImage, image_type: &str, now: &str) -> Value {
    let tags: Vec<Value> = image
        .tags
        .iter()
        .map(|t| json!({ "Key": t.key, "Value": t.value }))
        .collect();
    let snapshots = image.snapshots.iter().map(|s| {
        json!({ "SnapshotId": s.snapshot_id, "DiskUsage": s.disk_usage, "DiskSize": s.disk_size })
    });
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
        "SnapshotSet": snapshots.collect::<Vec<_>>(),
        "Tags": tags,
        "LicenseType": image.license_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_id_shape() {
        assert!(is_image_id("img-6pb6lrmy"));
        assert!(is_image_id("img-demo0001"));
        assert!(!is_image_id("img-6PB6LRMY"));
        assert!(!is_image_id("img-6pb6lrm"));
        assert!(!is_image_id("img-6pb6lrmyx"));
        assert!(!is_image_id("ins-6pb6lrmy"));
        assert!(!is_image_id("img-6pb6lrm_"));
    }

    #[test]
    fn account_id_shape() {
        assert!(is_account_id("1038493875"));
        assert!(!is_account_id(""));
        assert!(!is_account_id("10384a"));
        assert!(!is_account_id(" 1038"));
    }
}
