//! A WAN simulator for tests and benchmarks: a TCP delay proxy between an
//! FTP client and a real server on loopback, adding a round-trip time and,
//! optionally, a per-connection bandwidth cap (`tc netem` is not available
//! on the machines this runs on).
//!
//! The proxy listens on [`LISTEN_IP`] (127.0.0.2 by default): one free port
//! for the control connection, and every port of the server's passive
//! range (vsftpd's `pasv_min_port..=pasv_max_port`, exported by
//! tests/servers/ftpservers.py as `FTP_TEST_<NAME>_PASV_MIN/MAX`). The
//! client connects to 127.0.0.2; the server's `227` reply names
//! 127.0.0.1, which the client distrusts by default (it uses the control
//! connection's peer address with the announced port) and `229` names only
//! the port, so the data connections land on the proxy too, which relays
//! 127.0.0.2:p to the server's address at port p. Nothing is rewritten, so
//! this works unchanged under TLS (explicit or implicit). The server sees
//! every connection come from 127.0.0.1.
//!
//! Each direction of each connection is a pipe: a reader thread stamps
//! every chunk it reads with the time it is due (`rtt / 2` later) and goes
//! on reading; a writer thread releases the chunks in order when they are
//! due, paced by a token bucket when [`WanConfig::rate`] is set. So the
//! throughput is not one chunk per round trip: as on a real link, data
//! keeps flowing and only arrives later. At most [`WINDOW`] bytes are in
//! flight per direction (the reader stops reading beyond it, so the
//! sender's TCP flow control applies, as with a TCP window). An end of
//! stream (FIN) is passed on after the data before it, as a half-close; a
//! reset is passed on as a close; a failed write closes both sides of the
//! source.
//!
//! Limits: active mode (PORT/EPRT: the server connects to the client) is
//! not relayed; the TCP handshake is not delayed (the client's connect to
//! the proxy completes at once, so a data connection costs no extra round
//! trip of its own, unlike on a real link); the delay is applied to the
//! data only, not to TCP's acknowledgements, so the window does not shrink
//! the throughput as `WINDOW / rtt` would; no loss, jitter or reordering.
//!
//! ```no_run
//! use ftp_testkit::wan::{WanConfig, WanProxy};
//! use std::time::Duration;
//! let cfg = WanConfig { rtt: Duration::from_millis(10), rate: None };
//! let proxy = WanProxy::start("127.0.0.1:2121".parse().unwrap(), 30000..=30999, cfg).unwrap();
//! // connect the client to 127.0.0.2:proxy.port()
//! # let _ = proxy.port();
//! ```

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::ops::RangeInclusive;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The default address the proxy listens on.
pub const LISTEN_IP: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);

/// The most bytes in flight (read, not yet written) per direction of a
/// connection.
pub const WINDOW: usize = 8 * 1024 * 1024;

/// The size of the reads.
const CHUNK: usize = 64 * 1024;

/// The simulated link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WanConfig {
    /// The round-trip time added: each direction delays its data by half.
    pub rtt: Duration,
    /// The bandwidth cap in bytes per second, per connection and per
    /// direction (`None`: as fast as loopback).
    pub rate: Option<u64>,
}

