//! Whole-file transfers against the scripted server: resume both ways at
//! several offsets, REST refused, VERIFY by HASH / X commands / SIZE, a
//! lying server (Verify, and with ATOMIC no target), retries after a
//! reset (byte-exact) and never after a 5xx, makedirs and remove_tree.

use ftp::files::verify::Digests;
use ftp::{Error, ErrorKind, FileOptions, HashAlgo, Session};
use ftp_testkit::{Conn, ScriptedServer};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn data(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| ((i as u32).wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect()
}

fn digest(algo: HashAlgo, bytes: &[u8]) -> String {
    let mut d = Digests::new(&[algo]).unwrap();
    d.update(bytes).unwrap();
    d.hex(algo).unwrap().unwrap()
}

fn tmpdir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "libftp-files-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn session(server: &ScriptedServer) -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.connect("127.0.0.1", server.port()).unwrap();
    s.login("user", "pw", "").unwrap();
    s
}

fn opts() -> FileOptions {
    FileOptions::default()
}

/// EPSV, then `cmd` answered 150, then the data sent and 226.
fn send_file(c: &mut Conn, cmd: &str, bytes: &[u8]) {
    c.answer_epsv();
    c.expect(cmd);
    c.reply("150 here it comes");
    let mut d = c.accept_data();
    d.write_all(bytes).unwrap();
    drop(d);
    c.reply("226 done");
}

/// EPSV, then `cmd` answered 150, then the upload read and 226.
fn receive_file(c: &mut Conn, cmd: &str) -> Vec<u8> {
    c.answer_epsv();
    c.expect(cmd);
    c.reply("150 send it");
    let d = c.accept_data();
    let got = Conn::read_all(d);
    c.reply("226 stored");
    got
}

fn only_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn download_plain_replaces_the_file() {
    let want = data(300_000);
    let w = want.clone();
    let server = ScriptedServer::start(move |c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 ok");
        send_file(c, "RETR f.bin", &w);
    });
    let dir = tmpdir("plain");
    let target = dir.join("f.bin");
    std::fs::write(&target, b"old content that is longer than nothing").unwrap();
    let mut s = session(&server);
    s.download_file("f.bin", &target, opts()).unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), want);
    server.finish();
}

#[test]
fn download_resume_at_offsets() {
    let want = data(200_000);
    for offset in [0usize, 1, 65_537, 199_999, 200_000] {
        let w = want.clone();
        let server = ScriptedServer::start(move |c| {
            c.greet_and_login();
            c.exchange("TYPE I", "200 ok");
            c.exchange("SIZE f.bin", &format!("213 {}", w.len()));
            if offset == w.len() {
                c.exchange("NOOP", "200 nothing was transferred");
                return;
            }
            c.answer_epsv();
            if offset > 0 {
                c.exchange(&format!("REST {offset}"), "350 restarting");
            }
            c.expect("RETR f.bin");
            c.reply("150 go");
            let mut d = c.accept_data();
            d.write_all(&w[offset..]).unwrap();
            drop(d);
            c.reply("226 done");
            c.exchange("NOOP", "200 ok");
        });
        let dir = tmpdir("dres");
        let target = dir.join("f.bin");
        std::fs::write(&target, &want[..offset]).unwrap();
        let mut s = session(&server);
        let o = FileOptions {
            resume: true,
            ..opts()
        };
        s.download_file("f.bin", &target, o).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), want, "offset {offset}");
        s.voidcmd("NOOP").unwrap();
        server.finish();
    }
}

