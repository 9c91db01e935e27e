//! More Pool::mirror cases: FTPS with require_ssl_reuse at 8 sessions, 8
//! threads mirroring over one pool, failures that do not stop the others,
//! a link where the source has a directory, a progress stop, ATOMIC and
//! VERIFY both ways.

mod mirrortree;
mod realservers;

use ftp::tls::TlsConfig;
use ftp::{Direction, FileOptions, MirrorOptions, MirrorReport, Pool};
use mirrortree::{env, files, fixture, mirror, read_tree, server, NEWER};
use std::path::Path;
use std::time::Duration;

#[test]
fn ftps_vsftpd_eight_sessions_with_ssl_reuse_and_verify() {
    let (Some(port), Some(root), Some(ca)) = (
        env("FTP_TEST_VSFTPDS_PORT"),
        env("FTP_TEST_VSFTPDS_ROOT"),
        env("FTP_TEST_TLS_CAFILE"),
    ) else {
        return;
    };
    let mut cfg = TlsConfig::default();
    cfg.set_ca_file(&ca).unwrap();
    let pool = Pool::new(&format!("ftpes://localhost:{port}/pub"), Some(cfg), 8).unwrap();
    let (tag, work, src, n) = fixture("s", false);
    let dst = work.join("dst");
    let verify = MirrorOptions {
        files: FileOptions {
            verify: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let r = mirror(&pool, Direction::Upload, &tag, &src, verify);
    assert_eq!(r.files_copied, n);
    let r = mirror(&pool, Direction::Download, &tag, &dst, verify);
    assert_eq!(r.files_copied, n);
    assert_eq!(read_tree(&dst), read_tree(&src));
    assert_eq!(
        read_tree(&Path::new(&root).join("pub").join(&tag)),
        read_tree(&src)
    );
    assert!(pool.peak_sessions() >= 2, "files copied at once");
    assert!(pool.peak_sessions() <= 8);
    let _ = std::fs::remove_dir_all(Path::new(&root).join("pub").join(&tag));
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn eight_threads_mirror_over_one_pool_of_four() {
    let Some((url, on_disk)) = server("VSFTPD") else {
        return;
    };
    let (tag, work, src, n) = fixture("p", false);
    let pool = Pool::new(&url, None, 4).unwrap();
    mirror(&pool, Direction::Upload, &tag, &src, Default::default());
    let want = read_tree(&src);
    std::thread::scope(|scope| {
        for t in 0..8 {
            let (pool, work, tag, want) = (&pool, &work, &tag, &want);
            scope.spawn(move || {
                let dst = work.join(format!("dst{t}"));
                let r = mirror(pool, Direction::Download, tag, &dst, Default::default());
                assert_eq!(r.files_copied, n, "thread {t}");
                assert_eq!(read_tree(&dst), *want, "thread {t}");
            });
        }
    });
    assert!(pool.peak_sessions() <= 4);
    assert_eq!(files(&want), n);
    let _ = std::fs::remove_dir_all(on_disk.join(&tag));
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn failed_files_do_not_stop_the_others() {
    let Some((url, on_disk)) = server("PYFTPD") else {
        return;
    };
    let (tag, work, src, n) = fixture("f", false);
    // The server has a directory where the source has the file a.txt:
    // its upload fails, the others go on.
    let pool = Pool::new(&url, None, 3).unwrap();
    let remote_root = on_disk.join(&tag);
    std::fs::create_dir_all(remote_root.join("a.txt/inside")).unwrap();
    let mut r = MirrorReport::default();
    let e = pool
        .mirror(Direction::Upload, &tag, &src, Default::default(), &mut r)
        .unwrap_err();
    assert_eq!(r.files_failed, 1, "{r:?}");
    assert_eq!(r.files_copied, n - 1);
    assert_eq!(r.failures[0].0, "a.txt");
    assert!(e.to_string().contains("a.txt failed; 1 failure(s)"), "{e}");
    assert!(
        src.join(".ftp-mirror.journal").exists(),
        "kept after a failure"
    );
    // A leftover temporary name of an atomic upload: removed by the next
    // run (not counted as a deletion: it is the mirror's own).
    std::fs::write(remote_root.join(".empty.bin.part-0123abcd"), b"left").unwrap();
    // With DELETE the directory in the way is replaced.
    let delete = MirrorOptions {
        delete: true,
        ..NEWER
    };
    let r = mirror(&pool, Direction::Upload, &tag, &src, delete);
    assert_eq!((r.files_copied, r.files_deleted), (1, 1), "{r:?}");
    assert_eq!(read_tree(&remote_root), read_tree(&src));
    assert!(!src.join(".ftp-mirror.journal").exists());
    let _ = std::fs::remove_dir_all(remote_root);
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn a_link_where_the_source_has_a_directory_is_never_written_through() {
    let Some((url, on_disk)) = server("PYFTPD") else {
        return;
    };
    let (tag, work, src, n) = fixture("l", false);
    let pool = Pool::new(&url, None, 2).unwrap();
    mirror(&pool, Direction::Upload, &tag, &src, Default::default());
    // The local target has a link to a directory outside where the
    // source has the directory sub/.
    let (dst, outside) = (work.join("dst"), work.join("outside"));
    std::fs::create_dir_all(&dst).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, dst.join("sub")).unwrap();
    let mut r = MirrorReport::default();
    let e = pool
        .mirror(Direction::Download, &tag, &dst, Default::default(), &mut r)
        .unwrap_err();
    assert_eq!(e.kind(), ftp::ErrorKind::State, "{e}");
    let below_sub = read_tree(&src)
        .keys()
        .filter(|k| k.starts_with("sub/"))
        .count();
    // sub itself, and each file or directory below it.
    assert_eq!(r.files_failed as usize, 1 + below_sub, "{r:?}");
    assert_eq!(r.files_copied, 4, "the files outside sub/: {r:?}");
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        0,
        "nothing written through"
    );
    // DELETE replaces the link (not what it points to) with the directory.
    let delete = MirrorOptions {
        delete: true,
        ..Default::default()
    };
    let r = mirror(&pool, Direction::Download, &tag, &dst, delete);
    assert_eq!(r.files_deleted, 1, "{r:?}");
    assert_eq!(read_tree(&dst), read_tree(&src));
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    assert_eq!(r.files_copied + r.files_skipped, n);
    let _ = std::fs::remove_dir_all(on_disk.join(&tag));
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn a_progress_stop_stops_the_whole_mirror() {
    let Some((url, on_disk)) = server("PYFTPD") else {
        return;
    };
    let (tag, work, src, n) = fixture("c", false);
    let pool = Pool::new(&url, None, 1).unwrap();
    let stop = std::sync::Arc::new(|_: &ftp::Progress<'_>| {
        Err(ftp::Error::Callback("stopped by the test".into()))
    });
    pool.set_progress(Some(stop), Duration::ZERO);
    let mut r = MirrorReport::default();
    let e = pool
        .mirror(Direction::Upload, &tag, &src, Default::default(), &mut r)
        .unwrap_err();
    assert_eq!(e.kind(), ftp::ErrorKind::Callback, "{e}");
    // The first file stopped, the others were not tried.
    assert_eq!((r.files_copied, r.files_failed), (0, n), "{r:?}");
    assert!(
        r.failures[1].1.contains("stopped before this file"),
        "{r:?}"
    );
    let _ = std::fs::remove_dir_all(on_disk.join(&tag));
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn atomic_and_verified_both_ways() {
    let Some((url, on_disk)) = server("PROFTPD") else {
        return;
    };
    let (tag, work, src, n) = fixture("a", false);
    let dst = work.join("dst");
    let pool = Pool::new(&url, None, 3).unwrap();
    let opts = MirrorOptions {
        files: FileOptions {
            atomic: true,
            verify: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let r = mirror(&pool, Direction::Upload, &tag, &src, opts);
    assert_eq!(r.files_copied, n);
    let r = mirror(&pool, Direction::Download, &tag, &dst, opts);
    assert_eq!(r.files_copied, n);
    // No temporary name left on either side.
    assert_eq!(read_tree(&on_disk.join(&tag)), read_tree(&src));
    assert_eq!(read_tree(&dst), read_tree(&src));
    let _ = std::fs::remove_dir_all(on_disk.join(&tag));
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn newer_upload_into_a_missing_nested_root_on_vsftpd() {
    // vsftpd lists a missing directory as an empty one: the root must be
    // made before the target is listed.
    let Some((url, on_disk)) = server("VSFTPD") else {
        return;
    };
    let (tag, work, src, n) = fixture("n", false);
    let pool = Pool::new(&url, None, 2).unwrap();
    let root = format!("{tag}/x/y");
    let r = mirror(&pool, Direction::Upload, &root, &src, NEWER);
    assert_eq!(r.files_copied, n, "{r:?}");
    assert_eq!(read_tree(&on_disk.join(&root)), read_tree(&src));
    let _ = std::fs::remove_dir_all(on_disk.join(&tag));
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn a_missing_source_directory_is_an_error_not_an_empty_tree() {
    // vsftpd lists a missing directory as an empty one: with DELETE that
    // would empty the target.
    let Some((url, _)) = server("VSFTPD") else {
        return;
    };
    let (_, work, src, n) = fixture("m", false);
    let pool = Pool::new(&url, None, 2).unwrap();
    let delete = MirrorOptions {
        delete: true,
        ..Default::default()
    };
    let mut r = MirrorReport::default();
    let e = pool
        .mirror(Direction::Download, "no-such-dir", &src, delete, &mut r)
        .unwrap_err();
    assert_eq!(e.kind(), ftp::ErrorKind::Perm, "{e}");
    assert_eq!(r.files_deleted, 0);
    assert_eq!(files(&read_tree(&src)), n, "nothing deleted");
    let e = pool
        .mirror(Direction::Download, "hello.txt", &src, delete, &mut r)
        .unwrap_err();
    assert_eq!(e.kind(), ftp::ErrorKind::InvalidArgument, "{e}");
    assert_eq!(files(&read_tree(&src)), n, "nothing deleted");
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn a_link_back_to_an_ancestor_is_not_descended() {
    // pyftpdlib lists a link to a directory as that directory: a link to
    // the parent would repeat the tree down to the depth limit.
    let Some((url, on_disk)) = server("PYFTPD") else {
        return;
    };
    let (tag, work, src, n) = fixture("b", false);
    let pool = Pool::new(&url, None, 2).unwrap();
    mirror(&pool, Direction::Upload, &tag, &src, Default::default());
    std::os::unix::fs::symlink("..", on_disk.join(&tag).join("sub/deeper/up")).unwrap();
    let dst = work.join("dst");
    let mut r = MirrorReport::default();
    let e = pool
        .mirror(Direction::Download, &tag, &dst, Default::default(), &mut r)
        .unwrap_err();
    assert!(e.to_string().contains("sub/deeper/up failed"), "{e}");
    assert_eq!((r.files_copied, r.files_failed), (n, 1), "{r:?}");
    assert_eq!(read_tree(&dst), read_tree(&src), "the real tree, once");
    let _ = std::fs::remove_dir_all(on_disk.join(&tag));
    std::fs::remove_dir_all(work).unwrap();
}
