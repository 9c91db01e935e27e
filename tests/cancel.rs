//! Cancelling a running call from another thread (`Session::cancel_token`,
//! the core of `ftp_session_cancel`): every kind of wait, against the
//! `cancel-*` scenarios of `ftp_testkit::scenarios` (the C twin is
//! `tests/c/test_cancel.c`). Each test checks the error class, what data
//! arrived, and that the session is then in step (the owed reply is read
//! first by the next call, whose own reply is the one the caller sees) or
//! closed (`Error::State`).

use ftp::tls::TlsConfig;
use ftp::{CancelToken, Error, ErrorKind, Session, ZeroCopy};
use ftp_testkit::scenarios::{self, CANCEL_AFTER, CANCEL_SENT, CLIENT_TIMEOUT};
use ftp_testkit::ScriptedServer;
use std::io::{Read, Seek};
use std::os::fd::AsFd;
use std::thread::JoinHandle;

fn start(name: &str) -> ScriptedServer {
    ScriptedServer::start(scenarios::by_name(name).expect("unknown scenario"))
}

fn session(server: &ScriptedServer, login: bool) -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(CLIENT_TIMEOUT)).unwrap();
    s.connect("127.0.0.1", server.port()).unwrap();
    if login {
        s.login("user", "pw", "").unwrap();
    }
    s
}

/// Cancels `token` after [`CANCEL_AFTER`], from another thread.
fn cancel_later(token: &CancelToken) -> JoinHandle<()> {
    let token = token.clone();
    std::thread::spawn(move || {
        std::thread::sleep(CANCEL_AFTER);
        token.cancel();
    })
}

/// Runs `f` with a cancel coming from another thread; the call must fail
/// with `Error::Cancelled`. The token is reset afterwards (the C API does
/// that at the start of every call).
#[track_caller]
fn cancelled<T: std::fmt::Debug>(
    s: &mut Session,
    f: impl FnOnce(&mut Session) -> ftp::Result<T>,
) -> Error {
    let canceller = cancel_later(s.cancel_token());
    let r = f(s);
    canceller.join().unwrap();
    s.cancel_token().reset();
    match r {
        Err(e) if e.kind() == ErrorKind::Cancelled => e,
        other => panic!("expected a cancel, got {other:?}"),
    }
}

/// NOOP gets the scenario's "200 still in step", then QUIT 221.
#[track_caller]
fn assert_usable_then_quit(s: &mut Session) {
    let r = s.voidcmd("NOOP").expect("the session is in step");
    assert_eq!(r.text, "200 still in step");
    assert_eq!(s.quit().unwrap().code, 221);
}

