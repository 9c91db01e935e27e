//! Keeping the control connection's TLS session so that every data
//! connection resumes it (servers such as vsftpd with `require_ssl_reuse`
//! and FileZilla Server refuse data connections that do not).

use openssl::error::ErrorStack;
use openssl::ex_data::Index;
use openssl::ssl::{Ssl, SslConnectorBuilder, SslRef, SslSession};
use std::sync::{Arc, Mutex, OnceLock};

/// The marker put on the control connection's `Ssl`, so that only its
/// sessions (not those of data connections) are stored.
fn control_marker() -> Result<Index<Ssl, ()>, ErrorStack> {
    static INDEX: OnceLock<Result<Index<Ssl, ()>, ErrorStack>> = OnceLock::new();
    INDEX.get_or_init(Ssl::new_ex_index).clone()
}

/// The latest TLS session of the control connection.
#[derive(Clone, Default)]
pub(crate) struct SessionStore {
    latest: Arc<Mutex<Option<SslSession>>>,
}

impl SessionStore {
    /// Registers the callback that receives new sessions of this context.
    pub(crate) fn install(&self, b: &mut SslConnectorBuilder) -> Result<(), ErrorStack> {
        let marker = control_marker()?;
        let latest = self.latest.clone();
        b.set_new_session_callback(move |ssl, session| {
            if ssl.ex_data(marker).is_some() {
                if let Ok(mut slot) = latest.lock() {
                    *slot = Some(session);
                }
            }
        });
        Ok(())
    }

    /// Marks `ssl` as the control connection's.
    pub(crate) fn mark_control(ssl: &mut SslRef) -> Result<(), ErrorStack> {
        ssl.set_ex_data(control_marker()?, ());
        Ok(())
    }

    /// Forgets the stored session (a new control connection starts afresh).
    pub(crate) fn clear(&self) {
        if let Ok(mut slot) = self.latest.lock() {
            *slot = None;
        }
    }

    /// The stored session, if the control connection has one.
    pub(crate) fn latest(&self) -> Option<SslSession> {
        self.latest.lock().ok().and_then(|s| s.clone())
    }

    /// Makes `ssl` (a data connection) resume `session`.
    pub(crate) fn resume(ssl: &mut SslRef, session: &SslSession) -> Result<(), ErrorStack> {
        // SAFETY: OpenSSL requires the session to come from the same
        // SSL_CTX as `ssl`. Each session builds one context (TlsContext);
        // the store is filled only by that context's callback, and data
        // connections are made from that same context. This is the one
        // `unsafe` outside src/ffi, because the openssl crate marks
        // SSL_set_session unsafe for exactly this condition.
        unsafe { ssl.set_session(session) }
    }
}
