//! `plan diff`, `plan apply`'s report and `inventory` (table, CSV or JSON).

use imgshare::plan::{ApplyReport, ImageDiff};
use serde_json::json;

use super::{OutputFormat, TextLayout, csv_cell, json_line, line, table};

fn list(accounts: &[String]) -> String {
    if accounts.is_empty() {
        "-".into()
    } else {
        accounts.join(", ")
    }
}

/// `plan diff`, `plan apply --dry-run` and the diff `plan apply` asks about.
pub(crate) fn diff(format: OutputFormat, diff: &[ImageDiff]) -> String {
    if format == OutputFormat::Json {
        return json_line(&json!({ "images": diff }));
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
        line(&mut out, &format!("{} {}: {what}", d.provider, d.image));
    }
    out
}

/// `plan apply`'s report.
pub(crate) fn report(format: OutputFormat, report: &ApplyReport) -> String {
    if format == OutputFormat::Json {
        return json_line(&json!({"complete": report.is_complete(), "images": report.images}));
    }
    let mut out = String::new();
    for i in &report.images {
        let (added, removed, unchanged) = (list(&i.added), list(&i.removed), list(&i.unchanged));
        let text = format!(
            "{} {}: added {added}; removed {removed}; unchanged {unchanged}",
            i.provider, i.image
        );
        line(&mut out, &text);
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
    out
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
/// (empty values `null`), CSV with a header line, or a table.
pub(crate) fn inventory(format: OutputFormat, layout: TextLayout, rows: &[InventoryRow]) -> String {
    let some = |s: &String| (!s.is_empty()).then(|| s.clone());
    match (format, layout) {
        (OutputFormat::Json, _) => json_line(&json!({
            "shares": rows.iter().map(|r| json!({
                "provider": r.provider, "image": r.image, "name": r.name,
                "account": some(&r.account), "state": some(&r.state), "error": some(&r.error),
            })).collect::<Vec<_>>()
        })),
        (OutputFormat::Text, TextLayout::Csv) => {
            let mut out = String::from("provider,image,name,account,state,error\n");
            for r in rows {
                let cells = [
                    &r.provider,
                    &r.image,
                    &r.name,
                    &r.account,
                    &r.state,
                    &r.error,
                ];
                out.push_str(&cells.map(|c| csv_cell(c)).join(","));
                out.push('\n');
            }
            out
        }
        (OutputFormat::Text, TextLayout::Table) => {
            let mut lines = vec![
                ["PROVIDER", "IMAGE", "NAME", "ACCOUNT", "STATE"]
                    .map(str::to_owned)
                    .to_vec(),
            ];
            lines.extend(rows.iter().map(|r| {
                let account = match (r.error.is_empty(), r.account.is_empty()) {
                    (false, _) => format!("error: {}", r.error),
                    (true, true) => "-".into(),
                    (true, false) => r.account.clone(),
                };
                vec![
                    r.provider.clone(),
                    r.image.clone(),
                    r.name.clone(),
                    account,
                    r.state.clone(),
                ]
            }));
            table(&lines)
        }
    }
}
