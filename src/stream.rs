//! The byte stream under the control and data connections: TCP now, TCP or
//! TLS once a connection is secured, with the session's timeouts applied.
//!
//! Two kinds of timeout exist: a *deadline* (the whole of one reply must
//! arrive before it) and an *idle* timeout (each single read or write must
//! make progress within it). Both are enforced with the socket's own
//! `SO_RCVTIMEO`/`SO_SNDTIMEO`, so no read ever blocks past them. A stream
//! with a [`CancelToken`] waits in slices of at most [`cancel::SLICE`] and
//! fails with a cancelled I/O error once the token is set.

use crate::cancel::{self, CancelToken};
use openssl::ssl::{ErrorCode, ShutdownResult, ShutdownState, SslStream};
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
    applied_write_timeout: Option<Duration>,
    /// Looked at between the slices of every wait.
    cancel: Option<CancelToken>,
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
            applied_write_timeout: idle,
            cancel: None,
        })
    }

    /// Makes every wait of this stream cancellable through `token`.
    pub(crate) fn set_cancel(&mut self, token: CancelToken) {
        self.cancel = Some(token);
    }

    /// The cancel token of this stream, if any.
    pub(crate) fn cancel_token(&self) -> Option<&CancelToken> {
        self.cancel.as_ref()
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

    /// Lets OpenSSL take in what the peer has already sent (TLS 1.3 session
    /// tickets) without waiting and without consuming application data, so
    /// a ticket is kept even when the connection is closed or cut next.
    pub(crate) fn process_tls_records_now(&mut self) {
        if let Transport::Tls(s) = &mut self.transport {
            process_records_now(s);
        }
    }

    /// Marks a TLS connection as given up on purpose (close_notify counted
    /// as sent, nothing written): OpenSSL then does not mark its session
    /// "not resumable" when it is freed. For data connections that are cut.
    pub(crate) fn give_up_tls(&mut self) {
        if let Transport::Tls(s) = &mut self.transport {
            s.set_shutdown(ShutdownState::SENT);
        }
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
        tls_close(s, self.idle, self.cancel.as_ref())?;
        self.transport = Transport::Tcp(tcp);
        // tls_close changed the socket's timeouts behind our back.
        self.set_idle_timeout(self.idle)?;
        Ok(())
    }

    /// Ends a connection in order: TLS close_notify both ways (bounded by
    /// the idle timeout) then a TCP half-close.
    pub(crate) fn close_in_order(&mut self) -> io::Result<()> {
        if let Transport::Tls(s) = &mut self.transport {
            tls_close(s, self.idle, self.cancel.as_ref())?;
        }
        match self.tcp().shutdown(Shutdown::Write) {
            Err(e) if e.kind() != io::ErrorKind::NotConnected => Err(e),
            _ => Ok(()),
        }
    }

    /// Ends a download not read to its end (a transfer handle): closes in
    /// order like [`NetStream::close_in_order`] if the peer had finished,
    /// else returns `Ok(false)` at once (under TLS as soon as data still
    /// arrives after our close_notify; in clear text when the end of the
    /// data is not already there): the caller then cuts the connection
    /// instead of reading the rest. `Ok(true)`: closed in order.
    pub(crate) fn close_unless_data(&mut self) -> io::Result<bool> {
        match &mut self.transport {
            Transport::Tls(s) => {
                if !tls_close_until(s, self.idle, self.cancel.as_ref(), true)? {
                    return Ok(false);
                }
            }
            Transport::Tcp(t) => {
                t.set_nonblocking(true)?;
                let mut one = [0u8; 1];
                let peeked = t.peek(&mut one);
                t.set_nonblocking(false)?;
                if !matches!(peeked, Ok(0)) {
                    return Ok(false);
                }
            }
        }
        match self.tcp().shutdown(Shutdown::Write) {
            Err(e) if e.kind() != io::ErrorKind::NotConnected => Err(e),
            _ => Ok(true),
        }
    }

    /// Ends the connection in order without waiting: TLS close_notify is
    /// sent (a write of at most one wait slice), the peer's is not read;
    /// then a TCP half-close. Errors are ignored: this is a last word.
    pub(crate) fn close_now(&mut self) {
        let _ = self.tcp().set_write_timeout(Some(cancel::SLICE));
        if let Transport::Tls(s) = &mut self.transport {
            let _ = s.shutdown();
        }
        let _ = self.tcp().shutdown(Shutdown::Write);
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
        self.applied_write_timeout = idle;
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

    fn apply_write_timeout(&mut self, wanted: Option<Duration>) -> io::Result<()> {
        if wanted != self.applied_write_timeout {
            self.tcp().set_write_timeout(wanted)?;
            self.applied_write_timeout = wanted;
        }
        Ok(())
    }

    fn transport_write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.transport {
            Transport::Tcp(t) => t.write(buf),
            Transport::Tls(s) => s.write(buf),
        }
    }

    /// A write of a cancellable stream: slices until some bytes are taken,
    /// the idle timeout runs out without progress, or the token is set.
    /// `tick` is called after each slice that took nothing; `false` from it
    /// ends the write with a [`halted_io`] error.
    fn write_in_slices(&mut self, buf: &[u8], mut tick: Option<Tick<'_>>) -> io::Result<usize> {
        let limit = self.idle.map(|i| Instant::now() + i);
        let mut first = true;
        loop {
            self.before_slice(&mut first, &mut tick)?;
            let Some(wait) = cancel::next_slice(limit, cancel::SLICE) else {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the peer took nothing within the timeout",
                ));
            };
            self.apply_write_timeout(Some(wait))?;
            match self.transport_write(buf) {
                Err(e) if is_timeout(&e) || e.kind() == io::ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }

    /// The start of each wait slice: the cancel token, then, after a
    /// first slice that took nothing, the tick (`false`: [`halted_io`]).
    fn before_slice(&self, first: &mut bool, tick: &mut Option<Tick<'_>>) -> io::Result<()> {
        if let Some(c) = &self.cancel {
            c.check()?;
        }
        if !std::mem::take(first) {
            if let Some(t) = tick.as_mut() {
                if !t() {
                    return Err(halted_io());
                }
            }
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
    /// runs out. `tick` is called after each empty slice; `false` from it
    /// ends the read with a [`halted_io`] error.
    fn read_in_slices(
        &mut self,
        buf: &mut [u8],
        slice: Duration,
        mut tick: Option<Tick<'_>>,
    ) -> io::Result<usize> {
        let idle_end = self.idle.map(|i| Instant::now() + i);
        let limit = match (idle_end, self.deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut first = true;
        loop {
            self.before_slice(&mut first, &mut tick)?;
            let Some(wait) = cancel::next_slice(limit, slice) else {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "no data within the timeout",
                ));
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

/// Called by a stream between empty wait slices (see
/// [`NetStream::read_ticking`]); `false` stops the wait.
pub(crate) type Tick<'a> = &'a mut dyn FnMut() -> bool;

/// The marker inside the I/O errors of a wait a tick stopped.
#[derive(Debug)]
struct Halted;

impl std::fmt::Display for Halted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped by the transfer's progress or keepalive")
    }
}

impl std::error::Error for Halted {}

/// The I/O error of a wait that a tick stopped.
pub(crate) fn halted_io() -> io::Error {
    io::Error::other(Halted)
}

/// True for the errors made by [`halted_io`].
pub(crate) fn is_halted_io(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<Halted>())
}

impl NetStream {
    /// [`Read::read`], calling `tick` after each wait slice without data
    /// (only streams that wait in slices, as every data connection with a
    /// cancel token does).
    pub(crate) fn read_ticking(&mut self, buf: &mut [u8], tick: Tick<'_>) -> io::Result<usize> {
        self.read_with(buf, Some(tick))
    }

    /// [`Write::write`], calling `tick` after each wait slice in which
    /// nothing was taken (streams with a cancel token).
    pub(crate) fn write_ticking(&mut self, buf: &[u8], tick: Tick<'_>) -> io::Result<usize> {
        if self.cancel.is_some() {
            return self.write_in_slices(buf, Some(tick));
        }
        self.transport_write(buf)
    }

    fn read_with(&mut self, buf: &mut [u8], tick: Option<Tick<'_>>) -> io::Result<usize> {
        let slice = match (self.read_slice, self.cancel.is_some()) {
            (Some(s), true) => Some(s.min(cancel::SLICE)),
            (Some(s), false) => Some(s),
            (None, true) => Some(cancel::SLICE),
            (None, false) => None,
        };
        if let Some(slice) = slice {
            return self.read_in_slices(buf, slice, tick);
        }
        self.arm_read()?;
        self.transport_read(buf)
    }
}

impl Read for NetStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_with(buf, None)
    }
}

