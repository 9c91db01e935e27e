//! The byte stream under the control and data connections: TCP now, TCP or
//! TLS once a connection is secured, with the session's timeouts applied.
//!
//! Two kinds of timeout exist: a *deadline* (the whole of one reply must
//! arrive before it) and an *idle* timeout (each single read or write must
//! make progress within it). Both are enforced with the socket's own
//! `SO_RCVTIMEO`/`SO_SNDTIMEO`, so no read ever blocks past them.

use openssl::ssl::{ErrorCode, ShutdownResult, SslStream};
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// The transport of a connection.
#[derive(Debug)]
pub(crate) enum Transport {
    /// Clear text.
    Tcp(TcpStream),
    /// TLS over TCP.
    Tls(Box<SslStream<TcpStream>>),
}

/// A connection to the server.
#[derive(Debug)]
pub struct NetStream {
    transport: Transport,
    idle: Option<Duration>,
    deadline: Option<Instant>,
    applied_read_timeout: Option<Duration>,
    /// Set by [`NetStream::batch_reads`]: reads wait in slices this long.
    read_slice: Option<Duration>,
}

impl NetStream {
    /// Wraps a connected TCP socket; `idle` bounds each read and write.
    pub fn new(tcp: TcpStream, idle: Option<Duration>) -> io::Result<NetStream> {
        tcp.set_nodelay(true)?;
        tcp.set_read_timeout(idle)?;
        tcp.set_write_timeout(idle)?;
        Ok(NetStream {
            transport: Transport::Tcp(tcp),
            idle,
            deadline: None,
            applied_read_timeout: idle,
            read_slice: None,
        })
    }

    /// For bulk downloads on clear-text TCP: a blocked read wakes only once
    /// `lowat` bytes are queued (or at the end of the data), which saves
    /// wake-ups and keeps the reader off the sender's CPU on loopback
    /// (BENCHMARKS.md). To keep the timeouts exact, reads then wait in
    /// slices of at most `slice`: fewer bytes than `lowat` are handed over
    /// within one slice, and a read fails only after the whole idle timeout
    /// (or deadline) without a byte. Does nothing under TLS, where a
    /// server waiting for our close_notify would cost a slice.
    pub(crate) fn batch_reads(&mut self, lowat: usize, slice: Duration) -> io::Result<()> {
        let Transport::Tcp(tcp) = &self.transport else {
            return Ok(());
        };
        crate::sys::set_recv_lowat(tcp, lowat)?;
        let slice = self.idle.map_or(slice, |i| i.min(slice)).max(MIN_WAIT);
        self.read_slice = Some(slice);
        self.apply_read_timeout(Some(slice))
    }

    /// The idle timeout of reads and writes.
    pub fn idle_timeout(&self) -> Option<Duration> {
        self.idle
    }

    /// The TCP socket underneath.
    pub fn tcp(&self) -> &TcpStream {
        match &self.transport {
            Transport::Tcp(t) => t,
            Transport::Tls(s) => s.get_ref(),
        }
    }

    /// True when the connection is protected by TLS.
    pub fn is_tls(&self) -> bool {
        matches!(self.transport, Transport::Tls(_))
    }

    /// Wraps an established TLS connection; `idle` bounds each read and write.
    pub(crate) fn new_tls(
        tls: SslStream<TcpStream>,
        idle: Option<Duration>,
    ) -> io::Result<NetStream> {
        let mut s = NetStream::new(tls.get_ref().try_clone()?, idle)?;
        s.transport = Transport::Tls(Box::new(tls));
        Ok(s)
    }

    /// Lets OpenSSL read what the peer sent after the handshake (TLS 1.3
    /// session tickets) without consuming any application data: peeks for
    /// at most `wait`.
    pub(crate) fn process_tls_tickets(&mut self, wait: Duration) {
        let Transport::Tls(s) = &mut self.transport else {
            return;
        };
        let tcp = s.get_ref();
        if tcp.set_read_timeout(Some(wait)).is_ok() {
            let mut one = [0u8; 1];
            let _ = s.ssl_peek(&mut one);
        }
        let _ = s.get_ref().set_read_timeout(self.applied_read_timeout);
    }

    /// The TLS session of a TLS connection.
    pub(crate) fn tls_session(&self) -> Option<openssl::ssl::SslSession> {
        match &self.transport {
            Transport::Tls(s) => s.ssl().session().map(|x| x.to_owned()),
            Transport::Tcp(_) => None,
        }
    }

    /// Replaces the transport (after a TLS handshake or a CCC).
    pub(crate) fn put_transport(&mut self, transport: Transport) {
        self.transport = transport;
    }

