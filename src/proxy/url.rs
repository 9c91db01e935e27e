//! Proxy URLs: `socks5://[user:pass@]host[:port]` (names resolved here),
//! `socks5h://...` (names resolved by the proxy), and
//! `http://[user:pass@]host:port` (HTTP CONNECT). SOCKS5 defaults to port
//! 1080; an HTTP proxy has no standard port, so it must be given. The
//! user and password may hold `%XX` escapes. Errors and the `Debug` and
//! `Display` forms never show the password.

use crate::error::{Error, Result};
use std::fmt;
use std::net::Ipv6Addr;

/// Which protocol the proxy speaks, and who resolves names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyKind {
    /// SOCKS5, the server's name resolved by us (`socks5://`).
    Socks5,
    /// SOCKS5, the server's name sent to the proxy (`socks5h://`).
    Socks5h,
    /// HTTP CONNECT, the server's name sent to the proxy (`http://`).
    Http,
}

impl ProxyKind {
    fn scheme(self) -> &'static str {
        match self {
            ProxyKind::Socks5 => "socks5",
            ProxyKind::Socks5h => "socks5h",
            ProxyKind::Http => "http",
        }
    }
}

/// A parsed proxy URL.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl {
    /// The protocol.
    pub kind: ProxyKind,
    /// The proxy's host name or address (IPv6 without brackets).
    pub host: String,
    /// The proxy's port.
    pub port: u16,
    /// User and password, when the URL has a user information part.
    pub credentials: Option<(String, String)>,
}

/// `scheme://host:port`, IPv6 in brackets; never the user information.
impl fmt::Display for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.kind.scheme();
        if self.host.contains(':') {
            write!(f, "{scheme}://[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{scheme}://{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let user = self.credentials.as_ref().map(|(u, _)| u.as_str());
        write!(f, "ProxyUrl({self}, user {user:?}, password ***)")
    }
}

fn bad(why: &str) -> Error {
    Error::InvalidArgument(format!("proxy URL: {why}"))
}

/// `%XX` escapes of the user information (errors never quote it).
fn unescape(text: &str, what: &str) -> Result<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first != b'%' {
            bytes.push(first);
            rest = tail;
            continue;
        }
        let hex = tail
            .get(..2)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .filter(|&b| b != 0 && tail[0] != b'+');
        let Some(b) = hex else {
            return Err(bad(&format!(
                "bad %-escape in the {what} (want %XX, not %00)"
            )));
        };
        bytes.push(b);
        rest = &tail[2..];
    }
    String::from_utf8(bytes).map_err(|_| bad(&format!("the {what} is not UTF-8 once decoded")))
}

impl ProxyUrl {
    /// Parses a proxy URL; a bad one gives [`Error::InvalidArgument`]
    /// saying what is wrong (without quoting the password).
    pub fn parse(url: &str) -> Result<ProxyUrl> {
        if url.bytes().any(|c| c <= 0x20 || c == 0x7f) {
            return Err(bad("it contains a space or control character"));
        }
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| bad("want socks5://, socks5h:// or http://[user:pass@]host:port"))?;
        let kind = match scheme.to_ascii_lowercase().as_str() {
            "socks5" => ProxyKind::Socks5,
            "socks5h" => ProxyKind::Socks5h,
            "http" => ProxyKind::Http,
            _ => return Err(bad("unsupported scheme (socks5://, socks5h:// or http://)")),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#']) {
            return Err(bad("a proxy URL has no path"));
        }
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((info, hp)) => (Some(info), hp),
            None => (None, authority),
        };
        let credentials = match userinfo {
            None => None,
            Some(info) => {
                let (user, pass) = info.split_once(':').unwrap_or((info, ""));
                Some((unescape(user, "user name")?, unescape(pass, "password")?))
            }
        };
        let (host, port) = split_host_port(hostport)?;
        let port = match (port, kind) {
            (Some(p), _) => p,
            (None, ProxyKind::Http) => {
                return Err(bad("an HTTP proxy needs a port (http://host:port)"))
            }
            (None, _) => 1080,
        };
        if let (Some((user, pass)), ProxyKind::Socks5 | ProxyKind::Socks5h) = (&credentials, kind) {
            // RFC 1929: one byte of length each, and no empty user.
            if user.is_empty() || user.len() > 255 || pass.len() > 255 {
                return Err(bad(
                    "a SOCKS5 user name must be 1 to 255 bytes, a password 0 to 255",
                ));
            }
        }
        Ok(ProxyUrl {
            kind,
            host,
            port,
            credentials,
        })
    }
}

