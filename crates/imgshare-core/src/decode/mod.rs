//! Response decoding: JSON **and** XML into the same serde types.
//!
//! NCP answers in XML unless asked for JSON, and both shapes carry the same fields, so a provider
//! model is written once with `#[derive(Deserialize)]` and decoded from either format:
//!
//! - [`detect_format`] picks the format from the `Content-Type` header and the body's first byte;
//! - [`decode`] / [`decode_as`] turn a body into any `T: DeserializeOwned`;
//! - [`decode_root`] also returns the name of the document's root (`{"fooResponse": {…}}` or
//!   `<fooResponse>…</fooResponse>`), which is how NCP wraps every answer;
//! - [`lenient`] holds `deserialize_with` helpers that read one field the same way from both
//!   formats (numbers sent as strings, lists as wrapper elements, empty elements as absent values);
//! - [`Timestamp`] keeps a server's time as received and reads it on demand.
//!
//! Failures are a [`DecodeError`] naming the format, serde's message and the start of the body.
//!
//! ```
//! use imgshare_core::decode::{self, lenient};
//! use serde::Deserialize;
//!
//! #[derive(Debug, Deserialize)]
//! struct Answer {
//!     #[serde(rename = "returnCode", default, deserialize_with = "lenient::number")]
//!     return_code: u32,
//!     #[serde(rename = "sharedLoginIdList", default, deserialize_with = "lenient::list")]
//!     shared: Vec<String>,
//! }
//!
//! let json = br#"{"fooResponse": {"returnCode": "0", "sharedLoginIdList": ["a"]}}"#;
//! let xml = b"<fooResponse><returnCode>0</returnCode>\
//!             <sharedLoginIdList><sharedLoginId>a</sharedLoginId></sharedLoginIdList></fooResponse>";
//! for body in [&json[..], &xml[..]] {
//!     let (root, answer) = decode::decode_root::<Answer>(None, body)?;
//!     assert_eq!(root, "fooResponse");
//!     assert_eq!((answer.return_code, answer.shared), (0, vec!["a".to_owned()]));
//! }
//! # Ok::<(), decode::DecodeError>(())
//! ```

use std::fmt;
use std::marker::PhantomData;

use quick_xml::events::Event;
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer as _, MapAccess, Visitor};

use crate::error::body_excerpt;

pub mod lenient;
mod timestamp;

pub use timestamp::{Timestamp, UnparsedTimestamp};

/// The serialization format of a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON (`application/json`, `text/json`, `*+json`).
    Json,
    /// XML (`application/xml`, `text/xml`, `*+xml`).
    Xml,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Json => "JSON",
            Format::Xml => "XML",
        })
    }
}

/// A body that could not be decoded: which format was tried, what failed, and how the body starts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not decode the {} body: {reason}; body starts: {body_excerpt:?}", describe(.format))]
pub struct DecodeError {
    format: Option<Format>,
    reason: String,
    body_excerpt: String,
}

fn describe(format: &Option<Format>) -> &'static str {
    match format {
        Some(Format::Json) => "JSON",
        Some(Format::Xml) => "XML",
        None => "response",
    }
}

impl DecodeError {
    /// An error about `body`, decoded as `format` (`None`: no format could be told). The body is
    /// kept as an excerpt of at most [`BODY_EXCERPT_LEN`](crate::error::BODY_EXCERPT_LEN) bytes.
    pub fn new(format: Option<Format>, reason: impl Into<String>, body: &[u8]) -> Self {
        Self {
            format,
            reason: reason.into(),
            body_excerpt: body_excerpt(strip_bom(body)),
        }
    }

    /// The format the body was decoded as; `None` when it was neither JSON nor XML.
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// What failed: serde's message (with line and column for JSON, a byte offset for XML), or
    /// why no format applied.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The start of the body, lossily decoded and cut as by [`crate::error::body_excerpt`].
    pub fn body_excerpt(&self) -> &str {
        &self.body_excerpt
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Deepest XML element nesting accepted; serde_json stops at the same depth. quick-xml's
/// deserializer recurses without a limit, so a hostile body could otherwise overflow the stack.
const MAX_XML_DEPTH: usize = 128;

/// `body` without a leading UTF-8 byte-order mark.
pub fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(UTF8_BOM).unwrap_or(body)
}

/// What the first bytes of a body look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Json,
    Xml,
    Html,
    Empty,
    /// Starts with this other byte.
    Other(u8),
}

