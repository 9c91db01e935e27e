//! Active mode behind NAT: the address PORT/EPRT announce and the local
//! port range the data listener takes its port from.

use super::settings::ActiveAddress;
use super::Session;
use crate::command::check_line;
use crate::connect;
use crate::error::{Error, Result};
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};

impl Session {
    /// Active mode settings: `host` is announced in PORT/EPRT instead of
    /// the control connection's local address (`None`: that address; a
    /// name is resolved at each transfer); `ports` is the inclusive range
    /// of local ports to listen on (`None`: any port the system gives).
    /// A range must have 1 <= min <= max.
    pub fn set_active_address(
        &mut self,
        host: Option<&str>,
        ports: Option<(u16, u16)>,
    ) -> Result<()> {
        if let Some(h) = host {
            check_line(h, "the active address")?;
            if h.is_empty() {
                return Err(Error::InvalidArgument("the active address is empty".into()));
            }
        }
        if let Some((min, max)) = ports {
            if min == 0 || min > max {
                return Err(Error::InvalidArgument(format!(
                    "bad active port range {min}-{max} (want 1 <= min <= max, or 0,0 for any)"
                )));
            }
        }
        self.settings.active = ActiveAddress {
            host: host.map(str::to_string),
            ports,
        };
        Ok(())
    }

    /// The listener for an active data connection, on the control
    /// connection's local address and a port of the range, and the
    /// address to announce. A range whose every port is taken fails with
    /// an I/O error (`AddrInUse`) before anything is sent.
    pub(crate) fn active_listener(&self) -> Result<(TcpListener, SocketAddr)> {
        let local = self.local()?.ip();
        let listener = match self.settings.active.ports {
            None => TcpListener::bind(SocketAddr::new(local, 0))
                .map_err(|e| Error::from_io("opening a port for active mode", e))?,
            Some((min, max)) => bind_in_range(local, min, max)?,
        };
        let port = listener
            .local_addr()
            .map_err(|e| Error::from_io("opening a port for active mode", e))?
            .port();
        let ip = match &self.settings.active.host {
            None => local,
            Some(h) => self.announced_ip(h, local)?,
        };
        Ok((listener, SocketAddr::new(ip, port)))
    }

    /// The address of `host` to announce: one of the local address's
    /// family when it has one, else its first.
    fn announced_ip(&self, host: &str, local: IpAddr) -> Result<IpAddr> {
        let addrs = connect::resolve(host, 0, self.settings.resolver.as_ref())?;
        let ips: Vec<IpAddr> = addrs.iter().map(SocketAddr::ip).collect();
        Ok(ips
            .iter()
            .find(|ip| ip.is_ipv4() == local.is_ipv4())
            .unwrap_or(&ips[0])
            .to_owned())
    }
}

/// A listener on the first free port of `min..=max`.
fn bind_in_range(ip: IpAddr, min: u16, max: u16) -> Result<TcpListener> {
    for port in min..=max {
        match TcpListener::bind(SocketAddr::new(ip, port)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => continue,
            Err(e) => {
                return Err(Error::from_io(
                    &format!("opening port {port} for active mode"),
                    e,
                ))
            }
        }
    }
    Err(Error::Io {
        context: format!("opening a port for active mode: every port of {min}-{max} is taken"),
        source: io::ErrorKind::AddrInUse.into(),
    })
}
