//! `download_file`: a remote file into a local path.
//!
//! Without `verify` the data goes through [`Session::retr_to_fd`] (splice
//! from the socket into the file where the kernel allows it), so a plain
//! whole-file download costs what `ftp_retr_to_fd` costs plus the open.
//! With `verify` it goes through [`Session::retrbinary`], writing each
//! block to the file and into the digests (no second pass over the data);
//! with `resume` the part already on disk is hashed first (read once from
//! the local file: it was not transferred by this call).

use super::atomic;
use super::retry::{self, Restore};
use super::verify::{self, Digests, Original, Plan};
use super::{local_io, FileOptions};
use crate::command::check_line;
use crate::error::{Error, Result};
use crate::progress::ProgressInfo;
use crate::session::{Session, MAX_RETR_BLOCK};
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What becomes of the file written when the call fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnFailure {
    /// The target itself was written: left as it is.
    Leave,
    /// A unique temporary file: removed.
    Remove,
    /// The resumable `.name.part`: kept, unless verification failed.
    KeepForResume,
}

pub(crate) fn download(
    s: &mut Session,
    remote: &str,
    local: &Path,
    opts: FileOptions,
) -> Result<()> {
    download_sized(s, remote, local, opts, None)
}

/// [`download`] of a file whose size the caller knows (a listing told):
/// it is the progress reports' total, so no SIZE is asked for them.
pub(crate) fn download_sized(
    s: &mut Session,
    remote: &str,
    local: &Path,
    opts: FileOptions,
    known_size: Option<u64>,
) -> Result<()> {
    s.begin()?;
    check_line(remote, "the remote path")?;
    if remote.is_empty() {
        return Err(Error::InvalidArgument("the remote path is empty".into()));
    }
    let name = atomic::file_name(local)?;
    let dir = local
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf);
    if opts.create_dirs {
        if let Some(d) = &dir {
            std::fs::create_dir_all(d)
                .map_err(|e| local_io(format!("creating the directory {}", d.display()), e))?;
        }
    }
    let restore = retry::before(s)?;
    let plan = if opts.verify {
        Some(Plan::from_features(s.features()?))
    } else {
        None
    };
    let open_err = |p: &Path, e| local_io(format!("opening {}", p.display()), e);
    let (path, mut file, on_failure): (PathBuf, File, OnFailure) = if opts.atomic {
        if opts.resume {
            let p = dir
                .clone()
                .unwrap_or_default()
                .join(atomic::part_name(&name, true));
            let f = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&p)
                .map_err(|e| open_err(&p, e))?;
            (p, f, OnFailure::KeepForResume)
        } else {
            let (p, f) = atomic::create_local_part(local)?;
            (p, f, OnFailure::Remove)
        }
    } else {
        let f = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(!opts.resume)
            .open(local)
            .map_err(|e| open_err(local, e))?;
        (local.to_path_buf(), f, OnFailure::Leave)
    };
    let result = fetch(
        s,
        remote,
        &mut file,
        (opts, known_size),
        plan.as_ref(),
        &restore,
    )
    .and_then(|()| {
        if opts.atomic {
            // On the disk before it takes the target's name: a crash
            // leaves the old file or the whole new one, never a part.
            file.sync_all()
                .map_err(|e| local_io(format!("syncing {}", path.display()), e))?;
            drop(file);
            std::fs::rename(&path, local).map_err(|e| {
                local_io(
                    format!("renaming {} to {}", path.display(), local.display()),
                    e,
                )
            })?;
            atomic::sync_dir(local);
            Ok(())
        } else {
            Ok(())
        }
    });
    if let Err(e) = &result {
        let remove = match on_failure {
            OnFailure::Leave => false,
            OnFailure::Remove => true,
            OnFailure::KeepForResume => matches!(e, Error::Verify(_)),
        };
        if remove {
            let _ = std::fs::remove_file(&path);
        }
    }
    result
}

