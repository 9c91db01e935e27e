//! In-process proxies for tests: a SOCKS5 (RFC 1928/1929) and an HTTP
//! CONNECT proxy that relay to the asked target, counting connections and
//! keeping what each one asked for, and a scripted proxy whose every
//! connection runs test code (refusals, garbage, early closes, stalls).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a relaying proxy does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// SOCKS5.
    Socks5,
    /// HTTP CONNECT.
    Http,
}

/// A proxy on a free loopback port, serving each connection on a thread
/// of its own until dropped.
pub struct TestProxy {
    addr: SocketAddr,
    /// The target each connection asked for (`host:port` as sent: a name
    /// or an address), in order.
    targets: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

type Handler = dyn Fn(usize, TcpStream, &Mutex<Vec<String>>) + Send + Sync;

impl TestProxy {
    /// A relaying proxy; with `auth`, SOCKS5 demands username/password
    /// and HTTP a `Proxy-Authorization: Basic` header for that pair.
    pub fn relay(kind: Kind, auth: Option<(&str, &str)>) -> TestProxy {
        let auth = auth.map(|(u, p)| (u.to_string(), p.to_string()));
        TestProxy::start(Arc::new(move |_, client, targets: &Mutex<Vec<String>>| {
            let _ = match kind {
                Kind::Socks5 => socks5_relay(client, auth.as_ref(), targets),
                Kind::Http => http_relay(client, auth.as_ref(), targets),
            };
        }))
    }

    /// Serves one connection as [`TestProxy::relay`] does (for scripts
    /// that relay some connections and not others).
    pub fn serve(kind: Kind, client: TcpStream) {
        let targets = Mutex::new(Vec::new());
        let _ = match kind {
            Kind::Socks5 => socks5_relay(client, None, &targets),
            Kind::Http => http_relay(client, None, &targets),
        };
    }

    /// A proxy whose `n`-th connection (from 0) is handed to `script`.
    pub fn scripted(script: impl Fn(usize, TcpStream) + Send + Sync + 'static) -> TestProxy {
        TestProxy::start(Arc::new(move |n, client, _: &Mutex<Vec<String>>| {
            script(n, client)
        }))
    }

    fn start(handler: Arc<Handler>) -> TestProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy listener");
        let addr = listener.local_addr().unwrap();
        let targets = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (t, s) = (targets.clone(), stop.clone());
        std::thread::spawn(move || {
            for (n, conn) in listener.incoming().enumerate() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let (Ok(conn), h, t) = (conn, handler.clone(), t.clone()) else {
                    continue;
                };
                std::thread::spawn(move || h(n, conn, &t));
            }
        });
        TestProxy {
            addr,
            targets,
            stop,
        }
    }

    /// The proxy's port (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The target of each connection relayed so far, in order.
    pub fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }
}

impl Drop for TestProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accept loop
    }
}

/// Reads a SOCKS5 greeting and returns the offered methods.
pub fn socks5_greeting(c: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut head = [0u8; 2];
    c.read_exact(&mut head)?;
    let mut methods = vec![0u8; usize::from(head[1])];
    c.read_exact(&mut methods)?;
    Ok(methods)
}

/// Reads an RFC 1929 user/password message (version, user, password).
pub fn socks5_credentials(c: &mut TcpStream) -> io::Result<(String, String)> {
    let mut version = [0u8; 1];
    c.read_exact(&mut version)?;
    let mut field = || -> io::Result<String> {
        let mut len = [0u8; 1];
        c.read_exact(&mut len)?;
        let mut v = vec![0u8; usize::from(len[0])];
        c.read_exact(&mut v)?;
        Ok(String::from_utf8_lossy(&v).into_owned())
    };
    Ok((field()?, field()?))
}

