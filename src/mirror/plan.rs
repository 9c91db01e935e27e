//! What a mirror run does, decided from the two trees and the journal
//! before anything is changed: removals, directories, copies.

use super::journal::Journal;
use super::walk::{Kind, Node, Tree, PART_SUFFIX};
use super::{Direction, Job};
use crate::error::Error;
use crate::listing::Mtime;
use std::collections::HashSet;

/// One file to copy.
#[derive(Debug)]
pub(crate) struct Copy {
    pub(crate) path: String,
    pub(crate) size: Option<u64>,
    pub(crate) mtime: Option<Mtime>,
    /// Continue what an earlier run left (a part, or an interrupted upload).
    pub(crate) resume: bool,
}

/// One target entry to remove before copying.
#[derive(Debug)]
pub(crate) struct Removal {
    pub(crate) path: String,
    /// A directory, removed with what it holds.
    pub(crate) dir: bool,
    /// Counted in `files_deleted` (false for the mirror's own leftovers).
    pub(crate) counted: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) removals: Vec<Removal>,
    /// Directories to create, parents first.
    pub(crate) dirs: Vec<String>,
    /// Files to copy, largest first.
    pub(crate) copies: Vec<Copy>,
    pub(crate) skipped: u64,
    /// Entries that cannot be copied because of what the target holds.
    pub(crate) blocked: Vec<(String, Error)>,
}

