//! HTTP bindings: where an operation's fields go on the wire, and the one encoder that puts them
//! there.
//!
//! Each operation is declared once (in a provider's `api.toml`, generated into Rust by
//! `cargo xtask codegen`) as an [`HttpBinding`] — method, path template, body kind — and, for each
//! input field, a [`WireField`] naming its wire name and [`Location`]. [`encode_request`] turns
//! the fields into an [`HttpRequest`] against an endpoint. Nothing else in the SDK builds URLs or
//! bodies, so the rules below hold for every provider.
//!
//! # Encoding rules
//!
//! | where | rule | matches |
//! |---|---|---|
//! | path label `{name}` | one segment: every byte but RFC 3986 unreserved (`A-Z a-z 0-9 - . _ ~`) percent-encoded, so `/`, `?`, `#`, `%` and `@` never act as delimiters; empty, `.` and `..` refused | stricter than Go's `url.PathEscape` (the SCP provider's), which keeps sub-delimiters |
//! | query | `name=value` joined by `&`, both percent-encoded as for labels (space `%20`) | Python's `quote(v, safe="")`; Tencent's TC3 canonical query rule |
//! | form body | `application/x-www-form-urlencoded`: alphanumerics and `* - . _` kept, space `+`, the rest percent-encoded | Java's `URLEncoder.encode(v, "UTF-8")` (NCP's Java SDK `FormMarshaller`) |
//! | JSON body | a compact object of the JSON fields in declaration order | serde_json |
//! | header | checked with the `http` crate: a token name, a value without control characters | — |
//!
//! Lists flatten to `name.N` (1-based for NCP, 0-based for Tencent; [`ListBase`]) in queries and
//! forms, and stay arrays in JSON. The URL built here is the URL signed and the URL sent: the
//! signers read [`HttpRequest::url`] and the transport sends it unchanged, and a label that the
//! URL parser would rewrite is refused rather than sent somewhere else.
//!
//! An endpoint override must be an absolute `http` or `https` URL without user info, query or
//! fragment ([`parse_endpoint`]): user info would be sent as basic auth to a host the user did not
//! mean to trust, and a query or fragment would silently change what is signed.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::ser::{Serialize, SerializeMap, Serializer};
use url::Url;

use crate::error::InvalidInput;
use crate::http::{HttpRequest, Method};
use crate::wire::{ListBase, ToWire, WireValue, flatten_into};

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Where one input field goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Location {
    /// A `{label}` in the path template, escaped as one segment.
    Label,
    /// The query string.
    Query,
    /// An `application/x-www-form-urlencoded` body.
    Form,
    /// A member of the JSON object body.
    Json,
    /// An HTTP header.
    Header,
}

/// What kind of body an operation sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Body {
    /// No body (GET, DELETE, or a bodiless POST).
    None,
    /// A JSON object, `Content-Type: application/json`, sent even when it has no member.
    Json,
    /// A form, `Content-Type: application/x-www-form-urlencoded`.
    Form,
}

/// How an operation travels: its method, path template and body kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpBinding {
    /// The HTTP method.
    pub method: Method,
    /// The path template, labels in braces: `/v1/images/{image_id}/members`.
    pub path: &'static str,
    /// The body kind.
    pub body: Body,
}

/// One input field on its way to the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WireField {
    /// The builder's name for the field (`image_id`), used in errors.
    pub field: &'static str,
    /// The name on the wire (`ImageId`, `targetLoginIdList`, a path label's name).
    pub name: &'static str,
    /// Where it goes.
    pub location: Location,
    /// Its value.
    pub value: WireValue,
}

impl WireField {
    /// A field.
    pub fn new(
        field: &'static str,
        name: &'static str,
        location: Location,
        value: WireValue,
    ) -> Self {
        Self {
            field,
            name,
            location,
            value,
        }
    }

    /// A header every call carries (`Accept`, a version pin): its name is both the field's and
    /// the wire name.
    pub fn header(name: &'static str, value: impl ToWire) -> Self {
        Self::new(name, name, Location::Header, value.to_wire())
    }
}

/// The content type of a JSON body.
pub const JSON_CONTENT_TYPE: &str = "application/json";
/// The content type of a form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// A checked endpoint URL (see [`parse_endpoint`]), as a provider's config keeps it: it
/// dereferences to the [`Url`], and its `Debug` is the URL's text rather than its parts.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint(pub(crate) Url);

