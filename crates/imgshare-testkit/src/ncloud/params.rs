//! Request parameters: the query string and, for POST, an `application/x-www-form-urlencoded`
//! body, both form-decoded (`+` is a space, `%XX` a byte) and merged; lists travel flattened
//! as `name.N` with N counted from 1. Then the checks every action shares: numbers, code
//! values, sort options, paging.

use std::cmp::Ordering;
use std::collections::HashSet;

use super::errors::{ApiError, GatewayError, err, fail};
use crate::harness::ensure;
use crate::harness::wire::form_pairs;

/// VPC `pageSize` range.
const VPC_MAX_PAGE_SIZE: u64 = 1000;
/// Classic `pageNo`/`pageSize` maximum.
const CLASSIC_MAX_PAGE: u64 = 2_147_483_647;

/// Decoded `name=value` pairs in arrival order (query first, then body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

/// Splits and decodes `a=1&b=2`. Names and values must decode to UTF-8, else the gateway's
/// "encoding (UTF-8) request error" (400 / `100`).
pub(crate) fn parse_urlencoded(text: &str) -> Result<Vec<(String, String)>, GatewayError> {
    let utf8 = |(piece, [name, value]): (&str, [Vec<u8>; 2])| {
        let pair = String::from_utf8(name)
            .ok()
            .zip(String::from_utf8(value).ok());
        let error = format!("The parameter `{piece}` does not decode to UTF-8.");
        pair.ok_or_else(|| GatewayError::new("bad_request", error))
    };
    form_pairs(text).map(utf8).collect()
}

/// Image numbers are decimal digits (every `*No` in the docs is numeric).
pub(crate) fn check_number<'a>(name: &str, value: &'a str) -> Result<&'a str, ApiError> {
    if value.is_empty() || value.len() > 19 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return fail("not_a_number", &[&name, &value]);
    }
    Ok(value)
}

/// A code parameter's value must be one of the documented `allowed` values.
pub(crate) fn check_code(name: &str, value: &str, allowed: &[String]) -> Result<(), ApiError> {
    ensure(allowed.iter().any(|a| a == value), || {
        err("not_a_code", &[&name, &allowed.join(" | "), &value])
    })
}

impl Params {
    pub(crate) fn new(pairs: Vec<(String, String)>) -> Params {
        Params { pairs }
    }

    /// Every parameter name must appear once (the fake's choice: the docs do not say which
    /// copy of a repeated name wins).
    pub(crate) fn check_unique(&self) -> Result<(), ApiError> {
        let mut seen = HashSet::new();
        match self.pairs.iter().find(|(name, _)| !seen.insert(name)) {
            Some((name, _)) => fail("repeated", &[name]),
            None => Ok(()),
        }
    }

    /// A scalar parameter; an empty value counts as absent.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        let mut pairs = self.pairs.iter();
        pairs
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn require(&self, name: &str) -> Result<&str, ApiError> {
        self.get(name).ok_or_else(|| err("missing", &[&name]))
    }

    /// The list `name.1`, `name.2`, ... ordered by index. Gaps are allowed (the fake's
    /// choice); index `0`, a non-numeric or zero-padded index, an empty item, or the bare
    /// `name` (not flattened) → invalid parameter.
    pub(crate) fn list(&self, name: &str) -> Result<Vec<String>, ApiError> {
        let mut items: Vec<(u32, String)> = Vec::new();
        for (n, v) in &self.pairs {
            if n == name {
                return fail("list_not_flattened", &[&name]);
            }
            let Some(index) = n.strip_prefix(name).and_then(|r| r.strip_prefix('.')) else {
                continue;
            };
            let digits = !index.starts_with('0') && index.bytes().all(|b| b.is_ascii_digit());
            match index.parse::<u32>().ok().filter(|i| digits && *i >= 1) {
                None => return fail("list_index", &[n]),
                Some(_) if v.is_empty() => return fail("list_item_empty", &[n]),
                Some(i) => items.push((i, v.clone())),
            }
        }
        items.sort_by_key(|(i, _)| *i);
        Ok(items.into_iter().map(|(_, v)| v).collect())
    }