/// True when `path` is `dir` or inside it.
fn under(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// `dir/name` split back.
fn split(path: &str) -> (&str, &str) {
    match path.rfind('/') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The file a temporary name stands for (`dir/.X.ftp-part` or
/// `dir/.X.part` gives `dir/X`; a unique `.X.part-XXXXXXXX` gives None:
/// it is never continued).
fn temp_target(path: &str, direction: Direction) -> Option<String> {
    let (dir, name) = split(path);
    let suffix = match direction {
        Direction::Download => PART_SUFFIX,
        Direction::Upload => ".part",
    };
    let base = name.strip_prefix('.')?.strip_suffix(suffix)?;
    Some(join(dir, base))
}

/// True when the target's copy differs from the source: sizes differ, or
/// the target's time is certainly older; without times, unknown sizes.
fn changed(src: &Node, tgt: &Node) -> bool {
    let sizes = match (src.size, tgt.size) {
        (Some(a), Some(b)) if a != b => return true,
        (Some(_), Some(_)) => true,
        _ => false,
    };
    match (src.mtime, tgt.mtime) {
        (Some(s), Some(t)) => t.secs.saturating_add(i64::from(t.precision)) <= s.secs,
        _ => !sizes,
    }
}

impl Plan {
    pub(crate) fn make(job: &Job<'_>, source: &[Node], target: &Tree, journal: &Journal) -> Plan {
        let o = job.opts;
        let mut plan = Plan::default();
        let mut blocked_dirs: Vec<&str> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::with_capacity(source.len());
        // Temporaries that a copy of this run continues.
        let temps: HashSet<Option<String>> = target
            .temps
            .iter()
            .map(|t| temp_target(t, job.direction))
            .collect();
        let mut continued: HashSet<String> = HashSet::new();
        for n in source {
            seen.insert(&n.path);
            if n.kind == Kind::Other {
                continue;
            }
            if let Some(d) = blocked_dirs.iter().find(|d| under(&n.path, d)) {
                let why = format!("the target {d} is not a directory");
                plan.blocked.push((n.path.clone(), Error::State(why)));
                continue;
            }
            let mut tgt = target.get(&n.path);
            if let Some(t) = tgt.filter(|t| t.kind != n.kind) {
                if !o.delete {
                    let why = format!(
                        "the target {} is of another kind than the source's (FTP_MIRROR_DELETE \
                         replaces it)",
                        n.path
                    );
                    plan.blocked.push((n.path.clone(), Error::State(why)));
                    if n.kind == Kind::Dir {
                        blocked_dirs.push(&n.path);
                    }
                    continue;
                }
                plan.removals.push(Removal {
                    path: n.path.clone(),
                    dir: t.kind == Kind::Dir,
                    counted: true,
                });
                tgt = None;
            }
            if n.kind == Kind::Dir {
                if tgt.is_none() {
                    plan.dirs.push(n.path.clone());
                }
                continue;
            }
            let mtime = n.mtime.map(|m| m.secs);
            let done =
                tgt.is_some_and(|t| t.size == n.size) && journal.completed(&n.path, n.size, mtime);
            if done || (o.newer && tgt.is_some_and(|t| !changed(n, t))) {
                plan.skipped += 1;
                continue;
            }
            let resume = o.files.resume
                && match (job.direction, o.files.atomic) {
                    (Direction::Download, _) | (Direction::Upload, true) => {
                        temps.contains(&Some(n.path.clone()))
                    }
                    (Direction::Upload, false) => {
                        journal.interrupted(&n.path)
                            && tgt.is_some_and(|t| t.size <= n.size && t.size.is_some())
                    }
                };
            if resume {
                continued.insert(n.path.clone());
            }
            plan.copies.push(Copy {
                path: n.path.clone(),
                size: n.size,
                mtime: n.mtime,
                resume,
            });
        }
        for t in &target.temps {
            let keep = temp_target(t, job.direction).is_some_and(|p| continued.contains(&p));
            if !keep {
                plan.removals.push(Removal {
                    path: t.clone(),
                    dir: false,
                    counted: false,
                });
            }
        }
        if o.delete {
            plan.extraneous(target, &seen);
        }
        plan.copies
            .sort_by_key(|c| std::cmp::Reverse(c.size.unwrap_or(0)));
        plan
    }

    /// Target entries the source lacks (a directory once, with all it holds).
    fn extraneous(&mut self, target: &Tree, seen: &HashSet<&str>) {
        // Directories already removed (of another kind than the source's).
        let replaced: Vec<String> = self
            .removals
            .iter()
            .filter(|r| r.dir)
            .map(|r| r.path.clone())
            .collect();
        let mut gone: Vec<&str> = replaced.iter().map(String::as_str).collect();
        for t in &target.nodes {
            if seen.contains(t.path.as_str()) || gone.iter().any(|d| under(&t.path, d)) {
                continue;
            }
            if t.kind == Kind::Dir {
                gone.push(&t.path);
            }
            self.removals.push(Removal {
                path: t.path.clone(),
                dir: t.kind == Kind::Dir,
                counted: true,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(size: u64, secs: i64, precision: u32) -> Node {
        Node {
            path: "f".into(),
            kind: Kind::File,
            size: Some(size),
            mtime: Some(Mtime {
                secs,
                utc: true,
                precision,
            }),
        }
    }

    #[test]
    fn newer_rules() {
        assert!(changed(&node(1, 100, 1), &node(2, 100, 1)), "size");
        assert!(changed(&node(1, 100, 1), &node(1, 99, 1)), "older");
        assert!(!changed(&node(1, 100, 1), &node(1, 100, 1)), "same");
        assert!(!changed(&node(1, 100, 1), &node(1, 200, 1)), "newer");
        // A minute-precise listing time 60 covers 60..120.
        assert!(!changed(&node(1, 100, 1), &node(1, 60, 60)));
        assert!(changed(&node(1, 130, 1), &node(1, 60, 60)));
        let mut unknown = node(1, 0, 1);
        unknown.mtime = None;
        assert!(!changed(&node(1, 100, 1), &unknown), "sizes equal, no time");
        unknown.size = None;
        assert!(changed(&node(1, 100, 1), &unknown), "nothing known");
    }

    #[test]
    fn temporaries() {
        assert_eq!(
            temp_target("a/.x y.ftp-part", Direction::Download).as_deref(),
            Some("a/x y")
        );
        assert_eq!(
            temp_target(".x.part", Direction::Upload).as_deref(),
            Some("x")
        );
        assert_eq!(temp_target(".x.part-0123abcd", Direction::Upload), None);
        assert!(under("a/b", "a") && under("a", "a") && !under("ab", "a"));
    }
}
