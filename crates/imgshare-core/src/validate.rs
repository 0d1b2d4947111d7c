//! The checks an `api.toml` declares per field (`check`, `min_items`, `max_items`, `unique`,
//! `range`), called by the generated input builders before anything is sent, and the shapes of
//! identifiers a provider's `check` functions test ([`uuid`], a [`Token`]). Each names the field
//! it rejects; an item of a list is named `field[i]`.
//!
//! What an identifier must look like is data too: a provider declares a [`Shape`] constant per
//! kind of value and names its check in `api.toml` (`check = "crate::validate::IMAGE_ID.check"`).

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Display;
use std::hash::Hash;

use crate::error::InvalidInput;

/// The most characters of a refused value an error quotes.
pub const QUOTE_LIMIT: usize = 64;

/// `value` quoted for an error message (`"img-x"`, control characters escaped), cut after
/// [`QUOTE_LIMIT`] characters with its length in bytes: an error about a 100,000-character
/// value must not be 100,000 characters long itself.
pub fn quote(value: &str) -> String {
    match value.char_indices().nth(QUOTE_LIMIT) {
        None => format!("{value:?}"),
        Some((cut, _)) => format!("{:?}… ({} bytes)", &value[..cut], value.len()),
    }
}

/// What a string must look like: a fixed prefix, then between `min` and `max` bytes that
/// `allowed` accepts.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// What the value starts with (`img-`), or `""`.
    pub prefix: &'static str,
    /// The fewest bytes after the prefix.
    pub min: usize,
    /// The most bytes after the prefix.
    pub max: usize,
    /// Whether a byte after the prefix is allowed.
    pub allowed: fn(u8) -> bool,
    /// The rule in words, completing "must be …" in the error.
    pub expected: &'static str,
}

impl Shape {
    /// Whether `value` has this shape.
    pub fn matches(&self, value: &str) -> bool {
        value.strip_prefix(self.prefix).is_some_and(|rest| {
            (self.min..=self.max).contains(&rest.len()) && rest.bytes().all(self.allowed)
        })
    }

    /// `value` has this shape.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] naming `field`, saying what was expected and quoting the value.
    pub fn check(
        &self,
        field: impl Into<Cow<'static, str>>,
        value: &str,
    ) -> Result<(), InvalidInput> {
        if self.matches(value) {
            return Ok(());
        }
        Err(InvalidInput::new(
            field,
            format!("must be {}, got {}", self.expected, quote(value)),
        ))
    }
}

/// A string is not empty.
///
/// # Errors
///
/// [`InvalidInput`] naming `field`.
pub fn not_empty(field: impl Into<Cow<'static, str>>, value: &str) -> Result<(), InvalidInput> {
    if value.is_empty() {
        return Err(InvalidInput::new(field, "is empty"));
    }
    Ok(())
}

/// A list of `len` items has at least `min` and at most `max`; `setter` is the builder method
/// that adds one, for the hint.
///
/// # Errors
///
/// [`InvalidInput`] naming `field`.
pub fn count(
    field: &'static str,
    len: usize,
    min: usize,
    max: Option<usize>,
    setter: &str,
) -> Result<(), InvalidInput> {
    if len < min {
        let what = if min == 1 {
            "at least one value".to_owned()
        } else {
            format!("at least {min} values")
        };
        return Err(InvalidInput::new(
            field,
            format!("needs {what} (call .{setter}(..))"),
        ));
    }
    if let Some(max) = max
        && len > max
    {
        return Err(InvalidInput::new(
            field,
            format!("has {len} values; at most {max} are allowed"),
        ));
    }
    Ok(())
}

/// No item of `items` repeats an earlier one.
///
/// # Errors
///
/// [`InvalidInput`] naming the repeat, `field[i]`.
pub fn unique<T: Eq + Hash + Display>(
    field: &'static str,
    items: &[T],
) -> Result<(), InvalidInput> {
    let mut seen = HashSet::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if !seen.insert(item) {
            return Err(InvalidInput::new(
                format!("{field}[{i}]"),
                format!("repeats {item}"),
            ));
        }
    }
    Ok(())
}

/// A number, when set, lies in `min..=max`.
///
/// # Errors
///
/// [`InvalidInput`] naming `field`.
pub fn range<N: PartialOrd + Display + Copy>(
    field: &'static str,
    value: Option<N>,
    min: N,
    max: N,
) -> Result<(), InvalidInput> {
    match value {
        Some(v) if v < min || v > max => Err(InvalidInput::new(
            field,
            format!("must be {min} to {max}, got {v}"),
        )),
        _ => Ok(()),
    }
}

/// A UUID, `8-4-4-4-12` hex digits in either case.
///
/// # Errors
///
/// [`InvalidInput`] naming `field`.
pub fn uuid(field: impl Into<Cow<'static, str>>, id: &str) -> Result<(), InvalidInput> {
    let groups: Vec<&str> = id.split('-').collect();
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    if ok {
        Ok(())
    } else {
        Err(InvalidInput::new(
            field,
            format!(
                "must be a UUID such as 70a599e0-31e7-49b7-b260-868f441e862b, got {}",
                quote(id)
            ),
        ))
    }
}

