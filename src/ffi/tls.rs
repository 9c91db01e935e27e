//! FTPS (ftplib's `FTP_TLS`): `ftp_tls_config` and the TLS session calls.

use super::boundary::{guard, with_session};
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::{arg, to_cstring, EMPTY};
use crate::error::{Error, Result};
use crate::session::Session;
use crate::tls::{TlsConfig, TlsVersion};
use std::ffi::{c_char, c_int, CString};
use std::sync::RwLock;

/// A TLS protocol version.
#[allow(dead_code)] // Only C uses the names; Rust reads the raw int.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub enum ftp_tls_version {
    /// TLS 1.2.
    FTP_TLS_1_2 = 12,
    /// TLS 1.3.
    FTP_TLS_1_3 = 13,
}

/// An `ftp_tls_version` as it arrives from C (any `int`). Declared as
/// `ftp_tls_version` in ftp.h.
pub type ftp_tls_version_in = c_int;

/// TLS settings (what to trust, which versions). Made by
/// `ftp_tls_config_new`, released by `ftp_tls_config_free`. Set it up
/// first: the setters must not run while anything else uses the same
/// config. Once set up it may be shared by many sessions on many threads
/// (`ftp_session_new_tls` and `ftp_tls_config_last_error` may run at the
/// same time): each session copies it when it is created.
pub struct ftp_tls_config {
    inner: RwLock<TlsConfig>,
    /// The last setter's failure; "" after a success.
    last_error: RwLock<CString>,
}

impl ftp_tls_config {
    /// A copy of the settings (None after an internal error poisoned them).
    /// A copy of the configuration behind `p`; NULL gives `None`.
    ///
    /// # Safety
    /// `p` is NULL or a handle from `ftp_tls_config_new` not yet freed.
    pub(crate) unsafe fn copy_of(p: *const ftp_tls_config) -> Result<Option<TlsConfig>> {
        if p.is_null() {
            return Ok(None);
        }
        // SAFETY: forwarded from the caller.
        unsafe { &*p }.snapshot().map(Some).ok_or_else(|| {
            Error::Internal("the TLS configuration is unusable after an internal error".into())
        })
    }

    pub(crate) fn snapshot(&self) -> Option<TlsConfig> {
        self.inner.read().ok().map(|c| c.clone())
    }
}

/// Runs a setter on the config behind `c` (NULL gives
/// `FTP_ERROR_INVALID_ARGUMENT`) inside the panic boundary, and records its
/// failure for `ftp_tls_config_last_error`.
fn with_config(c: *mut ftp_tls_config, f: impl FnOnce(&mut TlsConfig) -> Result<()>) -> ftp_result {
    if c.is_null() {
        return ftp_result::FTP_ERROR_INVALID_ARGUMENT;
    }
    // SAFETY: non-NULL handles come from ftp_tls_config_new; setters are
    // not called concurrently with other uses of the config (contract).
    let cfg = unsafe { &*c };
    guard(ftp_result::FTP_ERROR_INTERNAL, || {
        let outcome = match cfg.inner.write() {
            Ok(mut inner) => f(&mut inner),
            Err(_) => Err(Error::Internal(
                "the TLS configuration is unusable after an internal error".into(),
            )),
        };
        let (result, text) = match outcome {
            Ok(()) => (ftp_result::FTP_OK, CString::default()),
            Err(e) => (ftp_result::from(&e), to_cstring(e.to_string().as_bytes())),
        };
        if let Ok(mut last) = cfg.last_error.write() {
            *last = text;
        }
        result
    })
}

/// Borrows `len` bytes at `p` (NULL only with `len` 0).
///
/// # Safety
/// `p` is NULL or points to `len` readable bytes alive for `'a`.
unsafe fn bytes_arg<'a>(p: *const u8, len: usize, what: &str) -> Result<&'a [u8]> {
    if p.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(Error::InvalidArgument(format!("{what} is NULL")));
    }
    // SAFETY: the caller guarantees len readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

