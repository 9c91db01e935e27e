//! An FTP session (ftplib's `FTP` class): settings, the control connection,
//! and sending commands / reading replies on it.
//!
//! The methods are split by topic: [`commands`] (login, simple commands,
//! file operations), [`transfers`] (data connections and transfers).

mod abort;
mod active;
mod cancelled;
mod commands;
mod control;
mod entries;
mod fd_transfers;
mod features;
mod files;
mod listings;
mod liveness;
mod metadata;
mod progress;
mod proxied;
mod settings;
mod tls;
mod transfers;
mod url_connect;
mod utf8;

pub use entries::ListMethod;
pub use settings::{ActiveAddress, NetrcFile, Settings, UrlCwd, ZeroCopy};
pub use tls::IMPLICIT_PORT;
pub use transfers::{DEFAULT_BLOCKSIZE, MAX_BLOCKSIZE, MAX_RETR_BLOCK, MAX_STOR_BLOCK};
pub use url_connect::UrlPath;

use crate::cancel::CancelToken;
use crate::command::{self, quote, sanitize};
use crate::debug::{Debug, DebugSink};
use crate::encoding::Encoding;
use crate::error::{Error, Result};
use crate::line_reader::LineReader;
use crate::reply::Reply;
use crate::reply_reader;
use crate::stream::NetStream;
use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

/// The default FTP port.
pub const DEFAULT_PORT: u16 = 21;

/// The connected state of a session.
#[derive(Debug)]
struct Control {
    reader: LineReader<NetStream>,
    peer: SocketAddr,
    local: SocketAddr,
    /// The host name given to connect (TLS SNI and host name check).
    host: String,
    /// The way through a proxy, when the connection took one.
    route: Option<crate::proxy::Route>,
}

/// What the session knows of the transfer in progress.
#[derive(Debug, Default)]
struct TransferState {
    /// Alive while a [`crate::data::DataConn`] handed out by the session exists.
    token: Weak<()>,
    /// A duplicate of the data socket, to cut it on `abort`.
    socket: Option<TcpStream>,
    /// The server still owes the final reply (226/426...) of a transfer.
    final_pending: bool,
    /// Set when the transfer's data connection was cut (reset) rather than
    /// ended in order: its final reply is then awaited briefly, with a NOOP
    /// resynchronisation (see abort.rs), as some servers send none.
    cut: Arc<AtomicBool>,
}

/// An FTP client session.
#[derive(Debug, Default)]
pub struct Session {
    settings: Settings,
    debug: Debug,
    control: Option<Control>,
    closed_because: Option<String>,
    welcome: Option<String>,
    last_reply: Option<Reply>,
    epsv_refused: bool,
    /// A REST was sent whose transfer did not start (cancelled, failed):
    /// the server may still hold its restart marker, which the next
    /// transfer clears with `REST 0` (see transfers.rs).
    rest_marker_left: bool,
    current_type: Option<char>,
    transfer: TransferState,
    tls: tls::TlsState,
    /// Set from other threads to stop the running call.
    cancel: CancelToken,
    /// The reply to FEAT, once asked on this connection (and since AUTH).
    features: Option<crate::features::Features>,
    /// Whether `OPTS MLST` was settled on this connection (see entries.rs).
    mlst_facts_requested: bool,
    /// Final replies the server still owes for calls cancelled before
    /// they came; the next call reads them first (see `read_owed_replies`).
    owed_replies: u32,
    /// Progress reports and keepalive (see progress.rs).
    monitor: progress::Monitor,
    /// The path of the URL the connection was opened with (url_connect.rs).
    url_path: Option<String>,
    /// Whole-file transfers: endpoint and login for retries, the retry
    /// policy, strict REST (see `crate::files`).
    files: crate::files::FilesState,
}

impl Session {
    /// A new, unconnected session with default settings.
    pub fn new() -> Session {
        Session::default()
    }

