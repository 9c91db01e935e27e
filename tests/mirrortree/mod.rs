//! Trees for the mirror tests (`mod mirrortree;`): generating one,
//! reading one back as path -> content hash, and the servers' URLs.
#![allow(dead_code)]

use ftp::{Direction, FileOptions, MirrorOptions, MirrorReport, Pool};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use crate::realservers::env;

/// A fresh scratch directory.
pub fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("libftp-mirror-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A mirror test's unique name (`letter` + pid), its scratch directory,
/// and the generated source tree in it (`src`) with its file count.
pub fn fixture(letter: &str, big: bool) -> (String, PathBuf, PathBuf, u64) {
    let tag = format!("{letter}{}", std::process::id());
    let work = scratch(&tag);
    let src = work.join("src");
    let n = generate(&src, big);
    (tag, work, src, n)
}

/// Deterministic bytes: sha256 of a counter, `len` of them.
pub fn bytes(seed: &str, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    let mut i = 0u64;
    while out.len() < len {
        out.extend_from_slice(&openssl::sha::sha256(format!("{seed}-{i}").as_bytes()));
        i += 1;
    }
    out.truncate(len);
    out
}

/// Writes the test tree under `root`: nested and empty directories, an
/// empty file, names with spaces and UTF-8, and (with `big`) 10 MiB.
/// Returns the number of files.
pub fn generate(root: &Path, big: bool) -> u64 {
    let files: &[(&str, usize)] = &[
        ("a.txt", 100),
        ("empty.bin", 0),
        ("with space.txt", 33),
        ("café ü.txt", 5),
        ("sub/nested.bin", 20_000),
        ("sub/deeper/x.txt", 7),
        ("sub/deeper/y z.bin", 70_000),
    ];
    for (p, n) in files {
        let path = root.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes(p, *n)).unwrap();
    }
    std::fs::create_dir_all(root.join("emptydir")).unwrap();
    std::fs::create_dir_all(root.join("sub/empty two")).unwrap();
    let mut n = files.len() as u64;
    if big {
        std::fs::write(root.join("sub/big.bin"), bytes("big", 10 << 20)).unwrap();
        n += 1;
    }
    n
}

/// The tree under `root`: relative path -> "dir", "link -> target" or
/// the file's sha256 in hex. The mirror journal is left out.
pub fn read_tree(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![PathBuf::new()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(root.join(&d)).unwrap() {
            let e = e.unwrap();
            let rel = d.join(e.file_name());
            let key = rel.to_string_lossy().into_owned();
            if key == ".ftp-mirror.journal" {
                continue;
            }
            let meta = std::fs::symlink_metadata(e.path()).unwrap();
            let value = if meta.is_dir() {
                dirs.push(rel);
                "dir".to_string()
            } else if meta.file_type().is_symlink() {
                format!(
                    "link -> {}",
                    std::fs::read_link(e.path()).unwrap().display()
                )
            } else {
                hex(&openssl::sha::sha256(&std::fs::read(e.path()).unwrap()))
            };
            out.insert(key, value);
        }
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A plain-FTP server of the test table: (pool URL, directory on disk
/// that the URL's directory is).
pub fn server(prefix: &str) -> Option<(String, PathBuf)> {
    let port = env(&format!("FTP_TEST_{prefix}_PORT"))?;
    let root = PathBuf::from(env(&format!("FTP_TEST_{prefix}_ROOT"))?);
    Some(if prefix == "VSFTPD" {
        (format!("ftp://127.0.0.1:{port}/pub"), root.join("pub"))
    } else {
        let user = env(&format!("FTP_TEST_{prefix}_USER"))?;
        let pass = env(&format!("FTP_TEST_{prefix}_PASS"))?;
        (format!("ftp://{user}:{pass}@127.0.0.1:{port}"), root)
    })
}

/// Count of files (not directories) in a tree.
pub fn files(tree: &BTreeMap<String, String>) -> u64 {
    tree.values().filter(|v| *v != "dir").count() as u64
}

/// A mirror that must succeed with no failure; its report.
pub fn mirror(
    pool: &Pool,
    d: Direction,
    remote: &str,
    local: &Path,
    opts: MirrorOptions,
) -> MirrorReport {
    let mut r = MirrorReport::default();
    pool.mirror(d, remote, local, opts, &mut r)
        .unwrap_or_else(|e| panic!("{d:?} {remote}: {e} ({r:?})"));
    assert_eq!(r.files_failed, 0);
    r
}

/// `newer` alone.
pub const NEWER: MirrorOptions = MirrorOptions {
    files: FileOptions {
        resume: false,
        verify: false,
        create_dirs: false,
        keep_mtime: false,
        atomic: false,
    },
    newer: true,
    delete: false,
};
