//! The one path every exported function takes: NULL checks, the panic
//! boundary, and recording the outcome for `ftp_last_error`.

use super::handle::{ftp_session, Outputs, SessionInner, FREE_REQUESTED};
use super::pool_handle::ftp_pool;
use super::result::ftp_result;
use super::transfer_handle::ftp_transfer;
use crate::error::{Error, Result};
use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;

/// Text of a caught panic.
fn panic_text(p: &(dyn Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}

/// This thread's key for `ftp_session::entry`: the address of a
/// thread-local, 8-aligned so the low bit stays free for FREE_REQUESTED.
fn thread_key() -> usize {
    thread_local! {
        static KEY: u64 = const { 0 };
    }
    KEY.with(|k| k as *const u64 as usize)
}

/// Runs `f` on the session behind `s`: NULL gives
/// `FTP_ERROR_INVALID_ARGUMENT`, a dead session `FTP_ERROR_INTERNAL`, a
/// panic kills the session; the error text and reply are recorded.
///
/// Re-entrancy: a call made while another call on the same session runs
/// (from one of its callbacks, or - against the contract - from another
/// thread) returns `FTP_ERROR_STATE` without touching the session; from a
/// callback it also sets `ftp_last_error`. `ftp_session_free` during a call
/// is deferred to the end of that call (see [`free_session`]).
pub(crate) fn with_session(
    s: *mut ftp_session,
    f: impl FnOnce(&mut SessionInner) -> Result<()>,
) -> ftp_result {
    if s.is_null() {
        return ftp_result::FTP_ERROR_INVALID_ARGUMENT;
    }
    // SAFETY: non-NULL handles come from ftp_session_new and stay valid
    // until ftp_session_free, which defers while a call runs. Only shared
    // references to the handle are made; its cells are used as below.
    let h = unsafe { &*s };
    let me = thread_key();
    if let Err(held) = h
        .entry
        .compare_exchange(0, me, Ordering::Acquire, Ordering::Relaxed)
    {
        if held & !FREE_REQUESTED == me {
            // SAFETY: this thread is inside a call on s, stopped in one of
            // its callbacks: the outer call holds `inner` only, never `out`.
            let out = unsafe { &mut *h.out.get() };
            out.set_error(&Error::State(
                "this call was made from inside a callback of the same session, which \
                 allows only the getters and ftp_session_cancel (return from the callback \
                 first; return non-zero to stop a transfer)"
                    .into(),
            ));
        }
        return ftp_result::FTP_ERROR_STATE;
    }
    h.cancel.reset();
    // SAFETY: entry now names this thread: no one else touches `inner`
    // until it is released below; `out` is not borrowed during `f`.
    let sess = unsafe { &mut *h.inner.get() };
    let result = run_call(sess, f);
    // SAFETY: as above; `f` has returned, so nothing borrows `out`.
    let out = unsafe { &mut *h.out.get() };
    let result = record(out, sess, result);
    // Leave the call; a free requested meanwhile happens now.
    if h.entry
        .compare_exchange(me, 0, Ordering::Release, Ordering::Relaxed)
        .is_err()
    {
        // SAFETY: entry is `me | FREE_REQUESTED`: ftp_session_free handed
        // the release to this call; nothing else uses s any more.
        drop(unsafe { Box::from_raw(s) });
    }
    result
}

/// Runs a call's body behind the panic boundary.
fn run_call(
    sess: &mut SessionInner,
    f: impl FnOnce(&mut SessionInner) -> Result<()>,
) -> std::result::Result<Result<()>, String> {
    if sess.dead {
        return Ok(Err(Error::Internal(
            "the session is unusable after an internal error".into(),
        )));
    }
    catch_unwind(AssertUnwindSafe(|| f(&mut *sess))).map_err(|p| panic_text(&*p))
}

/// Records a call's outcome for the getters: the error text (always
/// rewritten, so a success never leaves an old text behind), the last
/// reply and the welcome.
fn record(
    out: &mut Outputs,
    sess: &mut SessionInner,
    result: std::result::Result<Result<()>, String>,
) -> ftp_result {
    let code = match result {
        Ok(Ok(())) => {
            out.last_error = Default::default();
            ftp_result::FTP_OK
        }
        Ok(Err(e)) => {
            out.set_error(&e);
            ftp_result::from(&e)
        }
        Err(panic) => {
            sess.dead = true;
            out.set_error(&Error::Internal(format!("panic: {panic}")));
            ftp_result::FTP_ERROR_INTERNAL
        }
    };
    // Refreshing only copies strings; guard it as well.
    if catch_unwind(AssertUnwindSafe(|| out.refresh(&sess.core))).is_err() {
        sess.dead = true;
        return ftp_result::FTP_ERROR_INTERNAL;
    }
    code
}

/// `ftp_session_free`: releases the session now, or - while a call runs on
/// it (from one of its callbacks) - cancels that call and leaves the
/// release to its end. NULL does nothing; a second free of a session whose
/// release is pending does nothing.
pub(crate) fn free_session(s: *mut ftp_session) {
    if s.is_null() {
        return;
    }
    guard((), || {
        // SAFETY: a live handle (contract); only shared references are made
        // until this function owns the release.
        let h = unsafe { &*s };
        let mut held = h.entry.load(Ordering::Acquire);
        loop {
            if held & FREE_REQUESTED != 0 {
                return;
            }
            let (want, now) = if held == 0 {
                (FREE_REQUESTED, true)
            } else {
                (held | FREE_REQUESTED, false)
            };
            match h
                .entry
                .compare_exchange(held, want, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) if now => {
                    // SAFETY: no call runs and none can start (entry is
                    // not 0); s came from Box::into_raw and is freed once.
                    drop(unsafe { Box::from_raw(s) });
                    return;
                }
                Ok(_) => {
                    h.cancel.cancel();
                    return;
                }
                Err(actual) => held = actual,
            }
        }
    })
}