#[test]
fn download_resume_refused_rest_keeps_the_partial_file() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 ok");
        c.exchange("SIZE f.bin", "213 1000");
        c.answer_epsv();
        c.exchange("REST 10", "502 REST not implemented");
        // No RETR: the session goes on in step.
        c.exchange("NOOP", "200 ok");
    });
    let dir = tmpdir("restno");
    let target = dir.join("f.bin");
    std::fs::write(&target, b"0123456789").unwrap();
    let mut s = session(&server);
    let o = FileOptions {
        resume: true,
        ..opts()
    };
    let e = s.download_file("f.bin", &target, o).unwrap_err();
    assert!(matches!(&e, Error::Perm(r) if r.code == 502), "{e}");
    assert!(e.to_string().contains("REST 10 refused"), "{e}");
    assert_eq!(std::fs::read(&target).unwrap(), b"0123456789");
    s.voidcmd("NOOP").unwrap();
    let seen = server.finish();
    assert!(!seen.iter().any(|c| c.starts_with("RETR")), "{seen:?}");
}

#[test]
fn download_resume_local_larger_is_an_error() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 ok");
        c.exchange("SIZE f.bin", "213 5");
        c.exchange("NOOP", "200 ok");
    });
    let dir = tmpdir("larger");
    let target = dir.join("f.bin");
    std::fs::write(&target, b"0123456789").unwrap();
    let mut s = session(&server);
    let o = FileOptions {
        resume: true,
        ..opts()
    };
    let e = s.download_file("f.bin", &target, o).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert_eq!(std::fs::read(&target).unwrap(), b"0123456789");
    s.voidcmd("NOOP").unwrap();
    server.finish();
}

const FEAT_HASH: &str = "211-Features:\r\n HASH SHA-256*;SHA-1;MD5;CRC32\r\n SIZE\r\n211 End";
const FEAT_X: &str = "211-Features:\r\n XMD5\r\n XCRC\r\n SIZE\r\n211 End";
const FEAT_REST: &str = "211-Features:\r\n REST STREAM\r\n SIZE\r\n MFMT\r\n211 End";

/// A server that answers a download with `bytes` and then its verify
/// commands with `lie` flipping the digest.
fn verify_download(feat: &'static str, lie: bool, atomic: bool) -> (Result<(), Error>, PathBuf) {
    let want = data(100_000);
    let w = want.clone();
    let server = ScriptedServer::start(move |c| {
        c.reply("220 hi");
        c.login_answering_feat(feat);
        c.exchange("TYPE I", "200 ok");
        send_file(c, "RETR f.bin", &w);
        let flip = |h: String| {
            if lie {
                h.replace(&h[..1], if &h[..1] == "0" { "1" } else { "0" })
            } else {
                h
            }
        };
        if feat == FEAT_HASH {
            c.exchange("OPTS HASH SHA-256", "200 SHA-256");
            let h = flip(digest(HashAlgo::Sha256, &w));
            c.exchange(
                "HASH f.bin",
                &format!("213 SHA-256 0-{} {} f.bin", w.len(), h.to_uppercase()),
            );
        } else if feat == FEAT_X {
            c.exchange("XMD5 f.bin", "500 XMD5 not understood");
            let h = flip(digest(HashAlgo::Crc32, &w));
            c.exchange("XCRC f.bin", &format!("250 {}", h.to_uppercase()));
        } else {
            let n = if lie { w.len() - 1 } else { w.len() };
            c.exchange("SIZE f.bin", &format!("213 {n}"));
        }
        c.exchange("NOOP", "200 ok");
    });
    let dir = tmpdir("verify");
    let target = dir.join("f.bin");
    let mut s = session(&server);
    let o = FileOptions {
        verify: true,
        atomic,
        ..opts()
    };
    let r = s.download_file("f.bin", &target, o);
    s.voidcmd("NOOP").unwrap();
    server.finish();
    if r.is_ok() {
        assert_eq!(std::fs::read(&target).unwrap(), want);
    }
    (r, dir)
}

#[test]
fn verify_by_hash_x_commands_and_size() {
    for feat in [FEAT_HASH, FEAT_X, ftp_testkit::LOGIN_FEATURES] {
        let (r, dir) = verify_download(feat, false, false);
        r.unwrap();
        assert_eq!(only_names(&dir), ["f.bin"]);
    }
}

