//! Opening one session of a pool from its URL.

use super::state::Template;
use crate::cancel::CancelToken;
use crate::error::Result;
use crate::session::{Session, UrlPath};
use crate::tls::TlsConfig;
use crate::url::FtpUrl;
use std::time::Duration;

/// A new session to `url`'s server, opened by [`Session::connect_url`]
/// (the URL's path names a directory): connected (implicit TLS for
/// `ftps://`), logged in with the URL's credentials (for FTPS URLs login
/// also runs AUTH TLS when explicit, then PBSZ 0 + PROT P), and in the
/// URL's directory. `tls` is `Some` for the FTPS schemes. A failure
/// closes what was opened. `template`: the pool's proxy and netrc;
/// `watch` gets the session's cancel token before anything is sent (so
/// that [`super::Pool::cancel`] reaches a session being opened).
pub(super) fn open(
    url: &FtpUrl,
    tls: Option<&TlsConfig>,
    timeout: Option<Duration>,
    template: &Template,
    watch: impl FnOnce(&CancelToken),
) -> Result<Session> {
    let mut s = Session::new();
    s.set_timeout(timeout)?;
    s.set_proxy(template.proxy.as_deref())?;
    s.set_netrc(template.netrc.clone());
    watch(s.cancel_token());
    s.connect_url(url, tls.cloned(), UrlPath::Directory)?;
    Ok(s)
}
