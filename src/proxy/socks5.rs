//! The SOCKS5 handshake (RFC 1928): method selection, username/password
//! authentication (RFC 1929) when the URL has a user, then CONNECT to the
//! server by address or (socks5h) by name.

use super::wire::Wire;
use super::Host;
use crate::error::{Error, Result};
use std::net::IpAddr;

const VERSION: u8 = 5;
const NO_AUTH: u8 = 0;
const USER_PASS: u8 = 2;
const NO_ACCEPTABLE: u8 = 0xff;

/// What a SOCKS5 reply code means (RFC 1928, section 6).
fn reply_text(code: u8) -> &'static str {
    match code {
        1 => "general SOCKS server failure",
        2 => "connection not allowed by ruleset",
        3 => "network unreachable",
        4 => "host unreachable",
        5 => "connection refused by the destination host",
        6 => "TTL expired",
        7 => "command not supported",
        8 => "address type not supported",
        _ => "unassigned reply code",
    }
}

/// The address part of a CONNECT request: ATYP and the address.
fn address(host: &Host) -> Result<Vec<u8>> {
    Ok(match host {
        Host::Ip(IpAddr::V4(v4)) => [&[1][..], &v4.octets()].concat(),
        Host::Ip(IpAddr::V6(v6)) => [&[4][..], &v6.octets()].concat(),
        Host::Name(name) => {
            let len = u8::try_from(name.len()).map_err(|_| {
                Error::InvalidArgument(
                    "a host name sent to a SOCKS5 proxy is at most 255 bytes".into(),
                )
            })?;
            [&[3, len][..], name.as_bytes()].concat()
        }
    })
}

/// Asks the proxy for a connection to `host:port`; on success the
/// connection carries the server's bytes from here on.
pub(super) fn handshake(
    wire: &mut Wire<'_>,
    credentials: Option<&(String, String)>,
    host: &Host,
    port: u16,
) -> Result<()> {
    let request = [&[VERSION, 1, 0][..], &address(host)?, &port.to_be_bytes()].concat();
    let greeting: &[u8] = match credentials {
        Some(_) => &[VERSION, 2, NO_AUTH, USER_PASS],
        None => &[VERSION, 1, NO_AUTH],
    };
    wire.send(greeting)?;
    let mut choice = [0u8; 2];
    wire.recv(&mut choice, "answer to the greeting")?;
    if choice[0] != VERSION {
        return Err(wire.fail(format!(
            "not a SOCKS5 proxy (it answered {:#04x} {:#04x}{})",
            choice[0],
            choice[1],
            if &choice == b"HT" {
                ": an HTTP proxy?"
            } else {
                ""
            }
        )));
    }
    match (choice[1], credentials) {
        (NO_AUTH, _) => {}
        (USER_PASS, Some((user, pass))) => authenticate(wire, user, pass)?,
        (NO_ACCEPTABLE, None) => {
            return Err(wire
                .fail("the proxy wants authentication (give socks5://user:pass@host:port)".into()))
        }
        (NO_ACCEPTABLE, Some(_)) => {
            return Err(wire.fail(
                "the proxy accepts neither no authentication nor a user and password".into(),
            ))
        }
        (other, _) => {
            return Err(wire.fail(format!(
                "the proxy chose an authentication method not offered ({other:#04x})"
            )))
        }
    }
    wire.send(&request)?;
    let mut head = [0u8; 4];
    wire.recv(&mut head, "answer to CONNECT")?;
    if head[0] != VERSION {
        return Err(wire.fail(format!(
            "bad SOCKS version {:#04x} in the answer to CONNECT",
            head[0]
        )));
    }
    if head[1] != 0 {
        return Err(wire.fail(format!(
            "the proxy refused the connection to {}: {} (SOCKS5 reply {})",
            super::authority(host, port),
            reply_text(head[1]),
            head[1]
        )));
    }
    // The proxy's own address and port for this connection: not needed.
    let rest = match head[3] {
        1 => 4 + 2,
        4 => 16 + 2,
        3 => usize::from(wire.recv_byte("bound address")?) + 2,
        other => {
            return Err(wire.fail(format!(
                "unknown address type {other:#04x} in the answer to CONNECT"
            )))
        }
    };
    let mut bound = vec![0u8; rest];
    wire.recv(&mut bound, "bound address")
}

/// RFC 1929 username/password subnegotiation.
fn authenticate(wire: &mut Wire<'_>, user: &str, pass: &str) -> Result<()> {
    // Lengths checked when the URL was parsed (1-255 and 0-255 bytes).
    let msg = [
        &[1, user.len() as u8][..],
        user.as_bytes(),
        &[pass.len() as u8],
        pass.as_bytes(),
    ]
    .concat();
    wire.send(&msg)?;
    let mut status = [0u8; 2];
    wire.recv(&mut status, "answer to the user and password")?;
    if status[1] != 0 {
        return Err(wire.fail(format!(
            "the proxy refused the user name and password (status {:#04x})",
            status[1]
        )));
    }
    Ok(())
}
