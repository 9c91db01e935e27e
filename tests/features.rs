//! FEAT (RFC 2389) against scripted servers: parsed, asked once per
//! connection, asked again after a reconnect, refusals advertise nothing.
//! A UTF-8 session (the default) asks FEAT as part of its login (see
//! tests/utf8_login.rs); a latin-1 session asks it on the first
//! `feature` call. Real servers: tests/c/test_servers.c checks
//! `ftp_has_feature` on all four.

use ftp::{Encoding, Session};
use ftp_testkit::ScriptedServer;
use std::time::Duration;

/// The FEAT reply of these scenarios (UTF8 among them).
const FEATURES: &str = "211-Features:\r\n MDTM\r\n MLST type*;size*;modify*;\r\n REST STREAM\r\n \
                        UTF8\r\n211 End";

fn session(port: u16, encoding: Encoding) -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_encoding(encoding);
    s.connect("127.0.0.1", port).unwrap();
    s.login("user", "pw", "").unwrap();
    s
}

/// The cached answers of `s` (FEAT already asked on this connection).
fn check_cached_answers(s: &mut Session) {
    assert_eq!(
        s.feature("mlst").unwrap().as_deref(),
        Some("type*;size*;modify*;")
    );
    assert!(s.last_reply().is_none(), "a cached answer reads no reply");
    assert_eq!(s.feature("REST").unwrap().as_deref(), Some("STREAM"));
    assert!(s.last_reply().is_none(), "a cached answer reads no reply");
    assert_eq!(s.feature("Utf8").unwrap().as_deref(), Some(""));
    assert_eq!(s.feature("MLSD").unwrap(), None);
}

/// UTF-8 session: FEAT once, at login (then OPTS UTF8 ON), and the cached
/// answer for every later `feature` call; QUIT. Twice, on two connections
/// of the same session object.
#[test]
fn utf8_session_asks_at_login_once_per_connection_and_again_after_a_reconnect() {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    for _ in 0..2 {
        let server = ScriptedServer::start(|c| {
            c.reply("220 ready");
            c.login_answering_feat(FEATURES);
            c.exchange("OPTS UTF8 ON", "200 UTF8 set to on");
            // The cached answers send nothing: the next command is NOOP.
            c.exchange("NOOP", "200 ok");
            c.exchange("QUIT", "221 bye");
        });
        s.connect("127.0.0.1", server.port()).unwrap();
        assert_eq!(s.login("user", "pw", "").unwrap().text, "230 logged in");
        assert_eq!(s.last_reply().map(|r| r.code), Some(230));
        check_cached_answers(&mut s);
        s.voidcmd("NOOP").unwrap();
        s.quit().unwrap();
        assert_eq!(
            server.finish(),
            [
                "USER user",
                "PASS pw",
                "FEAT",
                "OPTS UTF8 ON",
                "NOOP",
                "QUIT"
            ]
        );
    }
}

/// Latin-1 session: login sends no FEAT; the first `feature` call does
/// (its reply is the last reply), later ones answer from the cache.
#[test]
fn latin1_session_asks_on_the_first_feature_call() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 ready");
        c.exchange("USER", "331 password please");
        c.exchange("PASS", "230 logged in");
        c.exchange("FEAT", FEATURES);
        c.exchange("NOOP", "200 ok");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = session(server.port(), Encoding::Latin1);
    assert_eq!(s.feature("MDTM").unwrap().as_deref(), Some(""));
    assert_eq!(s.last_reply().map(|r| r.code), Some(211));
    check_cached_answers(&mut s);
    s.voidcmd("NOOP").unwrap();
    s.quit().unwrap();
    assert_eq!(
        server.finish(),
        ["USER user", "PASS pw", "FEAT", "NOOP", "QUIT"]
    );
}

#[test]
fn a_refused_feat_advertises_nothing() {
    for refusal in [
        "500 FEAT not understood",
        "502 not implemented",
        "211 no features",
    ] {
        for encoding in [Encoding::Utf8, Encoding::Latin1] {
            // UTF-8: FEAT at login (refused: no OPTS); latin-1: FEAT at
            // the first feature call. Either way it is asked once.
            let server = ScriptedServer::start(move |c| {
                c.reply("220 ready");
                c.exchange("USER", "331 password please");
                c.exchange("PASS", "230 logged in");
                c.exchange("FEAT", refusal);
                c.exchange("NOOP", "200 in step");
                c.exchange("QUIT", "221 bye");
            });
            let mut s = session(server.port(), encoding);
            assert_eq!(s.feature("MDTM").unwrap(), None, "{refusal}");
            assert_eq!(s.features().unwrap().iter().count(), 0);
            assert!(s.last_reply().is_none(), "answered from the cache");
            assert_eq!(s.voidcmd("NOOP").unwrap().text, "200 in step");
            s.quit().unwrap();
            assert_eq!(
                server.finish(),
                ["USER user", "PASS pw", "FEAT", "NOOP", "QUIT"],
                "{refusal} {encoding:?}"
            );
        }
    }
}
