//! The bytes of a proxy handshake, sent and received with one deadline
//! (the session timeout) for the whole handshake, in waits of at most
//! [`crate::cancel::SLICE`] so that the session's cancel is noticed.

use super::ProxyUrl;
use crate::cancel::{self, CancelToken};
use crate::error::{Error, Result};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A handshake in progress on a connection to the proxy.
pub(super) struct Wire<'a> {
    tcp: &'a mut TcpStream,
    deadline: Option<Instant>,
    cancel: &'a CancelToken,
    proxy: &'a ProxyUrl,
}

impl<'a> Wire<'a> {
    pub(super) fn new(
        tcp: &'a mut TcpStream,
        timeout: Option<Duration>,
        cancel: &'a CancelToken,
        proxy: &'a ProxyUrl,
    ) -> Wire<'a> {
        Wire {
            tcp,
            deadline: timeout.map(|t| Instant::now() + t),
            cancel,
            proxy,
        }
    }

    /// The error for a proxy that refused or answered nonsense: an I/O
    /// error whose text names the proxy (never its password) and `why`.
    pub(super) fn fail(&self, why: String) -> Error {
        super::failure(self.proxy, why)
    }

    /// Waits in slices until `op` makes progress; `Ok(0)` is the end.
    fn slices(&mut self, writing: bool, buf: &mut [u8], data: &[u8]) -> Result<usize> {
        loop {
            if self.cancel.is_cancelled() {
                return Err(Error::Cancelled(format!(
                    "while talking to the proxy {}",
                    self.proxy
                )));
            }
            let Some(slice) = cancel::next_slice(self.deadline, cancel::SLICE) else {
                return Err(Error::Timeout(format!(
                    "waiting for the proxy {} to answer",
                    self.proxy
                )));
            };
            let r = if writing {
                self.tcp
                    .set_write_timeout(Some(slice))
                    .and_then(|()| self.tcp.write(data))
            } else {
                self.tcp
                    .set_read_timeout(Some(slice))
                    .and_then(|()| self.tcp.read(buf))
            };
            match r {
                Ok(n) => return Ok(n),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                    ) => {}
                Err(e) => {
                    return Err(Error::Io {
                        context: format!("talking to the proxy {}", self.proxy),
                        source: e,
                    })
                }
            }
        }
    }

    /// Sends all of `data`.
    pub(super) fn send(&mut self, mut data: &[u8]) -> Result<()> {
        while !data.is_empty() {
            match self.slices(true, &mut [], data)? {
                0 => return Err(self.fail("the proxy stopped taking data".into())),
                n => data = &data[n..],
            }
        }
        Ok(())
    }

    /// Fills `buf` (`what` names the awaited answer in the error when the
    /// proxy closes the connection first).
    pub(super) fn recv(&mut self, buf: &mut [u8], what: &str) -> Result<()> {
        let mut got = 0;
        while got < buf.len() {
            match self.slices(false, &mut buf[got..], &[])? {
                0 => {
                    return Err(
                        self.fail(format!("the proxy closed the connection before its {what}"))
                    )
                }
                n => got += n,
            }
        }
        Ok(())
    }

    /// One byte.
    pub(super) fn recv_byte(&mut self, what: &str) -> Result<u8> {
        let mut b = [0u8; 1];
        self.recv(&mut b, what)?;
        Ok(b[0])
    }

    /// Puts the socket back to blocking without timeouts (the session's
    /// stream sets its own).
    pub(super) fn finish(self) -> Result<()> {
        self.tcp
            .set_read_timeout(None)
            .and_then(|()| self.tcp.set_write_timeout(None))
            .map_err(|e| Error::from_io("configuring the proxied connection", e))
    }
}