fn version(v: ftp_tls_version_in) -> Result<TlsVersion> {
    match v {
        12 => Ok(TlsVersion::Tls12),
        13 => Ok(TlsVersion::Tls13),
        _ => Err(Error::InvalidArgument(format!(
            "unknown TLS version {v} (use FTP_TLS_1_2 or FTP_TLS_1_3)"
        ))),
    }
}

/// A new TLS configuration: verify the server's certificate against the
/// system roots and check its host name, TLS 1.2 or later. Returns NULL
/// only after an internal error (a caught panic); running out of memory
/// aborts the process rather than returning NULL.
#[no_mangle]
pub extern "C" fn ftp_tls_config_new() -> *mut ftp_tls_config {
    guard(std::ptr::null_mut(), || {
        Box::into_raw(Box::new(ftp_tls_config {
            inner: RwLock::new(TlsConfig::default()),
            last_error: RwLock::new(CString::default()),
        }))
    })
}

/// A sentence describing why the last setter call on `c` failed (OpenSSL's
/// reason for a certificate or key it cannot use, a missing file, a key not
/// matching its certificate ...); "" if it succeeded or none was made, and
/// for NULL. Owned by `c`: valid until the next setter call on `c` or its
/// free. A NULL `c` given to a setter records nothing.
#[no_mangle]
pub extern "C" fn ftp_tls_config_last_error(c: *const ftp_tls_config) -> *const c_char {
    if c.is_null() {
        return EMPTY.as_ptr();
    }
    // SAFETY: non-NULL handles come from ftp_tls_config_new.
    let cfg = unsafe { &*c };
    guard(EMPTY.as_ptr(), || match cfg.last_error.read() {
        Ok(text) => text.as_ptr(),
        Err(_) => EMPTY.as_ptr(),
    })
}

/// Releases a configuration (sessions made from it keep their copy).
/// `ftp_tls_config_free(NULL)` does nothing.
#[no_mangle]
pub extern "C" fn ftp_tls_config_free(c: *mut ftp_tls_config) {
    if c.is_null() {
        return;
    }
    guard((), || {
        // SAFETY: c came from Box::into_raw in ftp_tls_config_new, freed once.
        drop(unsafe { Box::from_raw(c) });
    })
}

/// Trusts the CA certificates of a PEM file instead of the system roots
/// (like curl's `--cacert`; with `ftp_tls_config_set_ca_path` or
/// `ftp_tls_config_add_ca_pem` too, all are trusted). A missing file gives
/// `FTP_ERROR_IO`, one OpenSSL cannot use `FTP_ERROR_TLS` (the reason:
/// `ftp_tls_config_last_error`). Each session reads the file again when it
/// first secures a connection.
#[no_mangle]
pub extern "C" fn ftp_tls_config_set_ca_file(
    c: *mut ftp_tls_config,
    pem_path: *const c_char,
) -> ftp_result {
    // SAFETY: pem_path is NULL or a C string.
    let path = unsafe { arg(pem_path, "pem_path") };
    with_config(c, |cfg| cfg.set_ca_file(path?))
}

/// Trusts the CA certificates of a hashed directory (see `openssl rehash`)
/// instead of the system roots.
#[no_mangle]
pub extern "C" fn ftp_tls_config_set_ca_path(
    c: *mut ftp_tls_config,
    dir: *const c_char,
) -> ftp_result {
    // SAFETY: dir is NULL or a C string.
    let dir = unsafe { arg(dir, "dir") };
    with_config(c, |cfg| cfg.set_ca_path(dir?))
}

/// Whether the server's certificate chain is verified (default true).
/// False also turns off the host name check: only for tests.
#[no_mangle]
pub extern "C" fn ftp_tls_config_set_verify_peer(
    c: *mut ftp_tls_config,
    verify: bool,
) -> ftp_result {
    with_config(c, |cfg| {
        cfg.verify_peer = verify;
        Ok(())
    })
}

