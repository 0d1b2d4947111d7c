//! `share`, `unshare`, `set` and `list` on every provider: one shape for all three clouds.
//!
//! JSON: `{"provider", "image", "shares": [{"account", "state", "since"}]}`; after a change
//! also `action` and, for share and unshare, `shared`, `already_shared`, `removed` and
//! `not_member` (for set: `accounts`).

use imgshare::sharing::{Share, ShareOutcome};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use super::{OutputFormat, json_line, line, table};

/// One line saying what a share or unshare did: `shared IMG with A, B; already shared with
/// C`, `unshared IMG with A; not shared with X`, or, when nothing changed, `IMG was already
/// shared with C; nothing changed` / `IMG was not shared with X; nothing changed`.
pub(crate) fn summary(image: &str, o: &ShareOutcome) -> String {
    let unsharing = !o.removed.is_empty() || !o.not_member.is_empty();
    let lists = match unsharing {
        false => [&o.shared, &o.already_shared],
        true => [&o.removed, &o.not_member],
    };
    let [done, kept] = lists.map(|accounts| accounts.join(", "));
    let (verb, kept_as) = match unsharing {
        false => ("shared", "already shared"),
        true => ("unshared", "not shared"),
    };
    match (done.is_empty(), kept.is_empty()) {
        (true, _) => format!("{image} was {kept_as} with {kept}; nothing changed"),
        (false, true) => format!("{verb} {image} with {done}"),
        (false, false) => format!("{verb} {image} with {done}; {kept_as} with {kept}"),
    }
}

/// A share's or unshare's outcome, then the shares read back after it.
pub(crate) fn outcome(
    format: OutputFormat,
    provider: &str,
    image: &str,
    action: &str,
    outcome: &ShareOutcome,
    shares: &[Share],
) -> String {
    let mut fields = json!(outcome);
    fields["action"] = action.into();
    let head = (summary(image, outcome), fields);
    listing(format, provider, image, shares, Some(head))
}

/// Whom `image` is shared with, after `head` (a text line and JSON fields) when a change
/// came first.
pub(crate) fn listing(
    format: OutputFormat,
    provider: &str,
    image: &str,
    shares: &[Share],
    head: Option<(String, Value)>,
) -> String {
    let since = |s: &Share| s.since.and_then(|t| t.format(&Rfc3339).ok());
    match format {
        OutputFormat::Json => {
            let mut document = json!({"provider": provider, "image": image, "shares": shares});
            if let (Some((_, Value::Object(fields))), Value::Object(doc)) = (head, &mut document) {
                doc.extend(fields);
            }
            json_line(&document)
        }
        OutputFormat::Text => {
            let mut out = String::new();
            if let Some((summary, _)) = head {
                line(&mut out, &summary);
            }
            match shares.len() {
                0 => line(&mut out, &format!("{image} is not shared with any account")),
                n => {
                    let noun = if n == 1 { "account" } else { "accounts" };
                    line(&mut out, &format!("{image} is shared with {n} {noun}:"));
                    let rows: Vec<Vec<String>> = shares
                        .iter()
                        .map(|s| {
                            let mut row = vec![format!("  {}", s.account), s.state.to_string()];
                            row.extend(since(s).map(|t| format!("since {t}")));
                            row
                        })
                        .collect();
                    out.push_str(&table(&rows));
                }
            }
            out
        }
    }
}
