//! A scripted FTPS server for tests (`mod tlsserver;`): explicit FTPS on a
//! loopback port, one control connection, the server's side written as Rust
//! code on a thread. It is as strict as vsftpd `require_ssl_reuse=YES` and
//! stricter: every protected data connection must resume the control
//! connection's TLS session (else `425 TLS session of data connection not
//! resumed` and the data connection is closed), and TLS 1.3 tickets are
//! single-use (stateful tickets, removed once resumed), so a client that
//! loses a ticket runs out of them. So it can do what real servers do not
//! do on demand: a 426 or a reset in the middle of a transfer, a stall, no
//! reply at all (Pure-FTPd), each followed by a checked full download.
#![allow(dead_code)]

use openssl::asn1::Asn1Time;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::ssl::{
    ShutdownState, SslAcceptor, SslMethod, SslOptions, SslSessionCacheMode, SslStream, SslVersion,
};
use openssl::x509::extension::SubjectAlternativeName;
use openssl::x509::{X509NameBuilder, X509};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub use ftp_testkit::LOGIN_FEATURES;

/// The 1 MiB payload of full downloads (deterministic).
pub fn payload(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| ((i as u32).wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect()
}

pub const FULL_LEN: usize = 1 << 20;

/// A fresh RSA key and a self-signed certificate for `localhost`, valid
/// for a day (also used by tests/tls_scripted.rs).
pub fn self_signed_localhost() -> (PKey<Private>, X509) {
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "localhost").unwrap();
    let name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(&key).unwrap();
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(1).unwrap())
        .unwrap();
    let san = SubjectAlternativeName::new()
        .dns("localhost")
        .build(&b.x509v3_context(None, None))
        .unwrap();
    b.append_extension(san).unwrap();
    b.sign(&key, MessageDigest::sha256()).unwrap();
    (key, b.build())
}

fn acceptor(version: SslVersion) -> SslAcceptor {
    let (key, cert) = self_signed_localhost();
    let mut a = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).unwrap();
    a.set_private_key(&key).unwrap();
    a.set_certificate(&cert).unwrap();
    a.set_min_proto_version(Some(version)).unwrap();
    a.set_max_proto_version(Some(version)).unwrap();
    // Server-side session cache: TLS 1.2 session ids, and (NO_TICKET)
    // stateful TLS 1.3 tickets, which OpenSSL accepts only once.
    a.set_session_cache_mode(SslSessionCacheMode::SERVER);
    a.set_session_id_context(b"libftp-tlsserver").unwrap();
    a.set_options(SslOptions::NO_TICKET);
    a.build()
}

/// What the server saw.
#[derive(Debug, Default, Clone)]
pub struct Log {
    /// Every command line, in order.
    pub commands: Vec<String>,
    /// Protected data connections that resumed the TLS session.
    pub resumed: u32,
    /// Protected data connections that did not (refused with 425).
    pub not_resumed: u32,
}

/// The server side of the control connection.
pub struct Ctl {
    tls: SslStream<TcpStream>,
    acceptor: Arc<SslAcceptor>,
    passive: Option<TcpListener>,
    active: Option<SocketAddr>,
    pub log: Log,
}

impl Ctl {
    /// Sends `text` + CRLF (errors ignored: the client may be gone).
    pub fn reply(&mut self, text: &str) {
        let _ = self.tls.write_all(format!("{text}\r\n").as_bytes());
        let _ = self.tls.flush();
    }

    /// The next command line; None when the client closed.
    pub fn read_cmd(&mut self) -> Option<String> {
        let mut line = Vec::new();
        let mut b = [0u8; 1];
        loop {
            match self.tls.read(&mut b) {
                Ok(1) if b[0] == b'\n' => break,
                Ok(1) => line.push(b[0]),
                _ => return None,
            }
        }
        while line.last() == Some(&b'\r') {
            line.pop();
        }
        let s = String::from_utf8_lossy(&line).into_owned();
        self.log.commands.push(s.clone());
        Some(s)
    }

