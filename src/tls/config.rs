//! What a TLS client trusts and accepts, and building an OpenSSL context from it.

use super::resume::SessionStore;
use super::TlsContext;
use crate::error::{Error, Result};
use openssl::ssl::{
    SslContextBuilder, SslFiletype, SslMethod, SslOptions, SslSessionCacheMode, SslVersion,
};
use std::path::PathBuf;

/// A TLS protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsVersion {
    /// TLS 1.2.
    Tls12,
    /// TLS 1.3.
    Tls13,
}

impl TlsVersion {
    fn to_openssl(self) -> SslVersion {
        match self {
            TlsVersion::Tls12 => SslVersion::TLS1_2,
            TlsVersion::Tls13 => SslVersion::TLS1_3,
        }
    }
}

/// TLS settings. The default verifies the server's certificate against the
/// system roots and checks the host name, with TLS 1.2 or later. A CA file
/// or directory, when given, replaces the system roots (like curl's
/// `--cacert`): only what the caller names is trusted, and the system
/// bundle is not even loaded.
#[derive(Debug, Clone)]
pub struct TlsConfig {
    /// Trusted CA certificates (PEM file), instead of the system roots.
    pub ca_file: Option<PathBuf>,
    /// A directory of trusted CA certificates (hashed names, `openssl rehash`),
    /// instead of the system roots.
    pub ca_path: Option<PathBuf>,
    /// Verify the server's certificate chain.
    pub verify_peer: bool,
    /// Check that the certificate matches the host name given to connect.
    pub check_hostname: bool,
    /// Client certificate and private key (PEM files).
    pub client_cert: Option<(PathBuf, PathBuf)>,
    /// Lowest version accepted.
    pub min_version: TlsVersion,
    /// Highest version accepted (`None`: the highest OpenSSL knows).
    pub max_version: Option<TlsVersion>,
}

impl Default for TlsConfig {
    fn default() -> TlsConfig {
        TlsConfig {
            ca_file: None,
            ca_path: None,
            verify_peer: true,
            check_hostname: true,
            client_cert: None,
            min_version: TlsVersion::Tls12,
            max_version: None,
        }
    }
}

fn existing(path: &str, what: &str, dir: bool) -> Result<PathBuf> {
    let p = PathBuf::from(path);
    let meta = std::fs::metadata(&p).map_err(|e| Error::Io {
        context: format!("{what} {path:?}"),
        source: e,
    })?;
    if meta.is_dir() != dir {
        return Err(Error::InvalidArgument(format!(
            "{what} {path:?} is not a {}",
            if dir { "directory" } else { "file" }
        )));
    }
    Ok(p)
}

impl TlsConfig {
    /// Trusts the CA certificates in a PEM file (checked to exist).
    pub fn set_ca_file(&mut self, path: &str) -> Result<()> {
        self.ca_file = Some(existing(path, "CA file", false)?);
        Ok(())
    }

    /// Trusts the CA certificates of a hashed directory (checked to exist).
    pub fn set_ca_path(&mut self, path: &str) -> Result<()> {
        self.ca_path = Some(existing(path, "CA directory", true)?);
        Ok(())
    }

    /// Sets the client certificate and key (PEM files, checked to exist).
    pub fn set_client_cert(&mut self, cert: &str, key: &str) -> Result<()> {
        self.client_cert = Some((
            existing(cert, "client certificate", false)?,
            existing(key, "client key", false)?,
        ));
        Ok(())
    }

    /// Builds the OpenSSL context of one session.
    pub(crate) fn build(&self) -> Result<TlsContext> {
        let tls = |e: openssl::error::ErrorStack| Error::Tls(e.to_string());
        let mut b = SslContextBuilder::new(SslMethod::tls_client()).map_err(tls)?;
        b.set_options(SslOptions::NO_COMPRESSION | SslOptions::NO_SSLV2 | SslOptions::NO_SSLV3);
        b.set_min_proto_version(Some(self.min_version.to_openssl()))
            .map_err(tls)?;
        b.set_max_proto_version(self.max_version.map(TlsVersion::to_openssl))
            .map_err(tls)?;
        if self.ca_file.is_none() && self.ca_path.is_none() {
            b.set_default_verify_paths().map_err(tls)?;
        }
        if let Some(f) = &self.ca_file {
            b.load_verify_locations(Some(f), None)
                .map_err(|e| Error::Tls(format!("loading CA file {}: {e}", f.display())))?;
        }
        if let Some(d) = &self.ca_path {
            b.load_verify_locations(None, Some(d))
                .map_err(|e| Error::Tls(format!("loading CA directory {}: {e}", d.display())))?;
        }
        if let Some((cert, key)) = &self.client_cert {
            b.set_certificate_chain_file(cert)
                .map_err(|e| Error::Tls(format!("loading {}: {e}", cert.display())))?;
            b.set_private_key_file(key, SslFiletype::PEM)
                .map_err(|e| Error::Tls(format!("loading {}: {e}", key.display())))?;
            b.check_private_key()
                .map_err(|e| Error::Tls(format!("client key does not match: {e}")))?;
        }
        // Keep the sessions OpenSSL hands us (TLS 1.2 at the end of the
        // handshake, TLS 1.3 when the tickets arrive) for the data connections.
        b.set_session_cache_mode(SslSessionCacheMode::CLIENT | SslSessionCacheMode::NO_INTERNAL);
        let store = SessionStore::default();
        store.install(&mut b).map_err(tls)?;
        Ok(TlsContext {
            context: b.build(),
            config: self.clone(),
            store,
        })
    }
}