    /// The token that cancels this session's running call from another
    /// thread (or a signal handler): every wait notices it within
    /// [`crate::cancel::SLICE`] and the call fails with
    /// [`Error::Cancelled`]. The token stays set until reset; the C API
    /// resets it at the start of each call.
    pub fn cancel_token(&self) -> &CancelToken {
        &self.cancel
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Sets the session timeout (`None`: block without limit). It bounds the
    /// TCP connect, every wait for a reply, the data connect/accept, and each
    /// read or write of a data connection.
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        if timeout == Some(Duration::ZERO) {
            return Err(Error::InvalidArgument(
                "a zero timeout is not allowed (use None to block)".into(),
            ));
        }
        self.settings.timeout = timeout;
        if let Some(ctl) = self.control.as_mut() {
            ctl.reader
                .get_mut()
                .set_idle_timeout(timeout)
                .map_err(|e| Error::from_io("setting the timeout", e))?;
        }
        Ok(())
    }

    /// Sets the local address to connect from (`None`: any).
    pub fn set_source_address(&mut self, source: Option<(String, u16)>) -> Result<()> {
        if let Some((host, _)) = &source {
            command::check_line(host, "the source address")?;
        }
        self.settings.source = source;
        Ok(())
    }

    /// Sets the text encoding.
    pub fn set_encoding(&mut self, encoding: Encoding) {
        self.settings.encoding = encoding;
    }

    /// Tells the session how far the server's clock is ahead of ours, in
    /// seconds (negative: behind), for placing Unix listing dates that have
    /// no year (see [`Session::list`]). FTP has no command that tells it;
    /// 0, the default, assumes the clocks agree.
    pub fn set_server_clock_offset(&mut self, seconds: i64) {
        self.settings.server_clock_offset = seconds;
    }

    /// Chooses passive (true, the default) or active data connections.
    pub fn set_passive(&mut self, passive: bool) {
        self.settings.passive = passive;
    }

    /// Uses the address in a 227 reply instead of the control connection's
    /// peer (off by default: a hostile server could aim us elsewhere).
    pub fn set_trust_server_pasv_ipv4_address(&mut self, trust: bool) {
        self.settings.trust_pasv_address = trust;
    }

    /// Chooses when descriptor transfers use splice/sendfile.
    pub fn set_zero_copy(&mut self, mode: ZeroCopy) {
        self.settings.zero_copy = mode;
    }

    /// Sets the debug level (0, 1, 2 or more, as ftplib).
    pub fn set_debug_level(&mut self, level: i32) {
        self.debug.set_level(level);
    }

    /// Sends debug lines to `sink` instead of standard error.
    pub fn set_debug_sink(&mut self, sink: Option<DebugSink>) {
        self.debug.set_sink(sink);
    }

    /// True while the control connection is open.
    pub fn is_connected(&self) -> bool {
        self.control.is_some()
    }

    /// True while a data connection handed out by `ntransfercmd` is open.
    pub fn transfer_open(&self) -> bool {
        self.transfer.token.strong_count() > 0
    }

    /// The server's welcome reply, once connected.
    pub fn welcome(&self) -> Option<&str> {
        self.welcome.as_deref()
    }

    /// The last reply read from the server in the current call.
    pub fn last_reply(&self) -> Option<&Reply> {
        self.last_reply.as_ref()
    }

    /// Forgets the last reply (done at the start of each call that talks to the server).
    pub fn clear_last_reply(&mut self) {
        self.last_reply = None;
    }

