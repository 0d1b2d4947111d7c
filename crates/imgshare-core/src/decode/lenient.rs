//! `deserialize_with` helpers that read a field the same way from serde_json and quick-xml.
//!
//! Use them on provider model fields together with `#[serde(default)]`, which covers an absent
//! field (serde reports a missing field otherwise):
//!
//! ```
//! use imgshare_core::decode::lenient;
//! use serde::Deserialize;
//!
//! #[derive(Debug, Deserialize)]
//! struct Image {
//!     #[serde(rename = "serverImageNo", default, deserialize_with = "lenient::string")]
//!     no: String,
//!     #[serde(rename = "blockStorageSize", default, deserialize_with = "lenient::opt_number")]
//!     size: Option<u64>,
//!     #[serde(rename = "sharedLoginIdList", default, deserialize_with = "lenient::list")]
//!     shared_with: Vec<String>,
//! }
//! ```
//!
//! # Why they are needed
//!
//! quick-xml's serde deserializer hands `deserialize_any` (and so `serde_json::Value`, untagged
//! enums and these helpers) every element as a **map**:
//!
//! | XML | what `deserialize_any` sees |
//! |---|---|
//! | `<returnCode>0</returnCode>` | map `{"$text": "0"}` (the text is always a string) |
//! | `<requestId/>`, `<a></a>`, `<a>  </a>` | empty map |
//! | `<a x="1">t</a>` | map `{"@x": "1", "$text": "t"}` |
//! | `<list><item>a</item><item>b</item></list>` | map `{"item": …, "item": …}`, the key repeated |
//! | `<list><item>a</item></list>` | map `{"item": …}` |
//!
//! A map value taken with `next_value::<T>()` is read with `T`'s own `Deserialize` (a string
//! from the element's text, a struct from its children), so list items need no special casing.
//! JSON meanwhile sends the same fields as numbers or strings (`"returnCode": 0` or `"0"`), lists
//! as arrays, and absent values as `null`. Each helper accepts all of these, so one model type
//! serves both formats.
//!
//! An empty value (`null`, `""` for scalars, an empty element) means the same as an absent field:
//! `None` for the `opt_*` helpers, the type's default for the others, an empty `Vec` for [`list`].
//! Unknown fields are left to serde, which ignores them unless a type denies them; never use
//! `deny_unknown_fields` on provider models.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::value::StrDeserializer;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// The key quick-xml gives an element's text content.
const TEXT_KEY: &str = "$text";
/// The key quick-xml gives "any content" when a type asks for it.
const VALUE_KEY: &str = "$value";

/// One scalar, however the format spelled it.
#[derive(Debug)]
enum Scalar {
    /// `null`, an absent option, an empty element.
    Empty,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(String),
}

impl Scalar {
    /// `None` for empty values, including an empty string.
    fn non_empty(self) -> Option<Scalar> {
        match self {
            Scalar::Empty => None,
            Scalar::Str(s) if s.is_empty() => None,
            other => Some(other),
        }
    }

    fn into_string(self) -> String {
        match self {
            Scalar::Empty => String::new(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::U64(n) => n.to_string(),
            Scalar::I64(n) => n.to_string(),
            Scalar::F64(n) => n.to_string(),
            Scalar::Str(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `deserialize_any`: the only call both formats answer with what is really there.
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or boolean")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::I64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::U64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::F64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Empty)
    }

    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Empty)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(self)
    }

    /// An XML element: its text is the value, attributes are ignored, an empty element is empty.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        let mut value = Scalar::Empty;
        while let Some(key) = map.next_key::<String>()? {
            if key == TEXT_KEY || key == VALUE_KEY {
                value = map.next_value::<Scalar>()?;
            } else if key.starts_with('@') {
                map.next_value::<IgnoredAny>()?;
            } else {
                return Err(de::Error::custom(format_args!(
                    "expected a single value, found a nested `{key}`"
                )));
            }
        }
        Ok(value)
    }
}

/// A string; a number or boolean becomes its text (`0` → `"0"`), an empty value `""`.
///
/// # Errors
///
/// When the value is a list or has nested fields.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Scalar::deserialize(deserializer).map(Scalar::into_string)
}

