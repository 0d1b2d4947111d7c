//! The checks an `api.toml` declares per field (`check`, `min_items`, `max_items`, `unique`,
//! `range`), called by the generated input builders before anything is sent. Each names the
//! field it rejects; an item of a list is named `field[i]`.

use std::collections::HashSet;
use std::fmt::Display;
use std::hash::Hash;

use crate::error::InvalidInput;

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

    #[test]
    fn ranges_are_inclusive() {
        assert!(range("n", Some(1u32), 1, 10).is_ok());
        assert!(range("n", Some(10u32), 1, 10).is_ok());
        assert!(range("n", None, 1u32, 10).is_ok());
        assert_eq!(range("n", Some(0u32), 1, 10).unwrap_err().field(), "n");
        assert_eq!(range("n", Some(11u32), 1, 10).unwrap_err().field(), "n");
    }
}
