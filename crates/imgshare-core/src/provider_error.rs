//! What every provider error type shares: the [`ErrorMetadata`] trait, and
//! [`provider_error!`](macro@crate::provider_error) to declare such a type in a few lines.
//!
//! A provider error wraps the core [`Error`] (boxed, so a `Result<_, ProviderError>` stays one
//! pointer wide). The trait's default methods read everything from [`ErrorMetadata::as_core`], so
//! a provider crate writes that one method, plus predicates for its own codes.
//!
//! A provider's codes are data: an [`ErrorTable`] of [`ErrorCode`] rows (a code or a code prefix,
//! who answers with it, its [`ErrorKind`], a hint and the predicates it answers), generated from
//! the provider's `api.toml` together with the predicate methods that read it.

use crate::error::{Error, ErrorKind, ErrorOrigin, InvalidInput, ServiceError};

/// The metadata users branch on, for any provider's error. Bring it into scope
/// (`use imgshare_tencent::ErrorMetadata;`, or the provider crate's prelude) to call these methods.
pub trait ErrorMetadata {
    /// The core error underneath.
    fn as_core(&self) -> &Error;

    /// The provider's error code, for service errors.
    fn code(&self) -> Option<&str> {
        self.as_core().code()
    }

    /// The provider's message, for service errors. Messages change over time: branch on the code.
    fn message(&self) -> Option<&str> {
        self.as_core().message()
    }

    /// The request id, for the provider's support desk.
    fn request_id(&self) -> Option<&str> {
        self.as_core().request_id()
    }

    /// The HTTP status, when a response arrived.
    fn http_status(&self) -> Option<u16> {
        self.as_core().http_status()
    }

    /// How the error bears on retrying; `None` for errors no retry can fix.
    fn kind(&self) -> Option<ErrorKind> {
        self.as_core().kind()
    }

    /// The service error, if the provider answered with one.
    fn service_error(&self) -> Option<&ServiceError> {
        self.as_core().as_service_error()
    }

    /// The rejected field and why, for input rejected before sending.
    fn invalid_input(&self) -> Option<&InvalidInput> {
        self.as_core().as_invalid_input()
    }

    /// Whether the code is `code` exactly.
    fn is_code(&self, code: &str) -> bool {
        self.code() == Some(code)
    }

    /// Throttled by the provider (or HTTP 429).
    fn is_throttling(&self) -> bool {
        self.as_core().is_throttling()
    }

    /// The server refused the request's timestamp: the local clock is off (see the error's
    /// Display for by how much).
    fn is_clock_skew(&self) -> bool {
        self.as_core().is_clock_skew()
    }

    /// A passing failure: network fault or server error.
    fn is_transient(&self) -> bool {
        self.as_core().is_transient()
    }

    /// A later retry of a read might succeed.
    fn is_retryable(&self) -> bool {
        self.as_core().is_retryable()
    }

    /// A timeout fired.
    fn is_timeout(&self) -> bool {
        self.as_core().is_timeout()
    }

    /// The provider answered with an error code.
    fn is_service(&self) -> bool {
        self.as_core().is_service()
    }

    /// A gateway in front of the API answered (NCP API Gateway, SCP's gateway).
    fn is_gateway(&self) -> bool {
        self.service_error()
            .is_some_and(|e| e.origin() == ErrorOrigin::Gateway)
    }

    /// The exchange failed: no connection, a timeout, a broken or unreadable response.
    fn is_transport(&self) -> bool {
        self.as_core().is_transport()
    }

    /// Bad input, caught before anything was sent.
    fn is_invalid_input(&self) -> bool {
        self.as_core().is_invalid_input()
    }

    /// No usable credentials.
    fn is_credentials(&self) -> bool {
        self.as_core().is_credentials()
    }
}

impl ErrorMetadata for Error {
    fn as_core(&self) -> &Error {
        self
    }
}

