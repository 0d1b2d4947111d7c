//! How diffs and reports read as text: one line per image or answer (`tencent img-demo0001:
//! share with 100000000003; stop sharing with -; shareable`), as `imgshare plan diff` and
//! `plan apply` print them. The accounts an image leaves alone, expiries and the like are
//! fields of their own, for the caller to show as it likes.

use std::fmt;

use super::{AccountFailure, AnswerDiff, AnswerReport, Expiring, ImageDiff, ImageReport};

/// `A, B`, or `-` for none.
fn list(accounts: &[String]) -> String {
    match accounts.join(", ") {
        list if list.is_empty() => "-".into(),
        list => list,
    }
}

/// `PROVIDER IMAGE: share with A; stop sharing with B; shareable`, `… no change (N account(s))`
/// or `… cannot read the shares: ERROR`; the readiness is left out when it was not read.
impl fmt::Display for ImageDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: ", self.provider, self.image)?;
        match &self.error {
            Some(e) => write!(f, "cannot read the shares: {e}")?,
            None if !self.changes() => {
                write!(f, "no change ({} account(s))", self.unchanged.len())?
            }
            None => write!(
                f,
                "share with {}; stop sharing with {}",
                list(&self.add),
                list(&self.remove)
            )?,
        }
        match &self.readiness {
            Some(readiness) => write!(f, "; {readiness}"),
            None => Ok(()),
        }
    }
}

/// `ACCOUNT at TIME`.
impl fmt::Display for Expiring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.account, self.expires)
    }
}

/// `PROVIDER IMAGE answer: accept (now pending)`, `… no change (accepted)` (`not listed` when
/// the recipient's images do not show the share) or `… cannot read the recipient's images: …`.
impl fmt::Display for AnswerDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let now = self.current.as_deref().unwrap_or("not listed");
        write!(f, "{} {} answer: ", self.provider, self.image)?;
        match (&self.error, self.change) {
            (Some(e), _) => write!(f, "cannot read the recipient's images: {e}"),
            (None, true) => write!(f, "{} (now {now})", self.answer),
            (None, false) => write!(f, "no change ({now})"),
        }
    }
}

/// `PROVIDER IMAGE: added A; removed B; unchanged C`.
impl fmt::Display for ImageReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (added, removed) = (list(&self.added), list(&self.removed));
        let unchanged = list(&self.unchanged);
        let image = format!("{} {}", self.provider, self.image);
        write!(
            f,
            "{image}: added {added}; removed {removed}; unchanged {unchanged}"
        )
    }
}

/// `failed to share ACCOUNT: ERROR`.
impl fmt::Display for AccountFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to {} {}: {}",
            self.action, self.account, self.error
        )
    }
}

/// `PROVIDER IMAGE answer: accept sent`, `… already accepted` or `… failed to accept: ERROR`.
impl fmt::Display for AnswerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} answer: ", self.provider, self.image)?;
        match (&self.error, self.sent) {
            (Some(e), _) => write!(f, "failed to {}: {e}", self.answer),
            (None, true) => write!(f, "{} sent", self.answer),
            (None, false) => write!(f, "already {}ed", self.answer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Mode;
    use crate::sharing::{NotReady, Readiness};

    fn accounts(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| (*a).to_owned()).collect()
    }

    fn diff(add: &[&str], unchanged: &[&str], readiness: Option<Readiness>) -> ImageDiff {
        ImageDiff {
            provider: "tencent".into(),
            image: "img-demo0001".into(),
            mode: Mode::Exact,
            add: accounts(add),
            remove: Vec::new(),
            unchanged: accounts(unchanged),
            unmanaged: Vec::new(),
            expired: Vec::new(),
            expiring: Vec::new(),
            readiness,
            over_limit: None,
            error: None,
        }
    }

    /// Fails if a diff line loses the changes, says `-` wrongly, counts the unchanged accounts
    /// wrongly, drops the readiness, or shows changes when the shares could not be read.
    #[test]
    fn an_image_diff_is_one_line_of_changes_and_readiness() {
        let ready = Some(Readiness::ready("NORMAL"));
        let shown = diff(&["1", "2"], &[], ready).to_string();
        let want = "tencent img-demo0001: share with 1, 2; stop sharing with -; shareable";
        assert_eq!(shown, want);
        let private = Readiness::ready("active").with(NotReady::lasting("private"));
        let shown = diff(&["1"], &[], Some(private)).to_string();
        assert!(
            shown.ends_with("stop sharing with -; not shareable: private"),
            "{shown}"
        );
        let same = diff(&[], &["1", "2"], None).to_string();
        assert_eq!(same, "tencent img-demo0001: no change (2 account(s))");
        let mut unread = diff(&["1"], &[], None);
        unread.error = Some("timeout".into());
        assert_eq!(
            unread.to_string(),
            "tencent img-demo0001: cannot read the shares: timeout"
        );
        let expiring = Expiring {
            account: "1".into(),
            expires: "2026-01-01T00:00:00Z".into(),
        };
        assert_eq!(expiring.to_string(), "1 at 2026-01-01T00:00:00Z");
    }

    /// Fails if an answer's line confuses a change, no change and a failure, or leaves out where
    /// the share stands.
    #[test]
    fn answer_lines_say_what_would_be_and_was_sent() {
        let mut diff = AnswerDiff {
            provider: "scp-me".into(),
            image: "u-1".into(),
            answer: "accept",
            current: Some("pending".into()),
            change: true,
            error: None,
        };
        assert_eq!(diff.to_string(), "scp-me u-1 answer: accept (now pending)");
        (diff.current, diff.change) = (None, false);
        assert_eq!(
            diff.to_string(),
            "scp-me u-1 answer: no change (not listed)"
        );
        diff.error = Some("denied".into());
        let want = "scp-me u-1 answer: cannot read the recipient's images: denied";
        assert_eq!(diff.to_string(), want);
        let mut report = AnswerReport {
            provider: "scp-me".into(),
            image: "u-1".into(),
            answer: "reject",
            sent: true,
            error: None,
        };
        assert_eq!(report.to_string(), "scp-me u-1 answer: reject sent");
        report.sent = false;
        assert_eq!(report.to_string(), "scp-me u-1 answer: already rejected");
        report.error = Some("denied".into());
        let want = "scp-me u-1 answer: failed to reject: denied";
        assert_eq!(report.to_string(), want);
    }

    /// Fails if an image's report line mixes up added, removed and unchanged, or a failed
    /// account's line loses its action or error.
    #[test]
    fn report_lines_say_what_changed_and_what_failed() {
        let report = ImageReport {
            provider: "tencent".into(),
            image: "img-demo0001".into(),
            added: accounts(&["1"]),
            removed: Vec::new(),
            unchanged: accounts(&["2", "3"]),
            unmanaged: Vec::new(),
            unconfirmed: Vec::new(),
            failed: Vec::new(),
            error: None,
        };
        let want = "tencent img-demo0001: added 1; removed -; unchanged 2, 3";
        assert_eq!(report.to_string(), want);
        let failure = AccountFailure {
            account: "4".into(),
            action: "unshare",
            code: None,
            error: "timeout".into(),
        };
        assert_eq!(failure.to_string(), "failed to unshare 4: timeout");
    }
}