fn shape(body: &[u8]) -> Shape {
    let body = strip_bom(body);
    let Some(start) = body.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Shape::Empty;
    };
    let rest = &body[start..];
    match rest[0] {
        b'{' | b'[' => Shape::Json,
        b'<' if starts_with_ignore_case(rest, b"<!doctype html")
            || starts_with_ignore_case(rest, b"<html") =>
        {
            Shape::Html
        }
        b'<' => Shape::Xml,
        other => Shape::Other(other),
    }
}

fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// The format the body's first non-space byte (after a UTF-8 BOM) announces: `{` or `[` → JSON,
/// `<` → XML. An HTML page (`<!DOCTYPE html`, `<html`) is neither: gateways and proxies answer
/// with one on errors, and it must not be taken for an API document.
pub fn sniff(body: &[u8]) -> Option<Format> {
    match shape(body) {
        Shape::Json => Some(Format::Json),
        Shape::Xml => Some(Format::Xml),
        Shape::Html | Shape::Empty | Shape::Other(_) => None,
    }
}

/// The format a `Content-Type` names, ignoring parameters and case: `application/json`,
/// `text/json` and `*/*+json` → JSON; `application/xml`, `text/xml` and `*/*+xml` → XML; anything
/// else (`text/plain`, `text/html`) → `None`.
pub fn format_from_content_type(content_type: &str) -> Option<Format> {
    // Compared in place, not lowercased into a new string: this runs on every response.
    let media = content_type.split(';').next().unwrap_or_default().trim();
    let is = |name: &str| media.eq_ignore_ascii_case(name);
    let ends_with = |suffix: &str| {
        media.len() >= suffix.len()
            && media.as_bytes()[media.len() - suffix.len()..]
                .eq_ignore_ascii_case(suffix.as_bytes())
    };
    if is("application/json") || is("text/json") {
        Some(Format::Json)
    } else if is("application/xml") || is("text/xml") {
        Some(Format::Xml)
    } else if media.contains('/') && ends_with("+json") {
        Some(Format::Json)
    } else if media.contains('/') && ends_with("+xml") {
        Some(Format::Xml)
    } else {
        None
    }
}

/// The format to decode `body` as.
///
/// Chosen by Content-Type; sniffing decides when the header is missing, unknown, or contradicts
/// the body's first byte. Servers do mislabel bodies (NCP's gateway, proxies answering
/// `text/plain`), while a body starting with `{` or `<` cannot be the other format. A body that
/// starts with neither is taken as JSON only if the header says JSON and the byte can begin a JSON
/// value (`"abc"`, `12`, `true`); an HTML page is never JSON or XML.
pub fn detect_format(content_type: Option<&str>, body: &[u8]) -> Option<Format> {
    let declared = content_type.and_then(format_from_content_type);
    match shape(body) {
        Shape::Json => Some(Format::Json),
        Shape::Xml => Some(Format::Xml),
        Shape::Html => None,
        // Nothing to sniff: only the header can tell.
        Shape::Empty => declared,
        Shape::Other(byte) => match declared {
            Some(Format::Json) if can_start_json_value(byte) => Some(Format::Json),
            _ => None,
        },
    }
}

