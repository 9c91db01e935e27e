//! The URL parser (rules in the module above). Errors name the wrong part
//! and never quote the user information.

use super::encoding::decode;
use super::{FtpUrl, Security};
use crate::error::{Error, Result};
use std::net::{Ipv4Addr, Ipv6Addr};

fn bad(why: impl Into<String>) -> Error {
    Error::InvalidArgument(why.into())
}

pub(super) fn parse(url: &str) -> Result<FtpUrl> {
    if url.bytes().any(|c| c <= 0x20 || c == 0x7f) {
        return Err(bad(
            "the URL contains a space or control character (write it as %XX)",
        ));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(bad(
            "the URL lacks a scheme: want ftp://, ftpes:// or ftps://[user[:pass]@]host[:port]/path",
        ));
    };
    let security = scheme_of(scheme)?;
    if let Some(c) = rest.chars().find(|c| *c == '#' || *c == '?') {
        return Err(bad(format!(
            "'{c}' in the URL (FTP URLs have no query or fragment; write it as %{:02X})",
            c as u8
        )));
    }
    let (auth, path) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (userinfo, hostport) = match auth.rfind('@') {
        Some(i) => (Some(&auth[..i]), &auth[i + 1..]),
        None => (None, auth),
    };
    let (user, password) = match userinfo {
        Some(info) => userinfo_of(info)?,
        None => (None, None),
    };
    let (host, port_text) = split_host_port(hostport)?;
    let port = match port_text {
        None | Some("") => security.default_port(),
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.bytes().all(|c| c.is_ascii_digit()) => n,
            _ => return Err(bad("bad port in the URL (want a number 1-65535)")),
        },
    };
    Ok(FtpUrl {
        security,
        user,
        password,
        host,
        port,
        segments: segments_of(path.unwrap_or(""))?,
    })
}

fn scheme_of(scheme: &str) -> Result<Security> {
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
    {
        return Err(bad(
            "bad scheme in the URL: want ftp://, ftpes:// or ftps://",
        ));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "ftp" => Ok(Security::Plain),
        "ftpes" => Ok(Security::Explicit),
        "ftps" => Ok(Security::Implicit),
        other => Err(bad(format!(
            "unsupported URL scheme '{other}://' (only ftp://, ftpes:// and ftps:// are supported)"
        ))),
    }
}

/// User before the first `:`, password after; an empty user is none.
fn userinfo_of(info: &str) -> Result<(Option<String>, Option<String>)> {
    let (u, p) = match info.split_once(':') {
        Some((u, p)) => (u, Some(p)),
        None => (info, None),
    };
    let user = Some(decode(u, "user name")?).filter(|u| !u.is_empty());
    let password = p.map(|p| decode(p, "password")).transpose()?;
    Ok((user, password))
}

/// The host (IPv6 unbracketed, zone decoded) and the port text, if any.
fn split_host_port(hostport: &str) -> Result<(String, Option<&str>)> {
    if let Some(inner) = hostport.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return Err(bad("unterminated '[' in the URL's host"));
        };
        let host = &inner[..close];
        if host.is_empty() {
            return Err(bad("empty IPv6 address '[]' in the URL's host"));
        }
        let (addr, zone) = match host.split_once("%25") {
            Some((a, z)) => (a, Some(z)),
            None => (host, None),
        };
        if addr.parse::<Ipv6Addr>().is_err() {
            return Err(bad("bad IPv6 address in the URL's host"));
        }
        let host = match zone {
            Some(z) if z.is_empty() || !z.bytes().all(is_name_byte) => {
                return Err(bad("bad IPv6 zone in the URL's host"))
            }
            Some(z) => format!("{addr}%{z}"),
            None => addr.to_string(),
        };
        let after = &inner[close + 1..];
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err(bad("unexpected text after ']' in the URL's host")),
        };
        return Ok((host, port));
    }
    let (host, port) = match hostport.split_once(':') {
        Some((_, p)) if p.contains(':') => {
            return Err(bad(
                "more than one ':' in the URL's host (write an IPv6 address as [::1])",
            ))
        }
        Some((h, p)) => (h, Some(p)),
        None => (hostport, None),
    };
    if host.is_empty() {
        return Err(bad("no host in the URL"));
    }
    if !host.bytes().all(is_name_byte) {
        return Err(bad(
            "bad character in the URL's host (want a name, an IPv4 address or [IPv6])",
        ));
    }
    let numeric = host.bytes().all(|c| c.is_ascii_digit() || c == b'.');
    if numeric && host.parse::<Ipv4Addr>().is_err() {
        return Err(bad("bad IPv4 address in the URL's host"));
    }
    Ok((host.to_string(), port))
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-._".contains(&c)
}

/// The path's segments, each decoded on its own, after the `;type=`
/// suffix is taken off.
fn segments_of(path: &str) -> Result<Vec<String>> {
    let path = strip_type(path)?;
    if path.is_empty() {
        return Ok(Vec::new());
    }
    path.split('/').map(|s| decode(s, "path")).collect()
}

fn strip_type(path: &str) -> Result<&str> {
    let Some(i) = path.rfind(';') else {
        return Ok(path);
    };
    match path[i + 1..].split_once('=') {
        Some((key, code)) if key.eq_ignore_ascii_case("type") && !code.contains('/') => {
            if code.len() == 1 && "aidAID".contains(code) {
                Ok(&path[..i])
            } else {
                Err(bad("bad ';type=' in the URL's path (want a, i or d)"))
            }
        }
        // Any other ';' is part of a name (VMS versions: FILE.TXT;1).
        _ => Ok(path),
    }
}
