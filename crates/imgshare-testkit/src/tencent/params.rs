//! Query and form parameters (GET, `application/x-www-form-urlencoded`): decoding, the mapping
//! of flattened names (`Filters.0.Values.1`) onto the JSON shape the action handlers take, and
//! the checks of that JSON against each action's table (`params.toml`).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::map::Entry;
use serde_json::{Map, Value};

use super::errors::{ApiError, ensure, err, fail};
use crate::harness::wire::form_decode;

/// An action's parameters, as a JSON object.
pub(crate) type Params = Map<String, Value>;

/// Names that are common parameters, not action parameters: removed before the flattened
/// parameters reach the action.
pub(crate) const COMMON_PARAMS: [&str; 11] = [
    "Action",
    "Version",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Token",
    "Language",
    "RequestClient",
];

/// Top-level parameters that are integers in the actions' JSON form (`DescribeImages`'
/// `Offset` and `Limit`); every other value stays a string.
const INTEGER_PARAMS: [&str; 2] = ["Offset", "Limit"];

/// `params.toml`: each action's parameters (and a filter's) as `[name, type]`, in order.
fn table(name: &str) -> &'static [(String, String)] {
    static TABLE: OnceLock<HashMap<String, Vec<(String, String)>>> = OnceLock::new();
    // The handler tests fail if the file does not parse.
    let table =
        TABLE.get_or_init(|| toml::from_str(include_str!("params.toml")).unwrap_or_default());
    table.get(name).map_or(&[], Vec::as_slice)
}

/// Checks `params` against the table's `spec` (an action, or `Filter`): no parameter it does
/// not list, then each listed one's type and, if required, presence. `at` prefixes the names
/// in messages (`Filters.0.`).
pub(crate) fn check(params: &Params, spec: &str, at: &str) -> Result<(), ApiError> {
    let spec = table(spec);
    if let Some(unknown) = params.keys().find(|k| spec.iter().all(|(n, _)| n != *k)) {
        return fail("unknown_parameter", &[&format!("{at}{unknown}")]);
    }
    for (name, kind) in spec {
        let value = params.get(name).filter(|v| !v.is_null());
        let strings = |v: &Value| v.as_array().is_some_and(|a| a.iter().all(Value::is_string));
        let (fits, expected) = match kind.trim_end_matches('!') {
            "string" => (value.is_none_or(Value::is_string), "a string"),
            "strings" => (value.is_none_or(strings), "an array of strings"),
            "integer" => (
                value.is_none_or(|v| v.as_u64().is_some()),
                "a non-negative integer",
            ),
            _ => (
                value.is_none_or(Value::is_array),
                "an array of Filter objects",
            ),
        };
        let name = format!("{at}{name}");
        ensure(fits, || err("wrong_type", &[&name, &expected]))?;
        let empty = value.is_none_or(|v| v.as_array().is_some_and(Vec::is_empty));
        ensure(!kind.ends_with('!') || !empty, || err("missing", &[&name]))?;
    }
    Ok(())
}

/// A checked string parameter.
pub(crate) fn string<'a>(params: &'a Params, name: &str) -> &'a str {
    params.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// A checked array of strings; empty when absent.
pub(crate) fn strings<'a>(params: &'a Params, name: &str) -> Vec<&'a str> {
    let items = params
        .get(name)
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    items.filter_map(Value::as_str).collect()
}

/// Decodes `application/x-www-form-urlencoded` text (also a raw query); invalid UTF-8 is
/// replaced.
pub(crate) fn decode_form(text: &str) -> Vec<(String, String)> {
    let lossy = |part: &str| String::from_utf8_lossy(&form_decode(part)).into_owned();
    let pairs = text.split('&').filter(|pair| !pair.is_empty());
    let pairs = pairs.map(|pair| pair.split_once('=').unwrap_or((pair, "")));
    pairs
        .map(|(name, value)| (lossy(name), lossy(value)))
        .collect()
}

