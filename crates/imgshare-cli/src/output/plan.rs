//! `plan diff`, `plan apply`'s report, `plan import` and `inventory` (table, CSV or JSON).

use std::path::Path;

use imgshare::plan::{AnswerDiff, ApplyReport, ImageDiff, Imported, SharedWithMe};
use serde_json::json;

use super::{OutputFormat, TextLayout, csv_cell, json_line, line, table};

fn list(accounts: &[String]) -> String {
    if accounts.is_empty() {
        "-".into()
    } else {
        accounts.join(", ")
    }
}

/// `  LABEL: A, B`, when there is any.
fn extra(out: &mut String, label: &str, items: &[String]) {
    if !items.is_empty() {
        line(out, &format!("  {label}: {}", items.join(", ")));
    }
}

/// Accounts an at-least image keeps without naming them.
const UNMANAGED: &str = "left alone (not named, at-least)";

/// `plan diff`, `plan apply --dry-run` and the diff `plan apply` asks about: per image the
/// changes, whether it is shareable, unmanaged, expired and expiring accounts; then answers.
/// JSON: `{"images": [ImageDiff], "answers": [AnswerDiff]}` as the library serialises them.
pub(crate) fn diff(format: OutputFormat, diff: &[ImageDiff], answers: &[AnswerDiff]) -> String {
    if format == OutputFormat::Json {
        return json_line(&json!({ "images": diff, "answers": answers }));
    }
    let mut out = String::new();
    for d in diff {
        let what = match &d.error {
            Some(e) => format!("cannot read the shares: {e}"),
            None if !d.changes() => format!("no change ({} account(s))", d.unchanged.len()),
            None => format!(
                "share with {}; stop sharing with {}",
                list(&d.add),
                list(&d.remove)
            ),
        };
        let ready = d.readiness.as_ref().map(|r| format!("; {r}"));
        let ready = ready.unwrap_or_default();
        line(
            &mut out,
            &format!("{} {}: {what}{ready}", d.provider, d.image),
        );
        let expiring: Vec<String> = (d.expiring.iter())
            .map(|e| format!("{} at {}", e.account, e.expires))
            .collect();
        extra(&mut out, UNMANAGED, &d.unmanaged);
        extra(&mut out, "expired", &d.expired);
        extra(&mut out, "expiring within a week", &expiring);
        extra(&mut out, "refused", d.over_limit.as_slice());
    }
    for a in answers {
        let now = a.current.as_deref().unwrap_or("not listed");
        let what = match (&a.error, a.change) {
            (Some(e), _) => format!("cannot read the recipient's images: {e}"),
            (None, true) => format!("{} (now {now})", a.answer),
            (None, false) => format!("no change ({now})"),
        };
        line(
            &mut out,
            &format!("{} {} answer: {what}", a.provider, a.image),
        );
    }
    out
}

/// `plan apply`'s report. JSON: `{"complete", "images", "answers", "journal_error"}`.
pub(crate) fn report(format: OutputFormat, report: &ApplyReport) -> String {
    if format == OutputFormat::Json {
        return json_line(&json!({
            "complete": report.is_complete(), "images": report.images,
            "answers": report.answers, "journal_error": report.journal_error,
        }));
    }
    let mut out = String::new();
    for i in &report.images {
        let (added, removed, unchanged) = (list(&i.added), list(&i.removed), list(&i.unchanged));
        let text = format!(
            "{} {}: added {added}; removed {removed}; unchanged {unchanged}",
            i.provider, i.image
        );
        line(&mut out, &text);
        extra(&mut out, UNMANAGED, &i.unmanaged);
        let unconfirmed = "not confirmed (applied, but not listed in time)";
        extra(&mut out, unconfirmed, &i.unconfirmed);
        if let Some(e) = &i.error {
            line(&mut out, &format!("  not applied: {e}"));
        }
        for f in &i.failed {
            line(
                &mut out,
                &format!("  failed to {} {}: {}", f.action, f.account, f.error),
            );
        }
    }
    for a in &report.answers {
        let what = match (&a.error, a.sent) {
            (Some(e), _) => format!("failed to {}: {e}", a.answer),
            (None, true) => format!("{} sent", a.answer),
            (None, false) => format!("already {}ed", a.answer),
        };
        line(
            &mut out,
            &format!("{} {} answer: {what}", a.provider, a.image),
        );
    }
    if let Some(e) = &report.journal_error {
        line(&mut out, &format!("journal: {e}"));
    }
    out
}

