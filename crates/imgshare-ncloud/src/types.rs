//! Models of the NCP server-image APIs. The response models and enums are declared in
//! `api.toml` and generated, decoded from JSON **and** XML into the same types: unknown fields are
//! ignored, absent lists are empty, numbers may arrive as strings or as JSON numbers
//! (`blockStorageSnapshotInstanceNo` is a number on the wire while every other `*No` is a
//! string). This module re-exports them and adds what is not data: [`Code`], the
//! `code`/`codeName` pair that keeps unknown codes, its decoder, and `createDate` parsing.

use std::fmt;
use std::marker::PhantomData;

use imgshare_core::decode::lenient;
use serde::{Deserialize, Deserializer};
use time::OffsetDateTime;

pub use crate::model::*;

/// A `{code, codeName}` pair (NCP's `CommonCode`): `code` typed, `codeName` display text only
/// (its wording differs between sources).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Code<T> {
    /// The code.
    pub code: T,
    /// The display name.
    pub code_name: String,
}

impl<T> Code<T> {
    /// A pair.
    pub fn new(code: impl Into<T>, code_name: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            code_name: code_name.into(),
        }
    }
}

#[derive(Deserialize)]
struct RawCode {
    #[serde(default, deserialize_with = "lenient::string")]
    code: String,
    #[serde(rename = "codeName", default, deserialize_with = "lenient::string")]
    code_name: String,
}

impl<'de, T: From<String>> Deserialize<'de> for Code<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawCode::deserialize(deserializer)?;
        Ok(Code {
            code: T::from(raw.code),
            code_name: raw.code_name,
        })
    }
}

/// Deserializes an optional [`Code`]: JSON `null`, an absent field and an empty XML element
/// all give `None`.
pub(crate) fn opt_code<'de, D, T>(deserializer: D) -> Result<Option<Code<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: From<String>> serde::de::Visitor<'de> for V<T> {
        type Value = Option<Code<T>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a {code, codeName} object")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            // An empty element, or a bare code where an object was expected.
            Ok((!v.trim().is_empty()).then(|| Code {
                code: T::from(v.trim().to_owned()),
                code_name: String::new(),
            }))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let raw = RawCode::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
            if raw.code.is_empty() && raw.code_name.is_empty() {
                return Ok(None);
            }
            Ok(Some(Code {
                code: T::from(raw.code),
                code_name: raw.code_name,
            }))
        }
    }
    deserializer.deserialize_any(V(PhantomData))
}

pub(crate) fn enum_string<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    Ok(lenient::opt_string(deserializer)?.map(T::from))
}

/// Parses NCP's `createDate`: `2025-06-20T09:59:39+0900` (offset without a colon), also
/// accepting RFC 3339 (`…+09:00`, `…Z`).
pub fn parse_ncp_time(text: &str) -> Option<OffsetDateTime> {
    let ncp = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory][offset_minute]"
    );
    let text = text.trim();
    OffsetDateTime::parse(text, &ncp)
        .or_else(|_| OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339))
        .ok()
}

impl ServerImage {
    /// `createDate` parsed ([`parse_ncp_time`]).
    pub fn created_at(&self) -> Option<OffsetDateTime> {
        parse_ncp_time(self.create_date.as_deref()?)
    }

    /// The share status code, `None` when NCP left it out.
    pub fn share_status(&self) -> Option<&ShareStatus> {
        self.share_status.as_ref().map(|c| &c.code)
    }

    /// The hypervisor code.
    pub fn hypervisor(&self) -> Option<&HypervisorType> {
        self.hypervisor_type.as_ref().map(|c| &c.code)
    }
}

impl MemberServerImageInstance {
    /// `createDate` parsed ([`parse_ncp_time`]).
    pub fn created_at(&self) -> Option<OffsetDateTime> {
        parse_ncp_time(self.create_date.as_deref()?)
    }

    /// The share status code.
    pub fn share_status(&self) -> Option<&ShareStatus> {
        self.share_status.as_ref().map(|c| &c.code)
    }
}

impl MemberServerImage {
    /// `createDate` parsed ([`parse_ncp_time`]).
    pub fn created_at(&self) -> Option<OffsetDateTime> {
        parse_ncp_time(self.create_date.as_deref()?)
    }

    /// The share status code.
    pub fn share_status(&self) -> Option<&ShareStatus> {
        self.share_status.as_ref().map(|c| &c.code)
    }
}
