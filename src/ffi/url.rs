//! Connecting by URL and the connection settings around it:
//! `ftp_connect_url`, `ftp_set_netrc`, `ftp_set_url_cwd`,
//! `ftp_set_connect_timeout_ms`, `ftp_set_active_address`.

use super::boundary::{with_outputs, with_session};
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::{arg, opt_arg};
use super::tls::ftp_tls_config;
use crate::error::Error;
use crate::session::{NetrcFile, UrlCwd, UrlPath};
use crate::url::FtpUrl;
use std::ffi::{c_char, c_int};
use std::time::Duration;

/// `ftp_set_url_cwd`: one CWD per path segment (RFC 1738; the default).
pub const FTP_URL_CWD_EACH: c_int = 0;
/// `ftp_set_url_cwd`: one CWD with the whole directory path.
pub const FTP_URL_CWD_ONCE: c_int = 1;
/// `ftp_set_url_cwd`: no CWD (use `ftp_url_path`).
pub const FTP_URL_CWD_NONE: c_int = 2;

/// Connects, secures, logs in and changes directory as `url` says.
///
/// URL: `ftp://[user[:pass]@]host[:port][/path][;type=a|i|d]` (RFC 1738 and
/// 3986); `ftpes://` for explicit FTPS (AUTH TLS at login, port 21),
/// `ftps://` for implicit FTPS (TLS from the first byte, port 990); the
/// scheme in any case. User and password are %-decoded (a password may
/// hold `@`, `:` and `/`, written `%40`, `%3A`, `%2F`); a host is a name,
/// an IPv4 address or an IPv6 literal in brackets (`[::1]`, zone as
/// `%25`); the `;type=` suffix is accepted and ignored; no space, control
/// character, `?` or `#` (write them as `%XX`).
///
/// Steps: the session's TLS mode is set from the scheme (`ftp://` makes
/// even a session made by `ftp_session_new_tls` plain; the FTPS schemes
/// make even a plain session FTPS), with a copy of `tls` (NULL: the
/// session's own configuration when it has one, else the defaults: system
/// CAs, host name checked); the mode stays for later `ftp_connect` calls; then connect (every address of the name, IPv6
/// first, Happy Eyeballs: see `ftp_set_connect_timeout_ms`); then login:
/// the URL's user and password when it gives a password, else the netrc
/// entry of the host (and of the URL's user, when given) when
/// `ftp_set_netrc` was called, else the URL's user (or `anonymous`) with
/// no password; FTPS then protects the data connections (PBSZ 0, PROT P).
/// Last, the path: its last segment names a file and the segments before
/// it are directories, entered with one `CWD` each (see `ftp_set_url_cwd`;
/// `%2F` is a `/` inside a segment; an empty first segment, as in
/// `ftp://h//etc/x`, is `CWD /`). A path ending with `/` names a
/// directory: all of it is entered.
///
/// Errors: NULL `s` or `url`, or a malformed URL: `FTP_ERROR_INVALID_ARGUMENT`
/// with a message naming the wrong part (scheme, user name, password, host,
/// port, path, `;type=`); already connected: `FTP_ERROR_STATE`; a netrc
/// file that cannot be read (`FTP_ERROR_IO`) or is malformed or open to
/// others (`FTP_ERROR_INVALID_ARGUMENT`, see `ftp_set_netrc`); otherwise as
/// `ftp_connect`, `ftp_login` and `ftp_cwd`. Any failure closes the
/// connection. The password never appears in `ftp_last_error` nor in
/// debug output (`PASS` is masked). `ftp_last_response` is the login's
/// reply on success.
#[no_mangle]
pub extern "C" fn ftp_connect_url(
    s: *mut ftp_session,
    url: *const c_char,
    tls: *const ftp_tls_config,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: url is NULL or a C string (contract).
        let url = FtpUrl::parse(unsafe { arg(url, "url") }?)?;
        // SAFETY: tls is NULL or a handle from ftp_tls_config_new.
        let cfg = unsafe { ftp_tls_config::copy_of(tls) }?;
        s.core.connect_url(&url, cfg, UrlPath::File).map(drop)
    })
}

/// Chooses how `ftp_connect_url` enters the URL's directory:
/// `FTP_URL_CWD_EACH` (0, the default: one `CWD` per segment, as RFC 1738
/// says) or `FTP_URL_CWD_ONCE` (1: one `CWD` with the segments joined by
/// `/`, for servers that accept a path and where each step costs a round
/// trip) or `FTP_URL_CWD_NONE` (2: no `CWD` at all; the caller uses
/// `ftp_url_path`, e.g. to create missing directories first). Other
/// values: `FTP_ERROR_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ftp_set_url_cwd(s: *mut ftp_session, mode: c_int) -> ftp_result {
    with_session(s, |s| {
        let mode = match mode {
            FTP_URL_CWD_EACH => UrlCwd::EachSegment,
            FTP_URL_CWD_ONCE => UrlCwd::Once,
            FTP_URL_CWD_NONE => UrlCwd::None,
            other => {
                return Err(Error::InvalidArgument(format!(
                    "unknown URL CWD mode {other} (want FTP_URL_CWD_EACH, _ONCE or _NONE)"
                )))
            }
        };
        s.core.set_url_cwd(mode);
        Ok(())
    })
}

