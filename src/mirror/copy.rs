//! The changes a mirror makes, one at a time: removals and directories
//! before the copies ([`prepare`]), and one file's copy ([`copy_one`]).

use super::plan::{Copy, Removal};
use super::report::{Failures, MirrorReport};
use super::walk::{local_path, remote_path, PART_SUFFIX};
use super::{Direction, Job};
use crate::error::{Error, Result};
use crate::files::download::{download_sized, system_time};
use crate::files::{atomic, local_io, FileOptions};
use crate::pool::PooledSession;
use crate::session::Session;
use std::path::{Path, PathBuf};

/// Removes what the plan says, then creates its directories (parents
/// first), on `s` for the server. Each failure is recorded and the rest
/// goes on; a directory not made makes the copies into it fail.
pub(crate) fn prepare(
    job: &Job<'_>,
    s: &mut PooledSession,
    removals: &[Removal],
    dirs: &[String],
    target_known: bool,
    failures: &Failures,
    report: &mut MirrorReport,
) {
    for r in removals {
        let done = match job.direction {
            Direction::Download => remove_local(&local_path(job.local_root, &r.path), r.dir),
            Direction::Upload => {
                let p = remote_path(job.remote_root, &r.path);
                s.run(|s| {
                    if r.dir {
                        s.remove_tree(&p)
                    } else {
                        s.delete(&p).map(drop)
                    }
                })
            }
        };
        match done {
            Ok(()) if r.counted => report.files_deleted += 1,
            Ok(()) => {}
            Err(e) => failures.fail(&r.path, e),
        }
    }
    for d in dirs {
        let made = match job.direction {
            Direction::Download => make_local_dir(&local_path(job.local_root, d)),
            Direction::Upload => {
                let p = remote_path(job.remote_root, d);
                match s.run(|s| s.mkd(&p)) {
                    // Not walked: it may exist already; a real failure
                    // shows in the copies into it.
                    Err(Error::Perm(_)) if !target_known => Ok(()),
                    other => other.map(drop),
                }
            }
        };
        if let Err(e) = made {
            failures.fail(d, e);
        }
    }
}

/// Removes a local file or link (never what a link points to), or a
/// directory tree (links inside are removed, not followed).
fn remove_local(p: &Path, dir: bool) -> Result<()> {
    let r = if dir {
        std::fs::remove_dir_all(p)
    } else {
        std::fs::remove_file(p)
    };
    r.map_err(|e| local_io(format!("removing {}", p.display()), e))
}

fn make_local_dir(p: &Path) -> Result<()> {
    match std::fs::create_dir(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && is_real_dir(p) => Ok(()),
        Err(e) => Err(local_io(
            format!("creating the directory {}", p.display()),
            e,
        )),
    }
}

fn is_real_dir(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir())
}

/// The file options of one copy.
fn file_options(job: &Job<'_>, resume: bool) -> FileOptions {
    FileOptions {
        resume,
        create_dirs: false,
        ..job.opts.files
    }
}

/// Copies one file of the plan on `s`.
pub(crate) fn copy_one(job: &Job<'_>, s: &mut Session, c: &Copy) -> Result<()> {
    let remote = remote_path(job.remote_root, &c.path);
    let local = local_path(job.local_root, &c.path);
    match job.direction {
        Direction::Upload => s.upload_file(&local, &remote, file_options(job, c.resume)),
        Direction::Download => download(job, s, c, &remote, &local),
    }
}

/// `.NAME.ftp-part` next to `local`.
fn part_of(local: &Path) -> Result<PathBuf> {
    let name = atomic::file_name(local)?;
    Ok(local.with_file_name(format!(".{name}{PART_SUFFIX}")))
}

/// Downloads into `.NAME.ftp-part` and renames it to NAME when complete.
/// The time comes from the listing when it is exact (MLSD), else from
/// MDTM (`keep_mtime`). A failure removes the part, unless `resume` is
/// asked (kept for the next run; removed anyway when verification fails).
fn download(job: &Job<'_>, s: &mut Session, c: &Copy, remote: &str, local: &Path) -> Result<()> {
    let part = part_of(local)?;
    let o = job.opts.files;
    // A part larger than the file is not the start of it.
    let resume =
        c.resume && std::fs::metadata(&part).is_ok_and(|m| c.size.is_some_and(|n| m.len() <= n));
    let exact = c.mtime.filter(|m| m.utc && m.precision == 1);
    let keep_from_listing = o.keep_mtime && exact.is_some();
    let fo = FileOptions {
        keep_mtime: o.keep_mtime && !keep_from_listing,
        atomic: false,
        ..file_options(job, resume)
    };
    // The listing's size is the progress total: no SIZE per file.
    let result = download_sized(s, remote, &part, fo, c.size).and_then(|()| {
        if keep_from_listing || o.atomic {
            finish_part(&part, exact.filter(|_| keep_from_listing), o.atomic)?;
        }
        std::fs::rename(&part, local).map_err(|e| {
            local_io(
                format!("renaming {} to {}", part.display(), local.display()),
                e,
            )
        })?;
        if o.atomic {
            atomic::sync_dir(local);
        }
        Ok(())
    });
    if let Err(e) = &result {
        if !o.resume || matches!(e, Error::Verify(_)) {
            let _ = std::fs::remove_file(&part);
        }
    }
    result
}

/// Gives the part the listing's time and, for `atomic`, syncs it.
fn finish_part(part: &Path, mtime: Option<crate::listing::Mtime>, sync: bool) -> Result<()> {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(part)
        .map_err(|e| local_io(format!("opening {}", part.display()), e))?;
    if let Some(m) = mtime {
        f.set_modified(system_time(m.secs))
            .map_err(|e| local_io(format!("setting the time of {}", part.display()), e))?;
    }
    if sync {
        f.sync_all()
            .map_err(|e| local_io(format!("syncing {}", part.display()), e))?;
    }
    Ok(())
}
