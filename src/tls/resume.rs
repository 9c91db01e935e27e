//! Keeping the TLS sessions of a control connection so that every data
//! connection resumes one (servers such as vsftpd with `require_ssl_reuse`,
//! ProFTPD and FileZilla Server refuse data connections that do not).
//!
//! TLS 1.2 gives one session at the end of the full handshake, reusable any
//! number of times. TLS 1.3 gives tickets after the handshake (two from an
//! OpenSSL server), and every resumed connection brings a fresh one. The
//! store keeps them in arrival order and hands out the newest one not yet
//! handed out; when none is left it hands out the last one again (right
//! for TLS 1.2, and for servers whose tickets may be reused, as vsftpd's).
//!
//! The store keeps the sessions **serialised** (DER) and hands out a fresh
//! copy each time, never an object an OpenSSL connection holds. OpenSSL
//! marks a session object "not resumable" when a connection holding it is
//! freed without a close_notify sent (an abandoned download: every
//! interrupted transfer), and once a TLS 1.3 handshake has resumed it; it
//! then silently offers no session at all, the server refuses the data
//! connection (`522 SSL connection failed: session reuse required`) and
//! vsftpd even ends the session. That mark lives only on the object: a
//! copy decoded from the DER is resumable, and the server still accepts
//! the session, since nothing was wrong with it on the server's side.

use openssl::error::ErrorStack;
use openssl::ssl::{SslContextBuilder, SslRef, SslSession, SslSessionRef};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// At most this many sessions not yet handed out are kept.
const MAX_UNUSED: usize = 8;

#[derive(Default)]
struct Sessions {
    /// DER of the sessions not handed out yet, oldest first.
    unused: VecDeque<Vec<u8>>,
    /// DER of the last session handed out.
    last_used: Option<Vec<u8>>,
}

/// The TLS sessions received on one FTP session's connections.
#[derive(Clone, Default)]
pub(crate) struct SessionStore {
    inner: Arc<Mutex<Sessions>>,
}

impl SessionStore {
    /// Registers the callback that receives the new sessions (TLS 1.2
    /// sessions, TLS 1.3 tickets) of this context's connections.
    pub(crate) fn install(&self, b: &mut SslContextBuilder) -> Result<(), ErrorStack> {
        let inner = self.inner.clone();
        b.set_new_session_callback(move |_ssl, session| {
            // A session that cannot be serialised could not be resumed either.
            let Ok(der) = session.to_der() else { return };
            if let Ok(mut s) = inner.lock() {
                if s.unused.len() == MAX_UNUSED {
                    s.unused.pop_front();
                }
                s.unused.push_back(der);
            }
        });
        Ok(())
    }

    /// Forgets everything (a new control connection starts afresh).
    pub(crate) fn clear(&self) {
        if let Ok(mut s) = self.inner.lock() {
            *s = Sessions::default();
        }
    }

    /// True when no session has been received yet.
    pub(crate) fn is_empty(&self) -> bool {
        self.inner
            .lock()
            .map(|s| s.unused.is_empty() && s.last_used.is_none())
            .unwrap_or(true)
    }

    /// A fresh copy of the session for the next data connection: the
    /// newest one not handed out yet, else the last one handed out.
    pub(crate) fn take(&self) -> Option<SslSession> {
        let mut s = self.inner.lock().ok()?;
        if let Some(fresh) = s.unused.pop_back() {
            s.last_used = Some(fresh);
        }
        let der = s.last_used.as_deref()?;
        SslSession::from_der(der).ok()
    }

    /// A fresh, resumable copy of `session` (e.g. the control connection's
    /// own, when the callback gave nothing).
    pub(crate) fn copy(session: &SslSessionRef) -> Option<SslSession> {
        SslSession::from_der(&session.to_der().ok()?).ok()
    }

    /// Makes `ssl` (a data connection) resume `session`.
    pub(crate) fn resume(ssl: &mut SslRef, session: &SslSession) -> Result<(), ErrorStack> {
        // SAFETY: OpenSSL requires the session to come from the same
        // SSL_CTX as `ssl`. Each FTP session builds one context
        // (TlsContext); the store is filled only by that context's callback
        // (or with the control connection's session, made by that context),
        // and data connections are made from that same context. A copy
        // decoded from the DER carries the same protocol version, cipher and
        // session id context as the original. Outside src/ffi, this and the
        // two system calls of sys.rs are the only `unsafe`: the openssl
        // crate marks SSL_set_session unsafe for exactly this condition.
        unsafe { ssl.set_session(session) }
    }
}
