//! Certificates and keys given in memory as PEM (for programs and bindings
//! whose certificates never touch a file): parsed and checked when they are
//! set, so that a mistake is reported by the setter with OpenSSL's reason,
//! then added to each session's OpenSSL context.

use crate::error::{Error, Result};
use openssl::error::ErrorStack;
use openssl::pkey::{PKey, Private};
use openssl::ssl::SslContextBuilder;
use openssl::x509::X509;

fn no_data(what: &str) -> Error {
    Error::InvalidArgument(format!("the {what} PEM data is empty"))
}

/// Every certificate of a PEM blob (other PEM blocks are skipped); at least one.
fn certificates(pem: &[u8], what: &str) -> Result<Vec<X509>> {
    if pem.is_empty() {
        return Err(no_data(what));
    }
    match X509::stack_from_pem(pem) {
        Ok(certs) if certs.is_empty() => Err(Error::Tls(format!(
            "no PEM certificate (-----BEGIN CERTIFICATE-----) in the {what} data"
        ))),
        Ok(certs) => Ok(certs),
        Err(e) => Err(Error::Tls(format!("reading the {what} PEM data: {e}"))),
    }
}

/// An unencrypted private key in PEM (`source` names it in errors). The
/// passphrase callback refuses: OpenSSL's default one would prompt on the
/// terminal for an encrypted key.
pub(crate) fn private_key(pem: &[u8], source: &str) -> Result<PKey<Private>> {
    let mut asked = false;
    PKey::private_key_from_pem_callback(pem, |_buf| {
        asked = true;
        Err(ErrorStack::get())
    })
    .map_err(|e| {
        Error::Tls(if asked {
            format!("{source}: the key is encrypted (give it decrypted)")
        } else {
            format!("reading {source}: {e}")
        })
    })
}

/// Checks that `key` is the private key of `cert` (named in errors).
pub(crate) fn check_pair(
    cert: &X509,
    key: &PKey<Private>,
    key_name: &str,
    cert_name: &str,
) -> Result<()> {
    let public = cert
        .public_key()
        .map_err(|e| Error::Tls(format!("reading the key of {cert_name}: {e}")))?;
    if public.public_eq(key) {
        Ok(())
    } else {
        Err(Error::Tls(format!("{key_name} does not match {cert_name}")))
    }
}

/// CA certificates given as PEM, trusted in addition to a CA file or
/// directory and, like them, instead of the system roots.
#[derive(Clone, Default)]
pub struct PemCerts(Vec<X509>);

impl PemCerts {
    /// True when no certificate was added.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many certificates were added.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Adds every certificate of a PEM blob (one or many). Nothing is added
    /// when any of them is unreadable or when there is none.
    pub fn add(&mut self, pem: &[u8]) -> Result<()> {
        self.0.extend(certificates(pem, "CA")?);
        Ok(())
    }

    /// Adds the certificates to the context's trust store.
    pub(crate) fn install(&self, b: &mut SslContextBuilder) -> Result<()> {
        for cert in &self.0 {
            b.cert_store_mut()
                .add_cert(cert.clone())
                .map_err(|e| Error::Tls(format!("adding a CA certificate: {e}")))?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for PemCerts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PemCerts({} certificates)", self.0.len())
    }
}

/// A client certificate (with any intermediate certificates after it) and
/// its private key, given as PEM and checked to belong together.
#[derive(Clone)]
pub struct PemIdentity {
    chain: Vec<X509>,
    key: PKey<Private>,
}

impl PemIdentity {
    /// Parses the certificate chain (the client's certificate first) and an
    /// unencrypted private key, and checks that the key is the certificate's.
    pub fn parse(cert: &[u8], key: &[u8]) -> Result<PemIdentity> {
        let chain = certificates(cert, "client certificate")?;
        if key.is_empty() {
            return Err(no_data("client key"));
        }
        let key = private_key(key, "the client key PEM data")?;
        check_pair(&chain[0], &key, "the client key", "the client certificate")?;
        Ok(PemIdentity { chain, key })
    }

