//! HTTP CONNECT (RFC 9110, section 9.3.6), with Basic authentication
//! (RFC 7617) when the URL has a user. The answer's header is read byte by
//! byte so that nothing of the server's first bytes (the FTP welcome may
//! follow in the same packet) is taken.

use super::wire::Wire;
use super::Host;
use crate::error::{Error, Result};

/// The longest answer header read before giving up on the proxy.
const MAX_HEADER: usize = 16 * 1024;
/// How much of the status line an error quotes.
const MAX_QUOTED: usize = 200;

/// Asks the proxy for a tunnel to `host:port`; on a 2xx answer the
/// connection carries the server's bytes from here on.
pub(super) fn handshake(
    wire: &mut Wire<'_>,
    credentials: Option<&(String, String)>,
    host: &Host,
    port: u16,
) -> Result<()> {
    let target = super::authority(host, port);
    if target.bytes().any(|c| c <= 0x20 || c >= 0x7f) {
        return Err(Error::InvalidArgument(
            "a host name sent to an HTTP proxy must be printable ASCII without spaces".into(),
        ));
    }
    let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some((user, pass)) = credentials {
        let token = openssl::base64::encode_block(format!("{user}:{pass}").as_bytes());
        request += &format!("Proxy-Authorization: Basic {token}\r\n");
    }
    request += "\r\n";
    wire.send(request.as_bytes())?;
    let header = read_header(wire)?;
    let status_line = header.lines().next().unwrap_or("");
    let quoted: String = status_line
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(MAX_QUOTED)
        .collect();
    let code = status_line
        .strip_prefix("HTTP/1.")
        .and_then(|s| s.get(2..5).filter(|_| s.as_bytes().get(1) == Some(&b' ')))
        .and_then(|c| c.parse::<u16>().ok());
    match code {
        Some(200..=299) => Ok(()),
        Some(code) => {
            let hint = match (code, credentials) {
                (407, None) => " (the proxy wants a user and password: http://user:pass@host:port)",
                (401 | 407, Some(_)) => " (the proxy did not accept the user and password)",
                _ => "",
            };
            Err(wire.fail(format!(
                "the proxy refused CONNECT to {target}: {quoted}{hint}"
            )))
        }
        None => Err(wire.fail(format!("not an HTTP proxy answer to CONNECT: {quoted:?}"))),
    }
}

/// The answer's header up to the empty line (CRLF or bare LF), as text.
fn read_header(wire: &mut Wire<'_>) -> Result<String> {
    let mut header = Vec::new();
    loop {
        header.push(wire.recv_byte("answer to CONNECT")?);
        if header.len() == 5 && header != b"HTTP/" {
            return Err(wire.fail(format!(
                "not an HTTP proxy (its answer to CONNECT starts with {:?})",
                String::from_utf8_lossy(&header)
            )));
        }
        if header.ends_with(b"\r\n\r\n") || header.ends_with(b"\n\n") {
            return Ok(String::from_utf8_lossy(&header).into_owned());
        }
        if header.len() >= MAX_HEADER {
            return Err(wire.fail(format!(
                "the proxy's answer to CONNECT is longer than {MAX_HEADER} bytes"
            )));
        }
    }
}
