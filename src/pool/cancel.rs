//! Cancelling a pool's running calls from another thread.
//!
//! [`Pool::cancel`] sets the cancel token of every session lent or being
//! opened (a session's running operation then fails with
//! [`Error::Cancelled`] within [`crate::cancel::SLICE`], and so does every
//! later operation on it until it goes back to the pool), and, while pool
//! calls run ([`Pool::enter`]), makes the pool lend nothing more until all
//! of them have returned: a mirror or a segmented download stops instead
//! of going on with other sessions. A cancel while no call runs and no
//! session is lent does nothing.

use super::Pool;
use crate::error::Error;
use std::sync::Arc;

/// Held while a pool call runs (see [`Pool::enter`]).
#[must_use = "the call counts as running only while the guard lives"]
pub struct CallGuard {
    shared: Arc<super::Shared>,
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        let mut st = self.shared.lock();
        st.calls -= 1;
        if st.calls == 0 {
            st.cancelling = false;
        }
    }
}

/// The error of a lending refused because the pool's calls were cancelled.
pub(super) fn cancelled() -> Error {
    Error::Cancelled("the pool's calls were cancelled".into())
}

impl Pool {
    /// Counts a call as running on the pool until the guard is dropped, so
    /// that [`Pool::cancel`] stops it as a whole. The pool's own calls
    /// (segmented download, mirror) do this; the C API does it for every
    /// call.
    pub fn enter(&self) -> CallGuard {
        self.shared.lock().calls += 1;
        CallGuard {
            shared: self.shared.clone(),
        }
    }

    /// Stops the pool's running calls (see the module's text). Safe from
    /// any thread, while calls run.
    pub fn cancel(&self) {
        let mut st = self.shared.lock();
        if st.calls > 0 {
            st.cancelling = true;
        }
        for (_, token) in &st.lent {
            token.cancel();
        }
        drop(st);
        self.shared.returned.notify_all();
    }
}
