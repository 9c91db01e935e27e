//! Data transfers: opening the data connection (ftplib's `ntransfercmd`) and
//! the four transfer methods built on it.
//!
//! Callbacks return `Ok(())` to go on or an error to stop; a stop closes the
//! data connection abruptly, reads the transfer's final reply (so the
//! session stays in step) and returns the callback's error.

use super::Session;
use crate::command::quote;
use crate::data::{self, DataConn};
use crate::error::{Error, Result};
use crate::line_reader::{LineError, LineReader};
use crate::parse::{parse150, parse227, parse229};
use crate::reply::Reply;
use crate::reply_reader::MAX_LINE;
use std::net::{IpAddr, SocketAddr};

/// The default block size of binary transfers.
pub const DEFAULT_BLOCKSIZE: usize = 8192;
/// The largest block size used; larger requests are reduced to it, so
/// memory stays bounded whatever the caller asks.
pub const MAX_BLOCKSIZE: usize = 1 << 20;

/// Downloads read this much at a time, whatever the block size: fewer
/// system calls than small blocks, and unlike 1 MiB it stays in the CPU's
/// L2 cache (measured faster than both on loopback, BENCHMARKS.md). A
/// `retrbinary` block is never larger.
pub const MAX_RETR_BLOCK: usize = 256 * 1024;

/// `storbinary` asks its reader for at most this much at a time, whatever
/// the block size: 1 MiB writes were measured slower (BENCHMARKS.md).
pub const MAX_STOR_BLOCK: usize = 64 * 1024;

/// The block size for a requested one (0 = default, capped at the maximum).
fn block_size(blocksize: usize) -> usize {
    match blocksize {
        0 => DEFAULT_BLOCKSIZE,
        n => n.min(MAX_BLOCKSIZE),
    }
}

impl Session {
    /// ftplib's `ntransfercmd`: opens a data connection for `cmd` (after
    /// `REST rest` when given) and returns it with the size announced in a
    /// `150 ... (N bytes)` reply. The caller reads or writes it, finishes it,
    /// then reads the final reply with [`Session::voidresp`].
    pub fn ntransfercmd(
        &mut self,
        cmd: &str,
        rest: Option<u64>,
    ) -> Result<(DataConn, Option<u64>)> {
        self.begin()?;
        crate::command::check_line(cmd, "the command")?;
        let (tcp, resp) = if self.settings.passive {
            let addr = self.passive_address()?;
            let tcp = self.connect_passive(addr)?;
            let resp = self.start_transfer(cmd, rest)?;
            (tcp, resp)
        } else {
            self.refuse_active_through_proxy()?;
            let (listener, announced) = self.active_listener()?;
            self.send_void(&data::port_command(announced))?;
            let resp = self.start_transfer(cmd, rest)?;
            let server_ip = self.peer()?.ip();
            match data::accept(&listener, server_ip, self.settings.timeout, &self.cancel) {
                Ok(tcp) => (tcp, resp),
                Err(e @ Error::Cancelled(_)) => {
                    // The server cannot connect once the listener is gone:
                    // its final reply (425) is read by the next call.
                    self.owed_replies += 1;
                    return Err(e);
                }
                Err(e) => {
                    // The server owes a reply we cannot wait for in step.
                    self.drop_control(&e);
                    return Err(e);
                }
            }
        };
        let size = if resp.code == 150 {
            parse150(&resp.text)
        } else {
            None
        };
        // The server owes the final reply from here on.
        // Only a help against idle middleboxes: a socket that refuses
        // keepalive still carries the transfer.
        let _ = self.keep_socket_alive(&tcp);
        let dup = tcp.try_clone().ok();
        let token = self.new_transfer_token(dup);
        let stream = match self.secure_data(tcp) {
            Ok(stream) => stream,
            Err(e) => {
                drop(token);
                return self.fail_transfer(None, e);
            }
        };
        let mut conn = DataConn::new(stream, token);
        conn.set_upload(is_upload(cmd));
        conn.set_cut_flag(self.transfer.cut.clone());
        Ok((conn, size))
    }

    /// ftplib's `transfercmd`: [`Session::ntransfercmd`] without the size.
    pub fn transfercmd(&mut self, cmd: &str, rest: Option<u64>) -> Result<DataConn> {
        self.ntransfercmd(cmd, rest).map(|(conn, _)| conn)
    }

