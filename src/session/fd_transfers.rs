//! Transfers straight between a data connection and a file descriptor
//! (`ftp_retr_to_fd` / `ftp_stor_from_fd`): on plain data connections
//! splice for downloads into files and pipes, sendfile for uploads from
//! regular files (not towards loopback unless asked); a buffer otherwise
//! (TLS, O_APPEND, other descriptors).

use super::Session;
use super::ZeroCopy;
use crate::data::DataConn;
use crate::error::{Error, Result};
use crate::zerocopy::{self, CopyError, Spliced};
use std::os::fd::BorrowedFd;

/// Files up to this size (as the 150 reply announces them) are downloaded
/// through a buffer in the automatic zero-copy mode.
const SMALL_FILE: u64 = 64 * 1024;

impl Session {
    /// Downloads in binary mode (TYPE I) into `fd` at its current offset,
    /// after `REST rest` when given. Returns the number of bytes written.
    pub fn retr_to_fd(&mut self, cmd: &str, fd: BorrowedFd<'_>, rest: Option<u64>) -> Result<u64> {
        let info = self.take_progress_info();
        self.begin()?;
        crate::command::check_line(cmd, "the command")?;
        self.set_type('I')?;
        let (mut conn, announced) = self.ntransfercmd(cmd, rest)?;
        if let Err(e) = self.start_run(info, cmd, rest, announced, None) {
            return Err(self.stop(conn, e, false));
        }
        // A file announced as small costs less with a buffer than with a
        // pipe's set-up (many small files: a mirror).
        let small = announced.is_some_and(|n| n <= SMALL_FILE) && rest.is_none();
        let splice = match self.settings.zero_copy {
            ZeroCopy::Never => false,
            ZeroCopy::Auto if small => false,
            _ => zerocopy::can_splice_into(fd),
        };
        let waits = conn.waits();
        let copied = match conn.plain_tcp() {
            Some(tcp) if splice => {
                match zerocopy::splice_socket_to_fd(tcp, fd, waits, &mut |n| self.tick(n)) {
                    Ok(Spliced::Done(n)) => Ok(n),
                    // A file system without splice support: go on with a buffer.
                    Ok(Spliced::Unsupported { pending }) => {
                        let done = pending.len() as u64;
                        zerocopy::write_all_fd(fd, &pending)
                            .map_err(CopyError::File)
                            .and_then(|()| {
                                buffered_download(&mut conn, fd, &mut |n| self.tick(done + n))
                            })
                            .map(|rest| done + rest)
                    }
                    Err(e) => Err(e),
                }
            }
            _ => buffered_download(&mut conn, fd, &mut |n| self.tick(n)),
        };
        let total = match copied {
            Ok(n) => n,
            Err(e) => return self.copy_failed(conn, e, false),
        };
        if let Err(e) = self.end_run(total) {
            return Err(self.stop(conn, e, false));
        }
        self.complete_transfer(conn)?;
        match announced {
            Some(size) if rest.is_none() && total < size => Err(Error::Proto(format!(
                "the server announced {size} bytes but the data connection ended after {total}"
            ))),
            _ => Ok(total),
        }
    }

    /// Uploads in binary mode (TYPE I) what `fd` holds from its current
    /// offset to its end, after `REST rest` when given. Returns the number
    /// of bytes sent.
    pub fn stor_from_fd(
        &mut self,
        cmd: &str,
        fd: BorrowedFd<'_>,
        rest: Option<u64>,
    ) -> Result<u64> {
        let info = self.take_progress_info();
        self.begin()?;
        crate::command::check_line(cmd, "the command")?;
        self.set_type('I')?;
        let mut conn = self.transfercmd(cmd, rest)?;
        // The whole file's size, for progress reports.
        let file_size = zerocopy::regular_file_size(fd);
        if let Err(e) = self.start_run(info, cmd, rest, None, file_size) {
            return Err(self.stop(conn, e, true));
        }
        // Over loopback the receiver copies sendfile's pages more slowly than
        // plain writes (BENCHMARKS.md): zero-copy only pays across a network.
        let use_sendfile = zerocopy::can_sendfile_from(fd)
            && match self.settings.zero_copy {
                ZeroCopy::Auto => !self.peer()?.ip().is_loopback(),
                ZeroCopy::Always => true,
                ZeroCopy::Never => false,
            };
        let copied = match conn.plain_tcp() {
            Some(tcp) if use_sendfile => {
                zerocopy::sendfile_fd_to_socket(fd, tcp, conn.waits(), &mut |n| self.tick(n))
            }
            _ => buffered_upload(&mut conn, fd, &mut |n| self.tick(n)),
        };
        let total = match copied {
            Ok(n) => n,
            Err(e) => return self.copy_failed(conn, e, true),
        };
        if let Err(e) = self.end_run(total) {
            return Err(self.stop(conn, e, true));
        }
        self.complete_transfer(conn)?;
        Ok(total)
    }