#[test]
fn lying_server_gives_verify_and_atomic_leaves_no_target() {
    for feat in [FEAT_HASH, FEAT_X, ftp_testkit::LOGIN_FEATURES] {
        let (r, dir) = verify_download(feat, true, false);
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Verify, "{e}");
        assert!(e.to_string().contains("expected"), "{e}");
        let (r, dir2) = verify_download(feat, true, true);
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Verify);
        assert!(only_names(&dir2).is_empty(), "{:?}", only_names(&dir2));
        let _ = dir;
    }
}

#[test]
fn resume_and_verify_hashes_the_whole_file() {
    let want = data(150_000);
    let w = want.clone();
    let server = ScriptedServer::start(move |c| {
        c.reply("220 hi");
        c.login_answering_feat(FEAT_HASH);
        c.exchange("TYPE I", "200 ok");
        c.exchange("SIZE f.bin", &format!("213 {}", w.len()));
        c.answer_epsv();
        c.exchange("REST 70000", "350 ok");
        c.expect("RETR f.bin");
        c.reply("150 go");
        let mut d = c.accept_data();
        d.write_all(&w[70_000..]).unwrap();
        drop(d);
        c.reply("226 done");
        c.exchange("OPTS HASH SHA-256", "200 SHA-256");
        let h = digest(HashAlgo::Sha256, &w);
        c.exchange("HASH f.bin", &format!("213 SHA-256 0-150000 {h} f.bin"));
    });
    let dir = tmpdir("resver");
    let target = dir.join("f.bin");
    std::fs::write(&target, &want[..70_000]).unwrap();
    let mut s = session(&server);
    let o = FileOptions {
        resume: true,
        verify: true,
        ..opts()
    };
    s.download_file("f.bin", &target, o).unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), want);
    server.finish();
}

#[test]
fn upload_resume_at_offsets_with_appe_and_rest() {
    let want = data(200_000);
    for rest_stream in [false, true] {
        for offset in [0usize, 1, 65_537, 199_999, 200_000] {
            let w = want.clone();
            let server = ScriptedServer::start(move |c| {
                c.reply("220 hi");
                c.login_answering_feat(if rest_stream {
                    FEAT_REST
                } else {
                    ftp_testkit::LOGIN_FEATURES
                });
                c.exchange("TYPE I", "200 ok");
                c.exchange("SIZE up.bin", &format!("213 {offset}"));
                if offset == w.len() {
                    c.exchange("NOOP", "200 ok");
                    return;
                }
                let got = if offset == 0 {
                    receive_file(c, "STOR up.bin")
                } else if rest_stream {
                    c.answer_epsv();
                    c.exchange(&format!("REST {offset}"), "350 ok");
                    c.expect("STOR up.bin");
                    c.reply("150 send");
                    let got = Conn::read_all(c.accept_data());
                    c.reply("226 ok");
                    got
                } else {
                    receive_file(c, "APPE up.bin")
                };
                assert_eq!(got, &w[offset..], "offset {offset}");
                c.exchange("NOOP", "200 ok");
            });
            let dir = tmpdir("ures");
            let src = dir.join("up.bin");
            std::fs::write(&src, &want).unwrap();
            let mut s = session(&server);
            let o = FileOptions {
                resume: true,
                ..opts()
            };
            s.upload_file(&src, "up.bin", o).unwrap();
            s.voidcmd("NOOP").unwrap();
            server.finish();
        }
    }
}

#[test]
fn upload_resume_remote_larger_is_an_error() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 ok");
        c.exchange("SIZE up.bin", "213 11");
        c.exchange("NOOP", "200 ok");
    });
    let dir = tmpdir("ularger");
    let src = dir.join("up.bin");
    std::fs::write(&src, b"0123456789").unwrap();
    let mut s = session(&server);
    let o = FileOptions {
        resume: true,
        ..opts()
    };
    let e = s.upload_file(&src, "up.bin", o).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    s.voidcmd("NOOP").unwrap();
    server.finish();
}

