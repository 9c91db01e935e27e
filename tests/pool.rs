//! The session pool: many threads sharing one pool against vsftpd (plain
//! and FTPS with require_ssl_reuse), broken sessions replaced (scripted
//! servers), and the bounded wait when every session is lent.

mod realservers;

use realservers::env;

use ftp::tls::TlsConfig;
use ftp::{Error, ErrorKind, Pool};
use ftp_testkit::ScriptedServer;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

fn scratch(tag: &str) -> PathBuf {
    realservers::scratch("pool", tag)
}

/// Each of `threads` threads downloads `rounds` times every fixture of
/// pub/ through the pool, byte-exact.
fn download_everything(pool: &Pool, root: &Path, dir: &Path, threads: usize, rounds: usize) {
    let files = [
        "big.bin",
        "hello.txt",
        "lines.txt",
        "empty.bin",
        "subdir/nested.txt",
    ];
    std::thread::scope(|scope| {
        for t in 0..threads {
            scope.spawn(move || {
                for r in 0..rounds {
                    for (i, f) in files.iter().enumerate() {
                        let local = dir.join(format!("t{t}-r{r}-{i}"));
                        let mut s = pool.session().unwrap();
                        s.run(|s| s.download_file(f, &local, Default::default()))
                            .unwrap_or_else(|e| panic!("thread {t}: {f}: {e}"));
                        drop(s);
                        let want = std::fs::read(root.join("pub").join(f)).unwrap();
                        assert!(std::fs::read(&local).unwrap() == want, "{f} differs");
                        std::fs::remove_file(&local).unwrap();
                    }
                }
            });
        }
    });
}

#[test]
fn eight_threads_share_a_pool_of_four() {
    let (Some(port), Some(root)) = (env("FTP_TEST_VSFTPD_PORT"), env("FTP_TEST_VSFTPD_ROOT"))
    else {
        return;
    };
    let pool = Pool::new(&format!("ftp://127.0.0.1:{port}/pub"), None, 4).unwrap();
    assert_eq!(
        pool.open_sessions(),
        0,
        "nothing is opened before it is needed"
    );
    let dir = scratch("eight");
    download_everything(&pool, Path::new(&root), &dir, 8, 2);
    assert!(pool.peak_sessions() <= 4, "peak {}", pool.peak_sessions());
    assert!(
        pool.peak_sessions() >= 2,
        "the threads did share sessions at once"
    );
    assert_eq!(
        pool.sessions_opened() as usize,
        pool.peak_sessions(),
        "none replaced"
    );
    assert_eq!(pool.idle_sessions(), pool.open_sessions());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn ftps_pool_of_eight_sessions_at_once_with_ssl_reuse() {
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
    let dir = scratch("ftps");
    let all_lent = Barrier::new(8);
    let want = std::fs::read(Path::new(&root).join("pub/big.bin")).unwrap();
    std::thread::scope(|scope| {
        for t in 0..8 {
            let (pool, dir, all_lent, want) = (&pool, &dir, &all_lent, &want);
            scope.spawn(move || {
                let mut s = pool.session().unwrap();
                assert!(s.control_secured() && s.data_protected());
                // Every thread holds its session: 8 connections at once.
                all_lent.wait();
                let local = dir.join(format!("big-{t}"));
                s.run(|s| s.download_file("big.bin", &local, Default::default()))
                    .unwrap();
                assert!(std::fs::read(&local).unwrap() == *want, "thread {t}");
            });
        }
    });
    assert_eq!(pool.peak_sessions(), 8);
    assert_eq!(pool.idle_sessions(), 8);
    // Borrowing again reuses them.
    drop(pool.session().unwrap());
    assert_eq!(pool.sessions_opened(), 8);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_broken_session_is_replaced() {
    let (closed_tx, closed_rx) = mpsc::channel();
    let server = ScriptedServer::start_sessions(3, move |i, c| {
        c.greet_and_login();
        match i {
            // Answers, then goes away while the session is idle in the pool.
            0 => {
                c.exchange("NOOP", "200 first");
                c.shutdown_write();
                closed_tx.send(()).unwrap();
                c.expect_eof();
            }
            // Goes away in the middle of the session's use.
            1 => {
                c.expect("NOOP");
            }
            _ => {
                c.exchange("NOOP", "200 third");
                c.exchange("QUIT", "221 bye");
            }
        }
    });
    let pool = Pool::new(&format!("ftp://127.0.0.1:{}", server.port()), None, 1).unwrap();
    pool.set_timeout(Some(Duration::from_secs(5)));
    let mut s = pool.session().unwrap();
    assert_eq!(s.run(|s| s.voidcmd("NOOP")).unwrap().code, 200);
    drop(s);
    closed_rx.recv().unwrap();
    std::thread::sleep(Duration::from_millis(50));
    // The idle session's connection was closed: a new one is opened.
    let mut s = pool.session().unwrap();
    assert_eq!(pool.sessions_opened(), 2);
    let e = s.run(|s| s.voidcmd("NOOP")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Eof, "{e}");
    assert!(s.is_broken());
    drop(s);
    assert_eq!(
        pool.open_sessions(),
        0,
        "the broken session's place is free"
    );
    let mut s = pool.session().unwrap();
    assert_eq!(pool.sessions_opened(), 3);
    assert_eq!(s.run(|s| s.voidcmd("NOOP")).unwrap().text, "200 third");
    s.quit().unwrap();
    drop(s);
    assert_eq!(
        pool.open_sessions(),
        0,
        "a session closed by its user is not kept"
    );
    assert_eq!(pool.peak_sessions(), 1);
    server.finish();
}

#[test]
fn waiting_for_a_free_session_is_bounded_by_the_timeout() {
    // One session (a scripted server serves one connection at a time).
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.discard_until_close();
    });
    let pool = Pool::new(&format!("ftp://127.0.0.1:{}", server.port()), None, 1).unwrap();
    pool.set_timeout(Some(Duration::from_millis(300)));
    let a = pool.session().unwrap();
    let start = Instant::now();
    let e = pool.session().unwrap_err();
    let waited = start.elapsed();
    assert!(matches!(e, Error::Timeout(_)), "{e}");
    assert!(
        waited >= Duration::from_millis(290) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
    // A session returned during the wait is taken at once.
    let pool2 = pool.clone();
    let waiter = std::thread::spawn(move || pool2.session().map(|_| ()));
    std::thread::sleep(Duration::from_millis(50));
    drop(a);
    waiter.join().unwrap().unwrap();
    assert_eq!(pool.sessions_opened(), 1);
    drop(pool);
    server.finish();
}

#[test]
fn bad_urls_and_sizes_are_refused_without_connecting() {
    for (url, max, needle) in [
        ("http://h/", 1, "unsupported URL scheme"),
        ("ftp://h:0/", 1, "bad port"),
        ("ftp://h/", 0, "max_sessions is 0"),
    ] {
        match Pool::new(url, None, max) {
            Err(Error::InvalidArgument(why)) => assert!(why.contains(needle), "{why}"),
            other => panic!("{url}: {other:?}"),
        }
    }
}

#[test]
fn a_failed_open_frees_its_place() {
    // A port nobody listens on: connecting fails, twice, with no place lost.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let pool = Pool::new(&format!("ftp://127.0.0.1:{port}"), None, 1).unwrap();
    assert!(pool.session().is_err());
    assert!(pool.session().is_err());
    assert_eq!(pool.open_sessions(), 0);
    let _ = Arc::new(pool);
}
