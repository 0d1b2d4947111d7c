//! What every provider error type shares: the [`ErrorMetadata`] trait, and
//! [`provider_error!`](macro@crate::provider_error) to declare such a type in a few lines.
//!
//! A provider error wraps the core [`Error`] (boxed, so a `Result<_, ProviderError>` stays one
//! pointer wide). The trait's default methods read everything from [`ErrorMetadata::as_core`], so
//! a provider crate writes that one method, plus predicates for its own codes.

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
