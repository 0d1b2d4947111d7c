//! The one place results are rendered, each both ways ([`Rendered`]: its JSON document, and its
//! text, tables or CSV), and written to stdout in the `--output` format: all at once, after
//! every call succeeded, so a failure never leaves a partial document behind; and making text
//! safe for a terminal.

mod images;
mod plan;
mod sharing;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{ErrorKind, Write};

pub(crate) use images::{owned_images, scp_answer, scp_images, tencent_images};
pub(crate) use plan::{diff, imported, inventory, report, shared_with_me};
pub(crate) use sharing::{listing, outcome};

use serde_json::Value;

use crate::failure::{Class, Failure};

/// How results are printed (`--output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OutputFormat {
    /// Human-readable text.
    Text,
    /// One JSON document.
    Json,
}

/// `inventory --format`: how a text inventory is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum TextLayout {
    /// Aligned columns.
    Table,
    /// CSV with a header line.
    Csv,
}

/// Whether a terminal could act on `c` or show it misleadingly: C0 and C1 controls (ESC, BEL,
/// CR, LF, the 8-bit CSI…), DEL, and the bidirectional overrides that reorder what is shown.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character a terminal could act on escaped (`\n`, `\r`, `\t`,
/// `\u{1b}`, …), so one value stays one line of plain text. The one function every text a
/// server, a plan or a file supplied goes through before it reaches stdout or stderr in text
/// form (tables, errors, hints, progress); JSON output is left as `serde_json` writes it.
pub(crate) fn screen(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if unsafe_char(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Appends `text`, screened, and a newline: one line of text output that no value in it can
/// split or forge.
pub(crate) fn line(out: &mut String, text: &str) {
    out.push_str(&screen(text));
    out.push('\n');
}

/// Appends each item's text as a [`line`].
pub(crate) fn lines(out: &mut String, items: impl IntoIterator<Item = impl std::fmt::Display>) {
    items
        .into_iter()
        .for_each(|item| line(out, &item.to_string()));
}

/// A CSV cell, quoted when needed; a cell a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@`, tab, CR first) gets a leading `'`, as OWASP recommends against CSV injection.
pub(crate) fn csv_cell(cell: &str) -> String {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let cell = screen(&format!("{}{cell}", if formula { "'" } else { "" })).into_owned();
    match cell.contains([',', '"']) {
        true => format!("\"{}\"", cell.replace('"', "\"\"")),
        false => cell,
    }
}

/// A result rendered both ways, from one place: its JSON document, and its text (each line
/// screened and ending in a newline). `--output` picks which is written ([`emit`]).
#[derive(Debug)]
pub(crate) struct Rendered(pub(crate) Value, pub(crate) String);

/// Writes `rendered` as `format` says to stdout, as one piece, and flushes it: JSON on one line;
/// text screened line by line once more (the last defence: values should already be, by
/// [`line`] or [`records`]). A closed pipe (`imgshare ... | head -1`) is not an error.
pub(crate) fn emit(rendered: Rendered, format: OutputFormat) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => format!("{}\n", rendered.0),
        OutputFormat::Text => (rendered.1.split('\n').map(screen))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_all(text.as_bytes());
    match written.and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(Failure::new(
            Class::Other,
            format!("cannot write to stdout: {e}"),
        )),
        _ => Ok(()),
    }
}

/// Says on stderr, in one line before anything is sent, where requests go when that is not the
/// providers' default endpoint: a fake or proxy left in the environment should never be a
/// surprise, nor production when a fake was meant.
pub(crate) fn announce<'a>(targets: impl IntoIterator<Item = &'a imgshare::connect::Target>) {
    if let Some(notice) = imgshare::connect::notice(targets) {
        eprintln!("imgshare: {}", screen(&notice));
    }
}

/// `rows` (JSON objects) as a table of `columns` (header, key), `-` for an empty cell; or as
/// CSV, headed by the headers in lower case. Both come from the same rows as the JSON, so they
/// cannot disagree with it. Every table the CLI prints is drawn here: each column as wide as
/// its widest cell, two spaces apart (the last not padded), every cell [`screen`]ed so no
/// value can add a row or move the cursor.
pub(crate) fn records(layout: TextLayout, columns: &[(&str, &str)], rows: &[Value]) -> String {
    let cell = |row: &Value, key: &str| match &row[key] {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let cells = rows
        .iter()
        .map(|row| columns.iter().map(|(_, key)| cell(row, key)));
    let headers = columns.iter().map(|(header, _)| (*header).to_owned());
    if layout == TextLayout::Csv {
        let lines = std::iter::once(headers.map(|h| h.to_lowercase()).collect::<Vec<_>>())
            .chain(cells.map(|row| row.map(|c| csv_cell(&c)).collect()));
        return lines.map(|cells| cells.join(",") + "\n").collect();
    }
    let shown = |c: String| screen(if c.is_empty() { "-" } else { &c }).into_owned();
    let table: Vec<Vec<String>> = std::iter::once(headers.collect())
        .chain(cells.map(|row| row.map(shown).collect()))
        .collect();
    let width = |c: usize| table.iter().map(|row| row[c].chars().count()).max();
    let widths: Vec<usize> = (0..columns.len()).map(|c| width(c).unwrap_or(0)).collect();
    let lines = table.iter().map(|row| {
        let padded = row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}"));
        padded.collect::<Vec<_>>().join("  ").trim_end().to_owned() + "\n"
    });
    lines.collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{TextLayout, csv_cell, records, screen};

    #[test]
    fn table_aligns_columns() {
        let columns = [("ID", "id"), ("TYPE", "type"), ("NAME", "name")];
        let rows = [
            json!({"id": "img-1", "type": "PRIVATE_IMAGE", "name": "x"}),
            json!({"id": "img-22", "type": "", "name": null}),
        ];
        assert_eq!(
            records(TextLayout::Table, &columns, &rows),
            "ID      TYPE           NAME\nimg-1   PRIVATE_IMAGE  x\nimg-22  -              -\n"
        );
    }

    #[test]
    fn controls_are_escaped_and_plain_text_is_not_copied() {
        assert!(matches!(
            screen("img-1 démo 镜像"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(screen("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            screen("t\u{1b}]0;pwned\u{7}x\r\n\t"),
            "t\\u{1b}]0;pwned\\u{7}x\\r\\n\\t"
        );
        assert_eq!(
            screen("\u{9b}2J \u{202e}gpj.exe"),
            "\\u{9b}2J \\u{202e}gpj.exe"
        );
        let rows = [json!({"a": "a\nforged  row", "b": "b"})];
        assert_eq!(
            records(TextLayout::Table, &[("A", "a"), ("B", "b")], &rows),
            "A               B\na\\nforged  row  b\n"
        );
    }

    #[test]
    fn csv_formulas_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\\tx");
        assert_eq!(csv_cell("img-1"), "img-1");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
    }
}