/// The shape of an identifier made of a few kinds of ASCII characters.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    /// What it is, for messages (`an SCP account id`).
    pub what: &'static str,
    /// Its fewest bytes.
    pub min_len: usize,
    /// Its most bytes.
    pub max_len: usize,
    /// The characters allowed, for messages (``A-Z, a-z, 0-9 and `-` ``).
    pub allowed: &'static str,
    /// Whether a byte is allowed.
    pub allows: fn(u8) -> bool,
}

/// `value` has the shape of `token`: its length first, then its characters.
///
/// # Errors
///
/// [`InvalidInput`] naming `field`.
pub fn token(
    field: impl Into<Cow<'static, str>>,
    value: &str,
    token: &Token,
) -> Result<(), InvalidInput> {
    let Token {
        what,
        min_len,
        max_len,
        allowed,
        allows,
    } = *token;
    if !(min_len..=max_len).contains(&value.len()) {
        let n = value.len();
        return Err(InvalidInput::new(
            field,
            format!("must be {min_len} to {max_len} characters ({what}), got {n} characters"),
        ));
    }
    if !value.bytes().all(allows) {
        return Err(InvalidInput::new(
            field,
            format!("may hold only {allowed} ({what}), got {}", quote(value)),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn counts_are_bounded_on_both_sides() {
        assert_eq!(
            count("ids", 0, 1, Some(2), "id").unwrap_err().field(),
            "ids"
        );
        assert!(count("ids", 1, 1, Some(2), "id").is_ok());
        assert!(count("ids", 2, 1, Some(2), "id").is_ok());
        assert_eq!(
            count("ids", 3, 1, Some(2), "id").unwrap_err().field(),
            "ids"
        );
        assert!(count("ids", 0, 0, None, "id").is_ok());
    }

    #[test]
    fn a_repeat_is_named_by_its_index() {
        assert!(unique("ids", &["a", "b"]).is_ok());
        assert_eq!(
            unique("ids", &["a", "b", "a"]).unwrap_err().field(),
            "ids[2]"
        );
    }

    const ID: Shape = Shape {
        prefix: "id-",
        min: 2,
        max: 3,
        allowed: |b| b.is_ascii_digit(),
        expected: "`id-` and 2 or 3 digits",
    };

    #[test]
    fn shapes_check_prefix_length_and_bytes() {
        // Catches an off-by-one in the length bounds, or bytes checked before the prefix is
        // removed (which would reject every prefixed value).
        assert!(ID.check("id", "id-12").is_ok());
        assert!(ID.check("id", "id-123").is_ok());
        for bad in ["", "id-", "id-1", "id-1234", "id-1a", "ID-12", "12"] {
            let err = ID.check("id", bad).unwrap_err();
            assert_eq!(err.field(), "id", "{bad}");
            assert!(err.message().starts_with("must be `id-`"), "{err}");
        }
        assert_eq!(not_empty("arn", "").unwrap_err().field(), "arn");
        assert!(not_empty("arn", "a").is_ok());
    }

    #[test]
    fn ranges_are_inclusive() {
        assert!(range("n", Some(1u32), 1, 10).is_ok());
        assert!(range("n", Some(10u32), 1, 10).is_ok());
        assert!(range("n", None, 1u32, 10).is_ok());
        assert_eq!(range("n", Some(0u32), 1, 10).unwrap_err().field(), "n");
        assert_eq!(range("n", Some(11u32), 1, 10).unwrap_err().field(), "n");
    }

    #[test]
    fn uuids_are_five_hex_groups() {
        assert!(uuid("id", "70a599e0-31e7-49b7-b260-868f441e862b").is_ok());
        assert!(uuid("id", "70A599E0-31E7-49B7-B260-868F441E862B").is_ok());
        for bad in [
            "",
            "70a599e031e749b7b260868f441e862b",
            "70a599e0-31e7-49b7-b260-868f441e862g",
        ] {
            assert_eq!(uuid("id", bad).unwrap_err().field(), "id");
        }
    }

    #[test]
    fn tokens_check_length_then_characters() {
        // Catches a length counted in characters: `é` is two bytes, as the server counts.
        const T: Token = Token {
            what: "a name",
            min_len: 1,
            max_len: 3,
            allowed: "a-z",
            allows: |b| b.is_ascii_lowercase(),
        };
        assert!(token("n", "abc", &T).is_ok());
        assert!(token("n", "", &T).unwrap_err().message().contains("1 to 3"));
        assert!(
            token("n", "abcd", &T)
                .unwrap_err()
                .message()
                .contains("got 4")
        );
        assert!(
            token("n", "aB", &T)
                .unwrap_err()
                .message()
                .contains("only a-z")
        );
        assert!(
            token("n", "ééé", &T)
                .unwrap_err()
                .message()
                .contains("got 6")
        );
    }

    #[test]
    fn long_values_are_quoted_cut() {
        // Catches an error that quotes a 100,000-character value whole.
        let long = "1".repeat(100_000);
        let err = Shape {
            prefix: "",
            min: 1,
            max: 20,
            allowed: |b| b.is_ascii_digit(),
            expected: "digits",
        }
        .check("account", &long)
        .unwrap_err();
        assert!(err.to_string().len() < 200, "{}", err.to_string().len());
        assert!(err.to_string().contains("(100000 bytes)"), "{err}");
        assert_eq!(quote("img-x"), "\"img-x\"");
        assert_eq!(
            quote(&"é".repeat(65)),
            format!("{:?}… (130 bytes)", "é".repeat(64))
        );
    }
}
