//! Many sessions to one server: `ftp_pool_new`, `ftp_pool_free`,
//! `ftp_pool_last_error`, `ftp_pool_set_progress_callback`, and the
//! whole-file transfers over a pool, `ftp_pool_download_file`,
//! `ftp_pool_upload_file` and `ftp_pool_download_segmented`.

use super::boundary::{guard, with_pool};
use super::pool_handle::{ftp_pool, new_error, set_new_error};
use super::progress::{call_progress, ftp_progress_cb};
use super::result::ftp_result;
use super::strings::{arg, to_cstring, EMPTY};
use super::tls::ftp_tls_config;
use super::wholefile::{options, path_arg};
use crate::error::{Error, Result};
use crate::pool::Pool;
use crate::progress::Progress;
use std::ffi::{c_char, c_uint, c_void};
use std::sync::Arc;
use std::time::Duration;

/// A pool of up to `max_sessions` sessions to the server of `url`, for
/// use from many threads at once. Nothing is connected yet: each session
/// is opened when a call first needs it (no idle one, fewer than
/// `max_sessions` open), then reused.
///
/// `url`: `ftp://[user[:password]@]host[:port][/path]` (plain FTP, port
/// 21), `ftpes://...` (explicit FTPS: AUTH TLS, port 21), `ftps://...`
/// (implicit FTPS, port 990). Scheme case-insensitive; `%XX` escapes in
/// the user, password and path (decoded text UTF-8, no `%00`); IPv6
/// addresses in brackets (`ftp://[::1]:2121/`); no user (or an empty one)
/// means `anonymous`. Each session connects, logs in (FTPS: secures the
/// control connection and protects data connections with PBSZ 0 + PROT P)
/// and, when the URL has a path, changes to it as `ftp_connect_url` does
/// (one `CWD` per segment; every segment is a directory here):
/// `ftp://h/pub` makes `pub` (relative to the login directory) the pool's
/// directory, `ftp://h//srv/x` the absolute `/srv/x` (`CWD /`, `CWD srv`,
/// `CWD x`); remote paths given to the pool are relative to it. Each session's timeout is 30 s, and a call waits at
/// most that long for a free session when all are busy
/// (`FTP_ERROR_TIMEOUT`).
///
/// `tls` (FTPS URLs only; NULL = defaults: system CAs, host name checked)
/// is copied now: later changes to it do not affect the pool. Every
/// session resumes its control connection's TLS session on its data
/// connections (servers that require it work).
///
/// Returns NULL when `url` is NULL or malformed, or `max_sessions` is 0:
/// `ftp_pool_last_error(NULL)` then tells why, on the calling thread.
#[no_mangle]
pub extern "C" fn ftp_pool_new(
    url: *const c_char,
    tls: *const ftp_tls_config,
    max_sessions: c_uint,
) -> *mut ftp_pool {
    guard(std::ptr::null_mut(), || {
        let made = (|| -> Result<Pool> {
            // SAFETY: url is NULL or a C string (contract).
            let url = unsafe { arg(url, "url") }?;
            // SAFETY: non-NULL handles come from ftp_tls_config_new.
            let cfg = unsafe { ftp_tls_config::copy_of(tls) }?;
            let max = usize::try_from(max_sessions)
                .map_err(|_| Error::InvalidArgument("max_sessions is too large".into()))?;
            Pool::new(url, cfg, max)
        })();
        match made {
            Ok(pool) => {
                set_new_error(None);
                Box::into_raw(Box::new(ftp_pool::new(pool)))
            }
            Err(e) => {
                set_new_error(Some(&e));
                std::ptr::null_mut()
            }
        }
    })
}

/// Releases the pool: its idle sessions are closed (without QUIT). Call it
/// only when no other call on the pool runs (in any thread).
/// `ftp_pool_free(NULL)` does nothing.
#[no_mangle]
pub extern "C" fn ftp_pool_free(p: *mut ftp_pool) {
    if p.is_null() {
        return;
    }
    guard((), || {
        // SAFETY: p came from Box::into_raw in ftp_pool_new and is freed
        // once, with no call running on it (contract).
        drop(unsafe { Box::from_raw(p) });
    })
}

/// A sentence describing why the calling thread's last call on `p` failed,
/// "" if it succeeded (or made none). Each thread sees its own: two threads
/// failing differently on one pool each read their own text. Owned by the
/// pool: valid until the calling thread's next call on `p`, or its free.
///
/// `p` NULL: why the calling thread's last `ftp_pool_new` returned NULL
/// ("" if it succeeded), valid until that thread's next `ftp_pool_new`.
#[no_mangle]
pub extern "C" fn ftp_pool_last_error(p: *const ftp_pool) -> *const c_char {
    guard(EMPTY.as_ptr(), || {
        if p.is_null() {
            return new_error();
        }
        // SAFETY: non-NULL handles come from ftp_pool_new (contract).
        unsafe { &*p }.last_error()
    })
}

/// Reports the progress of every transfer of every session the pool
/// lends from now on, as `ftp_set_progress_callback` does for one
/// session (same reports, same `interval_ms`, non-zero from `cb` stops
/// that transfer with `FTP_ERROR_CALLBACK`); NULL `cb` turns reports off.
/// `cb` runs on the thread whose call uses the session, so with several
/// threads it may run in several at once: `userdata` must be safe to use
/// from all of them (atomics or a lock). Returns `FTP_OK`, or
/// `FTP_ERROR_INVALID_ARGUMENT` for a NULL pool.
#[no_mangle]
pub extern "C" fn ftp_pool_set_progress_callback(
    p: *mut ftp_pool,
    cb: ftp_progress_cb,
    userdata: *mut c_void,
    interval_ms: u32,
) -> ftp_result {
    with_pool(p, |pool| {
        let sink = cb.map(|f| {
            let ud = SharedPtr(userdata);
            Arc::new(move |p: &Progress<'_>| {
                let path = to_cstring(p.path.as_bytes());
                let ud = &ud;
                // The caller's userdata is usable from any thread (contract).
                call_progress(f, ud.0, p, path.as_ptr())
            }) as crate::pool::SharedProgress
        });
        pool.set_progress(sink, Duration::from_millis(u64::from(interval_ms)));
        Ok(())
    })
}

