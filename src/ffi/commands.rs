//! Connection and commands: connect, login, sendcmd ..., the last reply and
//! error, abort, quit, close.

use super::boundary::{with_outputs, with_session};
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
    with_outputs(s, std::ptr::null(), |out| {
        out.welcome
            .as_ref()
            .map_or(std::ptr::null(), |w| w.as_ptr())
    })
}

/// Logs in (ftplib's `login`): USER, then PASS and ACCT when the server asks
/// (3xx). NULL `user` means: the login, password and account of the
/// connected host's netrc entry when `ftp_set_netrc` was called and the
/// file has one (`passwd` and `acct` are then ignored; netrc errors as in
/// `ftp_set_netrc`, before anything is sent), else `anonymous`. ""
/// `user` means `anonymous`, whose password defaults to `anonymous@`.
/// NULL `passwd`/`acct` mean "". The password never appears in debug
/// output.
///
/// On a TLS session (`ftp_session_new_tls`) the control connection is
/// secured first (AUTH TLS, unless implicit or already done), and after the
/// login succeeds PBSZ 0 + PROT P protect the data connections, unless
/// `ftp_prot_c` was called since `ftp_connect`: file data never travels in
/// clear over a session the caller asked to be TLS, unless the caller asked
/// for it. **This differs from ftplib**, whose `FTP_TLS.login` leaves data
/// in clear until `prot_p()`. A refused PBSZ/PROT is returned (the session
/// is logged in and in step; `ftp_last_response` is the refusal).
///
/// Then, on a session whose encoding is UTF-8 (the default; see
/// `ftp_set_encoding`), FEAT is sent (unless already asked on this
/// connection, see `ftp_has_feature`) and, when the server advertises
/// `UTF8`, `OPTS UTF8 ON` (RFC 2640). A 4xx/5xx answer to OPTS is not an
/// error (Pure-FTPd answers 504, most servers 200), nor is a refused FEAT
/// (no OPTS then). The rest are errors as for any command: failing to read
/// a reply (`FTP_ERROR_EOF`, `FTP_ERROR_TIMEOUT`, `FTP_ERROR_IO`; the
/// connection is closed), a 421 (`FTP_ERROR_TEMP`; closed too), a cancel
/// (`FTP_ERROR_CANCELLED`), and an OPTS reply that is 1xx/3xx
/// (`FTP_ERROR_REPLY`) or not an FTP reply (`FTP_ERROR_PROTO`). A latin-1
/// session sends neither FEAT nor OPTS. `ftp_last_code` and
/// `ftp_last_response` are the login's reply (230), not FEAT's or OPTS's,
/// on success and after a failure that read no reply; a failure on a
/// reply (421, 1xx/3xx, not FTP) leaves that reply.
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
                opt_arg(user, "user")?,
                opt_arg(passwd, "passwd")?.unwrap_or(""),
                opt_arg(acct, "acct")?.unwrap_or(""),
            )
        };
        match user {
            Some(user) => s.core.login(user, passwd, acct).map(drop),
            None => s.core.login_netrc(passwd, acct).map(drop),
        }
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
/// after `ftp_transfer_close`, it reads the transfer's final reply. When
/// the close cut a download short (or its connection had failed), that
/// final reply is awaited for at most 2 s (with a longer session timeout):
/// a server that sends none (Pure-FTPd) gets NOOP, and the replies are read
/// up to NOOP's 200, so the session is in step; the result is then the
/// final reply if it came late, else `FTP_ERROR_PROTO` ("the server sent no
/// final reply"). 1xx replies that come instead of it (Pure-FTPd's stray
/// `150`) are skipped.
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
    with_outputs(s, EMPTY.as_ptr(), |out| out.last_response.as_ptr())
}

/// The 3-digit code of that reply; 0 if none (or if it did not start with digits).
#[no_mangle]
pub extern "C" fn ftp_last_code(s: *const ftp_session) -> c_int {
    with_outputs(s, 0, |out| out.last_code)
}

/// A sentence describing the last call's failure; "" if it succeeded.
/// Owned by the session, valid until the next call on it.
#[no_mangle]
pub extern "C" fn ftp_last_error(s: *const ftp_session) -> *const c_char {
    with_outputs(s, EMPTY.as_ptr(), |out| out.last_error.as_ptr())
}

/// Aborts a transfer (ftplib's `abort`) and gets the session back in step.
///
/// - What is sent: during a transfer on a clear-text control connection,
///   RFC 959's sequence: Telnet IAC IP as ordinary data, IAC DM with DM as
///   TCP urgent data (the Telnet "Synch"), then `ABOR\r\n` as ordinary data
///   (vsftpd, pyftpdlib, ProFTPD and Pure-FTPd all understand it; Python's
///   all-urgent `ABOR\r\n` leaves ProFTPD reading `ABOR NOOP`). With no
///   transfer, a plain `ABOR\r\n`. On a TLS control connection urgent data
///   cannot be used: a plain `ABOR\r\n` goes in the TLS stream, as ftplib,
///   curl and lftp send it.
/// - The data connection of an open `ftp_transfer` is reset at once (so a
///   server blocked sending a download notices), and the handle detached
///   (close it later; its reads then fail or end).
/// - Replies: the transfer's final reply when one is owed (426, or 226 if
///   it had finished), then ABOR's (225 or 226; Pure-FTPd answers an
///   aborted upload with 451, accepted). Each is awaited for at most 2 s;
///   when one does not come (Pure-FTPd over TLS may send only ABOR's 226,
///   or nothing), NOOP is sent and the replies are read up to its 200, so
///   the session is in step. With a session timeout of 2 s or less, a
///   missing reply is a timeout instead, as for any reply (the connection
///   is closed).
///
/// Returns `FTP_OK` when ABOR's reply is 225, 226 or 426 (or 451 after a
/// transfer, or when the NOOP resynchronisation was needed: `ftp_last_code`
/// is then the last reply read, possibly NOOP's 200); otherwise 4xx ->
/// `FTP_ERROR_TEMP`, 5xx -> `FTP_ERROR_PERM`, anything else ->
/// `FTP_ERROR_PROTO`. After any interrupted protected transfer the next one
/// resumes the TLS session, as servers demanding reuse require.
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