/// Reads a SOCKS5 CONNECT request and returns its target as `host:port`
/// (IPv6 in brackets).
pub fn socks5_request(c: &mut TcpStream) -> io::Result<String> {
    let mut head = [0u8; 4];
    c.read_exact(&mut head)?;
    let host = match head[3] {
        1 => {
            let mut a = [0u8; 4];
            c.read_exact(&mut a)?;
            std::net::Ipv4Addr::from(a).to_string()
        }
        4 => {
            let mut a = [0u8; 16];
            c.read_exact(&mut a)?;
            format!("[{}]", std::net::Ipv6Addr::from(a))
        }
        3 => {
            let mut len = [0u8; 1];
            c.read_exact(&mut len)?;
            let mut name = vec![0u8; usize::from(len[0])];
            c.read_exact(&mut name)?;
            String::from_utf8_lossy(&name).into_owned()
        }
        t => return Err(io::Error::other(format!("address type {t}"))),
    };
    let mut port = [0u8; 2];
    c.read_exact(&mut port)?;
    Ok(format!("{host}:{}", u16::from_be_bytes(port)))
}

/// A SOCKS5 reply with `code` and a zero IPv4 bound address.
pub fn socks5_reply(code: u8) -> [u8; 10] {
    [5, code, 0, 1, 0, 0, 0, 0, 0, 0]
}

fn socks5_relay(
    mut c: TcpStream,
    auth: Option<&(String, String)>,
    targets: &Mutex<Vec<String>>,
) -> io::Result<()> {
    let methods = socks5_greeting(&mut c)?;
    match auth {
        None if methods.contains(&0) => c.write_all(&[5, 0])?,
        Some(want) if methods.contains(&2) => {
            c.write_all(&[5, 2])?;
            let ok = socks5_credentials(&mut c)? == *want;
            c.write_all(&[1, if ok { 0 } else { 1 }])?;
            if !ok {
                return Ok(());
            }
        }
        _ => return c.write_all(&[5, 0xff]),
    }
    let target = socks5_request(&mut c)?;
    forward(c, target, targets, &socks5_reply(0), &socks5_reply(5))
}

/// Notes `target`, connects to it and relays, after answering `ok`
/// (`refused` when the target cannot be reached).
fn forward(
    mut c: TcpStream,
    target: String,
    targets: &Mutex<Vec<String>>,
    ok: &[u8],
    refused: &[u8],
) -> io::Result<()> {
    targets.lock().unwrap().push(target.clone());
    match connect(&target) {
        Ok(up) => {
            c.write_all(ok)?;
            pump(c, up);
            Ok(())
        }
        Err(_) => c.write_all(refused),
    }
}

/// Reads an HTTP request header; returns its lines (without CRLF).
pub fn http_request(c: &mut TcpStream) -> io::Result<Vec<String>> {
    let mut r = BufReader::new(c);
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let line = line.trim_end().to_string();
        if line.is_empty() {
            return Ok(lines);
        }
        lines.push(line);
    }
}

fn http_relay(
    mut c: TcpStream,
    auth: Option<&(String, String)>,
    targets: &Mutex<Vec<String>>,
) -> io::Result<()> {
    // The client sends nothing more before the answer: the reader's
    // buffer holds nothing of the relayed bytes.
    let lines = http_request(&mut c)?;
    let target = lines[0]
        .strip_prefix("CONNECT ")
        .and_then(|r| r.strip_suffix(" HTTP/1.1"))
        .unwrap_or("")
        .to_string();
    if let Some((u, p)) = auth {
        let want = format!("Proxy-Authorization: Basic {}", base64(&format!("{u}:{p}")));
        if !lines.contains(&want) {
            return c.write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
        }
    }
    forward(
        c,
        target,
        targets,
        b"HTTP/1.1 200 Connection established\r\n\r\n",
        b"HTTP/1.1 502 Bad Gateway\r\n\r\n",
    )
}

fn connect(target: &str) -> io::Result<TcpStream> {
    let mut last = io::Error::other("no address");
    for addr in target.to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(5)) {
            Ok(s) => return Ok(s),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Copies both ways until each side ends, passing half-closes on.
fn pump(a: TcpStream, b: TcpStream) {
    let (a2, b2) = (a.try_clone().unwrap(), b.try_clone().unwrap());
    let t = std::thread::spawn(move || copy(a2, b2));
    copy(b, a);
    let _ = t.join();
}

fn copy(mut from: TcpStream, mut to: TcpStream) {
    let _ = io::copy(&mut from, &mut to);
    let _ = to.shutdown(Shutdown::Write);
}

/// Standard base64 (RFC 4648), for checking Basic credentials.
pub fn base64(text: &str) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
