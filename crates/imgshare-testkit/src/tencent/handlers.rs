//! The three CVM image-sharing actions (tencent.md §5.1–§5.3).

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::errors::ApiError;
use super::seed::TencentImage;
use super::state::{Share, Tencent};
use crate::harness::Clock;

/// Most accounts one image may be shared with (§5.1, current docs).
pub(crate) const MAX_SHARES_PER_IMAGE: usize = 500;
/// Most account ids accepted in one call; the docs give no per-call cap,
/// so the fake uses the per-image quota (§ "Open questions" 1).
pub(crate) const MAX_ACCOUNTS_PER_CALL: usize = 500;
/// `DescribeImages` paging (§5.3).
const DEFAULT_LIMIT: u64 = 20;
const MAX_LIMIT: u64 = 100;
const MAX_FILTERS: usize = 10;
const MAX_FILTER_VALUES: usize = 5;
const MAX_IMAGE_IDS: usize = 100;

const PRIVATE_IMAGE: &str = "PRIVATE_IMAGE";
const SHARED_IMAGE: &str = "SHARED_IMAGE";
const PUBLIC_IMAGE: &str = "PUBLIC_IMAGE";
const CDC_CACHE_STATUSES: &[&str] = &[
    "CACHED_ALL",
    "CACHING",
    "CACHED",
    "CACHE_INVALID",
    "CACHE_FAILED",
];

/// The actions the fake implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    ModifyImageSharePermission,
    DescribeImageSharePermission,
    DescribeImages,
}

impl Action {
    pub(crate) fn parse(name: &str) -> Option<Action> {
        match name {
            "ModifyImageSharePermission" => Some(Action::ModifyImageSharePermission),
            "DescribeImageSharePermission" => Some(Action::DescribeImageSharePermission),
            "DescribeImages" => Some(Action::DescribeImages),
            _ => None,
        }
    }
}

/// Who calls, and in which region.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller<'a> {
    pub(crate) account_id: &'a str,
    pub(crate) region: &'a str,
    pub(crate) clock: Clock,
}

/// Runs one authenticated, admitted request.
pub(crate) fn dispatch(
    state: &mut Tencent,
    action: Action,
    caller: Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Map<String, Value>, ApiError> {
    match action {
        Action::ModifyImageSharePermission => modify_image_share_permission(state, caller, params),
        Action::DescribeImageSharePermission => {
            describe_image_share_permission(state, caller, params)
        }
        Action::DescribeImages => describe_images(state, caller, params),
    }
}

// ---- parameter helpers ---------------------------------------------------

/// Tencent rejects parameters an action does not define.
fn only_known(params: &Map<String, Value>, known: &[&str]) -> Result<(), ApiError> {
    match params.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(ApiError::new(
            "UnknownParameter",
            format!("The parameter `{unknown}` is not recognized."),
        )),
        None => Ok(()),
    }
}

fn wrong_type(name: &str, expected: &str) -> ApiError {
    ApiError::new(
        "InvalidParameter",
        format!("The parameter `{name}` must be {expected}."),
    )
}

fn opt_string<'a>(params: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(wrong_type(name, "a string")),
    }
}

fn opt_strings<'a>(
    params: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<Vec<&'a str>>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| wrong_type(name, "an array of strings"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(wrong_type(name, "an array of strings")),
    }
}

fn opt_u64(params: &Map<String, Value>, name: &str) -> Result<Option<u64>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| wrong_type(name, "a non-negative integer")),
    }
}

/// `img-` + 8 lowercase letters or digits.
pub(crate) fn is_image_id(id: &str) -> bool {
    id.strip_prefix("img-").is_some_and(|rest| {
        rest.len() == 8
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

fn malformed_image_id(id: &str) -> ApiError {
    ApiError::new(
        "InvalidImageId.Malformed",
        format!(
            "The image id `{id}` is malformed; expected img- followed by 8 lowercase letters or digits."
        ),
    )
}

/// Root-account ids ("uin") are decimal numbers.
pub(crate) fn is_account_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit())
}

/// The image checks shared by both share-permission actions.
/// Images live in one region: asked for in another, an image is not found.
fn owned_image<'a>(
    state: &'a Tencent,
    caller: Caller<'_>,
    image_id: &str,
) -> Result<&'a TencentImage, ApiError> {
    if !is_image_id(image_id) {
        return Err(malformed_image_id(image_id));
    }
    let image = state.image_in(caller.region, image_id).ok_or_else(|| {
        ApiError::new(
            "InvalidImageId.NotFound",
            format!(
                "The image `{image_id}` does not exist in region {}.",
                caller.region
            ),
        )
    })?;
    let caller = caller.account_id;
    if image.owner_account_id != caller {
        return Err(ApiError::new(
            "UnauthorizedOperation.ImageNotBelongToAccount",
            format!("The image `{image_id}` does not belong to account `{caller}`."),
        ));
    }
    Ok(image)
}

