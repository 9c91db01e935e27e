//! Strings across the boundary: borrowing C strings in, making C strings out.

use crate::error::{Error, Result};
use std::ffi::{c_char, CStr, CString};

/// Borrows a required NUL-terminated UTF-8 argument.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string alive for `'a`.
pub(crate) unsafe fn arg<'a>(p: *const c_char, what: &str) -> Result<&'a str> {
    if p.is_null() {
        return Err(Error::InvalidArgument(format!("{what} is NULL")));
    }
    // SAFETY: the caller guarantees a NUL-terminated string.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str()
        .map_err(|_| Error::InvalidArgument(format!("{what} is not valid UTF-8")))
}

/// Borrows an optional argument (NULL gives `None`).
///
/// # Safety
/// As [`arg`].
pub(crate) unsafe fn opt_arg<'a>(p: *const c_char, what: &str) -> Result<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded from the caller.
        unsafe { arg(p, what) }.map(Some)
    }
}

/// A C string of `bytes`; a NUL byte inside (never valid in FTP text) is
/// replaced by `?` so that nothing after it is lost.
pub(crate) fn to_cstring(bytes: &[u8]) -> CString {
    match CString::new(bytes) {
        Ok(c) => c,
        Err(_) => {
            let cleaned: Vec<u8> = bytes
                .iter()
                .map(|&b| if b == 0 { b'?' } else { b })
                .collect();
            CString::new(cleaned).unwrap_or_default()
        }
    }
}

/// The empty string, for getters given no session.
pub(crate) const EMPTY: &CStr = c"";
