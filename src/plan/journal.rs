//! The apply journal: one JSON line per share or unshare call, written and flushed as soon as
//! the call returns, so a run that is interrupted still says exactly which calls it made and
//! how each ended. Lines hold ids, actions, outcomes and provider error text, never a secret.

use std::fmt;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use imgshare_core::ErrorMetadata;
use imgshare_core::credentials::BoxFuture;
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::sharing::{ImageSharing, OwnedImage, Readiness, Share, SharedImage, SharingError};

/// One line of the journal.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct JournalEntry {
    /// When the call returned (RFC 3339, UTC).
    pub time: String,
    /// The plan's provider entry.
    pub provider: String,
    /// The image.
    pub image: String,
    /// `share` or `unshare`; `accept` or `reject` for a recipient's answer (SCP).
    pub action: String,
    /// The accounts the call was about.
    pub accounts: Vec<String>,
    /// `ok` or `error`.
    pub outcome: String,
    /// The provider's request id: of the call that applied the change, or of the error; `null`
    /// when the provider gives none (SCP answers none on success).
    pub request_id: Option<String>,
    /// The provider's error code, for `error`.
    pub code: Option<String>,
    /// The error, for `error`.
    pub error: Option<String>,
}

/// Where [`Plan::apply`](super::Plan::apply) writes its journal (see [`ApplyOptions::journal`](super::ApplyOptions::journal)).
#[derive(Clone)]
pub struct Journal {
    out: Arc<Mutex<Box<dyn Write + Send>>>,
    failure: Arc<Mutex<Option<String>>>,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal").finish_non_exhaustive()
    }
}

impl Journal {
    /// Appends to the file at `path`, creating it if needed (earlier runs' lines are kept).
    ///
    /// # Errors
    ///
    /// The file cannot be opened for appending: the error says which file (`cannot open the
    /// journal FILE: …`), with the cause's kind.
    pub fn append(path: impl AsRef<Path>) -> std::io::Result<Journal> {
        let path = path.as_ref();
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| {
                let message = format!("cannot open the journal {}: {e}", path.display());
                std::io::Error::new(e.kind(), message)
            })?;
        Ok(Journal::to_writer(file))
    }

    /// Writes to `out` (each line flushed as written).
    pub fn to_writer(out: impl Write + Send + 'static) -> Journal {
        Journal {
            out: Arc::new(Mutex::new(Box::new(out))),
            failure: Arc::new(Mutex::new(None)),
        }
    }

    /// The first write that failed, if any (the run went on; its report says so).
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|f| f.clone())
    }

    fn write(&self, entry: &JournalEntry) {
        let written = serde_json::to_string(entry)
            .map_err(std::io::Error::other)
            .and_then(|line| {
                let mut out = self
                    .out
                    .lock()
                    .map_err(|_| std::io::Error::other("journal lock poisoned"))?;
                writeln!(out, "{line}")?;
                out.flush()
            });
        if let Err(e) = written
            && let Ok(mut failure) = self.failure.lock()
        {
            failure.get_or_insert_with(|| format!("cannot write the journal: {e}"));
        }
    }

    fn record(
        &self,
        provider: &str,
        image: &str,
        action: &str,
        accounts: &[String],
        result: Result<Option<String>, &SharingError>,
    ) {
        let time = OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .unwrap_or_default();
        let (outcome, request_id, code, error) = match result {
            Ok(id) => ("ok", id, None, None),
            Err(e) => (
                "error",
                e.request_id().map(str::to_owned),
                e.code().map(str::to_owned),
                Some(e.to_string()),
            ),
        };
        self.write(&JournalEntry {
            time,
            provider: provider.to_owned(),
            image: image.to_owned(),
            action: action.to_owned(),
            accounts: accounts.to_vec(),
            outcome: outcome.to_owned(),
            request_id,
            code,
            error,
        });
    }
}

/// An [`ImageSharing`] whose writes are journaled under the plan's provider entry name.
#[derive(Debug)]
pub(super) struct Journaled<'j> {
    pub(super) inner: std::sync::Arc<dyn ImageSharing>,
    pub(super) journal: &'j Journal,
    pub(super) provider: &'j str,
}