fn can_start_json_value(byte: u8) -> bool {
    matches!(byte, b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n')
}

/// Like [`detect_format`], but says why when no format applies or there is nothing to decode.
fn resolve_format(content_type: Option<&str>, body: &[u8]) -> Result<Format, DecodeError> {
    let declared = content_type.and_then(format_from_content_type);
    let shown = content_type.unwrap_or("none");
    match (shape(body), detect_format(content_type, body)) {
        (Shape::Empty, format) => Err(DecodeError::new(
            format,
            match format {
                Some(_) => "the body is empty".to_owned(),
                None => {
                    format!("the body is empty, so neither JSON nor XML (content type {shown})")
                }
            },
            body,
        )),
        (Shape::Html, _) => Err(DecodeError::new(
            None,
            format!("the body is an HTML page, neither JSON nor XML (content type {shown})"),
            body,
        )),
        (_, Some(format)) => Ok(format),
        (_, None) => Err(DecodeError::new(
            None,
            match declared {
                Some(said) => format!(
                    "the body is neither JSON nor XML although the content type ({shown}) says {said}"
                ),
                None => format!("the body is neither JSON nor XML (content type {shown})"),
            },
            body,
        )),
    }
}

/// Decodes `body` into `T`, in the format [`detect_format`] picks from `content_type` and the body.
///
/// # Errors
///
/// A [`DecodeError`] when the body is empty, neither JSON nor XML, malformed, or not shaped
/// like `T`.
pub fn decode<T: DeserializeOwned>(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<T, DecodeError> {
    decode_as(resolve_format(content_type, body)?, body)
}

/// Decodes an operation's output: an empty body (a 204, or a 200 with nothing in it) becomes a
/// unit output such as `()`; anything else is decoded as [`decode`] does.
///
/// # Errors
///
/// A [`DecodeError`] as for [`decode`]; for an empty body, when `T` needs content.
pub fn decode_output<T: DeserializeOwned>(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<T, DecodeError> {
    if strip_bom(body).iter().all(u8::is_ascii_whitespace) {
        let unit = de::value::UnitDeserializer::<de::value::Error>::new();
        return T::deserialize(unit).map_err(|e| {
            DecodeError::new(
                None,
                format!("the body is empty, but the output needs content ({e})"),
                body,
            )
        });
    }
    decode(content_type, body)
}

/// Decodes `body` into `T` as `format`, after stripping a UTF-8 BOM.
///
/// For XML, `T` is filled from the root element's attributes (`@name`) and children, whatever the
/// root is called; see [`lenient`] for fields that must read the same from both formats.
///
/// # Errors
///
/// A [`DecodeError`] when the body is malformed or not shaped like `T`. XML must be UTF-8, have
/// one root element, nest at most 128 deep, and not be an HTML page.
pub fn decode_as<T: DeserializeOwned>(format: Format, body: &[u8]) -> Result<T, DecodeError> {
    match format {
        Format::Json => serde_json::from_slice(strip_bom(body)).map_err(|e| json_error(&e, body)),
        Format::Xml => xml::decode(body).map(|(_, value)| value),
    }
}

/// Decodes a document whose root is named, returning the name and the root's content as `T`.
///
/// A document whose root is named: JSON `{"fooResponse": {...}}` (single top-level member) and
/// XML `<fooResponse>...</fooResponse>` both give ("fooResponse", T). Lets one serde type serve
/// NCP's JSON and XML. The format is picked as in [`decode`]; an XML root's namespace prefix is
/// dropped.
///
/// # Errors
///
/// A [`DecodeError`] as for [`decode`], and also when a JSON body is not an object with exactly one
/// member.
pub fn decode_root<T: DeserializeOwned>(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(String, T), DecodeError> {
    match resolve_format(content_type, body)? {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_slice(strip_bom(body));
            de.deserialize_map(RootVisitor::<T>(PhantomData))
                .and_then(|rooted| de.end().map(|()| rooted))
                .map_err(|e| json_error(&e, body))
        }
        Format::Xml => xml::decode(body),
    }
}

/// A string member of a JSON object that is not blank, trimmed; `None` when `doc` is not an
/// object, or the member is absent, not a string or only white space. For documents whose
/// writers pad or blank their values (credential and configuration files, metadata answers).
pub fn json_text<'a>(doc: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    let text = doc.get(key)?.as_str()?.trim();
    (!text.is_empty()).then_some(text)
}

/// Decodes the member `name` of a JSON object into `T`, skipping the other members without
/// building them (Tencent's `{"Response": {…}}`).
///
/// # Errors
///
/// A [`DecodeError`] as for [`decode`], when the body is not JSON, or when the object has no
/// member `name`.
pub fn decode_member<T: DeserializeOwned>(
    content_type: Option<&str>,
    body: &[u8],
    name: &'static str,
) -> Result<T, DecodeError> {
    match resolve_format(content_type, body)? {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_slice(strip_bom(body));
            de.deserialize_map(MemberVisitor::<T>(name, PhantomData))
                .and_then(|value| de.end().map(|()| value))
                .map_err(|e| json_error(&e, body))
        }
        Format::Xml => Err(DecodeError::new(
            Some(Format::Xml),
            format!("expected a JSON object with a `{name}` member, got XML"),
            body,
        )),
    }
}

/// Reads one member of a JSON object, ignoring the others.
struct MemberVisitor<T>(&'static str, PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for MemberVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with a `{}` member", self.0)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.0 && found.is_none() {
                found = Some(map.next_value::<T>()?);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        found.ok_or_else(|| de::Error::missing_field(self.0))
    }
}

