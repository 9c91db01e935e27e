//! What a TLS client trusts and accepts, and building an OpenSSL context from it.

use super::pem::{check_pair, private_key, PemCerts, PemIdentity};
use super::resume::SessionStore;
use super::TlsContext;
use crate::error::{Error, Result};
use openssl::ssl::{SslContextBuilder, SslMethod, SslOptions, SslSessionCacheMode, SslVersion};
use openssl::x509::X509;
use std::path::{Path, PathBuf};

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
/// system roots and checks the host name, with TLS 1.2 or later. A CA file,
/// directory or PEM certificates, when given, replace the system roots
/// (like curl's `--cacert`): only what the caller names is trusted, and the
/// system bundle is not even loaded. The setters check what they are given
/// (OpenSSL must be able to use it), so mistakes show before connecting.
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
    /// CA certificates given in memory (PEM), instead of the system roots.
    pub ca_pem: PemCerts,
    /// Client certificate and private key (PEM files).
    pub client_cert: Option<(PathBuf, PathBuf)>,
    /// Client certificate and private key given in memory (PEM); the last
    /// of `client_cert` and `client_pem` set is used.
    pub client_pem: Option<PemIdentity>,
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
            ca_pem: PemCerts::default(),
            verify_peer: true,
            check_hostname: true,
            client_cert: None,
            client_pem: None,
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

fn tls(e: openssl::error::ErrorStack) -> Error {
    Error::Tls(e.to_string())
}

/// Runs `f` on a throwaway context: what OpenSSL would say at connect time.
fn try_on_context(f: impl FnOnce(&mut SslContextBuilder) -> Result<()>) -> Result<()> {
    f(&mut SslContextBuilder::new(SslMethod::tls_client()).map_err(tls)?)
}

fn load_ca_file(b: &mut SslContextBuilder, f: &Path) -> Result<()> {
    b.load_verify_locations(Some(f), None)
        .map_err(|e| Error::Tls(format!("loading CA file {}: {e}", f.display())))
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::Io {
        context: format!("{what} {}", path.display()),
        source: e,
    })
}

fn load_client_files(b: &mut SslContextBuilder, cert: &Path, key: &Path) -> Result<()> {
    b.set_certificate_chain_file(cert)
        .map_err(|e| Error::Tls(format!("loading {}: {e}", cert.display())))?;
    // The key is read here rather than by OpenSSL, whose default passphrase
    // callback would prompt on the terminal for an encrypted key.
    let key_name = format!("the client key {}", key.display());
    let pkey = private_key(&read(key, "client key")?, &key_name)?;
    let leaf = X509::from_pem(&read(cert, "client certificate")?)
        .map_err(|e| Error::Tls(format!("loading {}: {e}", cert.display())))?;
    check_pair(
        &leaf,
        &pkey,
        &key_name,
        &format!("the certificate {}", cert.display()),
    )?;
    b.set_private_key(&pkey)
        .map_err(|e| Error::Tls(format!("loading {}: {e}", key.display())))?;
    b.check_private_key()
        .map_err(|e| Error::Tls(format!("client key does not match: {e}")))
}

impl TlsConfig {
    /// Trusts the CA certificates in a PEM file (checked to exist and to be
    /// usable by OpenSSL; it is read again by each session).
    pub fn set_ca_file(&mut self, path: &str) -> Result<()> {
        let f = existing(path, "CA file", false)?;
        try_on_context(|b| load_ca_file(b, &f))?;
        self.ca_file = Some(f);
        Ok(())
    }

    /// Trusts the CA certificates of a PEM blob (one or many), in addition
    /// to those already added.
    pub fn add_ca_pem(&mut self, pem: &[u8]) -> Result<()> {
        self.ca_pem.add(pem)
    }

    /// Trusts the CA certificates of a hashed directory (checked to exist).
    pub fn set_ca_path(&mut self, path: &str) -> Result<()> {
        self.ca_path = Some(existing(path, "CA directory", true)?);
        Ok(())
    }

    /// Sets the client certificate and key (PEM files, checked to exist,
    /// to be usable and to match; read again by each session).
    pub fn set_client_cert(&mut self, cert: &str, key: &str) -> Result<()> {
        let cert = existing(cert, "client certificate", false)?;
        let key = existing(key, "client key", false)?;
        try_on_context(|b| load_client_files(b, &cert, &key))?;
        self.client_cert = Some((cert, key));
        self.client_pem = None;
        Ok(())
    }

    /// Sets the client certificate chain and key from PEM data (checked to
    /// match; an encrypted key is refused).
    pub fn set_client_cert_pem(&mut self, cert: &[u8], key: &[u8]) -> Result<()> {
        self.client_pem = Some(PemIdentity::parse(cert, key)?);
        self.client_cert = None;
        Ok(())
    }

    /// Builds the OpenSSL context of one session.
    pub(crate) fn build(&self) -> Result<TlsContext> {
        let mut b = SslContextBuilder::new(SslMethod::tls_client()).map_err(tls)?;
        b.set_options(SslOptions::NO_COMPRESSION | SslOptions::NO_SSLV2 | SslOptions::NO_SSLV3);
        b.set_min_proto_version(Some(self.min_version.to_openssl()))
            .map_err(tls)?;
        b.set_max_proto_version(self.max_version.map(TlsVersion::to_openssl))
            .map_err(tls)?;
        if self.ca_file.is_none() && self.ca_path.is_none() && self.ca_pem.is_empty() {
            b.set_default_verify_paths().map_err(tls)?;
        }
        if let Some(f) = &self.ca_file {
            load_ca_file(&mut b, f)?;
        }
        if let Some(d) = &self.ca_path {
            b.load_verify_locations(None, Some(d))
                .map_err(|e| Error::Tls(format!("loading CA directory {}: {e}", d.display())))?;
        }
        self.ca_pem.install(&mut b)?;
        if let Some((cert, key)) = &self.client_cert {
            load_client_files(&mut b, cert, key)?;
        }
        if let Some(id) = &self.client_pem {
            id.install(&mut b)?;
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
