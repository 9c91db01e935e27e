//! Through proxies to real FTP servers (tests/servers): the in-process
//! relaying proxies of ftp_testkit (which count the connections and keep
//! what each one asked for) and the real microsocks and tinyproxy started
//! by ftpservers.py. Listing, byte-exact download and upload, FTPS with
//! protected data on top of the proxied connections.
//!
//! Without the servers' variables these tests say so and pass, unless
//! FTP_TEST_REQUIRE_SERVERS=1 (as scripts/test.sh sets), where they fail.

mod realservers;

use ftp::tls::TlsConfig;
use ftp::{Error, Session};
use ftp_testkit::proxy::{Kind, TestProxy};
use realservers::{download, env, pattern, upload};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `(port, root)` of a vsftpd of the launcher (`VSFTPD`, `VSFTPDS`).
fn vsftpd(prefix: &str) -> Option<(u16, PathBuf)> {
    let port = env(&format!("FTP_TEST_{prefix}_PORT"))?.parse().unwrap();
    Some((port, env(&format!("FTP_TEST_{prefix}_ROOT"))?.into()))
}

/// The URL of a real proxy of the launcher (`SOCKS5`, `HTTPPROXYAUTH`...),
/// with its user and password when it has them.
fn real_proxy(scheme: &str, prefix: &str) -> Option<String> {
    let Some(port) = env(&format!("FTP_TEST_{prefix}_PORT")) else {
        eprintln!("SKIP: no {prefix} proxy (is microsocks/tinyproxy installed? scripts/install-test-servers.sh)");
        return None;
    };
    let user = std::env::var(format!("FTP_TEST_{prefix}_USER")).ok();
    let pass = std::env::var(format!("FTP_TEST_{prefix}_PASS")).unwrap_or_default();
    Some(match user {
        Some(u) => format!("{scheme}://{u}:{pass}@127.0.0.1:{port}"),
        None => format!("{scheme}://127.0.0.1:{port}"),
    })
}

fn session(proxy_url: &str) -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(20))).unwrap();
    s.set_proxy(Some(proxy_url)).unwrap();
    s
}

/// Lists pub/, downloads big.bin and (with `upload`) stores a file, all
/// checked against the server's files: one data connection each.
fn exercise(s: &mut Session, root: &Path, upload_as: Option<&str>) {
    s.cwd("pub").unwrap();
    let mut names = Vec::new();
    s.nlst(None, |l| {
        names.push(String::from_utf8_lossy(l).into_owned());
        Ok(())
    })
    .unwrap();
    for want in ["big.bin", "hello.txt", "lines.txt", "empty.bin", "subdir"] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
    let got = download(s, "big.bin");
    assert!(
        got == std::fs::read(root.join("pub/big.bin")).unwrap(),
        "big.bin differs"
    );
    if let Some(name) = upload_as {
        let data = pattern(300_000, 7);
        upload(s, name, &data);
        let path = root.join("pub").join(name);
        assert!(std::fs::read(&path).unwrap() == data, "{name} differs");
        std::fs::remove_file(path).unwrap();
    }
    s.quit().unwrap();
}

#[test]
fn every_kind_through_a_relaying_proxy() {
    let Some((port, root)) = vsftpd("VSFTPD") else {
        return;
    };
    let cases = [
        (Kind::Socks5, "socks5", None),
        (Kind::Socks5, "socks5h", Some(("alice", "s0cks"))),
        (Kind::Http, "http", None),
        (Kind::Http, "http", Some(("bob", "h:ttp"))),
    ];
    for (i, (kind, scheme, auth)) in cases.into_iter().enumerate() {
        let p = TestProxy::relay(kind, auth);
        let url = match auth {
            Some((u, pw)) => format!(
                "{scheme}://{u}:{}@127.0.0.1:{}",
                pw.replace(':', "%3A"),
                p.port()
            ),
            None => format!("{scheme}://127.0.0.1:{}", p.port()),
        };
        let mut s = session(&url);
        // vsftpd listens on 127.0.0.1 only: for socks5:// the name is
        // resolved here and ::1 (refused by the proxy) is passed over.
        s.connect("localhost", port).unwrap();
        s.login("anonymous", "x@y", "").unwrap();
        exercise(&mut s, &root, Some(&format!("proxied-{i}.bin")));
        let targets = p.targets();
        // One control connection and three data connections, all through
        // the proxy, to the server as it was named (or its address).
        let host = if scheme == "socks5" {
            "127.0.0.1"
        } else {
            "localhost"
        };
        let relayed: Vec<&String> = targets
            .iter()
            .filter(|t| t.starts_with(&format!("{host}:")))
            .collect();
        assert_eq!(relayed.len(), 4, "{scheme}: {targets:?}");
        assert_eq!(
            relayed[0],
            &format!("{host}:{port}"),
            "{scheme}: {targets:?}"
        );
        assert!(
            relayed[1..].iter().all(|t| *t != &format!("{host}:{port}")),
            "{targets:?}"
        );
    }
}

fn tls_session(proxy_url: &str) -> Option<Session> {
    let mut cfg = TlsConfig::default();
    cfg.set_ca_file(&env("FTP_TEST_TLS_CAFILE")?).unwrap();
    let mut s = Session::new_tls(cfg);
    s.set_timeout(Some(Duration::from_secs(20))).unwrap();
    s.set_proxy(Some(proxy_url)).unwrap();
    Some(s)
}