/// `name[:port]`, `a.b.c.d[:port]` or `[v6][:port]`.
fn split_host_port(text: &str) -> Result<(String, Option<u16>)> {
    let (host, port) = if let Some(inner) = text.strip_prefix('[') {
        let (v6, after) = inner
            .split_once(']')
            .ok_or_else(|| bad("unterminated '['"))?;
        if v6.parse::<Ipv6Addr>().is_err() {
            return Err(bad("bad IPv6 address in []"));
        }
        match after {
            "" => (v6, None),
            _ => (
                v6,
                Some(
                    after
                        .strip_prefix(':')
                        .ok_or_else(|| bad("text after ']'"))?,
                ),
            ),
        }
    } else {
        match text.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (text, None),
        }
    };
    let name_ok = |c: u8| c.is_ascii_alphanumeric() || b"-._".contains(&c);
    if host.is_empty() || !(host.contains(':') || host.bytes().all(name_ok)) {
        return Err(bad(
            "want a host name, an IPv4 address or [IPv6] before the port",
        ));
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.bytes().all(|c| c.is_ascii_digit()) => Some(n),
            _ => return Err(bad("bad port (want a number 1-65535)")),
        },
    };
    Ok((host.to_string(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(u: &str, p: &str) -> Option<(String, String)> {
        Some((u.into(), p.into()))
    }

    #[test]
    fn good_urls() {
        let cases = [
            (
                "socks5://127.0.0.1:1080",
                ProxyKind::Socks5,
                "127.0.0.1",
                1080,
                None,
            ),
            (
                "SOCKS5H://proxy.example/",
                ProxyKind::Socks5h,
                "proxy.example",
                1080,
                None,
            ),
            (
                "socks5://u%40x:p%3Aw@[::1]:9",
                ProxyKind::Socks5,
                "::1",
                9,
                creds("u@x", "p:w"),
            ),
            (
                "http://alice:@h:3128",
                ProxyKind::Http,
                "h",
                3128,
                creds("alice", ""),
            ),
            (
                "http://bob@h:8080",
                ProxyKind::Http,
                "h",
                8080,
                creds("bob", ""),
            ),
        ];
        for (url, kind, host, port, credentials) in cases {
            let want = ProxyUrl {
                kind,
                host: host.into(),
                port,
                credentials,
            };
            assert_eq!(ProxyUrl::parse(url).unwrap(), want, "{url}");
        }
    }

    #[test]
    fn bad_urls() {
        let cases = [
            ("ftp://h:21", "unsupported scheme"),
            ("https://h:443", "unsupported scheme"),
            ("h:1080", "want socks5://"),
            ("http://h", "needs a port"),
            ("socks5://h:0", "bad port"),
            ("socks5://h:99999", "bad port"),
            ("socks5://h:+80", "bad port"),
            ("socks5://h:1080/x", "no path"),
            ("socks5://[::1:1080", "unterminated"),
            ("socks5://[zz]:1080", "bad IPv6"),
            ("socks5://:1080", "want a host"),
            ("socks5://a b:1080", "space"),
            ("socks5://:secret@h", "1 to 255"),
            ("socks5://u:%zzsecret@h", "bad %-escape"),
            ("socks5://u:%00@h", "bad %-escape"),
            ("socks5://u:%ff@h", "not UTF-8"),
        ];
        for (url, needle) in cases {
            let e = ProxyUrl::parse(url).unwrap_err();
            let text = e.to_string();
            assert!(matches!(e, Error::InvalidArgument(_)), "{url}: {e:?}");
            assert!(text.contains(needle), "{url}: {text}");
            assert!(!text.contains("secret"), "{url}: {text}");
        }
        let long = format!("socks5://u:{}@h", "p".repeat(256));
        assert!(ProxyUrl::parse(&long).is_err());
    }

    #[test]
    fn display_and_debug_hide_the_password() {
        let p = ProxyUrl::parse("socks5h://bob:s3cret@[::1]:1081").unwrap();
        assert_eq!(p.to_string(), "socks5h://[::1]:1081");
        let dbg = format!("{p:?}");
        assert!(dbg.contains("bob") && !dbg.contains("s3cret"), "{dbg}");
    }
}
