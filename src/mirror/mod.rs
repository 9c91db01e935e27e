//! Mirroring a directory tree between the server and the local disk over
//! a [`Pool`]: [`Pool::mirror`].
//!
//! # Steps
//! 0. A download checks that the remote root is a directory (vsftpd lists
//!    a missing one as empty); an upload makes the remote root.
//! 1. Walk the source tree: remotely with [`Session::list`] (MLSD, else
//!    LIST parsed), the directories of each level at once on the pool's
//!    sessions (walk_remote.rs); locally with `lstat`, symbolic links never
//!    followed (walk.rs).
//! 2. Walk the target tree when it is needed: always for a download (the
//!    local disk costs no round trip); for an upload only with `newer`,
//!    `delete`, or when a journal of an unfinished run exists.
//! 3. Plan (plan.rs): directories to create, files to copy (largest
//!    first), files to delete, leftovers of a crashed run to remove.
//! 4. Delete (with `delete`) and create directories, on one session.
//! 5. Copy with up to `max_sessions` worker threads (run.rs), each on its
//!    own pooled session, taking the next file from one shared list: no
//!    thread per file, no TYPE, CWD or SIZE per file (paths are relative
//!    to the pool's directory; sizes and times come from the listings).
//!
//! # Crash safety
//! - Downloads write each file to `.NAME.ftp-part` next to its target and
//!   rename it to NAME when complete (and verified): a file under its own
//!   name is always complete. With `atomic` the part is also fsync'ed
//!   before the rename and the directory after it (power loss too).
//! - Uploads write to the target name directly (no RNFR/RNTO round trips)
//!   unless `atomic` asks for the temporary-name upload of
//!   [`Session::upload_file`].
//! - A journal, `.ftp-mirror.journal` in the local root (journal.rs),
//!   records each file started and each file completed, with the source's
//!   size and time. It is removed when a run ends with no failure. A later
//!   run of the same mirror (same direction, server and remote directory)
//!   skips the files the journal says were completed (when the source
//!   still has the recorded size and time, and the target that size), so
//!   a rerun after `kill -9` does not copy them again, whatever its mode.
//! - Leftovers: a `.NAME.ftp-part` found in the local target is continued
//!   (`resume`) when NAME is copied again, else removed. An upload that
//!   the journal says was started and not completed is continued from the
//!   remote size with `resume`, else sent again whole. Leftover temporary
//!   names of atomic uploads (`.NAME.part`, `.NAME.part-XXXXXXXX`) found in
//!   the remote target are removed (a `.NAME.part` is continued with
//!   `resume | atomic`).
//!
//! # Modes
//! - Everything (default): every source file is copied.
//! - `newer`: a file is copied only when the target lacks it, their sizes
//!   differ, or the target's time is certainly older than the source's
//!   (times as precise as the listing gives them: LIST times of a minute
//!   or a day count as that whole span; LIST times are read as UTC).
//!   Without a known time on both sides, the size alone decides.
//! - `delete`: target entries the source lacks are deleted (files with
//!   DELE or `unlink`, directories recursively; symbolic links themselves,
//!   never what they point to). Only paths under the target root, built
//!   from listed names, are touched; a name with `/`, or `.`/`..`, is
//!   refused. A target entry of another kind than the source's (a file or
//!   link where the source has a directory, say) is deleted first with
//!   `delete`; without it, the files that would go there fail.
//!
//! A failed file does not stop the others; see [`MirrorReport`].

mod copy;
mod journal;
mod plan;
mod report;
mod run;
mod walk;
mod walk_remote;

pub use report::MirrorReport;

use crate::error::{Error, Result};
use crate::files::FileOptions;
use crate::pool::Pool;
use crate::session::Session;
use std::path::Path;

/// Which way a mirror copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Server to local disk.
    Download,
    /// Local disk to server.
    Upload,
}

/// What a mirror does besides copying.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MirrorOptions {
    /// Per-file options: `resume`, `verify`, `keep_mtime`, `atomic` (see
    /// the module's text); `create_dirs` is implied.
    pub files: FileOptions,
    /// Copy only missing or changed files.
    pub newer: bool,
    /// Delete target entries the source lacks.
    pub delete: bool,
}

