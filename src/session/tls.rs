//! ftplib's `FTP_TLS` on top of a session: AUTH TLS, implicit TLS,
//! PBSZ/PROT, CCC, and securing data connections with session resumption.

use super::Session;
use crate::error::{Error, Result};
use crate::stream::{NetStream, Transport};
use crate::tls::{client_handshake, HandshakeLimits, SessionStore, TlsConfig, TlsContext};
use std::net::TcpStream;

/// The default port of implicit FTPS.
pub const IMPLICIT_PORT: u16 = 990;

/// The TLS side of a session.
#[derive(Debug, Default)]
pub(crate) struct TlsState {
    /// `Some` for an FTP_TLS session.
    config: Option<TlsConfig>,
    /// Built at the first handshake.
    context: Option<TlsContext>,
    /// TLS from the first byte.
    pub(crate) implicit: bool,
    /// PROT P in force: data connections are TLS.
    protect_data: bool,
    /// `prot_c` was called on this connection: login leaves data clear.
    clear_data_asked: bool,
    /// `login` succeeded on this connection.
    logged_in: bool,
    /// The control connection was already given time to deliver its TLS
    /// 1.3 session tickets (see `secure_data`).
    tickets_awaited: bool,
}

impl TlsState {
    pub(crate) fn reset_for_new_connection(&mut self) {
        self.protect_data = false;
        self.clear_data_asked = false;
        self.logged_in = false;
        self.tickets_awaited = false;
        if let Some(ctx) = &self.context {
            ctx.store.clear();
        }
    }
}

impl TlsState {
    /// The TLS mode of a URL's scheme (before connecting): plain drops
    /// the configuration; TLS takes `config`, else keeps the one there,
    /// else the defaults.
    pub(crate) fn set_for_url(&mut self, secure: bool, implicit: bool, config: Option<TlsConfig>) {
        if !secure {
            self.config = None;
            self.context = None;
        } else if let Some(cfg) = config {
            self.config = Some(cfg);
            self.context = None;
        } else if self.config.is_none() {
            self.config = Some(TlsConfig::default());
        }
        self.implicit = secure && implicit;
    }
}

fn not_tls() -> Error {
    Error::State("this is a plain FTP session (create it with TLS to use FTPS)".into())
}

impl Session {
    /// A new FTP_TLS session that will use `config`.
    pub fn new_tls(config: TlsConfig) -> Session {
        let mut s = Session::new();
        s.tls.config = Some(config);
        s
    }

    /// True for sessions made with [`Session::new_tls`].
    pub fn is_tls_session(&self) -> bool {
        self.tls.config.is_some()
    }

    /// True when the control connection is protected by TLS.
    pub fn control_secured(&self) -> bool {
        self.control
            .as_ref()
            .is_some_and(|c| c.reader.get_ref().is_tls())
    }

    /// True when PROT P is in force.
    pub fn data_protected(&self) -> bool {
        self.tls.protect_data
    }

    /// Implicit TLS (from the first byte; default port 990). Set before connecting.
    pub fn set_implicit_tls(&mut self, implicit: bool) -> Result<()> {
        if !self.is_tls_session() {
            return Err(not_tls());
        }
        if self.control.is_some() {
            return Err(Error::State("set implicit TLS before connecting".into()));
        }
        self.tls.implicit = implicit;
        Ok(())
    }

    fn context(&mut self) -> Result<&TlsContext> {
        if self.tls.context.is_none() {
            let config = self.tls.config.as_ref().ok_or_else(not_tls)?;
            self.tls.context = Some(config.build()?);
        }
        Ok(self.tls.context.as_ref().expect("built above"))
    }

    /// Wraps the control connection in TLS (after AUTH TLS, or at once
    /// for implicit TLS).
    fn secure_control(&mut self) -> Result<()> {
        if let Err(e) = self.context() {
            // The server expects a handshake now: clear text must not go on.
            self.drop_control(&e);
            return Err(e);
        }
        let Some(ctl) = self.control.as_mut() else {
            return Err(self.not_connected());
        };
        if ctl.reader.buffered() > 0 {
            let e = Error::Proto("the server sent data before the TLS handshake".into());
            self.drop_control(&e);
            return Err(e);
        }
        let stream: &mut NetStream = ctl.reader.get_mut();
        let tcp = match stream.tcp().try_clone() {
            Ok(tcp) => tcp,
            Err(e) => {
                let e = Error::from_io("preparing the TLS handshake", e);
                self.drop_control(&e);
                return Err(e);
            }
        };
        let ctx = self.tls.context.as_ref().expect("built above");
        // The handshake gets the whole session timeout, whatever the last
        // reply's deadline left on the socket.
        let timeout = self.settings.timeout;
        let _ = tcp.set_read_timeout(timeout);
        let _ = tcp.set_write_timeout(timeout);
        let limits = HandshakeLimits {
            timeout,
            cancel: &self.cancel,
        };
        match client_handshake(ctx, tcp, &ctl.host, None, true, limits) {
            Ok(tls) => {
                stream.put_transport(Transport::Tls(Box::new(tls)));
                // Servers advertise differently once the channel is secured.
                self.features = None;
                self.mlst_facts_requested = false;
                stream
                    .set_idle_timeout(timeout)
                    .map_err(|e| Error::from_io("configuring the connection", e))?;
                Ok(())
            }
            Err(e) => {
                self.drop_control(&e);
                Err(e)
            }
        }
    }

    pub(crate) fn secure_if_implicit(&mut self) -> Result<()> {
        if self.tls.implicit && self.is_tls_session() {
            self.secure_control()
        } else {
            Ok(())
        }
    }

