//! Walking the remote tree level by level: the root is listed on the
//! caller's session, then the directories of each level are listed at
//! once on up to `max_sessions` pooled sessions (threads of one
//! `std::thread::scope`; the extra sessions only when the pool can lend
//! them at once, and they are the ones the copies use next). MLSD, else
//! LIST parsed ([`Session::list`]).
//!
//! A directory whose listing is exactly its ancestor's (names, kinds,
//! sizes, times) is taken for a link back to it (pyftpdlib lists links
//! as what they point to) and not descended: a problem of the source.
//!
//! A subdirectory that cannot be listed (a 4xx/5xx refusal) is a problem
//! of the source (reported, the rest goes on) or, in the target, taken as
//! holding nothing; any other failure, or the root's, ends the walk.

use super::walk::MAX_DEPTH;
use super::walk::{bad_name, is_remote_temp, path_of, remote_path, Kind, Node, Side, Walked};
use super::Job;
use crate::error::{Error, Result};
use crate::listing::{Entry, EntryType};
use crate::pool::PooledSession;
use crate::session::Session;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Walks the remote tree at the job's remote root; `first` lists the root
/// (and is replaced by another session if it breaks).
pub(crate) fn remote(job: &Job<'_>, first: &mut PooledSession, side: Side) -> Result<Walked> {
    let mut out = Walked::default();
    let mut level = vec![String::new()];
    let mut prints: HashMap<String, u64> = HashMap::new();
    for depth in 0.. {
        if level.is_empty() {
            break;
        }
        if depth > MAX_DEPTH {
            return Err(Error::Proto(format!(
                "more than {MAX_DEPTH} nested directories under the remote {:?}",
                job.remote_root
            )));
        }
        let mut next = Vec::new();
        for (dir, listed) in level.iter().zip(list_level(job, first, &level, side)) {
            match listed {
                Ok(w) => {
                    // An ancestor lists at least the way down to here:
                    // an empty listing is never a link back.
                    let print = fingerprint(&w);
                    let back = (!w.nodes.is_empty())
                        .then(|| ancestor_with(&prints, dir, print))
                        .flatten();
                    if let Some(same) = back {
                        // A link back to an ancestor, listed as a directory
                        // (pyftpdlib follows links): not descended.
                        out.nodes.retain(|n| n.path != *dir);
                        if side == Side::Source {
                            let why = format!(
                                "not copied: it lists exactly as {same:?} (a link back to it?)"
                            );
                            out.problems.push((dir.clone(), Error::State(why)));
                        }
                        continue;
                    }
                    prints.insert(dir.clone(), print);
                    next.extend(
                        w.nodes
                            .iter()
                            .filter(|n| n.kind == Kind::Dir)
                            .map(|n| n.path.clone()),
                    );
                    out.nodes.extend(w.nodes);
                    out.temps.extend(w.temps);
                    out.problems.extend(w.problems);
                }
                Err(e @ (Error::Perm(_) | Error::Temp(_))) if depth > 0 => {
                    if side == Side::Source {
                        out.problems.push((dir.clone(), e));
                    }
                }
                Err(e) => return Err(e),
            }
        }
        level = next;
    }
    Ok(out)
}

/// A digest of a listing: its entries' names, kinds, sizes and times.
fn fingerprint(w: &Walked) -> u64 {
    let mut entries: Vec<_> = w
        .nodes
        .iter()
        .map(|n| {
            let name = n.path.rsplit('/').next().unwrap_or(&n.path);
            (name, n.kind == Kind::Dir, n.size, n.mtime.map(|m| m.secs))
        })
        .collect();
    entries.sort_unstable();
    let mut h = DefaultHasher::new();
    entries.hash(&mut h);
    h.finish()
}

/// The ancestor of `dir` whose listing had the digest `print`, if any.
fn ancestor_with<'a>(prints: &'a HashMap<String, u64>, dir: &str, print: u64) -> Option<&'a str> {
    let mut at = dir;
    while !at.is_empty() {
        at = at.rfind('/').map_or("", |i| &at[..i]);
        if let Some((path, _)) = prints.get_key_value(at).filter(|(_, p)| **p == print) {
            return Some(path);
        }
    }
    None
}

/// The listings of `dirs`, in their order.
fn list_level(
    job: &Job<'_>,
    first: &mut PooledSession,
    dirs: &[String],
    side: Side,
) -> Vec<Result<Walked>> {
    let root = job.remote_root;
    if dirs.len() == 1 {
        return vec![first.run(|s| list_dir(s, root, &dirs[0], side))];
    }
    let results: Vec<Mutex<Option<Result<Walked>>>> =
        dirs.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = |s: &mut PooledSession| loop {
        let i = next.fetch_add(1, Ordering::SeqCst);
        let Some(dir) = dirs.get(i) else {
            return;
        };
        let r = s.run(|s| list_dir(s, root, dir, side));
        *results[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
        if s.is_broken() {
            return;
        }
    };
    let threads = job.pool.max_sessions().min(dirs.len());
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|| {
                if let Ok(Some(mut s)) = job.pool.try_session() {
                    work(&mut s);
                }
            });
        }
        work(first);
        if first.is_broken() {
            if let Ok(s) = job.pool.session() {
                *first = s;
                work(first);
            }
        }
    });
    results
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .unwrap_or_else(|| Err(Error::State("not listed: no session was left".into())))
        })
        .collect()
}

/// The entries of the remote `root/dir`, with paths relative to `root`.
fn list_dir(s: &mut Session, root: &str, dir: &str, side: Side) -> Result<Walked> {
    let mut out = Walked::default();
    let listed = remote_path(root, dir);
    let arg = (!listed.is_empty()).then_some(listed.as_str());
    s.list(arg, |e| {
        entry(&mut out, e, dir, &listed, side);
        Ok(())
    })?;
    Ok(out)
}

/// One listed entry of `dir` (the remote `listed`) into `out`.
fn entry(out: &mut Walked, e: &Entry, dir: &str, listed: &str, side: Side) {
    let Some(name) = e.name.as_deref().filter(|_| e.kind != EntryType::Unknown) else {
        if side == Side::Source {
            let raw = String::from_utf8_lossy(&e.raw);
            out.problems.push((
                format!("{listed} (listing line {raw:?})"),
                Error::Proto("no parser understood this listing line".into()),
            ));
        }
        return;
    };
    let path = path_of(dir, name);
    if bad_name(name) {
        if side == Side::Source {
            let why = format!("the listing of {listed:?} names {name:?}");
            out.problems.push((path, Error::Proto(why)));
        }
        return;
    }
    if side == Side::Target && is_remote_temp(name) {
        out.temps.push(path);
        return;
    }
    let kind = match e.kind {
        EntryType::File => Kind::File,
        EntryType::Dir => Kind::Dir,
        _ => Kind::Other,
    };
    out.nodes.push(Node {
        path,
        kind,
        size: e.size,
        mtime: e.mtime,
    });
}