    /// Connects to `host:port` (port 0 = 21) and reads the welcome.
    pub fn connect(&mut self, host: &str, port: u16) -> Result<Reply> {
        self.last_reply = None;
        if self.control.is_some() {
            return Err(Error::State(
                "already connected (call close or quit first)".into(),
            ));
        }
        command::check_line(host, "the host name")?;
        if host.is_empty() {
            return Err(Error::InvalidArgument("the host name is empty".into()));
        }
        let port = match port {
            0 if self.tls.implicit => tls::IMPLICIT_PORT,
            0 => DEFAULT_PORT,
            p => p,
        };
        let (tcp, route) = self.open_control(host, port)?;
        self.keep_socket_alive(&tcp)?;
        let peer = tcp
            .peer_addr()
            .map_err(|e| Error::from_io("connecting", e))?;
        let local = tcp
            .local_addr()
            .map_err(|e| Error::from_io("connecting", e))?;
        let mut stream = NetStream::new(tcp, self.settings.timeout)
            .map_err(|e| Error::from_io("configuring the connection", e))?;
        stream.set_cancel(self.cancel.clone());
        self.control = Some(Control {
            reader: LineReader::with_capacity(8192, stream),
            peer,
            local,
            host: host.to_string(),
            route,
        });
        self.closed_because = None;
        self.owed_replies = 0;
        self.monitor.reset_connection();
        self.forget_features();
        self.files.endpoint = Some((host.to_string(), port));
        self.url_path = None;
        self.welcome = None;
        self.epsv_refused = false;
        self.rest_marker_left = false;
        self.current_type = None;
        self.transfer = TransferState::default();
        self.tls.reset_for_new_connection();
        let welcome = match self
            .secure_if_implicit()
            .and_then(|()| self.read_reply())
            .and_then(Reply::into_result)
        {
            Ok(w) => w,
            Err(e) => {
                self.drop_control(&e);
                return Err(e);
            }
        };
        self.debug
            .emit(1, || format!("*welcome* {}", quote(&welcome.text)));
        self.welcome = Some(welcome.text.clone());
        Ok(welcome)
    }

    /// Closes the connection without sending anything. Safe to call twice.
    pub fn close(&mut self) {
        self.control = None;
        self.closed_because = None;
        self.owed_replies = 0;
        self.monitor.reset_connection();
        self.forget_features();
        self.transfer = TransferState::default();
        self.current_type = None;
    }

    /// Closes the control connection after an error that broke it, and
    /// remembers why for later `State` errors.
    pub(crate) fn drop_control(&mut self, why: &Error) {
        if self.control.take().is_some() {
            self.closed_because = Some(why.to_string());
        }
        self.owed_replies = 0;
        self.monitor.reset_connection();
        self.forget_features();
        self.transfer.final_pending = false;
        self.transfer.socket = None;
    }

    fn not_connected(&self) -> Error {
        match &self.closed_because {
            Some(why) => Error::State(format!(
                "not connected (the connection was closed after: {why})"
            )),
            None => Error::State("not connected".into()),
        }
    }

    /// The start of every public call that sends a command: connected, no
    /// transfer open, and any final reply owed by a finished transfer read.
    pub(crate) fn begin(&mut self) -> Result<()> {
        self.last_reply = None;
        if self.control.is_none() {
            return Err(self.not_connected());
        }
        if self.transfer_open() {
            return Err(Error::State(
                "a transfer is open: close it and read its reply with voidresp first".into(),
            ));
        }
        self.forget_run();
        if self.transfer.final_pending && self.transfer.cut.load(Ordering::SeqCst) {
            // Bounded, with a NOOP resynchronisation (see abort.rs).
            self.await_final_reply()?;
        } else if self.transfer.final_pending {
            self.transfer.final_pending = false;
            self.transfer.socket = None;
            self.read_reply()?;
        }
        // Keepalive NOOPs of a transfer whose call was cancelled.
        self.drain_noop_replies()?;
        self.read_owed_replies()
    }