/// Like [`string`], but `null`, an empty string and an empty element (`<requestId/>`) give `None`.
///
/// # Errors
///
/// When the value is a list or has nested fields.
pub fn opt_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Scalar::deserialize(deserializer)?
        .non_empty()
        .map(Scalar::into_string))
}

fn to_number<T, E>(scalar: Scalar) -> Result<Option<T>, E>
where
    T: FromStr + TryFrom<u64> + TryFrom<i64>,
    <T as FromStr>::Err: fmt::Display,
    E: de::Error,
{
    let kind = std::any::type_name::<T>();
    let out_of_range =
        |shown: &dyn fmt::Display| E::custom(format_args!("number {shown} does not fit in {kind}"));
    match scalar.non_empty() {
        None => Ok(None),
        Some(Scalar::U64(n)) => T::try_from(n).map(Some).map_err(|_| out_of_range(&n)),
        Some(Scalar::I64(n)) => T::try_from(n).map(Some).map_err(|_| out_of_range(&n)),
        // Through the text, so that `1e3` is accepted and `1.5` is refused with parse's message.
        Some(Scalar::F64(n)) => parse(&n.to_string()).map(Some),
        Some(Scalar::Str(s)) => parse(s.trim()).map(Some),
        Some(Scalar::Bool(b)) => Err(E::custom(format_args!(
            "expected an integer ({kind}), found the boolean {b}"
        ))),
        Some(Scalar::Empty) => Ok(None),
    }
}

fn parse<T, E>(text: &str) -> Result<T, E>
where
    T: FromStr,
    <T as FromStr>::Err: fmt::Display,
    E: de::Error,
{
    text.parse().map_err(|e| {
        E::custom(format_args!(
            "expected an integer ({}), found {text:?}: {e}",
            std::any::type_name::<T>()
        ))
    })
}

/// An integer from a JSON number or a numeric string (XML text is always a string, and NCP sends
/// `"returnCode": 0` as well as `"0"`). An empty value gives `T::default()`.
///
/// # Errors
///
/// When the value is not an integer or does not fit in `T`.
pub fn number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr + TryFrom<u64> + TryFrom<i64> + Default,
    <T as FromStr>::Err: fmt::Display,
{
    Ok(to_number(Scalar::deserialize(deserializer)?)?.unwrap_or_default())
}

/// Like [`number`], but `null`, an empty string and an empty element give `None`.
///
/// # Errors
///
/// When the value is not an integer or does not fit in `T`.
pub fn opt_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr + TryFrom<u64> + TryFrom<i64>,
    <T as FromStr>::Err: fmt::Display,
{
    to_number(Scalar::deserialize(deserializer)?)
}

fn to_bool<E: de::Error>(scalar: Scalar) -> Result<Option<bool>, E> {
    match scalar.non_empty() {
        None | Some(Scalar::Empty) => Ok(None),
        Some(Scalar::Bool(b)) => Ok(Some(b)),
        // NCP also writes flags as `Y`/`N`.
        Some(Scalar::Str(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "y" | "yes" => Ok(Some(true)),
            "false" | "n" | "no" => Ok(Some(false)),
            _ => Err(E::custom(format_args!("expected a boolean, found {s:?}"))),
        },
        Some(other) => Err(E::custom(format_args!(
            "expected a boolean, found {}",
            other.into_string()
        ))),
    }
}

/// A boolean from `true`/`false` or the strings `"true"`/`"false"` in any case (also `Y`/`N`,
/// `yes`/`no`). An empty value gives `false`.
///
/// # Errors
///
/// When the value is anything else.
pub fn bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(to_bool(Scalar::deserialize(deserializer)?)?.unwrap_or_default())
}

/// Like [`bool()`], but `null`, an empty string and an empty element give `None`.
///
/// # Errors
///
/// When the value is not a boolean.
pub fn opt_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    to_bool(Scalar::deserialize(deserializer)?)
}

