//! `plan diff`, `plan apply`'s report, `plan import` and `inventory` (table, CSV or JSON).

use std::path::Path;

use imgshare::plan::{AnswerDiff, ApplyReport, ImageDiff, Imported, InventoryRow, SharedWithMe};
use serde_json::json;

use super::{OutputFormat, TextLayout, csv_cell, json_line, line, screen, table};

fn list(accounts: &[String]) -> String {
    let list = accounts.join(", ");
    if list.is_empty() { "-".into() } else { list }
}

/// `LABEL: A, B`, when there is any.
fn note(label: &str, items: &[String]) -> Option<String> {
    (!items.is_empty()).then(|| format!("{label}: {}", items.join(", ")))
}

/// Each line screened, each ending in a newline.
fn text(lines: Vec<String>) -> String {
    let mut out = String::new();
    lines.iter().for_each(|l| line(&mut out, l));
    out
}

/// Notes on an image: indented, one a line.
fn notes(notes: impl IntoIterator<Item = Option<String>>) -> impl Iterator<Item = String> {
    notes.into_iter().flatten().map(|n| format!("  {n}"))
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
    let mut out = Vec::new();
    for d in diff {
        let (add, remove) = (list(&d.add), list(&d.remove));
        let what = match &d.error {
            Some(e) => format!("cannot read the shares: {e}"),
            None if !d.changes() => format!("no change ({} account(s))", d.unchanged.len()),
            None => format!("share with {add}; stop sharing with {remove}"),
        };
        let ready = d.readiness.as_ref().map(|r| format!("; {r}"));
        let expiring: Vec<String> = (d.expiring.iter())
            .map(|e| format!("{} at {}", e.account, e.expires))
            .collect();
        let notes = [
            note(UNMANAGED, &d.unmanaged),
            note("expired", &d.expired),
            note("expiring within a week", &expiring),
            note("refused", d.over_limit.as_slice()),
        ];
        let ready = ready.unwrap_or_default();
        out.push(format!("{} {}: {what}{ready}", d.provider, d.image));
        out.extend(self::notes(notes));
    }
    for a in answers {
        let now = a.current.as_deref().unwrap_or("not listed");
        let what = match (&a.error, a.change) {
            (Some(e), _) => format!("cannot read the recipient's images: {e}"),
            (None, true) => format!("{} (now {now})", a.answer),
            (None, false) => format!("no change ({now})"),
        };
        out.push(format!("{} {} answer: {what}", a.provider, a.image));
    }
    text(out)
}

/// `plan apply`'s report. JSON: `{"complete", "images", "answers", "journal_error"}`.
pub(crate) fn report(format: OutputFormat, report: &ApplyReport) -> String {
    if format == OutputFormat::Json {
        return json_line(&json!({
            "complete": report.is_complete(), "images": report.images,
            "answers": report.answers, "journal_error": report.journal_error,
        }));
    }
    let mut out = Vec::new();
    for i in &report.images {
        let (added, removed, unchanged) = (list(&i.added), list(&i.removed), list(&i.unchanged));
        let what = format!("added {added}; removed {removed}; unchanged {unchanged}");
        let unconfirmed = "not confirmed (applied, but not listed in time)";
        let notes = [
            note(UNMANAGED, &i.unmanaged),
            note(unconfirmed, &i.unconfirmed),
            i.error.as_ref().map(|e| format!("not applied: {e}")),
        ];
        out.push(format!("{} {}: {what}", i.provider, i.image));
        out.extend(self::notes(notes));
        for f in &i.failed {
            out.push(format!(
                "  failed to {} {}: {}",
                f.action, f.account, f.error
            ));
        }
    }
    for a in &report.answers {
        let what = match (&a.error, a.sent) {
            (Some(e), _) => format!("failed to {}: {e}", a.answer),
            (None, true) => format!("{} sent", a.answer),
            (None, false) => format!("already {}ed", a.answer),
        };
        out.push(format!("{} {} answer: {what}", a.provider, a.image));
    }
    out.extend(report.journal_error.iter().map(|e| format!("journal: {e}")));
    text(out)
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
            let file = file.display().to_string();
            format!("wrote {images} image(s) to {}\n", screen(&file))
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
        let error = l.error.as_deref();
        if l.error.is_some() || l.images.is_empty() {
            rows.push(row(&l.provider, [None, None, None, None, error]));
        }
        rows.extend(l.images.iter().map(|i| {
            let (owner, state) = (i.owner.as_deref(), i.state.to_string());
            let cells = [Some(&*i.id), Some(&*i.name), owner, Some(&*state), error];
            row(&l.provider, cells)
        }));
    }
    layout_rows(layout, "owner", &rows)
}

/// `inventory`: JSON `{"shares": [InventoryRow]}` as the library serialises it, else a table
/// or CSV.
pub(crate) fn inventory(format: OutputFormat, layout: TextLayout, rows: &[InventoryRow]) -> String {
    if format == OutputFormat::Json {
        return json_line(&json!({ "shares": rows }));
    }
    let rows: Vec<[String; 6]> = (rows.iter())
        .map(|r| {
            let state = r.state.as_ref().map(ToString::to_string);
            let cells = [&r.image, &r.name, &r.account, &state, &r.error];
            row(&r.provider, cells.map(Option::as_deref))
        })
        .collect();
    layout_rows(layout, "account", &rows)
}

/// An inventory row: the provider, then image, name, account, state and error (empty when
/// unknown).
fn row(provider: &str, cells: [Option<&str>; 5]) -> [String; 6] {
    let [image, name, account, state, error] = cells.map(|c| c.unwrap_or_default().to_owned());
    [provider.to_owned(), image, name, account, state, error]
}

/// Inventory rows (provider, image, name, account, state, error) as CSV with a header line, or
/// as a table whose account column shows the error, or `-` for no account; `who` names that
/// column.
fn layout_rows(layout: TextLayout, who: &str, rows: &[[String; 6]]) -> String {
    if layout == TextLayout::Csv {
        let mut out = format!("provider,image,name,{who},state,error\n");
        for row in rows {
            out += &(row.each_ref().map(|c| csv_cell(c)).join(",") + "\n");
        }
        return out;
    }
    let shown = |[provider, image, name, account, state, error]: &[String; 6]| {
        let account = match (error.is_empty(), account.is_empty()) {
            (false, _) => format!("error: {error}"),
            (true, true) => "-".into(),
            (true, false) => account.clone(),
        };
        [provider, image, name, &account, state]
            .map(String::clone)
            .to_vec()
    };
    let header = ["PROVIDER", "IMAGE", "NAME", &who.to_uppercase(), "STATE"];
    let mut lines = vec![header.map(str::to_owned).to_vec()];
    lines.extend(rows.iter().map(shown));
    table(&lines)
}
