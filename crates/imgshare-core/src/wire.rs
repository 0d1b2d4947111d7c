//! Provider-neutral request values and their encodings.
//!
//! An operation's input turns into ordered [`WireValue`] fields; the provider crate then picks
//! the encoding its API takes: a JSON body (Tencent, SCP) or flattened `name.N` form/query pairs
//! (NCP, 1-based; Tencent GET, 0-based).

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// One request value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireValue {
    /// A string.
    Str(String),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A boolean.
    Bool(bool),
    /// A list.
    List(Vec<WireValue>),
    /// A structure, fields in order.
    Object(Vec<(&'static str, WireValue)>),
}

/// Turns a field's Rust value into a [`WireValue`].
pub trait ToWire {
    /// The wire value.
    fn to_wire(&self) -> WireValue;
}

impl ToWire for String {
    fn to_wire(&self) -> WireValue {
        WireValue::Str(self.clone())
    }
}

/// A secret goes on the wire as its text; it stays redacted everywhere else (`Debug`, logs).
impl ToWire for crate::SecretString {
    fn to_wire(&self) -> WireValue {
        self.expose_secret().to_wire()
    }
}

impl ToWire for &str {
    fn to_wire(&self) -> WireValue {
        WireValue::Str((*self).to_owned())
    }
}

impl ToWire for bool {
    fn to_wire(&self) -> WireValue {
        WireValue::Bool(*self)
    }
}

macro_rules! to_wire_uint {
    ($($t:ty),*) => {$(
        impl ToWire for $t {
            fn to_wire(&self) -> WireValue {
                WireValue::UInt(u64::from(*self))
            }
        }
    )*};
}
to_wire_uint!(u8, u16, u32, u64);

macro_rules! to_wire_int {
    ($($t:ty),*) => {$(
        impl ToWire for $t {
            fn to_wire(&self) -> WireValue {
                WireValue::Int(i64::from(*self))
            }
        }
    )*};
}
to_wire_int!(i8, i16, i32, i64);

impl<T: ToWire> ToWire for Vec<T> {
    fn to_wire(&self) -> WireValue {
        WireValue::List(self.iter().map(ToWire::to_wire).collect())
    }
}

impl<T: ToWire> ToWire for Option<T> {
    /// `None` never reaches the wire: the operation skips absent optional fields.
    fn to_wire(&self) -> WireValue {
        match self {
            Some(v) => v.to_wire(),
            None => WireValue::List(Vec::new()),
        }
    }
}

impl Serialize for WireValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            WireValue::Str(s) => serializer.serialize_str(s),
            WireValue::Int(i) => serializer.serialize_i64(*i),
            WireValue::UInt(u) => serializer.serialize_u64(*u),
            WireValue::Bool(b) => serializer.serialize_bool(*b),
            WireValue::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            WireValue::Object(fields) => serialize_fields(fields, serializer),
        }
    }
}

fn serialize_fields<S: Serializer>(
    fields: &[(&'static str, WireValue)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(fields.len()))?;
    for (name, value) in fields {
        map.serialize_entry(name, value)?;
    }
    map.end()
}

/// A compact JSON object of the fields, in order (the exact bytes that are signed and sent).
pub fn to_json(fields: &[(&'static str, WireValue)]) -> Vec<u8> {
    struct Fields<'a>(&'a [(&'static str, WireValue)]);
    impl Serialize for Fields<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize_fields(self.0, serializer)
        }
    }
    // Serialising strings, numbers and maps with string keys into a Vec cannot fail.
    serde_json::to_vec(&Fields(fields)).unwrap_or_else(|_| b"{}".to_vec())
}

/// Where list indexes start in flattened names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListBase {
    /// `AccountIds.0`, `AccountIds.1` (Tencent).
    Zero,
    /// `targetLoginIdList.1`, `targetLoginIdList.2` (NCP).
    One,
}

/// Flattens fields into `name=value` pairs: lists as `name.N`, structures as `name.field`,
/// nested as deep as they go (`Filters.0.Values.1`). Values are not yet percent-encoded.
pub fn to_pairs(fields: &[(&'static str, WireValue)], base: ListBase) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, value) in fields {
        flatten_into(name, value, base, &mut out);
    }
    out
}

/// Appends one field's pairs, as [`to_pairs`] does for each.
pub(crate) fn flatten_into(
    name: &str,
    value: &WireValue,
    base: ListBase,
    out: &mut Vec<(String, String)>,
) {
    flatten(name.to_owned(), value, base, out);
}

fn flatten(prefix: String, value: &WireValue, base: ListBase, out: &mut Vec<(String, String)>) {
    match value {
        WireValue::Str(s) => out.push((prefix, s.clone())),
        WireValue::Int(i) => out.push((prefix, i.to_string())),
        WireValue::UInt(u) => out.push((prefix, u.to_string())),
        WireValue::Bool(b) => out.push((prefix, b.to_string())),
        WireValue::List(items) => {
            let start = match base {
                ListBase::Zero => 0,
                ListBase::One => 1,
            };
            for (i, item) in items.iter().enumerate() {
                flatten(format!("{prefix}.{}", i + start), item, base, out);
            }
        }
        WireValue::Object(fields) => {
            for (name, v) in fields {
                flatten(format!("{prefix}.{name}"), v, base, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<(&'static str, WireValue)> {
        vec![
            ("ImageId", "img-6pb6lrmy".to_wire()),
            ("AccountIds", vec!["1", "2"].to_wire()),
            (
                "Filters",
                WireValue::List(vec![WireValue::Object(vec![
                    ("Name", "image-type".to_wire()),
                    ("Values", vec!["PRIVATE_IMAGE"].to_wire()),
                ])]),
            ),
            ("Limit", 20u32.to_wire()),
        ]
    }

    #[test]
    fn json_is_compact_and_ordered() {
        assert_eq!(
            String::from_utf8_lossy(&to_json(&sample())),
            r#"{"ImageId":"img-6pb6lrmy","AccountIds":["1","2"],"Filters":[{"Name":"image-type","Values":["PRIVATE_IMAGE"]}],"Limit":20}"#
        );
    }

    #[test]
    fn pairs_flatten_with_either_base() {
        let zero = to_pairs(&sample(), ListBase::Zero);
        assert!(zero.contains(&("AccountIds.0".into(), "1".into())));
        assert!(zero.contains(&("Filters.0.Values.0".into(), "PRIVATE_IMAGE".into())));
        let one = to_pairs(&sample(), ListBase::One);
        assert!(one.contains(&("AccountIds.2".into(), "2".into())));
        assert!(one.contains(&("Filters.1.Name".into(), "image-type".into())));
    }
}
