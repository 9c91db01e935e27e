//! FTPS cases real servers do not offer: CCC (back to clear text) and a
//! server refusing AUTH TLS, against a scripted TLS server.

mod tlsserver;

use ftp::tls::TlsConfig;
use ftp::{Error, Session};
use ftp_testkit::LOGIN_FEATURES;
use openssl::ssl::{ShutdownResult, SslAcceptor, SslMethod, SslStream};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

fn acceptor() -> SslAcceptor {
    let (key, cert) = tlsserver::self_signed_localhost();
    let mut a = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).unwrap();
    a.set_private_key(&key).unwrap();
    a.set_certificate(&cert).unwrap();
    a.build()
}

fn read_line<R: BufRead>(r: &mut R) -> String {
    let mut l = String::new();
    r.read_line(&mut l).unwrap();
    l.trim_end().to_string()
}

fn tls_read_line(s: &mut SslStream<TcpStream>) -> String {
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    while s.read(&mut b).unwrap() == 1 && b[0] != b'\n' {
        line.push(b[0]);
    }
    String::from_utf8_lossy(&line).trim_end().to_string()
}

fn client() -> Session {
    let cfg = TlsConfig {
        verify_peer: false,
        ..TlsConfig::default()
    };
    let mut s = Session::new_tls(cfg);
    s.set_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

#[test]
fn ccc_returns_the_control_connection_to_clear_text() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut tcp, _) = listener.accept().unwrap();
        tcp.write_all(b"220 hi\r\n").unwrap();
        let mut r = BufReader::new(tcp.try_clone().unwrap());
        assert_eq!(read_line(&mut r), "AUTH TLS");
        tcp.write_all(b"234 go\r\n").unwrap();
        let mut tls = acceptor().accept(tcp.try_clone().unwrap()).unwrap();
        assert_eq!(tls_read_line(&mut tls), "USER u");
        tls.write_all(b"331 pw\r\n").unwrap();
        assert_eq!(tls_read_line(&mut tls), "PASS p");
        tls.write_all(b"230 in\r\n").unwrap();
        // Protected data by default: login ends with PBSZ 0 + PROT P.
        assert_eq!(tls_read_line(&mut tls), "PBSZ 0");
        tls.write_all(b"200 PBSZ=0\r\n").unwrap();
        assert_eq!(tls_read_line(&mut tls), "PROT P");
        tls.write_all(b"200 PROT P ok\r\n").unwrap();
        // A UTF-8 session then asks FEAT: no UTF8 here, so no OPTS.
        assert_eq!(tls_read_line(&mut tls), "FEAT");
        tls.write_all(format!("{LOGIN_FEATURES}\r\n").as_bytes())
            .unwrap();
        assert_eq!(tls_read_line(&mut tls), "CCC");
        tls.write_all(b"200 clear text from now on\r\n").unwrap();
        // Wait for the client's close_notify, answer with ours.
        let mut sink = [0u8; 16];
        assert_eq!(tls.read(&mut sink).unwrap(), 0, "close_notify expected");
        assert!(matches!(
            tls.shutdown(),
            Ok(ShutdownResult::Received) | Ok(ShutdownResult::Sent)
        ));
        // The same TCP connection now carries clear text.
        let mut r = BufReader::new(tcp.try_clone().unwrap());
        assert_eq!(read_line(&mut r), "NOOP");
        tcp.write_all(b"200 plain noop\r\n").unwrap();
        assert_eq!(read_line(&mut r), "QUIT");
        tcp.write_all(b"221 bye\r\n").unwrap();
    });
    let mut s = client();
    s.connect("localhost", port).unwrap();
    s.login("u", "p", "").unwrap();
    assert!(s.control_secured());
    s.ccc().unwrap();
    assert!(!s.control_secured());
    assert_eq!(s.sendcmd("NOOP").unwrap().text, "200 plain noop");
    assert!(matches!(s.ccc(), Err(Error::State(_))));
    s.quit().unwrap();
    server.join().unwrap();
}

#[test]
fn refused_auth_never_falls_back_to_clear_text() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut tcp, _) = listener.accept().unwrap();
        tcp.write_all(b"220 hi\r\n").unwrap();
        let mut r = BufReader::new(tcp.try_clone().unwrap());
        assert_eq!(read_line(&mut r), "AUTH TLS");
        tcp.write_all(b"500 no TLS here\r\n").unwrap();
        // Nothing else may come, least of all a password in clear text.
        let mut rest = String::new();
        let _ = r.read_to_string(&mut rest);
        assert!(!rest.contains("PASS"), "{rest}");
    });
    let mut s = client();
    s.connect("localhost", port).unwrap();
    let err = s.login("u", "secret", "").unwrap_err();
    assert!(matches!(err, Error::Perm(ref r) if r.code == 500), "{err}");
    assert!(!s.control_secured());
    assert!(matches!(s.prot_p(), Err(Error::State(_))));
    s.close();
    server.join().unwrap();
}

#[test]
fn bytes_before_the_tls_handshake_are_refused() {
    // A man in the middle could queue clear-text "replies" after the 234
    // for the client to read as if they came over TLS (STARTTLS injection).
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut tcp, _) = listener.accept().unwrap();
        tcp.write_all(b"220 hi\r\n").unwrap();
        let mut r = BufReader::new(tcp.try_clone().unwrap());
        assert_eq!(read_line(&mut r), "AUTH TLS");
        tcp.write_all(b"234 go\r\n230 injected login\r\n").unwrap();
        let mut rest = Vec::new();
        let _ = r.read_to_end(&mut rest);
    });
    let mut s = client();
    s.connect("localhost", port).unwrap();
    // Give the injected line time to arrive with the 234.
    std::thread::sleep(Duration::from_millis(50));
    let err = s.auth().unwrap_err();
    assert!(
        matches!(err, Error::Proto(ref m) if m.contains("before the TLS handshake")),
        "{err}"
    );
    assert!(!s.is_connected());
    server.join().unwrap();
}
