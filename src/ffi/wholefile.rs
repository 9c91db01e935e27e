//! Whole-file transfers and directory helpers: `ftp_download_file`,
//! `ftp_upload_file`, `ftp_checksum`, `ftp_makedirs`, `ftp_remove_tree`,
//! `ftp_set_retry`.

use super::boundary::{out_ptr, with_session};
use super::constants::{FTP_ATOMIC, FTP_CREATE_DIRS, FTP_KEEP_MTIME, FTP_RESUME, FTP_VERIFY};
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::{arg, opt_arg, to_cstring};
use crate::error::{Error, Result};
use crate::files::{FileOptions, HashAlgo};
use std::ffi::{c_char, c_uint, CStr, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::Duration;

/// The flags as options; an unknown bit is refused.
pub(crate) fn options(flags: c_uint) -> Result<FileOptions> {
    let known = FTP_RESUME | FTP_VERIFY | FTP_CREATE_DIRS | FTP_KEEP_MTIME | FTP_ATOMIC;
    if flags & !known != 0 {
        return Err(Error::InvalidArgument(format!(
            "unknown flag bits {:#x} (known: FTP_RESUME, FTP_VERIFY, FTP_CREATE_DIRS, \
             FTP_KEEP_MTIME, FTP_ATOMIC)",
            flags & !known
        )));
    }
    Ok(FileOptions {
        resume: flags & FTP_RESUME != 0,
        verify: flags & FTP_VERIFY != 0,
        create_dirs: flags & FTP_CREATE_DIRS != 0,
        keep_mtime: flags & FTP_KEEP_MTIME != 0,
        atomic: flags & FTP_ATOMIC != 0,
    })
}

/// Borrows a local path: any bytes but NUL (not necessarily UTF-8).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string alive for `'a`.
pub(crate) unsafe fn path_arg<'a>(p: *const c_char, what: &str) -> Result<&'a Path> {
    if p.is_null() {
        return Err(Error::InvalidArgument(format!("{what} is NULL")));
    }
    // SAFETY: the caller guarantees a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    if bytes.is_empty() {
        return Err(Error::InvalidArgument(format!("{what} is empty")));
    }
    Ok(Path::new(OsStr::from_bytes(bytes)))
}

/// Downloads the remote file `remote` into the local file `local_path`
/// (binary mode). `flags`: 0 or any of `FTP_RESUME`, `FTP_VERIFY`,
/// `FTP_CREATE_DIRS`, `FTP_KEEP_MTIME`, `FTP_ATOMIC`; another bit gives
/// `FTP_ERROR_INVALID_ARGUMENT`.
///
/// Without flags `local_path` is created or truncated at once and receives
/// the server's bytes through the same zero-copy path as `ftp_retr_to_fd`
/// (splice on plain data connections): as fast. On failure it is left as
/// far as it got (use `FTP_ATOMIC` to keep the old file until the new one
/// is complete, `FTP_RESUME` to continue it later).
///
/// - `FTP_RESUME`: continues from the local file's size with `REST`. A
///   server that does not answer REST with 350 fails the call
///   (`FTP_ERROR_PERM` for a 5xx, `ftp_last_error` says REST was refused)
///   before RETR: the partial file is never restarted over. A local file
///   as large as the remote SIZE transfers nothing (it is still verified
///   with `FTP_VERIFY`); a larger one gives `FTP_ERROR_INVALID_ARGUMENT`
///   and is left alone.
/// - `FTP_VERIFY`: after the transfer the copy is compared with the
///   server: `HASH` (draft-bryan-ftpext-hash, best advertised of SHA-256,
///   SHA-1, MD5, CRC32, chosen with `OPTS HASH`), else the `XSHA256`,
///   `XSHA1`, `XMD5`, `XCRC` commands FEAT advertises (each refused with
///   500-504 moves on to the next), else `SIZE`. The local digest is
///   computed while the data is written (so this goes through a 256 KiB
///   buffer instead of splice: slower); with `FTP_RESUME` the part already
///   on disk is read once and hashed first. A mismatch gives
///   `FTP_ERROR_VERIFY` ("expected ... got ..."); without `FTP_ATOMIC` the
///   mismatching file is left in place.
/// - `FTP_CREATE_DIRS`: creates the missing local parent directories.
/// - `FTP_KEEP_MTIME`: sets the local modification time from `MDTM` (else
///   `MLST`); a server that tells neither fails the call after the copy.
/// - `FTP_ATOMIC`: writes a temporary file `.NAME.part-XXXXXXXX` in the
///   target's directory and renames it over `local_path` once complete
///   and verified; on any failure it is removed and `local_path` is
///   untouched. With `FTP_RESUME | FTP_ATOMIC` the temporary file is
///   `.NAME.part` (a fixed name): an existing one is resumed, and it is
///   kept when the call fails (so the next call with the same flags goes
///   on from there), except after a verification failure, which removes
///   it. The complete copy is fsync'ed before the rename, and its
///   directory after it, so a crash leaves the old file or the whole new
///   one.
///
/// With `ftp_set_retry` a transient failure reconnects and resumes from
/// what was written. The file is closed before the call returns.
#[no_mangle]
pub extern "C" fn ftp_download_file(
    s: *mut ftp_session,
    remote: *const c_char,
    local_path: *const c_char,
    flags: c_uint,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: remote and local_path are NULL or C strings (contract).
        let remote = unsafe { arg(remote, "remote") }?;
        // SAFETY: as above.
        let local = unsafe { path_arg(local_path, "local_path") }?;
        let opts = options(flags)?;
        s.core.download_file(remote, local, opts)
    })
}

