//! A string that never shows itself: redacted in `Debug` and `Display`, cleared on drop.

use std::fmt;
use zeroize::Zeroizing;

/// The marker printed wherever a secret would have been.
pub const REDACTED: &str = "** redacted **";

/// A secret string (secret key, session token).
///
/// `Debug` and `Display` print [`REDACTED`]; the bytes are overwritten with zeros when the value is
/// dropped. Read the value only where it is needed, with [`SecretString::expose_secret`].
///
/// ```
/// use imgshare_core::SecretString;
/// let s = SecretString::new("hunter2");
/// assert_eq!(format!("{s:?}"), "SecretString(** redacted **)");
/// assert_eq!(s.expose_secret(), "hunter2");
/// ```
/// The default is the empty string (a model field the answer left out).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The secret itself. Never log or format what this returns.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

/// Read from a response (temporary keys) straight into a secret, never through a plain field.
impl<'de> serde::Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretString({REDACTED})")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// A value that never shows itself in `Debug`: [`REDACTED`] stands in for it (a parsed
/// credentials file kept whole, say).
///
/// ```
/// use imgshare_core::Redacted;
/// let file = Redacted(String::from("secretKey = hunter2"));
/// assert_eq!(format!("{file:?}"), "** redacted **");
/// assert_eq!(file.0, "secretKey = hunter2");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Redacted<T>(pub T);

impl<T> fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}
