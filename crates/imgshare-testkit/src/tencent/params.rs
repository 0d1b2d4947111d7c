//! An action's parameters as `model.toml` describes them (types, required ones, bounds, formats,
//! allowed values, and `DescribeImages`' filters), and the one routine that checks a request's
//! JSON parameters against that description.

use std::fmt::Display;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::api::api;
use super::errors::{ApiError, ensure, err, fail};

/// An action's parameters, as a JSON object.
pub(crate) type Params = Map<String, Value>;

/// A parameter, or (without name and type) the rule a filter's values follow.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Param {
    name: String,
    /// `string`, `strings`, `integer` or `filters`.
    #[serde(rename = "type")]
    kind: String,
    required: bool,
    /// The most items of an array.
    max_items: Option<usize>,
    /// The smallest and largest value of an integer.
    range: Option<[u64; 2]>,
    /// The shape of each string, `image_id` or `account_id`: also the id of the error a string
    /// of another shape is answered with.
    format: Option<String>,
    /// The values each string may take.
    one_of: Option<Vec<String>>,
    /// The error answered when `max_items`, `range` or `one_of` is broken.
    error: String,
}

impl Param {
    /// Whether `value` has the parameter's type, and the type as messages name it.
    fn fits(&self, value: &Value) -> (bool, &'static str) {
        let all = |fits: fn(&Value) -> bool| value.as_array().is_some_and(|a| a.iter().all(fits));
        match self.kind.as_str() {
            "string" => (value.is_string(), "a string"),
            "strings" => (all(Value::is_string), "an array of strings"),
            "integer" => (value.as_u64().is_some(), "a non-negative integer"),
            _ => (all(Value::is_object), "an array of Filter objects"),
        }
    }

    /// Checks a value of the right type, called `label` in messages: the number of its items,
    /// its range, then each string's format and allowed values. The error's details are the
    /// label, the value (or the count) and the bounds.
    fn check_value(&self, label: &str, value: &Value) -> Result<(), ApiError> {
        let error = |details: &[&dyn Display]| err(&self.error, details);
        let items = value
            .as_array()
            .map_or(std::slice::from_ref(value), Vec::as_slice);
        if let Some(max) = self.max_items {
            ensure(items.len() <= max, || error(&[&label, &items.len(), &max]))?;
        }
        if let (Some([min, max]), Some(number)) = (self.range, value.as_u64()) {
            let within = (min..=max).contains(&number);
            ensure(within, || error(&[&label, &number, &min, &max]))?;
        }
        for text in items.iter().filter_map(Value::as_str) {
            if let Some(format) = &self.format {
                let fits = if format == "image_id" {
                    is_image_id(text)
                } else {
                    is_account_id(text)
                };
                ensure(fits, || err(format, &[&label, &text]))?;
            }
            if let Some(allowed) = &self.one_of {
                let listed = allowed.iter().any(|a| a == text);
                ensure(listed, || error(&[&label, &text, &allowed.join(", ")]))?;
            }
        }
        Ok(())
    }
}

/// Checks `params` against the description of `spec` (an action, or `Filter`) the way the API
/// binds a request: no parameter it does not list, then each listed one's type and, if
/// required, presence, then each one's value. `at` prefixes the names in messages
/// (`Filters.0.`).
pub(crate) fn check(params: &Params, spec: &str, at: &str) -> Result<(), ApiError> {
    let spec = api().params.get(spec).map_or(&[][..], Vec::as_slice);
    if let Some(unknown) = params.keys().find(|k| spec.iter().all(|p| p.name != **k)) {
        return fail("unknown_parameter", &[&format!("{at}{unknown}")]);
    }
    let given = |param: &Param| params.get(&param.name).filter(|v| !v.is_null());
    for param in spec {
        let (label, value) = (format!("{at}{}", param.name), given(param));
        if let Some((false, expected)) = value.map(|v| param.fits(v)) {
            return fail("wrong_type", &[&label, &expected]);
        }
        let empty = value.is_none_or(|v| v.as_array().is_some_and(Vec::is_empty));
        ensure(!param.required || !empty, || err("missing", &[&label]))?;
    }
    for param in spec {
        let Some(value) = given(param) else { continue };
        param.check_value(&format!("{at}{}", param.name), value)?;
        if param.kind == "filters" {
            check_filters(params)?;
        }
    }
    Ok(())
}