    /// Sends TLS close_notify (if TLS) and waits, within the current
    /// timeouts, for the peer's; stays on TCP afterwards. Used by CCC.
    pub(crate) fn tls_shutdown_keep_tcp(&mut self) -> io::Result<()> {
        let Transport::Tls(s) = &mut self.transport else {
            return Ok(());
        };
        let tcp = s.get_ref().try_clone()?;
        tls_close(s)?;
        self.transport = Transport::Tcp(tcp);
        Ok(())
    }

    /// Ends a connection in order: TLS close_notify both ways (bounded by
    /// the idle timeout) then a TCP half-close.
    pub(crate) fn close_in_order(&mut self) -> io::Result<()> {
        if let Transport::Tls(s) = &mut self.transport {
            tls_close(s)?;
        }
        match self.tcp().shutdown(Shutdown::Write) {
            Err(e) if e.kind() != io::ErrorKind::NotConnected => Err(e),
            _ => Ok(()),
        }
    }

    /// Sets or clears a deadline for reads (used while waiting for a reply).
    pub fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
    }

    /// Changes the idle timeout of reads and writes.
    pub fn set_idle_timeout(&mut self, idle: Option<Duration>) -> io::Result<()> {
        self.idle = idle;
        self.tcp().set_write_timeout(idle)?;
        self.tcp().set_read_timeout(idle)?;
        self.applied_read_timeout = idle;
        Ok(())
    }

    fn arm_read(&mut self) -> io::Result<()> {
        let wanted = match self.deadline {
            Some(d) => {
                let now = Instant::now();
                if now >= d {
                    return Err(io::Error::new(io::ErrorKind::TimedOut, "deadline passed"));
                }
                let left = d - now;
                Some(match self.idle {
                    Some(i) => left.min(i),
                    None => left,
                })
            }
            None => self.idle,
        };
        self.apply_read_timeout(wanted)
    }

    fn apply_read_timeout(&mut self, wanted: Option<Duration>) -> io::Result<()> {
        if wanted != self.applied_read_timeout {
            self.tcp().set_read_timeout(wanted)?;
            self.applied_read_timeout = wanted;
        }
        Ok(())
    }

    fn transport_read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.transport {
            Transport::Tcp(t) => t.read(buf),
            Transport::Tls(s) => s.read(buf),
        }
    }

    /// A read after [`NetStream::batch_reads`]: slices of `slice` until a
    /// byte comes, the end of the data, or the idle timeout (or deadline)
    /// runs out.
    fn read_in_slices(&mut self, buf: &mut [u8], slice: Duration) -> io::Result<usize> {
        let idle_end = self.idle.map(|i| Instant::now() + i);
        let limit = match (idle_end, self.deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        loop {
            let wait = match limit {
                Some(l) => {
                    let now = Instant::now();
                    if now >= l {
                        return Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            "no data within the timeout",
                        ));
                    }
                    (l - now).min(slice).max(MIN_WAIT)
                }
                None => slice,
            };
            self.apply_read_timeout(Some(wait))?;
            match self.transport_read(buf) {
                Err(e) if is_timeout(&e) || e.kind() == io::ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }
}

/// The shortest socket timeout set (zero would mean "none").
const MIN_WAIT: Duration = Duration::from_millis(1);

/// True for the errors a socket timeout gives.
fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

impl Read for NetStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(slice) = self.read_slice {
            return self.read_in_slices(buf, slice);
        }
        self.arm_read()?;
        self.transport_read(buf)
    }
}

impl Write for NetStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.transport {
            Transport::Tcp(t) => t.write(buf),
            Transport::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.transport {
            Transport::Tcp(t) => t.flush(),
            Transport::Tls(s) => s.flush(),
        }
    }
}

/// Sends close_notify and reads until the peer's close_notify (or its
/// close of the TCP connection), discarding data the peer still sends.
fn tls_close(s: &mut SslStream<TcpStream>) -> io::Result<()> {
    let to_io = |e: openssl::ssl::Error| match e.into_io_error() {
        Ok(io) => io,
        Err(e) => io::Error::other(e),
    };
    match s.shutdown() {
        Ok(ShutdownResult::Received) => return Ok(()),
        Ok(ShutdownResult::Sent) => {}
        // The peer already closed the TCP connection.
        Err(e) if e.code() == ErrorCode::SYSCALL || e.code() == ErrorCode::ZERO_RETURN => {
            return Ok(())
        }
        Err(e) => return Err(to_io(e)),
    }
    let mut sink = [0u8; 4096];
    loop {
        match s.ssl_read(&mut sink) {
            Ok(_) => continue,
            Err(e) if e.code() == ErrorCode::ZERO_RETURN => return Ok(()),
            Err(e) if e.code() == ErrorCode::SYSCALL && e.io_error().is_none() => return Ok(()),
            Err(e) => return Err(to_io(e)),
        }
    }
}