    /// REST (if any), the command, and its 1xx preliminary reply.
    fn start_transfer(&mut self, cmd: &str, rest: Option<u64>) -> Result<Reply> {
        if let Some(offset) = rest {
            // Set until the transfer starts: a REST whose RETR/STOR never
            // came (a cancel, an error) leaves the marker on the server.
            self.rest_marker_left = true;
            let reply = self.send_get(&format!("REST {offset}"));
            if matches!(
                reply,
                Err(Error::Perm(_) | Error::Temp(_) | Error::Reply(_))
            ) {
                self.rest_marker_left = false; // refused: no marker
            }
            // Whole-file transfers demand 350 (see files::check_rest).
            self.check_rest_reply(offset, reply)?;
        } else if self.rest_marker_left {
            // Without this, the server would start this transfer at the
            // old offset: a download silently short, an upload misplaced.
            match self.send_get("REST 0") {
                Ok(_) | Err(Error::Perm(_) | Error::Temp(_) | Error::Reply(_)) => {
                    self.rest_marker_left = false;
                }
                Err(e) => return Err(e),
            }
        }
        let mut resp = self.send_get(cmd)?;
        if resp.class() == b'2' {
            resp = self.read_reply()?.into_result()?;
        }
        if resp.class() != b'1' {
            return Err(Error::Reply(resp));
        }
        // The transfer started: the server used (and dropped) its marker.
        self.rest_marker_left = false;
        Ok(resp)
    }

    /// The address to connect to in passive mode: EPSV first (on IPv4
    /// falling back to PASV for good when the server refuses EPSV with a
    /// 5xx), and always the control connection's peer address unless the
    /// caller trusts PASV addresses.
    fn passive_address(&mut self) -> Result<SocketAddr> {
        let peer = self.peer()?;
        if peer.is_ipv6() || !self.epsv_refused {
            match self.send_get("EPSV") {
                Ok(resp) => return Ok(SocketAddr::new(peer.ip(), parse229(&resp)?)),
                Err(Error::Perm(_)) if peer.is_ipv4() => self.epsv_refused = true,
                Err(e) => return Err(e),
            }
        }
        let resp = self.send_get("PASV")?;
        let (ip, port) = parse227(&resp)?;
        let host = if self.settings.trust_pasv_address {
            IpAddr::V4(ip)
        } else {
            peer.ip()
        };
        Ok(SocketAddr::new(host, port))
    }

    pub(super) fn data_source(&self) -> Result<Option<SocketAddr>> {
        if self.settings.source.is_none() {
            return Ok(None);
        }
        // Bind the data connection to the control connection's local address.
        Ok(Some(SocketAddr::new(self.local()?.ip(), 0)))
    }

    /// Sends TYPE only when it changes.
    pub(crate) fn set_type(&mut self, t: char) -> Result<()> {
        if self.current_type == Some(t) {
            return Ok(());
        }
        self.send_void(&format!("TYPE {t}"))?;
        self.current_type = Some(t);
        Ok(())
    }

    /// Completes a transfer whose data went through: orderly close, then the
    /// final reply, which must be 2xx.
    pub(crate) fn complete_transfer(&mut self, conn: DataConn) -> Result<Reply> {
        if let Err(e) = conn.finish() {
            return self.fail_transfer(None, e);
        }
        // With keepalive, NOOPs go on while the server finishes.
        let reply = match self.final_reply_keeping_alive() {
            Ok(Some(r)) if r.class() == b'2' => Ok(r),
            Ok(Some(r)) => r.into_result().and_then(|r| Err(Error::Reply(r))),
            Ok(None) => self.voidresp(),
            Err(e) => Err(e),
        };
        // Keepalive NOOPs answered after the final reply.
        match (reply, self.drain_noop_replies()) {
            (Ok(r), Ok(())) => {
                self.last_reply = Some(r.clone());
                Ok(r)
            }
            (Err(e), _) | (Ok(_), Err(e)) => Err(e),
        }
    }

