//! `ftp_session_cancel`: stopping a session's running call from elsewhere.

use super::boundary::cancel_session;
use super::handle::ftp_session;
use super::result::ftp_result;

/// Stops the blocking call running on `s`. Callable from any thread, at any
/// time, and from a signal handler (it is a single atomic store: no lock,
/// no allocation). `s` must stay valid during the call: do not free it
/// concurrently.
///
/// The running call - waiting in a connect, a reply, a TLS handshake, a
/// transfer of any kind (callback, fd, or a read/write of an
/// `ftp_transfer` of this session), or between two callbacks - returns
/// `FTP_ERROR_CANCELLED` within 100 ms (every wait is cut into slices of at
/// most 20 ms). Name resolution (getaddrinfo) is the one wait it cannot
/// cut short. A callback running at that moment is not interrupted: the
/// call stops once it returns. A cancel while no call runs is ignored: the
/// flag is cleared when each call starts, so a cancel that races with the
/// start of a call may be lost; a caller that must not lose it checks its
/// own "cancelled" state before each call, or cancels again until the call
/// returns. Go's `context.Context` and .NET's `CancellationToken` map onto
/// this directly (a watcher calls `ftp_session_cancel` when they fire).
///
/// Afterwards the session is in step with the server, or closed:
/// - cancelled before a reply's first byte: the reply is owed and the next
///   call reads it first (within the session timeout);
/// - cancelled in a transfer: the data connection is ended at once (a
///   download reset; an upload closed in order, its partial file kept by
///   the server), and the transfer's final reply is owed likewise;
/// - cancelled in the middle of a reply, a connect or the control
///   connection's TLS handshake: the connection is closed, and
///   `ftp_last_error` says so.
///
/// Returns `FTP_OK`, or `FTP_ERROR_INVALID_ARGUMENT` for NULL.
#[no_mangle]
pub extern "C" fn ftp_session_cancel(s: *mut ftp_session) -> ftp_result {
    cancel_session(s)
}
