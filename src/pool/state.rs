//! The pool's mutable state, behind its one mutex.

use super::{SharedProgress, DEFAULT_TIMEOUT};
use crate::cancel::CancelToken;
use crate::session::{NetrcFile, Session};
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
    /// What every new session gets besides the timeout.
    pub(super) template: Template,
    /// Pool calls running now (see [`super::Pool::enter`]).
    pub(super) calls: usize,
    /// Set by [`super::Pool::cancel`] while calls run: nothing is lent
    /// until every running call has returned.
    pub(super) cancelling: bool,
    /// The cancel tokens of the sessions lent or being opened, by lending.
    pub(super) lent: Vec<(u64, CancelToken)>,
    /// The next lending's number.
    pub(super) next_lending: u64,
    /// Incremented when the proxy changes: sessions of an older one are
    /// closed when they come back.
    pub(super) generation: u64,
}

/// Settings of the sessions the pool opens.
#[derive(Debug, Clone, Default)]
pub(super) struct Template {
    /// The proxy (checked when set).
    pub(super) proxy: Option<String>,
    /// The netrc file for URLs without a password.
    pub(super) netrc: Option<NetrcFile>,
}

/// One lending of a session: its number (for its cancel token's entry in
/// [`State::lent`]) and the pool's generation when it was lent.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lending {
    pub(super) id: u64,
    pub(super) generation: u64,
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
            template: Template::default(),
            calls: 0,
            cancelling: false,
            lent: Vec::new(),
            next_lending: 0,
            generation: 0,
        }
    }

    /// A new lending whose session's cancel token is `token` (`None`: given
    /// later, when the session being opened has one).
    pub(super) fn lend(&mut self, token: Option<&CancelToken>) -> Lending {
        let id = self.next_lending;
        self.next_lending += 1;
        if let Some(t) = token {
            self.lent.push((id, t.clone()));
        }
        Lending {
            id,
            generation: self.generation,
        }
    }
}
