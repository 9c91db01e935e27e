//! RFC 2640 after login: a UTF-8 session asks the server to use UTF-8 for
//! path names (`OPTS UTF8 ON`) when its FEAT reply advertises `UTF8`.
//!
//! ProFTPD and pyftpdlib answer 200 (vsftpd too, but it advertises UTF8
//! only with `utf8_filesystem=YES`); Pure-FTPd answers 504, others 501 or
//! 502. A refusal changes nothing for the client, which encodes commands
//! and decodes replies as the session encoding says whatever the server
//! answered, so it is not an error. A latin-1 session sends neither FEAT
//! nor OPTS.

use super::Session;
use crate::encoding::Encoding;
use crate::error::{Error, Result};

impl Session {
    /// The UTF-8 step of [`Session::login`], once logged in: nothing for a
    /// latin-1 session; otherwise FEAT (unless already asked on this
    /// connection, see [`Session::features`]) and, when it advertises
    /// `UTF8`, `OPTS UTF8 ON`. A 4xx/5xx answer to OPTS is ignored, 2xx is
    /// success, and anything else is an error as for `voidcmd` (1xx/3xx:
    /// [`Error::Reply`]; not an FTP reply: [`Error::Proto`]). Failures to
    /// read a reply (I/O, EOF, timeout, cancel) are errors as for any
    /// command, and so is a 421 to FEAT or OPTS, which closes the
    /// connection ([`Error::Temp`]).
    pub(crate) fn utf8_after_login(&mut self) -> Result<()> {
        if self.settings.encoding != Encoding::Utf8 {
            return Ok(());
        }
        let advertised = self.features()?.has("UTF8");
        self.fail_if_closed_by_421()?;
        if !advertised {
            return Ok(());
        }
        // The FEAT reply is not what a failure of OPTS should leave.
        self.last_reply = None;
        self.send_line("OPTS UTF8 ON")?;
        let reply = self.read_reply()?;
        self.fail_if_closed_by_421()?;
        match reply.class() {
            b'4' | b'5' => Ok(()),
            _ => reply.into_void_result().map(drop),
        }
    }

    /// A 421 reply closes the connection (see `read_reply`): then the
    /// call fails with it, even where another 4xx would be ignored.
    fn fail_if_closed_by_421(&self) -> Result<()> {
        match &self.last_reply {
            Some(r) if r.code == 421 && !self.is_connected() => Err(Error::Temp(r.clone())),
            _ => Ok(()),
        }
    }
}
