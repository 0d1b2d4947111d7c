//! Query and form parameters (GET, `application/x-www-form-urlencoded`): decoding, and the
//! mapping of flattened names (`Filters.0.Values.1`) onto the JSON shape the action handlers
//! take.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::errors::ApiError;
use crate::harness::wire::form_decode;

/// An action's parameters, as a JSON object.
pub(crate) type Params = Map<String, Value>;

fn wrong_type(name: &str, expected: &str) -> ApiError {
    let message = format!("The parameter `{name}` must be {expected}.");
    ApiError::new("InvalidParameter", message)
}

pub(crate) fn opt_string<'a>(params: &'a Params, name: &str) -> Result<Option<&'a str>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(wrong_type(name, "a string")),
    }
}

pub(crate) fn opt_strings<'a>(
    params: &'a Params,
    name: &str,
) -> Result<Option<Vec<&'a str>>, ApiError> {
    let strings = || wrong_type(name, "an array of strings");
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().ok_or_else(strings))
            .collect::<Result<_, _>>()
            .map(Some),
        Some(_) => Err(strings()),
    }
}

pub(crate) fn opt_u64(params: &Params, name: &str) -> Result<Option<u64>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| wrong_type(name, "a non-negative integer")),
    }
}

/// Decodes `application/x-www-form-urlencoded` text (also a raw query); invalid UTF-8 is
/// replaced.
pub(crate) fn decode_form(text: &str) -> Vec<(String, String)> {
    let lossy = |part: &str| String::from_utf8_lossy(&form_decode(part)).into_owned();
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (lossy(name), lossy(value))
        })
        .collect()
}

/// Names that are common parameters, not action parameters (§2.1, §3.1):
/// removed before the flattened parameters reach the action.
pub(crate) const COMMON_PARAMS: &[&str] = &[
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

/// Top-level parameters that are integers in the actions' JSON form
/// (`DescribeImages.Offset`/`Limit`, §5.3); every other value stays a string.
const INTEGER_PARAMS: &[&str] = &["Offset", "Limit"];

#[derive(Debug, Default)]
enum Node {
    #[default]
    Empty,
    Leaf(String),
    Branch(BTreeMap<String, Node>),
}

fn conflict(name: &str) -> ApiError {
    ApiError::new(
        "InvalidParameter",
        format!("The parameter `{name}` is given both as a value and as a list or structure."),
    )
}

/// Maps flattened parameters onto JSON: `AccountIds.0=a&AccountIds.1=b` →
/// `{"AccountIds":["a","b"]}`, `Filters.0.Values.1=x` →
/// `{"Filters":[{"Values":[.., "x"]}]}`. Array indexes are 0-based and must
/// be contiguous (§2.3); a repeated name, a gap or a name used both as a
/// value and a structure is `InvalidParameter`.
pub(crate) fn unflatten(pairs: &[(String, String)]) -> Result<Map<String, Value>, ApiError> {
    let mut root: BTreeMap<String, Node> = BTreeMap::new();
    for (name, value) in pairs {
        if COMMON_PARAMS.contains(&name.as_str()) {
            continue;
        }
        let segments: Vec<&str> = name.split('.').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(ApiError::new(
                "InvalidParameter",
                format!("The parameter name `{name}` is malformed."),
            ));
        }
        insert(&mut root, &segments, value, name)?;
    }
    let mut out = Map::new();
    for (name, node) in root {
        let mut value = to_json(&name, node)?;
        if INTEGER_PARAMS.contains(&name.as_str())
            && let Value::String(text) = &value
            && let Ok(n) = text.parse::<u64>()
        {
            value = Value::from(n);
        }
        out.insert(name, value);
    }
    Ok(out)
}

fn insert(
    level: &mut BTreeMap<String, Node>,
    segments: &[&str],
    value: &str,
    name: &str,
) -> Result<(), ApiError> {
    let Some((first, rest)) = segments.split_first() else {
        return Ok(());
    };
    let node = level.entry((*first).to_owned()).or_default();
    if rest.is_empty() {
        return match node {
            Node::Empty => {
                *node = Node::Leaf(value.to_owned());
                Ok(())
            }
            Node::Leaf(_) => Err(ApiError::new(
                "InvalidParameter",
                format!("The parameter `{name}` is given more than once."),
            )),
            Node::Branch(_) => Err(conflict(name)),
        };
    }
    if let Node::Empty = node {
        *node = Node::Branch(BTreeMap::new());
    }
    match node {
        Node::Branch(children) => insert(children, rest, value, name),
        _ => Err(conflict(name)),
    }
}

fn to_json(path: &str, node: Node) -> Result<Value, ApiError> {
    match node {
        Node::Empty => Ok(Value::Null),
        Node::Leaf(text) => Ok(Value::String(text)),
        Node::Branch(children) => {
            let numeric = children
                .keys()
                .all(|k| k.bytes().all(|b| b.is_ascii_digit()));
            if numeric {
                let mut items: Vec<(usize, Node)> = Vec::with_capacity(children.len());
                for (key, child) in children {
                    let index = key.parse::<usize>().map_err(|_| bad_index(path, &key))?;
                    if key.len() > 1 && key.starts_with('0') {
                        return Err(bad_index(path, &key));
                    }
                    items.push((index, child));
                }
                items.sort_by_key(|(i, _)| *i);
                let mut array = Vec::with_capacity(items.len());
                for (expected, (index, child)) in items.into_iter().enumerate() {
                    if index != expected {
                        return Err(ApiError::new(
                            "InvalidParameter",
                            format!(
                                "`{path}` must be numbered from 0 without gaps; `{path}.{expected}` is missing."
                            ),
                        ));
                    }
                    array.push(to_json(&format!("{path}.{index}"), child)?);
                }
                Ok(Value::Array(array))
            } else {
                let mut object = Map::new();
                for (key, child) in children {
                    let value = to_json(&format!("{path}.{key}"), child)?;
                    object.insert(key, value);
                }
                Ok(Value::Object(object))
            }
        }
    }
}

fn bad_index(path: &str, key: &str) -> ApiError {
    ApiError::new(
        "InvalidParameter",
        format!("`{path}.{key}` is not a valid array index."),
    )
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
