//! Whole-file transfers (issue 13): a local file to or from a remote one in
//! one call, with resume, verification, parent directories, modification
//! times, atomic replacement and retries; plus the server-side checksum,
//! `mkdir -p` and `rm -r` they rely on.
//!
//! The [`Session`] methods are in `session/files.rs`; the work is here:
//! [`download`], [`upload`], [`digest`] (algorithms, local digests),
//! [`verify`] (HASH and the X commands, comparing), [`atomic`] (temporary names), [`tree`]
//! (makedirs / remove_tree) and [`retry`] (reconnect and resume).

pub mod atomic;
pub mod crc32;
pub mod digest;
pub mod download;
pub mod retry;
pub mod tree;
pub mod upload;
pub mod verify;

pub use digest::HashAlgo;
pub use retry::RetryPolicy;

/// What a whole-file transfer does besides copying (the C flags
/// `FTP_RESUME`, `FTP_VERIFY`, `FTP_CREATE_DIRS`, `FTP_KEEP_MTIME`,
/// `FTP_ATOMIC`). All off: a plain copy that replaces the target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileOptions {
    /// Continue a partial copy: a download from the local file's size, an
    /// upload from the remote file's SIZE.
    pub resume: bool,
    /// Compare the copy with the original afterwards (HASH / X commands,
    /// else SIZE); a mismatch is [`crate::Error::Verify`].
    pub verify: bool,
    /// Create the missing parent directories of the target.
    pub create_dirs: bool,
    /// Give the copy the original's modification time.
    pub keep_mtime: bool,
    /// Write to a temporary name in the target's directory and rename it
    /// over the target once complete (and verified).
    pub atomic: bool,
}

/// What a session keeps for whole-file transfers: where it connected and
/// how it logged in (for retries), the retry policy, and whether the
/// transfer in progress demands a 350 to REST.
#[derive(Debug, Default)]
pub(crate) struct FilesState {
    /// Host and port of the last `connect`.
    pub(crate) endpoint: Option<(String, u16)>,
    /// The arguments of the last successful `login`.
    pub(crate) credentials: Option<retry::Credentials>,
    /// See [`RetryPolicy`].
    pub(crate) retry: RetryPolicy,
    /// While set, a REST not answered 350 fails the transfer before the
    /// transfer command is sent (see `check_rest`).
    pub(crate) strict_rest: bool,
}

/// The outcome of REST when resuming: anything but 350 means the server
/// will not start at `offset`, and the transfer must not go on (it would
/// start at 0 over a partial file). The error keeps its class (a 5xx stays
/// [`crate::Error::Perm`]) and says what it means.
pub(crate) fn check_rest(
    offset: u64,
    result: crate::Result<crate::Reply>,
) -> crate::Result<crate::Reply> {
    use crate::error::Error;
    let note = |mut r: crate::Reply| {
        r.text = format!(
            "{} [REST {offset} refused: cannot resume; the partial file was left as it is]",
            r.text
        );
        r
    };
    match result {
        Ok(r) if r.code == 350 => Ok(r),
        Ok(r) => Err(Error::Reply(note(r))),
        Err(Error::Perm(r)) => Err(Error::Perm(note(r))),
        Err(Error::Temp(r)) => Err(Error::Temp(note(r))),
        Err(Error::Reply(r)) => Err(Error::Reply(note(r))),
        Err(e) => Err(e),
    }
}

/// The parent directory of a remote path ("" when it has none): "a/b/c"
/// gives "a/b", "/x" gives "/", "c" gives "".
pub(crate) fn remote_parent(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(0) => "/",
        Some(i) => &trimmed[..i],
        None => "",
    }
}

/// The last component of a remote path.
pub(crate) fn remote_base(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// `dir/name`, or `name` when `dir` is empty.
pub(crate) fn remote_join(dir: &str, name: &str) -> String {
    match dir {
        "" => name.to_string(),
        d if d.ends_with('/') => format!("{d}{name}"),
        d => format!("{d}/{name}"),
    }
}

/// A local-file error with its context.
pub(crate) fn local_io(context: String, source: std::io::Error) -> crate::Error {
    crate::Error::Io { context, source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_path_pieces() {
        assert_eq!(remote_parent("a/b/c.bin"), "a/b");
        assert_eq!(remote_parent("/x"), "/");
        assert_eq!(remote_parent("c"), "");
        assert_eq!(remote_parent("/a/b/"), "/a");
        assert_eq!(remote_base("/a/b.bin"), "b.bin");
        assert_eq!(remote_base("b.bin"), "b.bin");
        assert_eq!(remote_join("", "x"), "x");
        assert_eq!(remote_join("/", "x"), "/x");
        assert_eq!(remote_join("a/b", "x"), "a/b/x");
    }

    #[test]
    fn rest_must_be_350() {
        let ok = crate::Reply::new("350 Restarting at 5".into());
        assert!(check_rest(5, Ok(ok)).is_ok());
        let odd = crate::Reply::new("200 fine".into());
        assert!(
            matches!(check_rest(5, Ok(odd)), Err(crate::Error::Reply(r)) if r.text.contains("REST 5 refused"))
        );
        let perm = crate::Reply::new("502 no".into());
        assert!(
            matches!(check_rest(5, Err(crate::Error::Perm(perm))), Err(crate::Error::Perm(r)) if r.code == 502)
        );
    }
}