    /// Makes the context present this certificate and key.
    pub(crate) fn install(&self, b: &mut SslContextBuilder) -> Result<()> {
        let tls = |e: ErrorStack| Error::Tls(format!("using the client certificate: {e}"));
        b.set_certificate(&self.chain[0]).map_err(tls)?;
        for extra in &self.chain[1..] {
            b.add_extra_chain_cert(extra.clone()).map_err(tls)?;
        }
        b.set_private_key(&self.key).map_err(tls)?;
        b.check_private_key().map_err(tls)
    }
}

impl std::fmt::Debug for PemIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PemIdentity({} certificates and a key)",
            self.chain.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use openssl::asn1::Asn1Time;
    use openssl::bn::BigNum;
    use openssl::ec::{EcGroup, EcKey};
    use openssl::hash::MessageDigest;
    use openssl::nid::Nid;
    use openssl::x509::X509NameBuilder;

    fn key() -> PKey<Private> {
        let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
        PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap()
    }

    /// A self-signed certificate for `key`, as PEM.
    fn cert_pem(key: &PKey<Private>, cn: &str) -> Vec<u8> {
        let mut name = X509NameBuilder::new().unwrap();
        name.append_entry_by_nid(Nid::COMMONNAME, cn).unwrap();
        let name = name.build();
        let mut b = X509::builder().unwrap();
        b.set_version(2).unwrap();
        let serial = BigNum::from_u32(1).unwrap().to_asn1_integer().unwrap();
        b.set_serial_number(&serial).unwrap();
        b.set_subject_name(&name).unwrap();
        b.set_issuer_name(&name).unwrap();
        b.set_pubkey(key).unwrap();
        b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
            .unwrap();
        b.set_not_after(&Asn1Time::days_from_now(1).unwrap())
            .unwrap();
        b.sign(key, MessageDigest::sha256()).unwrap();
        b.build().to_pem().unwrap()
    }

    fn kind(r: Result<impl Sized>) -> ErrorKind {
        match r {
            Ok(_) => panic!("accepted"),
            Err(e) => e.kind(),
        }
    }

    #[test]
    fn ca_blobs_with_one_or_many_certificates_are_added() {
        let mut ca = PemCerts::default();
        ca.add(&cert_pem(&key(), "a")).unwrap();
        let mut two = cert_pem(&key(), "b");
        two.extend(b"some text between the blocks\n");
        two.extend(cert_pem(&key(), "c"));
        ca.add(&two).unwrap();
        assert_eq!(ca.len(), 3);
    }

    #[test]
    fn bad_ca_data_is_refused_and_adds_nothing() {
        let mut ca = PemCerts::default();
        assert_eq!(kind(ca.add(b"")), ErrorKind::InvalidArgument);
        assert_eq!(kind(ca.add(b"not a certificate\n")), ErrorKind::Tls);
        let mut broken = cert_pem(&key(), "a");
        let mid = broken.len() / 2;
        broken[mid..mid + 8].copy_from_slice(b"!!!!!!!!");
        assert_eq!(kind(ca.add(&broken)), ErrorKind::Tls);
        assert!(ca.is_empty());
    }

    #[test]
    fn client_identity_needs_a_matching_unencrypted_key() {
        let k = key();
        let cert = cert_pem(&k, "me");
        let key_pem = k.private_key_to_pem_pkcs8().unwrap();
        let id = PemIdentity::parse(&cert, &key_pem).unwrap();
        assert_eq!(id.chain.len(), 1);

        let other = key().private_key_to_pem_pkcs8().unwrap();
        let e = PemIdentity::parse(&cert, &other).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Tls);
        assert!(e.to_string().contains("does not match"), "{e}");

        let encrypted = k
            .private_key_to_pem_pkcs8_passphrase(openssl::symm::Cipher::aes_128_cbc(), b"pw")
            .unwrap();
        let e = PemIdentity::parse(&cert, &encrypted).unwrap_err();
        assert!(e.to_string().contains("encrypted"), "{e}");

        assert_eq!(
            kind(PemIdentity::parse(&cert, b"")),
            ErrorKind::InvalidArgument
        );
        assert_eq!(kind(PemIdentity::parse(&cert, b"junk")), ErrorKind::Tls);
        assert_eq!(kind(PemIdentity::parse(b"junk", &key_pem)), ErrorKind::Tls);
    }

    #[test]
    fn an_identity_installs_into_a_context() {
        let k = key();
        let id = PemIdentity::parse(&cert_pem(&k, "me"), &k.private_key_to_pem_pkcs8().unwrap())
            .unwrap();
        let mut b = SslContextBuilder::new(openssl::ssl::SslMethod::tls_client()).unwrap();
        id.install(&mut b).unwrap();
        let mut ca = PemCerts::default();
        ca.add(&cert_pem(&key(), "ca")).unwrap();
        ca.install(&mut b).unwrap();
    }
}
