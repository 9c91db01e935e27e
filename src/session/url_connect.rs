//! Connecting by URL: TLS mode from the scheme, login from the URL, a
//! netrc file or anonymous, then the URL's directory (RFC 1738).

use super::settings::{NetrcFile, UrlCwd};
use super::Session;
use crate::error::{Error, Result};
use crate::netrc::{Entry, Netrc};
use crate::reply::Reply;
use crate::tls::TlsConfig;
use crate::url::{FtpUrl, Security};

/// What a URL's path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlPath {
    /// A file: the directory is every segment but the last (the last is
    /// empty when the path ends with `/`). `ftp_connect_url` reads URLs so.
    File,
    /// A directory: every segment is one (the pool reads URLs so).
    Directory,
}

impl Session {
    /// Connects to `url`'s server and gets it ready: the session's TLS
    /// mode is set from the scheme (`ftp`: plain, `ftpes`: AUTH TLS at
    /// login, `ftps`: implicit TLS) with `tls` (`None`: the session's
    /// own configuration if it has one, else the defaults); then connect
    /// (Happy Eyeballs), login (see [`Session::url_credentials`]), and CWD
    /// into the path's directory as `what` says, one CWD per segment or
    /// one for all (see [`Session::set_url_cwd`]); an empty first segment
    /// (`ftp://h//etc`) is the root. Returns the login's reply. Any failure
    /// closes the connection: the session is left unconnected.
    pub fn connect_url(
        &mut self,
        url: &FtpUrl,
        tls: Option<TlsConfig>,
        what: UrlPath,
    ) -> Result<Reply> {
        if self.is_connected() {
            return Err(Error::State(
                "already connected (call close or quit first)".into(),
            ));
        }
        let sec = url.security;
        self.tls
            .set_for_url(sec.is_tls(), sec == Security::Implicit, tls);
        let result = (|| {
            self.connect(&url.host, url.port)?;
            let (user, passwd, acct) = self.url_credentials(url)?;
            let reply = self.login(&user, &passwd, &acct)?;
            let dirs = match what {
                UrlPath::File => url.dir_segments(),
                UrlPath::Directory => &url.segments[..],
            };
            self.change_to(dirs)?;
            self.url_path = Some(url.path());
            self.last_reply = Some(reply.clone());
            Ok(reply)
        })();
        if result.is_err() {
            self.close();
        }
        result
    }

    /// The decoded path of the URL this connection was opened with by
    /// [`Session::connect_url`] (segments joined by `/`; see
    /// [`FtpUrl::path`]); `None` when it was not opened so.
    pub fn url_path(&self) -> Option<&str> {
        self.url_path.as_deref()
    }

    /// Chooses one CWD per URL path segment (the default, RFC 1738), one
    /// CWD with the whole directory path, or none.
    pub fn set_url_cwd(&mut self, mode: UrlCwd) {
        self.settings.url_cwd = mode;
    }

    /// Names the netrc file consulted for logins without credentials
    /// (`None`: none; see [`crate::netrc`]). The file is read at each
    /// login; when it is missing, a `required` one is an error, another
    /// one has no entries.
    pub fn set_netrc(&mut self, file: Option<NetrcFile>) {
        self.settings.netrc = file;
    }

    /// The login for `url`: its user and password when it gives a
    /// password; else the netrc entry for the host (and the URL's user,
    /// when given); else the URL's user (or `anonymous`) and no password.
    pub fn url_credentials(&self, url: &FtpUrl) -> Result<(String, String, String)> {
        if let Some(p) = &url.password {
            return Ok((url.login_user().to_string(), p.clone(), String::new()));
        }
        Ok(match self.netrc_entry(&url.host, url.user.as_deref())? {
            Some(e) => {
                let user = url.user.clone().unwrap_or(e.login);
                (user, e.password, e.account)
            }
            None => (url.login_user().to_string(), String::new(), String::new()),
        })
    }

    /// The netrc entry for `host` (and `user`, when given), if a netrc
    /// file is set and has one; an unreadable, malformed or too open file
    /// is an error.
    pub(crate) fn netrc_entry(&self, host: &str, user: Option<&str>) -> Result<Option<Entry>> {
        let Some(file) = &self.settings.netrc else {
            return Ok(None);
        };
        if !file.required && !file.path.exists() {
            return Ok(None);
        }
        let netrc = Netrc::load(&file.path)?;
        Ok(netrc.find(host, user).cloned())
    }

    /// Login with the user left out: the netrc entry of the connected
    /// host (see [`Session::set_netrc`]), else `anonymous` with `passwd`
    /// and `acct`.
    pub fn login_netrc(&mut self, passwd: &str, acct: &str) -> Result<Reply> {
        let host = match &self.control {
            Some(c) => c.host.clone(),
            None => return Err(self.not_connected()),
        };
        match self.netrc_entry(&host, None)? {
            Some(e) => self.login(&e.login, &e.password, &e.account),
            None => self.login("", passwd, acct),
        }
    }

    /// CWD into `dirs` as the URL-CWD setting says.
    fn change_to(&mut self, dirs: &[String]) -> Result<()> {
        match self.settings.url_cwd {
            UrlCwd::EachSegment => {
                for (i, d) in dirs.iter().enumerate() {
                    match (i, d.is_empty()) {
                        (0, true) => self.cwd("/").map(drop)?,
                        (_, true) => {}
                        _ => self.cwd(d).map(drop)?,
                    }
                }
            }
            UrlCwd::None => {}
            UrlCwd::Once => {
                let path = match dirs {
                    [only] if only.is_empty() => "/".to_string(),
                    _ => dirs.join("/"),
                };
                if !path.is_empty() {
                    self.cwd(&path)?;
                }
            }
        }
        Ok(())
    }
}