impl ImageSharing for Journaled<'_> {
    fn provider(&self) -> &'static str {
        self.inner.provider()
    }

    fn share_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            let result = self.inner.share_request(image, accounts).await;
            let journal = self.journal;
            journal.record(
                self.provider,
                image,
                "share",
                accounts,
                result.as_ref().cloned(),
            );
            result
        })
    }

    fn unshare_request<'a>(
        &'a self,
        image: &'a str,
        accounts: &'a [String],
    ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
        Box::pin(async move {
            let result = self.inner.unshare_request(image, accounts).await;
            let journal = self.journal;
            journal.record(
                self.provider,
                image,
                "unshare",
                accounts,
                result.as_ref().cloned(),
            );
            result
        })
    }

    fn answer_share<'a>(
        &'a self,
        image: &'a str,
        accept: bool,
    ) -> BoxFuture<'a, Result<(), SharingError>> {
        Box::pin(async move {
            let result = self.inner.answer_share(image, accept).await;
            let action = if accept { "accept" } else { "reject" };
            let outcome = result.as_ref().map(|()| None);
            self.journal
                .record(self.provider, image, action, &[], outcome);
            result
        })
    }

    fn shared_with_me(&self) -> BoxFuture<'_, Result<Vec<SharedImage>, SharingError>> {
        self.inner.shared_with_me()
    }

    fn list_shares<'a>(
        &'a self,
        image: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
        self.inner.list_shares(image)
    }

    fn list_images(&self) -> BoxFuture<'_, Result<Vec<OwnedImage>, SharingError>> {
        self.inner.list_images()
    }

    fn max_accounts_per_call(&self) -> usize {
        self.inner.max_accounts_per_call()
    }

    fn max_accounts_per_image(&self) -> Option<usize> {
        self.inner.max_accounts_per_image()
    }

    fn readiness<'a>(&'a self, image: &'a str) -> BoxFuture<'a, Result<Readiness, SharingError>> {
        self.inner.readiness(image)
    }

    fn check_shareable_calls_provider(&self) -> bool {
        self.inner.check_shareable_calls_provider()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;

    /// A provider whose answers to the questions the plan asks before calling are not the
    /// trait's defaults.
    #[derive(Debug)]
    struct Limited(bool);

    impl ImageSharing for Limited {
        fn provider(&self) -> &'static str {
            "limited"
        }
        fn share_request<'a>(
            &'a self,
            _: &'a str,
            _: &'a [String],
        ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
            Box::pin(async { Ok(None) })
        }
        fn unshare_request<'a>(
            &'a self,
            _: &'a str,
            _: &'a [String],
        ) -> BoxFuture<'a, Result<Option<String>, SharingError>> {
            Box::pin(async { Ok(None) })
        }
        fn list_shares<'a>(
            &'a self,
            _: &'a str,
        ) -> BoxFuture<'a, Result<Vec<Share>, SharingError>> {
            Box::pin(async { Ok(Vec::new()) })
        }
        fn max_accounts_per_call(&self) -> usize {
            7
        }
        fn max_accounts_per_image(&self) -> Option<usize> {
            Some(11)
        }
        fn check_shareable_calls_provider(&self) -> bool {
            self.0
        }
    }

    /// Fails if journaling a provider changes what the plan learns of it: its name, its limits
    /// (apply would split calls or check the per-image total differently), or whether its
    /// preflight calls it.
    #[test]
    fn a_journaled_provider_answers_as_the_provider() {
        let file = std::env::temp_dir().join(format!("imgshare-journaled-{}", std::process::id()));
        let journal = Journal::append(&file).expect("a journal in the temp dir");
        for preflight_calls in [true, false] {
            let journaled = Journaled {
                inner: Arc::new(Limited(preflight_calls)),
                journal: &journal,
                provider: "entry",
            };
            assert_eq!(journaled.provider(), "limited");
            assert_eq!(journaled.max_accounts_per_call(), 7);
            assert_eq!(journaled.max_accounts_per_image(), Some(11));
            assert_eq!(journaled.check_shareable_calls_provider(), preflight_calls);
        }
        drop(journal);
        let _ = std::fs::remove_file(file);
    }

    /// Fails if the error of a journal that cannot be opened does not name the file, or loses
    /// the cause's kind.
    #[test]
    fn a_journal_that_cannot_be_opened_names_its_file() {
        let dir = std::env::temp_dir().join("imgshare-no-such-dir-for-journal");
        let file = dir.join("journal.jsonl");
        let Err(e) = Journal::append(&file) else {
            panic!("{} was opened", file.display());
        };
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
        let expected = format!("cannot open the journal {}: ", file.display());
        assert!(e.to_string().starts_with(&expected), "{e}");
    }
}
