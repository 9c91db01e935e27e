//! A pool's settings and its cancel: `ftp_pool_set_timeout_ms`,
//! `ftp_pool_set_proxy`, `ftp_pool_set_netrc`, `ftp_pool_cancel`.

use super::boundary::{guard, with_pool};
use super::pool_handle::ftp_pool;
use super::result::ftp_result;
use super::strings::opt_arg;
use super::url::netrc_arg;
use std::ffi::c_char;
use std::time::Duration;

/// Sets the timeout of the pool's sessions in milliseconds (each opened
/// from now on; the default is 30000) and the longest a call waits for a
/// free session when all are lent (then `FTP_ERROR_TIMEOUT`); 0 = no
/// limit. Sessions already open keep their timeout. Returns `FTP_OK`, or
/// `FTP_ERROR_INVALID_ARGUMENT` for a NULL pool.
#[no_mangle]
pub extern "C" fn ftp_pool_set_timeout_ms(p: *mut ftp_pool, ms: u64) -> ftp_result {
    with_pool(p, |pool| {
        pool.set_timeout((ms > 0).then(|| Duration::from_millis(ms)));
        Ok(())
    })
}

/// Sends the pool's sessions through a proxy, as `ftp_set_proxy` does for
/// one session (same URL forms and errors; NULL = none; passive mode, the
/// pool's only mode). Idle sessions are closed at once and sessions in use
/// are closed when they come back, so every later call goes the new way.
/// A malformed URL gives `FTP_ERROR_INVALID_ARGUMENT` (the setting is then
/// unchanged; the message never quotes the password), readable with
/// `ftp_pool_last_error(p)` on the calling thread.
#[no_mangle]
pub extern "C" fn ftp_pool_set_proxy(p: *mut ftp_pool, proxy_url: *const c_char) -> ftp_result {
    with_pool(p, |pool| {
        // SAFETY: proxy_url is NULL or a C string (contract).
        let url = unsafe { opt_arg(proxy_url, "proxy_url") }?;
        pool.set_proxy(url)
    })
}

/// Names the netrc file the pool's sessions read when the pool's URL has
/// no password, as `ftp_set_netrc` does for one session (NULL = `$NETRC`,
/// else `$HOME/.netrc`; `""` = none, the default; same format and
/// permission rule). Applies to sessions opened from now on: call it
/// before the pool's first call. Returns `FTP_OK`, or
/// `FTP_ERROR_INVALID_ARGUMENT` (NULL pool; NULL `path` with neither
/// variable set).
#[no_mangle]
pub extern "C" fn ftp_pool_set_netrc(p: *mut ftp_pool, path: *const c_char) -> ftp_result {
    with_pool(p, |pool| {
        // SAFETY: path is NULL or a C string (contract).
        pool.set_netrc(unsafe { netrc_arg(path) }?);
        Ok(())
    })
}

/// Stops the calls running on the pool, in every thread: each transfer,
/// connect or reply wait of a session the pool has lent ends within about
/// 20 ms, and its call returns `FTP_ERROR_CANCELLED` (a mirror or a
/// segmented download as a whole: its other files and parts are not
/// started; files already copied stay). Until every call that was running
/// has returned, calls on the pool get no session (`FTP_ERROR_CANCELLED`),
/// including ones started meanwhile; after that the pool works as before
/// (cancelled sessions are in step with their server or closed and
/// replaced). A cancel while no call runs does nothing.
///
/// Safe from any thread while other calls run on the pool (not from a
/// signal handler: it takes a lock). Returns `FTP_OK`, or
/// `FTP_ERROR_INVALID_ARGUMENT` for a NULL pool; it records no error for
/// the calling thread.
#[no_mangle]
pub extern "C" fn ftp_pool_cancel(p: *mut ftp_pool) -> ftp_result {
    if p.is_null() {
        return ftp_result::FTP_ERROR_INVALID_ARGUMENT;
    }
    guard(ftp_result::FTP_ERROR_INTERNAL, || {
        // SAFETY: non-NULL handles come from ftp_pool_new and stay valid
        // until ftp_pool_free, which the contract forbids while calls run.
        let pool = unsafe { &*p };
        pool.core.cancel();
        ftp_result::FTP_OK
    })
}
