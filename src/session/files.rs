//! Whole-file transfers and the directory helpers (the work is in
//! `crate::files`): the [`Session`] methods, and what that module may
//! touch of a session.

use super::Session;
use crate::error::Result;
use crate::files::{self, FileOptions, FilesState, HashAlgo, RetryPolicy};
use std::path::Path;
use std::time::Duration;

impl Session {
    /// Downloads `remote` into the local file `local` in binary mode. See
    /// [`FileOptions`] for what else it does; without options it replaces
    /// `local` (created, or truncated at once) with the server's bytes,
    /// through the same zero-copy path as [`Session::retr_to_fd`].
    ///
    /// - `resume`: continues from the local file's size with `REST`; a
    ///   server that does not answer REST with 350 fails the call before
    ///   RETR (the partial file is kept, never restarted over). A local file
    ///   as large as the remote SIZE transfers nothing (and is still
    ///   verified when asked); a larger one is [`Error::InvalidArgument`].
    /// - `verify`: see [`crate::files::verify`]; the local digests are
    ///   computed as the data is written (the buffered path), the resumed
    ///   part hashed first from the disk. A mismatch is [`Error::Verify`];
    ///   without `atomic` the mismatching file is left in place.
    /// - `create_dirs`: creates the missing local parent directories.
    /// - `keep_mtime`: sets the local mtime from MDTM (else MLST).
    /// - `atomic`: writes `.NAME.part-XXXXXXXX` next to the target and
    ///   renames it over the target once complete and verified; on failure
    ///   it is removed and the target is untouched. With `resume` too, the
    ///   temporary file is `.NAME.part`, resumed when it exists and kept on
    ///   failure (removed only on a verification failure).
    ///
    /// With retries on ([`Session::set_retry`]) a transient failure
    /// reconnects and resumes with REST from what was written.
    pub fn download_file(&mut self, remote: &str, local: &Path, opts: FileOptions) -> Result<()> {
        files::download::download(self, remote, local, opts)
    }

    /// Uploads the local file `local` to `remote` in binary mode, through
    /// the same path as [`Session::stor_from_fd`] (sendfile where it
    /// applies); see [`FileOptions`] and `crate::files::upload`.
    ///
    /// - `resume`: asks the remote SIZE and sends the rest (REST + STOR
    ///   when FEAT advertises `REST STREAM`, else APPE); a remote file
    ///   larger than the local one is [`Error::InvalidArgument`]; one of
    ///   the same size transfers nothing.
    /// - `verify`: as for downloads, the local digest computed while the
    ///   file is read for sending; by SIZE (and MDTM with `keep_mtime`)
    ///   when the server has no checksum command.
    /// - `create_dirs`: [`Session::makedirs`] of the remote parent.
    /// - `keep_mtime`: [`Session::set_mtime`] with the local mtime.
    /// - `atomic`: uploads to `.NAME.part-XXXXXXXX` (with `resume`:
    ///   `.NAME.part`) in the same directory and renames it (RNFR/RNTO)
    ///   once complete and verified; when the server refuses to rename
    ///   over an existing file, the target is deleted (DELE) and the
    ///   rename tried again.
    pub fn upload_file(&mut self, local: &Path, remote: &str, opts: FileOptions) -> Result<()> {
        files::upload::upload(self, local, remote, opts)
    }

    /// The server's checksum of `path` (lower-case hex) and its algorithm:
    /// `HASH` when advertised with the algorithm (after `OPTS HASH`), else
    /// the algorithm's X command (XSHA256, XSHA1, XMD5, XCRC). `None`
    /// takes the best the server advertises; none advertised is
    /// [`Error::State`].
    pub fn checksum(&mut self, path: &str, algo: Option<HashAlgo>) -> Result<(HashAlgo, String)> {
        files::verify::checksum(self, path, algo)
    }

    /// `mkdir -p`: creates `path` and its missing parents; existing
    /// directories are fine. See `crate::files::tree`.
    pub fn makedirs(&mut self, path: &str) -> Result<()> {
        files::tree::makedirs(self, path)
    }

    /// `rm -r`: removes `path`, a file or a directory tree. Refuses "",
    /// "/" and what normalises to them. See `crate::files::tree`.
    pub fn remove_tree(&mut self, path: &str) -> Result<()> {
        files::tree::remove_tree(self, path)
    }

    /// Retries of whole-file transfers: up to `attempts` reconnections
    /// after transient failures, waiting `backoff`, then twice that, ...
    /// (0 attempts, the default: none). See `crate::files::retry`.
    pub fn set_retry(&mut self, attempts: u32, backoff: Duration) {
        self.files.retry = RetryPolicy { attempts, backoff };
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.files.retry
    }

    pub(crate) fn files_state(&self) -> &FilesState {
        &self.files
    }

    pub(crate) fn files_state_mut(&mut self) -> &mut FilesState {
        &mut self.files
    }

    /// A debug line at `level`.
    pub(crate) fn debug_line(&mut self, level: i32, text: &str) {
        self.debug.emit(level, || text.to_string());
    }

    /// The REST of a whole-file transfer must be answered 350.
    pub(crate) fn check_rest_reply(&self, offset: u64, r: Result<crate::Reply>) -> Result<()> {
        if self.files.strict_rest {
            files::check_rest(offset, r).map(drop)
        } else {
            r.map(drop)
        }
    }
}
