//! The WAN simulator (`ftp_testkit::wan`) with the real vsftpd: a session
//! through the proxy at 10 ms RTT logs in, downloads, uploads and lists,
//! plain and over explicit FTPS (nothing is rewritten, so TLS passes; the
//! client reaches the passive ports on the proxy because it distrusts the
//! 227 address and 229 names only the port). Bytes and reply codes only:
//! timing is for benches/wan.sh.

mod realservers;

use ftp::tls::TlsConfig;
use ftp::Session;
use ftp_testkit::wan::{WanConfig, WanProxy};
use realservers::env;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The proxy for vsftpd of env prefix `name` and the server's local root;
/// `None` (SKIP) without the servers' environment.
fn proxy(name: &str, cfg: WanConfig) -> Option<(WanProxy, PathBuf)> {
    let key = |k: &str| env(&format!("FTP_TEST_{name}_{k}"));
    let (port, root, min, max) = (
        key("PORT")?,
        key("ROOT")?,
        key("PASV_MIN")?,
        key("PASV_MAX")?,
    );
    let upstream = SocketAddr::from(([127, 0, 0, 1], port.parse().unwrap()));
    let range = min.parse().unwrap()..=max.parse().unwrap();
    let p = WanProxy::start(upstream, range, cfg).expect("starting the WAN proxy");
    Some((p, PathBuf::from(root)))
}

fn download(s: &mut Session, name: &str) -> Vec<u8> {
    let mut got = Vec::new();
    let r = s
        .retrbinary(&format!("RETR {name}"), 0, None, |b| {
            got.extend_from_slice(b);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("RETR {name}: {e}"));
    assert_eq!(r.code, 226, "RETR {name}: {}", r.text);
    got
}

fn upload(s: &mut Session, name: &str, data: &[u8]) {
    let mut src = data;
    let r = s
        .storbinary(
            &format!("STOR {name}"),
            64 * 1024,
            None,
            |buf| {
                let n = src.len().min(buf.len());
                buf[..n].copy_from_slice(&src[..n]);
                src = &src[n..];
                Ok(n)
            },
            |_| Ok(()),
        )
        .unwrap_or_else(|e| panic!("STOR {name}: {e}"));
    assert_eq!(r.code, 226, "STOR {name}: {}", r.text);
}

/// Logged in (anonymous) and in pub/: download, upload, list, quit.
fn exercise(s: &mut Session, root: &std::path::Path, tag: &str) {
    let r = s.cwd("pub").unwrap();
    assert_eq!(r.code, 250, "{tag}: CWD: {}", r.text);
    let big = std::fs::read(root.join("pub/big.bin")).unwrap();
    assert_eq!(big.len(), 5 * 1024 * 1024);
    assert!(download(s, "big.bin") == big, "{tag}: big.bin differs");
    assert_eq!(download(s, "hello.txt"), b"hello world\n", "{tag}");

    let name = format!("wan-{}-{}.bin", tag.to_lowercase(), std::process::id());
    let data: Vec<u8> = (0..(1024 * 1024 + 7) as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    upload(s, &name, &data);
    assert!(
        std::fs::read(root.join("pub").join(&name)).unwrap() == data,
        "{tag}: the upload differs on disk"
    );
    assert!(
        download(s, &name) == data,
        "{tag}: the upload read back differs"
    );

    let mut names = Vec::new();
    let r = s
        .nlst(None, |l| {
            names.push(String::from_utf8_lossy(l).into_owned());
            Ok(())
        })
        .unwrap();
    assert_eq!(r.code, 226, "{tag}: NLST: {}", r.text);
    for want in ["big.bin", "hello.txt", "subdir", name.as_str()] {
        assert!(
            names.iter().any(|n| n == want),
            "{tag}: {want} not in {names:?}"
        );
    }
    let mut lines = 0;
    let r = s
        .dir(None, |l| {
            assert!(!l.is_empty(), "{tag}: an empty LIST line");
            lines += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(r.code, 226, "{tag}: LIST: {}", r.text);
    assert_eq!(lines, names.len(), "{tag}: LIST and NLST disagree");

    let r = s.delete(&name).unwrap();
    assert_eq!(r.code, 250, "{tag}: DELE: {}", r.text);
    let r = s.quit().unwrap();
    assert_eq!(r.code, 221, "{tag}: QUIT: {}", r.text);
}

#[test]
fn plain_session_through_10ms_rtt() {
    let cfg = WanConfig {
        rtt: Duration::from_millis(10),
        rate: None,
    };
    let Some((p, root)) = proxy("VSFTPD", cfg) else {
        return;
    };
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(20))).unwrap();
    let r = s.connect(&p.ip().to_string(), p.port()).unwrap();
    assert_eq!(r.code, 220, "{}", r.text);
    let r = s.login("", "", "").unwrap();
    assert_eq!(r.code, 230, "{}", r.text);
    exercise(&mut s, &root, "VSFTPD");
}

/// Over explicit FTPS with a bandwidth cap as well (20 MB/s per
/// connection and direction), so that the token bucket is on the path.
#[test]
fn ftps_session_through_10ms_rtt_and_a_rate_cap() {
    let Some(ca) = env("FTP_TEST_TLS_CAFILE") else {
        return;
    };
    let cfg = WanConfig {
        rtt: Duration::from_millis(10),
        rate: Some(20_000_000),
    };
    let Some((p, root)) = proxy("VSFTPDS", cfg) else {
        return;
    };
    let mut c = TlsConfig::default();
    c.set_ca_file(&ca).unwrap();
    // The certificate names localhost and 127.0.0.1, not the proxy's
    // address (the chain is still verified).
    c.check_hostname = false;
    let mut s = Session::new_tls(c);
    s.set_timeout(Some(Duration::from_secs(20))).unwrap();
    let r = s.connect(&p.ip().to_string(), p.port()).unwrap();
    assert_eq!(r.code, 220, "{}", r.text);
    let r = s.login("", "", "").unwrap();
    assert_eq!(r.code, 230, "{}", r.text);
    assert!(s.data_protected(), "PROT P after login");
    exercise(&mut s, &root, "VSFTPDS");
}
