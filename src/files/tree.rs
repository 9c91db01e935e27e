//! `mkdir -p` and `rm -r` on the server.

use super::remote_join;
use crate::command::check_line;
use crate::error::{Error, Result};
use crate::listing::EntryType;
use crate::parse::parse257;
use crate::session::Session;

/// Deeper than this, `remove_tree` stops (a server listing endless
/// directories must not exhaust the stack).
const MAX_DEPTH: usize = 256;

/// `mkdir -p path`: MKD for each component in turn (absolute paths from
/// `/`, relative ones from the working directory). A refused MKD (5xx) is
/// fine when the component turns out to be a directory already: it is
/// checked with CWD there and back (PWD asked once); otherwise the MKD's
/// refusal is the error. Empty components and `.` are skipped; `..` is
/// passed through as is.
pub(crate) fn makedirs(s: &mut Session, path: &str) -> Result<()> {
    s.begin()?;
    check_line(path, "the path")?;
    if path.is_empty() {
        return Err(Error::InvalidArgument("the path is empty".into()));
    }
    let mut prefix = if path.starts_with('/') {
        "/".to_string()
    } else {
        String::new()
    };
    let mut home: Option<String> = None;
    for part in path.split('/').filter(|c| !c.is_empty() && *c != ".") {
        prefix = remote_join(&prefix, part);
        if part == ".." {
            continue;
        }
        match s.send_void(&format!("MKD {prefix}")) {
            Ok(_) => {}
            Err(Error::Perm(refusal)) => {
                if !is_dir(s, &prefix, &mut home)? {
                    return Err(Error::Perm(refusal));
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Whether `path` is a directory: CWD into it (and back to `home`, the
/// working directory, asked with PWD the first time).
fn is_dir(s: &mut Session, path: &str, home: &mut Option<String>) -> Result<bool> {
    if home.is_none() {
        let reply = s.send_void("PWD")?;
        let here = parse257(&reply)?;
        check_line(&here, "the working directory")?;
        *home = Some(here);
    }
    match s.send_void(&format!("CWD {path}")) {
        Ok(_) => {
            let back = home.clone().unwrap_or_default();
            s.send_void(&format!("CWD {back}"))?;
            Ok(true)
        }
        Err(Error::Perm(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `path` with empty and `.` components removed; `None` when that leaves
/// nothing or the root (or the path has a `..` component).
pub(crate) fn normalize_for_removal(path: &str) -> Option<String> {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    if parts.is_empty() || parts.contains(&"..") {
        return None;
    }
    let joined = parts.join("/");
    Some(if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    })
}

/// `rm -r path`: refuses "", "/" and paths that normalise to them (or
/// hold a `..` component) with `InvalidArgument`. `DELE path` first (a
/// file or a symbolic link goes at once, the link and not its target);
/// when that is refused, `path` is taken as a directory: listed with
/// [`Session::list`], its files and links deleted (DELE), its
/// subdirectories removed the same way depth-first, then RMD. A listing
/// line no parser understands stops the removal (nothing is deleted on a
/// guess), and so does an entry name holding `/`.
pub(crate) fn remove_tree(s: &mut Session, path: &str) -> Result<()> {
    s.begin()?;
    check_line(path, "the path")?;
    let Some(path) = normalize_for_removal(path) else {
        return Err(Error::InvalidArgument(format!(
            "refusing to remove {path:?} (empty, the root, the working directory, or a path \
             with ..)"
        )));
    };
    match s.delete(&path) {
        Ok(_) => return Ok(()),
        Err(Error::Perm(_)) => {}
        Err(e) => return Err(e),
    }
    remove_dir(s, &path, 0)
}

fn remove_dir(s: &mut Session, dir: &str, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::Proto(format!(
            "more than {MAX_DEPTH} nested directories under the tree being removed"
        )));
    }
    let mut entries = Vec::new();
    let mut unknown = None;
    s.list(Some(dir), |e| {
        match (&e.name, e.kind) {
            (Some(name), kind) if kind != EntryType::Unknown => {
                entries.push((name.clone(), kind));
            }
            _ => {
                unknown.get_or_insert_with(|| String::from_utf8_lossy(&e.raw).into_owned());
            }
        }
        Ok(())
    })?;
    if let Some(raw) = unknown {
        return Err(Error::Proto(format!(
            "cannot tell what this entry of {dir} is, so nothing was removed there: {raw:?}"
        )));
    }
    if let Some((bad, _)) = entries
        .iter()
        .find(|(n, _)| n.contains('/') || n == "." || n == ".." || n.is_empty())
    {
        return Err(Error::Proto(format!(
            "the listing of {dir} names {bad:?}, which is not a plain name: nothing was removed"
        )));
    }
    for (name, kind) in entries {
        let child = remote_join(dir, &name);
        match kind {
            EntryType::Dir => remove_dir(s, &child, depth + 1)?,
            _ => {
                s.delete(&child)?;
            }
        }
    }
    s.rmd(dir).map(drop)
}

#[cfg(test)]
mod tests {
    use super::normalize_for_removal as n;

    #[test]
    fn refused_paths() {
        for p in ["", "/", "//", "/.", "./", ".", "/./.", "a/..", "../x"] {
            assert_eq!(n(p), None, "{p:?}");
        }
        assert_eq!(n("/a//b/./c/").as_deref(), Some("/a/b/c"));
        assert_eq!(n("a/b").as_deref(), Some("a/b"));
    }
}