/// Checks each filter's fields (`Filter`), then its name and the rule its values follow:
/// `tag:<key>` filters (a non-empty key) take any values.
fn check_filters(params: &Params) -> Result<(), ApiError> {
    let filters = items(params, "Filters").filter_map(Value::as_object);
    for (i, filter) in filters.enumerate() {
        let at = format!("Filters.{i}.");
        check(filter, "Filter", &at)?;
        let name = string(filter, "Name");
        match (api().filters.get(name), name.strip_prefix("tag:")) {
            (Some(rule), _) => rule.check_value(&format!("{at}Values"), &filter["Values"])?,
            (None, Some(key)) if !key.trim().is_empty() => {}
            (None, Some(_)) => return fail("empty_tag_key", &[&name]),
            (None, None) => return fail("invalid_filter", &[&name]),
        }
    }
    Ok(())
}

/// Whether some action takes a parameter `name` as an integer: flattened parameters arrive as
/// text, and these are numbers in the JSON form.
pub(crate) fn is_integer(name: &str) -> bool {
    let mut params = api().params.values().flatten();
    params.any(|p| p.name == name && p.kind == "integer")
}

/// A checked string parameter.
pub(crate) fn string<'a>(params: &'a Params, name: &str) -> &'a str {
    params.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// The items of a checked array; none when absent.
pub(crate) fn items<'a>(params: &'a Params, name: &str) -> std::slice::Iter<'a, Value> {
    let array = params.get(name).and_then(Value::as_array);
    array.map_or([].iter(), |a| a.iter())
}

/// A checked array of strings; empty when absent.
pub(crate) fn strings<'a>(params: &'a Params, name: &str) -> Vec<&'a str> {
    items(params, name).filter_map(Value::as_str).collect()
}

/// `img-` + 8 lowercase letters or digits.
pub(crate) fn is_image_id(id: &str) -> bool {
    let rest = id.strip_prefix("img-").unwrap_or_default();
    let lower_alphanumeric = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    rest.len() == 8 && rest.bytes().all(lower_alphanumeric)
}