    /// Whether `name` is the second of its two `options` (matched case-insensitively, as
    /// Classic documents); absent is the first.
    pub(crate) fn second_of(&self, name: &str, options: &[String; 2]) -> Result<bool, ApiError> {
        match self.get(name) {
            None => Ok(false),
            Some(v) if v.eq_ignore_ascii_case(&options[0]) => Ok(false),
            Some(v) if v.eq_ignore_ascii_case(&options[1]) => Ok(true),
            Some(v) => fail("not_one_of_two", &[&name, &options[0], &options[1], &v]),
        }
    }

    fn integer(&self, name: &str, min: u64, max: u64) -> Result<Option<u64>, ApiError> {
        let Some(text) = self.get(name) else {
            return Ok(None);
        };
        let digits = text.bytes().all(|b| b.is_ascii_digit());
        match text.parse::<u64>() {
            Ok(n) if digits && (min..=max).contains(&n) => Ok(Some(n)),
            _ => fail("not_an_integer", &[&name, &min, &max, &text]),
        }
    }
}

/// `pageNo`/`pageSize`: page 0 and 1 are both the first page; no `pageSize` (or Classic's
/// `0`) means every row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    page_no: u64,
    page_size: Option<u64>,
}

impl Paging {
    /// VPC: `pageNo` ≥ 0, `pageSize` 1–1000 and required with `pageNo`.
    pub(crate) fn vpc(params: &Params) -> Result<Paging, ApiError> {
        let page_no = params.integer("pageNo", 0, u64::from(u32::MAX))?;
        let page_size = params.integer("pageSize", 1, VPC_MAX_PAGE_SIZE)?;
        ensure(page_no.is_none() || page_size.is_some(), || {
            err("page_size_required", &[])
        })?;
        let page_no = page_no.unwrap_or(0);
        Ok(Paging { page_no, page_size })
    }

    /// Classic: both 0–2147483647.
    pub(crate) fn classic(params: &Params) -> Result<Paging, ApiError> {
        let page_no = params.integer("pageNo", 0, CLASSIC_MAX_PAGE)?.unwrap_or(0);
        let page_size = params
            .integer("pageSize", 0, CLASSIC_MAX_PAGE)?
            .filter(|s| *s > 0);
        Ok(Paging { page_no, page_size })
    }

    pub(crate) fn apply<T>(self, items: Vec<T>) -> Vec<T> {
        let Some(size) = self.page_size else {
            return items;
        };
        let skip = self.page_no.max(1).saturating_sub(1).saturating_mul(size);
        let (skip, take) = (usize::try_from(skip), usize::try_from(size));
        let (skip, take) = (skip.unwrap_or(usize::MAX), take.unwrap_or(usize::MAX));
        items.into_iter().skip(skip).take(take).collect()
    }
}

/// Numbers compare numerically (digit strings without leading zeros).
pub(crate) fn cmp_no(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
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
    fn pairs_must_decode_to_utf8() {
        assert!(parse_urlencoded("a=%FF").is_err());
        assert!(parse_urlencoded("%FF=a").is_err());
        assert_eq!(
            parse_urlencoded("a=1&&b&c=").unwrap(),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), String::new()),
                ("c".into(), String::new())
            ]
        );
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

    #[test]
    fn paging() {
        let items: Vec<u32> = (1..=5).collect();
        let p = Paging::vpc(&params("pageNo=0&pageSize=2")).unwrap();
        assert_eq!(p.apply(items.clone()), [1, 2]);
        let p = Paging::vpc(&params("pageNo=1&pageSize=2")).unwrap();
        assert_eq!(p.apply(items.clone()), [1, 2]);
        let p = Paging::vpc(&params("pageNo=3&pageSize=2")).unwrap();
        assert_eq!(p.apply(items.clone()), [5]);
        assert!(Paging::vpc(&params("pageNo=1")).is_err());
        assert!(Paging::vpc(&params("pageNo=1&pageSize=0")).is_err());
        assert!(Paging::vpc(&params("pageSize=1001")).is_err());
        assert!(Paging::vpc(&params("pageSize=-1")).is_err());
        let p = Paging::classic(&params("pageNo=2&pageSize=0")).unwrap();
        assert_eq!(p.apply(items), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn numbers_sort_numerically() {
        assert_eq!(cmp_no("9", "10"), Ordering::Less);
        assert_eq!(cmp_no("10", "10"), Ordering::Equal);
    }
}