/// Uploads the local regular file `local_path` to the remote path
/// `remote` (binary mode); `flags` as for `ftp_download_file`.
///
/// Without flags this is `STOR remote` through the same path as
/// `ftp_stor_from_fd` (sendfile where it applies: as fast).
///
/// - `FTP_RESUME`: asks the remote `SIZE` and sends the rest: `REST n` +
///   `STOR` when FEAT advertises `REST STREAM`, else `APPE`; a REST not
///   answered 350 fails the call before STOR. A missing remote file is
///   uploaded whole; one as large as the local file transfers nothing
///   (still verified with `FTP_VERIFY`); a larger one gives
///   `FTP_ERROR_INVALID_ARGUMENT` and is left alone.
/// - `FTP_VERIFY`: as for downloads (HASH, X commands, else SIZE and, with
///   `FTP_KEEP_MTIME`, MDTM); the local digest is computed as the file is
///   read for sending (a 64 KiB buffer instead of sendfile).
/// - `FTP_CREATE_DIRS`: `ftp_makedirs` of the remote parent directory.
/// - `FTP_KEEP_MTIME`: gives the remote file the local modification time
///   (`ftp_set_mtime`: MFMT, else SITE UTIME); a server that refuses fails
///   the call after the copy.
/// - `FTP_ATOMIC`: uploads to `.NAME.part-XXXXXXXX` in the target's
///   directory, then renames it over `remote` (RNFR/RNTO) once complete
///   and verified; on failure the temporary file is deleted (DELE) and
///   `remote` is untouched. A server that refuses to rename over an
///   existing file gets `DELE remote` and RNFR/RNTO again: on such servers
///   the target is briefly missing. With `FTP_RESUME | FTP_ATOMIC` the
///   temporary name is `.NAME.part`, resumed when present and kept on
///   failure (deleted after a verification failure).
#[no_mangle]
pub extern "C" fn ftp_upload_file(
    s: *mut ftp_session,
    local_path: *const c_char,
    remote: *const c_char,
    flags: c_uint,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: local_path and remote are NULL or C strings (contract).
        let local = unsafe { path_arg(local_path, "local_path") }?;
        // SAFETY: as above.
        let remote = unsafe { arg(remote, "remote") }?;
        let opts = options(flags)?;
        s.core.upload_file(local, remote, opts)
    })
}

