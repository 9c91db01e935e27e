//! Cancelling a session's blocking call from another thread (or a signal
//! handler).
//!
//! A [`CancelToken`] is one atomic flag shared by a session and every
//! connection it opens. Nothing in the library blocks for longer than
//! [`SLICE`] at a time: every socket wait (connect, accept, reads, writes,
//! TLS handshakes, splice/sendfile) is cut into slices, and the flag is
//! looked at between them. So a call notices a cancel within one slice.
//! Setting the flag is a single atomic store: safe from any thread and
//! from a signal handler.

use std::fmt;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The longest a socket wait lasts before the cancel flag is looked at
/// again: the bound on how late a cancel is noticed.
pub const SLICE: Duration = Duration::from_millis(20);

/// A cancel flag shared by a session, its connections and its cancellers.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A new, unset flag.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Asks the running call to stop. One atomic store: async-signal-safe.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Clears the flag (the C API does so at the start of every call, so a
    /// cancel that arrives while no call runs is forgotten).
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }

    /// True once [`CancelToken::cancel`] was called (and not reset since).
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// An I/O error marked as a cancel when the flag is set.
    pub(crate) fn check(&self) -> io::Result<()> {
        if self.is_cancelled() {
            Err(cancelled_io())
        } else {
            Ok(())
        }
    }
}

/// The marker inside the I/O errors of a cancelled wait.
#[derive(Debug)]
struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// The I/O error a cancelled wait returns.
pub(crate) fn cancelled_io() -> io::Error {
    io::Error::other(Cancelled)
}

/// True for the I/O errors made by [`cancelled_io`].
pub(crate) fn is_cancelled_io(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<Cancelled>())
}

/// A wait in slices: how long the next slice may be, given an optional
/// overall limit. `None` once the limit has passed.
pub(crate) fn next_slice(limit: Option<std::time::Instant>, slice: Duration) -> Option<Duration> {
    const MIN_WAIT: Duration = Duration::from_millis(1);
    match limit {
        None => Some(slice),
        Some(l) => {
            let now = std::time::Instant::now();
            (now < l).then(|| (l - now).min(slice).max(MIN_WAIT))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_and_marker() {
        let t = CancelToken::new();
        assert!(t.check().is_ok());
        let other = t.clone();
        other.cancel();
        let e = t.check().unwrap_err();
        assert!(is_cancelled_io(&e));
        assert!(!is_cancelled_io(&io::Error::other("x")));
        t.reset();
        assert!(!other.is_cancelled());
    }

    #[test]
    fn slices() {
        assert_eq!(next_slice(None, SLICE), Some(SLICE));
        let past = std::time::Instant::now() - Duration::from_millis(5);
        assert_eq!(next_slice(Some(past), SLICE), None);
        let far = std::time::Instant::now() + Duration::from_secs(5);
        assert_eq!(next_slice(Some(far), SLICE), Some(SLICE));
    }
}
