//! One error type for the clouds' service errors, a status, a code and a message, and the tables
//! they come from: each cloud lists every error it answers, once, as `id = [code, message]` in
//! its `errors.toml` (the provider's documented code, the fake's message with `{0}`, `{1}`, ...
//! for the details), or `id = [status, code, message]` where its errors differ in status (SCP,
//! whose code is `""` where none was ever observed; NAVER Cloud's API Gateway, in its
//! `gateway.toml`), and renders them in its own envelope.

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
    rows: OnceLock<HashMap<String, Row>>,
}

/// `[code, message]`, answered with the table's status, or `[status, code, message]`.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Row {
    Plain(String, String),
    Status(u16, String, String),
}

impl Catalog {
    pub(crate) const fn new(toml: &'static str, status: u16) -> Catalog {
        let rows = OnceLock::new();
        Catalog { toml, status, rows }
    }

    fn rows(&self) -> &HashMap<String, Row> {
        self.rows
            .get_or_init(|| toml::from_str(self.toml).unwrap_or_default())
    }

    /// The error `id`, its message's `{i}` replaced by `args[i]`.
    pub(crate) fn error(&'static self, id: &str, args: &[&dyn Display]) -> ApiError {
        let (status, code, template) = match self.rows().get(id) {
            Some(Row::Plain(code, template)) => (self.status, code, template),
            Some(Row::Status(status, code, template)) => (*status, code, template),
            None => {
                // Every id the code uses is in its table; the table tests check that it parses.
                debug_assert!(false, "no error {id:?} in the table");
                return ApiError::new(self.status, "InternalError", id);
            }
        };
        let arg = |i: &str| Some(args.get(i.parse::<usize>().ok()?)?.to_string());
        let message = fill(template, arg);
        ApiError::new(status, code, message)
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
            #[allow(clippy::useless_conversion)]
            ERRORS.error(id, args).into()
        }

        /// `Err` of [`err`].
        pub(crate) fn fail<T>(id: &str, args: &[&dyn std::fmt::Display]) -> Result<T, ApiError> {
            Err(err(id, args))
        }
    };
}
pub(crate) use error_table;

/// `Ok` when `ok`, else the error `error` builds (only then).
pub(crate) fn ensure<E>(ok: bool, error: impl FnOnce() -> E) -> Result<(), E> {
    if ok { Ok(()) } else { Err(error()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    static TABLE: Catalog = Catalog::new(
        "a = ['A.B', 'x {1} y {0} {0} {9} {z'] \nb = [409, '', 'c']",
        400,
    );

    #[test]
    fn messages_are_filled_in_one_pass() {
        let error = TABLE.error("a", &[&"{1}", &7]);
        assert_eq!(error, ApiError::new(400, "A.B", "x 7 y {1} {1} {9} {z"));
        assert_eq!(TABLE.error("b", &[]), ApiError::new(409, "", "c"));
        assert_eq!(TABLE.ids().len(), 2);
    }
}
