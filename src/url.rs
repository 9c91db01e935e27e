//! FTP URLs: `ftp://[user[:pass]@]host[:port][/path]` and its FTPS forms,
//! parsed in one place for every caller (the pool now, `ftp_connect_url`
//! later).
//!
//! The rules are those of the C examples' parser
//! (`examples-c/common/ftpurl.c`), plus the `ftpes://` scheme:
//! - scheme, case-insensitive: `ftp` (plain, port 21), `ftpes` (explicit
//!   FTPS: AUTH TLS on port 21), `ftps` (implicit FTPS, port 990);
//! - no space or control character anywhere (write them as `%XX`);
//! - user information up to the last `@` of the authority, the user before
//!   the first `:` of it, the password after; an empty or missing user is
//!   `anonymous`, a missing password empty;
//! - host: a name, an IPv4 address, or an IPv6 literal in brackets
//!   (`[::1]`, returned without them); `host:` alone means the default port;
//! - port 1-65535;
//! - path: everything after the `/` that ends the authority, %-decoded: a
//!   path relative to the login directory (`ftp://h/pub/x` is `pub/x`), or
//!   absolute when it starts with another `/` or `%2F` (`ftp://h//etc`).
//!
//! `%XX` escapes (two hex digits, not `%00`) are decoded in the user, the
//! password and the path; the decoded text must be UTF-8.

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// How a URL's connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `ftp://`: no TLS.
    Plain,
    /// `ftpes://`: explicit FTPS (AUTH TLS after the greeting, then
    /// protected data connections).
    Explicit,
    /// `ftps://`: implicit FTPS (TLS from the first byte, default port 990).
    Implicit,
}

impl Security {
    /// The scheme's default port.
    pub fn default_port(self) -> u16 {
        match self {
            Security::Plain | Security::Explicit => 21,
            Security::Implicit => crate::session::IMPLICIT_PORT,
        }
    }

    /// True for the FTPS schemes.
    pub fn is_tls(self) -> bool {
        self != Security::Plain
    }
}

/// A parsed FTP URL. `Debug` does not show the password.
#[derive(Clone, PartialEq, Eq)]
pub struct FtpUrl {
    /// The scheme's security.
    pub security: Security,
    /// The user name (`anonymous` when the URL gives none).
    pub user: String,
    /// The password ("" when the URL gives none).
    pub password: String,
    /// The host name or address (IPv6 without brackets).
    pub host: String,
    /// The port (the scheme's default when the URL gives none).
    pub port: u16,
    /// The decoded path after the authority's `/` ("" for none).
    pub path: String,
}

impl fmt::Debug for FtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FtpUrl")
            .field("security", &self.security)
            .field("user", &self.user)
            .field(
                "password",
                &if self.password.is_empty() { "" } else { "***" },
            )
            .field("host", &self.host)
            .field("port", &self.port)
            .field("path", &self.path)
            .finish()
    }
}

impl FromStr for FtpUrl {
    type Err = Error;
    fn from_str(s: &str) -> Result<FtpUrl> {
        FtpUrl::parse(s)
    }
}

fn bad(why: String) -> Error {
    Error::InvalidArgument(why)
}

fn not_a_url(url: &str) -> Error {
    bad(format!(
        "'{url}' is not a URL of the form ftp[e]s://[user[:pass]@]host[:port]/path"
    ))
}

/// Decodes `%XX` escapes of one URL component (`what` names it in errors).
fn decode(s: &str, what: &str) -> Result<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            let v = match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(hi), Some(lo)) if hi | lo != 0 => (hi * 16 + lo) as u8,
                _ => {
                    return Err(bad(format!(
                        "bad %-escape in the URL's {what} (want %XX with two hex digits, not %00)"
                    )))
                }
            };
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad(format!("the URL's {what} is not UTF-8 once decoded")))
}

