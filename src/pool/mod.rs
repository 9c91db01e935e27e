//! A pool of sessions to one server: up to N logged-in sessions made from
//! one URL, opened on demand, lent to one user at a time, reused, and
//! replaced when broken. Safe to share between threads.
//!
//! - [`Pool::new`] only parses the URL: no connection is made until a
//!   session is asked for.
//! - [`Pool::session`] lends an idle session (checked with
//!   [`Session::idle_connection_alive`] first: one the server closed while
//!   idle is dropped and another taken or opened), or opens a new one
//!   while fewer than `max_sessions` exist, else waits until one comes back,
//!   at most the pool's timeout ([`Error::Timeout`]).
//! - A [`PooledSession`] is the session (it derefs to [`Session`]); when
//!   it is dropped the session goes back to the pool, unless it was marked
//!   broken ([`PooledSession::mark_broken`], done by
//!   [`PooledSession::run`] after an error that can break a connection)
//!   or is no longer connected: such a session is closed and its place
//!   freed, so the next request opens a new one.
//!
//! Opening a session (see open.rs): connect to the URL's host and port
//! (implicit TLS for `ftps://`), log in with the URL's user and password
//! (for `ftpes://` and `ftps://` this also secures the control connection
//! with AUTH TLS when explicit, and sends PBSZ 0 + PROT P), then, when the
//! URL has a path, `CWD` to it: the URL names the pool's directory and
//! remote paths are relative to it. A caller that changes a borrowed
//! session's directory should change it back before returning it.

mod borrowed;
mod cancel;
mod open;
mod segmented;
mod state;

pub use borrowed::PooledSession;
use cancel::cancelled;
pub use cancel::CallGuard;

use crate::cancel::CancelToken;
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::session::Session;
use crate::tls::TlsConfig;
use crate::url::FtpUrl;
use state::{Lending, State};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The pool's default timeout: for each session (see
/// [`Session::set_timeout`]) and for waiting for a free session.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A progress sink shared by every session of a pool; it may be called
/// from any thread using the pool, several at once.
pub type SharedProgress = Arc<dyn Fn(&Progress<'_>) -> Result<()> + Send + Sync>;

/// Up to `max_sessions` sessions to one server (see the module's text).
/// Cloning gives another handle to the same pool.
#[derive(Clone)]
pub struct Pool {
    shared: Arc<Shared>,
}

/// What every handle and every lent session refer to.
struct Shared {
    url: FtpUrl,
    tls: Option<TlsConfig>,
    max: usize,
    state: Mutex<State>,
    /// Signalled when a session comes back or a place is freed.
    returned: Condvar,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("url", &self.shared.url)
            .field("max_sessions", &self.shared.max)
            .finish()
    }
}

impl Pool {
    /// A pool of up to `max_sessions` sessions to the server of `url`
    /// (see [`FtpUrl`]); `tls` is used by `ftpes://` and `ftps://` URLs
    /// (`None`: [`TlsConfig::default`]) and ignored for `ftp://`. Connects
    /// to nothing yet. A bad URL or `max_sessions` 0 gives
    /// [`Error::InvalidArgument`].
    pub fn new(url: &str, tls: Option<TlsConfig>, max_sessions: usize) -> Result<Pool> {
        let url = FtpUrl::parse(url)?;
        if max_sessions == 0 {
            return Err(Error::InvalidArgument(
                "max_sessions is 0 (a pool needs at least one session)".into(),
            ));
        }
        let tls = url.security.is_tls().then(|| tls.unwrap_or_default());
        Ok(Pool {
            shared: Arc::new(Shared {
                url,
                tls,
                max: max_sessions,
                state: Mutex::new(State::new()),
                returned: Condvar::new(),
            }),
        })
    }

    /// The parsed URL the pool connects to.
    pub fn url(&self) -> &FtpUrl {
        &self.shared.url
    }

    /// The most sessions the pool keeps at once.
    pub fn max_sessions(&self) -> usize {
        self.shared.max
    }

    /// The timeout of every session (applied when it is opened) and the
    /// longest [`Pool::session`] waits for a free one; `None` waits
    /// forever. Default [`DEFAULT_TIMEOUT`].
    pub fn set_timeout(&self, timeout: Option<Duration>) {
        self.shared.lock().timeout = timeout;
    }

    /// Sends every session opened from now on through the proxy `url`
    /// (see [`Session::set_proxy`] for the forms; `None`: none). Idle
    /// sessions are closed, so that every later call uses the new way;
    /// lent ones keep theirs until they come back and are closed too. A
    /// bad URL gives [`Error::InvalidArgument`] and changes nothing.
    pub fn set_proxy(&self, url: Option<&str>) -> Result<()> {
        if let Some(u) = url {
            crate::proxy::ProxyUrl::parse(u)?;
        }
        let idle = {
            let mut st = self.shared.lock();
            st.template.proxy = url.map(str::to_string);
            st.generation += 1;
            let idle = std::mem::take(&mut st.idle);
            st.open -= idle.len();
            idle
        };
        drop(idle);
        self.shared.returned.notify_all();
        Ok(())
    }