impl Endpoint {
    /// The URL.
    pub fn url(&self) -> &Url {
        &self.0
    }
}

impl std::ops::Deref for Endpoint {
    type Target = Url;

    fn deref(&self) -> &Url {
        &self.0
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.as_str(), f)
    }
}

/// Checks an endpoint override: an absolute `http`/`https` URL with a host and without user
/// info, query or fragment.
///
/// # Errors
///
/// [`InvalidInput`] naming `field` and saying what to remove.
pub fn parse_endpoint(field: &'static str, endpoint: &str) -> Result<Url, InvalidInput> {
    let url = Url::parse(endpoint).map_err(|e| {
        InvalidInput::new(
            field,
            format!(
                "is not an absolute URL ({e}); give e.g. `https://host` or `http://127.0.0.1:9000`"
            ),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(InvalidInput::new(
            field,
            format!("must be http or https, not `{}`", url.scheme()),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(InvalidInput::new(field, "has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(InvalidInput::new(
            field,
            "must not carry user info (`user:password@`): it would be sent to the host as basic auth",
        ));
    }
    if url.query().is_some() {
        return Err(InvalidInput::new(
            field,
            "must not have a query (`?…`): requests build their own",
        ));
    }
    if url.fragment().is_some() {
        return Err(InvalidInput::new(field, "must not have a fragment (`#…`)"));
    }
    Ok(url)
}

/// Percent-encodes `value` as one path segment.
///
/// # Errors
///
/// [`InvalidInput`] naming `field` for an empty value, `.` or `..` (which would address another
/// path).
pub fn encode_label(field: &str, value: &str) -> Result<String, InvalidInput> {
    match value {
        "" => Err(InvalidInput::new(
            field.to_owned(),
            "is empty, and it is part of the URL path",
        )),
        "." | ".." => Err(InvalidInput::new(
            field.to_owned(),
            format!("`{value}` would address another path"),
        )),
        _ => Ok(utf8_percent_encode(value, STRICT).to_string()),
    }
}

/// `name=value&…`, every name and value percent-encoded (space as `%20`).
pub fn encode_query(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.extend(utf8_percent_encode(name, STRICT));
        out.push('=');
        out.extend(utf8_percent_encode(value, STRICT));
    }
    out
}

/// `application/x-www-form-urlencoded` text of the pairs (space as `+`).
pub fn encode_form(pairs: &[(String, String)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        ser.append_pair(name, value);
    }
    ser.finish()
}

/// Builds the request for `binding` and `fields` against `endpoint`.
///
/// `list_base` says how lists flatten in queries and forms. The endpoint's own path, if any, is
/// kept as a prefix.
///
/// # Errors
///
/// [`InvalidInput`] naming the field when a label is empty, `.`, `..` or not a string, a label of
/// the template has no field, or a header cannot be sent.
pub fn encode_request(
    endpoint: &Url,
    binding: &HttpBinding,
    fields: &[WireField],
    list_base: ListBase,
) -> Result<HttpRequest, InvalidInput> {
    let path = expand_path(endpoint, binding.path, fields)?;
    let mut url = endpoint.clone();
    url.set_path(&path);
    if url.path() != path {
        // The URL parser rewrote the path (it resolves dot segments): never send elsewhere.
        return Err(InvalidInput::new(
            "path",
            format!("`{path}` is not a canonical path"),
        ));
    }
    let query = pairs_at(fields, Location::Query, list_base);
    url.set_query(None);
    if !query.is_empty() {
        url.set_query(Some(&encode_query(&query)));
    }
    let mut request = HttpRequest::new(binding.method, url);
    for field in fields.iter().filter(|f| f.location == Location::Header) {
        let value = header_value(field)?;
        request = request.with_header(field.name, value);
    }
    match binding.body {
        Body::None => {}
        Body::Json => {
            // Serialising strings, numbers and maps with string keys into a Vec cannot fail.
            let body = serde_json::to_vec(&JsonMembers(fields)).unwrap_or_else(|_| b"{}".to_vec());
            request = request
                .with_header("Content-Type", JSON_CONTENT_TYPE)
                .with_body(body);
        }
        Body::Form => {
            let form = encode_form(&pairs_at(fields, Location::Form, list_base));
            request = request
                .with_header("Content-Type", FORM_CONTENT_TYPE)
                .with_body(form);
        }
    }
    Ok(request)
}

/// The JSON body: the `Json` fields as one compact object, in order, read in place (as
/// [`to_json`](crate::wire::to_json) writes it, without first copying the values out).
struct JsonMembers<'a>(&'a [WireField]);

impl Serialize for JsonMembers<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for field in self.0.iter().filter(|f| f.location == Location::Json) {
            map.serialize_entry(field.name, &field.value)?;
        }
        map.end()
    }
}

