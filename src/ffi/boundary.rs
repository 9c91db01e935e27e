//! The one path every exported function takes: NULL checks, the panic
//! boundary, and recording the outcome for `ftp_last_error`.

use super::handle::ftp_session;
use super::result::ftp_result;
use super::transfer_handle::ftp_transfer;
use crate::error::{Error, Result};
use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Text of a caught panic.
fn panic_text(p: &(dyn Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}

/// Runs `f` on the session behind `s`: NULL gives
/// `FTP_ERROR_INVALID_ARGUMENT`, a dead session `FTP_ERROR_INTERNAL`, a
/// panic kills the session; the error text and reply are recorded.
pub(crate) fn with_session(
    s: *mut ftp_session,
    f: impl FnOnce(&mut ftp_session) -> Result<()>,
) -> ftp_result {
    if s.is_null() {
        return ftp_result::FTP_ERROR_INVALID_ARGUMENT;
    }
    // SAFETY: non-NULL handles come from ftp_session_new and the contract
    // says one thread uses a session at a time.
    let sess = unsafe { &mut *s };
    if sess.dead {
        sess.set_error(&Error::Internal(
            "the session is unusable after an internal error".into(),
        ));
        return ftp_result::FTP_ERROR_INTERNAL;
    }
    sess.last_error = Default::default();
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&mut *sess)));
    let result = match outcome {
        Ok(Ok(())) => ftp_result::FTP_OK,
        Ok(Err(e)) => {
            sess.set_error(&e);
            ftp_result::from(&e)
        }
        Err(p) => {
            sess.dead = true;
            sess.set_error(&Error::Internal(format!("panic: {}", panic_text(&*p))));
            ftp_result::FTP_ERROR_INTERNAL
        }
    };
    // Refreshing only copies strings; guard it as well.
    if catch_unwind(AssertUnwindSafe(|| sess.refresh())).is_err() {
        sess.dead = true;
        return ftp_result::FTP_ERROR_INTERNAL;
    }
    result
}

/// Runs `f` on a transfer handle, with the same rules as [`with_session`].
pub(crate) fn with_transfer(
    t: *mut ftp_transfer,
    f: impl FnOnce(&mut ftp_transfer) -> Result<()>,
) -> ftp_result {
    if t.is_null() {
        return ftp_result::FTP_ERROR_INVALID_ARGUMENT;
    }
    // SAFETY: non-NULL handles come from ftp_transfercmd.
    let tr = unsafe { &mut *t };
    tr.last_error = Default::default();
    match catch_unwind(AssertUnwindSafe(|| f(&mut *tr))) {
        Ok(Ok(())) => ftp_result::FTP_OK,
        Ok(Err(e)) => {
            tr.set_error(&e);
            ftp_result::from(&e)
        }
        Err(p) => {
            tr.conn = None;
            tr.set_error(&Error::Internal(format!("panic: {}", panic_text(&*p))));
            ftp_result::FTP_ERROR_INTERNAL
        }
    }
}

/// Runs a constructor or destructor-like function without letting a panic out.
pub(crate) fn guard<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// A required output pointer.
pub(crate) fn out_ptr<T>(p: *mut T, what: &str) -> Result<*mut T> {
    if p.is_null() {
        Err(Error::InvalidArgument(format!("{what} is NULL")))
    } else {
        Ok(p)
    }
}
