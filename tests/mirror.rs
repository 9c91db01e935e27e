//! Pool::mirror against the real servers: both directions compared by
//! hashes, NEWER (counts from the report), DELETE (exactly the extraneous
//! entries, a symbolic link pointing outside removed and not followed),
//! kept modification times. More cases: tests/mirror_cases.rs.

mod mirrortree;
mod realservers;

use ftp::{Direction, FileOptions, MirrorOptions, Pool};
use mirrortree::{generate, mirror, read_tree, scratch, server, NEWER};
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

/// Upload, download, NEWER both ways, DELETE both ways against one server.
fn round_trip(prefix: &str, big: bool) {
    let Some((url, on_disk)) = server(prefix) else {
        return;
    };
    let tag = format!("m{}-{}", std::process::id(), prefix.to_lowercase());
    let work = scratch(&tag);
    let (src, dst) = (work.join("src"), work.join("dst"));
    let n = generate(&src, big);
    let pool = Pool::new(&url, None, 4).unwrap();
    let remote_root = on_disk.join(&tag);

    let r = mirror(&pool, Direction::Upload, &tag, &src, Default::default());
    assert_eq!((r.files_copied, r.files_skipped), (n, 0), "{r:?}");
    assert_eq!(read_tree(&remote_root), read_tree(&src), "{prefix} upload");
    let r = mirror(&pool, Direction::Download, &tag, &dst, Default::default());
    assert_eq!(r.files_copied, n);
    assert_eq!(read_tree(&dst), read_tree(&src), "{prefix} download");
    assert!(!dst.join(".ftp-mirror.journal").exists(), "journal removed");

    // One file changed, one added: NEWER copies those two.
    std::fs::write(src.join("a.txt"), b"changed: another size").unwrap();
    std::fs::write(src.join("sub/new file.txt"), b"new").unwrap();
    let r = mirror(&pool, Direction::Upload, &tag, &src, NEWER);
    assert_eq!(
        (r.files_copied, r.files_skipped),
        (2, n - 1),
        "{prefix} {r:?}"
    );
    assert_eq!(read_tree(&remote_root), read_tree(&src));

    // A file and a directory tree gone from the source: DELETE removes
    // exactly those two entries.
    std::fs::remove_file(src.join("with space.txt")).unwrap();
    std::fs::remove_dir_all(src.join("sub/deeper")).unwrap();
    let delete = MirrorOptions {
        delete: true,
        ..NEWER
    };
    let r = mirror(&pool, Direction::Upload, &tag, &src, delete);
    assert_eq!((r.files_copied, r.files_deleted), (0, 2), "{prefix} {r:?}");
    assert_eq!(read_tree(&remote_root), read_tree(&src));

    // Download with NEWER | DELETE into the old copy, which also holds a
    // link pointing outside the root: the link goes, not its target.
    let outside = work.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("keep.txt"), b"not yours").unwrap();
    std::os::unix::fs::symlink(&outside, dst.join("escape")).unwrap();
    std::os::unix::fs::symlink(&outside, dst.join("sub/escape2")).unwrap();
    let r = mirror(&pool, Direction::Download, &tag, &dst, delete);
    assert_eq!((r.files_copied, r.files_deleted), (2, 4), "{prefix} {r:?}");
    assert_eq!(read_tree(&dst), read_tree(&src));
    assert_eq!(
        std::fs::read(outside.join("keep.txt")).unwrap(),
        b"not yours"
    );

    let _ = std::fs::remove_dir_all(&remote_root);
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn round_trip_vsftpd_with_10_mib() {
    round_trip("VSFTPD", true);
}

#[test]
fn round_trip_pyftpdlib_with_10_mib() {
    round_trip("PYFTPD", true);
}

#[test]
fn round_trip_proftpd() {
    round_trip("PROFTPD", false);
}

#[test]
fn round_trip_pureftpd() {
    round_trip("PUREFTPD", false);
}

/// KEEP_MTIME both ways (vsftpd refuses anonymous time changes: there
/// the server's files get their times on its disk), then NEWER sees a
/// source made newer with the same size.
fn kept_times(prefix: &str, can_set_mtime: bool) {
    let Some((url, on_disk)) = server(prefix) else {
        return;
    };
    let tag = format!("t{}-{}", std::process::id(), prefix.to_lowercase());
    let work = scratch(&tag);
    let (src, dst) = (work.join("src"), work.join("dst"));
    let remote_root = on_disk.join(&tag);
    generate(&src, false);
    let t2020 = UNIX_EPOCH + Duration::from_secs(1_577_836_800);
    let t2021 = t2020 + Duration::from_secs(366 * 86400);
    let set = |p: &Path, t| {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(t)
            .unwrap()
    };
    let mtime = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let pool = Pool::new(&url, None, 2).unwrap();
    let keep = MirrorOptions {
        files: FileOptions {
            keep_mtime: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let newer = MirrorOptions {
        newer: true,
        ..keep
    };
    for f in ["a.txt", "sub/nested.bin"] {
        set(&src.join(f), t2020);
    }
    if can_set_mtime {
        mirror(&pool, Direction::Upload, &tag, &src, keep);
        assert_eq!(mtime(&remote_root.join("a.txt")), t2020, "{prefix}");
    } else {
        mirror(&pool, Direction::Upload, &tag, &src, Default::default());
        for f in ["a.txt", "sub/nested.bin"] {
            set(&remote_root.join(f), t2020);
        }
    }
    mirror(&pool, Direction::Download, &tag, &dst, keep);
    assert_eq!(mtime(&dst.join("a.txt")), t2020, "{prefix}");
    assert_eq!(mtime(&dst.join("sub/nested.bin")), t2020);
    // Same size, a year newer on the server: copied by NEWER.
    set(&remote_root.join("a.txt"), t2021);
    let r = mirror(&pool, Direction::Download, &tag, &dst, newer);
    assert_eq!(r.files_copied, 1, "{prefix} {r:?}");
    assert_eq!(mtime(&dst.join("a.txt")), t2021);
    if can_set_mtime {
        set(&src.join("sub/nested.bin"), t2021);
        let r = mirror(&pool, Direction::Upload, &tag, &src, newer);
        // a.txt is newer on the server now: not copied back.
        assert_eq!(r.files_copied, 1, "{prefix} {r:?}");
        assert_eq!(mtime(&remote_root.join("sub/nested.bin")), t2021);
    }
    assert_eq!(read_tree(&dst), read_tree(&src));
    let _ = std::fs::remove_dir_all(remote_root);
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn kept_times_vsftpd() {
    kept_times("VSFTPD", false);
}

#[test]
fn kept_times_pyftpdlib() {
    kept_times("PYFTPD", true);
}

#[test]
fn kept_times_pureftpd() {
    kept_times("PUREFTPD", true);
}