/// The fields at `location` flattened to pairs, read in place.
fn pairs_at(fields: &[WireField], location: Location, base: ListBase) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for field in fields.iter().filter(|f| f.location == location) {
        flatten_into(field.name, &field.value, base, &mut pairs);
    }
    pairs
}

fn expand_path(
    endpoint: &Url,
    template: &str,
    fields: &[WireField],
) -> Result<String, InvalidInput> {
    let mut path = endpoint.path().trim_end_matches('/').to_owned();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            InvalidInput::new(
                "path",
                format!("template `{template}` has an unclosed label"),
            )
        })?;
        let name = &after[..close];
        let field = fields
            .iter()
            .find(|f| f.location == Location::Label && f.name == name)
            .ok_or_else(|| InvalidInput::missing(name.to_owned()))?;
        let WireValue::Str(value) = &field.value else {
            return Err(InvalidInput::new(
                field.field,
                "a path label must be a string",
            ));
        };
        path.push_str(&encode_label(field.field, value)?);
        rest = &after[close + 1..];
    }
    path.push_str(rest);
    if path.is_empty() {
        path.push('/');
    }
    Ok(path)
}

fn header_value(field: &WireField) -> Result<String, InvalidInput> {
    let value = match &field.value {
        WireValue::Str(s) => s.clone(),
        WireValue::Int(i) => i.to_string(),
        WireValue::UInt(u) => u.to_string(),
        WireValue::Bool(b) => b.to_string(),
        WireValue::List(_) | WireValue::Object(_) => {
            return Err(InvalidInput::new(
                field.field,
                "a header must be a single value",
            ));
        }
    };
    check_header(field.name, &value).map_err(|reason| InvalidInput::new(field.field, reason))?;
    Ok(value)
}

/// Checks a header name and value as the `http` crate does (RFC 9110): a token name, a value of
/// visible ASCII, spaces and tabs, or obs-text, without control characters.
///
/// # Errors
///
/// Why the header cannot be sent.
pub fn check_header(name: &str, value: &str) -> Result<(), HeaderProblem> {
    check_header_bytes(name, value.as_bytes())
}

/// [`check_header`] for a value given as bytes.
///
/// # Errors
///
/// Why the header cannot be sent.
pub fn check_header_bytes(name: &str, value: &[u8]) -> Result<(), HeaderProblem> {
    // The rules of `http::HeaderName::from_bytes` and `HeaderValue::from_bytes`, checked in
    // place: building those copies both into new buffers, twice per header per attempt
    // (encoding, then signing). `header_rules_match_the_http_crate` keeps them equal.
    let name_ok = (1..=MAX_HEADER_NAME_LEN).contains(&name.len()) && name.bytes().all(is_tchar);
    if !name_ok {
        return Err(HeaderProblem::Name);
    }
    if !value
        .iter()
        .all(|&b| (b >= 0x20 && b != 0x7f) || b == b'\t')
    {
        return Err(HeaderProblem::Value);
    }
    Ok(())
}

/// The longest header name the `http` crate accepts.
const MAX_HEADER_NAME_LEN: usize = (1 << 16) - 1;

/// An RFC 9110 `tchar`: a letter, a digit or one of ``!#$%&'*+-.^_`|~``.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Why a header cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderProblem {
    /// The name is not an HTTP token.
    Name,
    /// The value holds a control character (line break, NUL, …).
    Value,
}

impl HeaderProblem {
    /// A short explanation.
    pub fn reason(self) -> &'static str {
        match self {
            HeaderProblem::Name => "the name is not an HTTP token",
            HeaderProblem::Value => "the value holds a control character (line break, NUL, …)",
        }
    }
}

impl fmt::Display for HeaderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

