//! Server-side breaks of protected downloads against the real vsftpd with
//! `require_ssl_reuse=YES` (issue 11, point 1): a data idle timeout, a
//! reset data connection, and a 426 from the server after its side of the
//! data connection broke. vsftpd does none of these on demand, so a relay
//! (tests/faultrelay) sits between client and server and breaks the data
//! connection; vsftpd's own rules (session reuse, single-use TLS 1.3
//! tickets, close_notify) stay in force on the other side.
//!
//! For explicit and implicit FTPS, TLS 1.2 and 1.3 (passive mode: in active
//! mode vsftpd connects to the client directly, past the relay), each break
//! is followed by a full protected download of big.bin compared byte for
//! byte. The counts are printed (`--nocapture`) and must all succeed.

mod faultrelay;
mod realservers;

use faultrelay::{Fault, Relay, RELAY_IP};
use ftp::tls::{TlsConfig, TlsVersion};
use ftp::{ErrorKind, Session};
use realservers::env;
use std::net::SocketAddr;
use std::time::Duration;

const BREAKS: [(&str, Fault); 3] = [
    ("data idle timeout", Fault::Stall { after: 256 * 1024 }),
    ("reset data connection", Fault::Reset { after: 256 * 1024 }),
    (
        "426 from the server",
        Fault::CutServerSide { after: 256 * 1024 },
    ),
];

/// A protected session to `relay` for vsftpd of env prefix `name`,
/// logged in anonymously (data protected by login), in pub/.
fn open(name: &str, relay: &Relay, ca: &str, version: TlsVersion) -> Session {
    let mut c = TlsConfig::default();
    c.set_ca_file(ca).unwrap();
    // The certificate names localhost and 127.0.0.1, not the relay's address.
    c.check_hostname = false;
    c.min_version = version;
    c.max_version = Some(version);
    let mut s = Session::new_tls(c);
    s.set_timeout(Some(Duration::from_secs(10))).unwrap();
    if name == "VSFTPDI" {
        s.set_implicit_tls(true).unwrap();
    }
    s.connect(RELAY_IP, relay.port).unwrap();
    s.login("", "", "").unwrap();
    assert!(s.data_protected());
    s.cwd("pub").unwrap();
    s
}

fn download(s: &mut Session) -> ftp::Result<Vec<u8>> {
    let mut got = Vec::new();
    s.retrbinary("RETR big.bin", 0, None, |b| {
        got.extend_from_slice(b);
        Ok(())
    })?;
    Ok(got)
}

#[test]
fn breaks_of_protected_downloads_leave_the_session_usable() {
    let Some(ca) = env("FTP_TEST_TLS_CAFILE") else {
        return;
    };
    let mut table = Vec::new();
    for name in ["VSFTPDS", "VSFTPDI"] {
        let key = |k: &str| env(&format!("FTP_TEST_{name}_{k}"));
        let (Some(port), Some(root), Some(min), Some(max)) =
            (key("PORT"), key("ROOT"), key("PASV_MIN"), key("PASV_MAX"))
        else {
            return;
        };
        let big = std::fs::read(std::path::Path::new(&root).join("pub/big.bin")).unwrap();
        let upstream = SocketAddr::from(([127, 0, 0, 1], port.parse().unwrap()));
        let relay = Relay::start(upstream, min.parse().unwrap()..=max.parse().unwrap());
        for version in [TlsVersion::Tls12, TlsVersion::Tls13] {
            let mut s = open(name, &relay, &ca, version);
            for (what, fault) in BREAKS {
                let tag = format!("{name} {version:?} {what}");
                if matches!(fault, Fault::Stall { .. }) {
                    s.set_timeout(Some(Duration::from_secs(1))).unwrap();
                }
                relay.set(fault);
                let e = download(&mut s).expect_err(&tag);
                relay.set(Fault::Pass);
                s.set_timeout(Some(Duration::from_secs(10))).unwrap();
                // Whatever the class, the server's 426 or our own reading.
                assert!(
                    matches!(
                        e.kind(),
                        ErrorKind::Timeout | ErrorKind::Temp | ErrorKind::Io | ErrorKind::Proto
                    ),
                    "{tag}: {e}"
                );
                let ok = match download(&mut s) {
                    Ok(got) => got == big,
                    Err(e) => {
                        eprintln!("{tag}: the next download failed: {e}");
                        false
                    }
                };
                table.push((tag, e.to_string(), ok));
            }
            s.quit().unwrap();
        }
    }
    eprintln!(
        "protected 5 MiB downloads (byte-exact) after a server-side break, through the relay:"
    );
    for (tag, e, ok) in &table {
        eprintln!(
            "  {tag:<40} {}  (the break gave: {e})",
            if *ok { "ok" } else { "FAILED" }
        );
    }
    let failed = table.iter().filter(|(_, _, ok)| !ok).count();
    assert_eq!(failed, 0, "{failed} of {} downloads failed", table.len());
}
