//! A scripted FTP server for tests: each test writes the server's side of
//! the conversation as plain Rust code (a closure run on its own thread),
//! so it can send what real servers never send: bad or huge replies,
//! replies split byte by byte, drops, stalls, spoofed PASV addresses.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub mod proxy;
pub mod scenarios;
pub mod wan;

/// The FEAT reply of [`Conn::greet_and_login`]: two features, not UTF8, so
/// the client sends no `OPTS UTF8 ON` after logging in.
pub const LOGIN_FEATURES: &str = "211-Features:\r\n MDTM\r\n SIZE\r\n211 End";

/// The server side of one control connection.
pub struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    data_listener: Option<TcpListener>,
    /// Every command line received, in order (Telnet IP and DM removed,
    /// as servers do: see [`Conn::read_cmd`]).
    pub received: Vec<String>,
    /// Every command line received, exactly as sent (CRLF removed).
    pub raw_received: Vec<Vec<u8>>,
}

impl Conn {
    /// The next control connection on `listener`, with urgent data (ABOR's
    /// Synch) kept in the stream, like vsftpd and pyftpdlib.
    fn accept(listener: &TcpListener) -> Conn {
        let (sock, _) = listener.accept().expect("accepting control connection");
        socket2::SockRef::from(&sock)
            .set_out_of_band_inline(true)
            .expect("SO_OOBINLINE");
        Conn {
            reader: BufReader::new(sock.try_clone().unwrap()),
            writer: sock,
            data_listener: None,
            received: Vec::new(),
            raw_received: Vec::new(),
        }
    }

    /// Sends `text` followed by CRLF.
    pub fn reply(&mut self, text: &str) {
        self.send_raw(format!("{text}\r\n").as_bytes());
    }

    /// Sends bytes exactly as given (errors ignored: the client may be gone).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let _ = self.writer.write_all(bytes);
        let _ = self.writer.flush();
    }

    /// Sends bytes exactly as given and reports whether the client took them
    /// (an error once the client has closed the connection).
    pub fn try_send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer.write_all(bytes)?;
        self.writer.flush()
    }

    /// Half-closes the control connection: the client reads EOF, while the
    /// server can still see what the client sends (and when it closes).
    pub fn shutdown_write(&mut self) {
        let _ = self.writer.shutdown(Shutdown::Write);
    }

    /// Bounds every later wait for a command (`None`: wait forever). A
    /// command that does not come in time reads as `None`; see
    /// [`Conn::expect_eof`] for a wait that tells the two apart.
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) {
        self.reader
            .get_ref()
            .set_read_timeout(timeout)
            .expect("setting the read timeout");
    }

    /// Panics unless the client closes the control connection (a FIN, or a
    /// reset when it left our bytes unread) without sending anything more;
    /// a command or a timeout is a failure.
    pub fn expect_eof(&mut self) {
        let mut line = Vec::new();
        match self.reader.read_until(b'\n', &mut line) {
            Ok(0) => {}
            // A client that closes with our bytes unread sends a reset.
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => {}
            Ok(_) => panic!(
                "scripted server expected the client to close, got {:?}",
                String::from_utf8_lossy(&line)
            ),
            Err(e) => panic!("scripted server expected the client to close, got error {e}"),
        }
    }

    /// Reads and discards whatever the client sends (say, a TLS
    /// ClientHello) until it closes the connection; panics if it does not
    /// within the read timeout.
    pub fn discard_until_close(&mut self) {
        let mut sink = [0u8; 4096];
        loop {
            match self.reader.read(&mut sink) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::ConnectionReset => return,
                Err(e) => panic!("scripted server expected the client to close, got error {e}"),
            }
        }
    }

    /// Closes the passive listener without accepting: a data connection the
    /// client already opened (queued by the kernel) is reset.
    pub fn close_passive(&mut self) {
        self.data_listener = None;
    }

    /// Sends bytes one at a time with a pause between them.
    pub fn send_trickle(&mut self, bytes: &[u8], pause: Duration) {
        for b in bytes {
            self.send_raw(&[*b]);
            std::thread::sleep(pause);
        }
    }

    /// Reads the next command line (without CRLF); `None` when the client
    /// closed. Telnet "Interrupt Process" and "Data Mark" (IAC IP, IAC DM,
    /// which RFC 959 puts before ABOR) are removed, as servers do; the raw
    /// line is kept in [`Conn::raw_received`].
    pub fn read_cmd(&mut self) -> Option<String> {
        let mut line = Vec::new();
        match self.reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => {
                while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    line.pop();
                }
                self.raw_received.push(line.clone());
                let s = String::from_utf8_lossy(&strip_telnet(&line)).into_owned();
                self.received.push(s.clone());
                Some(s)
            }
        }
    }

    /// Reads the next command and panics unless it starts with `prefix`.
    pub fn expect(&mut self, prefix: &str) -> String {
        match self.read_cmd() {
            Some(c) if c.starts_with(prefix) => c,
            other => panic!("scripted server expected {prefix:?}, got {other:?}"),
        }
    }

    /// Reads a command starting with `prefix` and answers `reply`.
    pub fn exchange(&mut self, prefix: &str, reply: &str) -> String {
        let c = self.expect(prefix);
        self.reply(reply);
        c
    }

    /// The usual opening: welcome, USER/PASS accepted, then the FEAT a
    /// UTF-8 session sends after logging in, answered with
    /// [`LOGIN_FEATURES`] (no UTF8, so no `OPTS UTF8 ON` follows).
    pub fn greet_and_login(&mut self) {
        self.reply("220 scripted server ready");
        self.login_answering_feat(LOGIN_FEATURES);
    }

    /// USER/PASS accepted (331, 230), then the FEAT that follows a UTF-8
    /// session's login answered with `feat` (whole reply, CRLF between its
    /// lines, none at the end). The caller scripts what comes next (an
    /// `OPTS UTF8 ON` when `feat` advertises UTF8).
    pub fn login_answering_feat(&mut self, feat: &str) {
        self.exchange("USER", "331 password please");
        self.exchange("PASS", "230 logged in");
        self.exchange("FEAT", feat);
    }

    /// Opens a listener for a passive data connection and returns its port.
    pub fn open_passive(&mut self) -> u16 {
        let l = TcpListener::bind("127.0.0.1:0").expect("data listener");
        let port = l.local_addr().unwrap().port();
        self.data_listener = Some(l);
        port
    }

    /// Answers an expected EPSV with a fresh passive port.
    pub fn answer_epsv(&mut self) {
        self.expect("EPSV");
        let port = self.open_passive();
        self.reply(&format!("229 Entering Extended Passive Mode (|||{port}|)"));
    }

    /// Accepts the client's passive data connection.
    pub fn accept_data(&mut self) -> TcpStream {
        let l = self.data_listener.take().expect("no passive listener open");
        let (s, _) = l.accept().expect("accepting data connection");
        s
    }

    /// Like [`Conn::accept_data`], but panics if the client has not
    /// connected within `limit` (so a script never waits forever).
    pub fn accept_data_within(&mut self, limit: Duration) -> TcpStream {
        let l = self.data_listener.take().expect("no passive listener open");
        l.set_nonblocking(true).expect("non-blocking listener");
        let deadline = Instant::now() + limit;
        loop {
            match l.accept() {
                Ok((s, _)) => {
                    s.set_nonblocking(false).expect("blocking data connection");
                    return s;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(e) => panic!("the client did not open the data connection: {e}"),
            }
        }
    }

    /// Resets a data connection (SO_LINGER 0, then close): the peer gets
    /// ECONNRESET, and may lose bytes it had not read yet.
    pub fn reset(data: TcpStream) {
        let _ = socket2::SockRef::from(&data).set_linger(Some(Duration::ZERO));
        drop(data);
    }

    /// Reads a data connection to its end.
    pub fn read_all(mut data: TcpStream) -> Vec<u8> {
        let mut v = Vec::new();
        data.read_to_end(&mut v).expect("reading data");
        v
    }

    /// Closes the control connection.
    pub fn close(self) -> Vec<String> {
        let _ = self.writer.shutdown(Shutdown::Both);
        self.received
    }

    /// Reads commands until the client closes, answering each with `reply`.
    pub fn drain(&mut self, reply: &str) {
        while self.read_cmd().is_some() {
            self.reply(reply);
        }
    }
}