/// The path of the URL the last connection was opened with by
/// `ftp_connect_url` (it stays after `ftp_quit`/`ftp_close`), %-decoded, its segments joined by `/` and the
/// `;type=` suffix left out: relative to the login directory, absolute when
/// it starts with `/` (`ftp://h//etc/x` and `ftp://h/%2Fetc/x` give
/// `/etc/x`), "" when the URL has none. NULL for a NULL session and when
/// the last connection was not opened by a successful `ftp_connect_url`
/// (`ftp_connect` clears it). Owned by the session, valid until the next
/// call on it; a getter: allowed from the session's callbacks.
#[no_mangle]
pub extern "C" fn ftp_url_path(s: *const ftp_session) -> *const c_char {
    with_outputs(s, std::ptr::null(), |out| {
        out.url_path
            .as_ref()
            .map_or(std::ptr::null(), |p| p.as_ptr())
    })
}

/// Names the netrc file that logins without credentials consult:
/// `ftp_connect_url` with a URL that has no password, and `ftp_login` with
/// a NULL user. NULL `path` means `$NETRC`, else `$HOME/.netrc`
/// (`FTP_ERROR_INVALID_ARGUMENT` when neither variable is set); `""` turns
/// netrc off again (the default: no netrc is read until this is called).
/// The file is read at each such login, not now. A missing file named by
/// `path` fails those logins (`FTP_ERROR_IO`); a missing default file
/// (NULL `path`) means no entries.
///
/// Format (Python's `netrc`): `machine NAME` entries and one `default`,
/// each with `login NAME` (or `user`), `password TEXT`, `account TEXT`;
/// words in `"quotes"` may hold spaces; a backslash takes the next
/// character literally; `#` where a keyword is expected starts a comment
/// to the end of the line; `macdef NAME` bodies, up to an empty line, are
/// skipped. Host names compare without regard to case.
///
/// Permission rule (as Python and curl): a file that holds a password for
/// a login other than `anonymous` must be owned by the caller's user and
/// give no permission to group or others (`chmod 600`); else the login
/// fails with `FTP_ERROR_INVALID_ARGUMENT` before anything is sent.
/// Malformed files fail the same way (the message gives the line, never a
/// word of the file); an unreadable one with `FTP_ERROR_IO`.
#[no_mangle]
pub extern "C" fn ftp_set_netrc(s: *mut ftp_session, path: *const c_char) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: path is NULL or a C string (contract).
        let file = unsafe { netrc_arg(path) }?;
        s.core.set_netrc(file);
        Ok(())
    })
}

/// The netrc file a C `path` names: NULL = `$NETRC`, else `$HOME/.netrc`
/// (missing means no entries); `""` = none; else that file (required).
///
/// # Safety
/// `path` is NULL or a C string.
pub(crate) unsafe fn netrc_arg(path: *const c_char) -> crate::error::Result<Option<NetrcFile>> {
    // SAFETY: the caller's contract.
    Ok(match unsafe { opt_arg(path, "path") }? {
        Some("") => None,
        Some(p) => Some(NetrcFile {
            path: p.into(),
            required: true,
        }),
        None => Some(NetrcFile {
            path: crate::netrc::default_path()
                .ok_or_else(|| Error::InvalidArgument("neither NETRC nor HOME is set".into()))?,
            required: false,
        }),
    })
}

/// Bounds opening the control connection, in milliseconds: the whole race
/// over the host's addresses. `ftp_connect` and `ftp_connect_url` try every
/// address of the name (RFC 8305 Happy Eyeballs): IPv6 and IPv4 addresses
/// interleaved, IPv6 first; a new attempt starts 250 ms after the previous
/// one (at once when it fails) while the earlier ones go on; the first to
/// connect wins and the others are closed (with a fixed source port, set
/// by `ftp_set_source_address`, one attempt at a time: the next starts when
/// the previous fails). 0 (the default) means the
/// session timeout (`ftp_set_timeout_ms`). Past the bound: `FTP_ERROR_TIMEOUT`;
/// every address refused: `FTP_ERROR_IO` naming the last one. With
/// several addresses, debug level 1 shows each attempt (`*connect* trying
/// ADDR`, `*connect* ADDR failed: ...`, `*connect* connected to ADDR`).
/// Data connections still go to the control connection's peer address.
#[no_mangle]
pub extern "C" fn ftp_set_connect_timeout_ms(s: *mut ftp_session, ms: u64) -> ftp_result {
    with_session(s, |s| {
        s.core
            .set_connect_timeout((ms > 0).then(|| Duration::from_millis(ms)));
        Ok(())
    })
}

/// Active mode behind NAT: `host` (a name or address; NULL = the control
/// connection's local address, as before) is announced in PORT/EPRT
/// instead of the local address, and the listener for the server's data
/// connection takes the first free port of `port_min`..`port_max`
/// (inclusive; 0,0 = any port). A name is resolved at each transfer (an
/// address of the control connection's family preferred). The listener
/// stays on the control connection's local address: the NAT in between
/// forwards the announced address and ports to it.
///
/// Errors: NULL `s`, an empty `host` or one with CR/LF, `port_min` 0 with
/// `port_max` not 0, or `port_min > port_max`: `FTP_ERROR_INVALID_ARGUMENT`
/// (the settings stay as they were). At a transfer, a range whose every
/// port is taken fails with `FTP_ERROR_IO` ("every port of MIN-MAX is
/// taken") before PORT is sent: the session stays usable.
#[no_mangle]
pub extern "C" fn ftp_set_active_address(
    s: *mut ftp_session,
    host: *const c_char,
    port_min: u16,
    port_max: u16,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: host is NULL or a C string (contract).
        let host = unsafe { opt_arg(host, "host") }?;
        let ports = (port_min, port_max) != (0, 0);
        s.core
            .set_active_address(host, ports.then_some((port_min, port_max)))
    })
}