/// A running proxy. Dropping it stops accepting new connections (and
/// frees the listening ports); the connections already relayed go on
/// until they end.
pub struct WanProxy {
    port: u16,
    ip: IpAddr,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl WanProxy {
    /// Relays [`LISTEN_IP`]`:port` (a free port, see [`WanProxy::port`]) to
    /// `control`, and [`LISTEN_IP`]`:p` to `control.ip():p` for every p of
    /// `pasv` (the server's passive range), through a link of `cfg`.
    pub fn start(
        control: SocketAddr,
        pasv: RangeInclusive<u16>,
        cfg: WanConfig,
    ) -> io::Result<WanProxy> {
        WanProxy::start_on(IpAddr::V4(LISTEN_IP), control, pasv, cfg)
    }

    /// [`WanProxy::start`] listening on `listen` (which must differ from
    /// `control.ip()`, since the passive ports are the same numbers).
    pub fn start_on(
        listen: IpAddr,
        control: SocketAddr,
        pasv: RangeInclusive<u16>,
        cfg: WanConfig,
    ) -> io::Result<WanProxy> {
        raise_open_files_limit();
        let ctl = TcpListener::bind((listen, 0))?;
        let port = ctl.local_addr()?.port();
        let mut listeners = vec![(control, ctl)];
        for p in pasv {
            let l = TcpListener::bind((listen, p))
                .map_err(|e| io::Error::new(e.kind(), format!("binding {listen}:{p}: {e}")))?;
            listeners.push((SocketAddr::new(control.ip(), p), l));
        }
        for (_, l) in &listeners {
            l.set_nonblocking(true)?;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let acceptor = std::thread::Builder::new()
            .name("wan-accept".into())
            .spawn(move || accept_loop(listeners, cfg, stop2))?;
        Ok(WanProxy {
            port,
            ip: listen,
            stop,
            acceptor: Some(acceptor),
        })
    }

    /// The control port (on [`WanProxy::ip`]).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address the proxy listens on.
    pub fn ip(&self) -> IpAddr {
        self.ip
    }
}

impl Drop for WanProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.acceptor.take() {
            let _ = h.join();
        }
    }
}

/// Waits on all the listeners at once (poll(2), 100 ms at a time to see
/// `stop`) and relays every connection accepted to its upstream.
fn accept_loop(listeners: Vec<(SocketAddr, TcpListener)>, cfg: WanConfig, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::SeqCst) {
        let ready: Vec<usize> = {
            let mut fds: Vec<PollFd> = listeners
                .iter()
                .map(|(_, l)| PollFd::new(std::os::fd::AsFd::as_fd(l), PollFlags::POLLIN))
                .collect();
            match poll(&mut fds, PollTimeout::from(100u16)) {
                Ok(0) => continue,
                Ok(_) => fds
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.revents().is_some_and(|r| !r.is_empty()))
                    .map(|(i, _)| i)
                    .collect(),
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => panic!("wan proxy: poll: {e}"),
            }
        };
        for i in ready {
            let (upstream, l) = &listeners[i];
            while let Ok((client, _)) = l.accept() {
                let upstream = *upstream;
                let _ = std::thread::Builder::new()
                    .name("wan-conn".into())
                    .spawn(move || relay(client, upstream, cfg));
            }
        }
    }
}

/// Connects to `upstream` and relays both directions through the link.
fn relay(client: TcpStream, upstream: SocketAddr, cfg: WanConfig) {
    let _ = client.set_nonblocking(false);
    let server = match TcpStream::connect(upstream) {
        Ok(s) => s,
        Err(_) => {
            // Refused: the client sees its connection closed.
            let _ = client.shutdown(Shutdown::Both);
            return;
        }
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let up = std::thread::Builder::new()
        .name("wan-up".into())
        .spawn(move || direction(c2, s2, cfg));
    direction(server, client, cfg);
    if let Ok(h) = up {
        let _ = h.join();
    }
}

enum Msg {
    /// Bytes read, due at the instant.
    Data(Instant, Vec<u8>),
    /// The source ended (FIN or error), due at the instant.
    End(Instant),
}

/// Bytes in flight, and whether the writer is gone.
struct Budget {
    state: Mutex<(usize, bool)>,
    cv: Condvar,
}

impl Budget {
    /// Waits until `n` more bytes fit; false if the writer is gone.
    fn take(&self, n: usize) -> bool {
        let mut st = self.state.lock().unwrap();
        while st.0 > 0 && st.0 + n > WINDOW && !st.1 {
            st = self.cv.wait(st).unwrap();
        }
        st.0 += n;
        !st.1
    }

    fn give(&self, n: usize) {
        let mut st = self.state.lock().unwrap();
        st.0 -= n;
        self.cv.notify_all();
    }

    fn close(&self) {
        self.state.lock().unwrap().1 = true;
        self.cv.notify_all();
    }
}

/// One direction: `from` to `to`, delayed by `rtt / 2` and paced.
fn direction(from: TcpStream, to: TcpStream, cfg: WanConfig) {
    let delay = cfg.rtt / 2;
    let budget = Arc::new(Budget {
        state: Mutex::new((0, false)),
        cv: Condvar::new(),
    });
    let (tx, rx) = mpsc::channel::<Msg>();
    let (b2, from2) = (budget.clone(), from.try_clone());
    let writer = std::thread::Builder::new()
        .name("wan-write".into())
        .spawn(move || write_side(rx, to, from2.ok(), cfg.rate, b2));
    let Ok(writer) = writer else {
        return;
    };
    let mut from = from;
    let mut buf = vec![0u8; CHUNK];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => {
                let _ = tx.send(Msg::End(Instant::now() + delay));
                break;
            }
            Ok(n) => {
                let due = Instant::now() + delay;
                if !budget.take(n) || tx.send(Msg::Data(due, buf[..n].to_vec())).is_err() {
                    break;
                }
            }
        }
    }
    drop(tx);
    let _ = writer.join();
}

