//! Ending a transfer in progress and getting the control connection back
//! in step: ABOR as RFC 959 sends it, a cut of the data connection, and a
//! bounded wait for the replies owed, with a NOOP resynchronisation when a
//! server does not send them all.
//!
//! ABOR during a transfer on a clear-text control connection is RFC 959's
//! sequence: Telnet IAC IP as ordinary data, then IAC DM with DM as TCP
//! urgent data (the Telnet "Synch"), then `ABOR\r\n` as ordinary data.
//! Sending the whole `ABOR\r\n` as urgent data (Python's ftplib) puts the
//! urgent mark on its last byte, and ProFTPD (SO_OOBINLINE) then reads
//! `ABOR\r`, waits for the rest of the line and the next command arrives as
//! `ABOR NOOP`. With no transfer in progress a plain `ABOR\r\n` is sent
//! (nothing to interrupt; Pure-FTPd ignores an idle line starting with
//! Telnet bytes). On a TLS control connection urgent data cannot be used
//! (it would bypass TLS), so a plain `ABOR\r\n` goes in the TLS stream, as
//! ftplib, curl and lftp do.
//!
//! Servers answer an interrupted transfer in different ways: vsftpd and
//! pyftpdlib send the transfer's final reply (426) and then ABOR's (225 or
//! 226); Pure-FTPd over TLS sometimes sends only ABOR's 226, or nothing
//! at all for a reset data connection. So each owed reply is awaited for at
//! most [`REPLY_WAIT`]; when one does not come, NOOP is sent and replies are
//! read until its `200`: whatever the server still owed is read and
//! dropped, and the session is in step again instead of being closed.

use super::Session;
use crate::data::DataConn;
use crate::error::{Error, Result};
use crate::reply::Reply;
use socket2::SockRef;
use std::io;
use std::time::{Duration, Instant};

/// How long each reply owed after an interrupted transfer is awaited
/// before resynchronising with NOOP (with a session timeout not longer than
/// this, the timeout applies as to any reply: see `read_reply_within`).
pub(crate) const REPLY_WAIT: Duration = Duration::from_secs(2);

/// At most this many stray replies are read while looking for NOOP's 200.
const MAX_STRAY_REPLIES: usize = 16;

/// The error of a transfer whose final reply never came (the session was
/// resynchronised with NOOP and is in step).
pub(crate) fn no_final_reply() -> Error {
    Error::Proto(
        "the server sent no final reply for the transfer (the session was \
         resynchronised with NOOP and is in step)"
            .into(),
    )
}

/// Telnet IAC IP, IAC: sent as ordinary data before the urgent DM.
const TELNET_IP_IAC: &[u8] = b"\xff\xf4\xff";
/// Telnet DM (Data Mark): the one urgent byte.
const TELNET_DM: &[u8] = b"\xf2";

impl Session {
    /// ftplib's `abort`: ends the transfer in progress, if any, with ABOR
    /// and reads the replies (see [`Session::abort_transfer`]). An open
    /// [`DataConn`] is cut and detached from the session (close it later).
    pub fn abort(&mut self) -> Result<Reply> {
        self.last_reply = None;
        if self.control.is_none() {
            return Err(self.not_connected());
        }
        self.abort_transfer(None)
    }

