//! Small pieces of HTTP every cloud reads or writes the same way: headers, media types, form
//! encoding, request ids and HMAC.

use std::fmt::Display;

use hmac::digest::{KeyInit, Output};
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;
use wiremock::Request;

/// A header's value (lossy UTF-8), if present.
pub(crate) fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// The host the client addressed, as signed: the `Host` header, else the URL's host and port
/// (HTTP/2 carries it as `:authority`, which wiremock puts in the URL).
pub(crate) fn host(request: &Request) -> String {
    let url = &request.url;
    let authority = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (host, _) => host.unwrap_or_default().to_owned(),
    };
    header(request, "host").unwrap_or(authority)
}

/// The value of the first pair named `name`.
pub(crate) fn lookup<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Every header as `(name, value)` (values as lossy UTF-8).
pub(crate) fn headers(request: &Request) -> Vec<(String, String)> {
    let value = |v: &[u8]| String::from_utf8_lossy(v).into_owned();
    let headers = request.headers.iter();
    headers
        .map(|(n, v)| (n.as_str().to_owned(), value(v.as_bytes())))
        .collect()
}

/// Borrows owned pairs.
pub(crate) fn borrowed(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// True when `content_type` is `media` (any case) and its only parameter, if any, is
/// `charset=utf-8`.
pub(crate) fn is_media(content_type: &str, media: &str) -> bool {
    let mut parts = content_type.split(';').map(str::trim);
    parts.next().is_some_and(|m| m.eq_ignore_ascii_case(media))
        && parts.all(|p| {
            p.is_empty()
                || p.split_once('=').is_some_and(|(k, v)| {
                    k.trim().eq_ignore_ascii_case("charset")
                        && v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
                })
        })
}

/// A JSON object body; `None` when it is blank. Anything else is refused with `refuse` (the
/// cloud's error table): `body_not_json`, with the parse error, or `body_not_object`.
pub(crate) fn json_object<E>(
    body: &[u8],
    refuse: fn(&str, &[&dyn Display]) -> E,
) -> Result<Option<Map<String, Value>>, E> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => Ok(Some(object)),
        Ok(_) => Err(refuse("body_not_object", &[])),
        Err(e) => Err(refuse("body_not_json", &[&e])),
    }
}

/// Form-decodes one `application/x-www-form-urlencoded` component: `+` is a space, `%XY` a
/// byte; an invalid `%` escape is kept literally (as browsers do).
pub(crate) fn form_decode(component: &str) -> Vec<u8> {
    let plus_as_space = component.replace('+', " ");
    percent_encoding::percent_decode_str(&plus_as_space).collect()
}

/// Splits `a=1&b=2` into its pieces, each with its name and value form-decoded: empty pieces
/// are skipped, a piece without `=` has an empty value. Each cloud reads the bytes as UTF-8 its
/// own way.
pub(crate) fn form_pairs(text: &str) -> impl Iterator<Item = (&str, [Vec<u8>; 2])> {
    let pieces = text.split('&').filter(|piece| !piece.is_empty());
    pieces.map(|piece| {
        let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
        (piece, [form_decode(name), form_decode(value)])
    })
}

/// A random version-4 UUID, `8-4-4-4-12` lowercase hex: the shape of every provider's
/// request ids.
pub(crate) fn uuid_v4() -> String {
    // Version 4 and variant 10xx bits, so it parses as a UUID.
    let hi = (fastrand::u64(..) & 0xffff_ffff_ffff_0fff) | 0x4000;
    let lo = (fastrand::u64(..) & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

/// The first request id in an answer's body, as the providers spell it: Tencent's
/// `"RequestId"`, NAVER Cloud's `"requestId"` or `<requestId>`, SCP's `"request_id"` (service)
/// or `"requestId"` (gateway). Read as text, so a truncated body still gives its id.
pub(crate) fn answered_request_id(body: &[u8]) -> Option<String> {
    const KEYS: [&str; 4] = [
        "\"RequestId\"",
        "\"requestId\"",
        "\"request_id\"",
        "<requestId>",
    ];
    let text = &*String::from_utf8_lossy(body);
    fn id<'a>(key: &str, rest: &'a str) -> Option<&'a str> {
        if key.starts_with('<') {
            return rest.split('<').next();
        }
        // A key, not the end of a string value that happens to spell one.
        let value = rest.trim_start().strip_prefix(':')?.trim_start();
        value.strip_prefix('"')?.split('"').next()
    }
    let found = KEYS.into_iter().flat_map(|key| {
        let at = text.match_indices(key).map(|(at, _)| at);
        at.filter_map(move |at| Some((at, id(key, &text[at + key.len()..])?)))
    });
    found.min().map(|(_, id)| id.to_owned())
}

