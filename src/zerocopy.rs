//! Moving a transfer's bytes between a data connection and a file
//! descriptor without copying them through user space: `splice` (socket ->
//! pipe -> file) for downloads and `sendfile` (file -> socket) for uploads.
//! Descriptors these calls do not support fall back to a large buffer.

use nix::errno::Errno;
use nix::fcntl::{fcntl, splice, FcntlArg, OFlag, SpliceFFlags};
use nix::sys::sendfile::sendfile;
use nix::sys::stat::{fstat, SFlag};
use std::io;
use std::net::TcpStream;
use std::os::fd::BorrowedFd;
use std::time::{Duration, Instant};

/// Bytes moved per system call.
const CHUNK: usize = 1 << 20;
/// The buffer of buffered downloads (regular files, TLS).
pub const DOWNLOAD_BUFFER: usize = 1 << 20;
/// The buffer of buffered uploads (64 KiB reads measured fastest).
pub const UPLOAD_BUFFER: usize = 64 * 1024;

/// Where a copy failed.
#[derive(Debug)]
pub enum CopyError {
    /// Reading or writing the data connection.
    Net(io::Error),
    /// Reading or writing the caller's descriptor.
    File(io::Error),
}

fn file_type(fd: BorrowedFd<'_>) -> Option<SFlag> {
    fstat(std::os::fd::AsRawFd::as_raw_fd(&fd))
        .ok()
        .map(|st| SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT)
}

/// True when splice can write into `fd`: a pipe, or with `files` a
/// regular file, never one opened with O_APPEND (splice refuses those).
/// Splicing into regular files was measured slower and erratic next to a
/// 1 MiB buffer on loopback (BENCHMARKS.md), hence `files`.
pub fn can_splice_into(fd: BorrowedFd<'_>, files: bool) -> bool {
    let kind = file_type(fd);
    let ok = kind == Some(SFlag::S_IFIFO) || (files && kind == Some(SFlag::S_IFREG));
    ok && !is_append(fd)
}

fn is_append(fd: BorrowedFd<'_>) -> bool {
    fcntl(std::os::fd::AsRawFd::as_raw_fd(&fd), FcntlArg::F_GETFL)
        .map(|flags| OFlag::from_bits_truncate(flags).contains(OFlag::O_APPEND))
        .unwrap_or(true)
}

/// True when `fd` is a regular file (what sendfile can read from).
pub fn can_sendfile_from(fd: BorrowedFd<'_>) -> bool {
    file_type(fd) == Some(SFlag::S_IFREG)
}

fn retry<T>(mut f: impl FnMut() -> nix::Result<T>) -> nix::Result<T> {
    loop {
        match f() {
            Err(Errno::EINTR) => continue,
            other => return other,
        }
    }
}

/// Copies everything the socket delivers into `out` with splice; returns
/// the byte count at the end of the data.
pub fn splice_socket_to_fd(sock: &TcpStream, out: BorrowedFd<'_>) -> Result<u64, CopyError> {
    let (pipe_r, pipe_w) =
        nix::unistd::pipe2(OFlag::O_CLOEXEC).map_err(|e| CopyError::File(e.into()))?;
    // A larger pipe means fewer system calls; the default still works.
    let _ = fcntl(
        std::os::fd::AsRawFd::as_raw_fd(&pipe_w),
        FcntlArg::F_SETPIPE_SZ(CHUNK as i32),
    );
    let mut total = 0u64;
    loop {
        let n = retry(|| {
            splice(
                sock,
                None,
                &pipe_w,
                None,
                CHUNK,
                SpliceFFlags::SPLICE_F_MOVE | SpliceFFlags::SPLICE_F_MORE,
            )
        })
        .map_err(|e| CopyError::Net(e.into()))?;
        if n == 0 {
            return Ok(total);
        }
        let mut left = n;
        while left > 0 {
            let m = retry(|| splice(&pipe_r, None, out, None, left, SpliceFFlags::SPLICE_F_MOVE))
                .map_err(|e| CopyError::File(e.into()))?;
            if m == 0 {
                return Err(CopyError::File(io::ErrorKind::WriteZero.into()));
            }
            left -= m;
        }
        total += n as u64;
    }
}

/// Sends `input` from its current offset to its end over the socket with
/// sendfile; returns the byte count. A call that blocks for the whole
/// `idle` timeout counts as a timeout even if it moved a few bytes (the
/// server stopped reading).
pub fn sendfile_fd_to_socket(
    input: BorrowedFd<'_>,
    sock: &TcpStream,
    idle: Option<Duration>,
) -> Result<u64, CopyError> {
    let mut total = 0u64;
    loop {
        let started = Instant::now();
        match retry(|| sendfile(sock, input, None, CHUNK)) {
            Ok(0) => return Ok(total),
            Ok(n) => {
                total += n as u64;
                if idle.is_some_and(|t| started.elapsed() >= t) {
                    return Err(CopyError::Net(io::ErrorKind::TimedOut.into()));
                }
            }
            // sendfile reports errors of both sides; EAGAIN is the socket's timeout.
            Err(e @ (Errno::EAGAIN | Errno::EPIPE | Errno::ECONNRESET)) => {
                return Err(CopyError::Net(e.into()))
            }
            Err(e) => return Err(CopyError::File(e.into())),
        }
    }
}

/// Writes all of `buf` to `fd`.
pub fn write_all_fd(fd: BorrowedFd<'_>, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        match retry(|| nix::unistd::write(fd, buf)) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => buf = &buf[n..],
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Reads some bytes from `fd` (0 at its end).
pub fn read_fd(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<usize> {
    retry(|| nix::unistd::read(std::os::fd::AsRawFd::as_raw_fd(&fd), buf)).map_err(Into::into)
}
