//! `share`, `unshare`, `set` and `list` on every provider: one shape for all three clouds.
//!
//! JSON: `{"provider", "image", "shares": [{"account", "state", "since"}]}`; after a change
//! also `action` and, for share and unshare, `shared`, `already_shared`, `removed` and
//! `not_member` (for set: `accounts`).

use imgshare::sharing::{Share, ShareOutcome};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use super::{Rendered, line, table};

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

/// Whom `image` is shared with, after `head` (a text line and JSON fields) when a change
/// came first.
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
    document["shares"] = json!(shares);
    let mut out = String::new();
    summary.iter().for_each(|summary| line(&mut out, summary));
    if shares.is_empty() {
        line(&mut out, &format!("{image} is not shared with any account"));
        return Rendered(document, out);
    }
    let noun = if shares.len() == 1 {
        "account"
    } else {
        "accounts"
    };
    line(
        &mut out,
        &format!("{image} is shared with {} {noun}:", shares.len()),
    );
    let rows: Vec<Vec<String>> = (shares.iter())
        .map(|s| {
            let since = s.since.and_then(|t| t.format(&Rfc3339).ok());
            let row = [format!("  {}", s.account), s.state.to_string()].into_iter();
            row.chain(since.map(|t| format!("since {t}"))).collect()
        })
        .collect();
    Rendered(document, out + &table(&rows))
}