/// Declares a provider's error type: a boxed core [`Error`] with `Display` (the core error, then
/// `; hint: …` when the hint function has advice), `source()`, conversions from the core errors a
/// user meets (`Error`, `InvalidInput`, `CredentialsError`, so `?` works) and back into `Error`,
/// and [`ErrorMetadata`].
///
/// ```
/// imgshare_core::provider_error! {
///     /// An error from the example provider.
///     pub struct ExampleError;
///     hint: |e| e.code().filter(|c| *c == "Auth").map(|_| "check the key")
/// }
/// use imgshare_core::{ErrorMetadata, InvalidInput};
/// let e = ExampleError::from(InvalidInput::new("image_id", "is empty"));
/// assert!(e.is_invalid_input());
/// assert_eq!(e.to_string(), "invalid input: `image_id` is empty");
/// ```
#[macro_export]
macro_rules! provider_error {
    (
        $(#[$meta:meta])*
        pub struct $name:ident;
        hint: $hint:expr
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name(::std::boxed::Box<$crate::Error>);

        impl $name {
            /// The core error, by value.
            pub fn into_core(self) -> $crate::Error {
                *self.0
            }

            /// What to do about this error, when the provider's code has a usual fix.
            pub fn hint(&self) -> ::std::option::Option<&'static str> {
                let hint: fn(&$crate::Error) -> ::std::option::Option<&'static str> = $hint;
                hint(&self.0)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}", self.0)?;
                if let ::std::option::Option::Some(hint) = self.hint() {
                    ::std::write!(f, "; hint: {hint}")?;
                }
                ::std::result::Result::Ok(())
            }
        }

        impl ::std::error::Error for $name {
            // Display already shows the wrapped error, so continue the chain below it.
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                ::std::error::Error::source(&*self.0)
            }
        }

        impl $crate::ErrorMetadata for $name {
            fn as_core(&self) -> &$crate::Error {
                &self.0
            }
        }

        impl ::std::convert::From<$crate::Error> for $name {
            fn from(e: $crate::Error) -> Self {
                Self(::std::boxed::Box::new(e))
            }
        }

        impl ::std::convert::From<$crate::InvalidInput> for $name {
            fn from(e: $crate::InvalidInput) -> Self {
                Self::from($crate::Error::InvalidInput(e))
            }
        }

        impl ::std::convert::From<$crate::CredentialsError> for $name {
            fn from(e: $crate::CredentialsError) -> Self {
                Self::from($crate::Error::Credentials(e))
            }
        }

        impl ::std::convert::From<$name> for $crate::Error {
            fn from(e: $name) -> Self {
                *e.0
            }
        }
    };
}

/// One row of a provider's [`ErrorTable`]: a code, or a prefix of codes, who answers with it, and
/// what it means. Built in `const` context: `ErrorCode::exact("OverQuota", ErrorOrigin::Api)
/// .with_predicates(&["is_over_quota"])`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    code: &'static str,
    prefix: bool,
    origin: ErrorOrigin,
    kind: Option<ErrorKind>,
    hint: Option<&'static str>,
    predicates: &'static [&'static str],
}

impl ErrorCode {
    const fn new(code: &'static str, prefix: bool, origin: ErrorOrigin) -> Self {
        Self {
            code,
            prefix,
            origin,
            kind: None,
            hint: None,
            predicates: &[],
        }
    }

    /// A row for the code `code`, answered by `origin`.
    pub const fn exact(code: &'static str, origin: ErrorOrigin) -> Self {
        Self::new(code, false, origin)
    }

    /// A row for every code that starts with `prefix`, answered by `origin`.
    pub const fn prefix(prefix: &'static str, origin: ErrorOrigin) -> Self {
        Self::new(prefix, true, origin)
    }

    /// How the code bears on retrying.
    pub const fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// What to do about the code, shown after the error.
    pub const fn with_hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    /// The predicates (`is_*` method names) the code answers.
    pub const fn with_predicates(mut self, predicates: &'static [&'static str]) -> Self {
        self.predicates = predicates;
        self
    }

    /// The code, or the prefix.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// Whether the row stands for every code starting with [`ErrorCode::code`].
    pub fn is_prefix(&self) -> bool {
        self.prefix
    }

    /// Who answers with the code.
    pub fn origin(&self) -> ErrorOrigin {
        self.origin
    }

    /// How the code bears on retrying, if the code alone says.
    pub fn kind(&self) -> Option<ErrorKind> {
        self.kind
    }

    /// What to do about the code.
    pub fn hint(&self) -> Option<&'static str> {
        self.hint
    }

    /// The predicates the code answers.
    pub fn predicates(&self) -> &'static [&'static str] {
        self.predicates
    }
}

/// A provider's error codes, generated from its `api.toml`.
///
/// A code gets the meaning of its exact row and of every prefix row it starts with: it answers
/// the predicates of all of them, and its kind and hint are the exact row's, else the first
/// prefix row's (in table order) that has one. By default a row matches its code whoever
/// answered (the origin only documents it); [`ErrorTable::matching_origin`] makes the origin part
/// of the match, for providers whose gateway and API use the same codes for different things.
#[derive(Debug, Clone, Copy)]
pub struct ErrorTable {
    codes: &'static [ErrorCode],
    match_origin: bool,
}

impl ErrorTable {
    /// A table of `codes`.
    pub const fn new(codes: &'static [ErrorCode]) -> Self {
        Self {
            codes,
            match_origin: false,
        }
    }

    /// Makes a row match only codes from its own origin.
    pub const fn matching_origin(mut self) -> Self {
        self.match_origin = true;
        self
    }