    /// Ends a transfer stopped on our side, then reads the final reply
    /// whatever it says and returns `why`. A download is reset (the server
    /// stops sending and answers 426, or 226 if it had finished). An upload
    /// is closed in order, because some servers (pyftpdlib) send no final
    /// reply at all for a reset upload and the session would fall out of
    /// step; the server keeps what it received, which may be partial. A
    /// final reply that does not come within a few seconds is not waited
    /// for: the session resynchronises with NOOP (see abort.rs).
    pub(crate) fn stop(&mut self, conn: DataConn, why: Error, upload: bool) -> Error {
        self.forget_run();
        if matches!(why, Error::Cancelled(_)) {
            return self.cancelled_transfer(Some(conn), why);
        }
        if upload {
            let _ = conn.finish();
        } else {
            conn.abandon();
        }
        if self.control.is_some() {
            let _ = self.await_final_reply();
            let _ = self.drain_noop_replies();
        }
        why
    }

    /// Ends a transfer whose data connection failed: the server's final
    /// reply, when it is an error, explains best (a 426 gives `Temp`);
    /// otherwise the data connection's error is returned. The final reply
    /// is awaited as in [`Session::stop`] (NOOP resynchronisation).
    pub(crate) fn fail_transfer<T>(&mut self, conn: Option<DataConn>, err: Error) -> Result<T> {
        self.forget_run();
        if matches!(err, Error::Cancelled(_)) {
            return Err(self.cancelled_transfer(conn, err));
        }
        if let Some(c) = conn {
            c.abandon();
        }
        if self.control.is_none() {
            return Err(err);
        }
        let last = self.await_final_reply();
        let _ = self.drain_noop_replies();
        match last {
            Ok(Some(r)) if r.class() == b'4' => Err(Error::Temp(r)),
            Ok(Some(r)) if r.class() == b'5' => Err(Error::Perm(r)),
            _ => Err(err),
        }
    }