    /// Ends the transfer in progress (if any) and gets the control
    /// connection back in step; the one path for `ftp_abort` and for any
    /// caller that must stop a transfer and go on with the session.
    ///
    /// 1. Sends ABOR (RFC 959 Telnet IP + Synch on clear text during a
    ///    transfer, a plain line otherwise and under TLS).
    /// 2. Cuts the data connection: `conn` when given, else the one of an
    ///    open transfer handle (reset even though the handle still holds it,
    ///    so a server blocked writing a download notices at once).
    /// 3. Reads the replies owed: the transfer's final reply (426, or 226 if
    ///    it had finished) when owed, replies owed by cancelled calls, then
    ///    ABOR's own (225/226), each within [`REPLY_WAIT`]. If one does not
    ///    come, sends NOOP and reads replies until its 200 (each within the
    ///    session timeout). With a session timeout of [`REPLY_WAIT`] or less,
    ///    a missing reply is a timeout instead (the connection is closed).
    ///
    /// Afterwards no transfer is open and nothing is owed. Returns ABOR's
    /// reply, which must be 225, 226 or 426 (else `Temp`/`Perm`/`Proto` by
    /// class), or the last reply read when a resynchronisation was needed
    /// (NOOP's 200 if nothing else came). An I/O failure, EOF or timeout
    /// closes the control connection (as any failed reply does) and is
    /// returned. Waits are cancellable: call it with the cancel token reset.
    pub(crate) fn abort_transfer(&mut self, conn: Option<DataConn>) -> Result<Reply> {
        let owed_final = usize::from(self.transfer.final_pending)
            + usize::try_from(self.owed_replies).unwrap_or(usize::MAX);
        self.send_abor(owed_final > 0)?;
        if let Some(c) = conn {
            c.abandon();
        }
        if let Some(data) = self.transfer.socket.take() {
            // Ignored when the connection is already gone.
            let _ = crate::sys::reset_connection(&data);
        }
        self.transfer.token = std::sync::Weak::new();
        self.transfer.final_pending = false;
        self.owed_replies = 0;
        let expected = owed_final.saturating_add(1);
        let mut got: Vec<Reply> = Vec::new();
        while got.len() < expected {
            match self.read_reply_within(REPLY_WAIT)? {
                Some(r) if r.class() == b'1' => {}
                Some(r) => got.push(r),
                None => {
                    let (stray, noop) = self.resync()?;
                    // resync's 200 came after every keepalive NOOP's.
                    self.monitor.noops_owed = 0;
                    got.extend(stray);
                    let last = got.pop().unwrap_or(noop);
                    self.last_reply = Some(last.clone());
                    return Ok(last);
                }
            }
        }
        let last = got.pop().expect("at least ABOR's reply was read");
        self.drain_noop_replies()?;
        self.last_reply = Some(last.clone());
        match last.code {
            // 451 "Transfer aborted": Pure-FTPd's answer to ABOR during an
            // upload (after the upload's own 426).
            225 | 226 | 426 => Ok(last),
            451 if owed_final > 0 => Ok(last),
            _ => match last.class() {
                b'4' => Err(Error::Temp(last)),
                b'5' => Err(Error::Perm(last)),
                _ => Err(Error::Proto(format!(
                    "unexpected reply to ABOR: {:?}",
                    last.text
                ))),
            },
        }
    }

    /// Reads the final reply of a transfer whose data connection was cut,
    /// failed or closed, waiting at most [`REPLY_WAIT`] for it (1xx replies
    /// skipped: Pure-FTPd sends a stray `150` statistics line after a cut
    /// download); if it does not come, resynchronises with NOOP (see
    /// [`Session::resync`]) rather than waiting for the whole timeout and
    /// closing the session. The final reply may then be among the replies
    /// read before NOOP's 200 (a slow server); `Ok(None)`: there was none.
    pub(crate) fn await_final_reply(&mut self) -> Result<Option<Reply>> {
        self.last_reply = None;
        if self.control.is_none() {
            return Err(self.not_connected());
        }
        self.transfer.final_pending = false;
        self.transfer.socket = None;
        loop {
            match self.read_reply_within(REPLY_WAIT)? {
                Some(r) if r.class() == b'1' => {}
                Some(r) => return Ok(Some(r)),
                None => {
                    let (stray, _noop) = self.resync()?;
                    self.monitor.noops_owed = 0;
                    let first = stray.into_iter().next();
                    if let Some(r) = &first {
                        self.last_reply = Some(r.clone());
                    }
                    return Ok(first);
                }
            }
        }
    }

