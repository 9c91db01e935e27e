//! Keeping the TLS sessions of a control connection so that every data
//! connection resumes one (servers such as vsftpd with `require_ssl_reuse`
//! and FileZilla Server refuse data connections that do not).
//!
//! TLS 1.2 gives one session at the end of the full handshake, reusable any
//! number of times. TLS 1.3 gives tickets after the handshake, and servers
//! with stateful tickets (vsftpd) accept each ticket only once; a resumed
//! connection then brings a fresh ticket. So the store keeps the unused
//! sessions in arrival order, hands out the newest unused one, and falls
//! back to the last one handed out when none is left (right for TLS 1.2
//! and for servers whose tickets may be reused).

use openssl::error::ErrorStack;
use openssl::ssl::{SslContextBuilder, SslRef, SslSession};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// At most this many unused sessions are kept.
const MAX_UNUSED: usize = 8;

#[derive(Default)]
struct Sessions {
    unused: VecDeque<SslSession>,
    last_used: Option<SslSession>,
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
            if let Ok(mut s) = inner.lock() {
                if s.unused.len() == MAX_UNUSED {
                    s.unused.pop_front();
                }
                s.unused.push_back(session);
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

    /// The session for the next data connection: the newest unused one,
    /// else the last one handed out.
    pub(crate) fn take(&self) -> Option<SslSession> {
        let mut s = self.inner.lock().ok()?;
        if let Some(fresh) = s.unused.pop_back() {
            s.last_used = Some(fresh.clone());
            return Some(fresh);
        }
        s.last_used.clone()
    }

    /// Makes `ssl` (a data connection) resume `session`.
    pub(crate) fn resume(ssl: &mut SslRef, session: &SslSession) -> Result<(), ErrorStack> {
        // SAFETY: OpenSSL requires the session to come from the same
        // SSL_CTX as `ssl`. Each FTP session builds one context
        // (TlsContext); the store is filled only by that context's callback,
        // and data connections are made from that same context. This is the
        // one of two `unsafe` outside src/ffi (with sys.rs): the openssl crate marks
        // SSL_set_session unsafe for exactly this condition.
        unsafe { ssl.set_session(session) }
    }
}
