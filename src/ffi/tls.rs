//! FTPS (ftplib's `FTP_TLS`): `ftp_tls_config` and the TLS session calls.

use super::boundary::{guard, with_session};
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::arg;
use crate::error::{Error, Result};
use crate::session::Session;
use crate::tls::{TlsConfig, TlsVersion};
use std::ffi::{c_char, c_int};
use std::panic::{catch_unwind, AssertUnwindSafe};
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
/// `ftp_tls_config_new`, released by `ftp_tls_config_free`. Once set up it
/// may be shared by many sessions on many threads: each session copies it
/// when it is created.
pub struct ftp_tls_config {
    inner: RwLock<TlsConfig>,
}

fn with_config(c: *mut ftp_tls_config, f: impl FnOnce(&mut TlsConfig) -> Result<()>) -> ftp_result {
    if c.is_null() {
        return ftp_result::FTP_ERROR_INVALID_ARGUMENT;
    }
    // SAFETY: non-NULL handles come from ftp_tls_config_new.
    let cfg = unsafe { &*c };
    let outcome = catch_unwind(AssertUnwindSafe(|| match cfg.inner.write() {
        Ok(mut guard) => f(&mut guard),
        Err(_) => Err(Error::Internal("TLS configuration lock poisoned".into())),
    }));
    match outcome {
        Ok(Ok(())) => ftp_result::FTP_OK,
        Ok(Err(e)) => ftp_result::from(&e),
        Err(_) => ftp_result::FTP_ERROR_INTERNAL,
    }
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
/// system roots and check its host name, TLS 1.2 or later.
#[no_mangle]
pub extern "C" fn ftp_tls_config_new() -> *mut ftp_tls_config {
    guard(std::ptr::null_mut(), || {
        Box::into_raw(Box::new(ftp_tls_config {
            inner: RwLock::new(TlsConfig::default()),
        }))
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
/// (like curl's `--cacert`; with `ftp_tls_config_set_ca_path` too, both are
/// trusted). A missing file gives `FTP_ERROR_IO`.
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

/// Presents a client certificate (PEM chain file) with its private key (PEM file).
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
/// check the host name). Returns NULL only if memory runs out.
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
/// close_notify.
#[no_mangle]
pub extern "C" fn ftp_prot_p(s: *mut ftp_session) -> ftp_result {
    with_session(s, |s| s.core.prot_p())
}

/// PROT C: data connections are clear text from now on.
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
