//! FTP URLs (RFC 1738, with the authority rules of RFC 3986):
//! `ftp://[user[:pass]@]host[:port][/path][;type=X]` and its FTPS forms,
//! parsed in one place for every caller (`Session::connect_url`, the pool).
//!
//! - scheme, case-insensitive: `ftp` (plain, port 21), `ftpes` (explicit
//!   FTPS: AUTH TLS on port 21), `ftps` (implicit FTPS, port 990);
//! - no space or control character anywhere, no `#` or `?` (write them as
//!   `%XX`);
//! - user information up to the last `@` of the authority, the user before
//!   the first `:` of it, the password after, each %-decoded (so a password
//!   may hold `@`, `:` and `/` written as `%40`, `%3A`, `%2F`; a raw `@`
//!   in it works too);
//! - host: a name (letters, digits, `-`, `.`, `_`), an IPv4 address, or
//!   an IPv6 literal in brackets (`[::1]`, returned without them; a zone
//!   is written `%25`); `host:` alone means the default port;
//! - port 1-65535;
//! - path: the `/`-separated segments after the authority, each
//!   %-decoded on its own (RFC 1738: `%2F` is a `/` inside one segment, so
//!   `ftp://h/%2Fetc/motd` names `motd` in the directory `/etc`); an empty
//!   first segment (`ftp://h//etc`) means the root;
//! - a `;type=a|i|d` suffix (any case) is accepted and ignored; any
//!   other `;` is part of a name (VMS: `FILE.TXT;1`).
//!
//! `%XX` escapes (two hex digits, not `%00`) must decode to UTF-8.
//! Every error is [`Error::InvalidArgument`] naming the part that is
//! wrong; none quotes the user information, so a password never shows.

mod encoding;
mod parse;

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

    /// The scheme's name, lower case.
    pub fn scheme(self) -> &'static str {
        match self {
            Security::Plain => "ftp",
            Security::Explicit => "ftpes",
            Security::Implicit => "ftps",
        }
    }
}

/// A parsed FTP URL. `Debug` does not show the password.
#[derive(Clone, PartialEq, Eq)]
pub struct FtpUrl {
    /// The scheme's security.
    pub security: Security,
    /// The user name; `None` when the URL gives none (or an empty one).
    pub user: Option<String>,
    /// The password; `None` when the URL gives none (`u:@h` gives `""`).
    pub password: Option<String>,
    /// The host name or address (IPv6 without brackets).
    pub host: String,
    /// The port (the scheme's default when the URL gives none).
    pub port: u16,
    /// The decoded path segments (none for `ftp://h` and `ftp://h/`).
    pub segments: Vec<String>,
}

impl fmt::Debug for FtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FtpUrl")
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("host", &self.host)
            .field("port", &self.port)
            .field("segments", &self.segments)
            .finish()
    }
}

impl FromStr for FtpUrl {
    type Err = Error;
    fn from_str(s: &str) -> Result<FtpUrl> {
        FtpUrl::parse(s)
    }
}

impl FtpUrl {
    /// Parses `url` (see the module's rules); a bad URL gives
    /// [`Error::InvalidArgument`] saying which part is wrong.
    pub fn parse(url: &str) -> Result<FtpUrl> {
        parse::parse(url)
    }

    /// The user to log in as: the URL's, else `anonymous`.
    pub fn login_user(&self) -> &str {
        self.user.as_deref().unwrap_or("anonymous")
    }

    /// The whole path, segments joined by `/` ("" for none): relative to
    /// the login directory, absolute when it starts with `/`.
    pub fn path(&self) -> String {
        self.segments.join("/")
    }

    /// The directory segments: all but the last (the file name).
    pub fn dir_segments(&self) -> &[String] {
        match self.segments.split_last() {
            Some((_, dir)) => dir,
            None => &[],
        }
    }

    /// The last segment ("" when the path is empty or ends with `/`).
    pub fn file_name(&self) -> &str {
        self.segments.last().map_or("", String::as_str)
    }

    /// The URL as text, password included (handle it as a secret): parsing
    /// it gives back an equal `FtpUrl`. Every byte but letters, digits and
    /// `-._~` is %-encoded in the user information and path segments; the
    /// port is written only when it is not the scheme's default.
    pub fn to_url_string(&self) -> String {
        use encoding::encode;
        let mut s = format!("{}://", self.security.scheme());
        if self.user.is_some() || self.password.is_some() {
            s += &encode(self.user.as_deref().unwrap_or(""));
            if let Some(p) = &self.password {
                s.push(':');
                s += &encode(p);
            }
            s.push('@');
        }
        if self.host.contains(':') {
            s += &format!("[{}]", self.host.replace('%', "%25"));
        } else {
            s += &self.host;
        }
        if self.port != self.security.default_port() {
            s += &format!(":{}", self.port);
        }
        if !self.segments.is_empty() {
            let path: Vec<String> = self.segments.iter().map(|p| encode(p)).collect();
            s.push('/');
            s += &path.join("/");
        }
        s
    }
}
