//! The pool's mutable state, behind its one mutex.

use super::{SharedProgress, DEFAULT_TIMEOUT};
use crate::session::Session;
use std::time::Duration;

/// Counters, idle sessions and the settings given to lent sessions.
pub(super) struct State {
    /// Sessions waiting to be lent (the last returned is lent first: its
    /// connection is the least likely to have been closed for idleness).
    pub(super) idle: Vec<Session>,
    /// Sessions that exist: idle, lent, or being opened.
    pub(super) open: usize,
    /// The most `open` ever was.
    pub(super) peak: usize,
    /// Sessions opened so far.
    pub(super) opened: u64,
    /// Session timeout and the bound of the wait for a free session.
    pub(super) timeout: Option<Duration>,
    /// The progress sink every lent session gets.
    pub(super) progress: Option<SharedProgress>,
    /// Its interval.
    pub(super) progress_interval: Duration,
}

impl State {
    pub(super) fn new() -> State {
        State {
            idle: Vec::new(),
            open: 0,
            peak: 0,
            opened: 0,
            timeout: Some(DEFAULT_TIMEOUT),
            progress: None,
            progress_interval: Duration::ZERO,
        }
    }
}
