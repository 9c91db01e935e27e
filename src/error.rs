//! The error type of the Rust core, and the coarse classes it falls into.
//!
//! The classes mirror Python ftplib's exceptions (`error_reply`, `error_temp`,
//! `error_perm`, `error_proto`, `OSError`, `EOFError`) plus what a C library
//! needs besides (timeouts, TLS, bad arguments, wrong state, callbacks).

use crate::reply::Reply;
use std::io;

/// Everything that can go wrong in an FTP session.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A valid 1xx/2xx/3xx reply that the operation did not expect.
    #[error("unexpected reply from the server: {0}")]
    Reply(Reply),
    /// A 4xx reply (transient failure).
    #[error("the server refused (temporary failure): {0}")]
    Temp(Reply),
    /// A 5xx reply (permanent failure).
    #[error("the server refused: {0}")]
    Perm(Reply),
    /// The server's bytes are not valid FTP (bad reply, line or reply too long, bad address).
    #[error("protocol error: {0}")]
    Proto(String),
    /// A socket or file error.
    #[error("{context}: {source}")]
    Io {
        /// What the library was doing.
        context: String,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// The server closed a connection where more was expected.
    #[error("the server closed the connection {0}")]
    Eof(String),
    /// The session timeout expired.
    #[error("timed out {0}")]
    Timeout(String),
    /// A TLS handshake, certificate or host name failure.
    #[error("TLS error: {0}")]
    Tls(String),
    /// A bad argument: CR/LF/NUL in a command, an unknown option value, a NULL pointer.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The call is not possible now (not connected, transfer open, ...).
    #[error("{0}")]
    State(String),
    /// A callback asked to stop (or failed); the text says which.
    #[error("{0}")]
    Callback(String),
    /// Text that cannot be represented in the session encoding.
    #[error("encoding error: {0}")]
    Encoding(String),
    /// A bug in the library.
    #[error("internal error: {0}")]
    Internal(String),
    /// The call was cancelled (see [`crate::cancel::CancelToken`]); the
    /// text says what it was waiting for and in what state it left the
    /// session.
    #[error("cancelled {0}")]
    Cancelled(String),
    /// A whole-file transfer's copy does not match the original (checksum,
    /// size or modification time): "expected ... got ...".
    #[error("verification failed: {0}")]
    Verify(String),
}

/// The class of an [`Error`]; the C API maps each one to an `ftp_result`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// See [`Error::Reply`].
    Reply,
    /// See [`Error::Temp`].
    Temp,
    /// See [`Error::Perm`].
    Perm,
    /// See [`Error::Proto`].
    Proto,
    /// See [`Error::Io`].
    Io,
    /// See [`Error::Eof`].
    Eof,
    /// See [`Error::Timeout`].
    Timeout,
    /// See [`Error::Tls`].
    Tls,
    /// See [`Error::InvalidArgument`].
    InvalidArgument,
    /// See [`Error::State`].
    State,
    /// See [`Error::Callback`].
    Callback,
    /// See [`Error::Encoding`].
    Encoding,
    /// See [`Error::Internal`].
    Internal,
    /// See [`Error::Cancelled`].
    Cancelled,
    /// See [`Error::Verify`].
    Verify,
}

impl Error {
    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Reply(_) => ErrorKind::Reply,
            Error::Temp(_) => ErrorKind::Temp,
            Error::Perm(_) => ErrorKind::Perm,
            Error::Proto(_) => ErrorKind::Proto,
            Error::Io { .. } => ErrorKind::Io,
            Error::Eof(_) => ErrorKind::Eof,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Tls(_) => ErrorKind::Tls,
            Error::InvalidArgument(_) => ErrorKind::InvalidArgument,
            Error::State(_) => ErrorKind::State,
            Error::Callback(_) => ErrorKind::Callback,
            Error::Encoding(_) => ErrorKind::Encoding,
            Error::Internal(_) => ErrorKind::Internal,
            Error::Cancelled(_) => ErrorKind::Cancelled,
            Error::Verify(_) => ErrorKind::Verify,
        }
    }

    /// The server reply this error carries, if it came from one.
    pub fn reply(&self) -> Option<&Reply> {
        match self {
            Error::Reply(r) | Error::Temp(r) | Error::Perm(r) => Some(r),
            _ => None,
        }
    }

    /// Turns an I/O error into the right class: a cancelled wait becomes
    /// [`Error::Cancelled`], timeouts [`Error::Timeout`], unexpected ends
    /// [`Error::Eof`], the rest [`Error::Io`].
    pub fn from_io(context: &str, source: io::Error) -> Error {
        if crate::cancel::is_cancelled_io(&source) {
            return Error::Cancelled(format!("while {context}"));
        }
        match source.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
                Error::Timeout(context.to_string())
            }
            io::ErrorKind::UnexpectedEof => Error::Eof(context.to_string()),
            _ => Error::Io {
                context: context.to_string(),
                source,
            },
        }
    }
}

/// The result type of the Rust core.
pub type Result<T> = std::result::Result<T, Error>;