    /// ftplib's `auth`: AUTH TLS (any 2xx), then the TLS handshake. Fails
    /// with `State` on a plain session or a control connection already
    /// secured; a refusal is an error (never a silent fallback to clear text).
    pub fn auth(&mut self) -> Result<()> {
        if !self.is_tls_session() {
            return Err(not_tls());
        }
        self.begin()?;
        if self.control_secured() {
            return Err(Error::State(
                "the control connection is already secured".into(),
            ));
        }
        // A configuration that cannot be built fails before AUTH TLS is
        // sent, and like every TLS failure it closes the connection.
        if let Err(e) = self.context() {
            self.drop_control(&e);
            return Err(e);
        }
        self.send_void("AUTH TLS")?;
        self.secure_control()
    }

    /// On FTP_TLS sessions, login secures the control connection first.
    pub(crate) fn auth_before_login(&mut self) -> Result<()> {
        if self.is_tls_session() && !self.control_secured() {
            self.auth()?;
        }
        Ok(())
    }

    /// ftplib's `prot_p`: PBSZ 0 then PROT P; data connections are TLS from
    /// now on. [`Session::login`] does this by itself on TLS sessions.
    pub fn prot_p(&mut self) -> Result<()> {
        self.require_secured()?;
        self.tls.clear_data_asked = false;
        self.send_void("PBSZ 0")?;
        self.send_void("PROT P")?;
        self.tls.protect_data = true;
        Ok(())
    }

    /// ftplib's `prot_c`: PROT C; data connections are clear text from now
    /// on. Before login (connected, secured or not, PROT P not sent) nothing
    /// is sent: it only stops [`Session::login`] from protecting the data
    /// connections (which are clear until PROT P anyway).
    pub fn prot_c(&mut self) -> Result<()> {
        if !self.is_tls_session() {
            return Err(not_tls());
        }
        self.begin()?;
        if !self.tls.logged_in && !self.tls.protect_data {
            self.tls.clear_data_asked = true;
            return Ok(());
        }
        self.require_secured()?;
        self.tls.clear_data_asked = true;
        self.send_void("PROT C")?;
        self.tls.protect_data = false;
        Ok(())
    }

    /// After a successful login on a TLS session: PBSZ 0 + PROT P unless
    /// `prot_c` was called on this connection (or PROT P is already in
    /// force), so file data never travels in clear over a session the
    /// caller asked to be TLS, unless the caller asked for it. A refusal
    /// is returned (the session stays logged in and in step).
    pub(crate) fn protect_after_login(&mut self) -> Result<()> {
        self.tls.logged_in = true;
        if !self.is_tls_session() || self.tls.clear_data_asked || self.tls.protect_data {
            return Ok(());
        }
        self.prot_p()
    }

    /// ftplib's `ccc`: CCC, then a TLS shutdown that keeps the TCP
    /// connection, which goes on in clear text.
    pub fn ccc(&mut self) -> Result<()> {
        self.require_secured()?;
        self.send_void("CCC")?;
        let Some(ctl) = self.control.as_mut() else {
            return Err(self.not_connected());
        };
        if let Err(e) = ctl.reader.get_mut().tls_shutdown_keep_tcp() {
            let err = Error::from_io("ending TLS on the control connection", e);
            self.drop_control(&err);
            return Err(err);
        }
        Ok(())
    }

    fn require_secured(&mut self) -> Result<()> {
        if !self.is_tls_session() {
            return Err(not_tls());
        }
        self.begin()?;
        if !self.control_secured() {
            return Err(Error::State(
                "the control connection is not secured (call auth or login first)".into(),
            ));
        }
        Ok(())
    }

    /// Wraps a new data connection in TLS when PROT P is in force, resuming
    /// the control connection's TLS session.
    pub(crate) fn secure_data(&mut self, tcp: TcpStream) -> Result<NetStream> {
        let timeout = self.settings.timeout;
        if !self.tls.protect_data {
            let mut stream = NetStream::new(tcp, timeout)
                .map_err(|e| Error::from_io("configuring the data connection", e))?;
            stream.set_cancel(self.cancel.clone());
            return Ok(stream);
        }
        tcp.set_read_timeout(timeout)
            .and_then(|()| tcp.set_write_timeout(timeout))
            .map_err(|e| Error::from_io("configuring the data connection", e))?;
        let host = self
            .control
            .as_ref()
            .map(|c| c.host.clone())
            .ok_or_else(|| self.not_connected())?;
        if self.context()?.store.is_empty() && !self.tls.tickets_awaited {
            // TLS 1.3 sends its session tickets after the handshake: make
            // sure they have been read before the data connection needs one.
            // Once per connection: a server that sends none (Pure-FTPd)
            // would otherwise cost this wait on every data connection.
            self.tls.tickets_awaited = true;
            if let Some(ctl) = self.control.as_mut() {
                ctl.reader
                    .get_mut()
                    .process_tls_tickets(std::time::Duration::from_millis(250));
            }
        }
        let control_session = self
            .control
            .as_ref()
            .and_then(|c| c.reader.get_ref().tls_session());
        let cancel = self.cancel.clone();
        let ctx = self.context()?;
        // Always a fresh copy (see tls/resume.rs): OpenSSL may have marked
        // the objects of earlier connections as not resumable.
        let session = ctx
            .store
            .take()
            .or_else(|| control_session.as_deref().and_then(SessionStore::copy));
        let limits = HandshakeLimits {
            timeout,
            cancel: &cancel,
        };
        let tls = client_handshake(ctx, tcp, &host, session.as_ref(), false, limits)?;
        let mut stream = NetStream::new_tls(tls, timeout)
            .map_err(|e| Error::from_io("configuring the data connection", e))?;
        stream.set_cancel(self.cancel.clone());
        stream
            .set_idle_timeout(timeout)
            .map_err(|e| Error::from_io("configuring the data connection", e))?;
        Ok(stream)
    }
}