/// `ftp_session_cancel`: only an atomic store, so any thread and a signal
/// handler may call it. NULL gives `FTP_ERROR_INVALID_ARGUMENT`.
pub(crate) fn cancel_session(s: *const ftp_session) -> ftp_result {
    if s.is_null() {
        return ftp_result::FTP_ERROR_INVALID_ARGUMENT;
    }
    // SAFETY: a live handle (contract); `cancel` is an atomic flag that
    // any thread may set while the handle lives.
    unsafe { &*s }.cancel.cancel();
    ftp_result::FTP_OK
}

/// Reads the getters' strings of `s`: NULL gives `fallback`. Allowed
/// inside the session's own callbacks (they then see the previous call's
/// values, or the error of a refused re-entrant call).
pub(crate) fn with_outputs<T>(
    s: *const ftp_session,
    fallback: T,
    f: impl FnOnce(&Outputs) -> T,
) -> T {
    if s.is_null() {
        return fallback;
    }
    // SAFETY: a live handle (contract); `out` is written only at the end of
    // a call on this (the only using) thread, never while this runs.
    let out = unsafe { &*(*s).out.get() };
    f(out)
}

/// Runs `f` on a transfer handle, with the same rules as [`with_session`].
pub(crate) fn with_transfer(
    t: *mut ftp_transfer,
    f: impl FnOnce(&mut ftp_transfer) -> Result<()>,
) -> ftp_result {
    if t.is_null() {
        return ftp_result::FTP_ERROR_INVALID_ARGUMENT;
    }
    // SAFETY: non-NULL handles come from ftp_transfercmd.
    let tr = unsafe { &mut *t };
    tr.last_error = Default::default();
    // A transfer call is a call of its session for ftp_session_cancel.
    if let Some(token) = tr.conn.as_ref().and_then(|c| c.cancel_token()) {
        token.reset();
    }
    match catch_unwind(AssertUnwindSafe(|| f(&mut *tr))) {
        Ok(Ok(())) => ftp_result::FTP_OK,
        Ok(Err(e)) => {
            tr.set_error(&e);
            ftp_result::from(&e)
        }
        Err(p) => {
            tr.conn = None;
            tr.set_error(&Error::Internal(format!("panic: {}", panic_text(&*p))));
            ftp_result::FTP_ERROR_INTERNAL
        }
    }
}

/// Runs `f` on the pool behind `p`: NULL gives `FTP_ERROR_INVALID_ARGUMENT`
/// (nothing recorded), a panic `FTP_ERROR_INTERNAL`; the outcome is
/// recorded as the calling thread's last error of the pool. Any number of
/// threads may be inside calls on one pool at once (`Pool` is `Sync`).
pub(crate) fn with_pool(
    p: *const ftp_pool,
    f: impl FnOnce(&crate::pool::Pool) -> Result<()>,
) -> ftp_result {
    if p.is_null() {
        return ftp_result::FTP_ERROR_INVALID_ARGUMENT;
    }
    // SAFETY: non-NULL handles come from ftp_pool_new and stay valid until
    // ftp_pool_free, which the contract forbids while any call runs on it.
    // Only shared references are made: the pool is Sync.
    let pool = unsafe { &*p };
    // Every C call on a pool is one call for ftp_pool_cancel.
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let _call = pool.core.enter();
        f(&pool.core)
    }))
    .unwrap_or_else(|panic| Err(Error::Internal(format!("panic: {}", panic_text(&*panic)))));
    let code = match &outcome {
        Ok(()) => ftp_result::FTP_OK,
        Err(e) => ftp_result::from(e),
    };
    // Recording only copies a string; guard it as well.
    guard((), || pool.record(outcome.as_ref().err()));
    code
}

/// Runs a constructor or destructor-like function without letting a panic out.
pub(crate) fn guard<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// A required output pointer.
pub(crate) fn out_ptr<T>(p: *mut T, what: &str) -> Result<*mut T> {
    if p.is_null() {
        Err(Error::InvalidArgument(format!("{what} is NULL")))
    } else {
        Ok(p)
    }
}