// ---- ModifyImageSharePermission (§5.1) -------------------------------------

fn modify_image_share_permission(
    state: &mut Tencent,
    who: Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Map<String, Value>, ApiError> {
    let caller = who.account_id;
    only_known(params, &["ImageId", "AccountIds", "Permission"])?;
    let image_id = opt_string(params, "ImageId")?.ok_or_else(|| ApiError::missing("ImageId"))?;
    let account_ids = opt_strings(params, "AccountIds")?
        .filter(|ids| !ids.is_empty())
        .ok_or_else(|| ApiError::missing("AccountIds"))?;
    let permission =
        opt_string(params, "Permission")?.ok_or_else(|| ApiError::missing("Permission"))?;

    if !is_image_id(image_id) {
        return Err(malformed_image_id(image_id));
    }
    // Case-sensitive, as documented (open question 5 in tencent.md).
    let share = match permission {
        "SHARE" => true,
        "CANCEL" => false,
        other => {
            return Err(ApiError::invalid_value(format!(
                "`Permission` must be SHARE or CANCEL, not `{other}`."
            )));
        }
    };
    if account_ids.len() > MAX_ACCOUNTS_PER_CALL {
        return Err(ApiError::new(
            "InvalidParameterValue.LimitExceeded",
            format!(
                "`AccountIds` has {} values; at most {MAX_ACCOUNTS_PER_CALL} are allowed.",
                account_ids.len()
            ),
        ));
    }
    if let Some(bad) = account_ids.iter().find(|id| !is_account_id(id)) {
        return Err(ApiError::new(
            "InvalidAccountId.NotFound",
            format!("The account id `{bad}` is invalid; use a numeric root-account id."),
        ));
    }
    let image = owned_image(state, who, image_id)?;
    if account_ids.contains(&caller) {
        return Err(ApiError::new(
            "InvalidAccountIs.YourSelf",
            "You cannot share an image with yourself.",
        ));
    }
    if share && image.is_byol() {
        return Err(ApiError::new(
            "FailedOperation.BYOLImageShareFailed",
            format!("The image `{image_id}` has a BYOL license and cannot be shared."),
        ));
    }
    // The docs attach "must be NORMAL" to this action's ImageId (§5.1), for
    // SHARE and CANCEL alike.
    if image.state != "NORMAL" {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidImageState",
            format!(
                "The image `{image_id}` is in state {}; it must be NORMAL. Retry later.",
                image.state
            ),
        ));
    }

    // Duplicates within one call count once.
    let mut seen = HashSet::new();
    let account_ids: Vec<&str> = account_ids
        .into_iter()
        .filter(|id| seen.insert(*id))
        .collect();

    if share {
        // All or nothing: one already-shared account fails the whole call.
        if let Some(existing) = account_ids
            .iter()
            .find(|id| state.is_shared_with(image_id, id))
        {
            return Err(ApiError::new(
                "FailedOperation.AccountAlreadyExists",
                format!("The image `{image_id}` is already shared with account `{existing}`."),
            ));
        }
        let total = state.shares_of(image_id).len() + account_ids.len();
        if total > MAX_SHARES_PER_IMAGE {
            return Err(ApiError::new(
                "OverQuota",
                format!(
                    "Sharing would give `{image_id}` {total} accounts; the quota is {MAX_SHARES_PER_IMAGE}."
                ),
            ));
        }
        let now = who.clock.now_utc();
        let shares = state.shares.entry(image_id.to_owned()).or_default();
        shares.extend(account_ids.iter().map(|id| Share {
            account_id: (*id).to_owned(),
            created_time: now.clone(),
        }));
    } else if let Some(shares) = state.shares.get_mut(image_id) {
        // CANCEL of an account the image is not shared with is ignored, so
        // CANCEL is idempotent (the docs do not say; see module docs).
        shares.retain(|s| !account_ids.contains(&s.account_id.as_str()));
    }
    Ok(Map::new())
}

