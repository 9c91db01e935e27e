//! The copies of a mirror: up to `max_sessions` worker threads (of one
//! `std::thread::scope`), each with its own pooled session, taking the
//! next file from one list sorted largest first (an atomic index: no
//! lock per file). The big files start first and the small ones fill in
//! behind them, so no session idles while files are left.
//!
//! The first worker waits for a session as `Pool::session` does; the
//! others take one only if the pool can lend it at once (a pool busy with
//! other callers gives fewer workers, never a wait). A worker whose
//! session broke during a copy (see `PooledSession::run`) borrows another
//! for its next file; one that cannot get one stops, and files nobody
//! took are failed at the end. A progress callback's stop or a cancel
//! stops every worker.

use super::journal::Journal;
use super::plan::Copy;
use super::report::{Failures, MirrorReport};
use super::{copy, Job};
use crate::error::{Error, Result};
use crate::pool::PooledSession;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// What the workers share.
struct Shared<'a> {
    job: &'a Job<'a>,
    copies: &'a [Copy],
    journal: &'a Journal,
    failures: &'a Failures,
    next: AtomicUsize,
    stop: AtomicBool,
    copied: AtomicU64,
    bytes: AtomicU64,
}

pub(crate) fn run(
    job: &Job<'_>,
    copies: Vec<Copy>,
    journal: &Journal,
    failures: &Failures,
    report: &mut MirrorReport,
) {
    if copies.is_empty() {
        return;
    }
    let shared = Shared {
        job,
        copies: &copies,
        journal,
        failures,
        next: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        copied: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
    };
    let workers = job.pool.max_sessions().min(copies.len());
    std::thread::scope(|scope| {
        for w in 0..workers {
            let shared = &shared;
            scope.spawn(move || worker(shared, w == 0));
        }
    });
    let left = shared.next.load(Ordering::SeqCst).min(copies.len());
    for c in &copies[left..] {
        failures.fail(
            &c.path,
            Error::State("not copied: the mirror stopped before this file".into()),
        );
    }
    report.files_copied += shared.copied.into_inner();
    report.bytes += shared.bytes.into_inner();
}

fn borrow(sh: &Shared<'_>, wait: bool) -> Result<Option<PooledSession>> {
    if wait {
        sh.job.pool.session().map(Some)
    } else {
        sh.job.pool.try_session()
    }
}

fn worker(sh: &Shared<'_>, first: bool) {
    let mut session = match borrow(sh, first) {
        Ok(Some(s)) => Some(s),
        Ok(None) => return,
        Err(e) => {
            // Nothing taken yet: the other workers (or the end) handle
            // the files; the first worker reports why it got no session.
            if first {
                take_and_fail(sh, e);
            }
            return;
        }
    };
    while !sh.stop.load(Ordering::SeqCst) {
        let i = sh.next.fetch_add(1, Ordering::SeqCst);
        let Some(c) = sh.copies.get(i) else {
            return;
        };
        let mut s = match session.take() {
            Some(s) => s,
            None => match borrow(sh, true) {
                Ok(Some(s)) => s,
                Ok(None) => return,
                Err(e) => {
                    sh.failures.fail(&c.path, e);
                    return;
                }
            },
        };
        sh.journal.record_start(&c.path);
        match s.run(|s| copy::copy_one(sh.job, s, c)) {
            Ok(()) => {
                sh.journal
                    .record_done(&c.path, c.size.unwrap_or(0), c.mtime.map(|m| m.secs));
                sh.copied.fetch_add(1, Ordering::Relaxed);
                sh.bytes.fetch_add(c.size.unwrap_or(0), Ordering::Relaxed);
            }
            Err(e) => {
                if matches!(e, Error::Callback(_) | Error::Cancelled(_)) {
                    sh.stop.store(true, Ordering::SeqCst);
                }
                sh.failures.fail(&c.path, e);
            }
        }
        if !s.is_broken() {
            session = Some(s);
        }
    }
}

/// Takes the next file and fails it with `e` (why no session came).
fn take_and_fail(sh: &Shared<'_>, e: Error) {
    let i = sh.next.fetch_add(1, Ordering::SeqCst);
    if let Some(c) = sh.copies.get(i) {
        sh.failures.fail(&c.path, e);
    }
}
