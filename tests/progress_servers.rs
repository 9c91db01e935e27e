//! Progress reports and keepalive against real servers (vsftpd plain and
//! FTPS, pyftpdlib): every transfer kind, the zero-copy paths included.

mod realservers;

use realservers::env;

use ftp::tls::TlsConfig;
use ftp::{Error, Progress, ProgressInfo, Session, ZeroCopy};
use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::os::fd::AsFd;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A logged-in session in the server's writable directory, the local path
/// of that directory, and the server's name.
fn servers() -> Vec<(Session, PathBuf, &'static str)> {
    let mut all = Vec::new();
    if let (Some(port), Some(root)) = (env("FTP_TEST_VSFTPD_PORT"), env("FTP_TEST_VSFTPD_ROOT")) {
        let mut s = Session::new();
        s.set_timeout(Some(Duration::from_secs(10))).unwrap();
        s.connect("127.0.0.1", port.parse().unwrap()).unwrap();
        s.login("", "", "").unwrap();
        s.cwd("pub").unwrap();
        all.push((s, PathBuf::from(root).join("pub"), "vsftpd"));
    }
    if let (Some(port), Some(root)) = (env("FTP_TEST_PYFTPD_PORT"), env("FTP_TEST_PYFTPD_ROOT")) {
        let mut s = Session::new();
        s.set_timeout(Some(Duration::from_secs(10))).unwrap();
        s.connect("127.0.0.1", port.parse().unwrap()).unwrap();
        s.login("tester", "secret", "").unwrap();
        all.push((s, PathBuf::from(root), "pyftpdlib"));
    }
    if let (Some(port), Some(root)) = (env("FTP_TEST_VSFTPDS_PORT"), env("FTP_TEST_VSFTPDS_ROOT")) {
        let mut cfg = TlsConfig::default();
        cfg.set_ca_file(&env("FTP_TEST_TLS_CAFILE").unwrap())
            .unwrap();
        let mut s = Session::new_tls(cfg);
        s.set_timeout(Some(Duration::from_secs(10))).unwrap();
        s.connect("localhost", port.parse().unwrap()).unwrap();
        s.login("", "", "").unwrap();
        s.cwd("pub").unwrap();
        all.push((s, PathBuf::from(root).join("pub"), "vsftpd TLS"));
    }
    all
}

#[derive(Debug, Clone)]
struct Seen {
    path: String,
    bytes: u64,
    offset: u64,
    total: Option<u64>,
}

fn recorder(s: &mut Session) -> Arc<Mutex<Vec<Seen>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    s.set_progress(
        Some(Box::new(move |p: &Progress<'_>| {
            sink.lock().unwrap().push(Seen {
                path: p.path.to_string(),
                bytes: p.bytes,
                offset: p.offset,
                total: p.total,
            });
            Ok(())
        })),
        Duration::from_millis(1),
    );
    seen
}

fn take_checked(
    seen: &Arc<Mutex<Vec<Seen>>>,
    what: &str,
    path: &str,
    offset: u64,
    total: Option<u64>,
    last: u64,
) {
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    assert!(seen.len() >= 2, "{what}: {seen:?}");
    assert_eq!(seen[0].bytes, 0, "{what}");
    assert_eq!(seen.last().unwrap().bytes, last, "{what}");
    for w in seen.windows(2) {
        assert!(w[0].bytes <= w[1].bytes, "{what}: not monotone");
    }
    for r in &seen {
        assert_eq!(r.path, path, "{what}");
        assert_eq!(r.offset, offset, "{what}");
        assert_eq!(r.total, total, "{what}");
    }
}

fn tmpfile(tag: &str) -> (File, PathBuf) {
    let path = std::env::temp_dir().join(format!("libftp-progress-{}-{tag}", std::process::id()));
    let f = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)
        .unwrap();
    (f, path)
}