/// `ftp_download_file` over the pool: borrows a session (an idle one, a
/// new one, or waits for one as `ftp_pool_new` says), downloads `remote`
/// (relative to the URL's directory) into `local_path` with the same
/// `flags` (`FTP_RESUME`, `FTP_VERIFY`, `FTP_CREATE_DIRS`,
/// `FTP_KEEP_MTIME`, `FTP_ATOMIC`) and returns the session. Any number of
/// threads may call it at once on one pool. A session whose connection
/// failed during the call (a closed connection, a socket or local I/O
/// error, a timeout, a protocol or TLS error) is closed instead of
/// returned, and a later call opens a replacement. The failure's text:
/// `ftp_pool_last_error(p)` on the same thread. (An addition to the
/// contract's pool API, until `ftp_pool_mirror`.)
#[no_mangle]
pub extern "C" fn ftp_pool_download_file(
    p: *mut ftp_pool,
    remote: *const c_char,
    local_path: *const c_char,
    flags: c_uint,
) -> ftp_result {
    with_pool(p, |pool| {
        // SAFETY: remote and local_path are NULL or C strings (contract).
        let remote = unsafe { arg(remote, "remote") }?;
        // SAFETY: as above.
        let local = unsafe { path_arg(local_path, "local_path") }?;
        let opts = options(flags)?;
        pool.session()?
            .run(|s| s.download_file(remote, local, opts))
    })
}

/// `ftp_upload_file` over the pool: uploads the local file `local_path` to
/// `remote` on a borrowed session, `flags` and sessions as for
/// `ftp_pool_download_file`. (An addition to the contract's pool API.)
#[no_mangle]
pub extern "C" fn ftp_pool_upload_file(
    p: *mut ftp_pool,
    local_path: *const c_char,
    remote: *const c_char,
    flags: c_uint,
) -> ftp_result {
    with_pool(p, |pool| {
        // SAFETY: local_path and remote are NULL or C strings (contract).
        let local = unsafe { path_arg(local_path, "local_path") }?;
        // SAFETY: as above.
        let remote = unsafe { arg(remote, "remote") }?;
        let opts = options(flags)?;
        pool.session()?.run(|s| s.upload_file(local, remote, opts))
    })
}

/// Downloads `remote` (relative to the URL's directory) into `local_path`
/// in up to `segments` parts fetched at once, each on its own session of
/// the pool: `REST start` + `RETR`, the part's bytes written at their
/// offset into a file preallocated to the remote size, and the transfer
/// stopped once the part is complete (the server's 426 for that stop is
/// expected and leaves the session usable). When a part finishes early,
/// its session takes the upper half of the part with the most bytes left
/// (parts are rebalanced, so one slow connection does not hold the rest
/// back). Parts beyond what the pool can lend at once (`max_sessions`,
/// less the sessions other threads hold) are fetched by the sessions it
/// did lend, one after another: the call never waits for more. Parts are
/// at least 256 KiB (a larger `segments` than that allows makes fewer).
///
/// One stream instead (`ftp_pool_download_file` with the same flags) when
/// `segments` is 0 or 1, when the pool has one session, when the server's
/// FEAT lacks `REST STREAM`, when it does not answer SIZE, when the file
/// is smaller than 1 MiB, and with `FTP_RESUME` (resuming continues one partial file from its end).
///
/// `flags`: `FTP_VERIFY` compares the finished file with the server
/// (HASH or an X command when advertised, else SIZE; the local digest is
/// computed by reading the finished file once, since parts arrive out of
/// order), `FTP_ATOMIC` writes `.NAME.part-XXXXXXXX` next to the target
/// and renames it over the target once complete and verified (removed on
/// failure), `FTP_CREATE_DIRS`, `FTP_KEEP_MTIME` as for
/// `ftp_download_file`. On failure, the first part's error is returned and
/// the other parts stop; without `FTP_ATOMIC` the local file is cut to the
/// bytes complete from its start (never left full-size with holes), so a
/// later `FTP_RESUME` download can continue it. The failure's text:
/// `ftp_pool_last_error(p)` on the same thread.
#[no_mangle]
pub extern "C" fn ftp_pool_download_segmented(
    p: *mut ftp_pool,
    remote: *const c_char,
    local_path: *const c_char,
    segments: c_uint,
    flags: c_uint,
) -> ftp_result {
    with_pool(p, |pool| {
        // SAFETY: remote and local_path are NULL or C strings (contract).
        let remote = unsafe { arg(remote, "remote") }?;
        // SAFETY: as above.
        let local = unsafe { path_arg(local_path, "local_path") }?;
        let opts = options(flags)?;
        pool.download_segmented(remote, local, segments, opts)
    })
}

/// A caller's pointer shared by the pool's threads. The contract makes the
/// caller responsible for its use from any of them.
struct SharedPtr(*mut c_void);
// SAFETY: see the type's comment; the pointer is only handed back to the caller.
unsafe impl Send for SharedPtr {}
// SAFETY: as above.
unsafe impl Sync for SharedPtr {}
