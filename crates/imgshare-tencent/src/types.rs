//! Models of the CVM image APIs. The models (the response models and the [`Filter`] input) and
//! enums are declared in `api.toml` and generated (decoded leniently: unknown fields are
//! ignored, absent lists are empty, server-controlled enums keep unknown values); this module
//! re-exports them and adds what is not data: timestamp parsing, the filters' constructors and
//! wire form.

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
