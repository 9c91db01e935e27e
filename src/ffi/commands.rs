//! Connection and commands: connect, login, sendcmd ..., the last reply and
//! error, abort, quit, close.

use super::boundary::with_session;
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::{arg, opt_arg, EMPTY};
use std::ffi::{c_char, c_int};

/// Connects to `host` (a name or an IPv4/IPv6 address) on `port` (0 = 21)
/// and reads the welcome (any 1xx-3xx reply is accepted; 4xx/5xx fail).
/// `FTP_ERROR_STATE` if already connected.
#[no_mangle]
pub extern "C" fn ftp_connect(s: *mut ftp_session, host: *const c_char, port: u16) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: host is NULL or a C string.
        let host = unsafe { arg(host, "host") }?;
        s.core.connect(host, port).map(|_| ())
    })
}

/// The server's welcome reply, or NULL before a connection. Owned by the
/// session, valid until the next call on it.
#[no_mangle]
pub extern "C" fn ftp_getwelcome(s: *const ftp_session) -> *const c_char {
    if s.is_null() {
        return std::ptr::null();
    }
    // SAFETY: non-NULL handles come from ftp_session_new.
    let s = unsafe { &*s };
    s.welcome.as_ref().map_or(std::ptr::null(), |w| w.as_ptr())
}

/// Logs in (ftplib's `login`): USER, then PASS and ACCT when the server asks
/// (3xx). NULL or "" `user` means `anonymous`, whose password defaults to
/// `anonymous@`. NULL `passwd`/`acct` mean "". The password never appears
/// in debug output.
#[no_mangle]
pub extern "C" fn ftp_login(
    s: *mut ftp_session,
    user: *const c_char,
    passwd: *const c_char,
    acct: *const c_char,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: each is NULL or a C string.
        let (user, passwd, acct) = unsafe {
            (
                opt_arg(user, "user")?.unwrap_or(""),
                opt_arg(passwd, "passwd")?.unwrap_or(""),
                opt_arg(acct, "acct")?.unwrap_or(""),
            )
        };
        s.core.login(user, passwd, acct).map(|_| ())
    })
}

/// Sends a command (CRLF added; CR, LF or NUL inside it are refused with
/// `FTP_ERROR_INVALID_ARGUMENT` before anything is sent) and reads the
/// reply, which must be 1xx-3xx. The reply: `ftp_last_code`/`ftp_last_response`.
#[no_mangle]
pub extern "C" fn ftp_sendcmd(s: *mut ftp_session, cmd: *const c_char) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: cmd is NULL or a C string.
        let cmd = unsafe { arg(cmd, "cmd") }?;
        s.core.sendcmd(cmd).map(|_| ())
    })
}

/// Like `ftp_sendcmd`, but any reply other than 2xx is an error
/// (`FTP_ERROR_REPLY` for 1xx/3xx).
#[no_mangle]
pub extern "C" fn ftp_voidcmd(s: *mut ftp_session, cmd: *const c_char) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: cmd is NULL or a C string.
        let cmd = unsafe { arg(cmd, "cmd") }?;
        s.core.voidcmd(cmd).map(|_| ())
    })
}

/// Reads one reply (1xx-3xx is success). Allowed while a transfer is open:
/// after `ftp_transfer_close`, it reads the transfer's final reply.
#[no_mangle]
pub extern "C" fn ftp_getresp(s: *mut ftp_session) -> ftp_result {
    with_session(s, |s| s.core.getresp().map(|_| ()))
}

/// Reads one reply, which must be 2xx (e.g. the 226 ending a transfer).
#[no_mangle]
pub extern "C" fn ftp_voidresp(s: *mut ftp_session) -> ftp_result {
    with_session(s, |s| s.core.voidresp().map(|_| ()))
}

/// The whole last reply read by the last call (lines joined by '\n',
/// always valid UTF-8), or "" if that call read none. Owned by the session,
/// valid until the next call on it.
#[no_mangle]
pub extern "C" fn ftp_last_response(s: *const ftp_session) -> *const c_char {
    if s.is_null() {
        return EMPTY.as_ptr();
    }
    // SAFETY: non-NULL handles come from ftp_session_new.
    unsafe { &*s }.last_response.as_ptr()
}

/// The 3-digit code of that reply; 0 if none (or if it did not start with digits).
#[no_mangle]
pub extern "C" fn ftp_last_code(s: *const ftp_session) -> c_int {
    if s.is_null() {
        return 0;
    }
    // SAFETY: non-NULL handles come from ftp_session_new.
    let s = unsafe { &*s };
    s.core.last_reply().map_or(0, |r| c_int::from(r.code))
}

/// A sentence describing the last call's failure; "" if it succeeded.
/// Owned by the session, valid until the next call on it.
#[no_mangle]
pub extern "C" fn ftp_last_error(s: *const ftp_session) -> *const c_char {
    if s.is_null() {
        return EMPTY.as_ptr();
    }
    // SAFETY: non-NULL handles come from ftp_session_new.
    unsafe { &*s }.last_error.as_ptr()
}

/// Aborts a transfer (ftplib's `abort`): sends ABOR as TCP urgent data and
/// reads the replies. If a transfer's final reply is owed, both it (426, or
/// 226 if the transfer had finished) and ABOR's own reply (225/226) are
/// read, so the session stays in step. An open `ftp_transfer` is cut and
/// detached (close it later; its reads then fail or end).
#[no_mangle]
pub extern "C" fn ftp_abort(s: *mut ftp_session) -> ftp_result {
    with_session(s, |s| s.core.abort().map(|_| ()))
}

/// Sends QUIT and closes the connection, even when the reply is an error
/// (which is then returned). The session can connect again.
#[no_mangle]
pub extern "C" fn ftp_quit(s: *mut ftp_session) -> ftp_result {
    with_session(s, |s| s.core.quit().map(|_| ()))
}

/// Closes the connection without sending anything. Safe to call twice, and
/// on a session that never connected.
#[no_mangle]
pub extern "C" fn ftp_close(s: *mut ftp_session) -> ftp_result {
    with_session(s, |s| {
        s.core.close();
        s.core.clear_last_reply();
        Ok(())
    })
}
