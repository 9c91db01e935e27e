//! Segmented download: one remote file fetched in several parts at once,
//! each on its own pooled session (`REST start` + `RETR`, stopped once
//! the part is complete), written with positioned writes (`pwrite`) into
//! a file preallocated to the remote size.
//!
//! # When it applies
//! [`Pool::download_segmented`] first asks one session for `TYPE I`, the
//! remote `SIZE` and FEAT. It downloads in one stream, with
//! [`Session::download_file`] on that session, when any of these holds:
//! fewer than 2 segments, or a pool of one session; `resume` asked (a segmented copy has no single
//! "end of what is on disk" to continue from, so resuming is left to the
//! one-stream path, which does it with REST); FEAT does not advertise
//! `REST STREAM`; no usable SIZE answer; a file smaller than
//! [`MIN_SEGMENTED_SIZE`] (the extra connections would cost more than
//! they save).
//!
//! # Parts and rebalancing (lftp #494)
//! The file `[0, size)` is cut into `segments` ranges of equal length (the
//! last one takes the remainder), put in a queue. Up to `segments` workers
//! (threads of one `std::thread::scope`, no more than the pool's
//! `max_sessions`; parts are at least 256 KiB, so a huge `segments` makes
//! fewer) run, each with its own pooled
//! session: the first worker uses the session that asked SIZE; the others
//! take a session only if the pool can lend one at once
//! ([`Pool::try_session`]), so a busy pool gives fewer workers, never a
//! wait. A worker takes the next range from the queue; when the queue is
//! empty it *steals*: it picks the active range with the most bytes left
//! and, if at least `2 * MIN_STEAL` are left, takes its upper half: the
//! owner's end is lowered to `new_end = pos + left / 2` and the thief
//! starts a new range `[new_end, old_end)`. A worker stops when there is
//! neither queued work nor anything worth stealing.
//!
//! Every range's state (`pos`: bytes reserved for writing, `written`:
//! bytes written, `end`) lives under one mutex shared by all workers. The
//! owner's data callback, for each block (at most 256 KiB), locks it,
//! reserves `n = min(block, end - pos)` bytes (`pos += n`), unlocks,
//! writes them at their offset, then records them as written. A thief
//! lowers `end` under the same lock and never below `pos`, so what the
//! owner reserved is always its own and the two ranges never overlap;
//! the owner sees the lowered end at its next block. When a part reaches
//! its end, the callback returns a stop: the session closes the data
//! connection, reads the server's 426/226, and stays usable (that
//! expected stop is not an error and breaks nothing). A last part ending
//! at the file's end simply reads to the end of the data.
//!
//! # Failures
//! The first failure (session, server, local I/O) stops the other workers
//! at their next block (a clean stop: their sessions stay in the pool) and
//! is returned; the failing session is closed when its error may have
//! broken it ([`super::PooledSession::run`]). Without `atomic` the local
//! file is then cut to the part known to be complete from its start (so
//! it never looks complete with holes, and a later one-stream `resume`
//! continues it); with `atomic` the temporary file is removed.
//!
//! # Options
//! - `verify`: after all parts, by the server's digest (HASH / X commands,
//!   see `crate::files::verify`) or SIZE. The local digest is computed by
//!   reading the finished file once: the parts arrive out of order, so it
//!   cannot be computed while the data streams, as one-stream downloads
//!   do.
//! - `atomic`: the parts are written to `.NAME.part-XXXXXXXX` next to the
//!   target, synced and renamed over it once complete (and verified).
//! - `create_dirs`, `keep_mtime`: as for [`Session::download_file`].

use super::{Pool, PooledSession};
use crate::command::check_line;
use crate::error::{Error, Result};
use crate::files::verify::{self, Digests, Original, Plan};
use crate::files::{atomic, download::set_mtime_from_server, local_io, FileOptions};
use crate::progress::ProgressInfo;
use crate::session::{Session, MAX_RETR_BLOCK};
use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

/// Files smaller than this are downloaded in one stream.
pub(crate) const MIN_SEGMENTED_SIZE: u64 = 1 << 20;

/// A range is split by a thief only when at least twice this is left.
const MIN_STEAL: u64 = 256 * 1024;

/// One worker's current range.
#[derive(Debug, Clone, Copy)]
struct Range {
    /// Bytes before `pos` are reserved by the owner (being or written).
    pos: u64,
    /// Bytes before `written` (from the range's start) are on the disk.
    written: u64,
    /// Where the range ends now (lowered by a thief).
    end: u64,
}