#[test]
fn upload_atomic_verify_renames_and_falls_back_to_dele() {
    let want = data(90_000);
    let w = want.clone();
    let server = ScriptedServer::start(move |c| {
        c.reply("220 hi");
        c.login_answering_feat(FEAT_HASH);
        c.exchange("TYPE I", "200 ok");
        c.answer_epsv();
        let stor = c.expect("STOR dir/.up.bin.part-");
        let temp = stor["STOR ".len()..].to_string();
        c.reply("150 send");
        let got = Conn::read_all(c.accept_data());
        c.reply("226 ok");
        assert_eq!(got, w);
        c.exchange("OPTS HASH SHA-256", "200 SHA-256");
        let h = digest(HashAlgo::Sha256, &got);
        c.exchange(
            &format!("HASH {temp}"),
            &format!("213 SHA-256 0-{} {h} {temp}", got.len()),
        );
        c.exchange(&format!("RNFR {temp}"), "350 ready");
        c.exchange("RNTO dir/up.bin", "553 file exists");
        c.exchange("DELE dir/up.bin", "250 deleted");
        c.exchange(&format!("RNFR {temp}"), "350 ready");
        c.exchange("RNTO dir/up.bin", "250 renamed");
    });
    let dir = tmpdir("uatomic");
    let src = dir.join("up.bin");
    std::fs::write(&src, &want).unwrap();
    let mut s = session(&server);
    let o = FileOptions {
        verify: true,
        atomic: true,
        ..opts()
    };
    s.upload_file(&src, "dir/up.bin", o).unwrap();
    server.finish();
}

#[test]
fn upload_lying_server_deletes_the_temporary_file() {
    let want = data(10_000);
    let server = ScriptedServer::start(move |c| {
        c.reply("220 hi");
        c.login_answering_feat(FEAT_X);
        c.exchange("TYPE I", "200 ok");
        c.answer_epsv();
        let stor = c.expect("STOR .up.bin.part-");
        let temp = stor["STOR ".len()..].to_string();
        c.reply("150 send");
        let _ = Conn::read_all(c.accept_data());
        c.reply("226 ok");
        c.exchange(
            &format!("XMD5 {temp}"),
            "250 00000000000000000000000000000000",
        );
        c.exchange(&format!("DELE {temp}"), "250 deleted");
        c.exchange("NOOP", "200 ok");
    });
    let dir = tmpdir("ulie");
    let src = dir.join("up.bin");
    std::fs::write(&src, &want).unwrap();
    let mut s = session(&server);
    let o = FileOptions {
        verify: true,
        atomic: true,
        ..opts()
    };
    let e = s.upload_file(&src, "up.bin", o).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Verify, "{e}");
    assert!(e.to_string().contains(&digest(HashAlgo::Md5, &want)), "{e}");
    s.voidcmd("NOOP").unwrap();
    let seen = server.finish();
    assert!(!seen.iter().any(|c| c.starts_with("RNFR")), "{seen:?}");
}

#[test]
fn retry_after_a_reset_mid_download_is_byte_exact() {
    let want = data(1_000_000);
    let w = want.clone();
    let server = ScriptedServer::start_sessions(2, move |i, c| {
        c.greet_and_login();
        if i == 0 {
            c.exchange("PWD", "257 \"/files\" is the current directory");
            c.exchange("TYPE I", "200 ok");
            c.answer_epsv();
            c.expect("RETR f.bin");
            c.reply("150 go");
            let mut d = c.accept_data();
            d.write_all(&w[..300_000]).unwrap();
            std::thread::sleep(Duration::from_millis(50));
            Conn::reset(d);
            c.reply("426 Connection closed; transfer aborted");
            // The client gives up on this connection.
            let _ = c.read_cmd();
        } else {
            c.exchange("CWD /files", "250 ok");
            c.exchange("TYPE I", "200 ok");
            c.answer_epsv();
            let rest = c.expect("REST ");
            let offset: usize = rest[5..].parse().unwrap();
            assert!(offset > 0 && offset <= 300_000, "{offset}");
            c.reply("350 ok");
            c.expect("RETR f.bin");
            c.reply("150 go");
            let mut d = c.accept_data();
            d.write_all(&w[offset..]).unwrap();
            drop(d);
            c.reply("226 done");
        }
    });
    let dir = tmpdir("retry");
    let target = dir.join("f.bin");
    let mut s = session(&server);
    s.set_retry(3, Duration::from_millis(10));
    s.download_file("f.bin", &target, opts()).unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), want);
    server.finish();
}