/// Parses a timestamp: RFC 3339 (`2025-07-22T09:00:00Z`, `…+09:00`, fractions allowed), or the
/// same without a zone (`2025-07-22T09:00:00`, `2025-07-22 09:00:00.123`), read as UTC, as the
/// official SDKs read the zoneless times some APIs send.
pub fn parse_datetime(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    let zoneless = format_description!(
        version = 2,
        "[year]-[month]-[day][first [T] [ ]][hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    PrimitiveDateTime::parse(text, zoneless)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// A nullable timestamp read with [`parse_datetime`]; an unreadable one becomes `None` rather
/// than failing the whole answer.
///
/// # Errors
///
/// When the value is a list or has nested fields.
pub fn opt_datetime<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<OffsetDateTime>, D::Error> {
    Ok(opt_string(deserializer)?
        .as_deref()
        .and_then(parse_datetime))
}

/// A list from a JSON array or an XML wrapper element with one child per item.
///
/// - JSON: `[…]`; `null` and `""` give an empty list.
/// - XML: `<sharedLoginIdList><sharedLoginId>a</sharedLoginId><sharedLoginId>b</sharedLoginId>
///   </sharedLoginIdList>` gives `["a", "b"]`, one child gives a one-item list, and
///   `<sharedLoginIdList/>` an empty one. The children's names are not checked and attributes are
///   ignored. Each child is read with `T`'s own `Deserialize`, so items can be strings or structs
///   whose fields use these helpers.
/// - An object (`{"sharedLoginId": "a"}`) reads like the XML wrapper, and a lone non-empty
///   string as a one-item list.
///
/// # Errors
///
/// When an item does not deserialize as `T`, or the value is a number or boolean.
pub fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(ListVisitor(PhantomData))
}

struct ListVisitor<T>(PhantomData<T>);

/// A string read with [`string`], for text found where a list was expected.
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        string(deserializer).map(Text)
    }
}