/// A token bucket of `rate` bytes per second holding at most `burst`.
struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    fn new(rate: u64) -> Bucket {
        let rate = rate.max(1) as f64;
        // 10 ms worth, at least 4 KiB, at most 256 KiB.
        let burst = (rate / 100.0).clamp(4096.0, 256.0 * 1024.0);
        Bucket {
            rate,
            burst,
            tokens: burst,
            last: Instant::now(),
        }
    }

    /// How many bytes may go now, waiting as needed (at most `want`).
    fn wait(&mut self, want: usize) -> usize {
        let piece = (want as f64).min(self.burst);
        loop {
            let now = Instant::now();
            let elapsed = now.duration_since(self.last).as_secs_f64();
            self.last = now;
            self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
            if self.tokens >= piece {
                self.tokens -= piece;
                return piece as usize;
            }
            let need = (piece - self.tokens) / self.rate;
            std::thread::sleep(Duration::from_secs_f64(need));
        }
    }
}

fn sleep_until(due: Instant) {
    let now = Instant::now();
    if due > now {
        std::thread::sleep(due - now);
    }
}

/// Writes what `rx` brings to `to` when it is due; at the end,
/// half-closes `to`. If a write fails, closes `from` (so its reader stops
/// and its peer learns) and drops the rest.
fn write_side(
    rx: mpsc::Receiver<Msg>,
    mut to: TcpStream,
    from: Option<TcpStream>,
    rate: Option<u64>,
    budget: Arc<Budget>,
) {
    let mut bucket = rate.map(Bucket::new);
    let mut failed = false;
    for msg in rx {
        match msg {
            Msg::Data(due, data) => {
                let n = data.len();
                if !failed {
                    sleep_until(due);
                    let mut off = 0;
                    while off < n {
                        let k = match bucket.as_mut() {
                            Some(b) => b.wait(n - off),
                            None => n - off,
                        };
                        if to.write_all(&data[off..off + k]).is_err() {
                            failed = true;
                            budget.close();
                            let _ = to.shutdown(Shutdown::Both);
                            if let Some(f) = &from {
                                let _ = f.shutdown(Shutdown::Both);
                            }
                            break;
                        }
                        off += k;
                    }
                }
                budget.give(n);
            }
            Msg::End(due) => {
                if !failed {
                    sleep_until(due);
                    let _ = to.shutdown(Shutdown::Write);
                }
                break;
            }
        }
    }
    budget.close();
}

/// Raises this process's soft limit of open files to its hard limit
/// (best effort): a proxy holds a listener per passive port (1000 for the
/// test vsftpd) plus four descriptors per relayed connection, beyond the
/// common default soft limit of 1024.
fn raise_open_files_limit() {
    use nix::sys::resource::{getrlimit, setrlimit, Resource};
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
        if soft < hard {
            let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
        }
    }
}
