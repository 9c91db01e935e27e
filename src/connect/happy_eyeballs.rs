//! Happy Eyeballs (RFC 8305, section 5): connect attempts to a name's
//! addresses, a new one started every [`ATTEMPT_DELAY`] (or at once when
//! the last one failed) while the earlier ones go on; the first to
//! connect wins, the others are closed. Every wait is a slice that looks
//! at the cancel token; the timeout bounds the whole race.

use crate::cancel::{next_slice, CancelToken, SLICE};
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use socket2::{Domain, Protocol, Socket, Type};
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

/// The delay before the next address is tried while earlier attempts are
/// still pending (RFC 8305's recommended "Connection Attempt Delay").
pub const ATTEMPT_DELAY: Duration = Duration::from_millis(250);

/// What happened to one attempt (for debug output and tests).
#[derive(Debug)]
pub enum Attempt<'a> {
    /// A connect to this address was started.
    Started(SocketAddr),
    /// The attempt to this address failed.
    Failed(SocketAddr, &'a io::Error),
    /// This address connected first; the other attempts are closed.
    Connected(SocketAddr),
}

/// Connects to the first of `addrs` (in order, see the module) that
/// answers, from `source` when given (bound only for addresses of its
/// family), within `timeout` for the whole race. A source with a fixed
/// port allows one attempt at a time (two sockets cannot hold the port):
/// the next starts when the previous fails. `report` hears of each
/// attempt. The error: the last attempt's (its text names the address
/// when there were several),
/// a timeout, or a cancel.
pub fn connect_first(
    addrs: &[SocketAddr],
    source: Option<SocketAddr>,
    timeout: Option<Duration>,
    cancel: &CancelToken,
    report: &mut dyn FnMut(Attempt<'_>),
) -> io::Result<TcpStream> {
    let limit = timeout.map(|t| Instant::now() + t);
    let mut pending: Vec<(Socket, SocketAddr)> = Vec::new();
    let mut next = 0;
    let mut next_start = Instant::now();
    let mut last: Option<io::Error> = None;
    let overlap = source.is_none_or(|s| s.port() == 0);
    loop {
        cancel.check()?;
        let due = overlap && Instant::now() >= next_start;
        if next < addrs.len() && (pending.is_empty() || due) {
            let addr = addrs[next];
            next += 1;
            report(Attempt::Started(addr));
            match start(addr, source) {
                Ok((socket, true)) => return won(socket, addr, report),
                Ok((socket, false)) => {
                    pending.push((socket, addr));
                    next_start = Instant::now() + ATTEMPT_DELAY;
                }
                Err(e) => {
                    report(Attempt::Failed(addr, &e));
                    last = Some(named(addr, e, addrs.len()));
                }
            }
            continue;
        }
        if pending.is_empty() {
            return Err(last.unwrap_or_else(|| io::ErrorKind::NotFound.into()));
        }
        let until = match (limit, overlap && next < addrs.len()) {
            (Some(l), true) => Some(l.min(next_start)),
            (None, true) => Some(next_start),
            (l, false) => l,
        };
        let Some(wait) = next_slice(until, SLICE) else {
            if limit.is_some_and(|l| Instant::now() >= l) {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection timed out",
                ));
            }
            continue; // time to start the next attempt
        };
        let ready = wait_writable(&pending, wait)?;
        // From the last, so that removing keeps the earlier indexes.
        for i in ready.into_iter().rev() {
            let (socket, addr) = pending.remove(i);
            match socket.take_error() {
                Ok(None) => return won(socket, addr, report),
                Ok(Some(e)) | Err(e) => {
                    report(Attempt::Failed(addr, &e));
                    last = Some(named(addr, e, addrs.len()));
                }
            }
        }
    }
}

/// A non-blocking connect to `addr`: the socket and whether it is
/// already connected.
fn start(addr: SocketAddr, source: Option<SocketAddr>) -> io::Result<(Socket, bool)> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    if let Some(src) = source {
        if src.is_ipv4() == addr.is_ipv4() {
            socket.bind(&src.into())?;
        }
    }
    socket.set_nonblocking(true)?;
    match socket.connect(&addr.into()) {
        Ok(()) => Ok((socket, true)),
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => Ok((socket, false)),
        Err(e) => Err(e),
    }
}

fn won(
    socket: Socket,
    addr: SocketAddr,
    report: &mut dyn FnMut(Attempt<'_>),
) -> io::Result<TcpStream> {
    socket.set_nonblocking(false)?;
    report(Attempt::Connected(addr));
    Ok(socket.into())
}

/// The indexes of the pending sockets whose connect has ended (well or
/// not) within `wait`.
fn wait_writable(pending: &[(Socket, SocketAddr)], wait: Duration) -> io::Result<Vec<usize>> {
    let mut fds: Vec<PollFd<'_>> = pending
        .iter()
        .map(|(s, _)| PollFd::new(s.as_fd(), PollFlags::POLLOUT))
        .collect();
    let ms = wait.as_millis().clamp(1, i32::MAX as u128) as i32;
    match poll(
        &mut fds,
        PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX),
    ) {
        Ok(_) | Err(nix::errno::Errno::EINTR) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(fds
        .iter()
        .enumerate()
        .filter(|(_, fd)| fd.revents().is_some_and(|r| !r.is_empty()))
        .map(|(i, _)| i)
        .collect())
}

/// `e` with the address in its text (when there were several), its kind
/// kept.
fn named(addr: SocketAddr, e: io::Error, count: usize) -> io::Error {
    if count < 2 || crate::cancel::is_cancelled_io(&e) {
        return e;
    }
    io::Error::new(e.kind(), format!("{addr}: {e}"))
}
