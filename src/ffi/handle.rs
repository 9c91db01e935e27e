//! The opaque `ftp_session` handle: the core session plus the C strings it
//! hands out (valid until the next call on the session).

use super::strings::to_cstring;
use crate::error::Error;
use crate::session::Session;
use std::ffi::CString;

/// An FTP session (Python ftplib's `FTP` object). Create it with
/// `ftp_session_new`, release it with `ftp_session_free`. Use it from one
/// thread at a time; different sessions are independent.
pub struct ftp_session {
    pub(crate) core: Session,
    pub(crate) last_error: CString,
    pub(crate) last_response: CString,
    pub(crate) welcome: Option<CString>,
    pub(crate) path_out: CString,
    /// Set after a caught panic: the session refuses all further work.
    pub(crate) dead: bool,
}

impl ftp_session {
    pub(crate) fn new(core: Session) -> ftp_session {
        ftp_session {
            core,
            last_error: CString::default(),
            last_response: CString::default(),
            welcome: None,
            path_out: CString::default(),
            dead: false,
        }
    }

    /// Copies the core's last reply and welcome into C strings.
    pub(crate) fn refresh(&mut self) {
        let text = self
            .core
            .last_reply()
            .map(|r| r.text.as_str())
            .unwrap_or("");
        if self.last_response.as_bytes() != text.as_bytes() {
            self.last_response = to_cstring(text.as_bytes());
        }
        match self.core.welcome() {
            Some(w) if self.welcome.as_ref().map(|c| c.as_bytes()) != Some(w.as_bytes()) => {
                self.welcome = Some(to_cstring(w.as_bytes()));
            }
            Some(_) => {}
            None => self.welcome = None,
        }
    }

    pub(crate) fn set_error(&mut self, e: &Error) {
        self.last_error = to_cstring(e.to_string().as_bytes());
    }
}