    /// Reads the final replies owed for calls that were cancelled before
    /// their reply came (1xx preliminary replies do not count), so the
    /// session is back in step. A failure closes the connection, as for
    /// any reply; a cancel leaves the rest owed.
    fn read_owed_replies(&mut self) -> Result<()> {
        while self.owed_replies > 0 {
            let owed = self.owed_replies;
            // read_reply counts one more if it is cancelled before the reply.
            self.owed_replies = 0;
            match self.read_reply() {
                Ok(r) => self.owed_replies = owed - u32::from(r.class() != b'1'),
                Err(e) => {
                    if self.control.is_some() {
                        self.owed_replies = owed;
                    }
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Sends one command line (refused before anything is sent if it
    /// contains CR, LF or NUL, or does not fit the encoding).
    pub(crate) fn send_line(&mut self, cmd: &str) -> Result<()> {
        let bytes = command::encode_line(cmd, self.settings.encoding)?;
        let Some(ctl) = self.control.as_mut() else {
            return Err(self.not_connected());
        };
        // A cancel before the first byte leaves nothing sent and the
        // session in step; after it, the command is cut and the session
        // must close.
        if let Err(e) = self.cancel.check() {
            return Err(Error::from_io(
                "before sending a command (nothing was sent)",
                e,
            ));
        }
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            match ctl.reader.get_mut().write(rest) {
                Ok(0) => {
                    let err =
                        Error::from_io("sending a command", std::io::ErrorKind::WriteZero.into());
                    self.drop_control(&err);
                    return Err(err);
                }
                Ok(n) => {
                    // The debug lines tell what was sent: a command a
                    // cancel stopped before its first byte has none.
                    if rest.len() == bytes.len() {
                        self.debug.emit(1, || format!("*cmd* {}", sanitize(cmd)));
                        self.debug
                            .emit(2, || format!("*put* {}", sanitize(&format!("{cmd}\r\n"))));
                    }
                    rest = &rest[n..];
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) if rest.len() == bytes.len() && crate::cancel::is_cancelled_io(&e) => {
                    return Err(Error::from_io(
                        "before sending a command (nothing was sent)",
                        e,
                    ));
                }
                Err(e) => {
                    let err = Error::from_io("sending a command", e);
                    self.drop_control(&err);
                    return Err(err);
                }
            }
        }
        let upper = cmd.trim_start().to_ascii_uppercase();
        if upper.starts_with("TYPE") || upper.starts_with("REIN") || upper.starts_with("USER") {
            self.current_type = None;
        }
        Ok(())
    }

    /// Reads one complete reply within the timeout (see
    /// [`Session::read_one_reply`]); while keepalive NOOPs sent during a
    /// transfer are owed, their 200 replies are consumed here, never
    /// returned (see progress.rs).
    pub(crate) fn read_reply(&mut self) -> Result<Reply> {
        loop {
            let reply = self.read_one_reply()?;
            if !self.is_noop_reply(&reply) {
                return Ok(reply);
            }
        }
    }

    /// True (and counted) when `reply` is the reply of a keepalive NOOP.
    pub(crate) fn is_noop_reply(&mut self, reply: &Reply) -> bool {
        if reply.code == 200 && self.monitor.noops_owed > 0 {
            self.monitor.noops_owed -= 1;
            true
        } else {
            false
        }
    }

    /// Reads one complete reply within the timeout. Any failure to read one
    /// (I/O, EOF, timeout, a line or reply too long) closes the control
    /// connection, which can no longer be trusted to be in step. A 421 reply
    /// (service closing) closes it too.
    pub(crate) fn read_one_reply(&mut self) -> Result<Reply> {
        let timeout = self.settings.timeout;
        let encoding = self.settings.encoding;
        let Some(ctl) = self.control.as_mut() else {
            return Err(self.not_connected());
        };
        let debug = &mut self.debug;
        ctl.reader
            .get_mut()
            .set_deadline(timeout.map(|t| Instant::now() + t));
        // Nothing is consumed before the reply's first byte is here, so a
        // cancel until then leaves the session in step: the reply is owed
        // and the next call reads it first.
        if let Err(e) = ctl.reader.wait_for_data() {
            ctl.reader.get_mut().set_deadline(None);
            if crate::cancel::is_cancelled_io(&e) {
                self.owed_replies += 1;
                return Err(Error::Cancelled(
                    "while waiting for the server's reply (the session stays usable: \
                     the next call reads that reply first)"
                        .into(),
                ));
            }
            let err = Error::from_io("while waiting for a reply", e);
            self.drop_control(&err);
            return Err(err);
        }
        let result = reply_reader::read_reply(&mut ctl.reader, encoding, |line| {
            debug.emit(2, || {
                format!("*get* {}", quote(&encoding.decode_lossy(line)))
            });
        })
        .map_err(|e| match e {
            Error::Cancelled(_) => Error::Cancelled(
                "in the middle of a reply (the control connection was closed: \
                 it could not be kept in step)"
                    .into(),
            ),
            other => other,
        });
        ctl.reader.get_mut().set_deadline(None);
        match result {
            Ok(reply) => {
                self.debug
                    .emit(1, || format!("*resp* {}", quote(&reply.text)));
                self.last_reply = Some(reply.clone());
                if reply.code == 421 {
                    self.drop_control(&Error::Temp(reply.clone()));
                }
                Ok(reply)
            }
            Err(e) => {
                self.drop_control(&e);
                Err(e)
            }
        }
    }

    /// Sends a command and returns its reply, which must be 1xx-3xx.
    pub(crate) fn send_get(&mut self, cmd: &str) -> Result<Reply> {
        self.send_line(cmd)?;
        self.read_reply()?.into_result()
    }

    /// Sends a command whose reply must be 2xx.
    pub(crate) fn send_void(&mut self, cmd: &str) -> Result<Reply> {
        self.send_line(cmd)?;
        self.read_reply()?.into_void_result()
    }

    /// ftplib's `sendcmd`: sends a command, returns the 1xx-3xx reply.
    pub fn sendcmd(&mut self, cmd: &str) -> Result<Reply> {
        self.begin()?;
        self.send_get(cmd)
    }

    /// ftplib's `voidcmd`: sends a command; the reply must be 2xx.
    pub fn voidcmd(&mut self, cmd: &str) -> Result<Reply> {
        self.begin()?;
        self.send_void(cmd)
    }

    /// ftplib's `getresp`: reads a reply (allowed while a transfer is open;
    /// it consumes the final reply of a transfer).
    pub fn getresp(&mut self) -> Result<Reply> {
        self.last_reply = None;
        if self.control.is_none() {
            return Err(self.not_connected());
        }
        if self.transfer.final_pending
            && !self.transfer_open()
            && self.transfer.cut.load(Ordering::SeqCst)
        {
            // The final reply of a transfer whose data connection was cut:
            // 1xx skipped, bounded wait, NOOP resynchronisation when it
            // never comes (see abort.rs).
            return match self.await_final_reply()? {
                Some(r) => r.into_result(),
                None => Err(abort::no_final_reply()),
            };
        }
        self.transfer.final_pending = false;
        self.transfer.socket = None;
        // A reply owed by a cancelled wait is the one this call reads.
        self.owed_replies = self.owed_replies.saturating_sub(1);
        self.read_reply()?.into_result()
    }

    /// ftplib's `voidresp`: reads a reply that must be 2xx.
    pub fn voidresp(&mut self) -> Result<Reply> {
        let r = self.getresp()?;
        if r.class() == b'2' {
            Ok(r)
        } else {
            Err(Error::Reply(r))
        }
    }

    /// ftplib's `quit`: sends QUIT and closes the connection, whatever the
    /// reply (the reply's error, if any, is returned).
    pub fn quit(&mut self) -> Result<Reply> {
        let r = self.voidcmd("QUIT");
        if !matches!(r, Err(Error::State(_))) {
            self.close();
        }
        r
    }

    pub(crate) fn peer(&self) -> Result<SocketAddr> {
        self.control
            .as_ref()
            .map(|c| c.peer)
            .ok_or_else(|| self.not_connected())
    }

    pub(crate) fn local(&self) -> Result<SocketAddr> {
        self.control
            .as_ref()
            .map(|c| c.local)
            .ok_or_else(|| self.not_connected())
    }

    pub(crate) fn control_tcp(&self) -> Option<&TcpStream> {
        self.control.as_ref().map(|c| c.reader.get_ref().tcp())
    }

    pub(crate) fn new_transfer_token(&mut self, socket: Option<TcpStream>) -> Arc<()> {
        let token = Arc::new(());
        self.transfer = TransferState {
            token: Arc::downgrade(&token),
            socket,
            final_pending: true,
            cut: Arc::default(),
        };
        token
    }
}