#[test]
fn retry_after_a_reset_mid_upload_is_byte_exact() {
    let want = data(3_000_000);
    let w = want.clone();
    let server = ScriptedServer::start_sessions(2, move |i, c| {
        c.greet_and_login();
        if i == 0 {
            c.exchange("PWD", "257 \"/\"");
            c.exchange("TYPE I", "200 ok");
            c.answer_epsv();
            c.expect("STOR up.bin");
            c.reply("150 send");
            let mut d = c.accept_data();
            let mut got = vec![0u8; 100_000];
            d.read_exact(&mut got).unwrap();
            assert_eq!(got, &w[..100_000]);
            Conn::reset(d);
            c.reply("426 Connection closed; transfer aborted");
            let _ = c.read_cmd();
        } else {
            c.exchange("CWD /", "250 ok");
            c.exchange("TYPE I", "200 ok");
            c.exchange("SIZE up.bin", "213 100000");
            let got = receive_file(c, "APPE up.bin");
            assert_eq!(got, &w[100_000..]);
        }
    });
    let dir = tmpdir("uretry");
    let src = dir.join("up.bin");
    std::fs::write(&src, &want).unwrap();
    let mut s = session(&server);
    s.set_retry(2, Duration::from_millis(10));
    s.upload_file(&src, "up.bin", opts()).unwrap();
    server.finish();
}

#[test]
fn no_retry_after_a_5xx() {
    let server = ScriptedServer::start_sessions(1, |_, c| {
        c.greet_and_login();
        c.exchange("PWD", "257 \"/\"");
        c.exchange("TYPE I", "200 ok");
        c.answer_epsv();
        c.exchange("RETR nope", "550 no such file");
        c.exchange("NOOP", "200 still here");
    });
    let dir = tmpdir("noretry");
    let mut s = session(&server);
    s.set_retry(5, Duration::from_millis(1));
    let e = s
        .download_file("nope", &dir.join("nope"), opts())
        .unwrap_err();
    assert!(matches!(&e, Error::Perm(r) if r.code == 550), "{e}");
    assert_eq!(s.voidcmd("NOOP").unwrap().code, 200);
    let seen = server.finish();
    assert!(seen.iter().all(|c| c.starts_with("0:")), "{seen:?}");
}

