//! Models of the CVM image APIs. The models (the response models and the [`Filter`] input) and
//! enums are declared in `api.toml` and generated (decoded leniently: unknown fields are
//! ignored, absent lists are empty, server-controlled enums keep unknown values); this module
//! re-exports them and adds what is not data: timestamp parsing, the filters' constructors,
//! text form and wire form.

use std::str::FromStr;

use imgshare_core::wire::{ToWire, WireValue};

pub use crate::model::*;

impl SharePermission {
    /// `created_time` parsed; accepts both `…Z` and `…+00:00` forms.
    pub fn created_at(&self) -> Option<time::OffsetDateTime> {
        parse_time(self.created_time.as_deref()?)
    }
}

/// Parses Tencent's ISO 8601 timestamps (`2020-09-22T00:00:00Z` or `…+00:00`).
pub fn parse_time(text: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

impl Image {
    /// `created_time` parsed; accepts both `…Z` and `…+00:00` forms.
    pub fn created_at(&self) -> Option<time::OffsetDateTime> {
        parse_time(self.created_time.as_deref()?)
    }
}

impl Filter {
    /// A filter on `name` (`image-type`, `image-id`, `image-name`, `platform`, `tag-key`, …).
    pub fn new(
        name: impl Into<String>,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            name: name.into(),
            values: values.into_iter().map(Into::into).collect(),
        }
    }

    /// `image-type` = the given type.
    pub fn image_type(image_type: ImageType) -> Self {
        Self::new("image-type", [image_type.as_str()])
    }

    /// Images tagged `key`: with any value (`tag-key` = `key`), or with `value` (`tag:KEY` =
    /// `value`), as DescribeImages names its tag filters.
    pub fn tag(key: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => Self::new(format!("tag:{key}"), [value]),
            None => Self::new("tag-key", [key]),
        }
    }
}

/// A filter's text that is not `NAME=VALUE[,VALUE...]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?}: expected NAME=VALUE[,VALUE...]")]
pub struct MalformedFilter(pub String);

/// `NAME=VALUE[,VALUE...]` (`image-family=ubuntu`, `tag:team=a,b`): the name up to the first
/// `=`, then the values between commas (so a value cannot hold a comma). Both must be there.
impl FromStr for Filter {
    type Err = MalformedFilter;

    fn from_str(text: &str) -> Result<Self, MalformedFilter> {
        match text.split_once('=') {
            Some((name, values)) if !name.is_empty() && !values.is_empty() => {
                Ok(Self::new(name, values.split(',')))
            }
            _ => Err(MalformedFilter(text.to_owned())),
        }
    }
}

impl ToWire for Filter {
    fn to_wire(&self) -> WireValue {
        WireValue::Object(vec![
            ("Name", self.name.to_wire()),
            ("Values", self.values.to_wire()),
        ])
    }
}

impl DescribeImageSharePermissionOutput {
    /// The account ids, in Tencent's order.
    pub fn account_ids(&self) -> impl Iterator<Item = &str> {
        self.share_permissions.iter().map(|p| p.account_id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::{Filter, MalformedFilter};

    /// Fails if a tag filter is not named as DescribeImages documents (`tag-key`, `tag:KEY`).
    #[test]
    fn tag_filters_use_the_documented_names() {
        assert_eq!(Filter::tag("team", None), Filter::new("tag-key", ["team"]));
        assert_eq!(
            Filter::tag("team", Some("a=b")),
            Filter::new("tag:team", ["a=b"])
        );
    }

    /// Fails if a name or the values are lost, split at the wrong `=`, or accepted empty.
    #[test]
    fn filters_parse_from_name_equals_values() {
        let parsed = "tag:team=a=b,c".parse::<Filter>();
        assert_eq!(parsed, Ok(Filter::new("tag:team", ["a=b", "c"])));
        assert_eq!(
            "image-name=demo".parse(),
            Ok(Filter::new("image-name", ["demo"]))
        );
        for bad in ["novalue", "=x", "name=", ""] {
            assert_eq!(bad.parse::<Filter>(), Err(MalformedFilter(bad.into())));
        }
        let message = MalformedFilter("x".into()).to_string();
        assert_eq!(message, "\"x\": expected NAME=VALUE[,VALUE...]");
    }
}