    /// Reads the next command and panics unless it starts with `prefix`.
    pub fn expect(&mut self, prefix: &str) -> String {
        match self.read_cmd() {
            Some(c) if c.starts_with(prefix) => c,
            other => panic!("tlsserver expected {prefix:?}, got {other:?}"),
        }
    }

    /// Answers the FEAT a UTF-8 session sends after logging in (after
    /// PBSZ/PROT) with [`LOGIN_FEATURES`]: no UTF8, so no OPTS follows.
    pub fn answer_login_feat(&mut self) {
        self.expect("FEAT");
        self.reply(LOGIN_FEATURES);
    }

    /// Answers the commands around transfers (TYPE, EPSV, PORT, NOOP, PBSZ,
    /// PROT, DELE, and the FEAT that follows a login, with
    /// [`LOGIN_FEATURES`]) until another arrives, which is returned.
    pub fn next_transfer(&mut self) -> Option<String> {
        loop {
            let cmd = self.read_cmd()?;
            let verb = cmd.split(' ').next().unwrap_or("").to_ascii_uppercase();
            match verb.as_str() {
                "TYPE" | "PBSZ" | "PROT" => self.reply("200 OK"),
                "FEAT" => self.reply(LOGIN_FEATURES),
                "NOOP" => self.reply("200 NOOP ok"),
                "DELE" => self.reply("250 deleted"),
                "EPSV" => {
                    let l = TcpListener::bind("127.0.0.1:0").unwrap();
                    let port = l.local_addr().unwrap().port();
                    self.passive = Some(l);
                    self.active = None;
                    self.reply(&format!("229 Entering Extended Passive Mode (|||{port}|)"));
                }
                "PORT" => {
                    let n: Vec<u16> = cmd[5..]
                        .split(',')
                        .map(|x| x.trim().parse().unwrap())
                        .collect();
                    let ip = format!("{}.{}.{}.{}", n[0], n[1], n[2], n[3]);
                    self.active = Some(SocketAddr::new(ip.parse().unwrap(), n[4] * 256 + n[5]));
                    self.passive = None;
                    self.reply("200 PORT ok");
                }
                _ => return Some(cmd),
            }
        }
    }

    /// The next transfer command (after [`Ctl::next_transfer`]), answered
    /// with `preliminary` (a 150), and its resumed data connection.
    pub fn open_transfer(&mut self, preliminary: &str) -> SslStream<TcpStream> {
        self.next_transfer().expect("a transfer command");
        self.reply(preliminary);
        self.data().expect("resumed")
    }

    /// Opens the data connection of the transfer just answered with 150
    /// (passive accept or active connect) and runs the TLS handshake. A
    /// connection that does not resume the TLS session is refused with 425
    /// (None).
    pub fn data(&mut self) -> Option<SslStream<TcpStream>> {
        let tcp = match (self.passive.take(), self.active.take()) {
            (Some(l), _) => l.accept().unwrap().0,
            (None, Some(addr)) => TcpStream::connect(addr).unwrap(),
            _ => panic!("no EPSV or PORT before the transfer"),
        };
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        tcp.set_write_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let tls = self.acceptor.accept(tcp).expect("data TLS handshake");
        if !tls.ssl().session_reused() {
            self.log.not_resumed += 1;
            drop(tls);
            self.reply("425 TLS session of data connection not resumed");
            return None;
        }
        self.log.resumed += 1;
        Some(tls)
    }

    /// Serves one complete download of `data` (RETR expected): 150, the
    /// bytes, close_notify, 226. False if the data connection was refused.
    pub fn serve_download(&mut self, data: &[u8]) -> bool {
        let cmd = self.next_transfer().expect("a RETR");
        assert!(cmd.starts_with("RETR"), "expected RETR, got {cmd:?}");
        self.reply(&format!("150 here it comes ({} bytes)", data.len()));
        let Some(mut d) = self.data() else {
            return false;
        };
        d.write_all(data).unwrap();
        close_tls(d);
        self.reply("226 Transfer complete");
        true
    }

