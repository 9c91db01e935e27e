//! Whole-file transfers against every real server (all ten rows of the
//! table): downloads and uploads whole, RESUME from a partial local or
//! remote file at several offsets (byte-exact), VERIFY (ProFTPD's
//! mod_digest answers HASH and the X commands; vsftpd, pyftpdlib and
//! Pure-FTPd have none, so SIZE is used), ATOMIC over an existing file
//! (no temporary file left), CREATE_DIRS, KEEP_MTIME (where the server can
//! set one), checksum, makedirs and remove_tree, each checked on the
//! server's disk.

mod realservers;

use ftp::{ErrorKind, FileOptions, HashAlgo, Session};
use realservers::{pattern, Kind, Target};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

fn local_dir(t: &Target, tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(t.unique(tag));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn mtime(p: &Path) -> i64 {
    fs::metadata(p)
        .unwrap()
        .modified()
        .unwrap()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".part"))
        .collect()
}

fn o() -> FileOptions {
    FileOptions::default()
}

/// What the server advertises for verification.
fn checksums(t: &Target, s: &mut Session, big: &[u8]) {
    let r = s.checksum("big.bin", None);
    if t.kind == Kind::Proftpd {
        // mod_digest: HASH CRC32;MD5;SHA-1*;SHA-256;SHA-512 and XCRC, XMD5,
        // XSHA1, XSHA256 (tests/servers/proftpd.py loads it).
        let (algo, hex) = r.unwrap_or_else(|e| panic!("{}: checksum: {e}", t.name));
        assert_eq!(algo, HashAlgo::Sha256);
        let mut d = ftp::files::verify::Digests::new(&HashAlgo::all()).unwrap();
        d.update(big).unwrap();
        assert_eq!(hex, d.hex(HashAlgo::Sha256).unwrap().unwrap());
        for a in HashAlgo::all() {
            let (_, hex) = s.checksum("big.bin", Some(a)).unwrap();
            assert_eq!(hex, d.hex(a).unwrap().unwrap(), "{}: {a}", t.name);
        }
    } else {
        // vsftpd, pyftpdlib and Pure-FTPd have neither HASH nor X commands.
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::State, "{}: {e}", t.name);
    }
}