/// `line` without Telnet IAC IP and IAC DM.
fn strip_telnet(line: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        if line[i] == 0xff && matches!(line.get(i + 1), Some(0xf4) | Some(0xf2)) {
            i += 2;
            continue;
        }
        out.push(line[i]);
        i += 1;
    }
    out
}

/// A running scripted server (one control connection).
pub struct ScriptedServer {
    addr: SocketAddr,
    thread: Option<JoinHandle<Vec<String>>>,
}

impl ScriptedServer {
    /// Listens on a free loopback port and runs `script` on the first
    /// connection. The script returns the commands it saw (usually via
    /// [`Conn::close`] or `conn.received`).
    pub fn start(script: impl FnOnce(&mut Conn) + Send + 'static) -> ScriptedServer {
        Self::start_on("127.0.0.1:0", script)
    }

    /// Like [`ScriptedServer::start`] on a given address (e.g. `[::1]:0`).
    pub fn start_on(bind: &str, script: impl FnOnce(&mut Conn) + Send + 'static) -> ScriptedServer {
        let listener = TcpListener::bind(bind).expect("binding scripted server");
        let addr = listener.local_addr().unwrap();
        let thread = std::thread::spawn(move || {
            let mut conn = Conn::accept(&listener);
            script(&mut conn);
            conn.received.clone()
        });
        ScriptedServer {
            addr,
            thread: Some(thread),
        }
    }

    /// Listens on a free loopback port and runs `script(i, conn)` on each
    /// of the first `n` control connections in turn (i = 0, 1, ...): for
    /// clients that reconnect. Returns what every connection received,
    /// in order, through [`ScriptedServer::finish`].
    pub fn start_sessions(
        n: usize,
        script: impl Fn(usize, &mut Conn) + Send + 'static,
    ) -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding scripted server");
        let addr = listener.local_addr().unwrap();
        let thread = std::thread::spawn(move || {
            let mut all = Vec::new();
            for i in 0..n {
                let mut conn = Conn::accept(&listener);
                script(i, &mut conn);
                all.extend(conn.received.iter().map(|c| format!("{i}:{c}")));
            }
            all
        });
        ScriptedServer {
            addr,
            thread: Some(thread),
        }
    }

    /// The address to connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The port to connect to.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Waits for the script to end and returns the commands it received;
    /// panics (failing the test) if the script panicked.
    pub fn finish(mut self) -> Vec<String> {
        match self.thread.take().unwrap().join() {
            Ok(v) => v,
            Err(p) => std::panic::resume_unwind(p),
        }
    }

    /// Waits for the script to end: the commands it received, or the text
    /// of its panic (the script's expectations failed).
    pub fn join(mut self) -> Result<Vec<String>, String> {
        self.thread.take().unwrap().join().map_err(|p| {
            if let Some(s) = p.downcast_ref::<&str>() {
                s.to_string()
            } else if let Some(s) = p.downcast_ref::<String>() {
                s.clone()
            } else {
                "the script panicked".to_string()
            }
        })
    }
}
