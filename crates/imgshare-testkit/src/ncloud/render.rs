//! One response tree, rendered as XML (the default) or JSON
//! (`responseFormatType=json`), ncloud.md §4.1–§4.3.
//!
//! - JSON: a single top-level `{action}Response` key, pretty-printed with
//!   two-space indents and `"key": value` (§4.2), fields in the order built
//!   here (which follows the doc examples), list items as plain objects.
//! - XML: root element `{action}Response`, no declaration, CommonCode as
//!   `<x><code/><codeName/></x>`, lists as a wrapper element holding one
//!   singular child per item (`<serverImageList><serverImage>`,
//!   `<sharedLoginIdList><sharedLoginId>`, seed 002), empty values and empty
//!   lists as self-closing elements (§4.3).

use std::fmt::Write as _;

/// A response value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// A JSON string; XML text.
    Text(String),
    /// A JSON number (the decimal literal); XML text.
    Number(String),
    /// A JSON boolean; XML `true`/`false`.
    Bool(bool),
    /// Named fields, in order.
    Object(Vec<(String, Node)>),
    /// A JSON array; in XML one `<item>` element per entry.
    List {
        item: &'static str,
        items: Vec<Node>,
    },
}

/// A JSON string; XML text.
pub(crate) fn text(value: &str) -> Node {
    Node::Text(value.to_owned())
}

/// A JSON number; XML text.
pub(crate) fn number(value: impl ToString) -> Node {
    Node::Number(value.to_string())
}

/// A CommonCode `{code, codeName}`.
pub(crate) fn code(code: &str, code_name: &str) -> Node {
    object(vec![("code", text(code)), ("codeName", text(code_name))])
}

/// A list of `item` elements.
pub(crate) fn list(item: &'static str, items: Vec<Node>) -> Node {
    Node::List { item, items }
}

/// Named fields, in order.
pub(crate) fn object(fields: Vec<(&str, Node)>) -> Node {
    Node::Object(
        fields
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
    )
}

/// The wire format a caller asked for with `responseFormatType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Xml,
    Json,
}

impl Format {
    /// The `Content-Type` of a body in this format (the fake's choice; the
    /// notes do not quote the gateway's header).
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
            out.push_str("{\n  ");
            json_string(&mut out, root);
            out.push_str(": ");
            json_value(&mut out, body, 1);
            out.push_str("\n}");
        }
    }
    out
}

// ---- XML -------------------------------------------------------------------

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn xml_escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters even as references;
            // the fake never stores them, but keep the output well-formed.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                out.push('\u{FFFD}');
            }
            c => out.push(c),
        }
    }
}

fn xml_element(out: &mut String, name: &str, node: &Node, depth: usize) {
    indent(out, depth);
    let scalar = match node {
        Node::Text(s) | Node::Number(s) => Some(s.as_str()),
        Node::Bool(true) => Some("true"),
        Node::Bool(false) => Some("false"),
        Node::Object(_) | Node::List { .. } => None,
    };
    let empty = match node {
        Node::Object(fields) => fields.is_empty(),
        Node::List { items, .. } => items.is_empty(),
        _ => scalar.is_some_and(str::is_empty),
    };
    if empty {
        let _ = writeln!(out, "<{name}/>");
        return;
    }
    if let Some(text) = scalar {
        let _ = write!(out, "<{name}>");
        xml_escape(out, text);
        let _ = writeln!(out, "</{name}>");
        return;
    }
    let _ = writeln!(out, "<{name}>");
    match node {
        Node::Object(fields) => {
            for (child, value) in fields {
                xml_element(out, child, value, depth + 1);
            }
        }
        Node::List { item, items } => {
            for value in items {
                xml_element(out, item, value, depth + 1);
            }
        }
        _ => {}
    }
    indent(out, depth);
    let _ = writeln!(out, "</{name}>");
}

// ---- JSON ------------------------------------------------------------------

pub(crate) fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json_value(out: &mut String, node: &Node, depth: usize) {
    match node {
        Node::Text(s) => json_string(out, s),
        Node::Number(n) => out.push_str(n),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Object(fields) => {
            if fields.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{\n");
            for (i, (name, value)) in fields.iter().enumerate() {
                indent(out, depth + 1);
                json_string(out, name);
                out.push_str(": ");
                json_value(out, value, depth + 1);
                if i + 1 < fields.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, depth);
            out.push('}');
        }
        Node::List { items, .. } => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[\n");
            for (i, value) in items.iter().enumerate() {
                indent(out, depth + 1);
                json_value(out, value, depth + 1);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, depth);
            out.push(']');
        }
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
            ("totalRows", number(1)),
            (
                "sharedLoginIdList",
                list("sharedLoginId", vec![text("a+b c@x.com"), text("<&\"'>")]),
            ),
            ("emptyList", list("x", vec![])),
            ("shareStatus", code("SHARE", "NSI Share SHARE State")),
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
        let mut out = String::new();
        json_string(&mut out, "a\"b\\c\nd\u{1}é");
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\u0001é\"");
    }
}
