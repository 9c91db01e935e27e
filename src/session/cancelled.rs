//! What a cancel does to a transfer in progress: the call returns at once
//! and the session stays in step.

use super::Session;
use crate::data::DataConn;
use crate::error::Error;

impl Session {
    /// Ends a transfer stopped by a cancel without waiting for the server
    /// ([`DataConn::end_after_cancel`]: a download cut, an upload ended in
    /// order at once). The final reply is left owed, marked as after a cut,
    /// so the next call reads it first (see `begin`). Returns `why`, with
    /// what was done added to its text.
    pub(crate) fn cancelled_transfer(&mut self, conn: Option<DataConn>, why: Error) -> Error {
        if let Some(c) = conn {
            c.end_after_cancel();
        }
        self.transfer.socket = None;
        // The final reply stays owed; marked as after a cut, the next call
        // waits for it a bounded time and resynchronises with NOOP if it
        // never comes (some servers send none for a cut data connection).
        self.transfer
            .cut
            .store(true, std::sync::atomic::Ordering::SeqCst);
        match why {
            Error::Cancelled(text) => Error::Cancelled(format!(
                "{text}: the transfer was stopped (the session stays usable: \
                 the next call reads the transfer's final reply first)"
            )),
            other => other,
        }
    }
}
