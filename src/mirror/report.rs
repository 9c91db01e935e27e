//! What a mirror run did, and its failures.

use crate::error::{Error, Result};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// At most this many failures are listed in [`MirrorReport::failures`]
/// (all are counted).
pub(crate) const MAX_LISTED_FAILURES: usize = 100;

/// The counts of a mirror run (the C `ftp_mirror_report`, plus the list
/// of failures).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MirrorReport {
    /// Files copied completely.
    pub files_copied: u64,
    /// Files not copied because the target was up to date (`newer`) or an
    /// earlier, interrupted run of the same mirror completed them.
    pub files_skipped: u64,
    /// Target entries deleted (`delete`): files, links, and directories
    /// (each counted once, with what they held).
    pub files_deleted: u64,
    /// Entries that failed: files not copied, deletions and directories
    /// not made, source entries that could not be read.
    pub files_failed: u64,
    /// The sizes of the files copied, added up.
    pub bytes: u64,
    /// The first failures (at most 100): the path
    /// relative to the roots, and why.
    pub failures: Vec<(String, String)>,
}

/// The failures of a run, shared by its threads.
#[derive(Debug, Default)]
pub(crate) struct Failures {
    first: Mutex<Option<(String, Error)>>,
    listed: Mutex<Vec<(String, String)>>,
    count: AtomicU64,
}

impl Failures {
    pub(crate) fn new() -> Failures {
        Failures::default()
    }

    /// Records that `path` failed with `e`.
    pub(crate) fn fail(&self, path: &str, e: Error) {
        self.count.fetch_add(1, Ordering::Relaxed);
        let mut listed = self.listed.lock().unwrap_or_else(|p| p.into_inner());
        if listed.len() < MAX_LISTED_FAILURES {
            listed.push((path.to_string(), e.to_string()));
        }
        drop(listed);
        let mut first = self.first.lock().unwrap_or_else(|p| p.into_inner());
        first.get_or_insert_with(|| (path.to_string(), e));
    }

    pub(crate) fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// Completes `report` and gives the call's outcome: `result` when the
    /// run itself failed, else the first failure with the path and the
    /// count added to its text, else Ok.
    pub(crate) fn finish(self, report: &mut MirrorReport, result: Result<()>) -> Result<()> {
        report.files_failed = self.count();
        report.failures = self.listed.into_inner().unwrap_or_else(|p| p.into_inner());
        result?;
        match self.first.into_inner().unwrap_or_else(|p| p.into_inner()) {
            None => Ok(()),
            Some((path, e)) => Err(annotate(
                e,
                &format!(
                    "[mirror: {path} failed; {} failure(s) in all]",
                    report.files_failed
                ),
            )),
        }
    }
}

/// `e` with `note` appended to its text, of the same kind.
fn annotate(e: Error, note: &str) -> Error {
    let add = |s: String| format!("{s} {note}");
    match e {
        Error::Reply(mut r) => {
            r.text = add(r.text);
            Error::Reply(r)
        }
        Error::Temp(mut r) => {
            r.text = add(r.text);
            Error::Temp(r)
        }
        Error::Perm(mut r) => {
            r.text = add(r.text);
            Error::Perm(r)
        }
        Error::Io { context, source } => Error::Io {
            context: add(context),
            source,
        },
        Error::Proto(s) => Error::Proto(add(s)),
        Error::Eof(s) => Error::Eof(add(s)),
        Error::Timeout(s) => Error::Timeout(add(s)),
        Error::Tls(s) => Error::Tls(add(s)),
        Error::InvalidArgument(s) => Error::InvalidArgument(add(s)),
        Error::State(s) => Error::State(add(s)),
        Error::Callback(s) => Error::Callback(add(s)),
        Error::Encoding(s) => Error::Encoding(add(s)),
        Error::Internal(s) => Error::Internal(add(s)),
        Error::Cancelled(s) => Error::Cancelled(add(s)),
        Error::Verify(s) => Error::Verify(add(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_failure_is_returned_with_the_count() {
        let f = Failures::new();
        f.fail("a", Error::Perm(crate::Reply::new("550 no".into())));
        f.fail("b", Error::Verify("x".into()));
        let mut r = MirrorReport::default();
        let e = f.finish(&mut r, Ok(())).unwrap_err();
        assert_eq!(r.files_failed, 2);
        assert_eq!(r.failures.len(), 2);
        assert!(matches!(&e, Error::Perm(r) if r.code == 550));
        assert!(e.to_string().contains("a failed; 2 failure(s)"), "{e}");
    }
}