#[test]
fn reply_wait() {
    let server = start("cancel-reply");
    let mut s = session(&server, true);
    let e = cancelled(&mut s, |s| s.voidcmd("NOOP"));
    assert!(e.to_string().contains("usable"), "{e}");
    assert!(s.is_connected());
    // The late reply of the cancelled NOOP is read first, then this one's.
    let r = s.voidcmd("NOOP").unwrap();
    assert_eq!(r.text, "200 second NOOP");
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn welcome_wait_closes() {
    let server = start("cancel-welcome");
    let mut s = Session::new();
    s.set_timeout(Some(CLIENT_TIMEOUT)).unwrap();
    cancelled(&mut s, |s| s.connect("127.0.0.1", server.port()));
    assert!(!s.is_connected());
    assert_eq!(s.voidcmd("NOOP").unwrap_err().kind(), ErrorKind::State);
    server.finish();
}

/// After cancel-download: the next NOOP reads the 426 first.
fn after_download(mut s: Session, server: ScriptedServer) {
    assert!(!s.transfer_open());
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn download_with_callback() {
    let server = start("cancel-download");
    let mut s = session(&server, true);
    let mut got = Vec::new();
    let e = cancelled(&mut s, |s| {
        s.retrbinary("RETR f", 0, None, |b| {
            got.extend_from_slice(b);
            Ok(())
        })
    });
    assert!(e.to_string().contains("transfer was stopped"), "{e}");
    assert_eq!(got, scenarios::payload(CANCEL_SENT));
    after_download(s, server);
}

#[test]
fn download_to_fd_splice_and_buffer() {
    for mode in [ZeroCopy::Auto, ZeroCopy::Never] {
        let server = start("cancel-download");
        let mut s = session(&server, true);
        s.set_zero_copy(mode);
        let path =
            std::env::temp_dir().join(format!("libftp-cancel-{}-{mode:?}", std::process::id()));
        let mut file = std::fs::File::options()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        cancelled(&mut s, |s| s.retr_to_fd("RETR f", file.as_fd(), None));
        file.rewind().unwrap();
        let mut got = Vec::new();
        file.read_to_end(&mut got).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(got, scenarios::payload(CANCEL_SENT), "{mode:?}");
        after_download(s, server);
    }
}

#[test]
fn download_through_a_transfer_handle() {
    let server = start("cancel-download");
    let mut s = session(&server, true);
    s.voidcmd("TYPE I").unwrap();
    let (mut conn, size) = s.ntransfercmd("RETR f", None).unwrap();
    assert_eq!(size, Some(1_000_000));
    let mut got = vec![0u8; CANCEL_SENT];
    let mut have = 0;
    while have < CANCEL_SENT {
        have += conn.read(&mut got[have..]).unwrap();
    }
    assert_eq!(got, scenarios::payload(CANCEL_SENT));
    let mut more = [0u8; 16];
    let canceller = cancel_later(s.cancel_token());
    let e = conn.read(&mut more).unwrap_err();
    canceller.join().unwrap();
    s.cancel_token().reset();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
    // The handle is intact; closing it early resets it, and the 426 follows.
    conn.abandon();
    let e = s.voidresp().unwrap_err();
    assert_eq!(e.reply().map(|r| r.code), Some(426));
    assert_usable_then_quit(&mut s);
    server.finish();
}

/// Offers [`scenarios::UPLOAD_OFFER`] bytes of the scenario payload.
fn payload_reader() -> impl FnMut(&mut [u8]) -> ftp::Result<usize> {
    let all = scenarios::payload(scenarios::UPLOAD_OFFER);
    let mut at = 0;
    move |buf: &mut [u8]| {
        let n = buf.len().min(all.len() - at);
        buf[..n].copy_from_slice(&all[at..at + n]);
        at += n;
        Ok(n)
    }
}

#[test]
fn upload_with_callback() {
    let server = start("cancel-upload");
    let mut s = session(&server, true);
    let read = payload_reader();
    cancelled(&mut s, |s| {
        s.storbinary("STOR f", 0, None, read, |_| Ok(()))
    });
    // The scenario checked the data connection ended in order, with a
    // prefix of the payload; the 226 is read by this NOOP first.
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn upload_from_fd_buffer_and_sendfile() {
    let path = std::env::temp_dir().join(format!("libftp-cancel-up-{}", std::process::id()));
    std::fs::write(&path, scenarios::payload(scenarios::UPLOAD_OFFER)).unwrap();
    for mode in [ZeroCopy::Never, ZeroCopy::Always] {
        let server = start("cancel-upload");
        let mut s = session(&server, true);
        s.set_zero_copy(mode);
        let file = std::fs::File::open(&path).unwrap();
        cancelled(&mut s, |s| s.stor_from_fd("STOR f", file.as_fd(), None));
        assert_usable_then_quit(&mut s);
        server.finish();
    }
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn active_accept() {
    let server = start("cancel-active-accept");
    let mut s = session(&server, true);
    s.set_passive(false);
    let mut got = Vec::new();
    cancelled(&mut s, |s| {
        s.retrbinary("RETR f", 0, None, |b| {
            got.extend_from_slice(b);
            Ok(())
        })
    });
    assert!(got.is_empty());
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn tls_handshake_closes() {
    let server = start("cancel-tls-handshake");
    let mut s = Session::new_tls(TlsConfig::default());
    s.set_timeout(Some(CLIENT_TIMEOUT)).unwrap();
    s.connect("127.0.0.1", server.port()).unwrap();
    let e = cancelled(&mut s, |s| s.auth());
    assert!(e.to_string().contains("TLS handshake"), "{e}");
    assert!(!s.is_connected());
    assert_eq!(s.voidcmd("NOOP").unwrap_err().kind(), ErrorKind::State);
    server.finish();
}

/// Many cancels at different moments of a reply wait: whatever the moment,
/// the replies stay matched to their commands. The server numbers its
/// replies; the debug output counts the NOOPs actually sent (a call
/// cancelled while it reads an owed reply sends none).
#[test]
fn storm_keeps_replies_matched() {
    let server = start("cancel-storm");
    let mut s = session(&server, true);
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counter = sent.clone();
    s.set_debug_level(1);
    s.set_debug_sink(Some(Box::new(move |line: &str| {
        if line.starts_with("*cmd*") && line.contains("NOOP") {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    })));
    let rounds = 150u32;
    let (mut cancels, mut answered) = (0, 0);
    for i in 0..rounds {
        let token = s.cancel_token().clone();
        let delay = std::time::Duration::from_millis(u64::from(i % 30));
        let canceller = std::thread::spawn(move || {
            std::thread::sleep(delay);
            token.cancel();
        });
        match s.voidcmd("NOOP") {
            Ok(r) => {
                let n = sent.load(std::sync::atomic::Ordering::SeqCst);
                assert_eq!(r.text, format!("200 reply {n}"));
                answered += 1;
            }
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
                cancels += 1;
            }
        }
        canceller.join().unwrap();
        s.cancel_token().reset();
    }
    assert!(cancels > 0, "no call was cancelled ({answered} answered)");
    let r = s.voidcmd("NOOP").unwrap();
    let n = sent.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(r.text, format!("200 reply {n}"));
    assert_eq!(s.quit().unwrap().code, 221);
    server.finish();
}
