//! FTPS against real servers started by scripts/test.sh (tests/servers):
//! pyftpdlib's TLS handler and vsftpd with `require_ssl_reuse=YES`.
//!
//! Without the servers' variables these tests say so and pass, unless
//! FTP_TEST_REQUIRE_SERVERS=1 (as scripts/test.sh sets), where they fail.

use ftp::tls::{TlsConfig, TlsVersion};
use ftp::{Error, Session};
use std::time::Duration;

fn env(key: &str) -> Option<String> {
    match std::env::var(key) {
        Ok(v) => Some(v),
        Err(_) => {
            assert!(
                std::env::var("FTP_TEST_REQUIRE_SERVERS").as_deref() != Ok("1"),
                "{key} is not set: start tests/servers/ftpservers.py (scripts/test.sh does)"
            );
            eprintln!("SKIP: {key} not set (no test servers)");
            None
        }
    }
}

struct Server {
    host: String,
    port: u16,
    root: std::path::PathBuf,
    ca: String,
}

fn server(prefix: &str) -> Option<Server> {
    Some(Server {
        host: env(&format!("FTP_TEST_{prefix}_HOST")).unwrap_or_else(|| "localhost".into()),
        port: env(&format!("FTP_TEST_{prefix}_PORT"))?.parse().unwrap(),
        root: env(&format!("FTP_TEST_{prefix}_ROOT"))?.into(),
        ca: std::env::var("FTP_TEST_TLS_CAFILE")
            .ok()
            .or_else(|| env(&format!("FTP_TEST_{prefix}_CAFILE")))?,
    })
}

fn config(ca: &str) -> TlsConfig {
    let mut c = TlsConfig::default();
    c.set_ca_file(ca).unwrap();
    c
}

fn session(cfg: TlsConfig) -> Session {
    let mut s = Session::new_tls(cfg);
    s.set_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32 * 31 + u32::from(seed)) as u8)
        .collect()
}

fn download(s: &mut Session, name: &str) -> Vec<u8> {
    let mut got = Vec::new();
    s.retrbinary(&format!("RETR {name}"), 0, None, |b| {
        got.extend_from_slice(b);
        Ok(())
    })
    .unwrap();
    got
}

fn upload(s: &mut Session, name: &str, data: &[u8]) {
    let mut rest = data;
    s.storbinary(
        &format!("STOR {name}"),
        65536,
        None,
        |buf| {
            let n = rest.len().min(buf.len());
            buf[..n].copy_from_slice(&rest[..n]);
            rest = &rest[n..];
            Ok(n)
        },
        |_| Ok(()),
    )
    .unwrap();
}

#[test]
fn pyftpdlib_prot_p_c_p_and_mlsd_over_tls() {
    let Some(srv) = server("PYFTPDS") else { return };
    let user = env("FTP_TEST_PYFTPDS_USER").unwrap();
    let pass = env("FTP_TEST_PYFTPDS_PASS").unwrap();
    let mut s = session(config(&srv.ca));
    s.connect(&srv.host, srv.port).unwrap();
    // login secures the control connection first.
    s.login(&user, &pass, "").unwrap();
    assert!(s.control_secured());
    let data = pattern(3 * 1024 * 1024 + 17, 1);
    for (round, protect) in [true, false, true].into_iter().enumerate() {
        if protect {
            s.prot_p().unwrap();
        } else {
            s.prot_c().unwrap();
        }
        let name = format!("tls-{round}.bin");
        upload(&mut s, &name, &data);
        assert_eq!(std::fs::read(srv.root.join(&name)).unwrap(), data);
        assert_eq!(download(&mut s, &name), data);
        s.delete(&name).unwrap();
    }
    let mut names = Vec::new();
    s.mlsd(None, &["type", "size"], |e| {
        names.push((
            String::from_utf8_lossy(e.name).into_owned(),
            e.fact("size").map(<[u8]>::to_vec),
        ));
        Ok(())
    })
    .unwrap();
    assert!(
        names.contains(&("hello.txt".to_string(), Some(b"12".to_vec()))),
        "{names:?}"
    );
    assert!(matches!(s.auth(), Err(Error::State(_))));
    s.quit().unwrap();
}

#[test]
fn plain_session_refuses_tls_calls() {
    let mut s = Session::new();
    assert!(matches!(s.auth(), Err(Error::State(_))));
    assert!(matches!(s.prot_p(), Err(Error::State(_))));
    assert!(matches!(s.ccc(), Err(Error::State(_))));
    assert!(matches!(s.set_implicit_tls(true), Err(Error::State(_))));
}

