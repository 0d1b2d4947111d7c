//! The one place results are rendered (text, JSON, CSV) and written to stdout: all at once,
//! after every call succeeded, so a failure never leaves a partial document behind; and
//! making text safe for a terminal.

mod images;
mod plan;
mod sharing;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{ErrorKind, Write};

pub(crate) use images::{owned_images, scp_answer, scp_images, tencent_images};
pub(crate) use plan::{diff, imported, inventory, report, shared_with_me};
pub(crate) use sharing::{listing, outcome, summary};

use crate::failure::{EXIT_OTHER, Failure};

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

/// A CSV cell, quoted when needed; a cell a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@`, tab, CR first) gets a leading `'`, as OWASP recommends against CSV injection.
pub(crate) fn csv_cell(cell: &str) -> String {
    let cell: Cow<'_, str> = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    };
    let cell = screen(&cell).into_owned();
    if cell.contains([',', '"']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// Writes `text` (which should end with a newline) to stdout and flushes it. Text output is
/// screened line by line (the last defence: values should already be, by [`line`] or
/// [`table`]); JSON is written as it is. A closed pipe (`imgshare ... | head -1`) is not an
/// error.
pub(crate) fn emit(text: &str, format: OutputFormat) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => text.to_owned(),
        OutputFormat::Text => text.split('\n').map(screen).collect::<Vec<_>>().join("\n"),
    };
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_all(text.as_bytes());
    match written.and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(Failure::Other(
            EXIT_OTHER,
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

/// One JSON document on one line, newline-terminated.
pub(crate) fn json_line(value: &serde_json::Value) -> String {
    format!("{value}\n")
}

/// Pads each column of `rows` to its widest cell, two spaces apart; the last column is not
/// padded. Every cell is [`screen`]ed, so no value can add a row or move the cursor.
pub(crate) fn table(rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for (c, cell) in rows.iter().flat_map(|r| r.iter().enumerate()) {
        widths.resize(widths.len().max(c + 1), 0);
        widths[c] = widths[c].max(screen(cell).chars().count());
    }
    let mut out = String::new();
    for row in rows {
        let padded = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{:<w$}", screen(c)));
        out += padded.collect::<Vec<_>>().join("  ").trim_end();
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{csv_cell, screen, table};

    #[test]
    fn table_aligns_columns() {
        let rows = vec![
            vec!["ID".to_owned(), "TYPE".to_owned(), "NAME".to_owned()],
            vec![
                "img-1".to_owned(),
                "PRIVATE_IMAGE".to_owned(),
                "x".to_owned(),
            ],
        ];
        assert_eq!(
            table(&rows),
            "ID     TYPE           NAME\nimg-1  PRIVATE_IMAGE  x\n"
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
        let rows = vec![vec!["a\nforged  row".to_owned(), "b".to_owned()]];
        assert_eq!(table(&rows), "a\\nforged  row  b\n");
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
