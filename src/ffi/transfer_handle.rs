//! `ftp_transfer`: a data connection handed to the caller
//! (ftplib's `transfercmd`/`ntransfercmd`).

use super::boundary::{guard, out_ptr, with_session, with_transfer};
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::{arg, to_cstring, EMPTY};
use super::transfers::rest_of;
use crate::data::DataConn;
use crate::error::{Error, Result};
use std::ffi::{c_char, c_int, CString};

/// An open data connection. Read or write it, then `ftp_transfer_close` it
/// and read the final reply with `ftp_voidresp`. It does not depend on its
/// session's memory: freeing the session first is safe.
pub struct ftp_transfer {
    pub(crate) conn: Option<DataConn>,
    pub(crate) last_error: CString,
}

impl ftp_transfer {
    pub(crate) fn set_error(&mut self, e: &Error) {
        self.last_error = to_cstring(e.to_string().as_bytes());
    }

    fn conn(&mut self) -> Result<&mut DataConn> {
        self.conn
            .as_mut()
            .ok_or_else(|| Error::State("the data connection is closed".into()))
    }
}

/// Opens a data connection for `cmd` (ftplib's `transfercmd`), after
/// `REST rest` when `rest >= 0`. No TYPE is sent: send it first with
/// `ftp_voidcmd(s, "TYPE I")` if needed. On success `*out` is the transfer;
/// on failure it is set to NULL. Until the transfer is closed, the session
/// accepts only `ftp_voidresp`, `ftp_getresp`, `ftp_abort` and `ftp_close`.
#[no_mangle]
pub extern "C" fn ftp_transfercmd(
    s: *mut ftp_session,
    cmd: *const c_char,
    rest: i64,
    out: *mut *mut ftp_transfer,
) -> ftp_result {
    ftp_ntransfercmd(s, cmd, rest, out, std::ptr::null_mut())
}

/// Like `ftp_transfercmd`, and `*expected_size` (NULL ok) receives the size
/// announced by a `150 ... (N bytes)` reply, or -1 when unknown.
#[no_mangle]
pub extern "C" fn ftp_ntransfercmd(
    s: *mut ftp_session,
    cmd: *const c_char,
    rest: i64,
    out: *mut *mut ftp_transfer,
    expected_size: *mut i64,
) -> ftp_result {
    if !out.is_null() {
        // SAFETY: out is a valid pointer to a pointer (contract).
        unsafe { *out = std::ptr::null_mut() };
    }
    if !expected_size.is_null() {
        // SAFETY: expected_size is valid when non-NULL.
        unsafe { *expected_size = -1 };
    }
    with_session(s, |s| {
        // SAFETY: cmd is NULL or a C string.
        let cmd = unsafe { arg(cmd, "cmd") }?;
        let out = out_ptr(out, "out")?;
        let (conn, size) = s.core.ntransfercmd(cmd, rest_of(rest))?;
        if !expected_size.is_null() {
            // SAFETY: checked non-NULL.
            unsafe { *expected_size = size.and_then(|n| i64::try_from(n).ok()).unwrap_or(-1) };
        }
        let handle = Box::new(ftp_transfer {
            conn: Some(conn),
            last_error: CString::default(),
        });
        // SAFETY: out checked non-NULL.
        unsafe { *out = Box::into_raw(handle) };
        Ok(())
    })
}

/// Reads up to `cap` bytes (`cap` > 0) into `buf`; `*nread` = 0 means the
/// end of the data. Each read waits at most the session timeout.
#[no_mangle]
pub extern "C" fn ftp_transfer_read(
    t: *mut ftp_transfer,
    buf: *mut u8,
    cap: usize,
    nread: *mut usize,
) -> ftp_result {
    with_transfer(t, |t| {
        let nread = out_ptr(nread, "nread")?;
        // SAFETY: checked non-NULL.
        unsafe { *nread = 0 };
        let buf = out_ptr(buf, "buf")?;
        if cap == 0 {
            return Err(Error::InvalidArgument("cap is 0".into()));
        }
        // SAFETY: the caller gives a buffer of cap writable bytes.
        let slice = unsafe { std::slice::from_raw_parts_mut(buf, cap) };
        let n = t.conn()?.read(slice)?;
        // SAFETY: checked non-NULL.
        unsafe { *nread = n };
        Ok(())
    })
}

/// Writes all `len` bytes of `buf`.
#[no_mangle]
pub extern "C" fn ftp_transfer_write(
    t: *mut ftp_transfer,
    buf: *const u8,
    len: usize,
) -> ftp_result {
    with_transfer(t, |t| {
        if len == 0 {
            return t.conn().map(|_| ());
        }
        if buf.is_null() {
            return Err(Error::InvalidArgument("buf is NULL".into()));
        }
        // SAFETY: the caller gives len readable bytes.
        let slice = unsafe { std::slice::from_raw_parts(buf, len) };
        t.conn()?.write_all(slice)
    })
}

/// The data socket's file descriptor (for poll/select); -1 if none. Do not
/// close it or read it directly.
#[no_mangle]
pub extern "C" fn ftp_transfer_fd(t: *const ftp_transfer) -> c_int {
    if t.is_null() {
        return -1;
    }
    // SAFETY: non-NULL handles come from ftp_transfercmd.
    let t = unsafe { &*t };
    guard(-1, || t.conn.as_ref().map_or(-1, |c| c.raw_fd()))
}

/// A sentence describing the last failure on this transfer; "" if none.
#[no_mangle]
pub extern "C" fn ftp_transfer_last_error(t: *const ftp_transfer) -> *const c_char {
    if t.is_null() {
        return EMPTY.as_ptr();
    }
    // SAFETY: non-NULL handles come from ftp_transfercmd.
    let t = unsafe { &*t };
    guard(EMPTY.as_ptr(), || t.last_error.as_ptr())
}

/// Ends the data connection (an upload's end is signalled to the server)
/// and frees `t`, whatever the result. Then read the final reply with
/// `ftp_voidresp`. Closing a download before its end resets the connection
/// at once, TLS or not (the rest is not read; the final reply is then
/// usually 426, `FTP_ERROR_TEMP`); the TLS session stays resumable, so the
/// next protected transfer works on servers that demand session reuse.
/// `ftp_transfer_close(NULL)` does nothing and returns `FTP_OK`, like the
/// other releasers.
#[no_mangle]
pub extern "C" fn ftp_transfer_close(t: *mut ftp_transfer) -> ftp_result {
    if t.is_null() {
        return ftp_result::FTP_OK;
    }
    let result = with_transfer(t, |t| match t.conn.take() {
        Some(conn) => conn.close(),
        None => Ok(()),
    });
    // SAFETY: t came from Box::into_raw in ftp_ntransfercmd and is freed once.
    drop(unsafe { Box::from_raw(t) });
    result
}
