//! Progress reports and keepalive: `ftp_set_progress_callback`,
//! `ftp_set_keepalive`.

use super::boundary::with_session;
use super::handle::ftp_session;
use super::result::ftp_result;
use crate::error::{Error, Result};
use crate::progress::{Progress, ProgressSink};
use std::ffi::{c_char, c_int, c_void, CString};
use std::time::Duration;

/// One progress report of a transfer (see `ftp_set_progress_callback`).
/// Valid only during the callback: copy what you keep.
#[repr(C)]
pub struct ftp_progress {
    /// The remote path of the file in transfer: the argument of the
    /// command ("RETR dir/x" gives "dir/x"; "" for a bare "LIST").
    pub path: *const c_char,
    /// Bytes transferred on the data connection so far in this call
    /// (bytes skipped by REST are not counted).
    pub bytes: u64,
    /// Where the transfer started in the file (the REST offset; 0 without).
    pub offset: u64,
    /// The size of the whole file: from SIZE where the call asked it
    /// (`ftp_download_file` asks when a progress callback is set, and when
    /// resuming), else announced by the server's 150 reply ("(N bytes)";
    /// not after a REST, since servers differ on whether they announce the
    /// whole file or what is left), or, for uploads from a regular file,
    /// the file's size; -1 when unknown.
    pub total: i64,
    /// Seconds since the data connection was opened.
    pub elapsed_s: f64,
}

/// Receives a progress report; `p` is valid only during the call. Return
/// 0 to go on, non-zero to stop the transfer (it then returns
/// `FTP_ERROR_CALLBACK` and the session stays usable, as for any callback).
pub type ftp_progress_cb =
    Option<unsafe extern "C" fn(userdata: *mut c_void, p: *const ftp_progress) -> c_int>;

/// The C callback of a progress sink.
pub(crate) type ProgressFn = unsafe extern "C" fn(*mut c_void, *const ftp_progress) -> c_int;

/// Calls `f` with the report `p` (`path`: `p.path` as a C string, alive
/// during the call); non-zero stops the transfer.
pub(crate) fn call_progress(
    f: ProgressFn,
    userdata: *mut c_void,
    p: &Progress<'_>,
    path: *const c_char,
) -> Result<()> {
    let c = ftp_progress {
        path,
        bytes: p.bytes,
        offset: p.offset,
        total: p.total.and_then(|t| i64::try_from(t).ok()).unwrap_or(-1),
        elapsed_s: p.elapsed.as_secs_f64(),
    };
    // SAFETY: the caller registered f with this userdata; `c` and its
    // path live until the call returns.
    let rc = unsafe { f(userdata, &c) };
    if rc == 0 {
        Ok(())
    } else {
        Err(Error::Callback(format!(
            "the progress callback returned {rc}: transfer stopped"
        )))
    }
}

/// Reports the progress of every transfer of the session to `cb`:
/// `ftp_retrbinary`, `ftp_retrlines`, `ftp_storbinary`, `ftp_storlines`,
/// `ftp_retr_to_fd`, `ftp_stor_from_fd` (zero-copy included) and the
/// listings built on them (`ftp_nlst`, `ftp_dir`, `ftp_mlsd`, `ftp_list`).
/// `cb` is called on the thread making the call: once when the data
/// connection is open (`bytes` 0), at most every `interval_ms` while the
/// transfer runs (0: after every block that moved bytes), and once when
/// all the data went through (`bytes` = everything transferred), before
/// the final reply is read. A failed transfer gets no last call. Non-zero
/// from `cb` stops the transfer like any callback (`FTP_ERROR_CALLBACK`,
/// final reply read, session usable), also on the last call. Inside `cb`
/// a call on the session returns `FTP_ERROR_STATE` (getters and
/// `ftp_session_cancel` excepted). Not reported: an `ftp_transfer` handle
/// from `ftp_transfercmd`, which the caller reads and writes itself (and
/// which may outlive the session). NULL `cb` turns reports off.
#[no_mangle]
pub extern "C" fn ftp_set_progress_callback(
    s: *mut ftp_session,
    cb: ftp_progress_cb,
    userdata: *mut c_void,
    interval_ms: u32,
) -> ftp_result {
    with_session(s, |s| {
        let sink = cb.map(|f| {
            let ud = SendPtr(userdata);
            let mut path = CachedPath::default();
            Box::new(move |p: &Progress<'_>| {
                let ud = &ud;
                call_progress(f, ud.0, p, path.get(p.path))
            }) as ProgressSink
        });
        s.core
            .set_progress(sink, Duration::from_millis(u64::from(interval_ms)));
        Ok(())
    })
}

/// Keeps the connections alive; `interval_ms` 0 turns it off (the
/// default). TCP keepalive on the control connection (at once when
/// connected) and on every data connection: idle time and probe interval
/// `interval_ms`, rounded up to 1 s, the kernel's unit. And while a
/// transfer of the session (the calls `ftp_set_progress_callback` lists)
/// runs longer than `interval_ms`, `NOOP` is sent on the control
/// connection every `interval_ms` (in the TLS stream under TLS), so
/// servers and firewalls that drop an idle control connection keep it;
/// also after the data while the final reply has not come (a server still
/// storing an upload), for at most the session timeout.
/// Every NOOP's reply is read after the data, whenever the server sends it
/// (during the transfer, before or after the final reply): a 200 is taken
/// as a NOOP's, the final reply (never 200) is what the call returns, and
/// a later call never sees a NOOP's reply. A server that never answers a
/// NOOP makes the call time out (the connection is then closed).
#[no_mangle]
pub extern "C" fn ftp_set_keepalive(s: *mut ftp_session, interval_ms: u32) -> ftp_result {
    with_session(s, |s| {
        s.core
            .set_keepalive((interval_ms > 0).then(|| Duration::from_millis(u64::from(interval_ms))))
    })
}

/// The C copy of the last path reported, remade only when it changes.
#[derive(Default)]
struct CachedPath {
    rust: String,
    c: CString,
}

impl CachedPath {
    fn get(&mut self, path: &str) -> *const c_char {
        if self.rust != path {
            self.rust = path.to_string();
            self.c = super::strings::to_cstring(path.as_bytes());
        }
        self.c.as_ptr()
    }
}

/// A caller's pointer carried inside the session. The contract makes the
/// caller responsible for its use from the thread that uses the session.
struct SendPtr(*mut c_void);
// SAFETY: see the type's comment; the pointer is only handed back to the caller.
unsafe impl Send for SendPtr {}