    /// Serves one complete upload (STOR expected); returns the bytes.
    pub fn serve_upload(&mut self) -> Option<Vec<u8>> {
        let cmd = self.next_transfer().expect("a STOR");
        assert!(cmd.starts_with("STOR"), "expected STOR, got {cmd:?}");
        self.reply("150 send it");
        let mut d = self.data()?;
        let mut got = Vec::new();
        let _ = d.read_to_end(&mut got);
        close_tls(d);
        self.reply("226 stored");
        Some(got)
    }

    /// Answers NOOP and QUIT until the client closes.
    pub fn until_quit(&mut self) {
        while let Some(cmd) = self.next_transfer() {
            if cmd.starts_with("QUIT") {
                self.reply("221 bye");
                let _ = self.tls.shutdown();
                return;
            }
            self.reply("500 unexpected");
        }
    }
}

/// Sends close_notify, waits briefly for the peer's, closes.
pub fn close_tls(mut d: SslStream<TcpStream>) {
    let _ = d.shutdown();
    let _ = d.get_ref().set_read_timeout(Some(Duration::from_secs(5)));
    let mut sink = [0u8; 4096];
    while matches!(d.ssl_read(&mut sink), Ok(n) if n > 0) {}
    let _ = d.get_ref().shutdown(Shutdown::Both);
}

/// Resets a data connection (RST, no close_notify); see [`discard`].
pub fn reset(d: SslStream<TcpStream>) {
    let _ = socket2::SockRef::from(d.get_ref()).set_linger(Some(Duration::ZERO));
    discard(d);
}

/// Frees a data connection that ended badly the way vsftpd does (it calls
/// SSL_shutdown before SSL_free, whatever happened): marked shut down, so
/// OpenSSL keeps its TLS session in the server's cache. A server that frees
/// it without (OpenSSL then drops a TLS 1.2 session that the control
/// connection shares) cannot be resumed by any client afterwards.
pub fn discard(mut d: SslStream<TcpStream>) {
    d.set_shutdown(ShutdownState::SENT | ShutdownState::RECEIVED);
    drop(d);
}

/// Reads (and drops) what the client sends until it resets or closes.
pub fn drain_until_closed(d: &mut SslStream<TcpStream>) {
    let mut sink = [0u8; 65536];
    loop {
        match d.read(&mut sink) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// A running scripted FTPS server.
pub struct TlsFtpServer {
    port: u16,
    thread: Option<JoinHandle<Log>>,
}

impl TlsFtpServer {
    /// Listens on 127.0.0.1 and runs `script` after the login (220, AUTH
    /// TLS, handshake, USER/PASS) on the first connection: the script sees
    /// what follows PASS (PBSZ/PROT, then FEAT; see
    /// [`Ctl::answer_login_feat`] and [`Ctl::next_transfer`]). TLS `version`
    /// only (1.2 or 1.3).
    pub fn start(version: SslVersion, script: impl FnOnce(&mut Ctl) + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let acceptor = Arc::new(acceptor(version));
        let thread = std::thread::spawn(move || {
            let (mut tcp, _) = listener.accept().unwrap();
            tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            tcp.write_all(b"220 scripted FTPS server\r\n").unwrap();
            let mut line = Vec::new();
            let mut b = [0u8; 1];
            while tcp.read(&mut b).unwrap() == 1 && b[0] != b'\n' {
                line.push(b[0]);
            }
            assert_eq!(String::from_utf8_lossy(&line).trim_end(), "AUTH TLS");
            tcp.write_all(b"234 go ahead\r\n").unwrap();
            let tls = acceptor.accept(tcp).expect("control TLS handshake");
            let mut ctl = Ctl {
                tls,
                acceptor,
                passive: None,
                active: None,
                log: Log::default(),
            };
            ctl.expect("USER");
            ctl.reply("331 password please");
            ctl.expect("PASS");
            ctl.reply("230 logged in");
            script(&mut ctl);
            ctl.log
        });
        TlsFtpServer {
            port,
            thread: Some(thread),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Waits for the script; panics (failing the test) if it panicked.
    pub fn finish(mut self) -> Log {
        match self.thread.take().unwrap().join() {
            Ok(log) => log,
            Err(p) => std::panic::resume_unwind(p),
        }
    }
}
