//! `ftp_pool_mirror`: a directory tree copied over a pool.

use super::boundary::with_pool;
use super::constants::{
    FTP_ATOMIC, FTP_CREATE_DIRS, FTP_KEEP_MTIME, FTP_MIRROR_DELETE, FTP_MIRROR_DOWNLOAD,
    FTP_MIRROR_NEWER, FTP_MIRROR_UPLOAD, FTP_RESUME, FTP_VERIFY,
};
use super::pool_handle::ftp_pool;
use super::result::ftp_result;
use super::strings::arg;
use super::wholefile::{options, path_arg};
use crate::error::{Error, Result};
use crate::mirror::{Direction, MirrorOptions, MirrorReport};
use std::ffi::{c_char, c_int, c_uint};

/// What `ftp_pool_mirror` did. Every field is set by the call, also when
/// it fails (zeros when it failed before starting).
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct ftp_mirror_report {
    /// Files copied completely.
    pub files_copied: u64,
    /// Files not copied: up to date (`FTP_MIRROR_NEWER`), or completed by
    /// an interrupted earlier run of the same mirror (its journal).
    pub files_skipped: u64,
    /// Target entries deleted (`FTP_MIRROR_DELETE`): files, links, and
    /// directories (each counted once, with what they held).
    pub files_deleted: u64,
    /// Entries that failed: files not copied, deletions or directories
    /// not made, source entries that could not be read.
    pub files_failed: u64,
    /// The sizes of the files copied, added up.
    pub bytes: u64,
}

fn direction(d: c_int) -> Result<Direction> {
    match d {
        FTP_MIRROR_DOWNLOAD => Ok(Direction::Download),
        FTP_MIRROR_UPLOAD => Ok(Direction::Upload),
        _ => Err(Error::InvalidArgument(format!(
            "direction {d} is neither FTP_MIRROR_DOWNLOAD (0) nor FTP_MIRROR_UPLOAD (1)"
        ))),
    }
}

fn mirror_options(flags: c_uint) -> Result<MirrorOptions> {
    let known = FTP_RESUME
        | FTP_VERIFY
        | FTP_CREATE_DIRS
        | FTP_KEEP_MTIME
        | FTP_ATOMIC
        | FTP_MIRROR_NEWER
        | FTP_MIRROR_DELETE;
    if flags & !known != 0 {
        return Err(Error::InvalidArgument(format!(
            "unknown flag bits {:#x} (known: FTP_MIRROR_NEWER, FTP_MIRROR_DELETE, FTP_RESUME, \
             FTP_VERIFY, FTP_CREATE_DIRS, FTP_KEEP_MTIME, FTP_ATOMIC)",
            flags & !known
        )));
    }
    Ok(MirrorOptions {
        files: options(flags & !(FTP_MIRROR_NEWER | FTP_MIRROR_DELETE))?,
        newer: flags & FTP_MIRROR_NEWER != 0,
        delete: flags & FTP_MIRROR_DELETE != 0,
    })
}

