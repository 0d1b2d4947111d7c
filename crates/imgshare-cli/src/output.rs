//! Writing results to stdout: all at once, after every call succeeded, so a failure never
//! leaves a partial document behind.

use std::io::{ErrorKind, Write};

use crate::failure::{EXIT_OTHER, Failure};

/// Writes `text` (which should end with a newline) to stdout and flushes it. A closed pipe
/// (`imgshare ... | head -1`) is not an error.
pub(crate) fn emit(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Other(
            EXIT_OTHER,
            format!("cannot write to stdout: {e}"),
        )),
    }
}

/// Says on stderr, in one line before anything is sent, where requests go when that is not the
/// providers' default endpoint: a fake or proxy left in the environment should never be a
/// surprise, nor production when a fake was meant.
pub(crate) fn announce<'a>(targets: impl IntoIterator<Item = &'a imgshare::connect::Target>) {
    if let Some(notice) = imgshare::connect::notice(targets) {
        eprintln!("imgshare: {notice}");
    }
}

/// One JSON document on one line, newline-terminated.
pub(crate) fn json_line(value: &serde_json::Value) -> String {
    let mut text = value.to_string();
    text.push('\n');
    text
}

/// Pads each column of `rows` to its widest cell, two spaces apart; the last column is not
/// padded.
pub(crate) fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = widths[c].saturating_sub(cell.chars().count());
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::table;

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
}