/// FTPS (vsftpd: TLS required, session reuse required; explicit, or
/// implicit with `VSFTPDI`) through `proxy_url`: the TLS handshakes run end
/// to end over the proxied connections and the data is protected.
/// False when the servers are missing (the test is skipped).
fn ftps_through(proxy_url: &str, server: &str, upload_as: &str) -> bool {
    let (Some((port, root)), Some(mut s)) = (vsftpd(server), tls_session(proxy_url)) else {
        return false;
    };
    let implicit = server == "VSFTPDI";
    s.set_implicit_tls(implicit).unwrap();
    s.connect("localhost", port).unwrap();
    if !implicit {
        s.auth().unwrap();
    }
    assert!(s.control_secured());
    s.login("anonymous", "x@y", "").unwrap();
    s.prot_p().unwrap();
    assert!(s.data_protected());
    exercise(&mut s, &root, Some(upload_as));
    true
}

/// [`ftps_through`] a relaying proxy: the control connection and three
/// data connections went through it, to the server by name.
fn ftps_through_relay(kind: Kind, scheme: &str, server: &str, upload_as: &str) {
    let p = TestProxy::relay(kind, None);
    if ftps_through(
        &format!("{scheme}://127.0.0.1:{}", p.port()),
        server,
        upload_as,
    ) {
        let targets = p.targets();
        assert_eq!(targets.len(), 4, "{targets:?}");
        assert!(
            targets.iter().all(|t| t.starts_with("localhost:")),
            "{targets:?}"
        );
    }
}

#[test]
fn ftps_through_a_relaying_socks5h_proxy() {
    ftps_through_relay(Kind::Socks5, "socks5h", "VSFTPDS", "proxied-tls-1.bin");
}

#[test]
fn ftps_through_microsocks() {
    if let Some(url) = real_proxy("socks5h", "SOCKS5AUTH") {
        ftps_through(&url, "VSFTPDS", "proxied-tls-2.bin");
    }
}

#[test]
fn list_and_download_through_microsocks_and_tinyproxy() {
    let Some((port, root)) = vsftpd("VSFTPD") else {
        return;
    };
    let proxies = [
        ("socks5", "SOCKS5"),
        ("socks5h", "SOCKS5"),
        ("socks5", "SOCKS5AUTH"),
        ("http", "HTTPPROXY"),
        ("http", "HTTPPROXYAUTH"),
    ];
    for (scheme, prefix) in proxies {
        let Some(url) = real_proxy(scheme, prefix) else {
            continue;
        };
        let mut s = session(&url);
        s.connect("127.0.0.1", port)
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        s.login("anonymous", "x@y", "").unwrap();
        exercise(&mut s, &root, None);
    }
}

#[test]
fn real_proxies_refuse_a_wrong_password() {
    let Some(port) = env("FTP_TEST_VSFTPD_PORT") else {
        return;
    };
    let port: u16 = port.parse().unwrap();
    for (scheme, prefix, want) in [
        ("socks5", "SOCKS5AUTH", "refused the user name and password"),
        (
            "http",
            "HTTPPROXYAUTH",
            "401 Unauthorized (the proxy did not accept the user and password)",
        ),
        ("socks5", "SOCKS5AUTH-none", "wants authentication"),
    ] {
        let real = prefix.trim_end_matches("-none");
        let Some(proxy_port) = env(&format!("FTP_TEST_{real}_PORT")) else {
            continue;
        };
        let url = if prefix.ends_with("-none") {
            format!("{scheme}://127.0.0.1:{proxy_port}")
        } else {
            format!("{scheme}://proxyuser:wrong-secret@127.0.0.1:{proxy_port}")
        };
        let e = session(&url).connect("127.0.0.1", port).unwrap_err();
        let text = e.to_string();
        assert!(matches!(e, Error::Io { .. }), "{url}: {e:?}");
        assert!(
            text.contains(want) && !text.contains("wrong-secret"),
            "{url}: {text}"
        );
    }
}

#[test]
fn implicit_ftps_through_a_relaying_http_proxy() {
    ftps_through_relay(Kind::Http, "http", "VSFTPDI", "proxied-tls-3.bin");
}

/// An IPv6 server through socks5:// (the address sent as ATYP 4) and
/// http:// (CONNECT [::1]:port).
#[test]
fn ipv6_server_through_relaying_proxies() {
    let (Some(port), Some(root)) = (env("FTP_TEST_VSFTPD6_PORT"), env("FTP_TEST_VSFTPD6_ROOT"))
    else {
        return;
    };
    let port: u16 = port.parse().unwrap();
    for (kind, scheme) in [(Kind::Socks5, "socks5"), (Kind::Http, "http")] {
        let p = TestProxy::relay(kind, None);
        let mut s = session(&format!("{scheme}://127.0.0.1:{}", p.port()));
        s.connect("::1", port).unwrap();
        s.login("anonymous", "x@y", "").unwrap();
        exercise(&mut s, Path::new(&root), None);
        let targets = p.targets();
        assert_eq!(targets.len(), 3, "{targets:?}");
        assert!(
            targets.iter().all(|t| t.starts_with("[::1]:")),
            "{targets:?}"
        );
    }
}