/// Whether the certificate must match the host name given to
/// `ftp_connect` (default true).
#[no_mangle]
pub extern "C" fn ftp_tls_config_set_check_hostname(
    c: *mut ftp_tls_config,
    check: bool,
) -> ftp_result {
    with_config(c, |cfg| {
        cfg.check_hostname = check;
        Ok(())
    })
}

/// CA certificates in memory: trusts every certificate of a PEM blob of
/// `len` bytes (one or many `-----BEGIN CERTIFICATE-----` blocks; other
/// blocks are skipped) in addition to those added before and to a CA file
/// or directory, and, like them, instead of the system roots. Data with no
/// certificate, or one OpenSSL cannot read, gives `FTP_ERROR_TLS` and adds
/// nothing; NULL or `len` 0 gives `FTP_ERROR_INVALID_ARGUMENT`. The reason:
/// `ftp_tls_config_last_error`. The bytes are copied (parsed) at once.
#[no_mangle]
pub extern "C" fn ftp_tls_config_add_ca_pem(
    c: *mut ftp_tls_config,
    pem: *const u8,
    len: usize,
) -> ftp_result {
    // SAFETY: pem is NULL or points to len bytes (contract).
    let pem = unsafe { bytes_arg(pem, len, "pem") };
    with_config(c, |cfg| cfg.add_ca_pem(pem?))
}

/// Presents a client certificate given in memory: `cert` (`cert_len`
/// bytes) holds the PEM certificate, optionally followed by its
/// intermediate certificates, and `key` (`key_len` bytes) its unencrypted
/// PEM private key. Both are parsed and checked to belong together at once
/// (then copied): unusable data, an encrypted key or a key that does not
/// match gives `FTP_ERROR_TLS`, NULL or an empty buffer
/// `FTP_ERROR_INVALID_ARGUMENT`; the reason: `ftp_tls_config_last_error`.
/// Replaces any client certificate set before (file or memory).
#[no_mangle]
pub extern "C" fn ftp_tls_config_set_client_cert_pem(
    c: *mut ftp_tls_config,
    cert: *const u8,
    cert_len: usize,
    key: *const u8,
    key_len: usize,
) -> ftp_result {
    // SAFETY: each is NULL or points to its length in bytes (contract).
    let (cert, key) = unsafe {
        (
            bytes_arg(cert, cert_len, "cert"),
            bytes_arg(key, key_len, "key"),
        )
    };
    with_config(c, |cfg| cfg.set_client_cert_pem(cert?, key?))
}

/// Presents a client certificate (PEM chain file) with its private key
/// (PEM file, unencrypted). Both are checked at once: a missing file gives
/// `FTP_ERROR_IO`; unusable contents, an encrypted key or a key that does
/// not match the certificate give `FTP_ERROR_TLS` (the reason:
/// `ftp_tls_config_last_error`). Each session reads the files again when it
/// first secures a connection. Replaces any client certificate set before.
#[no_mangle]
pub extern "C" fn ftp_tls_config_set_client_cert(
    c: *mut ftp_tls_config,
    cert_pem: *const c_char,
    key_pem: *const c_char,
) -> ftp_result {
    // SAFETY: each is NULL or a C string.
    let (cert, key) = unsafe { (arg(cert_pem, "cert_pem"), arg(key_pem, "key_pem")) };
    with_config(c, |cfg| cfg.set_client_cert(cert?, key?))
}

/// The lowest TLS version accepted (default `FTP_TLS_1_2`).
#[no_mangle]
pub extern "C" fn ftp_tls_config_set_min_version(
    c: *mut ftp_tls_config,
    v: ftp_tls_version_in,
) -> ftp_result {
    with_config(c, |cfg| {
        cfg.min_version = version(v)?;
        Ok(())
    })
}

