//! `retr_to_fd` / `stor_from_fd` against vsftpd (plain: splice/sendfile;
//! TLS: buffered), with regular files, pipes and failing descriptors.

use ftp::tls::TlsConfig;
use ftp::{Error, Session};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::AsFd;
use std::time::Duration;

fn env(key: &str) -> Option<String> {
    let v = std::env::var(key).ok();
    if v.is_none() {
        assert!(
            std::env::var("FTP_TEST_REQUIRE_SERVERS").as_deref() != Ok("1"),
            "{key} is not set"
        );
        eprintln!("SKIP: {key} not set (no test servers)");
    }
    v
}

fn vsftpd() -> Option<(Session, std::path::PathBuf)> {
    let port: u16 = env("FTP_TEST_VSFTPD_PORT")?.parse().unwrap();
    let root = env("FTP_TEST_VSFTPD_ROOT")?.into();
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(10))).unwrap();
    s.connect("127.0.0.1", port).unwrap();
    s.login("", "", "").unwrap();
    s.cwd("pub").unwrap();
    Some((s, root))
}

fn tmpfile(tag: &str) -> (File, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!("libftp-fd-{}-{tag}", std::process::id()));
    let f = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)
        .unwrap();
    (f, path)
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 131 % 253) as u8).collect()
}

#[test]
fn download_to_file_and_pipe_upload_from_file_and_pipe() {
    let Some((mut s, root)) = vsftpd() else {
        return;
    };
    let big = std::fs::read(root.join("pub/big.bin")).unwrap();

    // Regular file: splice.
    let (mut f, path) = tmpfile("down");
    assert_eq!(
        s.retr_to_fd("RETR big.bin", f.as_fd(), None).unwrap(),
        big.len() as u64
    );
    assert_eq!(std::fs::read(&path).unwrap(), big);

    // REST into the file at its current offset.
    f.set_len(0).unwrap();
    f.seek(SeekFrom::Start(0)).unwrap();
    s.retr_to_fd("RETR big.bin", f.as_fd(), Some(1000)).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), &big[1000..]);

    // A file opened for appending (splice would refuse it).
    let (mut log, log_path) = tmpfile("append");
    log.write_all(b"head:").unwrap();
    drop(log);
    let appending = File::options().append(true).open(&log_path).unwrap();
    s.retr_to_fd("RETR big.bin", appending.as_fd(), None)
        .unwrap();
    let got = std::fs::read(&log_path).unwrap();
    assert_eq!(&got[..5], b"head:");
    assert_eq!(&got[5..], &big[..]);
    std::fs::remove_file(log_path).unwrap();

    // A pipe (splice), drained by a thread.
    let (mut reader, writer) = std::io::pipe().unwrap();
    let drain = std::thread::spawn(move || {
        let mut v = Vec::new();
        reader.read_to_end(&mut v).unwrap();
        v
    });
    s.retr_to_fd("RETR big.bin", writer.as_fd(), None).unwrap();
    drop(writer);
    assert_eq!(drain.join().unwrap(), big);

    // Upload from a regular file (sendfile), from its current offset.
    let data = pattern(3 * 1024 * 1024 + 5);
    let (mut up, up_path) = tmpfile("up");
    up.write_all(&data).unwrap();
    up.seek(SeekFrom::Start(5)).unwrap();
    let sent = s.stor_from_fd("STOR fd-up.bin", up.as_fd(), None).unwrap();
    assert_eq!(sent, data.len() as u64 - 5);
    assert_eq!(
        std::fs::read(root.join("pub/fd-up.bin")).unwrap(),
        &data[5..]
    );

    // Upload from a pipe (buffered fallback).
    let (reader, mut writer) = std::io::pipe().unwrap();
    let feed = {
        let data = data.clone();
        std::thread::spawn(move || writer.write_all(&data).unwrap())
    };
    s.stor_from_fd("STOR fd-pipe.bin", reader.as_fd(), None)
        .unwrap();
    feed.join().unwrap();
    assert_eq!(std::fs::read(root.join("pub/fd-pipe.bin")).unwrap(), data);

    s.delete("fd-up.bin").unwrap();
    s.delete("fd-pipe.bin").unwrap();
    std::fs::remove_file(path).unwrap();
    std::fs::remove_file(up_path).unwrap();
    s.quit().unwrap();
}