// ---- DescribeImageSharePermission (§5.2) -----------------------------------

fn describe_image_share_permission(
    state: &mut Tencent,
    caller: Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Map<String, Value>, ApiError> {
    only_known(params, &["ImageId"])?;
    let image_id = opt_string(params, "ImageId")?.ok_or_else(|| ApiError::missing("ImageId"))?;
    owned_image(state, caller, image_id)?;
    let set: Vec<Value> = state
        .shares_of(image_id)
        .iter()
        .map(|s| json!({ "CreatedTime": s.created_time, "AccountId": s.account_id }))
        .collect();
    let mut out = Map::new();
    out.insert("SharePermissionSet".into(), Value::Array(set));
    Ok(out)
}

// ---- DescribeImages (§5.3) -----------------------------------------------

struct Filter<'a> {
    name: &'a str,
    values: Vec<&'a str>,
}

fn parse_filters(params: &Map<String, Value>) -> Result<Option<Vec<Filter<'_>>>, ApiError> {
    let items = match params.get("Filters") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(wrong_type("Filters", "an array of Filter objects")),
    };
    if items.len() > MAX_FILTERS {
        return Err(ApiError::new(
            "InvalidParameterValue.LimitExceeded",
            format!("At most {MAX_FILTERS} Filters are allowed."),
        ));
    }
    let mut filters = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let object = item
            .as_object()
            .ok_or_else(|| wrong_type(&format!("Filters.{i}"), "a Filter object"))?;
        only_known(object, &["Name", "Values"])?;
        let name = opt_string(object, "Name")?
            .ok_or_else(|| ApiError::missing(&format!("Filters.{i}.Name")))?;
        let values = opt_strings(object, "Values")?
            .ok_or_else(|| ApiError::missing(&format!("Filters.{i}.Values")))?;
        if values.len() > MAX_FILTER_VALUES {
            return Err(ApiError::new(
                "InvalidFilterValue.LimitExceeded",
                format!("Filter `{name}` has more than {MAX_FILTER_VALUES} values."),
            ));
        }
        match name {
            "image-id" => {
                if let Some(bad) = values.iter().find(|v| !is_image_id(v)) {
                    return Err(malformed_image_id(bad));
                }
            }
            "image-type" => {
                if let Some(bad) = values
                    .iter()
                    .find(|v| ![PRIVATE_IMAGE, SHARED_IMAGE, PUBLIC_IMAGE].contains(v))
                {
                    return Err(ApiError::invalid_value(format!(
                        "image-type `{bad}` is not one of PRIVATE_IMAGE, SHARED_IMAGE, PUBLIC_IMAGE."
                    )));
                }
            }
            "cdc-cache-status" => {
                if let Some(bad) = values.iter().find(|v| !CDC_CACHE_STATUSES.contains(v)) {
                    return Err(ApiError::invalid_value(format!(
                        "cdc-cache-status `{bad}` is not one of {}.",
                        CDC_CACHE_STATUSES.join(", ")
                    )));
                }
            }
            "image-name" | "platform" | "tag-key" | "tag-value" | "dedicated-cluster-id" => {}
            other => match other.strip_prefix("tag:") {
                Some(key) if key.trim().is_empty() => {
                    return Err(ApiError::new(
                        "FailedOperation.IllegalTagKey",
                        format!("The tag filter `{other}` has an empty tag key."),
                    ));
                }
                Some(_) => {}
                None => {
                    return Err(ApiError::new(
                        "InvalidFilter",
                        format!(
                            "The filter `{other}` is not one of image-id, image-type, image-name, platform, tag-key, tag-value, tag:<tag-key>, dedicated-cluster-id, cdc-cache-status."
                        ),
                    ));
                }
            },
        }
        filters.push(Filter { name, values });
    }
    Ok(Some(filters))
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

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