/// What the workers share, behind one mutex.
#[derive(Debug, Default)]
struct Sched {
    /// Ranges nobody has started.
    queue: VecDeque<(u64, u64)>,
    /// Each worker's range in progress (`None`: between ranges, or done).
    active: Vec<Option<Range>>,
    /// Set on the first failure: every worker stops.
    failed: bool,
    /// Ranges taken by stealing (for tests and the debug log).
    steals: u64,
    /// The whole file's size (the total of the parts' progress reports).
    size: u64,
}

impl Sched {
    /// The next range for `worker`: queued, else stolen; `None` when
    /// there is nothing left worth taking.
    fn next(&mut self, worker: usize) -> Option<(u64, u64)> {
        if self.failed {
            return None;
        }
        let (start, end) = match self.queue.pop_front() {
            Some(r) => r,
            None => {
                let (victim, left) = self
                    .active
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| r.map(|r| (i, r.end - r.pos)))
                    .max_by_key(|&(_, left)| left)?;
                if left < 2 * MIN_STEAL {
                    return None;
                }
                let r = self.active[victim].as_mut().expect("chosen as active");
                let new_end = r.pos + left / 2;
                let old_end = r.end;
                r.end = new_end;
                self.steals += 1;
                (new_end, old_end)
            }
        };
        self.active[worker] = Some(Range {
            pos: start,
            written: start,
            end,
        });
        Some((start, end))
    }

    /// Where the complete prefix of the file ends: the lowest byte not
    /// known to be written (`size` when everything is).
    fn complete_prefix(&self, size: u64) -> u64 {
        let queued = self.queue.iter().map(|r| r.0);
        let active = self
            .active
            .iter()
            .flatten()
            .filter(|r| r.written < r.end)
            .map(|r| r.written);
        queued.chain(active).min().unwrap_or(size)
    }
}

/// The stop a part's callback returns when the part is complete.
const PART_DONE: &str = "segment complete";

/// Why a worker stopped early because another failed.
const OTHER_FAILED: &str = "another segment failed";

fn lock(m: &Mutex<Sched>) -> MutexGuard<'_, Sched> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Pool {
    /// Downloads `remote` into the local file `local` in up to `segments`
    /// parts fetched at once over the pool's sessions; see the module's
    /// text (`pool/segmented.rs`) for when it falls back to one stream,
    /// how parts are rebalanced, and what `opts` do. `remote` is relative
    /// to the pool's directory.
    pub fn download_segmented(
        &self,
        remote: &str,
        local: &Path,
        segments: u32,
        opts: FileOptions,
    ) -> Result<()> {
        check_line(remote, "the remote path")?;
        if remote.is_empty() {
            return Err(Error::InvalidArgument("the remote path is empty".into()));
        }
        let _call = self.enter();
        if segments <= 1 || opts.resume || self.max_sessions() < 2 {
            return self
                .session()?
                .run(|s| s.download_file(remote, local, opts));
        }
        let (mut first, size) = self.probe_while_opening(remote, segments)?;
        let Some(size) = size.filter(|&n| n >= MIN_SEGMENTED_SIZE) else {
            return first.run(|s| s.download_file(remote, local, opts));
        };
        segmented(self, first, remote, local, size, segments, opts)
    }
}

impl Pool {
    /// The first session and [`probe`]'s answer. When the first session's
    /// FEAT (read at login) offers `REST STREAM`, up to `segments - 1` more
    /// sessions (within `max_sessions`) are opened while the first asks
    /// for the size, and left idle in binary mode, so that the parts do
    /// not start one connect and login after another. Their failures are
    /// ignored here: a part's worker that cannot get a session leaves its
    /// work to the others. When the file turns out too small to segment,
    /// the extra sessions stay idle in the pool for later calls.
    fn probe_while_opening(
        &self,
        remote: &str,
        segments: u32,
    ) -> Result<(PooledSession, Option<u64>)> {
        let mut first = self.session()?;
        if !first.run(rest_stream)? {
            first.run(|s| {
                s.debug_line(1, "*segmented* no REST STREAM in FEAT: one stream");
                Ok(())
            })?;
            return Ok((first, None));
        }
        let extra = usize::try_from(segments)
            .unwrap_or(usize::MAX)
            .min(self.max_sessions())
            .saturating_sub(1);
        std::thread::scope(|scope| {
            for _ in 0..extra {
                scope.spawn(|| {
                    if let Ok(Some(mut s)) = self.try_session() {
                        let _ = s.run(|s| s.set_type('I'));
                    }
                });
            }
            let size = first.run(|s| probe(s, remote))?;
            Ok((first, size))
        })
    }
}

/// Whether the server's FEAT offers `REST STREAM` (a segment starts with REST).
fn rest_stream(s: &mut Session) -> Result<bool> {
    Ok(s.feature("REST")?.is_some_and(|p| {
        p.split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("STREAM"))
    }))
}