    /// ftplib's `retrbinary`: TYPE I, then each block of the data to
    /// `on_data`: at most `blocksize` bytes and at most [`MAX_RETR_BLOCK`].
    pub fn retrbinary(
        &mut self,
        cmd: &str,
        blocksize: usize,
        rest: Option<u64>,
        mut on_data: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<Reply> {
        let info = self.take_progress_info();
        self.begin()?;
        crate::command::check_line(cmd, "the command")?;
        self.set_type('I')?;
        let (mut conn, announced) = self.ntransfercmd(cmd, rest)?;
        if let Err(e) = self.start_run(info, cmd, rest, announced, None) {
            return Err(self.stop(conn, e, false));
        }
        // Read in pieces of MAX_RETR_BLOCK and hand the callback slices of at
        // most `blocksize` bytes (ftplib's contract: a block is what one
        // read returned, never more than `blocksize`).
        let block = block_size(blocksize);
        conn.batch_reads();
        let mut buf = vec![0u8; MAX_RETR_BLOCK];
        let mut total: u64 = 0;
        loop {
            match conn.read_ticking(&mut buf, &mut || self.tick(total)) {
                Ok(0) => break,
                Ok(n) => {
                    total += n as u64;
                    for piece in buf[..n].chunks(block) {
                        // A cancel (or a deferred free) that came during
                        // a callback stops the next one.
                        if let Err(e) = self.cancel.check() {
                            let e = Error::from_io("between two data callbacks", e);
                            return self.fail_transfer(Some(conn), e);
                        }
                        if let Err(e) = on_data(piece) {
                            return Err(self.stop(conn, e, false));
                        }
                    }
                    if let Err(e) = self.tick_result(total) {
                        return Err(self.stop(conn, e, false));
                    }
                }
                Err(e) => match self.take_halt() {
                    Some(why) => return Err(self.stop(conn, why, false)),
                    None => return self.fail_transfer(Some(conn), e),
                },
            }
        }
        if let Err(e) = self.end_run(total) {
            return Err(self.stop(conn, e, false));
        }
        let reply = self.complete_transfer(conn)?;
        match announced {
            Some(size) if rest.is_none() && total < size => Err(Error::Proto(format!(
                "the server announced {size} bytes but the data connection ended after {total}"
            ))),
            _ => Ok(reply),
        }
    }

    /// ftplib's `retrlines`: TYPE A, then each line (CR, LF or CRLF removed)
    /// to `on_line`: raw bytes in UTF-8 sessions, transcoded to UTF-8 in
    /// latin-1 sessions. A line longer than 8192 bytes is a protocol error.
    pub fn retrlines(
        &mut self,
        cmd: &str,
        mut on_line: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<Reply> {
        let info = self.take_progress_info();
        self.begin()?;
        crate::command::check_line(cmd, "the command")?;
        self.set_type('A')?;
        let (mut conn, announced) = self.ntransfercmd(cmd, None)?;
        if let Err(e) = self.start_run(info, cmd, None, announced, None) {
            return Err(self.stop(conn, e, false));
        }
        conn.batch_reads();
        let encoding = self.settings.encoding;
        let ticking = Ticking {
            conn,
            session: self,
            bytes: 0,
        };
        let mut reader = LineReader::with_capacity(64 * 1024, ticking);
        let mut line = Vec::with_capacity(256);
        // The loop ends with the outcome; the session is borrowed by the
        // reader until then.
        let failure = loop {
            match reader.read_line(MAX_LINE, &mut line) {
                Ok(None) => break None,
                Ok(Some(_)) => {
                    let text = encoding.to_caller(&line);
                    let t = reader.get_mut();
                    t.session.debug.emit(3, || {
                        format!("*retr* {}", quote(&String::from_utf8_lossy(&text)))
                    });
                    if let Err(e) = t.session.cancel.check() {
                        let e = Error::from_io("between two line callbacks", e);
                        break Some((e, false));
                    }
                    if let Err(e) = on_line(&text) {
                        break Some((e, true));
                    }
                    let bytes = t.bytes;
                    if let Err(e) = t.session.tick_result(bytes) {
                        break Some((e, true));
                    }
                }
                Err(LineError::TooLong) => {
                    let e = Error::Proto(format!("got more than {MAX_LINE} bytes in one line"));
                    break Some((e, true));
                }
                Err(LineError::Io(e)) => {
                    let t = reader.get_mut();
                    break Some(match t.session.take_halt() {
                        Some(why) => (why, true),
                        None => (Error::from_io("reading the data connection", e), false),
                    });
                }
            }
        };
        let Ticking { conn, bytes, .. } = reader.into_inner();
        match failure {
            None => {
                if let Err(e) = self.end_run(bytes) {
                    return Err(self.stop(conn, e, false));
                }
                self.complete_transfer(conn)
            }
            Some((e, true)) => Err(self.stop(conn, e, false)),
            Some((e, false)) => self.fail_transfer(Some(conn), e),
        }
    }

    /// ftplib's `storbinary`: TYPE I, then blocks from `read` (which returns
    /// the number of bytes it put in the buffer, 0 at the end) until it
    /// returns 0; `on_sent` sees each block after it is sent. The buffer
    /// `read` gets holds `blocksize` bytes, at most [`MAX_STOR_BLOCK`].
    pub fn storbinary(
        &mut self,
        cmd: &str,
        blocksize: usize,
        rest: Option<u64>,
        mut read: impl FnMut(&mut [u8]) -> Result<usize>,
        mut on_sent: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<Reply> {
        let info = self.take_progress_info();
        self.begin()?;
        crate::command::check_line(cmd, "the command")?;
        self.set_type('I')?;
        let mut conn = self.transfercmd(cmd, rest)?;
        if let Err(e) = self.start_run(info, cmd, rest, None, None) {
            return Err(self.stop(conn, e, true));
        }
        let mut buf = vec![0u8; block_size(blocksize).min(MAX_STOR_BLOCK)];
        let mut total: u64 = 0;
        loop {
            let n = match read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n.min(buf.len()),
                Err(e) => return Err(self.stop(conn, e, true)),
            };
            if let Err(e) = conn.write_all_ticking(&buf[..n], &mut || self.tick(total)) {
                return match self.take_halt() {
                    Some(why) => Err(self.stop(conn, why, true)),
                    None => self.fail_transfer(Some(conn), e),
                };
            }
            total += n as u64;
            if let Err(e) = on_sent(&buf[..n]) {
                return Err(self.stop(conn, e, true));
            }
            if let Err(e) = self.tick_result(total) {
                return Err(self.stop(conn, e, true));
            }
        }
        if let Err(e) = self.end_run(total) {
            return Err(self.stop(conn, e, true));
        }
        self.complete_transfer(conn)
    }

    /// ftplib's `storlines`: TYPE A, then the lines of what `read` produces,
    /// each sent with CRLF (a line not ending in CRLF loses one final CR or
    /// LF and gets CRLF). `on_sent` sees each line as sent. A line longer
    /// than 8192 bytes is a protocol error.
    pub fn storlines(
        &mut self,
        cmd: &str,
        mut read: impl FnMut(&mut [u8]) -> Result<usize>,
        mut on_sent: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<Reply> {
        let info = self.take_progress_info();
        self.begin()?;
        crate::command::check_line(cmd, "the command")?;
        self.set_type('A')?;
        let mut conn = self.transfercmd(cmd, None)?;
        if let Err(e) = self.start_run(info, cmd, None, None, None) {
            return Err(self.stop(conn, e, true));
        }
        let mut total: u64 = 0;
        let mut pending: Vec<u8> = Vec::new();
        let mut out: Vec<u8> = Vec::with_capacity(64 * 1024);
        let mut chunk = vec![0u8; DEFAULT_BLOCKSIZE];
        let mut at_end = false;
        while !at_end {
            match read(&mut chunk) {
                Ok(0) => at_end = true,
                Ok(n) => pending.extend_from_slice(&chunk[..n.min(chunk.len())]),
                Err(e) => return Err(self.stop(conn, e, true)),
            }
            let mut start = 0;
            loop {
                let line_end = match pending[start..].iter().position(|&b| b == b'\n') {
                    Some(i) => start + i + 1,
                    None if at_end && start < pending.len() => pending.len(),
                    None => break,
                };
                let line = &pending[start..line_end];
                if line.len() > MAX_LINE + 2 || (line.len() > MAX_LINE && !line.ends_with(b"\n")) {
                    let e = Error::Proto(format!("got more than {MAX_LINE} bytes in one line"));
                    return Err(self.stop(conn, e, true));
                }
                let first = out.len();
                push_crlf_line(&mut out, line);
                if let Err(e) = on_sent(&out[first..]) {
                    return Err(self.stop(conn, e, true));
                }
                start = line_end;
            }
            pending.drain(..start);
            if pending.len() > MAX_LINE {
                let e = Error::Proto(format!("got more than {MAX_LINE} bytes in one line"));
                return Err(self.stop(conn, e, true));
            }
            if out.len() >= 48 * 1024 || at_end {
                if let Err(e) = conn.write_all_ticking(&out, &mut || self.tick(total)) {
                    return match self.take_halt() {
                        Some(why) => Err(self.stop(conn, why, true)),
                        None => self.fail_transfer(Some(conn), e),
                    };
                }
                total += out.len() as u64;
                out.clear();
            }
            if let Err(e) = self.tick_result(total) {
                return Err(self.stop(conn, e, true));
            }
        }
        if let Err(e) = self.end_run(total) {
            return Err(self.stop(conn, e, true));
        }
        self.complete_transfer(conn)
    }
}

/// A download's data connection read through a [`LineReader`]: every wait
/// slice ticks the session (progress, keepalive), and the bytes are counted.
struct Ticking<'s> {
    conn: DataConn,
    session: &'s mut Session,
    bytes: u64,
}

impl std::io::Read for Ticking<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let session = &mut *self.session;
        let bytes = self.bytes;
        let n = self
            .conn
            .read_ticking_io(buf, &mut || session.tick(bytes))?;
        self.bytes += n as u64;
        Ok(n)
    }
}

