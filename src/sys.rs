//! The two socket operations that neither std, socket2 nor nix wraps:
//! `SO_RCVLOWAT`, and resetting a TCP connection that another descriptor
//! still holds (`connect` to an `AF_UNSPEC` address).

use std::io;
use std::net::TcpStream;
use std::os::fd::AsRawFd;

/// Sets `SO_RCVLOWAT`: a blocked read (or splice) on `sock` wakes only once
/// `bytes` are queued, or at the end of the data, or when its timeout ends
/// (then with what is queued).
pub(crate) fn set_recv_lowat(sock: &TcpStream, bytes: usize) -> io::Result<()> {
    let value = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
    // SAFETY: `sock` is an open socket for the duration of the call, and the
    // option value is a live c_int whose exact size is passed with it. This,
    // reset_connection and SessionStore::resume are the only `unsafe`
    // outside src/ffi.
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

/// Resets the TCP connection of `sock` at once (RST to the peer), even
/// though another descriptor (a caller's transfer handle) still holds it:
/// Linux disconnects a TCP socket connected to an `AF_UNSPEC` address. That
/// other descriptor then reads a reset. Used by `abort` to make a server
/// blocked writing a download notice the end at once (shutting a socket
/// down does not: the server keeps waiting for buffer space).
pub(crate) fn reset_connection(sock: &TcpStream) -> io::Result<()> {
    let unspec = libc::sockaddr {
        sa_family: libc::AF_UNSPEC as libc::sa_family_t,
        sa_data: [0; 14],
    };
    // SAFETY: `sock` is an open socket for the duration of the call, and the
    // address is a live, fully initialised sockaddr whose exact size is
    // passed with it; connect only reads it.
    let rc = unsafe {
        libc::connect(
            sock.as_raw_fd(),
            &unspec,
            std::mem::size_of::<libc::sockaddr>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}