fn describe_images(
    state: &mut Tencent,
    who: Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Map<String, Value>, ApiError> {
    let caller = who.account_id;
    only_known(
        params,
        &["ImageIds", "Filters", "Offset", "Limit", "InstanceType"],
    )?;
    let image_ids = opt_strings(params, "ImageIds")?.filter(|ids| !ids.is_empty());
    let filters = parse_filters(params)?.filter(|f| !f.is_empty());
    if image_ids.is_some() && filters.is_some() {
        return Err(ApiError::new(
            "InvalidParameter.InvalidParameterCoexistImageIdsFilters",
            "`ImageIds` and `Filters` cannot be given together.",
        ));
    }
    let offset = opt_u64(params, "Offset")?.unwrap_or(0);
    let limit = opt_u64(params, "Limit")?.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidParameterValueLimit",
            format!("`Limit` must be between 1 and {MAX_LIMIT}."),
        ));
    }
    // InstanceType is accepted and ignored: the fake has no instance types.
    opt_string(params, "InstanceType")?;
    if let Some(ids) = &image_ids {
        if ids.len() > MAX_IMAGE_IDS {
            return Err(ApiError::new(
                "InvalidParameterValue.LimitExceeded",
                format!("At most {MAX_IMAGE_IDS} ImageIds are allowed."),
            ));
        }
        if let Some(bad) = ids.iter().find(|id| !is_image_id(id)) {
            return Err(malformed_image_id(bad));
        }
    }
    let filters = filters.unwrap_or_default();
    let type_filter = filters.iter().find(|f| f.name == "image-type");
    let asks_by_id = image_ids.is_some() || filters.iter().any(|f| f.name == "image-id");

    let matches = |image: &TencentImage, image_type: &str| -> bool {
        let type_ok = match type_filter {
            Some(f) => f.values.contains(&image_type),
            // Without a type filter: the caller's own and shared-in images;
            // public ones only when asked for by id.
            None => asks_by_id || image_type != PUBLIC_IMAGE,
        };
        let ids_ok = image_ids
            .as_ref()
            .is_none_or(|ids| ids.contains(&image.image_id.as_str()));
        type_ok
            && ids_ok
            && filters.iter().all(|f| match f.name {
                "image-id" => f.values.contains(&image.image_id.as_str()),
                "image-name" => f
                    .values
                    .iter()
                    .any(|v| contains_ignore_case(&image.name, v)),
                "platform" => f
                    .values
                    .iter()
                    .any(|v| contains_ignore_case(&image.platform, v)),
                "tag-key" => image
                    .tags
                    .iter()
                    .any(|t| f.values.contains(&t.key.as_str())),
                "tag-value" => image
                    .tags
                    .iter()
                    .any(|t| f.values.contains(&t.value.as_str())),
                // The fake has no CDC: no image is in a dedicated cluster or has a cache status.
                "dedicated-cluster-id" | "cdc-cache-status" => false,
                name => match name.strip_prefix("tag:") {
                    Some(key) => image
                        .tags
                        .iter()
                        .any(|t| t.key == key && f.values.contains(&t.value.as_str())),
                    None => true,
                },
            })
    };

    let mut found = Vec::new();
    for image in state.images.iter().filter(|i| i.region == who.region) {
        if let Some(image_type) = image_type_for(state, image, caller)
            && matches(image, &image_type)
        {
            found.push(image_json(image, &image_type));
        }
    }
    let total = found.len();
    let page: Vec<Value> = found
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    let mut out = Map::new();
    out.insert("TotalCount".into(), json!(total));
    out.insert("ImageSet".into(), Value::Array(page));
    Ok(out)
}

/// An `Image` object with the §5.3 fields.
fn image_json(image: &TencentImage, image_type: &str) -> Value {
    json!({
        "ImageId": image.image_id,
        "OsName": image.os_name,
        "ImageType": image_type,
        "CreatedTime": image.created_time,
        "ImageName": image.name,
        "ImageDescription": image.description,
        "ImageSize": image.size_gib,
        "Architecture": image.architecture,
        "ImageState": image.state,
        "Platform": image.platform,
        "ImageCreator": image.owner_account_id,
        "ImageSource": image.image_source,
        "SyncPercent": null,
        "IsSupportCloudinit": image.is_support_cloudinit,
        "SnapshotSet": [],
        "Tags": image
            .tags
            .iter()
            .map(|t| json!({ "Key": t.key, "Value": t.value }))
            .collect::<Vec<_>>(),
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
