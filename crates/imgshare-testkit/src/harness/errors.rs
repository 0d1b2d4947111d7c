//! One error type for the clouds whose service errors are a code and a message (Tencent, NAVER
//! Cloud), and the tables they come from: each cloud lists every error it answers, once, as
//! `id = [code, message]` in its `errors.toml` (the provider's documented code, the fake's
//! message with `{0}`, `{1}`, ... for the details), and renders them in its own envelope.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

use super::wire::fill;

/// A refusal: the HTTP status, the provider's error code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

/// A cloud's error table, parsed on first use.
pub(crate) struct Catalog {
    toml: &'static str,
    /// The status every error of the table is answered with.
    status: u16,
    rows: OnceLock<HashMap<String, (String, String)>>,
}

impl Catalog {
    pub(crate) const fn new(toml: &'static str, status: u16) -> Catalog {
        let rows = OnceLock::new();
        Catalog { toml, status, rows }
    }

    fn rows(&self) -> &HashMap<String, (String, String)> {
        self.rows
            .get_or_init(|| toml::from_str(self.toml).unwrap_or_default())
    }

    /// The error `id`, its message's `{i}` replaced by `args[i]`.
    pub(crate) fn error(&'static self, id: &str, args: &[&dyn Display]) -> ApiError {
        let Some((code, template)) = self.rows().get(id) else {
            // Every id the code uses is in its table; the table tests check that it parses.
            debug_assert!(false, "no error {id:?} in the table");
            return ApiError::new(self.status, "InternalError", id);
        };
        let arg = |i: &str| Some(args.get(i.parse::<usize>().ok()?)?.to_string());
        let message = fill(template, arg);
        ApiError::new(self.status, code, message)
    }

    /// Every id of the table, for its tests.
    #[cfg(test)]
    pub(crate) fn ids(&self) -> Vec<&str> {
        self.rows().keys().map(String::as_str).collect()
    }
}

impl ApiError {
    pub(crate) fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError {
            status,
            code,
            message,
        }
    }
}

/// A cloud's error table: `ERRORS`, read from `$toml` and answered with HTTP `$status`, and
/// the cloud's `err(id, args)` and `fail(id, args)`.
macro_rules! error_table {
    ($toml:expr, $status:expr) => {
        static ERRORS: $crate::harness::Catalog = $crate::harness::Catalog::new($toml, $status);

        /// The error `id` of the table, with its details.
        pub(crate) fn err(id: &str, args: &[&dyn std::fmt::Display]) -> ApiError {
            ERRORS.error(id, args)
        }

        /// `Err` of [`err`].
        pub(crate) fn fail<T>(id: &str, args: &[&dyn std::fmt::Display]) -> Result<T, ApiError> {
            Err(err(id, args))
        }
    };
}
pub(crate) use error_table;

/// `Ok` when `ok`, else the error `error` builds (only then).
pub(crate) fn ensure(ok: bool, error: impl FnOnce() -> ApiError) -> Result<(), ApiError> {
    if ok { Ok(()) } else { Err(error()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    static TABLE: Catalog = Catalog::new("a = ['A.B', 'x {1} y {0} {0} {9} {z'] \n", 400);

    #[test]
    fn messages_are_filled_in_one_pass() {
        let error = TABLE.error("a", &[&"{1}", &7]);
        assert_eq!(error, ApiError::new(400, "A.B", "x 7 y {1} {1} {9} {z"));
        assert_eq!(TABLE.ids(), ["a"]);
    }
}