    /// A failed copy: a network error is reported with the server's final
    /// reply when that is an error; a file error stops the transfer (the
    /// connection is reset) and is returned once the final reply is read.
    /// A copy its tick stopped (progress sink, keepalive) ends as
    /// [`Session::stop`] does.
    fn copy_failed<T>(&mut self, conn: DataConn, e: CopyError, upload: bool) -> Result<T> {
        if let Some(why) = self.take_halt() {
            return Err(self.stop(conn, why, upload));
        }
        match e {
            CopyError::Halted => Err(self.stop(
                conn,
                Error::Callback("the transfer was stopped".into()),
                upload,
            )),
            CopyError::Net(io) => {
                let err = Error::from_io("on the data connection", io);
                self.fail_transfer(Some(conn), err)
            }
            CopyError::File(io) => {
                self.forget_run();
                conn.abandon();
                if self.is_connected() {
                    let _ = self.await_final_reply();
                    let _ = self.drain_noop_replies();
                }
                Err(Error::Io {
                    context: "on the caller's file descriptor".into(),
                    source: io,
                })
            }
        }
    }
}

/// A copy error from the data connection: [`CopyError::Halted`] when the
/// tick stopped it.
fn net_error(e: Error) -> CopyError {
    match e {
        Error::Io { source, .. } if crate::stream::is_halted_io(&source) => CopyError::Halted,
        other => CopyError::Net(into_io(other)),
    }
}

fn buffered_download(
    conn: &mut DataConn,
    fd: BorrowedFd<'_>,
    tick: zerocopy::Tick<'_>,
) -> std::result::Result<u64, CopyError> {
    conn.batch_reads();
    let mut buf = vec![0u8; zerocopy::DOWNLOAD_BUFFER];
    let mut total = 0u64;
    loop {
        let n = conn
            .read_ticking(&mut buf, &mut || tick(total))
            .map_err(net_error)?;
        if n == 0 {
            return Ok(total);
        }
        zerocopy::write_all_fd(fd, &buf[..n]).map_err(CopyError::File)?;
        total += n as u64;
        if !tick(total) {
            return Err(CopyError::Halted);
        }
    }
}

fn buffered_upload(
    conn: &mut DataConn,
    fd: BorrowedFd<'_>,
    tick: zerocopy::Tick<'_>,
) -> std::result::Result<u64, CopyError> {
    let mut buf = vec![0u8; zerocopy::UPLOAD_BUFFER];
    let mut total = 0u64;
    loop {
        let n = zerocopy::read_fd(fd, &mut buf).map_err(CopyError::File)?;
        if n == 0 {
            return Ok(total);
        }
        conn.write_all_ticking(&buf[..n], &mut || tick(total))
            .map_err(net_error)?;
        total += n as u64;
        if !tick(total) {
            return Err(CopyError::Halted);
        }
    }
}

/// The I/O error inside a data connection error (timeouts keep their kind).
fn into_io(e: Error) -> std::io::Error {
    match e {
        Error::Io { source, .. } => source,
        Error::Timeout(what) => std::io::Error::new(std::io::ErrorKind::TimedOut, what),
        Error::Eof(what) => std::io::Error::new(std::io::ErrorKind::UnexpectedEof, what),
        Error::Cancelled(_) => crate::cancel::cancelled_io(),
        other => std::io::Error::other(other.to_string()),
    }
}
