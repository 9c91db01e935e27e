//! Proxies that refuse, answer garbage, close early or stall (scripted in
//! ftp_testkit::proxy), and what goes through a relaying one to a scripted
//! FTP server: every failure is a clear error naming the proxy and never
//! its password.

use ftp::{Error, Session};
use ftp_testkit::proxy::{self, Kind, TestProxy};
use ftp_testkit::ScriptedServer;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SECRET: &str = "hunter2";

fn session(proxy_url: &str) -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_proxy(Some(proxy_url)).unwrap();
    s
}

/// Connects through the proxy to 127.0.0.1:9 (the proxy decides what
/// happens) and returns the error, checked to be an I/O error naming the
/// proxy (and, when `port` is not 0, the target) without the password.
fn io_error(proxy_url: &str, port: u16) -> String {
    let e = session(proxy_url).connect("127.0.0.1", 9).unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, Error::Io { .. }), "{e:?}");
    let (scheme, rest) = proxy_url.split_once("://").unwrap();
    let hostport = rest.rsplit('@').next().unwrap();
    let shown = format!("through the proxy {scheme}://{hostport}: ");
    assert!(text.starts_with(&shown), "{text}");
    assert!(
        port == 0 || text.contains(&format!("127.0.0.1:{port}")),
        "{text}"
    );
    assert!(!text.contains(SECRET), "{text}");
    text
}

#[test]
fn socks5_refusals_name_the_reply_code() {
    let p = TestProxy::scripted(|n, mut c| {
        let _ = proxy::socks5_greeting(&mut c);
        let _ = c.write_all(&[5, 2]);
        let _ = proxy::socks5_credentials(&mut c);
        let _ = c.write_all(&[1, 0]);
        let _ = proxy::socks5_request(&mut c);
        let _ = c.write_all(&proxy::socks5_reply(n as u8 + 1));
    });
    let reasons = [
        "general SOCKS server failure",
        "connection not allowed by ruleset",
        "network unreachable",
        "host unreachable",
        "connection refused by the destination host",
        "TTL expired",
        "command not supported",
        "address type not supported",
    ];
    for (i, reason) in reasons.iter().enumerate() {
        let url = format!("socks5://u:{SECRET}@127.0.0.1:{}", p.port());
        let text = io_error(&url, 9);
        let want = format!(
            "refused the connection to 127.0.0.1:9: {reason} (SOCKS5 reply {})",
            i + 1
        );
        assert!(text.contains(&want), "{text}");
    }
}

fn socks5_choosing(method: u8) -> TestProxy {
    TestProxy::scripted(move |_, mut c| {
        let _ = proxy::socks5_greeting(&mut c);
        let _ = c.write_all(&[5, method]);
        if method == 2 {
            let _ = proxy::socks5_credentials(&mut c);
            let _ = c.write_all(&[1, 1]); // refused
        }
        let _ = c.read(&mut [0u8; 64]);
    })
}

#[test]
fn socks5_authentication_failures() {
    let p = socks5_choosing(2);
    let text = io_error(&format!("socks5://u:{SECRET}@127.0.0.1:{}", p.port()), 0);
    assert!(
        text.contains("refused the user name and password (status 0x01)"),
        "{text}"
    );
    let p = socks5_choosing(0xff);
    let text = io_error(&format!("socks5://127.0.0.1:{}", p.port()), 0);
    assert!(text.contains("the proxy wants authentication"), "{text}");
    let text = io_error(&format!("socks5://u:{SECRET}@127.0.0.1:{}", p.port()), 0);
    assert!(text.contains("accepts neither"), "{text}");
    // A method that was not offered.
    let p = socks5_choosing(2);
    let text = io_error(&format!("socks5://127.0.0.1:{}", p.port()), 0);
    assert!(text.contains("method not offered (0x02)"), "{text}");
}

/// A proxy that answers every connection with `bytes`, then closes.
fn answering(bytes: &'static [u8]) -> TestProxy {
    TestProxy::scripted(move |_, mut c| {
        let _ = c.read(&mut [0u8; 512]);
        let _ = c.write_all(bytes);
    })
}