impl From<HeaderProblem> for String {
    fn from(p: HeaderProblem) -> String {
        p.reason().to_owned()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn label(name: &'static str, value: &str) -> WireField {
        WireField::new(
            "image_id",
            name,
            Location::Label,
            WireValue::Str(value.into()),
        )
    }

    fn endpoint() -> Url {
        Url::parse("https://example.com").unwrap()
    }

    const MEMBERS: HttpBinding = HttpBinding {
        method: Method::Get,
        path: "/v1/images/{image_id}/members",
        body: Body::None,
    };

    #[test]
    fn an_endpoint_debugs_as_its_text() {
        // Catches Url's field-by-field Debug leaking into every provider config's Debug.
        let url = parse_endpoint("endpoint", "https://api.example.com/").unwrap();
        assert_eq!(
            format!("{:?}", Endpoint(url)),
            "\"https://api.example.com/\""
        );
    }

    #[test]
    fn labels_are_one_segment() {
        let request = encode_request(
            &endpoint(),
            &MEMBERS,
            &[label("image_id", "a/b?c#d%e f")],
            ListBase::One,
        )
        .unwrap();
        assert_eq!(
            request.url.path(),
            "/v1/images/a%2Fb%3Fc%23d%25e%20f/members"
        );
        assert_eq!(request.url.query(), None);
    }

    #[test]
    fn dot_segments_and_empty_labels_are_refused() {
        for bad in ["", ".", ".."] {
            let err = encode_request(
                &endpoint(),
                &MEMBERS,
                &[label("image_id", bad)],
                ListBase::One,
            )
            .unwrap_err();
            assert_eq!(err.field(), "image_id", "{bad:?}");
        }
        // Not a dot segment once escaped: stays inside the image's path.
        let ok = encode_request(
            &endpoint(),
            &MEMBERS,
            &[label("image_id", "../x")],
            ListBase::One,
        )
        .unwrap();
        assert_eq!(ok.url.path(), "/v1/images/..%2Fx/members");
    }

    #[test]
    fn endpoint_path_is_a_prefix() {
        let base = Url::parse("http://127.0.0.1:9/prefix/").unwrap();
        let request =
            encode_request(&base, &MEMBERS, &[label("image_id", "i")], ListBase::One).unwrap();
        assert_eq!(
            request.url.as_str(),
            "http://127.0.0.1:9/prefix/v1/images/i/members"
        );
    }

    #[test]
    fn endpoints_with_user_info_query_or_fragment_are_refused() {
        for bad in [
            "https://u:p@example.com",
            "https://example.com/?a=b",
            "https://example.com/#x",
            "ftp://example.com",
            "example.com",
        ] {
            assert!(parse_endpoint("endpoint", bad).is_err(), "{bad}");
        }
        assert!(parse_endpoint("endpoint", "http://127.0.0.1:9000").is_ok());
    }

    #[test]
    fn query_and_form_encode_differently() {
        let pairs = vec![("id.1".to_owned(), "a b+c@d~*".to_owned())];
        assert_eq!(encode_query(&pairs), "id.1=a%20b%2Bc%40d~%2A");
        assert_eq!(encode_form(&pairs), "id.1=a+b%2Bc%40d%7E*");
    }

    // The body is serialised from the fields in place; it must stay byte for byte what
    // `wire::to_json` writes, and leave the other locations out.
    #[test]
    fn json_body_is_to_json_of_the_json_fields() {
        use crate::wire::{ToWire, to_json};
        let members = vec![
            ("ImageId", "img-6pb6lrmy".to_wire()),
            ("AccountIds", vec!["1", "2"].to_wire()),
            (
                "Filters",
                WireValue::List(vec![WireValue::Object(vec![
                    ("Name", "image-type".to_wire()),
                    ("Values", vec!["PRIVATE_IMAGE"].to_wire()),
                ])]),
            ),
            ("Limit", 20u32.to_wire()),
        ];
        let mut fields: Vec<WireField> = members
            .iter()
            .map(|(name, value)| WireField::new("f", name, Location::Json, value.clone()))
            .collect();
        fields.insert(1, WireField::new("q", "q", Location::Query, "x".to_wire()));
        fields.push(WireField::new("h", "X-H", Location::Header, "y".to_wire()));
        let binding = HttpBinding {
            method: Method::Post,
            path: "/",
            body: Body::Json,
        };
        let request = encode_request(&endpoint(), &binding, &fields, ListBase::Zero).unwrap();
        assert_eq!(request.body, to_json(&members));
        assert_eq!(request.url.query(), Some("q=x"));
    }

    #[test]
    fn headers_are_checked() {
        assert_eq!(check_header("X-A", "v\r\nx"), Err(HeaderProblem::Value));
        assert_eq!(check_header("X A", "v"), Err(HeaderProblem::Name));
        assert!(check_header("X-A", "v\tw").is_ok());
    }

    #[test]
    fn user_info_is_refused_whichever_half_is_given() {
        // A user name alone, or a password alone, is sent as basic auth just the same.
        for bad in [
            "https://u@example.com",
            "https://:p@example.com",
            "https://u:p@example.com",
        ] {
            let err = parse_endpoint("endpoint", bad).unwrap_err();
            assert!(err.message().contains("user info"), "{bad}: {err}");
        }
    }

    #[test]
    fn each_label_takes_its_own_label_field() {
        const MEMBER: HttpBinding = HttpBinding {
            method: Method::Delete,
            path: "/v1/images/{image_id}/members/{member_id}",
            body: Body::None,
        };
        // A query field of the same name, and another label, come first: neither may fill
        // `{image_id}`.
        let fields = [
            WireField::new("q", "image_id", Location::Query, "q".to_wire()),
            label("member_id", "m"),
            label("image_id", "i"),
        ];
        let request = encode_request(&endpoint(), &MEMBER, &fields, ListBase::One).unwrap();
        assert_eq!(request.url.path(), "/v1/images/i/members/m");
        assert_eq!(request.url.query(), Some("image_id=q"));
    }

    #[test]
    fn header_fields_are_sent_as_their_text() {
        let binding = HttpBinding {
            method: Method::Get,
            path: "/",
            body: Body::None,
        };
        let fields = [
            WireField::new("s", "X-S", Location::Header, "v".to_wire()),
            WireField::new("i", "X-I", Location::Header, WireValue::Int(-3)),
            WireField::new("u", "X-U", Location::Header, WireValue::UInt(7)),
            WireField::new("b", "X-B", Location::Header, WireValue::Bool(true)),
        ];
        let request = encode_request(&endpoint(), &binding, &fields, ListBase::One).unwrap();
        let sent: Vec<Option<&str>> = ["X-S", "X-I", "X-U", "X-B"]
            .iter()
            .map(|name| request.header(name))
            .collect();
        assert_eq!(sent, [Some("v"), Some("-3"), Some("7"), Some("true")]);
        for (bad, why) in [
            (
                WireField::new("l", "X-L", Location::Header, vec!["a"].to_wire()),
                "a header must be a single value",
            ),
            (
                WireField::new("c", "X-C", Location::Header, "a\r\nb".to_wire()),
                "the value holds a control character (line break, NUL, …)",
            ),
            (
                WireField::new("n", "X N", Location::Header, "v".to_wire()),
                "the name is not an HTTP token",
            ),
        ] {
            let field = bad.field;
            let err = encode_request(&endpoint(), &binding, &[bad], ListBase::One).unwrap_err();
            assert_eq!((err.field(), err.message()), (field, why));
        }
    }

    #[test]
    fn header_problems_print_their_reason() {
        for problem in [HeaderProblem::Name, HeaderProblem::Value] {
            assert_eq!(problem.to_string(), problem.reason());
            assert!(problem.reason().starts_with("the "), "{problem:?}");
        }
    }

    /// What the `http` crate (and so reqwest) makes of a header.
    fn http_crate_verdict(name: &str, value: &[u8]) -> Result<(), HeaderProblem> {
        http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| HeaderProblem::Name)?;
        http::HeaderValue::from_bytes(value).map_err(|_| HeaderProblem::Value)?;
        Ok(())
    }

    #[test]
    fn header_name_length_limits_match_the_http_crate() {
        for len in [0, 1, 64, 65, (1 << 16) - 1, 1 << 16] {
            let name = "a".repeat(len);
            assert_eq!(
                check_header_bytes(&name, b"v"),
                http_crate_verdict(&name, b"v"),
                "{len}"
            );
        }
    }

    proptest::proptest! {
        // A header we pass must be one reqwest can send, and one we refuse one it would refuse.
        #[test]
        fn header_rules_match_the_http_crate(
            name in proptest::prop_oneof![
                "[a-zA-Z0-9!#$%&'*+.^_`|~-]{0,70}",
                "[a-zA-Z0-9-]{0,8}[\\x00-\\x7f][a-z]{0,4}",
                ".{0,8}",
            ],
            value in proptest::prop_oneof![
                proptest::collection::vec(0x20u8..=0xff, 0..40),
                proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
            ],
        ) {
            proptest::prop_assert_eq!(
                check_header_bytes(&name, &value),
                http_crate_verdict(&name, &value)
            );
        }
    }
}
