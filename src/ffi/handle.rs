//! The opaque `ftp_session` handle: the core session, the C strings the
//! getters hand out, and what lets other threads and callbacks touch the
//! handle safely while a call runs (see `boundary`).
//!
//! The parts are separate cells so that no two places ever hold a Rust
//! reference to the same data: the thread inside a call owns `inner`; the
//! getters read `out`, which only the end of a call (or a refused
//! re-entrant call) writes; `entry` and `cancel` are atomics that any
//! thread may use.

use super::strings::to_cstring;
use crate::cancel::CancelToken;
use crate::error::Error;
use crate::session::Session;
use std::cell::UnsafeCell;
use std::ffi::{c_int, CString};
use std::sync::atomic::AtomicUsize;

/// An FTP session (Python ftplib's `FTP` object). Create it with
/// `ftp_session_new`, release it with `ftp_session_free`. Use it from one
/// thread at a time (only `ftp_session_cancel` may come from any thread);
/// different sessions are independent.
pub struct ftp_session {
    /// 0 when no call runs; else the key of the thread inside a call,
    /// plus [`FREE_REQUESTED`] once `ftp_session_free` was deferred.
    pub(crate) entry: AtomicUsize,
    /// Set by `ftp_session_cancel`; shared with the core's connections.
    pub(crate) cancel: CancelToken,
    /// The session proper, used only by the thread inside a call.
    pub(crate) inner: UnsafeCell<SessionInner>,
    /// What the getters return.
    pub(crate) out: UnsafeCell<Outputs>,
}

/// `entry` bit: free the session when the running call returns.
pub(crate) const FREE_REQUESTED: usize = 1;

/// What a call works on.
pub(crate) struct SessionInner {
    pub(crate) core: Session,
    /// The string of `ftp_pwd`/`ftp_mkd`, valid until the next call.
    pub(crate) path_out: CString,
    /// The parameters `ftp_has_feature` hands out, valid until the next call.
    pub(crate) feature_out: CString,
    /// The digest `ftp_checksum` hands out, valid until the next call.
    pub(crate) checksum_out: CString,
    /// The entry `ftp_stat` hands out, valid until the next call.
    pub(crate) stat_out: Option<Box<super::entries::CEntry>>,
    /// Set after a caught panic: the session refuses all further work.
    pub(crate) dead: bool,
}

/// The getters' strings, valid until the next call on the session.
#[derive(Default)]
pub(crate) struct Outputs {
    pub(crate) last_error: CString,
    pub(crate) last_response: CString,
    pub(crate) last_code: c_int,
    pub(crate) welcome: Option<CString>,
    pub(crate) url_path: Option<CString>,
}

impl ftp_session {
    pub(crate) fn new(core: Session) -> ftp_session {
        ftp_session {
            entry: AtomicUsize::new(0),
            cancel: core.cancel_token().clone(),
            inner: UnsafeCell::new(SessionInner {
                core,
                path_out: CString::default(),
                feature_out: CString::default(),
                checksum_out: CString::default(),
                stat_out: None,
                dead: false,
            }),
            out: UnsafeCell::new(Outputs::default()),
        }
    }
}

impl Outputs {
    /// Copies the core's last reply and welcome into C strings.
    pub(crate) fn refresh(&mut self, core: &Session) {
        let (text, code) = core
            .last_reply()
            .map(|r| (r.text.as_str(), c_int::from(r.code)))
            .unwrap_or(("", 0));
        if self.last_response.as_bytes() != text.as_bytes() {
            self.last_response = to_cstring(text.as_bytes());
        }
        self.last_code = code;
        sync(&mut self.welcome, core.welcome());
        sync(&mut self.url_path, core.url_path());
    }

    pub(crate) fn set_error(&mut self, e: &Error) {
        self.last_error = to_cstring(e.to_string().as_bytes());
    }
}

/// Makes `out` a copy of `text`, copying only when it changed.
fn sync(out: &mut Option<CString>, text: Option<&str>) {
    match text {
        Some(t) if out.as_ref().map(|c| c.as_bytes()) != Some(t.as_bytes()) => {
            *out = Some(to_cstring(t.as_bytes()));
        }
        Some(_) => {}
        None => *out = None,
    }
}
