//! A session lent by a pool: the session itself while borrowed, back to
//! the pool (or closed, when broken) when dropped.

use super::state::Lending;
use super::Shared;
use crate::error::{ErrorKind, Result};
use crate::session::Session;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

/// A session lent by [`super::Pool::session`]. Derefs to [`Session`]; on
/// drop it returns to the pool, unless it is broken: marked so
/// ([`PooledSession::mark_broken`], or by [`PooledSession::run`]) or no
/// longer connected. A broken session is closed (without QUIT) and its
/// place freed; the pool opens a replacement when one is next needed.
pub struct PooledSession {
    session: Option<Session>,
    pool: Arc<Shared>,
    broken: bool,
    lending: Lending,
}

impl std::fmt::Debug for PooledSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PooledSession")
            .field("session", &self.session)
            .field("broken", &self.broken)
            .finish()
    }
}

/// True for the error kinds after which a session's connection may be in
/// an unknown state: a closed or failed connection (`Eof`, `Io`), a
/// timeout, bytes that were not FTP (`Proto`), a TLS failure. `Io` also
/// covers local file errors, which leave the connection fine: the session
/// is then replaced without need, which costs a login, never a wrong result.
pub fn breaks_session(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Eof | ErrorKind::Io | ErrorKind::Timeout | ErrorKind::Proto | ErrorKind::Tls
    )
}

impl PooledSession {
    pub(super) fn new(session: Session, pool: Arc<Shared>, lending: Lending) -> PooledSession {
        PooledSession {
            session: Some(session),
            pool,
            broken: false,
            lending,
        }
    }

    /// Do not return this session to the pool: it is closed when dropped.
    pub fn mark_broken(&mut self) {
        self.broken = true;
    }

    /// True once marked broken.
    pub fn is_broken(&self) -> bool {
        self.broken
    }

    /// Runs `f` on the session and marks it broken when `f` fails with an
    /// error of a kind [`breaks_session`] names.
    pub fn run<T>(&mut self, f: impl FnOnce(&mut Session) -> Result<T>) -> Result<T> {
        let r = f(self);
        if let Err(e) = &r {
            if breaks_session(e.kind()) {
                self.broken = true;
            }
        }
        r
    }
}

impl Deref for PooledSession {
    type Target = Session;
    fn deref(&self) -> &Session {
        self.session.as_ref().expect("present until drop")
    }
}

impl DerefMut for PooledSession {
    fn deref_mut(&mut self) -> &mut Session {
        self.session.as_mut().expect("present until drop")
    }
}

impl Drop for PooledSession {
    fn drop(&mut self) {
        let Some(mut s) = self.session.take() else {
            return;
        };
        self.pool.unwatch(self.lending.id);
        // A cancel by Pool::cancel stays set on the token until here.
        s.cancel_token().reset();
        if self.broken || !s.is_connected() || s.transfer_open() {
            s.close();
            drop(s);
            self.pool.release_place();
        } else {
            // The pool's sink is given again when lent; none meanwhile.
            s.set_progress(None, std::time::Duration::ZERO);
            self.pool.give_back(s, self.lending);
        }
    }
}
