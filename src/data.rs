//! Data connections: opening them (passive connect, active listen/accept),
//! moving bytes, and closing them cleanly or abruptly.

use crate::cancel::CancelToken;
use crate::error::{Error, Result};
use crate::stream::NetStream;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use socket2::SockRef;
use std::io::{self, Read};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// An open data connection. While it exists the session refuses other
/// commands (see [`crate::Session::ntransfercmd`]).
#[derive(Debug)]
pub struct DataConn {
    stream: NetStream,
    _token: Arc<()>,
    /// Opened for an upload (STOR, STOU, APPE), or written to.
    upload: bool,
    /// A read returned the end of the data.
    at_end: bool,
    /// Shared with the session: set when the connection is cut.
    cut: Option<Arc<AtomicBool>>,
}

/// Downloads on clear-text TCP wake the reader once this much is queued
/// (64 KiB to 256 KiB measured alike on loopback, 128 KiB best).
const RECV_LOWAT: usize = 128 * 1024;
/// ... and hand over fewer bytes after at most this long.
const READ_SLICE: Duration = Duration::from_millis(100);

impl DataConn {
    pub(crate) fn new(stream: NetStream, token: Arc<()>) -> DataConn {
        DataConn {
            stream,
            _token: token,
            upload: false,
            at_end: false,
            cut: None,
        }
    }

    /// Shares the flag that [`DataConn::abandon`] sets with the session, so
    /// it knows the final reply may not come (see session/abort.rs).
    pub(crate) fn set_cut_flag(&mut self, flag: Arc<AtomicBool>) {
        self.cut = Some(flag);
    }

    /// Marks the connection as an upload's (see [`DataConn::close`]).
    pub(crate) fn set_upload(&mut self, upload: bool) {
        self.upload = upload;
    }

    /// For the library's own download loops on clear-text TCP: reads wake
    /// only once 128 KiB are queued, or at the end of the data, or after a
    /// 100 ms slice with what is queued; timeouts stay exact (see
    /// [`NetStream::batch_reads`]). Measured on loopback: 0.23 s per GiB
    /// against 0.33 s. Not for connections handed to callers (a caller's
    /// `poll` would not see data below the mark) nor for splice (erratic
    /// with it). Only an optimisation: a failure leaves reads as they were.
    pub(crate) fn batch_reads(&mut self) {
        let _ = self.stream.batch_reads(RECV_LOWAT, READ_SLICE);
    }

