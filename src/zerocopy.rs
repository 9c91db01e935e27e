//! Moving a transfer's bytes between a data connection and a file
//! descriptor without copying them through user space: `splice` (socket ->
//! pipe -> file or pipe) for downloads and `sendfile` (file -> socket) for
//! uploads. Descriptors these calls do not support fall back to a buffer.

use crate::cancel::CancelToken;
use nix::errno::Errno;
use nix::fcntl::{fcntl, splice, FcntlArg, OFlag, SpliceFFlags};
use nix::sys::sendfile::sendfile;
use nix::sys::stat::{fstat, SFlag};
use std::io;
use std::net::TcpStream;
use std::os::fd::{AsFd, BorrowedFd};
use std::time::{Duration, Instant};

/// Bytes moved per system call.
const CHUNK: usize = 1 << 20;
/// The buffer of buffered downloads (TLS, descriptors splice cannot
/// write to): 256 KiB measured faster than 64 KiB and 1 MiB on loopback.
pub const DOWNLOAD_BUFFER: usize = 256 * 1024;
/// The buffer of buffered uploads (64 KiB reads measured fastest).
pub const UPLOAD_BUFFER: usize = 64 * 1024;

/// Where a copy failed.
#[derive(Debug)]
pub enum CopyError {
    /// Reading or writing the data connection.
    Net(io::Error),
    /// Reading or writing the caller's descriptor.
    File(io::Error),
    /// The copy's tick asked to stop (its caller knows why).
    Halted,
}

/// Called by the copy loops after each block and each wait slice without
/// progress, with the bytes moved so far; `false` stops the copy with
/// [`CopyError::Halted`]. It rides on the loop's iterations: no system
/// call of its own.
pub type Tick<'a> = &'a mut dyn FnMut(u64) -> bool;

fn file_type(fd: BorrowedFd<'_>) -> Option<SFlag> {
    fstat(std::os::fd::AsRawFd::as_raw_fd(&fd))
        .ok()
        .map(|st| SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT)
}

/// True when splice can write into `fd`: a pipe or a regular file, never
/// one opened with O_APPEND (splice refuses those).
pub fn can_splice_into(fd: BorrowedFd<'_>) -> bool {
    let kind = file_type(fd);
    let ok = kind == Some(SFlag::S_IFIFO) || kind == Some(SFlag::S_IFREG);
    ok && !is_append(fd)
}

fn is_append(fd: BorrowedFd<'_>) -> bool {
    fcntl(std::os::fd::AsRawFd::as_raw_fd(&fd), FcntlArg::F_GETFL)
        .map(|flags| OFlag::from_bits_truncate(flags).contains(OFlag::O_APPEND))
        .unwrap_or(true)
}

/// The size of `fd` when it is a regular file (`fstat`, once per call).
pub fn regular_file_size(fd: BorrowedFd<'_>) -> Option<u64> {
    let st = fstat(std::os::fd::AsRawFd::as_raw_fd(&fd)).ok()?;
    let regular = SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT == SFlag::S_IFREG;
    regular.then(|| u64::try_from(st.st_size).ok()).flatten()
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

/// How a splice copy ended.
#[derive(Debug)]
pub enum Spliced {
    /// The end of the data: this many bytes were written.
    Done(u64),
    /// The file system refused the first splice into `out` (no splice
    /// support): nothing was written, and `pending` holds what had already
    /// been read from the socket. The caller writes it and goes on with a
    /// buffer.
    Unsupported { pending: Vec<u8> },
}

/// How long a copy may wait without progress, and what cancels it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Waits<'a> {
    /// The idle timeout: the copy fails after this long without a byte.
    pub idle: Option<Duration>,
    /// Looked at between waits of at most [`crate::cancel::SLICE`].
    pub cancel: Option<&'a CancelToken>,
}