    /// The netrc file the sessions opened from now on read when the URL
    /// has no password (see [`Session::set_netrc`]; `None`: none, the
    /// default).
    pub fn set_netrc(&self, file: Option<crate::session::NetrcFile>) {
        self.shared.lock().template.netrc = file;
    }

    /// Reports the progress of every transfer of every session the pool
    /// lends from now on (`None`: no reports), as
    /// [`Session::set_progress`] does for one session. The sink runs on
    /// the thread that uses the session: with several threads, several
    /// calls may run at once.
    pub fn set_progress(&self, sink: Option<SharedProgress>, interval: Duration) {
        let mut st = self.shared.lock();
        st.progress = sink;
        st.progress_interval = interval;
    }

    /// Sessions that exist now: idle, lent, or being opened.
    pub fn open_sessions(&self) -> usize {
        self.shared.lock().open
    }

    /// Idle sessions waiting in the pool.
    pub fn idle_sessions(&self) -> usize {
        self.shared.lock().idle.len()
    }

    /// The most sessions that ever existed at once (never above
    /// [`Pool::max_sessions`]).
    pub fn peak_sessions(&self) -> usize {
        self.shared.lock().peak
    }

    /// How many sessions were opened (connected and logged in) so far,
    /// replacements included.
    pub fn sessions_opened(&self) -> u64 {
        self.shared.lock().opened
    }

    /// Lends a logged-in session: an idle one, else a new one while fewer
    /// than `max_sessions` exist, else the first one returned, waiting at
    /// most the pool's timeout ([`Error::Timeout`] then). A failure to
    /// open a new session (connect, TLS, login, CWD) is returned as is and
    /// frees its place.
    pub fn session(&self) -> Result<PooledSession> {
        self.lend(true)
            .and_then(|s| s.ok_or_else(|| Error::Internal("no session lent".into())))
    }

    /// Like [`Pool::session`], but never waits: `Ok(None)` when every
    /// session is lent and no more may be opened.
    pub fn try_session(&self) -> Result<Option<PooledSession>> {
        self.lend(false)
    }

    fn lend(&self, wait: bool) -> Result<Option<PooledSession>> {
        let shared = &self.shared;
        let mut st = shared.lock();
        let deadline = st.timeout.map(|t| Instant::now() + t);
        loop {
            if st.cancelling {
                return Err(cancelled());
            }
            while let Some(mut s) = st.idle.pop() {
                if s.idle_connection_alive() {
                    let lending = st.lend(Some(s.cancel_token()));
                    let (sink, every) = (st.progress.clone(), st.progress_interval);
                    drop(st);
                    apply_progress(&mut s, sink, every);
                    return Ok(Some(PooledSession::new(s, shared.clone(), lending)));
                }
                // Closed by the server while idle: its place is free.
                st.open -= 1;
            }
            if st.open < shared.max {
                st.open += 1;
                st.peak = st.peak.max(st.open);
                let lending = st.lend(None);
                let (sink, every, timeout, template) = (
                    st.progress.clone(),
                    st.progress_interval,
                    st.timeout,
                    st.template.clone(),
                );
                drop(st);
                let watch = |t: &CancelToken| shared.lock().lent.push((lending.id, t.clone()));
                let opened =
                    open::open(&shared.url, shared.tls.as_ref(), timeout, &template, watch);
                return match opened {
                    Ok(mut s) => {
                        shared.lock().opened += 1;
                        apply_progress(&mut s, sink, every);
                        Ok(Some(PooledSession::new(s, shared.clone(), lending)))
                    }
                    Err(e) => {
                        shared.unwatch(lending.id);
                        shared.release_place();
                        Err(e)
                    }
                };
            }
            if !wait {
                return Ok(None);
            }
            st = match deadline {
                None => shared.returned.wait(st).unwrap_or_else(|p| p.into_inner()),
                Some(d) => {
                    let left = d.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(Error::Timeout(format!(
                            "waiting for a free session of the pool (all {} in use)",
                            shared.max
                        )));
                    }
                    shared
                        .returned
                        .wait_timeout(st, left)
                        .unwrap_or_else(|p| p.into_inner())
                        .0
                }
            };
        }
    }
}

/// Gives a session the pool's progress sink.
fn apply_progress(s: &mut Session, sink: Option<SharedProgress>, every: Duration) {
    let sink =
        sink.map(|f| Box::new(move |p: &Progress<'_>| f(p)) as crate::progress::ProgressSink);
    s.set_progress(sink, every);
}

impl Shared {
    /// The state; a panic while it was held leaves nothing half-done (each
    /// change is one assignment), so a poisoned lock is used anyway.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Frees the place of a session that is gone and wakes one waiter.
    fn release_place(&self) {
        self.lock().open -= 1;
        self.returned.notify_one();
    }

    /// Takes back a session that is still usable and wakes one waiter; a
    /// session lent before the proxy changed is closed instead.
    fn give_back(&self, s: Session, lending: Lending) {
        let mut st = self.lock();
        if lending.generation == st.generation {
            st.idle.push(s);
        } else {
            st.open -= 1;
        }
        drop(st);
        self.returned.notify_one();
    }

    /// Forgets a lending's cancel token (its session came back or failed
    /// to open).
    fn unwatch(&self, id: u64) {
        self.lock().lent.retain(|(i, _)| *i != id);
    }
}
