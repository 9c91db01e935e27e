//! Certificates given in memory, against a scripted implicit-FTPS server
//! that requires a client certificate (the real test servers only ask for
//! one): the client certificate set with `set_client_cert_pem` is the one
//! the server receives, the server is verified against a CA given with
//! `add_ca_pem` only, and without a client certificate the server refuses.

use ftp::tls::{TlsConfig, TlsVersion};
use ftp::{ErrorKind, Session};
use openssl::asn1::Asn1Time;
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::ssl::{SslAcceptor, SslMethod, SslVerifyMode};
use openssl::x509::extension::SubjectAlternativeName;
use openssl::x509::{X509NameBuilder, X509};
use std::io::Write;
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::Duration;

fn key() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap()
}

/// A self-signed certificate for `cn` (also its DNS name).
fn cert(key: &PKey<Private>, cn: &str) -> X509 {
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_nid(Nid::COMMONNAME, cn).unwrap();
    let name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    let serial = BigNum::from_u32(7).unwrap().to_asn1_integer().unwrap();
    b.set_serial_number(&serial).unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(key).unwrap();
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(1).unwrap())
        .unwrap();
    let san = SubjectAlternativeName::new()
        .dns(cn)
        .build(&b.x509v3_context(None, None))
        .unwrap();
    b.append_extension(san).unwrap();
    b.sign(key, MessageDigest::sha256()).unwrap();
    b.build()
}

/// An implicit-FTPS server for one connection that demands a client
/// certificate issued by (here: equal to) `client_ca`, and greets with the
/// certificate's common name. Returns its port and the thread, whose
/// result is whether the handshake succeeded.
fn server(
    server_key: PKey<Private>,
    server_cert: X509,
    client_ca: X509,
) -> (u16, JoinHandle<bool>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let thread = std::thread::spawn(move || {
        let mut a = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).unwrap();
        a.set_private_key(&server_key).unwrap();
        a.set_certificate(&server_cert).unwrap();
        a.cert_store_mut().add_cert(client_ca).unwrap();
        a.set_verify(SslVerifyMode::PEER | SslVerifyMode::FAIL_IF_NO_PEER_CERT);
        let (tcp, _) = listener.accept().unwrap();
        let Ok(mut tls) = a.build().accept(tcp) else {
            return false;
        };
        let peer = tls
            .ssl()
            .peer_certificate()
            .expect("verified peer certificate");
        let cn = peer
            .subject_name()
            .entries_by_nid(Nid::COMMONNAME)
            .next()
            .unwrap();
        let cn = String::from_utf8(cn.data().as_slice().to_vec()).unwrap();
        tls.write_all(format!("220 client CN={cn}\r\n").as_bytes())
            .unwrap();
        let _ = tls.shutdown();
        true
    });
    (port, thread)
}

fn session(cfg: TlsConfig) -> Session {
    let mut s = Session::new_tls(cfg);
    s.set_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_implicit_tls(true).unwrap();
    s
}

#[test]
fn the_pem_client_certificate_is_the_one_the_server_receives() {
    for max in [TlsVersion::Tls12, TlsVersion::Tls13] {
        let (skey, ckey) = (key(), key());
        let (scert, ccert) = (cert(&skey, "localhost"), cert(&ckey, "libftp-client"));
        let (port, thread) = server(skey, scert.clone(), ccert.clone());

        let mut cfg = TlsConfig {
            max_version: Some(max),
            ..TlsConfig::default()
        };
        cfg.add_ca_pem(&scert.to_pem().unwrap()).unwrap();
        cfg.set_client_cert_pem(
            &ccert.to_pem().unwrap(),
            &ckey.private_key_to_pem_pkcs8().unwrap(),
        )
        .unwrap();
        let mut s = session(cfg);
        let welcome = s.connect("localhost", port).unwrap();
        assert_eq!(welcome.code, 220);
        assert_eq!(s.welcome(), Some("220 client CN=libftp-client"), "{max:?}");
        assert!(thread.join().unwrap(), "{max:?}: handshake refused");
    }
}

#[test]
fn without_a_client_certificate_the_server_refuses() {
    for max in [TlsVersion::Tls12, TlsVersion::Tls13] {
        let (skey, ckey) = (key(), key());
        let (scert, ccert) = (cert(&skey, "localhost"), cert(&ckey, "libftp-client"));
        let (port, thread) = server(skey, scert.clone(), ccert);

        let mut cfg = TlsConfig {
            max_version: Some(max),
            ..TlsConfig::default()
        };
        cfg.add_ca_pem(&scert.to_pem().unwrap()).unwrap();
        let mut s = session(cfg);
        let e = s.connect("localhost", port).unwrap_err();
        if max == TlsVersion::Tls12 {
            assert_eq!(e.kind(), ErrorKind::Tls, "{max:?}: {e}");
        } else {
            // TLS 1.3: the client's handshake is over before the server
            // checks its certificate; the refusal is an alert read in
            // place of the welcome (reported as a read failure today).
            assert!(matches!(e.kind(), ErrorKind::Tls | ErrorKind::Io), "{e}");
            assert!(e.to_string().contains("certificate required"), "{e}");
        }
        assert!(
            !thread.join().unwrap(),
            "{max:?}: the server accepted no certificate"
        );
    }
}

#[test]
fn a_pem_ca_replaces_the_system_roots() {
    // The server's certificate is trusted only through add_ca_pem: with
    // another certificate as the only CA the handshake fails.
    let (skey, ckey) = (key(), key());
    let (scert, ccert) = (cert(&skey, "localhost"), cert(&ckey, "libftp-client"));
    let (port, thread) = server(skey, scert, ccert.clone());
    let mut cfg = TlsConfig::default();
    cfg.add_ca_pem(&ccert.to_pem().unwrap()).unwrap();
    cfg.set_client_cert_pem(
        &ccert.to_pem().unwrap(),
        &ckey.private_key_to_pem_pkcs8().unwrap(),
    )
    .unwrap();
    let e = session(cfg).connect("localhost", port).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
    assert!(e.to_string().contains("certificate verify failed"), "{e}");
    assert!(!thread.join().unwrap());
}