fn whole_files(name: &'static str) {
    let Some(t) = Target::get(name) else { return };
    let mut s = t.open(None);
    let big = fs::read(t.local.join("big.bin")).unwrap();
    assert_eq!(big.len(), 5 << 20);
    let dir = local_dir(&t, "files");
    checksums(&t, &mut s, &big);

    // Download whole, plain and verified.
    for verify in [false, true] {
        let target = dir.join("big.bin");
        let opts = FileOptions { verify, ..o() };
        s.download_file("big.bin", &target, opts)
            .unwrap_or_else(|e| panic!("{name}: download (verify {verify}): {e}"));
        assert!(fs::read(&target).unwrap() == big, "{name}: download");
    }

    // Resume a download from a partial local file, with and without verify.
    for (i, offset) in [0, 1, 65_537, big.len() - 1, big.len()]
        .into_iter()
        .enumerate()
    {
        let target = dir.join(format!("resume-{i}.bin"));
        fs::write(&target, &big[..offset]).unwrap();
        let opts = FileOptions {
            resume: true,
            verify: i % 2 == 1,
            ..o()
        };
        s.download_file("big.bin", &target, opts)
            .unwrap_or_else(|e| panic!("{name}: resume at {offset}: {e}"));
        assert!(
            fs::read(&target).unwrap() == big,
            "{name}: resume at {offset}"
        );
    }

    // Atomic download over an existing file, with CREATE_DIRS and KEEP_MTIME.
    let target = dir.join("x/y/atomic.bin");
    let opts = FileOptions {
        atomic: true,
        create_dirs: true,
        keep_mtime: true,
        verify: true,
        ..o()
    };
    s.download_file("big.bin", &target, opts).unwrap();
    fs::write(&target, b"old").unwrap();
    s.download_file("big.bin", &target, opts).unwrap();
    assert!(fs::read(&target).unwrap() == big);
    assert_eq!(mtime(&target), mtime(&t.local.join("big.bin")), "{name}");
    assert!(leftovers(&dir.join("x/y")).is_empty());

    // Uploads: whole, then resumed from a partial remote file.
    let data = pattern(700_000, 7);
    let src = dir.join("up.bin");
    fs::write(&src, &data).unwrap();
    let up = t.unique("up");
    for verify in [false, true] {
        let opts = FileOptions { verify, ..o() };
        s.upload_file(&src, &up, opts)
            .unwrap_or_else(|e| panic!("{name}: upload (verify {verify}): {e}"));
        assert!(
            fs::read(t.local.join(&up)).unwrap() == data,
            "{name}: upload"
        );
    }
    for (i, offset) in [0, 1, 65_537, data.len() - 1, data.len()]
        .into_iter()
        .enumerate()
    {
        let remote = t.unique(&format!("ures{i}"));
        if offset > 0 {
            realservers::upload(&mut s, &remote, &data[..offset]);
        }
        let opts = FileOptions {
            resume: true,
            verify: i % 2 == 0,
            ..o()
        };
        s.upload_file(&src, &remote, opts)
            .unwrap_or_else(|e| panic!("{name}: upload resume at {offset}: {e}"));
        assert!(
            fs::read(t.local.join(&remote)).unwrap() == data,
            "{name}: upload resume at {offset}"
        );
    }

    // Atomic upload over an existing file, into new directories.
    let tree = t.unique("tree");
    let remote = format!("{tree}/a/b/atomic.bin");
    let keep = t.kind.can_set_mtime();
    fs::File::options()
        .write(true)
        .open(&src)
        .unwrap()
        .set_modified(UNIX_EPOCH + Duration::from_secs(1_500_000_000))
        .unwrap();
    let opts = FileOptions {
        atomic: true,
        create_dirs: true,
        verify: true,
        keep_mtime: keep,
        ..o()
    };
    s.upload_file(&src, &remote, opts)
        .unwrap_or_else(|e| panic!("{name}: atomic upload: {e}"));
    realservers::upload(&mut s, &remote, b"old content");
    s.upload_file(&src, &remote, opts)
        .unwrap_or_else(|e| panic!("{name}: atomic upload over a file: {e}"));
    let on_disk = t.local.join(&remote);
    assert!(fs::read(&on_disk).unwrap() == data, "{name}: atomic upload");
    if keep {
        assert_eq!(mtime(&on_disk), 1_500_000_000, "{name}: KEEP_MTIME");
    }
    assert!(leftovers(on_disk.parent().unwrap()).is_empty());

    // makedirs (existing parts are fine) and remove_tree.
    s.makedirs(&format!("{tree}/a/c/d")).unwrap();
    s.makedirs(&format!("{tree}/a/c/d")).unwrap();
    assert!(t.local.join(&tree).join("a/c/d").is_dir());
    realservers::upload(&mut s, &format!("{tree}/a/c/d/f.txt"), b"f");
    realservers::upload(&mut s, &format!("{tree}/g.txt"), b"g");
    assert_eq!(
        s.remove_tree("/").unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    s.remove_tree(&tree)
        .unwrap_or_else(|e| panic!("{name}: remove_tree: {e}"));
    assert!(!t.local.join(&tree).exists(), "{name}: remove_tree left it");

    s.delete(&up).unwrap();
    s.quit().unwrap();
    let _ = fs::remove_dir_all(&dir);
}

macro_rules! server {
    ($test:ident, $name:literal) => {
        #[test]
        fn $test() {
            whole_files($name);
        }
    };
}

server!(vsftpd_whole_files, "VSFTPD");
server!(pyftpd_whole_files, "PYFTPD");
server!(proftpd_whole_files, "PROFTPD");
server!(pureftpd_whole_files, "PUREFTPD");
server!(vsftpds_whole_files, "VSFTPDS");
server!(vsftpdi_whole_files, "VSFTPDI");
server!(pyftpds_whole_files, "PYFTPDS");
server!(proftpds_whole_files, "PROFTPDS");
server!(proftpdi_whole_files, "PROFTPDI");
server!(pureftpds_whole_files, "PUREFTPDS");
