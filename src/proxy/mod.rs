//! Proxies for the control connection and every passive data connection:
//! SOCKS5 (RFC 1928; username/password, RFC 1929; names resolved here or
//! by the proxy) and HTTP CONNECT (Basic authentication).
//!
//! [`connect_control`] reaches the server through the proxy and returns a
//! [`Route`], which opens the data connections the same way. Each wait of
//! a handshake is bounded by the session timeout (one deadline for the
//! whole handshake, after the TCP connect to the proxy) and notices the
//! session's cancel. A proxy that refuses, answers nonsense or closes early
//! gives [`Error::Io`] whose text names the proxy (scheme, host and port,
//! never the user information) and its reason.

mod http_connect;
mod socks5;
mod url;
mod wire;

pub use url::{ProxyKind, ProxyUrl};

use crate::cancel::CancelToken;
use crate::data;
use crate::error::{Error, Result};
use std::io;
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// The server as the proxy is asked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// An address (socks5://, or a literal address).
    Ip(IpAddr),
    /// A name the proxy resolves (socks5h://, http://).
    Name(String),
}

/// How the control connection reached its server: the data connections
/// take the same way.
#[derive(Debug, Clone)]
pub struct Route {
    /// The proxy.
    pub proxy: ProxyUrl,
    /// The control connection's server, as asked of the proxy.
    pub server: Host,
}

/// Where the connection to the proxy comes from and how long its waits are.
#[derive(Debug, Clone, Copy)]
pub struct Limits<'a> {
    /// Local address to connect from (port chosen by the system).
    pub source: Option<SocketAddr>,
    /// Bounds the TCP connect and, separately, the whole handshake.
    pub timeout: Option<Duration>,
    /// Looked at between the slices of every wait.
    pub cancel: &'a CancelToken,
}

/// The error of a proxy that refused or answered nonsense.
pub(crate) fn failure(proxy: &ProxyUrl, why: String) -> Error {
    Error::Io {
        context: format!("through the proxy {proxy}"),
        source: io::Error::other(why),
    }
}

/// `host:port`, an IPv6 address in brackets.
fn authority(host: &Host, port: u16) -> String {
    match host {
        Host::Ip(ip) => SocketAddr::new(*ip, port).to_string(),
        Host::Name(name) => format!("{name}:{port}"),
    }
}

/// Opens a connection to `host:port` through `proxy`.
pub fn connect_through(
    proxy: &ProxyUrl,
    host: &Host,
    port: u16,
    limits: Limits<'_>,
) -> Result<TcpStream> {
    let addrs: Vec<SocketAddr> = (proxy.host.as_str(), proxy.port)
        .to_socket_addrs()
        .map_err(|e| Error::from_io(&format!("cannot resolve the proxy {proxy}"), e))?
        .collect();
    let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
    let mut tcp = None;
    for addr in addrs {
        match data::connect_tcp(addr, limits.source, limits.timeout, limits.cancel) {
            Ok(t) => {
                tcp = Some(t);
                break;
            }
            Err(e) => last = e,
        }
    }
    let mut tcp =
        tcp.ok_or_else(|| Error::from_io(&format!("connecting to the proxy {proxy}"), last))?;
    let mut wire = wire::Wire::new(&mut tcp, limits.timeout, limits.cancel, proxy);
    let creds = proxy.credentials.as_ref();
    match proxy.kind {
        ProxyKind::Socks5 | ProxyKind::Socks5h => socks5::handshake(&mut wire, creds, host, port)?,
        ProxyKind::Http => http_connect::handshake(&mut wire, creds, host, port)?,
    }
    wire.finish()?;
    Ok(tcp)
}

/// Opens the control connection to `host:port` through `proxy`. With
/// socks5:// the name is resolved here and each address is tried in turn;
/// otherwise the proxy gets the name as given.
pub fn connect_control(
    proxy: &ProxyUrl,
    host: &str,
    port: u16,
    limits: Limits<'_>,
) -> Result<(TcpStream, Route)> {
    let candidates: Vec<Host> = match (host.parse::<IpAddr>(), proxy.kind) {
        (Ok(ip), _) => vec![Host::Ip(ip)],
        (Err(_), ProxyKind::Socks5) => (host, port)
            .to_socket_addrs()
            .map_err(|e| Error::from_io(&format!("cannot resolve {host:?}"), e))?
            .map(|a| Host::Ip(a.ip()))
            .collect(),
        (Err(_), _) => vec![Host::Name(host.to_string())],
    };
    let mut last = None;
    for server in candidates {
        match connect_through(proxy, &server, port, limits) {
            Ok(tcp) => {
                let route = Route {
                    proxy: proxy.clone(),
                    server,
                };
                return Ok((tcp, route));
            }
            Err(e @ (Error::Cancelled(_) | Error::InvalidArgument(_))) => return Err(e),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        Error::from_io(
            &format!("cannot resolve {host:?}"),
            io::Error::new(io::ErrorKind::NotFound, "no address"),
        )
    }))
}

impl Route {
    /// Opens a data connection to `port` of the control connection's
    /// server, or of `announced` (a trusted PASV address) when given.
    pub fn connect_data(
        &self,
        announced: Option<IpAddr>,
        port: u16,
        limits: Limits<'_>,
    ) -> Result<TcpStream> {
        let host = announced.map_or_else(|| self.server.clone(), Host::Ip);
        connect_through(&self.proxy, &host, port, limits)
    }
}
