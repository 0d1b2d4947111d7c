//! Property tests for `imgshare_core::decode`: no input makes it panic, and lenient fields read
//! the same values from JSON and XML.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use imgshare_core::decode::{self, Format, decode, decode_root, lenient};
use proptest::prelude::*;
use serde::Deserialize;

/// A model using every lenient helper, nested in a list, as provider models do.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Model {
    #[serde(rename = "returnCode", default, deserialize_with = "lenient::string")]
    return_code: String,
    #[serde(
        rename = "requestId",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    request_id: Option<String>,
    #[serde(rename = "totalRows", default, deserialize_with = "lenient::number")]
    total_rows: u32,
    #[serde(rename = "size", default, deserialize_with = "lenient::opt_number")]
    size: Option<i64>,
    #[serde(rename = "flag", default, deserialize_with = "lenient::bool")]
    flag: bool,
    #[serde(rename = "maybe", default, deserialize_with = "lenient::opt_bool")]
    maybe: Option<bool>,
    #[serde(rename = "ids", default, deserialize_with = "lenient::list")]
    ids: Vec<String>,
    #[serde(rename = "items", default, deserialize_with = "lenient::list")]
    items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Item {
    #[serde(rename = "no", default, deserialize_with = "lenient::opt_number")]
    no: Option<u64>,
    #[serde(rename = "names", default, deserialize_with = "lenient::list")]
    names: Vec<String>,
}

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("application/json; charset=utf-8".to_owned())),
        Just(Some("application/xml".to_owned())),
        Just(Some("text/xml".to_owned())),
        Just(Some("text/plain".to_owned())),
        Just(Some("text/html".to_owned())),
        Just(Some("application/problem+json".to_owned())),
        any::<String>().prop_map(Some),
    ]
}

fn prefixed_bytes() -> impl Strategy<Value = Vec<u8>> {
    (
        prop_oneof![
            Just(&b"{"[..]),
            Just(&b"["[..]),
            Just(&b"<"[..]),
            Just(&b"\xEF\xBB\xBF"[..]),
            Just(&b"\xEF\xBB\xBF<"[..]),
            Just(&b"\xEF\xBB\xBF{"[..]),
            Just(&b"<?xml version=\"1.0\"?>"[..]),
            Just(&b"<!DOCTYPE html>"[..]),
        ],
        proptest::collection::vec(any::<u8>(), 0..256),
    )
        .prop_map(|(prefix, rest)| [prefix, &rest[..]].concat())
}

/// Fragments that make well-formed-ish XML likely, to reach quick-xml's deserializer.
fn xmlish() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        "<(r|ids|items|item|no|names|totalRows|flag|size|x)>",
        "</(r|ids|items|item|no|names|totalRows|flag|size|x)>",
        "<(r|ids|items|no|names|flag|x)/>",
        "<(r|x) a=\"1\">",
        "[a-z0-9 ]{0,6}",
        Just("&amp;".to_owned()),
        Just("&bogus;".to_owned()),
        Just("<![CDATA[x]]>".to_owned()),
        Just("<!-- c -->".to_owned()),
        Just("<?pi x?>".to_owned()),
    ];
    proptest::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat().into_bytes())
}

/// Fragments of JSON, to reach serde_json's and the helpers' paths beyond the first byte.
fn jsonish() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        "\"(r|ids|items|no|names|totalRows|flag|size|maybe|\\$text)\"",
        "-?[0-9]{1,22}(\\.[0-9])?",
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("\"TRUE\"".to_owned()),
        Just("\"\"".to_owned()),
    ];
    proptest::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat().into_bytes())
}

fn any_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        prefixed_bytes(),
        xmlish(),
        jsonish(),
    ]
}

/// Escapes text for an XML element.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn decode_value_never_panics(ct in content_type(), body in any_body()) {
        let _ = decode::<serde_json::Value>(ct.as_deref(), &body);
    }

    #[test]
    fn decode_root_model_never_panics(ct in content_type(), body in any_body()) {
        let _ = decode_root::<Model>(ct.as_deref(), &body);
        let _ = decode_root::<serde_json::Value>(ct.as_deref(), &body);
    }

    #[test]
    fn errors_keep_a_bounded_excerpt(ct in content_type(), body in any_body()) {
        if let Err(e) = decode::<Model>(ct.as_deref(), &body) {
            // At most BODY_EXCERPT_LEN input bytes, each one character at most (lossy decoding
            // turns a bad byte into U+FFFD), plus the `…` marking a cut.
            let chars = e.body_excerpt().chars().count();
            prop_assert!(chars <= imgshare_core::error::BODY_EXCERPT_LEN + 1, "{} chars", chars);
            prop_assert!(!e.reason().is_empty());
        }
    }

    #[test]
    fn detection_follows_an_unambiguous_first_byte(ct in content_type(), rest in "[ -~]{0,40}") {
        let json = format!("\u{FEFF} {{{rest}");
        prop_assert_eq!(decode::detect_format(ct.as_deref(), json.as_bytes()), Some(Format::Json));
        let xml = format!("\n<a{rest}");
        prop_assert_eq!(decode::detect_format(ct.as_deref(), xml.as_bytes()), Some(Format::Xml));
    }

    #[test]
    fn numbers_read_the_same_from_json_numbers_json_strings_and_xml(
        rows in any::<u32>(),
        size in any::<i64>(),
    ) {
        let want = (rows, Some(size));
        for body in [
            format!(r#"{{"r": {{"totalRows": {rows}, "size": {size}}}}}"#),
            format!(r#"{{"r": {{"totalRows": "{rows}", "size": "{size}"}}}}"#),
            format!("<r><totalRows>{rows}</totalRows><size>{size}</size></r>"),
        ] {
            let (_, m) = decode_root::<Model>(None, body.as_bytes()).unwrap();
            prop_assert_eq!((m.total_rows, m.size), want, "{}", body);
        }
    }

    #[test]
    fn lists_read_the_same_from_json_arrays_and_xml_wrappers(
        ids in proptest::collection::vec("[a-zA-Z0-9@._&<>-]{1,12}", 0..5),
        items in proptest::collection::vec(
            (proptest::option::of(any::<u64>()), proptest::collection::vec("[a-z]{1,5}", 0..3)),
            0..4,
        ),
    ) {
        let json = serde_json::json!({"r": {
            "ids": ids,
            "items": items.iter().map(|(no, names)| serde_json::json!({"no": no, "names": names}))
                .collect::<Vec<_>>(),
        }});
        let xml_ids: String = ids
            .iter()
            .map(|id| format!("<id>{}</id>", xml_escape(id)))
            .collect();
        let xml_items: String = items
            .iter()
            .map(|(no, names)| {
                let no = no.map(|n| format!("<no>{n}</no>")).unwrap_or_else(|| "<no/>".into());
                let names: String = names.iter().map(|n| format!("<name>{n}</name>")).collect();
                format!("<item>{no}<names>{names}</names></item>")
            })
            .collect();
        let xml = format!("<r><ids>{xml_ids}</ids><items>{xml_items}</items></r>");

        let (_, from_json) = decode_root::<Model>(None, json.to_string().as_bytes()).unwrap();
        let (_, from_xml) = decode_root::<Model>(None, xml.as_bytes()).unwrap();
        prop_assert_eq!(&from_json, &from_xml);
        prop_assert_eq!(&from_json.ids, &ids);
        let got: Vec<_> = from_json.items.iter().map(|i| (i.no, i.names.clone())).collect();
        prop_assert_eq!(got, items);
    }
}