#[test]
fn unknown_ca_is_refused_by_default() {
    let Some(srv) = server("PYFTPDS") else { return };
    let mut s = session(TlsConfig::default());
    s.connect(&srv.host, srv.port).unwrap();
    let err = s.auth().unwrap_err();
    // "unable to get local issuer certificate" or, when the server sends
    // its CA along, "self-signed certificate in certificate chain".
    assert!(
        matches!(err, Error::Tls(ref m) if m.contains("certificate verify failed")),
        "{err}"
    );
    assert!(
        !s.is_connected(),
        "a failed handshake must not leave a clear-text session"
    );
}

fn vsftpd_transfers(version: Option<TlsVersion>) {
    let Some(srv) = server("VSFTPDS") else { return };
    let mut cfg = config(&srv.ca);
    if let Some(v) = version {
        cfg.min_version = v;
        cfg.max_version = Some(v);
    }
    let mut s = session(cfg);
    s.connect(&srv.host, srv.port).unwrap();
    s.login("", "", "").unwrap();
    s.prot_p().unwrap();
    s.cwd("pub").unwrap();
    for round in 0..3u8 {
        let name = format!("vs-{round}-{version:?}.bin");
        let data = pattern(1024 * 1024 + usize::from(round), round);
        upload(&mut s, &name, &data);
        assert_eq!(
            std::fs::read(srv.root.join("pub").join(&name)).unwrap(),
            data
        );
        assert_eq!(download(&mut s, &name), data);
        s.delete(&name).unwrap();
    }
    s.set_passive(false);
    assert_eq!(download(&mut s, "hello.txt"), b"hello world\n");
    s.quit().unwrap();
}

#[test]
fn vsftpd_require_ssl_reuse_tls13() {
    vsftpd_transfers(Some(TlsVersion::Tls13));
}

#[test]
fn vsftpd_require_ssl_reuse_tls12() {
    vsftpd_transfers(Some(TlsVersion::Tls12));
}

#[test]
fn vsftpd_require_ssl_reuse_default_versions() {
    vsftpd_transfers(None);
}

#[test]
fn vsftpd_implicit() {
    let Some(srv) = server("VSFTPDI") else { return };
    let mut s = session(config(&srv.ca));
    s.set_implicit_tls(true).unwrap();
    s.connect(&srv.host, srv.port).unwrap();
    assert!(s.control_secured());
    assert!(s.welcome().unwrap().starts_with("220"));
    s.login("", "", "").unwrap();
    s.prot_p().unwrap();
    assert_eq!(download(&mut s, "pub/hello.txt"), b"hello world\n");
    s.quit().unwrap();
}

/// `connect_url` makes a plain session FTPS from the scheme: ftpes://
/// (AUTH TLS) on vsftpd explicit, ftps:// on vsftpd implicit; each enters
/// the URL's directory and protects the data connections.
#[test]
fn connect_url_ftpes_and_ftps() {
    use ftp::session::UrlPath;
    use ftp::url::FtpUrl;
    let (Some(ex), Some(im)) = (server("VSFTPDS"), server("VSFTPDI")) else {
        return;
    };
    let want = std::fs::read(ex.root.join("pub/hello.txt")).unwrap();
    for (scheme, srv) in [("ftpes", &ex), ("ftps", &im)] {
        let url = FtpUrl::parse(&format!(
            "{scheme}://{}:{}/pub/hello.txt",
            srv.host, srv.port
        ))
        .unwrap();
        let mut s = Session::new();
        s.set_timeout(Some(Duration::from_secs(10))).unwrap();
        s.connect_url(&url, Some(config(&srv.ca)), UrlPath::File)
            .unwrap();
        assert!(s.control_secured() && s.data_protected(), "{scheme}");
        assert_eq!(s.pwd().unwrap(), "/pub");
        assert_eq!(download(&mut s, "hello.txt"), want, "{scheme}");
        s.quit().unwrap();
    }
}

fn refused(port_key: &str, want: &str, check_hostname: bool) {
    let Some(port) = env(port_key) else { return };
    let Some(ca) = env("FTP_TEST_TLS_CAFILE") else {
        return;
    };
    let mut cfg = config(&ca);
    cfg.check_hostname = check_hostname;
    let mut s = session(cfg);
    s.connect("localhost", port.parse().unwrap()).unwrap();
    let err = s.login("", "", "").unwrap_err();
    assert!(
        matches!(err, Error::Tls(ref m) if m.contains(want)),
        "{err}"
    );
    assert!(!s.is_connected());
}

#[test]
fn wrong_host_is_refused() {
    refused("FTP_TEST_BADCERT_WRONGHOST_PORT", "hostname mismatch", true);
}

#[test]
fn expired_certificate_is_refused() {
    refused(
        "FTP_TEST_BADCERT_EXPIRED_PORT",
        "certificate has expired",
        true,
    );
}

#[test]
fn self_signed_certificate_is_refused() {
    refused(
        "FTP_TEST_BADCERT_SELFSIGNED_PORT",
        "self-signed certificate",
        true,
    );
}