/// `template` with each `{name}` that `value` knows replaced, in one pass (so a value that looks
/// like a placeholder stays as it is); other braces are kept.
pub(crate) fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut pieces = template.split('{');
    let mut out = pieces.next().unwrap_or_default().to_owned();
    for piece in pieces {
        let filled = piece
            .split_once('}')
            .and_then(|(name, rest)| Some((value(name)?, rest)));
        match filled {
            Some((value, rest)) => out.extend([value.as_str(), rest]),
            None => out.extend(["{", piece]),
        }
    }
    out
}

/// HMAC of `message` under `key`, with the hash `M` names (`Hmac<Sha256>`, `Hmac<Sha1>`).
pub(crate) fn hmac<M: Mac + KeyInit>(key: &[u8], message: &[u8]) -> Output<M> {
    let mut mac = match <M as KeyInit>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    };
    mac.update(message);
    mac.finalize().into_bytes()
}

/// HMAC-SHA256 of `message` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    hmac::<Hmac<Sha256>>(key, message).into()
}

/// Compares without an early exit, as a real server should.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn media_types() {
        assert!(is_media("application/json", "application/json"));
        assert!(is_media(
            "Application/JSON;charset=UTF-8",
            "application/json"
        ));
        assert!(!is_media(
            "application/json; charset=latin1",
            "application/json"
        ));
        assert!(!is_media("", "application/json"));
        let form = "application/x-www-form-urlencoded";
        assert!(is_media(form, form));
        assert!(is_media(&format!("{form}; charset=UTF-8"), form));
        assert!(!is_media("application/json", form));
        assert!(!is_media(&format!("{form}; charset=latin1"), form));
        assert!(!is_media("multipart/form-data", "application/json"));
    }

    #[test]
    fn form_decoding() {
        assert_eq!(form_decode("a%2Bb+c%40d%20e"), b"a+b c@d e");
        assert_eq!(form_decode("%C3%A9"), "é".as_bytes());
        assert_eq!(form_decode("100%"), b"100%");
        assert_eq!(form_decode("%zz%4"), b"%zz%4");
        let pairs: Vec<_> = form_pairs("a=1&&b&c=&d=%FF").collect();
        let expected: [(&str, [&[u8]; 2]); 4] = [
            ("a=1", [b"a", b"1"]),
            ("b", [b"b", b""]),
            ("c=", [b"c", b""]),
            ("d=%FF", [b"d", b"\xff"]),
        ];
        assert_eq!(pairs.len(), expected.len());
        for ((piece, [name, value]), (want, [n, v])) in pairs.iter().zip(expected) {
            assert_eq!((*piece, name.as_slice(), value.as_slice()), (want, n, v));
        }
    }

    #[test]
    fn request_ids_are_read_from_every_body_shape() {
        let id = |body: &str| answered_request_id(body.as_bytes());
        let tencent =
            r#"{"Response":{"ImageSet":[{"ImageName":"a\"RequestId"}],"RequestId":"t-1"}}"#;
        assert_eq!(id(tencent).as_deref(), Some("t-1"));
        let truncated = r#"{"Response":{"RequestId":"t-2","SharePermissionSet":[{"Acc"#;
        assert_eq!(id(truncated).as_deref(), Some("t-2"));
        let ncloud = "{\n  \"x\": {\n    \"requestId\": \"n-1\",\n    \"returnCode\": \"0\"";
        assert_eq!(id(ncloud).as_deref(), Some("n-1"));
        let xml = "<xResponse>\n  <requestId>n-2</requestId>\n  <returnCode>0</returnCode>";
        assert_eq!(id(xml).as_deref(), Some("n-2"));
        let scp = r#"{"errors":[{"global_request_id":"req-g","request_id":"req-1"}]}"#;
        assert_eq!(id(scp).as_deref(), Some("req-1"));
        assert_eq!(id(r#"{"members":[],"status":"UNAUTHORIZED"}"#), None);
        assert_eq!(id("<html>502</html>"), None);
    }

    #[test]
    fn placeholders_are_filled_once() {
        let value = |name: &str| (name == "a").then(|| "{b}".to_owned());
        assert_eq!(fill("{a}-{b}-{a", value), "{b}-{b}-{a");
        assert_eq!(fill("x{a}}{}y{", value), "x{b}}{}y{");
        assert_eq!(fill("", value), "");
    }

    #[test]
    fn uuids_are_v4_shaped_and_fresh() {
        let a = uuid_v4();
        assert_ne!(a, uuid_v4());
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&a[14..15], "4");
        assert!(a.bytes().all(|c| c == b'-' || c.is_ascii_hexdigit()));
        // The version and variant (RFC 9562: 10xx) in every one of many: a mask that lets a
        // random bit through fails about half of them.
        for uuid in (0..64).map(|_| uuid_v4()) {
            assert_eq!(&uuid[14..15], "4", "{uuid}");
            assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"), "{uuid}");
        }
    }
}
