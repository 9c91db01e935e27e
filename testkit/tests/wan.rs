//! `ftp_testkit::wan` without an FTP server: bytes pass exactly and in
//! order, half-closes pass after the data, on the control port and on a
//! "passive" port, with and without a rate cap. No timing assertions.

use ftp_testkit::wan::{WanConfig, WanProxy};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

fn pattern(n: usize, seed: u32) -> Vec<u8> {
    (0..n as u32)
        .map(|i| (i.wrapping_add(seed).wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect()
}

/// Serves one connection on `l`: reads all until the client's half-close,
/// then answers `reply(received)` and closes.
fn serve_once(l: TcpListener) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let (mut c, _) = l.accept().unwrap();
        let mut got = Vec::new();
        c.read_to_end(&mut got).unwrap();
        let mut answer = got.clone();
        answer.reverse();
        c.write_all(&answer).unwrap();
        c.shutdown(Shutdown::Write).unwrap();
        got
    })
}

/// Sends `data`, half-closes, reads the answer to the end.
fn round_trip(to: SocketAddr, data: &[u8]) -> Vec<u8> {
    let mut c = TcpStream::connect(to).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let (mut w, d) = (c.try_clone().unwrap(), data.to_vec());
    let writer = thread::spawn(move || {
        for piece in d.chunks(1000) {
            w.write_all(piece).unwrap();
        }
        w.shutdown(Shutdown::Write).unwrap();
    });
    let mut back = Vec::new();
    c.read_to_end(&mut back).unwrap();
    writer.join().unwrap();
    back
}

fn check(cfg: WanConfig) {
    let ctl = TcpListener::bind("127.0.0.1:0").unwrap();
    let data = TcpListener::bind("127.0.0.1:0").unwrap();
    let (cport, dport) = (
        ctl.local_addr().unwrap().port(),
        data.local_addr().unwrap().port(),
    );
    let proxy = WanProxy::start(ctl.local_addr().unwrap(), dport..=dport, cfg).unwrap();
    assert_ne!(proxy.port(), cport);
    let (h1, h2) = (serve_once(ctl), serve_once(data));
    for (port, h, n) in [
        (proxy.port(), h1, 3 * 1024 * 1024 + 5),
        (dport, h2, 100_003),
    ] {
        let sent = pattern(n, port.into());
        let back = round_trip(SocketAddr::new(proxy.ip(), port), &sent);
        assert!(h.join().unwrap() == sent, "the server got other bytes");
        let mut want = sent;
        want.reverse();
        assert!(back == want, "the client got other bytes");
    }
}

#[test]
fn bytes_and_half_closes_pass_in_order() {
    check(WanConfig {
        rtt: Duration::from_millis(20),
        rate: None,
    });
}

#[test]
fn with_a_rate_cap() {
    check(WanConfig {
        rtt: Duration::from_millis(4),
        rate: Some(50_000_000),
    });
}

#[test]
fn a_refused_upstream_closes_the_client() {
    // A port with nothing listening behind the proxy.
    let gone = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = gone.local_addr().unwrap();
    drop(gone);
    let cfg = WanConfig {
        rtt: Duration::from_millis(2),
        rate: None,
    };
    let proxy = WanProxy::start(addr, addr.port()..=addr.port(), cfg).unwrap();
    let mut c = TcpStream::connect((proxy.ip(), proxy.port())).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut buf = [0u8; 16];
    assert!(matches!(c.read(&mut buf), Ok(0) | Err(_)));
}
