//! A REST whose transfer never started (its reply wait cancelled, or the
//! transfer command refused) may leave the restart marker on the server:
//! the next transfer without REST sends `REST 0` first, so it is never
//! silently started at the old offset.

use ftp::{ErrorKind, Session};
use ftp_testkit::{Conn, ScriptedServer};
use std::io::Write;
use std::time::Duration;

fn session(server: &ScriptedServer) -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(10))).unwrap();
    s.connect("127.0.0.1", server.port()).unwrap();
    s.login("u", "p", "").unwrap();
    s
}

/// RETR f after `rest_first` (the REST the server must see first).
fn serve_retr(c: &mut Conn, rest_first: &str) {
    c.answer_epsv();
    c.exchange(rest_first, "350 restarting at 0");
    c.expect("RETR f");
    c.reply("150 here");
    let mut d = c.accept_data();
    d.write_all(b"0123456789abcdefghij").unwrap();
    drop(d);
    c.reply("226 done");
}

fn whole_file(s: &mut Session) -> Vec<u8> {
    let mut got = Vec::new();
    s.retrbinary("RETR f", 0, None, |b| {
        got.extend_from_slice(b);
        Ok(())
    })
    .unwrap();
    got
}

#[test]
fn a_cancelled_rest_is_cleared_before_the_next_transfer() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 binary");
        c.answer_epsv();
        c.expect("REST 10");
        // Late: the client cancels while waiting.
        std::thread::sleep(Duration::from_millis(600));
        c.reply("350 restarting at 10");
        serve_retr(c, "REST 0");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = session(&server);
    let token = s.cancel_token().clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        token.cancel();
    });
    let e = s.retrbinary("RETR f", 0, Some(10), |_| Ok(())).unwrap_err();
    canceller.join().unwrap();
    s.cancel_token().reset();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    // The owed 350 is read first; REST 0 then clears the marker.
    assert_eq!(whole_file(&mut s), b"0123456789abcdefghij");
    s.quit().unwrap();
    server.finish();
}

#[test]
fn a_refused_transfer_after_rest_is_followed_by_rest_0() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 binary");
        c.answer_epsv();
        c.exchange("REST 10", "350 restarting at 10");
        c.exchange("RETR missing", "550 no such file");
        serve_retr(c, "REST 0");
        // Once cleared, no more REST 0.
        c.answer_epsv();
        c.exchange("RETR f", "550 gone now");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = session(&server);
    let e = s
        .retrbinary("RETR missing", 0, Some(10), |_| Ok(()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Perm);
    assert_eq!(whole_file(&mut s), b"0123456789abcdefghij");
    let e = s.retrbinary("RETR f", 0, None, |_| Ok(())).unwrap_err();
    assert_eq!(e.reply().map(|r| r.code), Some(550));
    s.quit().unwrap();
    server.finish();
}