#[test]
fn http_refusals_quote_the_status_line() {
    let p = answering(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    let text = io_error(&format!("http://127.0.0.1:{}", p.port()), 9);
    assert!(
        text.contains("refused CONNECT to 127.0.0.1:9: HTTP/1.1 403 Forbidden"),
        "{text}"
    );
    let p = answering(b"HTTP/1.0 407 Proxy Authentication Required\r\n\r\n");
    let text = io_error(&format!("http://127.0.0.1:{}", p.port()), 9);
    assert!(
        text.contains("407 Proxy Authentication Required (the proxy wants a user"),
        "{text}"
    );
    let text = io_error(&format!("http://u:{SECRET}@127.0.0.1:{}", p.port()), 9);
    assert!(
        text.contains("did not accept the user and password"),
        "{text}"
    );
}

#[test]
fn garbage_and_early_closes() {
    let cases: [(&str, &'static [u8], &str); 6] = [
        (
            "socks5",
            b"HTTP/1.0 400 Bad Request\r\n\r\n",
            "not a SOCKS5 proxy (it answered 0x48 0x54: an HTTP proxy?)",
        ),
        (
            "socks5",
            b"",
            "closed the connection before its answer to the greeting",
        ),
        (
            "socks5",
            b"\x05\x00\x05\x00\x00\x07",
            "unknown address type 0x07",
        ),
        (
            "http",
            b"\x05\x00",
            "closed the connection before its answer to CONNECT",
        ),
        (
            "http",
            b"SSH-2.0-OpenSSH\r\n",
            "not an HTTP proxy (its answer to CONNECT starts with \"SSH-2\")",
        ),
        (
            "http",
            b"HTTP/1.1 200 OK\r\n",
            "closed the connection before its answer to CONNECT",
        ),
    ];
    for (scheme, answer, want) in cases {
        let p = answering(answer);
        let text = io_error(&format!("{scheme}://127.0.0.1:{}", p.port()), 0);
        assert!(text.contains(want), "{scheme} {answer:?}: {text}");
    }
    let big = TestProxy::scripted(|_, mut c| {
        let _ = c.read(&mut [0u8; 512]);
        let _ = c.write_all(b"HTTP/1.1 200 OK\r\n");
        let _ = c.write_all(&b"X: y\r\n".repeat(3000));
    });
    let text = io_error(&format!("http://127.0.0.1:{}", big.port()), 0);
    assert!(text.contains("longer than 16384 bytes"), "{text}");
}

#[test]
fn unreachable_proxy() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = session(&format!("socks5://127.0.0.1:{port}"))
        .connect("127.0.0.1", 21)
        .unwrap_err();
    assert!(
        matches!(&e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::ConnectionRefused),
        "{e:?}"
    );
    assert!(
        e.to_string().starts_with(&format!(
            "connecting to the proxy socks5://127.0.0.1:{port}"
        )),
        "{e}"
    );
}

/// A proxy that reads and never answers.
fn stalling() -> TestProxy {
    TestProxy::scripted(|_, mut c| {
        let _ = c.read(&mut [0u8; 512]);
        std::thread::sleep(Duration::from_secs(10));
    })
}

#[test]
fn a_stalled_proxy_times_out_or_is_cancelled() {
    let p = stalling();
    for scheme in ["socks5", "http"] {
        let mut s = session(&format!("{scheme}://127.0.0.1:{}", p.port()));
        s.set_timeout(Some(Duration::from_millis(300))).unwrap();
        let e = s.connect("127.0.0.1", 21).unwrap_err();
        assert!(
            matches!(&e, Error::Timeout(t) if t.contains("proxy")),
            "{e:?}"
        );
        assert!(!s.is_connected());
    }
    let mut s = session(&format!("socks5h://127.0.0.1:{}", p.port()));
    s.set_timeout(None).unwrap();
    let token = s.cancel_token().clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        token.cancel();
    });
    let e = s.connect("localhost", 21).unwrap_err();
    canceller.join().unwrap();
    assert!(
        matches!(&e, Error::Cancelled(t) if t.contains("proxy")),
        "{e:?}"
    );
}

