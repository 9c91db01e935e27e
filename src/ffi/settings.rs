//! Session life and settings: `ftp_session_new/free`, `ftp_set_*`.

use super::boundary::{free_session, guard, with_session};
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::{arg, opt_arg, to_cstring};
use crate::encoding::Encoding;
use crate::session::Session;
use std::ffi::{c_char, c_int, c_void};
use std::time::Duration;

/// Receives one line of debug output (NUL-terminated UTF-8, no newline).
/// `line` is valid only during the call: copy what you keep.
pub type ftp_debug_cb = Option<unsafe extern "C" fn(userdata: *mut c_void, line: *const c_char)>;

/// Creates a plain FTP session (ftplib's `FTP()`), not connected.
/// Returns NULL only after an internal error (a caught panic); running out
/// of memory aborts the process rather than returning NULL. Release it
/// with `ftp_session_free`.
#[no_mangle]
pub extern "C" fn ftp_session_new() -> *mut ftp_session {
    guard(std::ptr::null_mut(), || {
        Box::into_raw(Box::new(ftp_session::new(Session::new())))
    })
}

/// Releases a session; an open connection is closed abruptly (nothing is
/// sent). An `ftp_transfer` of this session stays valid until it is closed.
/// `ftp_session_free(NULL)` does nothing. Called from inside one of the
/// session's own callbacks, it is deferred: the running call is cancelled
/// (as by `ftp_session_cancel`), returns as usual, and the session is freed
/// just before that call returns; do not use the session after it.
#[no_mangle]
pub extern "C" fn ftp_session_free(s: *mut ftp_session) {
    free_session(s)
}

/// Sets the session timeout in milliseconds; 0 (the default) blocks without
/// limit. It bounds the TCP connect, every wait for a reply (the whole reply
/// must arrive in time), the data connect/accept, and each read or write of
/// a data connection (an idle timeout: a slow but steady transfer goes on).
#[no_mangle]
pub extern "C" fn ftp_set_timeout_ms(s: *mut ftp_session, ms: u64) -> ftp_result {
    with_session(s, |s| {
        s.core
            .set_timeout((ms > 0).then(|| Duration::from_millis(ms)))
    })
}

/// Connects from this local address (and port, 0 = any) from now on; the
/// data connections use the same local IP. NULL `host` clears it.
#[no_mangle]
pub extern "C" fn ftp_set_source_address(
    s: *mut ftp_session,
    host: *const c_char,
    port: u16,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: host is NULL or a C string (contract).
        let host = unsafe { opt_arg(host, "host") }?;
        s.core
            .set_source_address(host.map(|h| (h.to_string(), port)))
    })
}

/// Sets the encoding of commands, replies and text transfers: `"utf-8"`
/// (default) or `"latin-1"` (also `"latin1"`, `"iso-8859-1"`). Other names
/// give `FTP_ERROR_INVALID_ARGUMENT`.
///
/// What callbacks receive: in UTF-8 sessions, line callbacks get the
/// server's bytes unchanged (even when they are not valid UTF-8, so nothing
/// is lost; `len` is exact); in latin-1 sessions, the bytes transcoded to
/// UTF-8. `ftp_last_response` and `ftp_last_error` are always valid UTF-8
/// (invalid bytes become U+FFFD). Commands that the encoding cannot hold
/// fail with `FTP_ERROR_ENCODING` before anything is sent.
#[no_mangle]
pub extern "C" fn ftp_set_encoding(s: *mut ftp_session, encoding: *const c_char) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: encoding is NULL or a C string.
        let name = unsafe { arg(encoding, "encoding") }?;
        s.core.set_encoding(Encoding::from_name(name)?);
        Ok(())
    })
}

/// Passive (true, the default) or active (false: PORT/EPRT) data connections.
#[no_mangle]
pub extern "C" fn ftp_set_pasv(s: *mut ftp_session, passive: bool) -> ftp_result {
    with_session(s, |s| {
        s.core.set_passive(passive);
        Ok(())
    })
}

/// Whether to connect to the address a 227 (PASV) reply gives (true) or to
/// the control connection's peer address (false, the default: a hostile
/// server cannot aim the data connection elsewhere, CVE-2021-4189).
#[no_mangle]
pub extern "C" fn ftp_set_trust_server_pasv_ipv4_address(
    s: *mut ftp_session,
    trust: bool,
) -> ftp_result {
    with_session(s, |s| {
        s.core.set_trust_server_pasv_ipv4_address(trust);
        Ok(())
    })
}

/// Debug output as in ftplib: 0 none; 1 commands (`*cmd*`, password
/// masked), replies (`*resp*`) and the welcome; 2 also every raw line
/// (`*put*`, `*get*`); 3 also each line of a text transfer (`*retr*`).
/// Negative levels count as 0.
#[no_mangle]
pub extern "C" fn ftp_set_debuglevel(s: *mut ftp_session, level: c_int) -> ftp_result {
    with_session(s, |s| {
        s.core.set_debug_level(level);
        Ok(())
    })
}

/// Sends debug lines to `cb` (called on the thread using the session) instead
/// of standard error; NULL `cb` restores standard error.
#[no_mangle]
pub extern "C" fn ftp_set_debug_callback(
    s: *mut ftp_session,
    cb: ftp_debug_cb,
    userdata: *mut c_void,
) -> ftp_result {
    with_session(s, |s| {
        let sink = cb.map(|f| {
            let ud = SendPtr(userdata);
            Box::new(move |line: &str| {
                let c = to_cstring(line.as_bytes());
                let ud = &ud;
                // SAFETY: the caller registered f with this userdata.
                unsafe { f(ud.0, c.as_ptr()) }
            }) as crate::debug::DebugSink
        });
        s.core.set_debug_sink(sink);
        Ok(())
    })
}

/// A caller's pointer carried inside the session. The contract makes the
/// caller responsible for its use from the thread that uses the session.
struct SendPtr(*mut c_void);
// SAFETY: see the type's comment; the pointer is only handed back to the caller.
unsafe impl Send for SendPtr {}
