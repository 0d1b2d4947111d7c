//! `share`, `unshare`, `set` and `list` on every provider: one shape for all three clouds.
//!
//! JSON: `{"provider", "image", "shares": [{"account", "state", "since"}]}`; after a change
//! also `action` and, for share and unshare, `shared`, `already_shared`, `removed` and
//! `not_member` (for set: `accounts`).

use imgshare::sharing::{Share, ShareOutcome};
use serde_json::{Value, json};

use super::{Rendered, TextLayout, line, records};

/// A share's or unshare's outcome (its line, or its JSON fields and `action`), then the shares
/// read back after it.
pub(crate) fn outcome(
    provider: &str,
    action: &str,
    outcome: &ShareOutcome,
    shares: &[Share],
) -> Rendered {
    let mut fields = json!(outcome);
    fields["action"] = action.into();
    let head = Some((outcome.to_string(), fields));
    listing(provider, &outcome.image, shares, head)
}

/// The columns of the share table: header, and key of a share's JSON.
const SHARES: [(&str, &str); 3] = [
    ("ACCOUNT", "account"),
    ("STATE", "state"),
    ("SINCE", "since"),
];

/// Whom `image` is shared with, after `head` (a text line and JSON fields) when a change
/// came first: a line with how many, then the table of the shares' JSON.
pub(crate) fn listing(
    provider: &str,
    image: &str,
    shares: &[Share],
    head: Option<(String, Value)>,
) -> Rendered {
    let (summary, document) = head.unzip();
    let mut document = document.unwrap_or_default();
    document["provider"] = provider.into();
    document["image"] = image.into();
    let rows: Vec<Value> = shares.iter().map(|share| json!(share)).collect();
    let mut out = String::new();
    summary.iter().for_each(|summary| line(&mut out, summary));
    if rows.is_empty() {
        line(&mut out, &format!("{image} is not shared with any account"));
    } else {
        let noun = if rows.len() == 1 {
            "account"
        } else {
            "accounts"
        };
        line(
            &mut out,
            &format!("{image} is shared with {} {noun}:", rows.len()),
        );
        out += &records(TextLayout::Table, &SHARES, &rows);
    }
    document["shares"] = Value::Array(rows);
    Rendered(document, out)
}