/// Maps flattened parameters onto JSON: `AccountIds.0=a&AccountIds.1=b` →
/// `{"AccountIds":["a","b"]}`, `Filters.0.Values.1=x` → `{"Filters":[{"Values":[.., "x"]}]}`.
/// Array indexes are 0-based and must be contiguous; a repeated name, a gap or a name used
/// both as a value and a structure is `InvalidParameter`.
pub(crate) fn unflatten(pairs: &[(String, String)]) -> Result<Params, ApiError> {
    let mut root = Value::Object(Map::new());
    for (name, value) in pairs
        .iter()
        .filter(|(name, _)| !COMMON_PARAMS.contains(&name.as_str()))
    {
        let segments: Vec<&str> = name.split('.').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return fail("malformed_name", &[name]);
        }
        let mut node = &mut root;
        for (i, segment) in segments.iter().enumerate() {
            let Value::Object(children) = node else {
                return fail("value_and_structure", &[name]);
            };
            node = match (children.entry(*segment), i + 1 == segments.len()) {
                (Entry::Vacant(slot), true) => slot.insert(Value::String(value.clone())),
                (Entry::Vacant(slot), false) => slot.insert(Value::Object(Map::new())),
                (Entry::Occupied(slot), false) if slot.get().is_object() => slot.into_mut(),
                (Entry::Occupied(slot), true) if slot.get().is_string() => {
                    return fail("repeated", &[name]);
                }
                (Entry::Occupied(_), _) => return fail("value_and_structure", &[name]),
            };
        }
    }
    let Value::Object(root) = root else {
        return Ok(Params::new());
    };
    let mut params = Params::new();
    for (name, value) in root {
        let value = match arrays(&name, value)? {
            Value::String(text) if INTEGER_PARAMS.contains(&name.as_str()) => {
                text.parse::<u64>().map_or(Value::String(text), Value::from)
            }
            value => value,
        };
        params.insert(name, value);
    }
    Ok(params)
}

/// Turns the objects whose keys are all digits into arrays, checking their indexes.
fn arrays(path: &str, value: Value) -> Result<Value, ApiError> {
    let Value::Object(children) = value else {
        return Ok(value);
    };
    if !children
        .keys()
        .all(|k| k.bytes().all(|b| b.is_ascii_digit()))
    {
        let object = children
            .into_iter()
            .map(|(k, v)| Ok((k.clone(), arrays(&format!("{path}.{k}"), v)?)));
        return object.collect::<Result<Map<_, _>, _>>().map(Value::Object);
    }
    let mut items = Vec::with_capacity(children.len());
    for (key, child) in children {
        match key.parse::<usize>() {
            Ok(index) if key.len() == 1 || !key.starts_with('0') => items.push((index, child)),
            _ => return fail("bad_index", &[&format!("{path}.{key}")]),
        }
    }
    items.sort_by_key(|(i, _)| *i);
    let mut array = Vec::with_capacity(items.len());
    for (expected, (index, child)) in items.into_iter().enumerate() {
        ensure(index == expected, || err("index_gap", &[&path, &expected]))?;
        array.push(arrays(&format!("{path}.{index}"), child)?);
    }
    Ok(Value::Array(array))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use serde_json::json;

    fn pairs(text: &str) -> Vec<(String, String)> {
        decode_form(text)
    }

    #[test]
    fn decodes_plus_and_percent() {
        assert_eq!(
            pairs("a=x+y&b=%2F%2b%3D&c=&d&e=%E6%9C%AA%ZZ%"),
            vec![
                ("a".into(), "x y".into()),
                ("b".into(), "/+=".into()),
                ("c".into(), "".into()),
                ("d".into(), "".into()),
                ("e".into(), "未%ZZ%".into()),
            ]
        );
    }

    #[test]
    fn unflattens_arrays_and_structures() {
        let map = unflatten(&pairs(
            "Action=DescribeImages&Filters.0.Name=image-type&Filters.0.Values.0=PRIVATE_IMAGE&Filters.0.Values.1=SHARED_IMAGE&Filters.1.Name=tag%3Aenv&Filters.1.Values.0=prod&Limit=20&Offset=0",
        ))
        .unwrap();
        assert_eq!(
            Value::Object(map),
            json!({
                "Filters": [
                    {"Name": "image-type", "Values": ["PRIVATE_IMAGE", "SHARED_IMAGE"]},
                    {"Name": "tag:env", "Values": ["prod"]}
                ],
                "Limit": 20,
                "Offset": 0
            })
        );
        let map = unflatten(&pairs(
            "AccountIds.1=2&AccountIds.0=1&ImageId=img-aaaa0001&Permission=SHARE",
        ))
        .unwrap();
        assert_eq!(
            Value::Object(map),
            json!({"AccountIds": ["1", "2"], "ImageId": "img-aaaa0001", "Permission": "SHARE"})
        );
    }

    #[test]
    fn checks_against_the_table() {
        let check = |params: Value, spec: &str, at: &str| {
            let params = params.as_object().cloned().unwrap();
            check(&params, spec, at).map_err(|e| (e.code, e.message))
        };
        let share = json!({"ImageId": "img-1", "AccountIds": ["1"], "Permission": "SHARE"});
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
    fn rejects_gaps_one_based_repeats_and_conflicts() {
        for bad in [
            "AccountIds.1=x",
            "AccountIds.0=x&AccountIds.2=y",
            "AccountIds.00=x",
            "ImageId=a&ImageId=b",
            "AccountIds=a&AccountIds.0=b",
            "AccountIds..0=b",
        ] {
            let err = unflatten(&pairs(bad)).unwrap_err();
            assert_eq!(err.code, "InvalidParameter", "{bad}");
        }
    }
}
