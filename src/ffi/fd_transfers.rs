//! Transfers between the server and a file descriptor of the caller.

use super::boundary::with_session;
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::arg;
use super::transfers::rest_of;
use crate::error::Error;
use std::ffi::{c_char, c_int};
use std::os::fd::BorrowedFd;

fn borrowed<'a>(fd: c_int) -> Result<BorrowedFd<'a>, Error> {
    if fd < 0 {
        return Err(Error::InvalidArgument(format!(
            "fd {fd} is not a descriptor"
        )));
    }
    // SAFETY: the caller promises fd stays open for the duration of the
    // call (the contract of these functions); it is only borrowed.
    Ok(unsafe { BorrowedFd::borrow_raw(fd) })
}

/// Downloads in binary mode (TYPE I, then `cmd`, e.g. "RETR name", after
/// `REST rest` when `rest >= 0`) straight into the open descriptor `fd`,
/// written at its current offset (or appended, with O_APPEND). On a plain
/// data connection into a pipe or a regular file the bytes go from the
/// socket to `fd` inside the kernel (splice; a file system without splice
/// support is detected at the first write and handled with a buffer); TLS,
/// O_APPEND and other descriptors go through a 256 KiB buffer; see
/// `ftp_set_zero_copy`. `fd` is neither closed nor synced. A write error on `fd`
/// stops the transfer with `FTP_ERROR_IO` (the session stays usable); the
/// other outcomes are those of `ftp_retrbinary`.
#[no_mangle]
pub extern "C" fn ftp_retr_to_fd(
    s: *mut ftp_session,
    cmd: *const c_char,
    fd: c_int,
    rest: i64,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: cmd is NULL or a C string.
        let cmd = unsafe { arg(cmd, "cmd") }?;
        let fd = borrowed(fd)?;
        s.core.retr_to_fd(cmd, fd, rest_of(rest)).map(|_| ())
    })
}

/// Uploads in binary mode (TYPE I, then `cmd`, e.g. "STOR name", after
/// `REST rest` when `rest >= 0`) what the open descriptor `fd` holds from
/// its current offset to its end. On a plain data connection to a remote
/// (not loopback) server a regular file goes to the socket inside the
/// kernel (sendfile: zero-copy); under TLS, over loopback, or from a pipe
/// or socket, through a 64 KiB buffer; see `ftp_set_zero_copy`. `fd` is not
/// closed. A read error on `fd` stops the upload with `FTP_ERROR_IO`.
#[no_mangle]
pub extern "C" fn ftp_stor_from_fd(
    s: *mut ftp_session,
    cmd: *const c_char,
    fd: c_int,
    rest: i64,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: cmd is NULL or a C string.
        let cmd = unsafe { arg(cmd, "cmd") }?;
        let fd = borrowed(fd)?;
        s.core.stor_from_fd(cmd, fd, rest_of(rest)).map(|_| ())
    })
}

/// `ftp_set_zero_copy`: splice into pipes and regular files (not
/// O_APPEND; a download whose 150 reply announces at most 64 KiB goes
/// through a buffer, cheaper than a pipe's set-up), sendfile from regular
/// files unless the server is on loopback (the default).
pub const FTP_ZERO_COPY_AUTO: c_int = 0;
/// `ftp_set_zero_copy`: as `FTP_ZERO_COPY_AUTO`, and sendfile towards a
/// server on loopback too.
pub const FTP_ZERO_COPY_ALWAYS: c_int = 1;
/// `ftp_set_zero_copy`: always copy through a buffer.
pub const FTP_ZERO_COPY_NEVER: c_int = 2;

/// Chooses when `ftp_retr_to_fd` / `ftp_stor_from_fd` move bytes inside
/// the kernel: `FTP_ZERO_COPY_AUTO` (default), `_ALWAYS` or `_NEVER`;
/// another value gives `FTP_ERROR_INVALID_ARGUMENT`. TLS data connections
/// always go through a buffer.
#[no_mangle]
pub extern "C" fn ftp_set_zero_copy(s: *mut ftp_session, mode: c_int) -> ftp_result {
    with_session(s, |s| {
        let mode = match mode {
            FTP_ZERO_COPY_AUTO => crate::ZeroCopy::Auto,
            FTP_ZERO_COPY_ALWAYS => crate::ZeroCopy::Always,
            FTP_ZERO_COPY_NEVER => crate::ZeroCopy::Never,
            other => {
                return Err(Error::InvalidArgument(format!(
                    "unknown zero-copy mode {other}"
                )))
            }
        };
        s.core.set_zero_copy(mode);
        Ok(())
    })
}
