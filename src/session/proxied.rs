//! Connections through a proxy (see [`crate::proxy`]): the control
//! connection, and the passive data connections by the same way. Active
//! mode cannot go through a proxy.

use super::Session;
use crate::data;
use crate::error::{Error, Result};
use crate::proxy::{self, Limits, ProxyUrl, Route};
use std::net::{SocketAddr, TcpStream};

impl Session {
    /// Sets the proxy for the connections opened from the next
    /// [`Session::connect`] on (`None`: none); an open connection keeps the
    /// way it was opened. See [`ProxyUrl`] for the forms; a bad URL gives
    /// [`Error::InvalidArgument`] and leaves the setting as it was.
    pub fn set_proxy(&mut self, url: Option<&str>) -> Result<()> {
        self.settings.proxy = url.map(ProxyUrl::parse).transpose()?;
        Ok(())
    }

    fn limits(&self, source: Option<SocketAddr>) -> Limits<'_> {
        Limits {
            source,
            timeout: self.settings.timeout,
            cancel: &self.cancel,
        }
    }

    /// The control connection's socket: direct, or through the proxy (then
    /// with the route the data connections take).
    pub(super) fn open_control(
        &mut self,
        host: &str,
        port: u16,
    ) -> Result<(TcpStream, Option<Route>)> {
        let Some(proxy) = self.settings.proxy.clone() else {
            return Ok((self.connect_control(host, port)?, None));
        };
        self.debug
            .emit(1, || format!("*proxy* {host}:{port} through {proxy}"));
        let limits = self.limits(self.source_addr()?);
        let (tcp, route) = proxy::connect_control(&proxy, host, port, limits)?;
        Ok((tcp, Some(route)))
    }

    /// The socket of a passive data connection to `addr` (what
    /// `passive_address` chose): direct, or through the control
    /// connection's proxy to its server (to the PASV address instead when
    /// it is trusted and differs from the control connection's peer).
    pub(super) fn connect_passive(&mut self, addr: SocketAddr) -> Result<TcpStream> {
        let limits = self.limits(self.data_source()?);
        let route = self.control.as_ref().and_then(|c| c.route.as_ref());
        let Some(route) = route else {
            return data::connect_tcp(addr, limits.source, limits.timeout, limits.cancel)
                .map_err(|e| Error::from_io(&format!("opening the data connection to {addr}"), e));
        };
        let announced = (addr.ip() != self.peer()?.ip()).then_some(addr.ip());
        route.connect_data(announced, addr.port(), limits)
    }

    /// Active mode with a control connection through a proxy: the server
    /// could not reach us, so it is refused before anything is sent.
    pub(super) fn refuse_active_through_proxy(&self) -> Result<()> {
        match self.control.as_ref().and_then(|c| c.route.as_ref()) {
            Some(route) => Err(Error::State(format!(
                "active mode (PORT/EPRT) cannot go through the proxy {}: use passive mode",
                route.proxy
            ))),
            None => Ok(()),
        }
    }
}