/// TYPE I, SIZE: the size when the server answers SIZE, else `None`.
fn probe(s: &mut Session, remote: &str) -> Result<Option<u64>> {
    s.set_type('I')?;
    match s.size(remote) {
        Ok(n) => Ok(n),
        // No SIZE here (or not for this file): the one stream will tell.
        Err(Error::Perm(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

fn segmented(
    pool: &Pool,
    first: PooledSession,
    remote: &str,
    local: &Path,
    size: u64,
    segments: u32,
    opts: FileOptions,
) -> Result<()> {
    if opts.create_dirs {
        if let Some(d) = local.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(d)
                .map_err(|e| local_io(format!("creating the directory {}", d.display()), e))?;
        }
    }
    let (path, file): (PathBuf, File) = if opts.atomic {
        atomic::create_local_part(local)?
    } else {
        let f = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(local)
            .map_err(|e| local_io(format!("opening {}", local.display()), e))?;
        (local.to_path_buf(), f)
    };
    let result = fetch_parts(pool, first, remote, &file, size, segments)
        .and_then(|first| finish(pool, first, remote, &path, &file, size, opts));
    match &result {
        Ok(()) if opts.atomic => {
            drop(file);
            std::fs::rename(&path, local).map_err(|e| {
                let _ = std::fs::remove_file(&path);
                local_io(
                    format!("renaming {} to {}", path.display(), local.display()),
                    e,
                )
            })?;
            atomic::sync_dir(local);
        }
        Ok(()) => {}
        Err(_) if opts.atomic => {
            drop(file);
            let _ = std::fs::remove_file(&path);
        }
        Err(_) => {}
    }
    result
}

/// Runs the workers; on success gives back a session for what follows.
/// On failure the file is cut to its complete prefix.
fn fetch_parts(
    pool: &Pool,
    first: PooledSession,
    remote: &str,
    file: &File,
    size: u64,
    segments: u32,
) -> Result<Option<PooledSession>> {
    file.set_len(size)
        .map_err(|e| local_io("preallocating the local file".into(), e))?;
    // Parts of at least MIN_STEAL bytes; at most one thread per session
    // the pool may open (more parts than that are queued).
    let parts = u64::from(segments).min(size / MIN_STEAL).max(1);
    let each = size / parts;
    let n = usize::try_from(parts)
        .unwrap_or(usize::MAX)
        .min(pool.max_sessions());
    let mut sched = Sched {
        active: vec![None; n],
        size,
        ..Sched::default()
    };
    for i in 0..parts {
        let end = if i + 1 == parts { size } else { (i + 1) * each };
        sched.queue.push_back((i * each, end));
    }
    let sched = Mutex::new(sched);
    let mut first = Some(first);
    let outcomes: Vec<(Result<()>, Option<PooledSession>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .map(|w| {
                let own = if w == 0 { first.take() } else { None };
                let sched = &sched;
                scope.spawn(move || worker(pool, own, w, remote, file, sched))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    (
                        Err(Error::Internal("a segment's thread panicked".into())),
                        None,
                    )
                })
            })
            .collect()
    });
    let sched = sched.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut error = None;
    let mut session = None;
    for (r, s) in outcomes {
        match r {
            Err(Error::Callback(why)) if why == OTHER_FAILED => {}
            Err(e) => {
                error.get_or_insert(e);
            }
            Ok(()) => {}
        }
        if session.is_none() {
            session = s;
        }
    }
    let prefix = sched.complete_prefix(size);
    if error.is_none() && prefix < size {
        error = Some(Error::Internal(format!(
            "the segments left bytes from {prefix} unwritten"
        )));
    }
    if let Some(e) = error {
        let _ = file.set_len(prefix);
        return Err(e);
    }
    if let Some(s) = session.as_mut() {
        s.debug_line(
            1,
            &format!(
                "*segmented* {remote}: {size} bytes, {parts} parts on up to {n} sessions, {} stolen",
                sched.steals
            ),
        );
    }
    Ok(session)
}

/// One worker: ranges from the queue (or stolen) on one session, until
/// none is left. Gives back its session when it still has one.
fn worker(
    pool: &Pool,
    own: Option<PooledSession>,
    w: usize,
    remote: &str,
    file: &File,
    sched: &Mutex<Sched>,
) -> (Result<()>, Option<PooledSession>) {
    let mut session = match own {
        Some(s) => s,
        // A pool that cannot lend one now: the other workers do the work.
        None => match pool.try_session() {
            Ok(Some(s)) => s,
            Ok(None) | Err(_) => return (Ok(()), None),
        },
    };
    loop {
        let Some((start, _)) = lock(sched).next(w) else {
            return (Ok(()), Some(session));
        };
        let r = session.run(|s| part(s, w, remote, file, start, sched));
        {
            // A complete range is forgotten; an incomplete one stays (for
            // the complete prefix after a failure).
            let mut st = lock(sched);
            if st.active[w].is_some_and(|r| r.written >= r.end) {
                st.active[w] = None;
            }
        }
        if let Err(e) = r {
            lock(sched).failed = true;
            return (Err(e), Some(session));
        }
    }
}