#[test]
fn unwritable_descriptor_is_an_io_error_and_the_session_goes_on() {
    let Some((mut s, _root)) = vsftpd() else {
        return;
    };
    let (f, path) = tmpfile("ro");
    drop(f);
    let ro = File::open(&path).unwrap();
    let r = s.retr_to_fd("RETR big.bin", ro.as_fd(), None);
    assert!(matches!(r, Err(Error::Io { .. })), "{r:?}");
    assert_eq!(s.sendcmd("NOOP").unwrap().code, 200);
    // A descriptor that cannot be read fails the same way for uploads.
    let wo = File::options().write(true).open(&path).unwrap();
    let r = s.stor_from_fd("STOR never.bin", wo.as_fd(), None);
    assert!(matches!(r, Err(Error::Io { .. })), "{r:?}");
    assert_eq!(s.sendcmd("NOOP").unwrap().code, 200);
    let _ = s.delete("never.bin");
    std::fs::remove_file(path).unwrap();
}

#[test]
fn tls_data_connections_use_the_buffered_path() {
    let Some(port) = env("FTP_TEST_VSFTPDS_PORT") else {
        return;
    };
    let root: std::path::PathBuf = env("FTP_TEST_VSFTPDS_ROOT").unwrap().into();
    let mut cfg = TlsConfig::default();
    cfg.set_ca_file(&env("FTP_TEST_TLS_CAFILE").unwrap())
        .unwrap();
    let mut s = Session::new_tls(cfg);
    s.set_timeout(Some(Duration::from_secs(10))).unwrap();
    s.connect("localhost", port.parse().unwrap()).unwrap();
    s.login("", "", "").unwrap();
    s.prot_p().unwrap();
    let big = std::fs::read(root.join("pub/big.bin")).unwrap();
    let (f, path) = tmpfile("tls");
    s.retr_to_fd("RETR pub/big.bin", f.as_fd(), None).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), big);
    let mut f = File::open(&path).unwrap();
    f.seek(SeekFrom::Start(0)).unwrap();
    s.stor_from_fd("STOR pub/fd-tls.bin", f.as_fd(), None)
        .unwrap();
    assert_eq!(std::fs::read(root.join("pub/fd-tls.bin")).unwrap(), big);
    s.delete("pub/fd-tls.bin").unwrap();
    std::fs::remove_file(path).unwrap();
    s.quit().unwrap();
}

#[test]
fn forced_zero_copy_paths_and_forced_buffers_give_the_same_bytes() {
    let Some((mut s, root)) = vsftpd() else {
        return;
    };
    let big = std::fs::read(root.join("pub/big.bin")).unwrap();
    let data = pattern(2 * 1024 * 1024 + 3);
    let (mut up, up_path) = tmpfile("forced-up");
    up.write_all(&data).unwrap();
    for mode in [ftp::ZeroCopy::Always, ftp::ZeroCopy::Never] {
        s.set_zero_copy(mode);
        // Download into a regular file: splice (Always) or buffer (Never).
        let (f, path) = tmpfile("forced-down");
        s.retr_to_fd("RETR big.bin", f.as_fd(), None).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), big, "{mode:?}");
        std::fs::remove_file(path).unwrap();
        // Upload from a regular file: sendfile (Always) or buffer (Never).
        up.seek(SeekFrom::Start(0)).unwrap();
        s.stor_from_fd("STOR forced.bin", up.as_fd(), None).unwrap();
        assert_eq!(
            std::fs::read(root.join("pub/forced.bin")).unwrap(),
            data,
            "{mode:?}"
        );
        s.delete("forced.bin").unwrap();
    }
    std::fs::remove_file(up_path).unwrap();
    s.quit().unwrap();
}
