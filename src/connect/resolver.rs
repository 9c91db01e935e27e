//! Resolving a host name to the addresses to try, in the order RFC 8305
//! (section 4) wants: families interleaved, IPv6 first.
//!
//! The system resolver is used unless a [`Resolver`] hook is set: a
//! Rust-only setting (the C API has none) that lets tests give a name
//! any addresses without touching `/etc/hosts` or a DNS server.

use crate::error::{Error, Result};
use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;

/// A resolver hook: the addresses of `(host, port)`.
pub type ResolveFn = dyn Fn(&str, u16) -> io::Result<Vec<SocketAddr>> + Send + Sync;

/// A shareable resolver hook (see [`crate::Session::set_resolver`]).
#[derive(Clone)]
pub struct Resolver(pub Arc<ResolveFn>);

impl fmt::Debug for Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Resolver(..)")
    }
}

impl Resolver {
    /// Wraps a closure as a resolver hook.
    pub fn new(
        f: impl Fn(&str, u16) -> io::Result<Vec<SocketAddr>> + Send + Sync + 'static,
    ) -> Resolver {
        Resolver(Arc::new(f))
    }
}

/// The addresses of `host:port` (through `hook` when set), in the order
/// to try them; an empty answer is an error.
pub fn resolve(host: &str, port: u16, hook: Option<&Resolver>) -> Result<Vec<SocketAddr>> {
    lookup(host, port, hook).map(order_addresses)
}

/// The addresses of `host:port` (through `hook` when set), in the
/// resolver's order; an empty answer is an error.
pub fn lookup(host: &str, port: u16, hook: Option<&Resolver>) -> Result<Vec<SocketAddr>> {
    let found = match hook {
        Some(r) => (r.0)(host, port),
        None => (host, port).to_socket_addrs().map(Iterator::collect),
    };
    let addrs = found.map_err(|e| Error::from_io(&format!("cannot resolve {host:?}"), e))?;
    if addrs.is_empty() {
        return Err(Error::Io {
            context: format!("cannot resolve {host:?}"),
            source: io::Error::new(io::ErrorKind::NotFound, "no address"),
        });
    }
    Ok(addrs)
}

/// Duplicates dropped, then the families interleaved starting with the
/// first IPv6 address (each family keeps the resolver's order).
pub fn order_addresses(addrs: Vec<SocketAddr>) -> Vec<SocketAddr> {
    let mut unique: Vec<SocketAddr> = Vec::with_capacity(addrs.len());
    for a in addrs {
        if !unique.contains(&a) {
            unique.push(a);
        }
    }
    let (v6, v4): (Vec<_>, Vec<_>) = unique.into_iter().partition(SocketAddr::is_ipv6);
    let mut out = Vec::with_capacity(v6.len() + v4.len());
    let (mut a, mut b) = (v6.into_iter(), v4.into_iter());
    loop {
        match (a.next(), b.next()) {
            (None, None) => return out,
            (x, y) => out.extend(x.into_iter().chain(y)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_interleave_ipv6_first() {
        let a = |s: &str| s.parse::<SocketAddr>().unwrap();
        let got = order_addresses(vec![
            a("10.0.0.1:21"),
            a("10.0.0.2:21"),
            a("10.0.0.1:21"),
            a("10.0.0.3:21"),
            a("[::1]:21"),
            a("[::2]:21"),
        ]);
        let want = [
            "[::1]:21",
            "10.0.0.1:21",
            "[::2]:21",
            "10.0.0.2:21",
            "10.0.0.3:21",
        ];
        assert_eq!(got, want.map(a));
    }

    #[test]
    fn the_hook_answers_and_an_empty_answer_fails() {
        let hook = Resolver::new(|h, p| {
            assert_eq!(h, "name.test");
            Ok(vec![SocketAddr::from(([127, 0, 0, 1], p))])
        });
        let got = resolve("name.test", 2121, Some(&hook)).unwrap();
        assert_eq!(got, [SocketAddr::from(([127, 0, 0, 1], 2121))]);
        let none = Resolver::new(|_, _| Ok(vec![]));
        let e = resolve("x.test", 21, Some(&none)).unwrap_err();
        assert!(e.to_string().contains("cannot resolve \"x.test\""), "{e}");
    }
}