/// True for the commands whose data goes to the server.
fn is_upload(cmd: &str) -> bool {
    let verb = cmd.split_whitespace().next().unwrap_or("");
    ["STOR", "STOU", "APPE"]
        .iter()
        .any(|v| verb.eq_ignore_ascii_case(v))
}

/// Appends `line` with ftplib's storlines rule: CRLF kept; otherwise one
/// final CR or LF removed and CRLF appended.
fn push_crlf_line(out: &mut Vec<u8>, line: &[u8]) {
    if line.ends_with(b"\r\n") {
        out.extend_from_slice(line);
        return;
    }
    let body = match line.last() {
        Some(b'\r') | Some(b'\n') => &line[..line.len() - 1],
        _ => line,
    };
    out.extend_from_slice(body);
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::push_crlf_line;

    #[test]
    fn storlines_conversion() {
        for (input, want) in [
            (&b"x\n"[..], &b"x\r\n"[..]),
            (b"x", b"x\r\n"),
            (b"x\r", b"x\r\n"),
            (b"x\r\n", b"x\r\n"),
            (b"a\rb\n", b"a\rb\r\n"),
            (b"\n", b"\r\n"),
        ] {
            let mut out = Vec::new();
            push_crlf_line(&mut out, input);
            assert_eq!(out, want, "{input:?}");
        }
    }
}