#[test]
fn progress_of_every_transfer_kind() {
    let all = servers();
    assert!(!all.is_empty() || std::env::var("FTP_TEST_VSFTPD_PORT").is_err());
    for (mut s, root, name) in all {
        eprintln!("progress on {name}");
        let big = std::fs::read(root.join("big.bin")).unwrap();
        let size = big.len() as u64;
        // vsftpd announces the size in its 150 reply; pyftpdlib does not.
        let announced = (!name.starts_with("pyftpdlib")).then_some(size);
        s.set_keepalive(Some(Duration::from_millis(50))).unwrap();
        let seen = recorder(&mut s);

        // retrbinary, then with REST, then with the size given (SIZE).
        let mut n = 0u64;
        s.retrbinary("RETR big.bin", 0, None, |b| {
            n += b.len() as u64;
            Ok(())
        })
        .unwrap();
        assert_eq!(n, size, "{name}");
        take_checked(&seen, name, "big.bin", 0, announced, size);
        s.retrbinary("RETR big.bin", 0, Some(1000), |_| Ok(()))
            .unwrap();
        // The total is what the 150 reply after REST announces.
        let seen_rest = seen.lock().unwrap().clone();
        take_checked(
            &seen,
            name,
            "big.bin",
            1000,
            seen_rest[0].total,
            size - 1000,
        );
        let remote_size = s.size("big.bin").unwrap().unwrap();
        s.set_progress_info(ProgressInfo {
            path: None,
            total: Some(remote_size),
        });
        s.retrbinary("RETR big.bin", 0, None, |_| Ok(())).unwrap();
        take_checked(&seen, name, "big.bin", 0, Some(size), size);

        // retrlines
        let lines = std::fs::read(root.join("lines.txt")).unwrap();
        let lf = lines.iter().filter(|&&b| b == b'\n').count() as u64;
        let mut got = 0u64;
        s.retrlines("RETR lines.txt", |l| {
            got += l.len() as u64;
            Ok(())
        })
        .unwrap();
        let text = std::mem::take(&mut *seen.lock().unwrap());
        assert_eq!(text[0].bytes, 0, "{name}");
        // The bytes as the server sent them: its line ends are LF (vsftpd)
        // or CRLF (pyftpdlib) around the same line contents.
        let last = text.last().unwrap().bytes;
        assert!(
            last == got + lf || last == got + 2 * lf,
            "{name}: {last} {got} {lf}"
        );

        // retr_to_fd into a regular file (splice unless TLS), then the
        // buffered path.
        for mode in [ZeroCopy::Always, ZeroCopy::Never] {
            s.set_zero_copy(mode);
            let (f, path) = tmpfile("down");
            assert_eq!(s.retr_to_fd("RETR big.bin", f.as_fd(), None).unwrap(), size);
            assert!(std::fs::read(&path).unwrap() == big, "{name} {mode:?}");
            take_checked(&seen, name, "big.bin", 0, announced, size);
            std::fs::remove_file(path).unwrap();
        }

        // storbinary
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let mut src = &data[..];
        s.storbinary(
            "STOR progress-up.bin",
            0,
            None,
            |buf| {
                let k = buf.len().min(src.len());
                buf[..k].copy_from_slice(&src[..k]);
                src = &src[k..];
                Ok(k)
            },
            |_| Ok(()),
        )
        .unwrap();
        take_checked(&seen, name, "progress-up.bin", 0, None, data.len() as u64);
        assert!(std::fs::read(root.join("progress-up.bin")).unwrap() == data);

        // stor_from_fd from a regular file: sendfile (Always, not TLS) and
        // the buffer; the total is the file's size.
        let (mut up, up_path) = tmpfile("up");
        up.write_all(&data).unwrap();
        for mode in [ZeroCopy::Always, ZeroCopy::Never] {
            s.set_zero_copy(mode);
            up.seek(SeekFrom::Start(0)).unwrap();
            s.stor_from_fd("STOR progress-fd.bin", up.as_fd(), None)
                .unwrap();
            let len = data.len() as u64;
            take_checked(&seen, name, "progress-fd.bin", 0, Some(len), len);
            assert!(std::fs::read(root.join("progress-fd.bin")).unwrap() == data);
        }
        std::fs::remove_file(up_path).unwrap();
        s.set_zero_copy(ZeroCopy::Auto);

        // A sink that stops: CALLBACK, and the session goes on.
        s.set_progress(
            Some(Box::new(|p: &Progress<'_>| {
                if p.bytes > 0 {
                    Err(Error::Callback("stop here".into()))
                } else {
                    Ok(())
                }
            })),
            Duration::ZERO,
        );
        let r = s.retrbinary("RETR big.bin", 0, None, |_| Ok(()));
        assert!(matches!(r, Err(Error::Callback(_))), "{name}: {r:?}");
        let (f, path) = tmpfile("stopped");
        let r = s.retr_to_fd("RETR big.bin", f.as_fd(), None);
        assert!(matches!(r, Err(Error::Callback(_))), "{name}: {r:?}");
        std::fs::remove_file(path).unwrap();
        s.set_progress(None, Duration::ZERO);
        assert_eq!(s.size("big.bin").unwrap(), Some(size), "{name}");
        s.delete("progress-up.bin").unwrap();
        s.delete("progress-fd.bin").unwrap();
        s.quit().unwrap();
    }
}

/// A segmented download's parts report against the whole file: every
/// report has the file's size as total, and each part's last report
/// (sent when the part ends its own transfer) covers it to the end: the
/// parts' last reports add up to the file.
#[test]
fn segmented_parts_report_the_whole_file() {
    let (Some(port), Some(root)) = (env("FTP_TEST_VSFTPD_PORT"), env("FTP_TEST_VSFTPD_ROOT"))
    else {
        return;
    };
    let want = std::fs::read(PathBuf::from(&root).join("pub/big.bin")).unwrap();
    let pool = ftp::Pool::new(&format!("ftp://127.0.0.1:{port}/pub"), None, 4).unwrap();
    // (offset, bytes, total) of each report.
    type Reports = Arc<Mutex<Vec<(u64, u64, Option<u64>)>>>;
    let seen: Reports = Arc::default();
    let sink = seen.clone();
    pool.set_progress(
        Some(Arc::new(move |p: &Progress<'_>| {
            assert_eq!(p.path, "big.bin");
            sink.lock().unwrap().push((p.offset, p.bytes, p.total));
            Ok(())
        })),
        Duration::from_secs(3600),
    );
    let dir = std::env::temp_dir().join(format!("libftp-segprog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let local = dir.join("big.bin");
    pool.download_segmented("big.bin", &local, 4, Default::default())
        .unwrap();
    assert!(std::fs::read(&local).unwrap() == want);
    let seen = seen.lock().unwrap();
    assert!(
        seen.iter().all(|r| r.2 == Some(want.len() as u64)),
        "{seen:?}"
    );
    // With an hour's interval: per part one report at 0 and one at its end.
    let mut last: std::collections::BTreeMap<u64, u64> = Default::default();
    for &(offset, bytes, _) in seen.iter() {
        let e = last.entry(offset).or_default();
        *e = (*e).max(bytes);
    }
    assert!(last.len() >= 2, "several parts: {seen:?}");
    let mut next = 0;
    for (offset, bytes) in &last {
        assert_eq!(*offset, next, "the parts follow each other: {seen:?}");
        next = offset + bytes;
    }
    assert_eq!(next, want.len() as u64, "{seen:?}");
    std::fs::remove_dir_all(dir).unwrap();
}
