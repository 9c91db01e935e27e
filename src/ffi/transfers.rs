//! The four transfer calls: retrbinary, retrlines, storbinary, storlines.

use super::boundary::with_session;
use super::callbacks::{call_data, call_line, call_read, ftp_data_cb, ftp_line_cb, ftp_read_cb};
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::arg;
use crate::error::{Error, Result};
use std::ffi::{c_char, c_void};

pub(crate) fn rest_of(rest: i64) -> Option<u64> {
    u64::try_from(rest).ok()
}

fn required<T>(cb: Option<T>, what: &str) -> Result<T> {
    cb.ok_or_else(|| Error::InvalidArgument(format!("{what} is NULL")))
}

/// Downloads in binary mode (ftplib's `retrbinary`): TYPE I, then `cmd`
/// (e.g. "RETR name") after `REST rest` when `rest >= 0`; each block goes
/// to `cb`. A block holds at most `blocksize` bytes (0 means 8192; values
/// above 1 MiB are reduced to 1 MiB) and at most `FTP_MAX_RETR_BLOCK`
/// (256 KiB, the size of the library's reads); like a socket read, it may
/// be shorter. Ends with the server's final reply (226). A data connection cut
/// with 426 gives `FTP_ERROR_TEMP`; a data connection that ends before the
/// size announced in the 150 reply gives `FTP_ERROR_PROTO`. If `cb` returns
/// non-zero the data connection is reset, the final reply read, and
/// `FTP_ERROR_CALLBACK` returned; the session stays usable.
#[no_mangle]
pub extern "C" fn ftp_retrbinary(
    s: *mut ftp_session,
    cmd: *const c_char,
    cb: ftp_data_cb,
    userdata: *mut c_void,
    blocksize: usize,
    rest: i64,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: cmd is NULL or a C string.
        let cmd = unsafe { arg(cmd, "cmd") }?;
        let cb = required(cb, "cb")?;
        s.core
            .retrbinary(cmd, blocksize, rest_of(rest), |block| {
                call_data(cb, userdata, block, "data")
            })
            .map(|_| ())
    })
}

/// Downloads in ASCII mode (ftplib's `retrlines`): TYPE A, then `cmd`
/// (e.g. "RETR name", "LIST"); each line goes to `cb` without its CR, LF
/// or CRLF (CR, LF and CRLF all end a line; empty lines and a final line
/// without terminator are delivered). NULL `cb` prints the lines to
/// standard output. A line over 8192 bytes gives `FTP_ERROR_PROTO`.
#[no_mangle]
pub extern "C" fn ftp_retrlines(
    s: *mut ftp_session,
    cmd: *const c_char,
    cb: ftp_line_cb,
    userdata: *mut c_void,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: cmd is NULL or a C string.
        let cmd = unsafe { arg(cmd, "cmd") }?;
        let mut scratch = Vec::new();
        s.core
            .retrlines(cmd, |line| call_line(cb, userdata, line, &mut scratch))
            .map(|_| ())
    })
}

/// Uploads in binary mode (ftplib's `storbinary`): TYPE I, then `cmd`
/// (e.g. "STOR name") after `REST rest` when `rest >= 0`; `read` is called
/// for up to `blocksize` bytes (0 = 8192) and at most `FTP_MAX_STOR_BLOCK`
/// (64 KiB, the size of the library's writes) until it returns 0; `sent`
/// (NULL ok) sees each block once sent. `read` returning < 0, or `sent`
/// non-zero, stops the upload: the data connection is closed in
/// order, the final reply read, and `FTP_ERROR_CALLBACK` returned; the
/// server keeps what it received (a partial file: delete it if needed).
#[no_mangle]
pub extern "C" fn ftp_storbinary(
    s: *mut ftp_session,
    cmd: *const c_char,
    read: ftp_read_cb,
    userdata: *mut c_void,
    blocksize: usize,
    sent: ftp_data_cb,
    rest: i64,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: cmd is NULL or a C string.
        let cmd = unsafe { arg(cmd, "cmd") }?;
        let read = required(read, "read")?;
        s.core
            .storbinary(
                cmd,
                blocksize,
                rest_of(rest),
                |buf| call_read(read, userdata, buf),
                |block| match sent {
                    Some(f) => call_data(f, userdata, block, "sent"),
                    None => Ok(()),
                },
            )
            .map(|_| ())
    })
}

/// Uploads in ASCII mode (ftplib's `storlines`): TYPE A, then `cmd`; the
/// bytes from `read` are split at LF and each line sent ending in CRLF (a
/// line not ending in CRLF loses one final CR or LF and gets CRLF; a CR
/// inside a line is kept). `sent` (NULL ok) gets each line as sent, with
/// its CRLF. A line over 8192 bytes gives `FTP_ERROR_PROTO`.
#[no_mangle]
pub extern "C" fn ftp_storlines(
    s: *mut ftp_session,
    cmd: *const c_char,
    read: ftp_read_cb,
    userdata: *mut c_void,
    sent: ftp_data_cb,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: cmd is NULL or a C string.
        let cmd = unsafe { arg(cmd, "cmd") }?;
        let read = required(read, "read")?;
        s.core
            .storlines(
                cmd,
                |buf| call_read(read, userdata, buf),
                |line| match sent {
                    Some(f) => call_data(f, userdata, line, "sent"),
                    None => Ok(()),
                },
            )
            .map(|_| ())
    })
}
