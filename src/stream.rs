//! The byte stream under the control and data connections: TCP now, TCP or
//! TLS once a connection is secured, with the session's timeouts applied.
//!
//! Two kinds of timeout exist: a *deadline* (the whole of one reply must
//! arrive before it) and an *idle* timeout (each single read or write must
//! make progress within it). Both are enforced with the socket's own
//! `SO_RCVTIMEO`/`SO_SNDTIMEO`, so no read ever blocks past them.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// A connection to the server.
#[derive(Debug)]
pub struct NetStream {
    tcp: TcpStream,
    idle: Option<Duration>,
    deadline: Option<Instant>,
    applied_read_timeout: Option<Duration>,
}

impl NetStream {
    /// Wraps a connected TCP socket; `idle` bounds each read and write.
    pub fn new(tcp: TcpStream, idle: Option<Duration>) -> io::Result<NetStream> {
        tcp.set_nodelay(true)?;
        tcp.set_read_timeout(idle)?;
        tcp.set_write_timeout(idle)?;
        Ok(NetStream {
            tcp,
            idle,
            deadline: None,
            applied_read_timeout: idle,
        })
    }

    /// The TCP socket underneath.
    pub fn tcp(&self) -> &TcpStream {
        &self.tcp
    }

    /// Sets or clears a deadline for reads (used while waiting for a reply).
    pub fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
    }

    /// Changes the idle timeout of reads and writes.
    pub fn set_idle_timeout(&mut self, idle: Option<Duration>) -> io::Result<()> {
        self.idle = idle;
        self.tcp.set_write_timeout(idle)?;
        self.tcp.set_read_timeout(idle)?;
        self.applied_read_timeout = idle;
        Ok(())
    }

    /// Half-closes the sending direction (tells the peer the upload is complete).
    pub fn shutdown_write(&mut self) -> io::Result<()> {
        self.tcp.shutdown(Shutdown::Write)
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
        if wanted != self.applied_read_timeout {
            self.tcp.set_read_timeout(wanted)?;
            self.applied_read_timeout = wanted;
        }
        Ok(())
    }
}

impl Read for NetStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.arm_read()?;
        self.tcp.read(buf)
    }
}

impl Write for NetStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tcp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tcp.flush()
    }
}
