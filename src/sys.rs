//! The one socket option that neither std, socket2 nor nix wraps.

use std::io;
use std::net::TcpStream;
use std::os::fd::AsRawFd;

/// Sets `SO_RCVLOWAT`: a blocked read (or splice) on `sock` wakes only once
/// `bytes` are queued, or at the end of the data, or when its timeout ends
/// (then with what is queued).
pub(crate) fn set_recv_lowat(sock: &TcpStream, bytes: usize) -> io::Result<()> {
    let value = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
    // SAFETY: `sock` is an open socket for the duration of the call, and the
    // option value is a live c_int whose exact size is passed with it. This
    // and SessionStore::resume are the only `unsafe` outside src/ffi.
    let rc = unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVLOWAT,
            (&value as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}
