//! Opening the control connection's TCP socket: the one place that does it
//! (a proxy hooks in here), with the connect settings.

use super::Session;
use crate::connect::{self, Attempt, Resolver};
use crate::error::{Error, Result};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

impl Session {
    /// Bounds opening the control connection (the whole Happy Eyeballs
    /// race); `None`: the session timeout.
    pub fn set_connect_timeout(&mut self, timeout: Option<Duration>) {
        self.settings.connect_timeout = timeout;
    }

    /// Resolves host names with `resolver` instead of the system's
    /// (`None`: the system's). Rust only: the C API has no resolver hook.
    pub fn set_resolver(&mut self, resolver: Option<Resolver>) {
        self.settings.resolver = resolver;
    }

    /// The control connection's TCP socket to `host:port`: every address
    /// of the name, raced by Happy Eyeballs (see [`crate::connect`]),
    /// from the source address when set, within the connect timeout (else
    /// the session timeout), noticing a cancel. With several addresses,
    /// debug level 1 tells each attempt (`*connect*` lines).
    pub(crate) fn connect_control(&mut self, host: &str, port: u16) -> Result<TcpStream> {
        let addrs = connect::resolve(host, port, self.settings.resolver.as_ref())?;
        let source = self.source_addr()?;
        let timeout = self.settings.connect_timeout.or(self.settings.timeout);
        let debug = &mut self.debug;
        let several = addrs.len() > 1;
        let mut report = |a: Attempt<'_>| {
            if several {
                debug.emit(1, || match a {
                    Attempt::Started(addr) => format!("*connect* trying {addr}"),
                    Attempt::Failed(addr, e) => format!("*connect* {addr} failed: {e}"),
                    Attempt::Connected(addr) => format!("*connect* connected to {addr}"),
                });
            }
        };
        connect::connect_first(&addrs, source, timeout, &self.cancel, &mut report)
            .map_err(|e| Error::from_io(&format!("connecting to {host} port {port}"), e))
    }

    pub(super) fn source_addr(&self) -> Result<Option<SocketAddr>> {
        let Some((host, port)) = &self.settings.source else {
            return Ok(None);
        };
        // The resolver's first address, as before Happy Eyeballs.
        let addr = connect::lookup(host, *port, self.settings.resolver.as_ref())
            .map_err(|e| match e {
                Error::Io { source, .. } => {
                    Error::from_io(&format!("cannot resolve source {host:?}"), source)
                }
                other => other,
            })?
            .into_iter()
            .next();
        Ok(addr)
    }
}