    /// Sends NOOP and reads replies until its 200, each within the session
    /// timeout: the replies the server still owed (1xx left out) come back
    /// with NOOP's. Fails (and closes the connection) when no 200 comes.
    fn resync(&mut self) -> Result<(Vec<Reply>, Reply)> {
        self.send_line("NOOP")?;
        let mut stray = Vec::new();
        for _ in 0..MAX_STRAY_REPLIES {
            let r = self.read_reply()?;
            if r.code == 200 {
                return Ok((stray, r));
            }
            if r.class() != b'1' {
                stray.push(r);
            }
        }
        let e = Error::Proto(format!(
            "no 200 reply to NOOP among {MAX_STRAY_REPLIES} replies after an interrupted transfer"
        ));
        self.drop_control(&e);
        Err(e)
    }

    /// One reply if its first byte arrives within `wait`; `Ok(None)` when
    /// nothing came, with nothing consumed, so the session is still in
    /// step. A session timeout not longer than `wait` is the bound instead,
    /// and then, as for every reply, a reply that does not come is a
    /// timeout that closes the connection (the caller asked for failures
    /// that fast). Other failures are those of [`Session::read_reply`].
    /// Keepalive NOOPs' 200 replies are consumed, as by `read_reply`, each
    /// further reply again awaited within `wait`.
    fn read_reply_within(&mut self, wait: Duration) -> Result<Option<Reply>> {
        loop {
            let Some(r) = self.read_one_reply_within(wait)? else {
                return Ok(None);
            };
            if !self.is_noop_reply(&r) {
                return Ok(Some(r));
            }
        }
    }

    pub(crate) fn read_one_reply_within(&mut self, wait: Duration) -> Result<Option<Reply>> {
        if self.settings.timeout.is_some_and(|t| t <= wait) {
            return self.read_one_reply().map(Some);
        }
        let Some(ctl) = self.control.as_mut() else {
            return Err(self.not_connected());
        };
        ctl.reader
            .get_mut()
            .set_deadline(Some(Instant::now() + wait));
        let waited = ctl.reader.wait_for_data();
        ctl.reader.get_mut().set_deadline(None);
        match waited {
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                Ok(None)
            }
            // Data, EOF or another failure: read_one_reply reports it.
            _ => self.read_one_reply().map(Some),
        }
    }

    /// Sends ABOR: during a transfer on a clear-text control connection
    /// with RFC 959's Telnet IP + Synch before it; otherwise as a plain
    /// line (in the TLS stream under TLS). With no transfer there is
    /// nothing to interrupt, and Pure-FTPd ignores an idle command line
    /// that starts with Telnet bytes (no reply at all), while during a
    /// transfer it skips them. A failure closes the connection.
    fn send_abor(&mut self, in_transfer: bool) -> Result<()> {
        if self.control_secured() || !in_transfer {
            return self.send_line("ABOR");
        }
        self.debug.emit(1, || "*cmd* 'ABOR'".to_string());
        self.debug.emit(2, || {
            "*put urgent* 'IAC IP, IAC, DM (urgent), ABOR\\r\\n'".to_string()
        });
        let sent = match self.control_tcp() {
            Some(tcp) => send_abor_synch(&SockRef::from(tcp)),
            None => Ok(()),
        };
        if let Err(e) = sent {
            let err = Error::from_io("sending ABOR", e);
            self.drop_control(&err);
            return Err(err);
        }
        Ok(())
    }
}

/// IAC IP and IAC as ordinary data, DM as the urgent byte (MSG_OOB marks
/// the last byte sent), then `ABOR\r\n` as ordinary data.
fn send_abor_synch(sock: &SockRef<'_>) -> io::Result<()> {
    send_all(sock, TELNET_IP_IAC, 0)?;
    send_all(sock, TELNET_DM, libc::MSG_OOB)?;
    send_all(sock, b"ABOR\r\n", 0)
}

fn send_all(sock: &SockRef<'_>, mut bytes: &[u8], flags: libc::c_int) -> io::Result<()> {
    while !bytes.is_empty() {
        match sock.send_with_flags(bytes, flags | libc::MSG_NOSIGNAL) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
