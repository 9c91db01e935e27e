//! The C callback types and their adapters to the core's closures.

use crate::error::{Error, Result};
use std::ffi::{c_char, c_int, c_void};
use std::io::Write;

/// Receives a block of `len` bytes. `data` is valid only during the call:
/// copy what you keep. Return 0 to go on, non-zero to stop.
pub type ftp_data_cb =
    Option<unsafe extern "C" fn(userdata: *mut c_void, data: *const u8, len: usize) -> c_int>;

/// Receives one line, without its CR/LF, NUL-terminated; `len` excludes the
/// NUL. In UTF-8 sessions the bytes are the server's, unchanged; in latin-1
/// sessions they are transcoded to UTF-8. The line may itself contain NUL
/// bytes (a server sent them): use `len`, not `strlen`. `line` is valid
/// only during the call: copy what you keep. Return 0 to go on, non-zero
/// to stop.
pub type ftp_line_cb =
    Option<unsafe extern "C" fn(userdata: *mut c_void, line: *const c_char, len: usize) -> c_int>;

/// Fills `buf` with up to `cap` bytes; returns how many (> 0), 0 at the
/// end, or < 0 on an error (the transfer stops with `FTP_ERROR_CALLBACK`).
/// `buf` is valid only during the call.
pub type ftp_read_cb =
    Option<unsafe extern "C" fn(userdata: *mut c_void, buf: *mut u8, cap: usize) -> i64>;

fn stopped(what: &str, code: i64) -> Error {
    Error::Callback(format!(
        "the {what} callback returned {code}: transfer stopped"
    ))
}

/// Calls a data callback.
pub(crate) fn call_data(
    cb: unsafe extern "C" fn(*mut c_void, *const u8, usize) -> c_int,
    userdata: *mut c_void,
    data: &[u8],
    what: &str,
) -> Result<()> {
    // SAFETY: data is valid for len bytes during the call.
    let rc = unsafe { cb(userdata, data.as_ptr(), data.len()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(stopped(what, i64::from(rc)))
    }
}

/// Calls a line callback with a NUL-terminated copy of the line (or prints
/// the line to standard output when there is no callback).
pub(crate) fn call_line(
    cb: ftp_line_cb,
    userdata: *mut c_void,
    line: &[u8],
    scratch: &mut Vec<u8>,
) -> Result<()> {
    let Some(f) = cb else {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(line)
            .and_then(|()| out.write_all(b"\n"))
            .map_err(|e| Error::from_io("writing to standard output", e));
    };
    scratch.clear();
    scratch.extend_from_slice(line);
    scratch.push(0);
    // SAFETY: scratch holds line + NUL for the duration of the call.
    let rc = unsafe { f(userdata, scratch.as_ptr().cast(), line.len()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(stopped("line", i64::from(rc)))
    }
}

/// Calls a read callback into `buf`, checking what it returns.
pub(crate) fn call_read(
    cb: unsafe extern "C" fn(*mut c_void, *mut u8, usize) -> i64,
    userdata: *mut c_void,
    buf: &mut [u8],
) -> Result<usize> {
    // SAFETY: buf is valid for writes of buf.len() bytes during the call.
    let n = unsafe { cb(userdata, buf.as_mut_ptr(), buf.len()) };
    if n < 0 {
        return Err(stopped("read", n));
    }
    let n = n as u64;
    if n > buf.len() as u64 {
        return Err(Error::Callback(format!(
            "the read callback returned {n}, more than the {} bytes asked for",
            buf.len()
        )));
    }
    Ok(n as usize)
}