impl Write for NetStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.cancel.is_some() {
            return self.write_in_slices(buf, None);
        }
        self.transport_write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.transport {
            Transport::Tcp(t) => t.flush(),
            Transport::Tls(s) => s.flush(),
        }
    }
}

/// Sends close_notify and reads until the peer's close_notify (or its
/// close of the TCP connection), discarding data the peer still sends;
/// waits at most `idle` without a byte, in cancellable slices.
fn tls_close(
    s: &mut SslStream<TcpStream>,
    idle: Option<Duration>,
    cancel: Option<&CancelToken>,
) -> io::Result<()> {
    tls_close_until(s, idle, cancel, false).map(|_| ())
}

/// Lets OpenSSL process the records already received (post-handshake
/// messages such as TLS 1.3 tickets) without blocking; application data
/// stays unread.
fn process_records_now(s: &mut SslStream<TcpStream>) {
    if s.get_ref().set_nonblocking(true).is_ok() {
        let mut one = [0u8; 1];
        let _ = s.ssl_peek(&mut one);
        let _ = s.get_ref().set_nonblocking(false);
    }
}

/// [`tls_close`]; with `stop_on_data`, application data arriving after our
/// close_notify ends the wait at once with `Ok(false)`.
fn tls_close_until(
    s: &mut SslStream<TcpStream>,
    idle: Option<Duration>,
    cancel: Option<&CancelToken>,
    stop_on_data: bool,
) -> io::Result<bool> {
    let to_io = |e: openssl::ssl::Error| match e.into_io_error() {
        Ok(io) => io,
        Err(e) => io::Error::other(e),
    };
    // A TLS 1.3 ticket the peer sent must be taken in before our
    // close_notify, or it may be lost with the connection.
    process_records_now(s);
    match s.shutdown() {
        Ok(ShutdownResult::Received) => return Ok(true),
        Ok(ShutdownResult::Sent) => {}
        // The peer already closed the TCP connection.
        Err(e) if e.code() == ErrorCode::SYSCALL || e.code() == ErrorCode::ZERO_RETURN => {
            return Ok(true)
        }
        Err(e) => return Err(to_io(e)),
    }
    let mut sink = [0u8; 4096];
    let mut limit = idle.map(|i| Instant::now() + i);
    loop {
        if let Some(c) = cancel {
            c.check()?;
        }
        let Some(wait) = cancel::next_slice(limit, cancel::SLICE) else {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "no close_notify from the peer within the timeout",
            ));
        };
        s.get_ref().set_read_timeout(Some(wait))?;
        match s.ssl_read(&mut sink) {
            Ok(n) if n > 0 && stop_on_data => return Ok(false),
            Ok(_) => {
                limit = idle.map(|i| Instant::now() + i);
                continue;
            }
            Err(e) if e.io_error().is_some_and(is_timeout) => continue,
            Err(e) if e.code() == ErrorCode::ZERO_RETURN => return Ok(true),
            Err(e) if e.code() == ErrorCode::SYSCALL && e.io_error().is_none() => return Ok(true),
            Err(e) => return Err(to_io(e)),
        }
    }
}
