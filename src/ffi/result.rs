//! `ftp_result`, its names, and the library version.

use crate::error::{Error, ErrorKind};
use std::ffi::c_char;

/// The outcome of every fallible call. `FTP_OK` is 0; the others follow
/// Python ftplib's error classes (in brackets) and what a C library needs.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum ftp_result {
    /// Success.
    FTP_OK = 0,
    /// An unexpected 1xx/2xx/3xx reply [error_reply].
    FTP_ERROR_REPLY = 1,
    /// A 4xx reply [error_temp].
    FTP_ERROR_TEMP = 2,
    /// A 5xx reply [error_perm].
    FTP_ERROR_PERM = 3,
    /// Not an FTP reply, a line over 8192 bytes, a reply over 1 MiB, a bad address [error_proto].
    FTP_ERROR_PROTO = 4,
    /// A socket or file error [OSError].
    FTP_ERROR_IO = 5,
    /// The server closed the connection [EOFError].
    FTP_ERROR_EOF = 6,
    /// The session timeout expired.
    FTP_ERROR_TIMEOUT = 7,
    /// A TLS handshake, certificate or host name failure.
    FTP_ERROR_TLS = 8,
    /// A NULL pointer, CR/LF/NUL in a command, a bad option value.
    FTP_ERROR_INVALID_ARGUMENT = 9,
    /// Not connected, already TLS, a transfer is open ...
    FTP_ERROR_STATE = 10,
    /// A callback returned non-zero (or a read callback returned < 0).
    FTP_ERROR_CALLBACK = 11,
    /// Text not representable in the session encoding.
    FTP_ERROR_ENCODING = 12,
    /// A bug: a caught panic. The session is dead and refuses further work.
    FTP_ERROR_INTERNAL = 13,
    /// `ftp_session_cancel` stopped the call. The session is then in step
    /// with the server, or closed (`ftp_last_error` says which).
    FTP_ERROR_CANCELLED = 14,
    /// A whole-file transfer's copy does not match the original (checksum,
    /// size or modification time; `ftp_last_error` says "expected ... got
    /// ..."). With `FTP_ATOMIC` the target was left untouched.
    FTP_ERROR_VERIFY = 15,
}

impl From<&Error> for ftp_result {
    fn from(e: &Error) -> ftp_result {
        match e.kind() {
            ErrorKind::Reply => ftp_result::FTP_ERROR_REPLY,
            ErrorKind::Temp => ftp_result::FTP_ERROR_TEMP,
            ErrorKind::Perm => ftp_result::FTP_ERROR_PERM,
            ErrorKind::Proto => ftp_result::FTP_ERROR_PROTO,
            ErrorKind::Io => ftp_result::FTP_ERROR_IO,
            ErrorKind::Eof => ftp_result::FTP_ERROR_EOF,
            ErrorKind::Timeout => ftp_result::FTP_ERROR_TIMEOUT,
            ErrorKind::Tls => ftp_result::FTP_ERROR_TLS,
            ErrorKind::InvalidArgument => ftp_result::FTP_ERROR_INVALID_ARGUMENT,
            ErrorKind::State => ftp_result::FTP_ERROR_STATE,
            ErrorKind::Callback => ftp_result::FTP_ERROR_CALLBACK,
            ErrorKind::Encoding => ftp_result::FTP_ERROR_ENCODING,
            ErrorKind::Internal => ftp_result::FTP_ERROR_INTERNAL,
            ErrorKind::Cancelled => ftp_result::FTP_ERROR_CANCELLED,
            ErrorKind::Verify => ftp_result::FTP_ERROR_VERIFY,
        }
    }
}

/// An `ftp_result` as it arrives from C: any `int`, since C lets callers
/// pass values outside the enum. Declared as `ftp_result` in ftp.h.
pub type ftp_result_in = std::ffi::c_int;

/// The name of a result, e.g. `"FTP_ERROR_PERM"`, in static storage.
/// A value outside the enum gives `"FTP_UNKNOWN_RESULT"`.
#[no_mangle]
pub extern "C" fn ftp_result_name(r: ftp_result_in) -> *const c_char {
    let name: &'static std::ffi::CStr = match r {
        0 => c"FTP_OK",
        1 => c"FTP_ERROR_REPLY",
        2 => c"FTP_ERROR_TEMP",
        3 => c"FTP_ERROR_PERM",
        4 => c"FTP_ERROR_PROTO",
        5 => c"FTP_ERROR_IO",
        6 => c"FTP_ERROR_EOF",
        7 => c"FTP_ERROR_TIMEOUT",
        8 => c"FTP_ERROR_TLS",
        9 => c"FTP_ERROR_INVALID_ARGUMENT",
        10 => c"FTP_ERROR_STATE",
        11 => c"FTP_ERROR_CALLBACK",
        12 => c"FTP_ERROR_ENCODING",
        13 => c"FTP_ERROR_INTERNAL",
        14 => c"FTP_ERROR_CANCELLED",
        15 => c"FTP_ERROR_VERIFY",
        _ => c"FTP_UNKNOWN_RESULT",
    };
    name.as_ptr()
}

/// The library version, e.g. `"0.1.0"`, in static storage.
#[no_mangle]
pub extern "C" fn ftp_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
