//! `ftp_set_proxy`: SOCKS5 and HTTP CONNECT proxies.

use super::boundary::with_session;
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::opt_arg;
use std::ffi::c_char;

/// Sends the control connection and every passive data connection through
/// a proxy, from the next `ftp_connect` on (an open connection keeps the
/// way it was opened); NULL = no proxy (the default). The string is
/// copied: the caller keeps ownership. Like every setter, called by the
/// thread that uses the session.
///
/// Forms (the user and password may hold `%XX` escapes):
/// - `"socks5://[user:pass@]host[:port]"`: SOCKS5 (RFC 1928; port 1080 by
///   default), with username/password authentication (RFC 1929) when a
///   user is given; the server's name is resolved here, each of its
///   addresses tried in turn.
/// - `"socks5h://..."`: the same, the server's name resolved by the proxy.
/// - `"http://[user:pass@]host:port"`: HTTP CONNECT, with Basic
///   authentication when a user is given; the proxy gets the name.
///
/// Data connections go to the control connection's server (as asked of
/// the proxy) at the port EPSV/PASV gives; with
/// `ftp_set_trust_server_pasv_ipv4_address`, to the PASV address. TLS
/// (`ftp_auth`, implicit FTPS) runs on top of the proxied connections,
/// end to end with the server. Passive mode only: a transfer in active
/// mode through a proxy fails with `FTP_ERROR_STATE` before anything is
/// sent.
///
/// Errors here: `FTP_ERROR_INVALID_ARGUMENT` for a URL that is not one of
/// the forms (the setting is then unchanged; the message never quotes the
/// password). Errors when connecting: a proxy that cannot be reached, that
/// refuses (SOCKS5 reply codes, a refused user and password, an HTTP status
/// other than 2xx such as 403 or 407), answers something else than its
/// protocol or closes early gives `FTP_ERROR_IO`, and `ftp_last_error`
/// names the proxy (scheme, host and port only) and its reason; a proxy
/// that does not answer within the session timeout `FTP_ERROR_TIMEOUT`;
/// `ftp_session_cancel` stops the handshake (`FTP_ERROR_CANCELLED`).
/// Passwords never appear in error messages or debug output.
#[no_mangle]
pub extern "C" fn ftp_set_proxy(s: *mut ftp_session, proxy_url: *const c_char) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: proxy_url is NULL or a C string (contract).
        let url = unsafe { opt_arg(proxy_url, "proxy_url") }?;
        s.core.set_proxy(url)
    })
}