fn json_error(error: &serde_json::Error, body: &[u8]) -> DecodeError {
    // serde_json's Display already ends with "at line L column C".
    DecodeError::new(Some(Format::Json), error.to_string(), body)
}

/// Reads a JSON object with one member into (its name, its value).
struct RootVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for RootVisitor<T> {
    type Value = (String, T);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"an object with one member naming the response, like {"fooResponse": {…}}"#)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Some(name) = map.next_key::<String>()? else {
            return Err(de::Error::custom(
                "the top-level object is empty; expected one member naming the response",
            ));
        };
        let value = map.next_value::<T>()?;
        if let Some(other) = map.next_key::<String>()? {
            return Err(de::Error::custom(format_args!(
                "expected one top-level member naming the response, found `{name}` and `{other}`"
            )));
        }
        Ok((name, value))
    }
}

mod xml {
    //! XML through quick-xml's serde deserializer, behind a first pass that finds the root
    //! element and checks the document is well formed and not too deep.

    use super::{DecodeError, Event, Format, MAX_XML_DEPTH, strip_bom};
    use serde::de::DeserializeOwned;

    /// Where the root element starts in the text, and its local name.
    struct Root {
        offset: usize,
        name: String,
    }

    pub(super) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<(String, T), DecodeError> {
        let err = |reason: String| DecodeError::new(Some(Format::Xml), reason, body);
        let text = std::str::from_utf8(strip_bom(body))
            .map_err(|e| err(format!("the body is not valid UTF-8: {e}")))?;
        let root = scan(text).map_err(err)?;
        if root.name.eq_ignore_ascii_case("html") {
            return Err(DecodeError::new(
                None,
                "the body is an HTML page, neither JSON nor XML",
                body,
            ));
        }
        // Start at the root: quick-xml's `deserialize_any` at the top would otherwise see the
        // whitespace after `<?xml …?>` as the document's value.
        let from_root = text.get(root.offset..).unwrap_or(text);
        let mut de = quick_xml::de::Deserializer::from_str(from_root);
        match T::deserialize(&mut de) {
            Ok(value) => Ok((root.name, value)),
            Err(e) => {
                let at = de.get_ref().get_ref().buffer_position() + root.offset as u64;
                Err(err(format!("{e} (reading stopped at byte {at})")))
            }
        }
    }

