//! The opaque `ftp_pool` handle: the core pool and each calling thread's
//! last error text.

use super::strings::{to_cstring, EMPTY};
use crate::error::Error;
use crate::pool::Pool;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_char, CString};
use std::sync::Mutex;
use std::thread::{self, ThreadId};

/// A pool of up to N sessions to one server, shared by many threads. Made
/// by `ftp_pool_new`, released by `ftp_pool_free`.
pub struct ftp_pool {
    pub(crate) core: Pool,
    /// The last failure of each thread's last call on this pool; a
    /// thread whose last call succeeded has no entry.
    errors: Mutex<HashMap<ThreadId, CString>>,
}

thread_local! {
    /// Why this thread's last `ftp_pool_new` failed ("" after a success).
    static NEW_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

impl ftp_pool {
    pub(crate) fn new(core: Pool) -> ftp_pool {
        ftp_pool {
            core,
            errors: Mutex::new(HashMap::new()),
        }
    }

    /// Records the outcome of the calling thread's call: the error's text,
    /// or none after a success.
    pub(crate) fn record(&self, outcome: Option<&Error>) {
        let mut errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
        let me = thread::current().id();
        match outcome {
            Some(e) => {
                errors.insert(me, to_cstring(e.to_string().as_bytes()));
            }
            None => {
                errors.remove(&me);
            }
        }
    }

    /// The calling thread's last error text. The pointer stays valid until
    /// this thread's next call on the pool: only this thread replaces or
    /// removes its entry, and other threads' inserts move the `CString`
    /// (a pointer) within the map, never the bytes it owns.
    pub(crate) fn last_error(&self) -> *const c_char {
        let errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
        match errors.get(&thread::current().id()) {
            Some(text) => text.as_ptr(),
            None => EMPTY.as_ptr(),
        }
    }
}

/// Records why `ftp_pool_new` failed on this thread (None: it succeeded).
pub(crate) fn set_new_error(e: Option<&Error>) {
    let text = e.map_or_else(CString::default, |e| to_cstring(e.to_string().as_bytes()));
    NEW_ERROR.with(|cell| *cell.borrow_mut() = text);
}

/// This thread's last `ftp_pool_new` failure text; valid until this
/// thread's next `ftp_pool_new` (the thread-local keeps the bytes).
pub(crate) fn new_error() -> *const c_char {
    NEW_ERROR.with(|cell| cell.borrow().as_ptr())
}
