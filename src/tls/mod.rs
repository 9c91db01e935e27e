//! FTPS (RFC 4217) over the system OpenSSL: configuration, handshakes with
//! certificate and host name verification, and TLS session resumption for
//! data connections.

mod config;
mod handshake;
mod pem;
mod resume;

pub use config::{TlsConfig, TlsVersion};
pub(crate) use handshake::{client_handshake, HandshakeLimits};
pub use pem::{PemCerts, PemIdentity};
pub(crate) use resume::SessionStore;

use openssl::ssl::SslContext;

/// A built TLS client context for one session, with the store of the
/// control connection's TLS session that data connections resume.
pub(crate) struct TlsContext {
    pub(crate) context: SslContext,
    pub(crate) config: TlsConfig,
    pub(crate) store: SessionStore,
}

impl std::fmt::Debug for TlsContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsContext")
            .field("config", &self.config)
            .finish()
    }
}