/// `plan import`: the plan's TOML (text without --out), or one line saying where it went.
/// JSON: `{"file", "images", "failed": [[provider, image, why]], "plan"}`.
pub(crate) fn imported(format: OutputFormat, imported: &Imported, file: Option<&Path>) -> String {
    let images = imported.plan.images().len();
    match (format, file) {
        (OutputFormat::Json, _) => json_line(&json!({
            "file": file, "images": images, "plan": imported.text, "failed": imported.failed,
        })),
        (OutputFormat::Text, None) => imported.text.clone(),
        (OutputFormat::Text, Some(file)) => {
            let mut out = String::new();
            line(
                &mut out,
                &format!("wrote {images} image(s) to {}", file.display()),
            );
            out
        }
    }
}

/// `inventory --shared-with-me`: JSON `{"shared_with_me": [SharedWithMe]}` as the library
/// serialises it, else the inventory's table or CSV with the owner in the account column.
pub(crate) fn shared_with_me(
    format: OutputFormat,
    layout: TextLayout,
    lists: &[SharedWithMe],
) -> String {
    if format == OutputFormat::Json {
        return json_line(&json!({ "shared_with_me": lists }));
    }
    let mut rows = Vec::new();
    for l in lists {
        let row = |image: &str, name: &str| InventoryRow {
            provider: l.provider.clone(),
            image: image.to_owned(),
            name: name.to_owned(),
            error: l.error.clone().unwrap_or_default(),
            ..InventoryRow::default()
        };
        if l.error.is_some() || l.images.is_empty() {
            rows.push(row("", ""));
        }
        rows.extend(l.images.iter().map(|i| InventoryRow {
            account: i.owner.clone().unwrap_or_default(),
            state: i.state.to_string(),
            ..row(&i.id, &i.name)
        }));
    }
    inventory(format, layout, &rows, "owner")
}

/// One inventory line: an image and one account it is shared with (empty when none), or a
/// listing that failed.
#[derive(Debug, Default)]
pub(crate) struct InventoryRow {
    pub(crate) provider: String,
    pub(crate) image: String,
    pub(crate) name: String,
    pub(crate) account: String,
    pub(crate) state: String,
    pub(crate) error: String,
}

/// `inventory`: JSON `{"shares": [{"provider", "image", "name", "account", "state", "error"}]}`
/// (empty values `null`), CSV with a header line, or a table; `who` names the account column.
pub(crate) fn inventory(
    format: OutputFormat,
    layout: TextLayout,
    rows: &[InventoryRow],
    who: &str,
) -> String {
    let some = |s: &String| (!s.is_empty()).then(|| s.clone());
    match (format, layout) {
        (OutputFormat::Json, _) => json_line(&json!({
            "shares": rows.iter().map(|r| json!({
                "provider": r.provider, "image": r.image, "name": r.name,
                "account": some(&r.account), "state": some(&r.state), "error": some(&r.error),
            })).collect::<Vec<_>>()
        })),
        (OutputFormat::Text, TextLayout::Csv) => {
            let mut out = format!("provider,image,name,{who},state,error\n");
            for r in rows {
                let cells = [
                    &r.provider,
                    &r.image,
                    &r.name,
                    &r.account,
                    &r.state,
                    &r.error,
                ];
                out += &(cells.map(|c| csv_cell(c)).join(",") + "\n");
            }
            out
        }
        (OutputFormat::Text, TextLayout::Table) => {
            let header = ["PROVIDER", "IMAGE", "NAME", &who.to_uppercase(), "STATE"];
            let mut lines = vec![header.map(str::to_owned).to_vec()];
            lines.extend(rows.iter().map(|r| {
                let account = match (r.error.is_empty(), r.account.is_empty()) {
                    (false, _) => format!("error: {}", r.error),
                    (true, true) => "-".into(),
                    (true, false) => r.account.clone(),
                };
                let cells = [&r.provider, &r.image, &r.name, &account, &r.state];
                cells.map(String::clone).to_vec()
            }));
            table(&lines)
        }
    }
}
