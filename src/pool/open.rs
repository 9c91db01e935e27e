//! Opening one session of a pool from its URL.

use crate::error::Result;
use crate::session::Session;
use crate::tls::TlsConfig;
use crate::url::{FtpUrl, Security};
use std::time::Duration;

/// A new session to `url`'s server: connected (implicit TLS for
/// `ftps://`), logged in with the URL's credentials (for FTPS URLs login
/// also runs AUTH TLS when explicit, then PBSZ 0 + PROT P), and in the
/// URL's directory when it has a path (`CWD path`). `tls` is `Some` for
/// the FTPS schemes. A failure closes what was opened.
pub(super) fn open(
    url: &FtpUrl,
    tls: Option<&TlsConfig>,
    timeout: Option<Duration>,
) -> Result<Session> {
    let mut s = match tls {
        Some(cfg) => {
            let mut s = Session::new_tls(cfg.clone());
            s.set_implicit_tls(url.security == Security::Implicit)?;
            s
        }
        None => Session::new(),
    };
    s.set_timeout(timeout)?;
    let result = (|| {
        s.connect(&url.host, url.port)?;
        s.login(&url.user, &url.password, "")?;
        if !url.path.is_empty() {
            s.cwd(&url.path)?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(s),
        Err(e) => {
            s.close();
            Err(e)
        }
    }
}