    /// Reads some bytes; `Ok(0)` is the end of the data.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        self.read_ticking(buf, &mut || true)
    }

    /// [`DataConn::read`], calling `tick` after each wait slice without
    /// data; `false` from it ends the read with an error (the caller knows
    /// why).
    pub(crate) fn read_ticking(
        &mut self,
        buf: &mut [u8],
        tick: crate::stream::Tick<'_>,
    ) -> Result<usize> {
        self.read_ticking_io(buf, tick)
            .map_err(|e| Error::from_io("reading the data connection", e))
    }

    /// [`DataConn::read_ticking`] with the I/O error.
    pub(crate) fn read_ticking_io(
        &mut self,
        buf: &mut [u8],
        tick: crate::stream::Tick<'_>,
    ) -> io::Result<usize> {
        loop {
            match self.stream.read_ticking(buf, &mut *tick) {
                Ok(n) => {
                    self.at_end |= n == 0 && !buf.is_empty();
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Writes all of `buf`. Each write must make progress within the idle
    /// timeout: a write that blocks for the whole timeout and then reports
    /// a few bytes (what the kernel does when the peer stops reading) counts
    /// as a timeout, so a stalled server cannot stretch the wait.
    pub fn write_all(&mut self, buf: &[u8]) -> Result<()> {
        self.write_all_ticking(buf, &mut || true)
    }

    /// [`DataConn::write_all`], calling `tick` after each wait slice in
    /// which the peer took nothing; `false` from it ends the write with an
    /// error (the caller knows why).
    pub(crate) fn write_all_ticking(
        &mut self,
        mut buf: &[u8],
        tick: crate::stream::Tick<'_>,
    ) -> Result<()> {
        let idle = self.stream.idle_timeout();
        self.upload |= !buf.is_empty();
        while !buf.is_empty() {
            let started = Instant::now();
            match self.stream.write_ticking(buf, &mut *tick) {
                Ok(0) => {
                    return Err(Error::from_io(
                        "writing the data connection",
                        io::ErrorKind::WriteZero.into(),
                    ))
                }
                Ok(n) => {
                    buf = &buf[n..];
                    if !buf.is_empty() && idle.is_some_and(|t| started.elapsed() >= t) {
                        return Err(Error::Timeout(
                            "writing the data connection (the server stopped reading)".into(),
                        ));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::from_io("writing the data connection", e)),
            }
        }
        Ok(())
    }

    /// The socket's file descriptor (for `poll`).
    pub fn raw_fd(&self) -> RawFd {
        self.stream.tcp().as_raw_fd()
    }

    /// The TCP socket when the connection is not TLS (for zero-copy).
    pub(crate) fn plain_tcp(&self) -> Option<&TcpStream> {
        (!self.stream.is_tls()).then(|| self.stream.tcp())
    }

    /// The cancel token of the session that opened this connection.
    pub(crate) fn cancel_token(&self) -> Option<&CancelToken> {
        self.stream.cancel_token()
    }

    /// The idle timeout and cancel token, for copies that bypass the stream.
    pub(crate) fn waits(&self) -> crate::zerocopy::Waits<'_> {
        crate::zerocopy::Waits {
            idle: self.stream.idle_timeout(),
            cancel: self.stream.cancel_token(),
        }
    }

    /// True when the data connection is protected by TLS.
    pub fn is_tls(&self) -> bool {
        self.stream.is_tls()
    }

    /// Ends the connection in order, so the server sees a clean end of an
    /// upload: under TLS close_notify is sent and the server's awaited
    /// (within the timeout), then our side of TCP is half-closed and the
    /// socket released.
    pub fn finish(mut self) -> Result<()> {
        self.stream
            .close_in_order()
            .map_err(|e| Error::from_io("closing the data connection", e))
    }

    /// Ends the connection of a cancelled transfer without waiting for
    /// anything. A download is cut ([`DataConn::abandon`]); an upload (or a
    /// connection written to) is ended in order at once - under TLS
    /// close_notify is sent (within one wait slice) but the server's is not
    /// awaited, then our side of TCP is half-closed - since some servers
    /// send no final reply for a reset upload.
    pub(crate) fn end_after_cancel(mut self) {
        if self.upload {
            self.stream.close_now();
        } else {
            self.abandon();
        }
    }

    /// Ends the connection abruptly (TCP reset), so that the server stops
    /// sending or notices that an upload was cut short. Under TLS a session
    /// ticket already received is taken in first and the connection is
    /// marked as given up on purpose, so the TLS session stays resumable
    /// for the next data connection.
    pub fn abandon(mut self) {
        if let Some(flag) = &self.cut {
            flag.store(true, Ordering::SeqCst);
        }
        self.stream.process_tls_records_now();
        self.stream.give_up_tls();
        let _ = SockRef::from(self.stream.tcp()).set_linger(Some(Duration::ZERO));
    }

    /// Ends a transfer handle's connection (`ftp_transfer_close`): an upload
    /// (or a connection written to) and a download read to its end are
    /// closed in order ([`DataConn::finish`]); a download not read to its
    /// end is cut at once ([`DataConn::abandon`]) instead of reading the
    /// rest, TLS or not. The server then ends the transfer with 426 (or 226).
    pub fn close(mut self) -> Result<()> {
        if self.upload || self.at_end {
            return self.finish();
        }
        // A download not read to its end: cut, whatever the close said (a
        // connection already reset by `abort` or the server fails here);
        // the final reply tells how the transfer ended.
        if !matches!(self.stream.close_unless_data(), Ok(true)) {
            self.abandon();
        }
        Ok(())
    }
}

impl Read for DataConn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}

/// Connects a TCP socket to `addr`, from `source` (port chosen by the system)
/// when given, within `timeout`, waiting in slices so that `cancel` is
/// noticed (a race of one, see [`crate::connect::connect_first`]).
pub(crate) fn connect_tcp(
    addr: SocketAddr,
    source: Option<SocketAddr>,
    timeout: Option<Duration>,
    cancel: &CancelToken,
) -> io::Result<TcpStream> {
    crate::connect::connect_first(&[addr], source, timeout, cancel, &mut |_| {})
}

/// Waits until `fd` is ready for `events`, within `timeout`, in slices
/// that look at `cancel`.
fn wait_ready(
    fd: &impl AsFd,
    events: PollFlags,
    timeout: Option<Duration>,
    cancel: &CancelToken,
) -> io::Result<()> {
    let limit = timeout.map(|t| Instant::now() + t);
    loop {
        cancel.check()?;
        let Some(wait) = crate::cancel::next_slice(limit, crate::cancel::SLICE) else {
            return Err(io::ErrorKind::TimedOut.into());
        };
        let ms = wait.as_millis().clamp(1, i32::MAX as u128) as i32;
        let mut fds = [PollFd::new(fd.as_fd(), events)];
        match poll(
            &mut fds,
            PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX),
        ) {
            Ok(0) | Err(nix::errno::Errno::EINTR) => continue,
            Ok(_) => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    }
}

/// The PORT (IPv4) or EPRT (IPv6) command announcing `addr`.
pub fn port_command(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => {
            let o = a.ip().octets();
            let p = a.port();
            format!(
                "PORT {},{},{},{},{},{}",
                o[0],
                o[1],
                o[2],
                o[3],
                p >> 8,
                p & 0xff
            )
        }
        SocketAddr::V6(a) => format!("EPRT |2|{}|{}|", a.ip(), a.port()),
    }
}

/// Accepts the server's data connection in active mode within `timeout`.
/// Connections from any address other than the server's are refused and
/// waiting goes on (an outsider cannot inject data).
pub(crate) fn accept(
    listener: &TcpListener,
    server_ip: IpAddr,
    timeout: Option<Duration>,
    cancel: &CancelToken,
) -> Result<TcpStream> {
    let deadline = timeout.map(|t| Instant::now() + t);
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::from_io("accepting the data connection", e))?;
    loop {
        match listener.accept() {
            Ok((tcp, from)) => {
                if canonical(from.ip()) != canonical(server_ip) {
                    continue;
                }
                tcp.set_nonblocking(false)
                    .map_err(|e| Error::from_io("accepting the data connection", e))?;
                return Ok(tcp);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::from_io("accepting the data connection", e)),
        }
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        if left.is_some_and(|l| l.is_zero()) {
            return Err(Error::Timeout(
                "waiting for the server to open the data connection".into(),
            ));
        }
        match wait_ready(listener, PollFlags::POLLIN, left, cancel) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::TimedOut => {}
            Err(e) => return Err(Error::from_io("waiting for the data connection", e)),
        }
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_commands() {
        assert_eq!(
            port_command("127.0.0.1:1025".parse().unwrap()),
            "PORT 127,0,0,1,4,1"
        );
        assert_eq!(
            port_command("[::1]:2121".parse().unwrap()),
            "EPRT |2|::1|2121|"
        );
    }

    #[test]
    fn accept_times_out() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let r = accept(
            &l,
            "127.0.0.1".parse().unwrap(),
            Some(Duration::from_millis(50)),
            &CancelToken::new(),
        );
        assert!(matches!(r, Err(Error::Timeout(_))));
    }

    #[test]
    fn accept_and_connect_notice_a_cancel() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let token = CancelToken::new();
        token.cancel();
        let r = accept(&l, "127.0.0.1".parse().unwrap(), None, &token);
        assert!(matches!(r, Err(Error::Cancelled(_))), "{r:?}");
        let addr = l.local_addr().unwrap();
        let e = connect_tcp(addr, None, None, &token).unwrap_err();
        assert!(crate::cancel::is_cancelled_io(&e), "{e:?}");
        token.reset();
        let tcp = connect_tcp(addr, None, Some(Duration::from_secs(5)), &token).unwrap();
        assert_eq!(tcp.peer_addr().unwrap(), addr);
    }
}
