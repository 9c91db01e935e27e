//! The journal of a mirror run: `.ftp-mirror.journal` in the local root,
//! so that a run killed midway (`kill -9`, a crash) can be finished by the
//! next one without copying again what was complete.
//!
//! Text, one record a line, each written with one `write` (a killed
//! process loses no line it wrote; a line cut by a power loss is ignored):
//!
//! ```text
//! ftp-mirror journal 1
//! run <download|upload> <user@host:port/path of the pool> <remote root>
//! start <path>
//! done <size> <mtime seconds or -> <path>
//! ```
//!
//! Paths are relative to the roots, with `%`, CR and LF as `%25`, `%0D`,
//! `%0A`. `done` is written only once the file is complete under its own
//! name (and verified when asked). The journal is removed when a run ends
//! without a failure; a run that finds one of another mirror (other
//! direction, server or remote root) starts a new one. A journal that
//! cannot be written (a read-only local tree) is simply not kept.

use super::walk::JOURNAL_NAME;
use super::{Direction, Job};
use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

const MAGIC: &str = "ftp-mirror journal 1";

/// The journal of the running mirror, and what an unfinished earlier run
/// of the same mirror recorded.
#[derive(Debug)]
pub(crate) struct Journal {
    file: Option<Mutex<File>>,
    path: PathBuf,
    /// Files an earlier run completed: source size and time.
    done: HashMap<String, (u64, Option<i64>)>,
    /// Files an earlier run started (completed or not).
    started: HashSet<String>,
    resumed: bool,
}

impl Journal {
    /// Opens the journal of `job`'s mirror: continues a matching one,
    /// else starts a new one.
    pub(crate) fn open(job: &Job<'_>) -> Journal {
        let path = job.local_root.join(JOURNAL_NAME);
        let run = run_line(job);
        let mut j = Journal {
            file: None,
            path,
            done: HashMap::new(),
            started: HashSet::new(),
            resumed: false,
        };
        if let Ok(text) = std::fs::read(&j.path) {
            let text = String::from_utf8_lossy(&text);
            let mut lines = text.lines();
            if lines.next() == Some(MAGIC) && lines.next() == Some(run.as_str()) {
                j.resumed = true;
                for line in lines {
                    j.read_record(line);
                }
            }
        }
        let opened = if j.resumed {
            OpenOptions::new().append(true).open(&j.path)
        } else {
            File::create(&j.path).and_then(|mut f| {
                f.write_all(format!("{MAGIC}\n{run}\n").as_bytes())?;
                Ok(f)
            })
        };
        j.file = opened.ok().map(Mutex::new);
        j
    }

    fn read_record(&mut self, line: &str) {
        if let Some(p) = line.strip_prefix("start ") {
            if let Some(p) = unescape(p) {
                self.started.insert(p);
            }
        } else if let Some(rest) = line.strip_prefix("done ") {
            let mut parts = rest.splitn(3, ' ');
            let (Some(size), Some(mtime), Some(p)) = (parts.next(), parts.next(), parts.next())
            else {
                return;
            };
            let (Ok(size), Some(p)) = (size.parse(), unescape(p)) else {
                return;
            };
            let mtime = mtime.parse().ok();
            self.done.insert(p, (size, mtime));
        }
    }

    /// True when an unfinished earlier run of this mirror left a journal.
    pub(crate) fn resumed(&self) -> bool {
        self.resumed
    }

    /// True when an earlier run completed `path` from a source of this
    /// size and time.
    pub(crate) fn completed(&self, path: &str, size: Option<u64>, mtime: Option<i64>) -> bool {
        matches!(self.done.get(path), Some(&(s, m)) if Some(s) == size && m == mtime)
    }

    /// True when an earlier run started `path` and did not complete it.
    pub(crate) fn interrupted(&self, path: &str) -> bool {
        self.started.contains(path) && !self.done.contains_key(path)
    }

    pub(crate) fn record_start(&self, path: &str) {
        self.write(&format!("start {}\n", escape(path)));
    }

    pub(crate) fn record_done(&self, path: &str, size: u64, mtime: Option<i64>) {
        let m = mtime.map_or_else(|| "-".to_string(), |m| m.to_string());
        self.write(&format!("done {size} {m} {}\n", escape(path)));
    }

    fn write(&self, line: &str) {
        if let Some(f) = &self.file {
            let mut f = f.lock().unwrap_or_else(|p| p.into_inner());
            let _ = f.write_all(line.as_bytes());
        }
    }

    /// The mirror is complete: the journal goes.
    pub(crate) fn finish(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The line naming this mirror: direction, server, remote root.
fn run_line(job: &Job<'_>) -> String {
    let u = job.pool.url();
    let dir = match job.direction {
        Direction::Download => "download",
        Direction::Upload => "upload",
    };
    let server = format!("{}@{}:{}/{}", u.login_user(), u.host, u.port, u.path());
    format!("run {dir} {} {}", escape(&server), escape(job.remote_root))
}

fn escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(' ', "%20")
}

fn unescape(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        for s in ["a b/c%d", "x\r\ny", "café", ""] {
            let e = escape(s);
            assert!(!e.contains(' ') && !e.contains('\n'), "{e:?}");
            assert_eq!(unescape(&e).as_deref(), Some(s));
        }
        assert_eq!(unescape("%4"), None);
    }
}