/// The highest TLS version accepted (default: the highest available).
#[no_mangle]
pub extern "C" fn ftp_tls_config_set_max_version(
    c: *mut ftp_tls_config,
    v: ftp_tls_version_in,
) -> ftp_result {
    with_config(c, |cfg| {
        cfg.max_version = Some(version(v)?);
        Ok(())
    })
}

/// Creates an FTPS session (ftplib's `FTP_TLS()`) with a copy of `config`;
/// NULL `config` means the defaults (verify against the system roots and
/// check the host name). Returns NULL only after an internal error (a
/// caught panic, or a config broken by one); running out of memory aborts
/// the process rather than returning NULL.
#[no_mangle]
pub extern "C" fn ftp_session_new_tls(config: *const ftp_tls_config) -> *mut ftp_session {
    guard(std::ptr::null_mut(), || {
        let cfg = if config.is_null() {
            TlsConfig::default()
        } else {
            // SAFETY: non-NULL handles come from ftp_tls_config_new.
            match unsafe { &*config }.inner.read() {
                Ok(c) => c.clone(),
                Err(_) => return std::ptr::null_mut(),
            }
        };
        Box::into_raw(Box::new(ftp_session::new(Session::new_tls(cfg))))
    })
}

/// Implicit FTPS: TLS from the first byte (`ftp_connect` port 0 then means
/// 990). Set before connecting; `FTP_ERROR_STATE` on a plain session.
#[no_mangle]
pub extern "C" fn ftp_set_implicit_tls(s: *mut ftp_session, implicit: bool) -> ftp_result {
    with_session(s, |s| s.core.set_implicit_tls(implicit))
}

/// AUTH TLS, then the TLS handshake on the control connection (SNI and
/// certificate checks use the host name given to `ftp_connect`).
/// `FTP_ERROR_STATE` on a plain session or when already secured. A refusal
/// fails; nothing ever falls back to clear text. `ftp_login` on a TLS
/// session calls this first when needed.
#[no_mangle]
pub extern "C" fn ftp_auth(s: *mut ftp_session) -> ftp_result {
    with_session(s, |s| s.core.auth())
}

/// PBSZ 0 + PROT P: data connections are TLS from now on, each resuming
/// the control connection's TLS session (TLS 1.2 and 1.3) and closed with
/// close_notify. `ftp_login` does this by itself on TLS sessions (unless
/// `ftp_prot_c` came first), so calling it is needed only after
/// `ftp_prot_c`, or when logging in by hand with `ftp_sendcmd`. Before
/// AUTH TLS (control connection not secured): `FTP_ERROR_STATE`.
///
/// Interrupted protected transfers (a callback that stops, `ftp_abort`,
/// an early `ftp_transfer_close`, a data timeout, a 426, a reset) leave the
/// next protected transfer working, also on servers that demand TLS session
/// reuse (vsftpd `require_ssl_reuse`, ProFTPD): each data connection gets a
/// fresh copy of a session received on this connection, never one OpenSSL
/// has marked unusable.
#[no_mangle]
pub extern "C" fn ftp_prot_p(s: *mut ftp_session) -> ftp_result {
    with_session(s, |s| s.core.prot_p())
}

/// PROT C: data connections are clear text from now on. Called after
/// `ftp_connect` and before `ftp_login` (and before any `ftp_prot_p`), it
/// sends nothing and stops `ftp_login` from protecting the data
/// connections (see `ftp_login`); after login it sends PROT C. Not
/// connected: `FTP_ERROR_STATE`.
#[no_mangle]
pub extern "C" fn ftp_prot_c(s: *mut ftp_session) -> ftp_result {
    with_session(s, |s| s.core.prot_c())
}

/// CCC: the control connection goes back to clear text (TLS shut down,
/// TCP kept). `FTP_ERROR_STATE` if it is not TLS.
#[no_mangle]
pub extern "C" fn ftp_ccc(s: *mut ftp_session) -> ftp_result {
    with_session(s, |s| s.core.ccc())
}
