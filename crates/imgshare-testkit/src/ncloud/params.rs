//! Request parameters: the query string and, for POST, an
//! `application/x-www-form-urlencoded` body (ncloud.md §2.1, §5).
//!
//! Both are decoded the form way (`+` is a space, `%XX` a byte) and merged.
//! Lists travel flattened as `name.N` with N counted from 1 (§5).

use super::errors::{ApiError, GatewayError};
use crate::harness::wire::form_pairs;

/// Decoded `name=value` pairs in arrival order (query first, then body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

/// Splits and decodes `a=1&b=2`. Names and values must decode to UTF-8, else the gateway's
/// "encoding (UTF-8) request error" (400 / `100`).
pub(crate) fn parse_urlencoded(text: &str) -> Result<Vec<(String, String)>, GatewayError> {
    form_pairs(text).map_err(|piece| {
        GatewayError::bad_request(format!("The parameter `{piece}` does not decode to UTF-8."))
    })
}

impl Params {
    pub(crate) fn new(pairs: Vec<(String, String)>) -> Params {
        Params { pairs }
    }

    /// Every parameter name must appear once (the fake's choice: the notes
    /// do not say which copy of a repeated name wins).
    pub(crate) fn check_unique(&self) -> Result<(), ApiError> {
        for (i, (name, _)) in self.pairs.iter().enumerate() {
            if self.pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(ApiError::invalid(format!(
                    "The parameter `{name}` was sent more than once."
                )));
            }
        }
        Ok(())
    }

    /// A scalar parameter; an empty value counts as absent.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn require(&self, name: &str) -> Result<&str, ApiError> {
        self.get(name).ok_or_else(|| ApiError::missing(name))
    }

    /// The list `name.1`, `name.2`, ... ordered by index. Gaps are allowed
    /// (fake's choice); index `0`, a non-numeric or zero-padded index, an
    /// empty item, or the bare `name` (not flattened) → invalid parameter.
    pub(crate) fn list(&self, name: &str) -> Result<Vec<String>, ApiError> {
        let mut items: Vec<(u32, String)> = Vec::new();
        for (n, v) in &self.pairs {
            if n == name {
                return Err(ApiError::invalid(format!(
                    "`{name}` is a list; send it as `{name}.1`, `{name}.2`, ..."
                )));
            }
            let Some(index) = n.strip_prefix(name).and_then(|r| r.strip_prefix('.')) else {
                continue;
            };
            let parsed = (!index.starts_with('0') && index.bytes().all(|b| b.is_ascii_digit()))
                .then(|| index.parse::<u32>().ok())
                .flatten()
                .filter(|i| *i >= 1);
            let Some(i) = parsed else {
                return Err(ApiError::invalid(format!(
                    "`{n}`: list indexes are whole numbers starting at 1."
                )));
            };
            if v.is_empty() {
                return Err(ApiError::invalid(format!("`{n}` is empty.")));
            }
            items.push((i, v.clone()));
        }
        items.sort_by_key(|(i, _)| *i);
        Ok(items.into_iter().map(|(_, v)| v).collect())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn params(q: &str) -> Params {
        Params::new(parse_urlencoded(q).unwrap())
    }

    #[test]
    fn lists_are_one_based_and_ordered() {
        let p = params("t.2=b&t.1=a&t.10=c&other.1=x");
        assert_eq!(p.list("t").unwrap(), ["a", "b", "c"]);
        assert!(p.list("missing").unwrap().is_empty());
        assert!(params("t.0=a").list("t").is_err());
        assert!(params("t.01=a").list("t").is_err());
        assert!(params("t.x=a").list("t").is_err());
        assert!(params("t=a").list("t").is_err());
        assert!(params("t.1=").list("t").is_err());
        // A longer name sharing the prefix is not part of the list.
        assert!(params("tt.1=a").list("t").unwrap().is_empty());
    }

    #[test]
    fn scalars_and_uniqueness() {
        let p = params("a=1&b=");
        assert_eq!(p.get("a"), Some("1"));
        assert_eq!(p.get("b"), None);
        assert!(p.require("b").is_err());
        assert!(p.check_unique().is_ok());
        assert!(params("a=1&a=2").check_unique().is_err());
    }
}
