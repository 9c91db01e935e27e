//! What a walk of a tree gives (a flat list of entries with paths
//! relative to its root, every directory before what it holds), and the
//! local walk (`lstat`, links never followed). The remote walk is in
//! walk_remote.rs.

use crate::error::{Error, Result};
use crate::files::{local_io, remote_join};
use crate::listing::Mtime;
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::time::UNIX_EPOCH;

/// Deeper than this, a remote walk stops (a server listing endless
/// directories must not run forever).
pub(crate) const MAX_DEPTH: usize = 256;

/// The journal's name, in the local root.
pub(crate) const JOURNAL_NAME: &str = ".ftp-mirror.journal";

/// The suffix of a local file being downloaded: `.NAME.ftp-part`.
pub(crate) const PART_SUFFIX: &str = ".ftp-part";

/// What an entry is, for a mirror.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Dir,
    /// A symbolic link, device, ...: never copied nor followed.
    Other,
}

/// One entry: its path relative to the root (`/`-separated), what it is,
/// its size and time when known.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) path: String,
    pub(crate) kind: Kind,
    pub(crate) size: Option<u64>,
    pub(crate) mtime: Option<Mtime>,
}

/// Which end of the mirror a walk reads: a source reports what it cannot
/// read; a target sets aside the mirror's own temporary files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Source,
    Target,
}

/// A walk's result.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    pub(crate) nodes: Vec<Node>,
    /// Temporary files of earlier runs (target side), relative paths.
    pub(crate) temps: Vec<String>,
    /// Entries that cannot be mirrored (source side), with why.
    pub(crate) problems: Vec<(String, Error)>,
}

/// A target tree, indexed by path; `known` is false when it was not
/// walked (then it is taken as empty, and directories exist or not).
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub(crate) known: bool,
    pub(crate) nodes: Vec<Node>,
    pub(crate) index: HashMap<String, usize>,
    pub(crate) temps: Vec<String>,
}

impl Tree {
    /// A target that was not walked.
    pub(crate) fn unknown() -> Tree {
        Tree::default()
    }

    pub(crate) fn get(&self, path: &str) -> Option<&Node> {
        self.index.get(path).map(|&i| &self.nodes[i])
    }
}

impl Walked {
    pub(crate) fn into_tree(self) -> Tree {
        let index = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.path.clone(), i))
            .collect();
        Tree {
            known: true,
            nodes: self.nodes,
            index,
            temps: self.temps,
        }
    }
}

/// `root/rel` as the local path.
pub(crate) fn local_path(root: &Path, rel: &str) -> std::path::PathBuf {
    root.join(rel)
}

/// `root/rel` as the remote path ("" root: `rel` itself).
pub(crate) fn remote_path(root: &str, rel: &str) -> String {
    if rel.is_empty() {
        return root.to_string();
    }
    remote_join(root, rel)
}

/// True for a name a listing may hand that is not a plain name.
pub(crate) fn bad_name(name: &str) -> bool {
    name.is_empty() || name == "." || name == ".." || name.contains('/') || name.contains('\0')
}

/// A remote name that is an atomic upload's temporary (`.X.part` or
/// `.X.part-XXXXXXXX`).
pub(crate) fn is_remote_temp(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    if rest.len() > ".part".len() && rest.ends_with(".part") {
        return true;
    }
    match rest.rsplit_once(".part-") {
        Some((base, tag)) => {
            !base.is_empty() && tag.len() == 8 && tag.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

/// A local name that is a mirror download's temporary (`.X.ftp-part`).
pub(crate) fn is_local_temp(name: &str) -> bool {
    name.len() > 1 + PART_SUFFIX.len() && name.starts_with('.') && name.ends_with(PART_SUFFIX)
}

pub(crate) fn path_of(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Walks the local tree at `root` (links not followed), breadth first.
/// The journal (at the root) and, on the source side, the mirror's own
/// temporary files are left out; on the target side those are `temps`.
pub(crate) fn local(root: &Path, side: Side) -> Result<Walked> {
    let mut out = Walked::default();
    let mut dirs = VecDeque::from([String::new()]);
    while let Some(dir) = dirs.pop_front() {
        let full = local_path(root, &dir);
        let read = std::fs::read_dir(&full)
            .map_err(|e| local_io(format!("listing {}", full.display()), e))?;
        for item in read {
            let item = item.map_err(|e| local_io(format!("listing {}", full.display()), e))?;
            let Some(name) = item.file_name().to_str().map(str::to_string) else {
                if side == Side::Source {
                    let p = item.path().display().to_string();
                    out.problems
                        .push((p, Error::Encoding("the local name is not UTF-8".into())));
                }
                continue;
            };
            if dir.is_empty() && name == JOURNAL_NAME {
                continue;
            }
            let path = path_of(&dir, &name);
            if is_local_temp(&name) {
                if side == Side::Target {
                    out.temps.push(path);
                }
                continue;
            }
            let meta = item
                .metadata()
                .map_err(|e| local_io(format!("reading {}", item.path().display()), e))?;
            let kind = if meta.is_dir() {
                dirs.push_back(path.clone());
                Kind::Dir
            } else if meta.is_file() {
                Kind::File
            } else {
                Kind::Other
            };
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| Mtime {
                    secs: d.as_secs() as i64,
                    utc: true,
                    precision: 1,
                });
            out.nodes.push(Node {
                path,
                kind,
                size: Some(meta.len()),
                mtime,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names() {
        assert!(is_remote_temp(".a.bin.part"));
        assert!(is_remote_temp(".a.bin.part-0123abcd"));
        assert!(!is_remote_temp(".part"));
        assert!(!is_remote_temp("a.part"));
        assert!(!is_remote_temp(".a.part-xyz"));
        assert!(is_local_temp(".a.ftp-part"));
        assert!(!is_local_temp(".ftp-part"));
        assert!(!is_local_temp("a.ftp-part"));
    }

    #[test]
    fn bad_names() {
        for n in ["", ".", "..", "a/b", "a\0"] {
            assert!(bad_name(n), "{n:?}");
        }
        assert!(!bad_name("a b é"));
    }
}