/// One part: `REST start` + `RETR`, each block written at its offset
/// until the range's (possibly lowered) end, then stopped.
fn part(
    s: &mut Session,
    w: usize,
    remote: &str,
    file: &File,
    start: u64,
    sched: &Mutex<Sched>,
) -> Result<()> {
    let mut complete = false;
    let cmd = format!("RETR {remote}");
    let size = lock(sched).size;
    s.files_state_mut().strict_rest = true;
    // Reports name the file and its whole size; a part's bytes count from
    // its start (the report's offset).
    s.set_progress_info(ProgressInfo {
        path: Some(remote.to_string()),
        total: Some(size),
    });
    let started = Instant::now();
    let r = s.retrbinary(&cmd, MAX_RETR_BLOCK, Some(start), |block| {
        let (at, n) = {
            let mut st = lock(sched);
            if st.failed {
                return Err(Error::Callback(OTHER_FAILED.into()));
            }
            let r = st.active[w].as_mut().expect("the worker's range");
            let n = (block.len() as u64).min(r.end - r.pos);
            let at = r.pos;
            r.pos += n;
            (at, n as usize)
        };
        file.write_all_at(&block[..n], at)
            .map_err(|e| local_io("writing the local file".into(), e))?;
        let mut st = lock(sched);
        let r = st.active[w].as_mut().expect("the worker's range");
        r.written = r.pos;
        if r.written >= r.end {
            complete = true;
            return Err(Error::Callback(PART_DONE.into()));
        }
        Ok(())
    });
    s.files_state_mut().strict_rest = false;
    match r {
        Err(Error::Callback(why)) if complete && why == PART_DONE => {
            // Ended by its callback: the part's last report is sent here.
            let end = lock(sched).active[w].map_or(start, |r| r.written);
            s.report_complete(remote, start, end - start, Some(size), started.elapsed())
        }
        Err(e) => Err(e),
        Ok(_) => {
            let st = lock(sched);
            let r = st.active[w].expect("the worker's range");
            if r.written < r.end {
                return Err(Error::Proto(format!(
                    "the data of {remote} ended at {} but this part runs to {}",
                    r.written, r.end
                )));
            }
            Ok(())
        }
    }
}

/// After all parts: sync, verify, the mtime.
fn finish(
    pool: &Pool,
    session: Option<PooledSession>,
    remote: &str,
    path: &Path,
    file: &File,
    size: u64,
    opts: FileOptions,
) -> Result<()> {
    if opts.atomic {
        file.sync_all()
            .map_err(|e| local_io(format!("syncing {}", path.display()), e))?;
    }
    if !opts.verify && !opts.keep_mtime {
        return Ok(());
    }
    let mut s = match session {
        Some(s) => s,
        None => pool.session()?,
    };
    s.run(|s| {
        if opts.verify {
            let plan = Plan::from_features(s.features()?);
            let digests = if plan.size_only() {
                None
            } else {
                // Read back once: the parts arrived out of order.
                let mut d = Digests::new(&plan.algos())?;
                d.update_from_file(file, size)?;
                Some(d)
            };
            verify::compare(s, remote, &plan, digests.as_ref(), size, Original::Server)?;
        }
        if opts.keep_mtime {
            set_mtime_from_server(s, remote, file)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stealing_takes_the_upper_half_of_the_largest_range() {
        let mut st = Sched {
            active: vec![None; 3],
            ..Sched::default()
        };
        st.queue.push_back((0, 4 << 20));
        assert_eq!(st.next(0), Some((0, 4 << 20)));
        st.active[0].as_mut().unwrap().pos = 1 << 20;
        st.active[0].as_mut().unwrap().written = 1 << 20;
        // Queue empty: worker 1 steals half of the 3 MiB left.
        let mid = (1 << 20) + (3 << 20) / 2;
        assert_eq!(st.next(1), Some((mid, 4 << 20)));
        assert_eq!(st.active[0].unwrap().end, mid);
        assert_eq!(st.steals, 1);
        assert_eq!(st.complete_prefix(4 << 20), 1 << 20);
        // Too little left anywhere: nothing more.
        st.active[0].as_mut().unwrap().pos = mid - MIN_STEAL;
        st.active[1].as_mut().unwrap().pos = (4 << 20) - MIN_STEAL;
        assert_eq!(st.next(2), None);
        st.failed = true;
        st.queue.push_back((0, 1));
        assert_eq!(st.next(2), None);
    }
}