impl FtpUrl {
    /// Parses `url` (see the module's rules); a bad URL gives
    /// [`Error::InvalidArgument`] saying what is wrong.
    pub fn parse(url: &str) -> Result<FtpUrl> {
        if url.bytes().any(|c| c <= 0x20 || c == 0x7f) {
            return Err(bad(
                "the URL contains a space or control character (write it as %XX)".into(),
            ));
        }
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(not_a_url(url));
        };
        if scheme.is_empty()
            || !scheme
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
        {
            return Err(not_a_url(url));
        }
        let security = match scheme.to_ascii_lowercase().as_str() {
            "ftp" => Security::Plain,
            "ftpes" => Security::Explicit,
            "ftps" => Security::Implicit,
            other => {
                return Err(bad(format!(
                    "unsupported URL scheme '{other}://' (only ftp://, ftpes:// and ftps:// are supported)"
                )))
            }
        };
        let (auth, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let (userinfo, hostport) = match auth.rfind('@') {
            Some(i) => (Some(&auth[..i]), &auth[i + 1..]),
            None => (None, auth),
        };
        let (mut user, mut password) = (String::new(), String::new());
        if let Some(info) = userinfo {
            let (u, p) = match info.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (info, None),
            };
            user = decode(u, "user name")?;
            if let Some(p) = p {
                password = decode(p, "password")?;
            }
        }
        if user.is_empty() {
            user = "anonymous".into();
        }
        let (host, port_text) = if let Some(inner) = hostport.strip_prefix('[') {
            let Some(close) = inner.find(']') else {
                return Err(bad("unterminated '[' in the URL's host".into()));
            };
            let host = &inner[..close];
            if host.is_empty() {
                return Err(bad("empty IPv6 address '[]' in the URL".into()));
            }
            if !host
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b":.%".contains(&c))
            {
                return Err(bad("bad character in the URL's IPv6 address".into()));
            }
            let after = &inner[close + 1..];
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p),
                None if after.is_empty() => None,
                None => return Err(bad("unexpected text after ']' in the URL's host".into())),
            };
            (host, port)
        } else {
            match hostport.split_once(':') {
                Some((_, p)) if p.contains(':') => {
                    return Err(bad(
                        "more than one ':' in the URL's host (write an IPv6 address as [::1])"
                            .into(),
                    ))
                }
                Some((h, p)) => (h, Some(p)),
                None => (hostport, None),
            }
        };
        if host.is_empty() {
            return Err(bad(format!("no host in the URL '{url}'")));
        }
        let port = match port_text {
            None | Some("") => security.default_port(),
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n > 0 && p.bytes().all(|c| c.is_ascii_digit()) => n,
                _ => return Err(bad("bad port in the URL (want a number 1-65535)".into())),
            },
        };
        Ok(FtpUrl {
            security,
            user,
            password,
            host: host.to_string(),
            port,
            path: decode(path, "path")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(url: &str, user: &str, pass: &str, host: &str, port: u16, path: &str) -> FtpUrl {
        let u = FtpUrl::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(
            (
                u.user.as_str(),
                u.password.as_str(),
                u.host.as_str(),
                u.port,
                u.path.as_str()
            ),
            (user, pass, host, port, path),
            "{url}"
        );
        u
    }

    fn bad(url: &str, needle: &str) {
        match FtpUrl::parse(url) {
            Err(Error::InvalidArgument(why)) => {
                assert!(why.contains(needle), "{url}: {why:?} lacks {needle:?}")
            }
            other => panic!("{url}: {other:?}"),
        }
    }

    /// The cases of examples-c/common/ftpurl_test.c.
    #[test]
    fn good_urls() {
        let u = ok(
            "ftp://example.com/pub/file.txt",
            "anonymous",
            "",
            "example.com",
            21,
            "pub/file.txt",
        );
        assert_eq!(u.security, Security::Plain);
        ok("FTP://example.com", "anonymous", "", "example.com", 21, "");
        ok("ftp://example.com/", "anonymous", "", "example.com", 21, "");
        ok("ftp://example.com:", "anonymous", "", "example.com", 21, "");
        ok("ftp://u@h:2121/d/", "u", "", "h", 2121, "d/");
        ok(
            "ftp://user:secret@127.0.0.1:2121/a%20b",
            "user",
            "secret",
            "127.0.0.1",
            2121,
            "a b",
        );
        ok(
            "ftp://us%40er:p%3Aa%2Fss@h/x",
            "us@er",
            "p:a/ss",
            "h",
            21,
            "x",
        );
        ok("ftp://u:p@ss@h/x", "u", "p@ss", "h", 21, "x");
        ok("ftp://u:@h/x", "u", "", "h", 21, "x");
        ok("ftp://:pw@h/x", "anonymous", "pw", "h", 21, "x");
        ok("ftp://[::1]/f", "anonymous", "", "::1", 21, "f");
        ok(
            "ftp://me:pw@[::1]:2121/dir/f",
            "me",
            "pw",
            "::1",
            2121,
            "dir/f",
        );
        ok("ftp://h//abs/path", "anonymous", "", "h", 21, "/abs/path");
        ok("ftp://h/%2Fabs", "anonymous", "", "h", 21, "/abs");
        ok("ftp://h/%c3%a9t%C3%A9", "anonymous", "", "h", 21, "été");
        ok("ftp://h:65535/x", "anonymous", "", "h", 65535, "x");
    }

    #[test]
    fn tls_schemes() {
        let u = ok("ftps://h/x", "anonymous", "", "h", 990, "x");
        assert_eq!(u.security, Security::Implicit);
        let u = ok("FTPES://h/x", "anonymous", "", "h", 21, "x");
        assert_eq!(u.security, Security::Explicit);
        assert!(u.security.is_tls() && !Security::Plain.is_tls());
        ok("ftps://h:2990", "anonymous", "", "h", 2990, "");
    }

    #[test]
    fn bad_urls() {
        bad("http://example.com/x", "unsupported URL scheme 'http://'");
        bad(
            "sftp://example.com/x",
            "unsupported URL scheme 'sftp://' (only ftp://",
        );
        bad("ftps//example.com/x", "not a URL of the form");
        bad("ftps:///x", "no host");
        bad("ftps://h:0/x", "bad port");
        bad("ftps://::1/x", "more than one ':'");
        bad("example.com/x", "not a URL");
        bad("://h/x", "not a URL");
        bad("ftp:///x", "no host");
        bad("ftp://u@/x", "no host");
        bad("ftp://h:0/x", "bad port");
        bad("ftp://h:65536/x", "bad port");
        bad("ftp://h:99999999999999999999/x", "bad port");
        bad("ftp://h:21a/x", "bad port");
        bad("ftp://h:+21/x", "bad port");
        bad("ftp://::1/x", "more than one ':'");
        bad("ftp://[::1/x", "unterminated '['");
        bad("ftp://[]/x", "empty IPv6");
        bad("ftp://[::1]x/x", "after ']'");
        bad("ftp://[::1;]/x", "bad character");
        bad("ftp://h/a%2", "bad %-escape in the URL's path");
        bad("ftp://h/a%zz", "bad %-escape in the URL's path");
        bad("ftp://h/a%00b", "bad %-escape in the URL's path");
        bad("ftp://h/a%ff", "not UTF-8");
        bad("ftp://u%4:p@h/x", "bad %-escape in the URL's user name");
        bad("ftp://u:p%@h/x", "bad %-escape in the URL's password");
        bad("ftp://h/a b", "space or control");
        bad("ftp://h/a\r\nDELE x", "space or control");
    }

    #[test]
    fn debug_hides_the_password() {
        let u = FtpUrl::parse("ftp://u:secret@h/x").unwrap();
        assert!(!format!("{u:?}").contains("secret"));
    }
}
