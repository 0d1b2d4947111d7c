//! `plan diff`, `plan apply`'s report, `plan import` and `inventory` (table, CSV or JSON).

use std::path::Path;

use imgshare::plan::{ApplyReport, Imported, InventoryRow, PlanDiff, SharedWithMe};
use serde_json::{Value, json};

use super::{Rendered, TextLayout, line, lines, records, screen};

/// Accounts an at-least image keeps without naming them.
const UNMANAGED: &str = "left alone (not named, at-least)";

/// Under an image's line, indented, `LABEL: A, B` for each label that has any.
fn notes(out: &mut String, notes: &[(&str, &[String])]) {
    for (label, items) in notes.iter().filter(|(_, items)| !items.is_empty()) {
        line(out, &format!("  {label}: {}", items.join(", ")));
    }
}

/// `plan diff`, `plan apply --dry-run` and the diff `plan apply` asks about: per image its line
/// (the changes, whether it is shareable), then the unmanaged, expired and expiring accounts and
/// why the provider would refuse the change; then a line per answer. JSON: the [`PlanDiff`].
pub(crate) fn diff(diff: &PlanDiff) -> Rendered {
    let mut out = String::new();
    for d in &diff.images {
        line(&mut out, &d.to_string());
        let expiring: Vec<String> = d.expiring.iter().map(ToString::to_string).collect();
        let notes_of_d = [
            (UNMANAGED, &d.unmanaged[..]),
            ("expired", &d.expired),
            ("expiring within a week", &expiring),
            ("refused", d.over_limit.as_slice()),
        ];
        notes(&mut out, &notes_of_d);
    }
    lines(&mut out, &diff.answers);
    Rendered(json!(diff), out)
}

/// `plan apply`'s report: per image its line (added, removed, unchanged), then the unmanaged
/// and unconfirmed accounts, why nothing was done, each failed account; a line per answer; why
/// the journal could not be written. JSON: `{"complete", "images", "answers", "journal_error"}`.
pub(crate) fn report(report: &ApplyReport) -> Rendered {
    let mut out = String::new();
    for i in &report.images {
        line(&mut out, &i.to_string());
        let unconfirmed = "not confirmed (applied, but not listed in time)";
        let notes_of_i = [
            (UNMANAGED, &i.unmanaged[..]),
            (unconfirmed, &i.unconfirmed),
            ("not applied", i.error.as_slice()),
        ];
        notes(&mut out, &notes_of_i);
        lines(&mut out, i.failed.iter().map(|f| format!("  {f}")));
    }
    lines(&mut out, &report.answers);
    let journal = report.journal_error.iter().map(|e| format!("journal: {e}"));
    lines(&mut out, journal);
    let mut document = json!(report);
    document["complete"] = report.is_complete().into();
    Rendered(document, out)
}

/// `plan import`: the plan's TOML (text without --out), or one line saying where it went.
/// JSON: `{"file", "images", "failed": [[provider, image, why]], "plan"}`.
pub(crate) fn imported(imported: &Imported, file: Option<&Path>) -> Rendered {
    let images = imported.plan.images().len();
    let text = match file {
        None => imported.text.clone(),
        Some(file) => {
            let file = file.display().to_string();
            format!("wrote {images} image(s) to {}\n", screen(&file))
        }
    };
    let failed = &imported.failed;
    let json = json!({"file": file, "images": images, "plan": imported.text, "failed": failed});
    Rendered(json, text)
}

/// `inventory`'s columns: table header, and key of the row. CSV heads them in lower case.
const INVENTORY: [(&str, &str); 6] = [
    ("PROVIDER", "provider"),
    ("IMAGE", "image"),
    ("NAME", "name"),
    ("ACCOUNT", "account"),
    ("STATE", "state"),
    ("ERROR", "error"),
];

/// `inventory`: JSON `{"shares": [InventoryRow]}` as the library serialises it, else a table or
/// CSV of the same rows.
pub(crate) fn inventory(layout: TextLayout, rows: &[InventoryRow]) -> Rendered {
    let objects: Vec<Value> = rows.iter().map(|row| json!(row)).collect();
    let text = records(layout, &INVENTORY, &objects);
    Rendered(json!({"shares": rows}), text)
}

/// `inventory --shared-with-me`: JSON `{"shared_with_me": [SharedWithMe]}` as the library
/// serialises it, else the inventory's table or CSV with the owner for the account: a row per
/// image, or one for a provider that has none (with the error, when its listing failed).
pub(crate) fn shared_with_me(layout: TextLayout, lists: &[SharedWithMe]) -> Rendered {
    let mut rows = Vec::new();
    for l in lists {
        if l.images.is_empty() {
            rows.push(json!({"provider": l.provider, "error": l.error}));
        }
        rows.extend(l.images.iter().map(|i| {
            json!({"provider": l.provider, "image": i.id, "name": i.name, "owner": i.owner,
                   "state": i.state})
        }));
    }
    let mut columns = INVENTORY;
    columns[3] = ("OWNER", "owner");
    let text = records(layout, &columns, &rows);
    Rendered(json!({"shared_with_me": lists}), text)
}