#[test]
fn the_welcome_in_the_same_packet_as_the_http_answer_is_kept() {
    let p = TestProxy::scripted(|_, mut c| {
        let lines = proxy::http_request(&mut c).unwrap();
        assert_eq!(lines[0], "CONNECT ftp.example:21 HTTP/1.1");
        let _ = c.write_all(
            b"HTTP/1.1 200 Connection established\r\nVia: x\r\n\r\n220 through the tunnel\r\n",
        );
        let mut buf = [0u8; 64];
        let n = c.read(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"QUIT\r\n");
        let _ = c.write_all(b"221 bye\r\n");
    });
    let mut s = session(&format!("http://127.0.0.1:{}", p.port()));
    let welcome = s.connect("ftp.example", 21).unwrap();
    assert_eq!(welcome.text, "220 through the tunnel");
    assert_eq!(s.quit().unwrap().code, 221);
}

#[test]
fn active_mode_is_refused_and_debug_output_hides_the_password() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.drain("200 ok");
    });
    let p = TestProxy::relay(Kind::Socks5, Some(("alice", SECRET)));
    let mut s = session(&format!("socks5://alice:{SECRET}@127.0.0.1:{}", p.port()));
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    s.set_debug_level(1);
    s.set_debug_sink(Some(Box::new(move |l: &str| {
        sink.lock().unwrap().push(l.to_string())
    })));
    let port = server.port();
    s.connect("localhost", port).unwrap();
    s.login("anonymous", "x", "").unwrap();
    s.set_passive(false);
    let e = s.nlst(None, |_| Ok(())).unwrap_err();
    assert!(
        matches!(&e, Error::State(t) if t.contains("active mode (PORT/EPRT) cannot go through the proxy socks5://127.0.0.1")),
        "{e:?}"
    );
    assert!(s.is_connected());
    s.quit().unwrap();
    let seen = server.finish();
    assert!(
        !seen
            .iter()
            .any(|c| c.starts_with("PORT") || c.starts_with("EPRT")),
        "{seen:?}"
    );
    // socks5:// resolves here: "localhost" went to the proxy as an address.
    let target = p.targets()[0].clone();
    assert!(
        target == format!("127.0.0.1:{port}") || target == format!("[::1]:{port}"),
        "{target}"
    );
    let lines = lines.lock().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("*proxy*") && l.contains("through socks5://127.0.0.1")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains(SECRET)), "{lines:?}");
}

/// A scripted FTP server and a SOCKS5 proxy that relays the control
/// connection and hands every data connection to `data`: the listing
/// fails with the error returned, after which the session is still in
/// step (PWD answered, no NLST was sent).
fn failed_data_connection(
    timeout: Duration,
    data: impl Fn(std::net::TcpStream) + Send + Sync + 'static,
) -> Error {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        while let Some(cmd) = c.read_cmd() {
            match cmd.as_str() {
                "EPSV" => {
                    let port = c.open_passive();
                    c.reply(&format!("229 Entering Extended Passive Mode (|||{port}|)"));
                }
                "PWD" => c.reply("257 \"/home\""),
                "QUIT" => return c.reply("221 bye"),
                _ => c.reply("200 ok"),
            }
        }
    });
    let p = TestProxy::scripted(move |n, c| match n {
        0 => TestProxy::serve(Kind::Socks5, c),
        _ => data(c),
    });
    let mut s = session(&format!("socks5h://127.0.0.1:{}", p.port()));
    s.connect("localhost", server.port()).unwrap();
    s.login("anonymous", "x", "").unwrap();
    s.set_timeout(Some(timeout)).unwrap();
    let e = s.nlst(None, |_| Ok(())).unwrap_err();
    assert_eq!(s.pwd().unwrap(), "/home");
    s.quit().unwrap();
    let seen = server.finish();
    assert!(!seen.iter().any(|c| c.starts_with("NLST")), "{seen:?}");
    e
}

#[test]
fn a_refused_or_stalled_data_connection_leaves_the_session_in_step() {
    let e = failed_data_connection(Duration::from_secs(5), |mut c| {
        let _ = proxy::socks5_greeting(&mut c);
        let _ = c.write_all(&[5, 0]);
        let _ = proxy::socks5_request(&mut c);
        let _ = c.write_all(&proxy::socks5_reply(2));
    });
    assert!(matches!(&e, Error::Io { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("connection not allowed by ruleset (SOCKS5 reply 2)"),
        "{text}"
    );
    let e = failed_data_connection(Duration::from_millis(300), |mut c| {
        let _ = proxy::socks5_greeting(&mut c);
        std::thread::sleep(Duration::from_secs(5));
    });
    assert!(
        matches!(&e, Error::Timeout(t) if t.contains("proxy")),
        "{e:?}"
    );
}