    /// Every row, in table order.
    pub fn codes(&self) -> &'static [ErrorCode] {
        self.codes
    }

    /// The rows that apply to `code` from `origin`: exact rows first, then prefix rows.
    fn rows<'a>(
        &'a self,
        origin: ErrorOrigin,
        code: &'a str,
    ) -> impl Iterator<Item = &'static ErrorCode> + 'a {
        let codes = self.codes;
        let from = move |row: &&ErrorCode| !self.match_origin || row.origin == origin;
        let exact = codes
            .iter()
            .filter(move |row| !row.prefix && row.code == code)
            .filter(from);
        let prefixes = codes
            .iter()
            .filter(move |row| row.prefix && code.starts_with(row.code))
            .filter(from);
        exact.chain(prefixes)
    }

    /// How `code` from `origin` bears on retrying, when the table says.
    pub fn kind(&self, origin: ErrorOrigin, code: &str) -> Option<ErrorKind> {
        self.rows(origin, code).find_map(|row| row.kind)
    }

    /// What to do about `code` from `origin`, when the table says.
    pub fn hint(&self, origin: ErrorOrigin, code: &str) -> Option<&'static str> {
        self.rows(origin, code).find_map(|row| row.hint)
    }

    /// Whether `code` from `origin` answers `predicate`.
    pub fn answers(&self, origin: ErrorOrigin, code: &str, predicate: &str) -> bool {
        self.rows(origin, code)
            .any(|row| row.predicates.contains(&predicate))
    }

    /// The hint for a service error's code; `None` for other errors.
    pub fn hint_for(&self, error: &Error) -> Option<&'static str> {
        let service = error.as_service_error()?;
        self.hint(service.origin(), service.code())
    }

    /// Whether `error` is a service error whose code answers `predicate`.
    pub fn error_answers(&self, error: &Error, predicate: &str) -> bool {
        error
            .as_service_error()
            .is_some_and(|s| self.answers(s.origin(), s.code(), predicate))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const API: ErrorOrigin = ErrorOrigin::Api;
    const GATEWAY: ErrorOrigin = ErrorOrigin::Gateway;

    static TABLE: ErrorTable = ErrorTable::new(&[
        ErrorCode::exact("Limit", API)
            .with_kind(ErrorKind::Throttling)
            .with_hint("slow down")
            .with_predicates(&["is_throttled"]),
        ErrorCode::exact("Limit.Ip", API).with_hint("another address"),
        ErrorCode::exact("Limit.Uin", API).with_predicates(&["is_per_account"]),
        ErrorCode::prefix("Limit.", API)
            .with_kind(ErrorKind::Throttling)
            .with_hint("slow down")
            .with_predicates(&["is_throttled"]),
        ErrorCode::prefix("Limit.U", API).with_kind(ErrorKind::Client),
        ErrorCode::exact("200", GATEWAY)
            .with_kind(ErrorKind::Client)
            .with_predicates(&["is_auth_failure"]),
    ]);

    #[test]
    fn exact_rows_win_then_the_first_prefix_row() {
        assert_eq!(TABLE.kind(API, "Limit"), Some(ErrorKind::Throttling));
        // No kind of its own: the prefix row's.
        assert_eq!(TABLE.kind(API, "Limit.Ip"), Some(ErrorKind::Throttling));
        // Two prefix rows: the first in table order.
        assert_eq!(TABLE.kind(API, "Limit.Uin"), Some(ErrorKind::Throttling));
        assert_eq!(TABLE.hint(API, "Limit.Ip"), Some("another address"));
        assert_eq!(TABLE.hint(API, "Limit.Uin"), Some("slow down"));
        assert_eq!(TABLE.kind(API, "Other"), None);
        assert_eq!(TABLE.hint(API, "Other"), None);
        // A prefix is not the code without its dot.
        assert_eq!(TABLE.kind(API, "Limi"), None);
    }

    #[test]
    fn predicates_are_the_union_of_the_matching_rows() {
        assert!(TABLE.answers(API, "Limit.Uin", "is_per_account"));
        assert!(TABLE.answers(API, "Limit.Uin", "is_throttled"));
        assert!(!TABLE.answers(API, "Limit.Ip", "is_per_account"));
        assert!(!TABLE.answers(API, "Other", "is_throttled"));
    }

    #[test]
    fn the_origin_matters_only_when_the_table_says_so() {
        assert!(TABLE.answers(API, "200", "is_auth_failure"));
        let strict = TABLE.matching_origin();
        assert!(strict.answers(GATEWAY, "200", "is_auth_failure"));
        assert!(!strict.answers(API, "200", "is_auth_failure"));
        assert_eq!(strict.kind(API, "200"), None);
        assert_eq!(strict.kind(API, "Limit"), Some(ErrorKind::Throttling));
        assert_eq!(strict.kind(GATEWAY, "Limit"), None);
    }

    #[test]
    fn only_service_errors_answer() {
        let service = Error::Service(
            ServiceError::new("200", "m", 401, ErrorKind::Client).with_origin(GATEWAY),
        );
        let strict = TABLE.matching_origin();
        assert!(strict.error_answers(&service, "is_auth_failure"));
        assert_eq!(TABLE.hint_for(&service), None);
        let input = Error::InvalidInput(InvalidInput::new("image_id", "is empty"));
        assert!(!TABLE.error_answers(&input, "is_auth_failure"));
        assert_eq!(TABLE.hint_for(&input), None);
    }
}