    /// One pass over the whole document: well-formedness (quick-xml's serde layer reports
    /// syntax errors without positions), one root, bounded depth.
    fn scan(text: &str) -> Result<Root, String> {
        let mut reader = quick_xml::Reader::from_str(text);
        let mut root: Option<Root> = None;
        let mut depth = 0usize;
        loop {
            let before = reader.buffer_position();
            let event = reader
                .read_event()
                .map_err(|e| format!("malformed XML at byte {}: {e}", reader.error_position()))?;
            match event {
                Event::Start(_) | Event::Empty(_) if root.is_some() && depth == 0 => {
                    return Err(format!("a second root element at byte {before}"));
                }
                Event::Start(ref e) | Event::Empty(ref e) => {
                    if root.is_none() {
                        let name = std::str::from_utf8(e.local_name().into_inner())
                            .map_err(|e| format!("root element name is not UTF-8: {e}"))?;
                        root = Some(Root {
                            offset: usize::try_from(before).unwrap_or(0),
                            name: name.to_owned(),
                        });
                    }
                    if matches!(event, Event::Start(_)) {
                        depth += 1;
                        if depth > MAX_XML_DEPTH {
                            return Err(format!(
                                "elements nest deeper than {MAX_XML_DEPTH} levels at byte {before}"
                            ));
                        }
                    }
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                Event::Text(ref t) if depth == 0 && !t.iter().all(u8::is_ascii_whitespace) => {
                    let place = if root.is_some() { "after" } else { "before" };
                    return Err(format!("text {place} the root element at byte {before}"));
                }
                Event::CData(_) | Event::GeneralRef(_) if depth == 0 => {
                    let place = if root.is_some() { "after" } else { "before" };
                    return Err(format!("content {place} the root element at byte {before}"));
                }
                // quick-xml's deserializer skips a DOCTYPE without merging the text around it,
                // and two text events in a row reach an `unreachable!()` there (found by the
                // fuzz run): a DOCTYPE belongs before the root, nowhere else.
                Event::DocType(_) if root.is_some() => {
                    return Err(format!(
                        "a DOCTYPE after the root element started, at byte {before}"
                    ));
                }
                Event::Eof => {
                    return match root {
                        Some(_) if depth > 0 => Err(format!(
                            "the document ends inside an element (truncated?) at byte {before}"
                        )),
                        Some(root) => Ok(root),
                        None => Err("no root element".to_owned()),
                    };
                }
                // Declaration, comments, processing instructions, DOCTYPE, and content inside
                // the root (the deserializer reads that).
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn sniffs_after_bom_and_space() {
        assert_eq!(sniff(b"\xEF\xBB\xBF \n{}"), Some(Format::Json));
        assert_eq!(sniff(b" [1]"), Some(Format::Json));
        assert_eq!(sniff(b"\xEF\xBB\xBF<a/>"), Some(Format::Xml));
        assert_eq!(sniff(b"<!DOCTYPE html><html></html>"), None);
        assert_eq!(sniff(b"  <HTML>"), None);
        assert_eq!(sniff(b"oops"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn content_types() {
        for (ct, want) in [
            ("application/json; charset=utf-8", Some(Format::Json)),
            ("Application/JSON", Some(Format::Json)),
            ("text/json", Some(Format::Json)),
            ("application/problem+json", Some(Format::Json)),
            ("application/xml", Some(Format::Xml)),
            ("text/xml;charset=UTF-8", Some(Format::Xml)),
            ("application/atom+xml", Some(Format::Xml)),
            ("APPLICATION/PROBLEM+JSON", Some(Format::Json)),
            (" Application/Atom+XML ; q=1", Some(Format::Xml)),
            ("application/jsonx", None),
            ("application/é+json", Some(Format::Json)),
            ("é", None),
            ("text/plain", None),
            ("text/html", None),
            ("+json", None),
            ("", None),
        ] {
            assert_eq!(format_from_content_type(ct), want, "{ct}");
        }
    }

    #[test]
    fn detection_prefers_the_body_when_they_disagree() {
        let json = Some("application/json");
        let xml = Some("application/xml");
        assert_eq!(detect_format(json, b"<a/>"), Some(Format::Xml));
        assert_eq!(detect_format(xml, b"{}"), Some(Format::Json));
        assert_eq!(detect_format(json, b"\"text\""), Some(Format::Json));
        assert_eq!(detect_format(json, b"Service Unavailable"), None);
        assert_eq!(detect_format(xml, b"Service Unavailable"), None);
        assert_eq!(detect_format(xml, b"<html><body/></html>"), None);
        assert_eq!(detect_format(json, b""), Some(Format::Json));
        assert_eq!(detect_format(None, b""), None);
    }

    #[test]
    fn xml_scan_rejects_bad_documents() {
        for (doc, needle) in [
            ("", "no root element"),
            ("<?xml version=\"1.0\"?>\n<!-- c -->", "no root element"),
            ("x<a/>", "text before the root element"),
            ("<a/><b/>", "a second root element"),
            ("<a/>x", "text after the root element"),
            ("<a><b></a>", "malformed XML"),
            ("<a><b>", "ends inside an element"),
        ] {
            match xml::decode::<serde_json::Value>(doc.as_bytes()) {
                Err(e) => assert!(e.reason().contains(needle), "{doc}: {e}"),
                Ok(v) => panic!("{doc} decoded to {v:?}"),
            }
        }
    }

    #[test]
    fn xml_root_offset_skips_the_prologue() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- hi -->\n<ns:rootResponse xmlns:ns=\"urn:x\"><a>1</a></ns:rootResponse>\n";
        let (name, value) = xml::decode::<serde_json::Value>(doc.as_bytes()).unwrap();
        assert_eq!(name, "rootResponse");
        assert_eq!(value["a"]["$text"], "1");
    }
}