/// The transfer (with retries), then verification and the mtime.
fn fetch(
    s: &mut Session,
    remote: &str,
    file: &mut File,
    (opts, known_size): (FileOptions, Option<u64>),
    plan: Option<&Plan>,
    restore: &Restore,
) -> Result<()> {
    let mut offset = if opts.resume {
        file.metadata()
            .map_err(|e| local_io("reading the local file's size".into(), e))?
            .len()
    } else {
        0
    };
    let mut complete = false;
    let mut total = known_size;
    if !opts.resume && total.is_none() && s.reports_progress() {
        // A progress callback wants the total; not every 150 tells it.
        s.set_type('I')?;
        match s.size(remote) {
            Ok(n) => total = n,
            Err(Error::Perm(_)) => {}
            Err(e) => return Err(e),
        }
    }
    if opts.resume {
        s.set_type('I')?;
        match s.size(remote) {
            Ok(Some(size)) if offset > size => {
                return Err(Error::InvalidArgument(format!(
                    "the local file ({offset} bytes) is larger than {remote} on the server \
                     ({size} bytes): not resuming (nothing was changed)"
                )))
            }
            Ok(Some(size)) => {
                complete = offset == size;
                total = Some(size);
            }
            Ok(None) => {}
            // No SIZE here: REST will tell.
            Err(Error::Perm(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let mut digests = match plan {
        Some(p) if !p.size_only() => {
            let mut d = Digests::new(&p.algos())?;
            d.update_from_file(file, offset)?;
            Some(d)
        }
        _ => None,
    };
    file.seek(SeekFrom::Start(offset))
        .map_err(|e| local_io("positioning the local file".into(), e))?;
    let attempts = s.files_state().retry.attempts;
    let mut retries = 0;
    loop {
        if complete {
            break;
        }
        // Progress reports name the file and, when SIZE told, its size.
        s.set_progress_info(ProgressInfo {
            path: Some(remote.to_string()),
            total,
        });
        let err = match once(s, remote, file, offset, digests.as_mut()) {
            Ok(()) => break,
            Err(e) if retry::is_transient(&e) && retries < attempts => e,
            Err(e) => return Err(e),
        };
        s.debug_line(1, &format!("*retry* download of {remote} failed: {err}"));
        let mut last = err;
        loop {
            if retries >= attempts {
                return Err(last);
            }
            let r = retry::reconnect(s, retries, restore);
            retries += 1;
            match r {
                Ok(()) => break,
                Err(e) if retry::is_transient(&e) => last = e,
                Err(e) => return Err(e),
            }
        }
        // Everything written so far stays: go on from there.
        offset = file
            .stream_position()
            .map_err(|e| local_io("reading the local file's position".into(), e))?;
    }
    let size = file
        .metadata()
        .map_err(|e| local_io("reading the local file's size".into(), e))?
        .len();
    if let Some(p) = plan {
        verify::compare(s, remote, p, digests.as_ref(), size, Original::Server)?;
    }
    if opts.keep_mtime {
        set_mtime_from_server(s, remote, file)?;
    }
    Ok(())
}

/// Gives `file` the modification time of `remote` on the server (MDTM,
/// else MLST): `FTP_KEEP_MTIME` of downloads.
pub(crate) fn set_mtime_from_server(s: &mut Session, remote: &str, file: &File) -> Result<()> {
    let secs = remote_mtime(s, remote)?;
    file.set_modified(system_time(secs))
        .map_err(|e| local_io("setting the local file's modification time".into(), e))
}

/// Unix seconds (negative before 1970) as a time.
pub(crate) fn system_time(secs: i64) -> SystemTime {
    if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs as u64)
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    }
}

/// One RETR from `offset` into `file` at its position.
fn once(
    s: &mut Session,
    remote: &str,
    file: &mut File,
    offset: u64,
    digests: Option<&mut Digests>,
) -> Result<()> {
    let cmd = format!("RETR {remote}");
    let rest = (offset > 0).then_some(offset);
    s.files_state_mut().strict_rest = true;
    let result = match digests {
        None => s.retr_to_fd(&cmd, file.as_fd(), rest).map(drop),
        Some(d) => s
            .retrbinary(&cmd, MAX_RETR_BLOCK, rest, |block| {
                file.write_all(block)
                    .map_err(|e| local_io("writing the local file".into(), e))?;
                d.update(block)
            })
            .map(drop),
    };
    s.files_state_mut().strict_rest = false;
    result
}

/// The remote file's modification time: MDTM, else what MLST (stat) says.
pub(crate) fn remote_mtime(s: &mut Session, remote: &str) -> Result<i64> {
    match s.mdtm(remote) {
        Ok(t) => Ok(t),
        Err(mdtm_err @ (Error::Perm(_) | Error::Proto(_))) => match s.stat(remote) {
            Ok(e) => e.mtime.map(|m| m.secs).ok_or(mdtm_err),
            Err(_) => Err(mdtm_err),
        },
        Err(e) => Err(e),
    }
}