impl Waits<'_> {
    /// Sets the socket timeout named by `set` to one slice for the copy
    /// and gives back a guard that restores the old one.
    fn slice_socket<'s>(
        &self,
        sock: &'s TcpStream,
        write: bool,
    ) -> io::Result<SocketTimeoutGuard<'s>> {
        let old = if write {
            sock.write_timeout()?
        } else {
            sock.read_timeout()?
        };
        let slice = self
            .idle
            .map_or(crate::cancel::SLICE, |i| i.min(crate::cancel::SLICE));
        let guard = SocketTimeoutGuard { sock, write, old };
        guard.set(Some(slice))?;
        Ok(guard)
    }

    /// After a wait slice without progress since `since`: a cancel or a
    /// timeout ends the copy, else it goes on.
    fn after_slice(&self, since: Instant) -> io::Result<()> {
        if let Some(c) = self.cancel {
            c.check()?;
        }
        if self.idle.is_some_and(|i| since.elapsed() >= i) {
            return Err(io::ErrorKind::TimedOut.into());
        }
        Ok(())
    }
}

/// Restores a socket timeout when dropped.
struct SocketTimeoutGuard<'s> {
    sock: &'s TcpStream,
    write: bool,
    old: Option<Duration>,
}

impl SocketTimeoutGuard<'_> {
    fn set(&self, t: Option<Duration>) -> io::Result<()> {
        if self.write {
            self.sock.set_write_timeout(t)
        } else {
            self.sock.set_read_timeout(t)
        }
    }
}

impl Drop for SocketTimeoutGuard<'_> {
    fn drop(&mut self) {
        let _ = self.set(self.old);
    }
}

/// Copies everything the socket delivers into `out` with splice; each
/// wait lasts at most one slice, and the copy fails after `waits.idle`
/// without a byte or once `waits.cancel` is set.
/// Not for sockets with a raised `SO_RCVLOWAT` (see `DataConn::batch_reads`).
/// `tick` sees the bytes written so far after each block and empty slice.
pub fn splice_socket_to_fd(
    sock: &TcpStream,
    out: BorrowedFd<'_>,
    waits: Waits<'_>,
    tick: Tick<'_>,
) -> Result<Spliced, CopyError> {
    let _restore = waits.slice_socket(sock, false).map_err(CopyError::Net)?;
    let (pipe_r, pipe_w) =
        nix::unistd::pipe2(OFlag::O_CLOEXEC).map_err(|e| CopyError::File(e.into()))?;
    // A larger pipe means fewer system calls; the default still works.
    let _ = fcntl(
        std::os::fd::AsRawFd::as_raw_fd(&pipe_w),
        FcntlArg::F_SETPIPE_SZ(CHUNK as i32),
    );
    let mut total = 0u64;
    let mut since = Instant::now();
    loop {
        if let Some(c) = waits.cancel {
            c.check().map_err(CopyError::Net)?;
        }
        let n = match retry(|| {
            splice(
                sock,
                None,
                &pipe_w,
                None,
                CHUNK,
                SpliceFFlags::SPLICE_F_MOVE | SpliceFFlags::SPLICE_F_MORE,
            )
        }) {
            Ok(n) => n,
            Err(Errno::EAGAIN) => {
                waits.after_slice(since).map_err(CopyError::Net)?;
                if !tick(total) {
                    return Err(CopyError::Halted);
                }
                continue;
            }
            Err(e) => return Err(CopyError::Net(e.into())),
        };
        since = Instant::now();
        if n == 0 {
            return Ok(Spliced::Done(total));
        }
        let mut left = n;
        while left > 0 {
            let m =
                match retry(|| splice(&pipe_r, None, out, None, left, SpliceFFlags::SPLICE_F_MOVE))
                {
                    Ok(m) => m,
                    Err(Errno::EINVAL | Errno::EOPNOTSUPP | Errno::ENOSYS)
                        if total == 0 && left == n =>
                    {
                        let mut pending = vec![0u8; n];
                        read_exact_fd(pipe_r.as_fd(), &mut pending).map_err(CopyError::File)?;
                        return Ok(Spliced::Unsupported { pending });
                    }
                    Err(e) => return Err(CopyError::File(e.into())),
                };
            if m == 0 {
                return Err(CopyError::File(io::ErrorKind::WriteZero.into()));
            }
            left -= m;
        }
        total += n as u64;
        if !tick(total) {
            return Err(CopyError::Halted);
        }
    }
}

