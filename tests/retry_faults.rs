//! Whole-file retries against the real vsftpd FTPS (`require_ssl_reuse`)
//! through the fault relay (tests/faultrelay): the data connection of a
//! protected download is reset or stalled once, mid-file; with
//! `set_retry` the session reconnects (TLS, login, PROT P, directory) and
//! resumes with REST, and the file ends byte-exact. Without retries the
//! same break is the call's error and the partial file stays for a later
//! RESUME. (Its own test binary: the relay's listeners live as long as
//! the process, and tests/vsftpd_faults.rs relays the same ports.)

mod faultrelay;
mod realservers;

use faultrelay::{Fault, Relay, RELAY_IP};
use ftp::tls::TlsConfig;
use ftp::{ErrorKind, FileOptions, Session};
use realservers::env;
use std::net::SocketAddr;
use std::time::Duration;

#[test]
fn retry_resumes_protected_downloads_after_data_breaks() {
    let (Some(ca), Some(port), Some(root), Some(min), Some(max)) = (
        env("FTP_TEST_TLS_CAFILE"),
        env("FTP_TEST_VSFTPDS_PORT"),
        env("FTP_TEST_VSFTPDS_ROOT"),
        env("FTP_TEST_VSFTPDS_PASV_MIN"),
        env("FTP_TEST_VSFTPDS_PASV_MAX"),
    ) else {
        return;
    };
    let big = std::fs::read(std::path::Path::new(&root).join("pub/big.bin")).unwrap();
    let upstream = SocketAddr::from(([127, 0, 0, 1], port.parse().unwrap()));
    let relay = Relay::start(upstream, min.parse().unwrap()..=max.parse().unwrap());
    let dir = std::env::temp_dir().join(format!("libftp-retry-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    let mut c = TlsConfig::default();
    c.set_ca_file(&ca).unwrap();
    // The certificate names localhost and 127.0.0.1, not the relay's address.
    c.check_hostname = false;
    let mut s = Session::new_tls(c);
    s.set_timeout(Some(Duration::from_secs(2))).unwrap();
    s.connect(RELAY_IP, relay.port).unwrap();
    s.login("", "", "").unwrap();
    s.cwd("pub").unwrap();

    // Without retries: the break is the error, the partial file stays.
    let target = dir.join("big.bin");
    relay.set_next(Fault::Reset { after: 1 << 20 });
    let e = s
        .download_file("big.bin", &target, FileOptions::default())
        .unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::Io | ErrorKind::Eof | ErrorKind::Temp | ErrorKind::Timeout
        ),
        "{e}"
    );

    s.set_retry(2, Duration::from_millis(50));
    for (what, fault) in [
        ("reset", Fault::Reset { after: 1 << 20 }),
        ("stall", Fault::Stall { after: 3 << 20 }),
    ] {
        let _ = std::fs::remove_file(&target);
        relay.set_next(fault);
        s.download_file("big.bin", &target, FileOptions::default())
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let got = std::fs::read(&target).unwrap();
        assert!(got == big, "{what}: the file differs ({} bytes)", got.len());
        assert!(s.is_connected(), "{what}");
        assert!(
            s.data_protected(),
            "{what}: PROT P again after the reconnect"
        );
        assert_eq!(s.pwd().unwrap(), "/pub", "{what}: the directory again");
    }
    s.quit().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