/// Mirrors the remote directory `remote_dir` (relative to the pool URL's
/// directory; "" or "." is that directory) and the local directory
/// `local_dir`: `direction` `FTP_MIRROR_DOWNLOAD` copies the server's tree
/// into `local_dir`, `FTP_MIRROR_UPLOAD` the local tree to the server.
/// The target root and its directories are created as needed. Up to the
/// pool's `max_sessions` files are copied at once, on as many worker
/// threads, each with its own session (the first waits for one as the
/// other pool calls do; the others only take sessions free at once), the
/// largest files first. Sizes and times come from the listings (MLSD,
/// else LIST), and each copy costs what `ftp_pool_download_file` /
/// `ftp_pool_upload_file` costs (no CWD, TYPE or SIZE per file).
///
/// `flags`: 0 copies every file. `FTP_MIRROR_NEWER` copies only files
/// the target lacks, or has with another size or a certainly older time
/// (LIST times count as the whole minute or day they show; without times
/// on both sides the size decides). `FTP_MIRROR_DELETE` deletes target
/// entries the source lacks, and replaces target entries of another kind
/// (a link or file where the source has a directory...); only paths under
/// the target root are touched, symbolic links are removed and never
/// followed. `FTP_RESUME`, `FTP_VERIFY`, `FTP_KEEP_MTIME`, `FTP_ATOMIC`
/// act on each file as for `ftp_download_file` / `ftp_upload_file` (a
/// download's time comes from an MLSD listing when it has one, else
/// MDTM); `FTP_CREATE_DIRS` is accepted and implied. Symbolic links and
/// other special files of the source are not copied; a remote directory
/// that lists exactly as one of its ancestors (a link back to it, on
/// servers that list links as their targets) is not descended and counts
/// as failed. Another bit, or a
/// bad `direction`: `FTP_ERROR_INVALID_ARGUMENT`.
///
/// Crash safety: a download is written to `.NAME.ftp-part` and renamed to
/// NAME when complete (and verified), so a file under its own name is
/// complete; with `FTP_ATOMIC` it is also fsync'ed first. Uploads go to
/// NAME directly (no extra round trips), or with `FTP_ATOMIC` through a
/// temporary name renamed by RNFR/RNTO. The journal `.ftp-mirror.journal`
/// in `local_dir` records each file started and completed; it is removed
/// when a run ends without failure. After a crash or `kill -9`, calling
/// `ftp_pool_mirror` again for the same mirror finishes the job: files
/// the journal says were completed (source unchanged, target of the same
/// size) are skipped (counted in `files_skipped`) whatever the flags;
/// leftover `.NAME.ftp-part` files are continued with `FTP_RESUME`, else
/// removed; an interrupted upload is continued with `FTP_RESUME`, else
/// sent again; leftover temporary names of atomic uploads are removed.
/// The journal and `.NAME.ftp-part` names are never mirrored.
///
/// A file that fails does not stop the others (a progress callback's stop
/// or a cancel does): the call returns the first failure's code, and
/// `ftp_pool_last_error(p)` (same thread) says which path failed, why,
/// and how many failed in all. A failure before any copy (no session,
/// listing the source root) is returned as is; a download's remote
/// source root is checked first (one MLST, else SIZE/CWD): missing gives
/// the server's refusal (`FTP_ERROR_PERM`), a file
/// `FTP_ERROR_INVALID_ARGUMENT`, and nothing is changed. An upload's
/// remote root is created when missing (`mkdir -p`). `report` (may be NULL)
/// receives the counts. Progress: the pool's progress callback sees each
/// file's transfer (its remote path and size). Any number of threads may
/// mirror on one pool at once (different targets).
#[no_mangle]
pub extern "C" fn ftp_pool_mirror(
    p: *mut ftp_pool,
    direction_: c_int,
    remote_dir: *const c_char,
    local_dir: *const c_char,
    flags: c_uint,
    report: *mut ftp_mirror_report,
) -> ftp_result {
    if !report.is_null() {
        // SAFETY: a non-NULL report points to writable storage (contract).
        unsafe { report.write(ftp_mirror_report::default()) };
    }
    with_pool(p, |pool| {
        // SAFETY: remote_dir and local_dir are NULL or C strings (contract).
        let remote = unsafe { arg(remote_dir, "remote_dir") }?;
        // SAFETY: as above.
        let local = unsafe { path_arg(local_dir, "local_dir") }?;
        let d = direction(direction_)?;
        let opts = mirror_options(flags)?;
        let mut r = MirrorReport::default();
        let result = pool.mirror(d, remote, local, opts, &mut r);
        if !report.is_null() {
            let out = ftp_mirror_report {
                files_copied: r.files_copied,
                files_skipped: r.files_skipped,
                files_deleted: r.files_deleted,
                files_failed: r.files_failed,
                bytes: r.bytes,
            };
            // SAFETY: as above.
            unsafe { report.write(out) };
        }
        result
    })
}