/// Sends `input` from its current offset to its end over the socket with
/// sendfile; returns the byte count. Each wait lasts at most one slice;
/// the copy fails after `waits.idle` without progress (the server stopped
/// reading) or once `waits.cancel` is set. `tick` sees the bytes sent so
/// far after each block and each slice without progress.
pub fn sendfile_fd_to_socket(
    input: BorrowedFd<'_>,
    sock: &TcpStream,
    waits: Waits<'_>,
    tick: Tick<'_>,
) -> Result<u64, CopyError> {
    let _restore = waits.slice_socket(sock, true).map_err(CopyError::Net)?;
    let mut total = 0u64;
    let mut since = Instant::now();
    loop {
        if let Some(c) = waits.cancel {
            c.check().map_err(CopyError::Net)?;
        }
        match retry(|| sendfile(sock, input, None, CHUNK)) {
            Ok(0) => return Ok(total),
            Ok(n) => {
                total += n as u64;
                since = Instant::now();
            }
            // sendfile reports errors of both sides; EAGAIN is the socket's
            // timeout (one slice).
            Err(Errno::EAGAIN) => waits.after_slice(since).map_err(CopyError::Net)?,
            Err(e @ (Errno::EPIPE | Errno::ECONNRESET)) => return Err(CopyError::Net(e.into())),
            Err(e) => return Err(CopyError::File(e.into())),
        }
        if !tick(total) {
            return Err(CopyError::Halted);
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

/// Fills `buf` from `fd` (a pipe known to hold that much).
fn read_exact_fd(fd: BorrowedFd<'_>, mut buf: &mut [u8]) -> io::Result<()> {
    while !buf.is_empty() {
        match read_fd(fd, buf)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => buf = &mut buf[n..],
        }
    }
    Ok(())
}

/// Reads some bytes from `fd` (0 at its end).
pub fn read_fd(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<usize> {
    retry(|| nix::unistd::read(std::os::fd::AsRawFd::as_raw_fd(&fd), buf)).map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek, Write};
    use std::net::TcpListener;
    use std::os::fd::AsFd;

    /// A connected loopback pair: a thread writes `data` to the peer (more
    /// than the socket buffers may hold) and closes it; `sock` reads.
    fn pair_with(data: &[u8]) -> TcpStream {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut peer = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (sock, _) = listener.accept().unwrap();
        let data = data.to_vec();
        std::thread::spawn(move || {
            // The reader may stop early (the refused-splice test): ignore EPIPE.
            let _ = peer.write_all(&data);
        });
        sock
    }

    fn temp_file(name: &str, append: bool) -> (std::path::PathBuf, std::fs::File) {
        let path = std::env::temp_dir().join(format!("libftp-zc-{}-{name}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let file = std::fs::OpenOptions::new()
            .create_new(true)
            .read(true)
            .write(true)
            .append(append)
            .open(&path)
            .unwrap();
        (path, file)
    }

    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 % 251) as u8).collect()
    }

    #[test]
    fn splices_into_a_regular_file() {
        let data = pattern(3 * CHUNK + 12345);
        let sock = pair_with(&data);
        let (path, mut file) = temp_file("plain", false);
        assert!(can_splice_into(file.as_fd()));
        match splice_socket_to_fd(&sock, file.as_fd(), Waits::default(), &mut |_| true).unwrap() {
            Spliced::Done(n) => assert_eq!(n, data.len() as u64),
            other => panic!("unexpected {other:?}"),
        }
        let mut got = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut got).unwrap();
        std::fs::remove_file(path).unwrap();
        assert!(got == data, "the file differs from what was sent");
    }

    /// splice refuses O_APPEND files with EINVAL, as a file system without
    /// splice support does: nothing is lost, what was read comes back.
    #[test]
    fn a_refused_first_splice_returns_what_was_read() {
        let data = pattern(5000);
        let sock = pair_with(&data);
        let (path, file) = temp_file("append", true);
        assert!(!can_splice_into(file.as_fd()));
        let pending = match splice_socket_to_fd(&sock, file.as_fd(), Waits::default(), &mut |_| {
            true
        })
        .unwrap()
        {
            Spliced::Unsupported { pending } => pending,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
        // The rest is still on the socket.
        let mut rest = Vec::new();
        (&sock).read_to_end(&mut rest).unwrap();
        std::fs::remove_file(path).unwrap();
        assert!(!pending.is_empty());
        assert!([pending, rest].concat() == data, "bytes lost or reordered");
    }
}