/// Root-account ids ("uin") are decimal numbers.
pub(crate) fn is_account_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use serde_json::json;

    #[test]
    fn checks_against_the_api() {
        let check = |params: Value, spec: &str, at: &str| {
            let params = params.as_object().cloned().unwrap();
            check(&params, spec, at).map_err(|e| (e.code, e.message))
        };
        let share = json!({"ImageId": "img-aaaa0001", "AccountIds": ["1"], "Permission": "SHARE"});
        assert!(check(share, "ModifyImageSharePermission", "").is_ok());
        let empty = json!({"ImageId": "img-1", "AccountIds": [], "Permission": "SHARE"});
        let (code, message) = check(empty, "ModifyImageSharePermission", "").unwrap_err();
        assert_eq!(code, "MissingParameter");
        assert!(message.contains("`AccountIds`"), "{message}");
        let filter = json!({"Name": "image-id", "Values": "img-1"});
        let (code, message) = check(filter, "Filter", "Filters.2.").unwrap_err();
        assert_eq!(code, "InvalidParameter");
        assert!(message.contains("`Filters.2.Values`"), "{message}");
        let negative = check(json!({"Limit": -1}), "DescribeImages", "");
        assert_eq!(negative.unwrap_err().0, "InvalidParameter");
        let unknown = check(json!({"Values": [], "Extra": 1}), "Filter", "Filters.0.");
        assert_eq!(unknown.unwrap_err().0, "UnknownParameter");
    }

    #[test]
    fn the_rules_name_known_types_formats_and_errors() {
        let params = api().params.values().flatten();
        for param in params.clone() {
            let kinds = ["string", "strings", "integer", "filters"];
            assert!(kinds.contains(&param.kind.as_str()), "{param:?}");
        }
        for rule in params.chain(api().filters.values()) {
            // An id missing from errors.toml fails a debug assertion.
            assert!(rule.error.is_empty() || !err(&rule.error, &[]).code.is_empty());
            let format = rule.format.as_deref().unwrap_or("image_id");
            assert!(["image_id", "account_id"].contains(&format), "{rule:?}");
        }
    }

    #[test]
    fn values_are_checked_after_every_type() {
        let check = |spec: &str, params: Value| {
            let error = check(params.as_object().unwrap(), spec, "").unwrap_err();
            (error.code, error.message)
        };
        let modify = |id: &str, accounts: Value, permission: Value| {
            let params = json!({"ImageId": id, "AccountIds": accounts, "Permission": permission});
            check("ModifyImageSharePermission", params)
        };
        let filter = |name: &str, values: Value| {
            let params = json!({"Filters": [{"Name": name, "Values": values}]});
            check("DescribeImages", params)
        };
        let cases = [
            (
                modify("img-1", json!(["1"]), json!(5)),
                "InvalidParameter",
                "The parameter `Permission` must be a string.",
            ),
            (
                modify("img-1", json!(["1"]), json!("SHARE")),
                "InvalidImageId.Malformed",
                "The image id `img-1` is malformed; expected img- followed by 8 lowercase letters or digits.",
            ),
            (
                modify("img-aaaa0001", json!(["1", "alice"]), json!("SHARE")),
                "InvalidAccountId.NotFound",
                "The account id `alice` is invalid; use a numeric root-account id.",
            ),
            (
                modify("img-aaaa0001", json!(vec!["1"; 501]), json!("SHARE")),
                "InvalidParameterValue.LimitExceeded",
                "`AccountIds` has 501 values; at most 500 are allowed.",
            ),
            (
                modify("img-aaaa0001", json!(["1"]), json!("share")),
                "InvalidParameterValue",
                "`Permission` must be SHARE or CANCEL, not `share`.",
            ),
            (
                check("DescribeImages", json!({"Limit": 0})),
                "InvalidParameterValue.InvalidParameterValueLimit",
                "`Limit` must be between 1 and 100.",
            ),
            (
                check(
                    "DescribeImages",
                    json!({"ImageIds": vec!["img-aaaa0001"; 101]}),
                ),
                "InvalidParameterValue.LimitExceeded",
                "At most 100 ImageIds are allowed.",
            ),
            (
                check(
                    "DescribeImages",
                    json!({"Filters": vec![json!({"Name": "platform", "Values": ["x"]}); 11]}),
                ),
                "InvalidParameterValue.LimitExceeded",
                "At most 10 Filters are allowed.",
            ),
            (
                filter("image-name", json!(["a", "b", "c", "d", "e", "f"])),
                "InvalidFilterValue.LimitExceeded",
                "`Filters.0.Values` has 6 values; a filter takes at most 5.",
            ),
            (
                filter("image-type", json!(["MINE"])),
                "InvalidParameterValue",
                "image-type `MINE` is not one of PRIVATE_IMAGE, SHARED_IMAGE, PUBLIC_IMAGE.",
            ),
            (
                filter("cdc-cache-status", json!(["CACHED", "COLD"])),
                "InvalidParameterValue",
                "cdc-cache-status `COLD` is not one of CACHED_ALL, CACHING, CACHED, CACHE_INVALID, CACHE_FAILED.",
            ),
            (
                filter("image-id", json!(["img-aaaa0001", "img-BAD"])),
                "InvalidImageId.Malformed",
                "The image id `img-BAD` is malformed; expected img- followed by 8 lowercase letters or digits.",
            ),
            (
                filter("tag: ", json!(["prod"])),
                "FailedOperation.IllegalTagKey",
                "The tag filter `tag: ` has an empty tag key.",
            ),
            (
                filter("instance-name", json!(["a"])),
                "InvalidFilter",
                "The filter `instance-name`",
            ),
        ];
        for ((code, message), expected_code, expected_message) in cases {
            assert_eq!(code, expected_code, "{message}");
            assert!(message.starts_with(expected_message), "{message}");
        }
        let tag = json!({"Filters": [{"Name": "tag:env", "Values": ["a", "b"]}]});
        assert!(super::check(tag.as_object().unwrap(), "DescribeImages", "").is_ok());
    }

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