#[test]
fn makedirs_and_remove_tree() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("MKD /a", "550 exists");
        c.exchange("PWD", "257 \"/home\"");
        c.exchange("CWD /a", "250 ok");
        c.exchange("CWD /home", "250 ok");
        c.exchange("MKD /a/b", "257 \"/a/b\" created");
        c.exchange("MKD /a/b/c", "257 \"/a/b/c\" created");
        // A file in the way.
        c.exchange("MKD x", "550 exists");
        c.exchange("PWD", "257 \"/home\"");
        c.exchange("CWD x", "550 not a directory");
        // remove_tree t: a dir holding sub/ (with g.txt), f.txt and a link.
        c.exchange("DELE t", "550 is a directory");
        c.exchange("TYPE A", "200 ok");
        c.answer_epsv();
        c.exchange("LIST t", "150 listing");
        let mut d = c.accept_data();
        d.write_all(
            b"drwxr-xr-x 2 u g 4096 Jan 01 2020 sub\r\n\
              -rw-r--r-- 1 u g 5 Jan 01 2020 f.txt\r\n\
              lrwxrwxrwx 1 u g 3 Jan 01 2020 l -> /etc\r\n",
        )
        .unwrap();
        drop(d);
        c.reply("226 done");
        c.answer_epsv();
        c.exchange("LIST t/sub", "150 listing");
        let mut d = c.accept_data();
        d.write_all(b"-rw-r--r-- 1 u g 5 Jan 01 2020 g.txt\r\n")
            .unwrap();
        drop(d);
        c.reply("226 done");
        c.exchange("DELE t/sub/g.txt", "250 ok");
        c.exchange("RMD t/sub", "250 ok");
        c.exchange("DELE t/f.txt", "250 ok");
        c.exchange("DELE t/l", "250 ok");
        c.exchange("RMD t", "250 ok");
        c.exchange("NOOP", "200 ok");
    });
    let mut s = session(&server);
    s.makedirs("/a/b/c").unwrap();
    let e = s.makedirs("x").unwrap_err();
    assert!(matches!(&e, Error::Perm(r) if r.code == 550), "{e}");
    for bad in ["", "/", "//", "/.", ".", "a/..", "/./"] {
        assert_eq!(
            s.remove_tree(bad).unwrap_err().kind(),
            ErrorKind::InvalidArgument,
            "{bad:?}"
        );
    }
    s.remove_tree("t").unwrap();
    s.voidcmd("NOOP").unwrap();
    server.finish();
}

#[test]
fn checksum_by_hash_and_x() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.login_answering_feat("211-Features:\r\n HASH SHA-1*;MD5\r\n XCRC\r\n XSHA256\r\n211 End");
        c.exchange("OPTS HASH SHA-1", "200 SHA-1");
        c.exchange(
            "HASH a b.txt",
            "213-Computing\r\n213 SHA-1 0-3 A9993E364706816ABA3E25717850C26C9CD0D89D a b.txt",
        );
        c.exchange("XCRC a", "250 352441C2");
        c.exchange("XSHA256 a", "500 no");
    });
    let mut s = session(&server);
    let (algo, hex) = s.checksum("a b.txt", None).unwrap();
    assert_eq!(algo, HashAlgo::Sha1);
    assert_eq!(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_eq!(
        s.checksum("a", Some(HashAlgo::Crc32)).unwrap().1,
        "352441c2"
    );
    let e = s.checksum("a", Some(HashAlgo::Sha256)).unwrap_err();
    assert!(matches!(&e, Error::Perm(r) if r.code == 500), "{e}");
    server.finish();
}

/// What a progress sink saw: (path, bytes, offset, total) per call.
type Seen = std::sync::Arc<std::sync::Mutex<Vec<(String, u64, u64, Option<u64>)>>>;

fn watch(s: &mut Session) -> Seen {
    let seen: Seen = Default::default();
    let sink = seen.clone();
    s.set_progress(
        Some(Box::new(move |p: &ftp::Progress| {
            sink.lock()
                .unwrap()
                .push((p.path.to_string(), p.bytes, p.offset, p.total));
            Ok(())
        })),
        Duration::ZERO,
    );
    seen
}