impl Pool {
    /// Mirrors `remote_dir` (relative to the pool's directory; "" or "."
    /// is that directory) and `local_dir` in `direction`, with up to
    /// `max_sessions` transfers at once; see the module's text.
    /// The target root is created when missing.
    ///
    /// Returns `Ok` when every file was copied, skipped or deleted as
    /// planned; otherwise the first failure (with the failed path and the
    /// count in its text). `report` is filled in either case.
    pub fn mirror(
        &self,
        direction: Direction,
        remote_dir: &str,
        local_dir: &Path,
        opts: MirrorOptions,
        report: &mut MirrorReport,
    ) -> Result<()> {
        *report = MirrorReport::default();
        let _call = self.enter();
        crate::command::check_line(remote_dir, "the remote directory")?;
        if local_dir.as_os_str().is_empty() {
            return Err(Error::InvalidArgument(
                "the local directory is empty".into(),
            ));
        }
        let remote_dir = match remote_dir.trim_end_matches('/') {
            "" | "." if !remote_dir.starts_with('/') => "",
            "" => "/",
            d => d,
        };
        let job = Job {
            pool: self,
            direction,
            remote_root: remote_dir,
            local_root: local_dir,
            opts,
        };
        let failures = report::Failures::new();
        let result = job.mirror(&failures, report);
        failures.finish(report, result)
    }
}

/// One mirror call's fixed inputs.
pub(crate) struct Job<'a> {
    pub(crate) pool: &'a Pool,
    pub(crate) direction: Direction,
    pub(crate) remote_root: &'a str,
    pub(crate) local_root: &'a Path,
    pub(crate) opts: MirrorOptions,
}

impl Job<'_> {
    fn mirror(&self, failures: &report::Failures, report: &mut MirrorReport) -> Result<()> {
        let mut first = self.pool.session()?;
        let upload = self.direction == Direction::Upload;
        let mut source = if upload {
            walk::local(self.local_root, walk::Side::Source)?
        } else {
            first.run(|s| check_remote_dir(s, self.remote_root))?;
            walk_remote::remote(self, &mut first, walk::Side::Source)?
        };
        for (path, e) in std::mem::take(&mut source.problems) {
            failures.fail(&path, e);
        }
        if !upload {
            std::fs::create_dir_all(self.local_root).map_err(|e| {
                crate::files::local_io(format!("creating {}", self.local_root.display()), e)
            })?;
        }
        let mut journal = journal::Journal::open(self);
        let target = if !upload {
            walk::local(self.local_root, walk::Side::Target)?.into_tree()
        } else {
            // Made first: some servers (vsftpd) list a missing directory
            // as an empty one.
            first.run(|s| make_remote_root(s, self.remote_root))?;
            if self.opts.newer || self.opts.delete || journal.resumed() {
                walk_remote::remote(self, &mut first, walk::Side::Target)?.into_tree()
            } else {
                walk::Tree::unknown()
            }
        };
        let plan = plan::Plan::make(self, &source.nodes, &target, &journal);
        drop(source);
        report.files_skipped = plan.skipped;
        for (path, e) in plan.blocked {
            failures.fail(&path, e);
        }
        copy::prepare(
            self,
            &mut first,
            &plan.removals,
            &plan.dirs,
            target.known,
            failures,
            report,
        );
        drop(target);
        drop(first);
        run::run(self, plan.copies, &journal, failures, report);
        if failures.count() == 0 {
            journal.finish();
        }
        Ok(())
    }
}

/// The source root of a download must be a directory: some servers
/// (vsftpd) list a missing one as empty, which would make a mirror with
/// `delete` empty the target. One `stat` (MLST, else SIZE/CWD).
fn check_remote_dir(s: &mut Session, root: &str) -> Result<()> {
    if root.is_empty() || root == "/" {
        return Ok(());
    }
    match s.stat(root)?.kind {
        crate::listing::EntryType::Dir => Ok(()),
        _ => Err(Error::InvalidArgument(format!(
            "the remote {root:?} is not a directory"
        ))),
    }
}

/// `mkdir -p` of the remote root (when it is not the pool's directory):
/// the target root of an upload exists before anything is listed or
/// copied.
fn make_remote_root(s: &mut Session, root: &str) -> Result<()> {
    if root.is_empty() || root == "/" {
        return Ok(());
    }
    s.makedirs(root)
}
