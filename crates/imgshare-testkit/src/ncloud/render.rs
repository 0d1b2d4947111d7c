//! One response tree, rendered as XML (the default) or JSON
//! (`responseFormatType=json`), shaped as the documented examples.
//!
//! - JSON: a single top-level `{action}Response` key, pretty-printed with
//!   two-space indents and `"key": value`, fields in the order built
//!   here (which follows the doc examples), list items as plain objects.
//! - XML: root element `{action}Response`, no declaration, CommonCode as
//!   `<x><code/><codeName/></x>`, lists as a wrapper element holding one
//!   singular child per item (`<serverImageList><serverImage>`,
//!   `<sharedLoginIdList><sharedLoginId>`, as documented), empty values and empty
//!   lists as self-closing elements.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A response value: JSON as serde writes it, XML by [`render`]. Read from the JSON templates
/// of `families.json`, keeping the fields' order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum Node {
    /// A JSON string; XML text.
    Text(String),
    /// A JSON number; XML text.
    Number(u64),
    /// A JSON boolean; XML `true`/`false`.
    Bool(bool),
    /// A JSON array; in XML one element per entry, named after the list without `List`.
    List(Vec<Node>),
    /// Named fields, in order.
    Object(IndexMap<String, Node>),
}

impl Node {
    /// The same tree with every text replaced by what `text` makes of it.
    pub(crate) fn map(&self, text: &impl Fn(&str) -> Node) -> Node {
        match self {
            Node::Text(value) => text(value),
            Node::Object(fields) => {
                let fields = fields.iter().map(|(k, v)| (k.clone(), v.map(text)));
                Node::Object(fields.collect())
            }
            Node::List(items) => Node::List(items.iter().map(|v| v.map(text)).collect()),
            other => other.clone(),
        }
    }
}

/// A JSON string; XML text.
pub(crate) fn text(value: &str) -> Node {
    Node::Text(value.to_owned())
}

/// Named fields, in order.
pub(crate) fn object(fields: Vec<(&str, Node)>) -> Node {
    Node::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// The wire format a caller asked for with `responseFormatType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Xml,
    Json,
}

impl Format {
    /// The `Content-Type` of a body in this format (the fake's choice; the documentation
    /// does not quote the gateway's header).
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "application/xml;charset=UTF-8",
            Format::Json => "application/json;charset=UTF-8",
        }
    }
}

/// Renders `{root: body}` in `format`.
pub(crate) fn render(format: Format, root: &str, body: &Node) -> String {
    let mut out = String::new();
    match format {
        Format::Xml => xml_element(&mut out, root, body, 0),
        Format::Json => {
            out = serde_json::to_string_pretty(&BTreeMap::from([(root, body)])).unwrap_or_default()
        }
    }
    out
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters even as references; the fake never
            // stores them, but keeps the output well-formed.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn xml_element(out: &mut String, name: &str, node: &Node, depth: usize) {
    let indent = "  ".repeat(depth);
    let (text, children): (String, Vec<(&str, &Node)>) = match node {
        Node::Text(text) => (xml_escape(text), Vec::new()),
        Node::Number(n) => (n.to_string(), Vec::new()),
        Node::Bool(b) => (b.to_string(), Vec::new()),
        Node::Object(fields) => (
            String::new(),
            fields.iter().map(|(k, v)| (&**k, v)).collect(),
        ),
        Node::List(items) => {
            let item = name.strip_suffix("List").unwrap_or(name);
            (String::new(), items.iter().map(|v| (item, v)).collect())
        }
    };
    // Empty values and lists are self-closing elements.
    let _ = match (text.is_empty(), children.is_empty()) {
        (false, _) => writeln!(out, "{indent}<{name}>{text}</{name}>"),
        (true, true) => writeln!(out, "{indent}<{name}/>"),
        (true, false) => writeln!(out, "{indent}<{name}>"),
    };
    if !children.is_empty() {
        for (child, value) in children {
            xml_element(out, child, value, depth + 1);
        }
        let _ = writeln!(out, "{indent}</{name}>");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn sample() -> Node {
        object(vec![
            ("requestId", text("")),
            ("returnCode", text("0")),
            ("totalRows", Node::Number(1)),
            (
                "sharedLoginIdList",
                Node::List(vec![text("a+b c@x.com"), text("<&\"'>")]),
            ),
            ("emptyList", Node::List(vec![])),
            (
                "shareStatus",
                object(vec![
                    ("code", text("SHARE")),
                    ("codeName", text("NSI Share SHARE State")),
                ]),
            ),
            ("flag", Node::Bool(false)),
        ])
    }

    #[test]
    fn xml_shape() {
        let xml = render(Format::Xml, "fooResponse", &sample());
        assert_eq!(
            xml,
            "<fooResponse>\n  <requestId/>\n  <returnCode>0</returnCode>\n  <totalRows>1</totalRows>\n  <sharedLoginIdList>\n    <sharedLoginId>a+b c@x.com</sharedLoginId>\n    <sharedLoginId>&lt;&amp;&quot;&apos;&gt;</sharedLoginId>\n  </sharedLoginIdList>\n  <emptyList/>\n  <shareStatus>\n    <code>SHARE</code>\n    <codeName>NSI Share SHARE State</codeName>\n  </shareStatus>\n  <flag>false</flag>\n</fooResponse>\n"
        );
    }

    #[test]
    fn json_is_valid_and_ordered() {
        let json = render(Format::Json, "fooResponse", &sample());
        assert!(json.starts_with("{\n  \"fooResponse\": {\n    \"requestId\": \"\",\n"));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let r = &value["fooResponse"];
        assert_eq!(r["totalRows"], 1);
        assert_eq!(r["sharedLoginIdList"][1], "<&\"'>");
        assert_eq!(r["emptyList"], serde_json::json!([]));
        assert_eq!(r["flag"], false);
        assert_eq!(r["shareStatus"]["code"], "SHARE");
    }

    #[test]
    fn json_escapes_control_characters() {
        let out = render(Format::Json, "r", &text("a\"b\\c\nd\u{1}é"));
        assert_eq!(out, "{\n  \"r\": \"a\\\"b\\\\c\\nd\\u0001é\"\n}");
    }

    #[test]
    fn templates_keep_their_order_and_types() {
        let node: Node =
            serde_json::from_str(r#"{"z": "a", "a": [1, true, {"y": "", "b": []}]}"#).unwrap();
        let json = serde_json::to_string(&node).unwrap();
        assert_eq!(json, r#"{"z":"a","a":[1,true,{"y":"","b":[]}]}"#);
    }
}