/// Whole-file calls report progress like every transfer: the remote name,
/// from bytes 0 to all the bytes moved, the REST offset, and the whole
/// file's size (from SIZE when resuming a download, the local file's for
/// an upload).
#[test]
fn whole_file_calls_report_progress() {
    let want = data(150_000);
    let w = want.clone();
    let server = ScriptedServer::start(move |c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 ok");
        c.exchange("SIZE dir/f.bin", &format!("213 {}", w.len()));
        c.answer_epsv();
        c.exchange("REST 1000", "350 restarting");
        c.expect("RETR dir/f.bin");
        c.reply("150 go");
        let mut d = c.accept_data();
        d.write_all(&w[1000..]).unwrap();
        drop(d);
        c.reply("226 done");
        let got = receive_file(c, "STOR up.bin");
        assert_eq!(got, w);
        c.exchange("QUIT", "221 bye");
    });
    let dir = tmpdir("progress");
    let target = dir.join("f.bin");
    std::fs::write(&target, &want[..1000]).unwrap();
    let mut s = session(&server);
    let seen = watch(&mut s);
    let o = FileOptions {
        resume: true,
        ..opts()
    };
    s.download_file("dir/f.bin", &target, o).unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), want);
    let calls = std::mem::take(&mut *seen.lock().unwrap());
    let first = calls.first().unwrap();
    let last = calls.last().unwrap();
    assert_eq!(first, &("dir/f.bin".to_string(), 0, 1000, Some(150_000)));
    assert_eq!(
        last,
        &("dir/f.bin".to_string(), 149_000, 1000, Some(150_000))
    );
    assert!(
        calls.windows(2).all(|w| w[0].1 <= w[1].1),
        "monotone: {calls:?}"
    );

    s.upload_file(&target, "up.bin", opts()).unwrap();
    let calls = std::mem::take(&mut *seen.lock().unwrap());
    assert_eq!(
        calls.first().unwrap(),
        &("up.bin".to_string(), 0, 0, Some(150_000))
    );
    assert_eq!(
        calls.last().unwrap(),
        &("up.bin".to_string(), 150_000, 0, Some(150_000))
    );
    s.quit().unwrap();
    server.finish();
}

/// A checksum asked in an algorithm HASH advertises but then refuses:
/// its X command is tried, and that command's refusal is the error (not
/// a vague "not understood").
#[test]
fn checksum_refused_by_hash_and_x_gives_the_servers_refusal() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.login_answering_feat("211-Features:\r\n HASH SHA-256*;MD5\r\n211 End");
        c.exchange("OPTS HASH MD5", "501 MD5 is switched off here");
        c.exchange("XMD5 f", "502 XMD5 not implemented");
    });
    let mut s = session(&server);
    let e = s.checksum("f", Some(HashAlgo::Md5)).unwrap_err();
    assert!(matches!(&e, Error::Perm(r) if r.code == 502), "{e}");
    assert!(e.to_string().contains("XMD5 not implemented"), "{e}");
    server.finish();
}

/// An upload with VERIFY and KEEP_MTIME on a server that advertises XMD5
/// but does not understand it: the size is compared, and then the time
/// too (here it differs: Verify).
#[test]
fn upload_verify_by_size_checks_the_time_too() {
    let want = data(5_000);
    let w = want.clone();
    let server = ScriptedServer::start(move |c| {
        c.reply("220 hi");
        c.login_answering_feat("211-Features:\r\n MDTM\r\n MFMT\r\n XMD5\r\n211 End");
        c.exchange("TYPE I", "200 ok");
        let got = receive_file(c, "STOR up.bin");
        assert_eq!(got, w);
        c.exchange(
            "MFMT 20170714024000 up.bin",
            "213 Modify=20170714024000; up.bin",
        );
        c.exchange("XMD5 up.bin", "500 XMD5 not understood");
        c.exchange("SIZE up.bin", &format!("213 {}", w.len()));
        // The server did not keep the time it was given.
        c.exchange("MDTM up.bin", "213 20200101000000");
    });
    let dir = tmpdir("umtime");
    let src = dir.join("up.bin");
    std::fs::write(&src, &want).unwrap();
    let f = std::fs::OpenOptions::new().write(true).open(&src).unwrap();
    f.set_modified(std::time::UNIX_EPOCH + Duration::from_secs(1_500_000_000))
        .unwrap();
    drop(f);
    let mut s = session(&server);
    let o = FileOptions {
        verify: true,
        keep_mtime: true,
        ..opts()
    };
    let e = s.upload_file(&src, "up.bin", o).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Verify, "{e}");
    assert!(e.to_string().contains("modification time"), "{e}");
    server.finish();
}
