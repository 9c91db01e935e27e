//! Transfer progress: what a progress sink is told, and how often.
//!
//! A session with a sink ([`crate::Session::set_progress`]) reports every
//! transfer it runs itself (`retrbinary`, `retrlines`, `storbinary`,
//! `storlines`, `retr_to_fd`, `stor_from_fd` and what is built on them):
//! once when the data connection is open (0 bytes), at most once per
//! interval while data moves (or the transfer waits for it), and once when
//! all the data went through. The checks ride on the transfer loops' own
//! iterations (each block, each wait slice of [`crate::cancel::SLICE`]):
//! no extra system call per block.

use crate::error::Result;
use std::time::{Duration, Instant};

/// One progress report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress<'a> {
    /// The remote path: the argument of the transfer command ("RETR x"
    /// gives "x"), or the path given in [`ProgressInfo`].
    pub path: &'a str,
    /// Bytes moved on the data connection in this call so far (bytes
    /// skipped by a REST are not counted).
    pub bytes: u64,
    /// Where the transfer started in the file (the REST offset; 0 without).
    pub offset: u64,
    /// The size of the whole file when known: given in [`ProgressInfo`],
    /// else announced in the 150 reply ("(N bytes)"), else, for a
    /// descriptor upload from a regular file, the file's size.
    pub total: Option<u64>,
    /// Time since the data connection was opened.
    pub elapsed: Duration,
}

/// Receives progress reports; an error stops the transfer as a failing
/// data callback does (the data connection is ended, the final reply read,
/// and the error returned).
pub type ProgressSink = Box<dyn FnMut(&Progress<'_>) -> Result<()> + Send>;

/// What the next transfer of a session reports instead of what it finds
/// itself (see [`crate::Session::set_progress_info`]): for callers that
/// know more, such as a whole-file transfer that asked SIZE first or
/// uploads a local file of a known size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgressInfo {
    /// The remote path to report (`None`: the command's argument).
    pub path: Option<String>,
    /// The whole file's size (`None`: the 150 reply's, or unknown).
    pub total: Option<u64>,
}

/// The remote path named by a transfer command: what follows the verb,
/// leading spaces removed ("RETR a b" gives "a b"); "" for a bare verb.
pub fn path_of_command(cmd: &str) -> &str {
    let cmd = cmd.trim_start();
    match cmd.find(' ') {
        Some(i) => cmd[i..].trim_start(),
        None => "",
    }
}

/// When the next report in between is due.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Throttle {
    interval: Duration,
    next: Instant,
    last_bytes: u64,
}

impl Throttle {
    /// A throttle whose first report (made at `now`) was of 0 bytes.
    pub(crate) fn new(interval: Duration, now: Instant) -> Throttle {
        Throttle {
            interval,
            next: now + interval,
            last_bytes: 0,
        }
    }

    /// True when a report of `bytes` is due at `now` (and counts it as
    /// made): at most one per interval; with a zero interval, one whenever
    /// the byte count changed.
    pub(crate) fn due(&mut self, now: Instant, bytes: u64) -> bool {
        if now < self.next || (self.interval.is_zero() && bytes == self.last_bytes) {
            return false;
        }
        self.next = now + self.interval;
        self.last_bytes = bytes;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_commands() {
        assert_eq!(path_of_command("RETR x"), "x");
        assert_eq!(path_of_command("  STOR   dir/a b.txt"), "dir/a b.txt");
        assert_eq!(path_of_command("LIST"), "");
        assert_eq!(path_of_command(""), "");
    }

    #[test]
    fn throttle_limits_reports() {
        let t0 = Instant::now();
        let mut t = Throttle::new(Duration::from_millis(100), t0);
        assert!(!t.due(t0, 10));
        assert!(!t.due(t0 + Duration::from_millis(99), 20));
        assert!(t.due(t0 + Duration::from_millis(100), 30));
        assert!(!t.due(t0 + Duration::from_millis(150), 40));
        assert!(t.due(t0 + Duration::from_millis(200), 40));
        let mut every = Throttle::new(Duration::ZERO, t0);
        assert!(!every.due(t0, 0), "no change, no report");
        assert!(every.due(t0, 1));
        assert!(!every.due(t0, 1));
        assert!(every.due(t0, 2));
    }
}
