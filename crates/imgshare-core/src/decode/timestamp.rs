//! A timestamp kept exactly as the server sent it, read on demand: an answer whose time is in a
//! form imgshare cannot read still decodes, and the text is not lost.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::lenient;

/// A server timestamp as received (`2025-07-22T09:00:00Z`), with [`datetime`](Self::datetime)
/// to read it. Decodes from any scalar (a string, a number) without failing; `Display` and
/// `Serialize` give the received text back unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Timestamp(String);

impl Timestamp {
    /// A timestamp from its text, as a server would send it.
    pub fn new(text: impl Into<String>) -> Self {
        Timestamp(text.into())
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The time, read with [`lenient::parse_datetime`] (RFC 3339, or without a zone as UTC).
    ///
    /// # Errors
    ///
    /// [`UnparsedTimestamp`], holding the text, when it is in neither form.
    pub fn datetime(&self) -> Result<OffsetDateTime, UnparsedTimestamp> {
        lenient::parse_datetime(&self.0).ok_or_else(|| UnparsedTimestamp(self.0.clone()))
    }
}

impl From<OffsetDateTime> for Timestamp {
    /// The time in RFC 3339 (for tests and fakes).
    fn from(time: OffsetDateTime) -> Self {
        // An RFC 3339 rendering fails only for years outside 0..=9999; keep something readable.
        Timestamp(time.format(&Rfc3339).unwrap_or_else(|_| time.to_string()))
    }
}

impl From<&str> for Timestamp {
    fn from(text: &str) -> Self {
        Timestamp::new(text)
    }
}

impl From<String> for Timestamp {
    fn from(text: String) -> Self {
        Timestamp(text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::string(d).map(Timestamp)
    }
}

/// A [`Timestamp`] whose text is not a time imgshare can read; the text is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnparsedTimestamp(String);

impl UnparsedTimestamp {
    /// The text as received.
    pub fn text(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnparsedTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Debug-quoted: the text came from a server and may hold control characters.
        write!(
            f,
            "{:?} is not a time imgshare can read (RFC 3339, or without a zone as UTC)",
            self.0
        )
    }
}

impl std::error::Error for UnparsedTimestamp {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::datetime;

    // Catches: an unreadable time dropped to `None` (or failing the whole answer) instead of
    // being kept with an error that says so.
    #[test]
    fn unreadable_text_is_kept_and_reported() {
        let t: Timestamp = serde_json::from_str(r#""22/07/2025 9h""#).unwrap();
        assert_eq!(t.as_str(), "22/07/2025 9h");
        let e = t.datetime().unwrap_err();
        assert_eq!(e.text(), "22/07/2025 9h");
        assert!(
            e.to_string().contains("\"22/07/2025 9h\" is not a time"),
            "{e}"
        );
        let escaped = Timestamp::new("x\u{1b}[2J")
            .datetime()
            .unwrap_err()
            .to_string();
        assert!(!escaped.contains('\u{1b}'), "{escaped}");
    }

    #[test]
    fn readable_text_round_trips_unchanged() {
        for text in [
            "2025-07-22T09:00:00Z",
            "2025-07-22T18:00:00+09:00",
            "2025-07-22T09:00:00",
        ] {
            let t: Timestamp = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(t.datetime().unwrap(), datetime!(2025-07-22 09:00:00 UTC));
            assert_eq!(serde_json::to_value(&t).unwrap(), serde_json::json!(text));
            assert_eq!(t.to_string(), text);
        }
        let from_time = Timestamp::from(datetime!(2025-07-22 09:00:00 UTC));
        assert_eq!(from_time.as_str(), "2025-07-22T09:00:00Z");
        // A number is a scalar too: kept as its text.
        let n: Timestamp = serde_json::from_str("1753174800").unwrap();
        assert_eq!(n.as_str(), "1753174800");
    }
}