/// The server's checksum of the file `path`: `*hex_out` receives it in
/// lower-case hex, owned by the session and valid until the next call
/// (NULL after a failure). `algo`: "SHA-256", "SHA-1", "MD5", "CRC32"
/// (case-insensitive, the dash optional), or NULL for the best the server
/// advertises. Asked with `HASH` (after `OPTS HASH algo`) when FEAT
/// advertises HASH with that algorithm, else with `XSHA256`, `XSHA1`,
/// `XMD5` or `XCRC`. An unknown `algo` gives `FTP_ERROR_INVALID_ARGUMENT`;
/// NULL with a server advertising none of them `FTP_ERROR_STATE`; a server
/// refusing the command its reply's error (`FTP_ERROR_PERM` for 500).
#[no_mangle]
pub extern "C" fn ftp_checksum(
    s: *mut ftp_session,
    path: *const c_char,
    algo: *const c_char,
    hex_out: *mut *const c_char,
) -> ftp_result {
    if !hex_out.is_null() {
        // SAFETY: hex_out is valid when non-NULL (contract).
        unsafe { *hex_out = std::ptr::null() };
    }
    with_session(s, |s| {
        // SAFETY: path and algo are NULL or C strings (contract).
        let path = unsafe { arg(path, "path") }?;
        // SAFETY: as above.
        let algo = unsafe { opt_arg(algo, "algo") }?;
        let hex_out = out_ptr(hex_out, "hex_out")?;
        let algo = match algo {
            None => None,
            Some(name) => Some(HashAlgo::parse(name).ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "unknown checksum algorithm {name:?} (SHA-256, SHA-1, MD5, CRC32)"
                ))
            })?),
        };
        let (_, hex) = s.core.checksum(path, algo)?;
        s.checksum_out = to_cstring(hex.as_bytes());
        // SAFETY: hex_out checked non-NULL.
        unsafe { *hex_out = s.checksum_out.as_ptr() };
        Ok(())
    })
}

/// `mkdir -p path` on the server: MKD for each component in turn (an
/// absolute path from `/`, a relative one from the working directory).
/// Existing directories are fine: a refused MKD is checked with CWD into
/// the component and back; a component that is not a directory gives the
/// MKD's refusal (`FTP_ERROR_PERM`). Empty and `.` components are skipped.
#[no_mangle]
pub extern "C" fn ftp_makedirs(s: *mut ftp_session, path: *const c_char) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: path is NULL or a C string (contract).
        let path = unsafe { arg(path, "path") }?;
        s.core.makedirs(path)
    })
}

/// `rm -r path` on the server. Refuses "" and "/" and the paths that
/// normalise to them ("//", "/.", ".") or hold a ".." component with
/// `FTP_ERROR_INVALID_ARGUMENT`, sending nothing. First `DELE path` (a file
/// or symbolic link is removed at once: the link, not its target); when
/// that is refused `path` is a directory: listed with `ftp_list`, its files
/// and links deleted, its subdirectories removed depth-first the same way,
/// then `RMD path`. A listing line no parser understands (or a name with
/// "/") stops the removal in that directory before anything in it is
/// deleted (`FTP_ERROR_PROTO`). The first refusal stops the call; what was
/// removed until then stays removed.
#[no_mangle]
pub extern "C" fn ftp_remove_tree(s: *mut ftp_session, path: *const c_char) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: path is NULL or a C string (contract).
        let path = unsafe { arg(path, "path") }?;
        s.core.remove_tree(path)
    })
}

/// Retries of `ftp_download_file` and `ftp_upload_file` (off by default:
/// `attempts` 0). A transfer that fails with a transient error (connection
/// reset or closed, a timeout, a 421, 425 or 426 reply) waits `backoff_ms`
/// (then twice that before the next retry, and so on, at most an hour),
/// reconnects to the same host and port, logs in again with the same
/// credentials (TLS sessions: AUTH TLS or implicit TLS, PBSZ/PROT as
/// before), returns to the working directory it had (asked with PWD before
/// the transfer), and resumes with REST from where the copy stopped; up to
/// `attempts` times. Never after a 5xx reply, a local file error, a
/// callback stop or a verification failure; `ftp_session_cancel` stops the
/// waits too. The last failure is returned.
#[no_mangle]
pub extern "C" fn ftp_set_retry(
    s: *mut ftp_session,
    attempts: c_uint,
    backoff_ms: u32,
) -> ftp_result {
    with_session(s, |s| {
        s.core
            .set_retry(attempts, Duration::from_millis(u64::from(backoff_ms)));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        assert_eq!(options(0).unwrap(), FileOptions::default());
        let all = options(31).unwrap();
        assert!(all.resume && all.verify && all.create_dirs && all.keep_mtime && all.atomic);
        assert!(matches!(options(32), Err(Error::InvalidArgument(_))));
        assert!(matches!(options(1 << 31), Err(Error::InvalidArgument(_))));
    }
}