fn one_item<'de, T: Deserialize<'de>, E: de::Error>(text: &str) -> Result<Vec<T>, E> {
    if text.trim().is_empty() {
        Ok(Vec::new())
    } else {
        T::deserialize(StrDeserializer::<E>::new(text)).map(|item| vec![item])
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list (a JSON array or an XML element with one child per item)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // The hint comes from the input; cap it so a lying body cannot reserve gigabytes.
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == TEXT_KEY || key == VALUE_KEY {
                // Text directly inside the wrapper: `<list>a</list>`.
                let Text(text) = map.next_value()?;
                items.extend(one_item::<T, A::Error>(&text)?);
            } else if key.starts_with('@') {
                map.next_value::<IgnoredAny>()?;
            } else {
                // A child element (or member), whatever its name: one item.
                items.push(map.next_value()?);
            }
        }
        Ok(items)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        one_item(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::decode::{Format, decode_as};
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq, Default)]
    struct Code {
        #[serde(default, deserialize_with = "string")]
        code: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Probe {
        #[serde(default, deserialize_with = "string")]
        s: String,
        #[serde(default, deserialize_with = "opt_string")]
        os: Option<String>,
        #[serde(default, deserialize_with = "number")]
        n: u32,
        #[serde(default, deserialize_with = "opt_number")]
        on: Option<i64>,
        #[serde(default, deserialize_with = "bool")]
        b: bool,
        #[serde(default, deserialize_with = "opt_bool")]
        ob: Option<bool>,
        #[serde(default, deserialize_with = "list")]
        l: Vec<String>,
        #[serde(default, deserialize_with = "list")]
        codes: Vec<Code>,
    }

    fn both(json: &str, xml: &str) -> (Probe, Probe) {
        let j = decode_as::<Probe>(Format::Json, json.as_bytes()).unwrap();
        let x = decode_as::<Probe>(Format::Xml, xml.as_bytes()).unwrap();
        (j, x)
    }

    #[test]
    fn same_values_from_both_formats() {
        let (j, x) = both(
            r#"{"s": 7, "os": "x", "n": "42", "on": -3, "b": "TRUE", "ob": false,
                "l": ["a", "b"], "codes": [{"code": 1}], "extra": {"deep": [1]}}"#,
            "<r><s>7</s><os>x</os><n>42</n><on>-3</on><b>TRUE</b><ob>false</ob>\
             <l><i>a</i><i>b</i></l><codes><c><code>1</code></c></codes>\
             <extra><deep>1</deep></extra></r>",
        );
        assert_eq!(j, x);
        assert_eq!(j.s, "7");
        assert_eq!(j.n, 42);
        assert_eq!(j.on, Some(-3));
        assert!(j.b);
        assert_eq!(j.l, ["a", "b"]);
        assert_eq!(j.codes, [Code { code: "1".into() }]);
    }

    #[test]
    fn empty_values_are_absent_values() {
        let (j, x) = both(
            r#"{"s": null, "os": "", "n": "", "on": null, "b": "", "ob": null, "l": "", "codes": null}"#,
            "<r><s/><os></os><n/><on>  </on><b/><ob/><l/><codes></codes></r>",
        );
        let absent = decode_as::<Probe>(Format::Json, b"{}").unwrap();
        assert_eq!(j, absent);
        assert_eq!(x, absent);
        assert_eq!(absent.os, None);
        assert!(absent.l.is_empty());
    }

    #[test]
    fn attributes_are_ignored() {
        let x = decode_as::<Probe>(
            Format::Xml,
            br#"<r><n unit="x">5</n><l kind="y"><i>a</i></l><os xsi:nil="true"/></r>"#,
        )
        .unwrap();
        assert_eq!((x.n, x.l, x.os), (5, vec!["a".to_owned()], None));
    }

    #[test]
    fn bad_values_are_errors() {
        for (json, needle) in [
            (r#"{"n": "x1"}"#, "expected an integer (u32)"),
            (r#"{"n": -1}"#, "does not fit in u32"),
            (r#"{"n": 1.5}"#, "expected an integer"),
            (r#"{"n": true}"#, "boolean"),
            (r#"{"b": "maybe"}"#, "expected a boolean"),
            (r#"{"s": {"a": 1}}"#, "nested `a`"),
            (r#"{"s": [1]}"#, "a string, number or boolean"),
            (r#"{"l": 5}"#, "a list"),
        ] {
            let err = decode_as::<Probe>(Format::Json, json.as_bytes()).unwrap_err();
            assert!(err.reason().contains(needle), "{json}: {err}");
        }
        let err = decode_as::<Probe>(Format::Xml, b"<r><s><a>1</a></s></r>").unwrap_err();
        assert!(err.reason().contains("nested `a`"), "{err}");
    }

    #[test]
    fn large_and_exponent_numbers() {
        let p = decode_as::<Probe>(Format::Json, br#"{"on": "10737418240", "n": 1e3}"#).unwrap();
        assert_eq!((p.on, p.n), (Some(10_737_418_240), 1000));
    }

    #[test]
    fn datetimes_with_and_without_zone() {
        // Catches a zoneless time read as local time, or rejected (SCP sends both shapes).
        use time::macros::datetime;
        let utc = Some(datetime!(2025-07-22 09:00:00 UTC));
        assert_eq!(parse_datetime("2025-07-22T09:00:00Z"), utc);
        assert_eq!(parse_datetime("2025-07-22T18:00:00+09:00"), utc);
        assert_eq!(parse_datetime(" 2025-07-22 09:00:00 "), utc);
        assert_eq!(
            parse_datetime("2025-07-22T09:00:00.123456"),
            Some(datetime!(2025-07-22 09:00:00.123456 UTC))
        );
        assert_eq!(parse_datetime("yesterday"), None);
        #[derive(Deserialize)]
        struct T {
            #[serde(default, deserialize_with = "opt_datetime")]
            at: Option<OffsetDateTime>,
        }
        let read = |json: &str| serde_json::from_str::<T>(json).unwrap().at;
        assert_eq!(read(r#"{"at":"2025-07-22T09:00:00"}"#), utc);
        assert_eq!(read(r#"{"at":"soon"}"#), None);
        assert_eq!(read(r#"{"at":null}"#), None);
    }
}
