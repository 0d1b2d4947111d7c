//! Query and form parameters (GET, `application/x-www-form-urlencoded`): decoding, and the
//! mapping of flattened names (`Filters.0.Values.1`) onto the JSON shape the action handlers
//! take.

use serde_json::{Map, Value, json};

use super::api::api;
use super::errors::{ApiError, err, fail};
use super::params::{Params, is_integer};
use crate::harness::wire::form_pairs;

/// Decodes `application/x-www-form-urlencoded` text (also a raw query); invalid UTF-8 is
/// replaced.
pub(crate) fn decode_form(text: &str) -> Vec<(String, String)> {
    let lossy = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    let pairs = form_pairs(text).map(|(_, [name, value])| (lossy(name), lossy(value)));
    pairs.collect()
}

/// Maps flattened parameters onto JSON: `AccountIds.0=a&AccountIds.1=b` →
/// `{"AccountIds":["a","b"]}`, `Filters.0.Values.1=x` → `{"Filters":[{"Values":[.., "x"]}]}`.
/// Array indexes are 0-based and must be contiguous; a repeated name, a gap or a name used
/// both as a value and a structure is `InvalidParameter`. The common parameters are left out.
pub(crate) fn unflatten(pairs: &[(String, String)]) -> Result<Params, ApiError> {
    let mut root = Params::new();
    let common = |name: &String| api().common_params.contains(name);
    for (name, value) in pairs.iter().filter(|(name, _)| !common(name)) {
        let segments: Vec<&str> = name.split('.').collect();
        let Some((last, path)) = segments.split_last().filter(|_| !segments.contains(&"")) else {
            return fail("malformed_name", &[name]);
        };
        let mut children = &mut root;
        for segment in path {
            let child = children.entry(*segment).or_insert_with(|| json!({}));
            let Value::Object(grandchildren) = child else {
                return fail("value_and_structure", &[name]);
            };
            children = grandchildren;
        }
        match children.get(*last) {
            Some(Value::String(_)) => return fail("repeated", &[name]),
            Some(_) => return fail("value_and_structure", &[name]),
            None => children.insert((*last).to_owned(), Value::String(value.clone())),
        };
    }
    let params = root.into_iter().map(|(name, value)| {
        let value = match arrays(&name, value)? {
            Value::String(text) if is_integer(&name) => {
                text.parse::<u64>().map_or(Value::String(text), Value::from)
            }
            value => value,
        };
        Ok((name, value))
    });
    params.collect()
}

/// Turns the objects whose keys are all digits into arrays, checking their indexes.
fn arrays(path: &str, value: Value) -> Result<Value, ApiError> {
    let Value::Object(mut children) = value else {
        return Ok(value);
    };
    let digits = |key: &String| key.bytes().all(|b| b.is_ascii_digit());
    if !children.keys().all(digits) {
        let object = children
            .into_iter()
            .map(|(k, v)| Ok((k.clone(), arrays(&format!("{path}.{k}"), v)?)));
        return object.collect::<Result<Map<_, _>, _>>().map(Value::Object);
    }
    // Indexes are written without leading zeros; n items must be numbered 0 to n - 1.
    let leading_zero = |key: &String| key.len() > 1 && key.starts_with('0');
    let bad = |key: &&String| key.parse::<usize>().is_err() || leading_zero(key);
    if let Some(key) = children.keys().find(bad) {
        return fail("bad_index", &[&format!("{path}.{key}")]);
    }
    let items = (0..children.len()).map(|index| {
        let child = children.remove(&index.to_string());
        let child = child.ok_or_else(|| err("index_gap", &[&path, &index]))?;
        arrays(&format!("{path}.{index}"), child)
    });
    items.collect::<Result<_, _>>().map(Value::Array)
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

    /// Fails if a string parameter whose value is all digits becomes a number (only the
    /// parameters the model types `integer` do), or if an integer one stays text.
    #[test]
    fn only_integer_parameters_become_numbers() {
        let map = unflatten(&pairs("ImageId=12345678&Permission=1&Limit=5")).unwrap();
        assert_eq!(
            Value::Object(map),
            json!({"ImageId": "12345678", "Permission": "1", "Limit": 5})
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

    #[test]
    fn errors_name_the_first_problem() {
        let message = |text: &str| unflatten(&pairs(text)).unwrap_err().message;
        let gap = message("AccountIds.0=x&AccountIds.3=y&AccountIds.2=z");
        assert!(gap.contains("`AccountIds.1` is missing"), "{gap}");
        let nested = message("Filters.0.Name=a&Filters.0.Values.1=b");
        assert!(
            nested.contains("`Filters.0.Values.0` is missing"),
            "{nested}"
        );
        let index = message("AccountIds.0=x&AccountIds.01=y");
        assert!(index.contains("`AccountIds.01`"), "{index}");
        let both = message("AccountIds.0=b&AccountIds=a");
        assert!(both.contains("both as a value and as a list"), "{both}");
        let stripped = unflatten(&pairs("Action=A&Region=r&Token=t&Limit=5")).unwrap();
        assert_eq!(Value::Object(stripped), json!({"Limit": 5}));
    }
}
