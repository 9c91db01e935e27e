//! RFC 2640 at login (issue 12): a UTF-8 session sends FEAT after logging
//! in and, when the server advertises UTF8, `OPTS UTF8 ON`; a refusal is
//! not an error, a broken connection is; a latin-1 session sends neither.
//! Each scenario asserts the exact command sequence the server received.
//! The C side: tests/c/test_scripted.c (utf8_login); real servers:
//! tests/real_servers.rs (Pure-FTPd answers 504, pyftpdlib and ProFTPD
//! 200, vsftpd advertises no UTF8).

use ftp::{Encoding, Error, Session};
use ftp_testkit::{ScriptedServer, LOGIN_FEATURES};
use std::time::Duration;

/// A FEAT reply advertising UTF8 (as pyftpdlib's, ProFTPD's, Pure-FTPd's).
const WITH_UTF8: &str = "211-Features:\r\n EPSV\r\n MDTM\r\n SIZE\r\n UTF8\r\n211 End";

fn connected(server: &ScriptedServer, encoding: Encoding) -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_encoding(encoding);
    s.connect("127.0.0.1", server.port()).unwrap();
    s
}

/// Ends a session that must still be in step: NOOP 200, QUIT 221.
fn usable_end(s: &mut Session) {
    assert_eq!(s.voidcmd("NOOP").unwrap().text, "200 in step");
    assert_eq!(s.quit().unwrap().code, 221);
}

#[test]
fn opts_utf8_on_follows_a_feat_advertising_utf8() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 ready");
        c.login_answering_feat(WITH_UTF8);
        c.exchange("OPTS UTF8 ON", "200 Always in UTF8 mode.");
        // A second login on the same connection: FEAT is cached, OPTS
        // is sent again (the server may have reset its state).
        c.exchange("USER other", "331 password please");
        c.exchange("PASS pw2", "230 welcome back");
        c.exchange("OPTS UTF8 ON", "200 Always in UTF8 mode.");
        c.exchange("NOOP", "200 in step");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = connected(&server, Encoding::Utf8);
    let r = s.login("user", "pw", "").unwrap();
    assert_eq!((r.code, r.text.as_str()), (230, "230 logged in"));
    assert_eq!(s.last_reply().unwrap().text, "230 logged in");
    // Later feature questions are answered from the FEAT of the login.
    assert_eq!(s.feature("UTF8").unwrap().as_deref(), Some(""));
    assert_eq!(s.feature("size").unwrap().as_deref(), Some(""));
    assert!(s.last_reply().is_none(), "no second FEAT");
    assert_eq!(
        s.login("other", "pw2", "").unwrap().text,
        "230 welcome back"
    );
    assert_eq!(s.last_reply().unwrap().code, 230);
    usable_end(&mut s);
    assert_eq!(
        server.finish(),
        [
            "USER user",
            "PASS pw",
            "FEAT",
            "OPTS UTF8 ON",
            "USER other",
            "PASS pw2",
            "OPTS UTF8 ON",
            "NOOP",
            "QUIT"
        ]
    );
}

#[test]
fn a_refused_opts_utf8_is_not_an_error() {
    for refusal in [
        "504 Unknown command",
        "501 Invalid argument",
        "502 OPTS not implemented",
        "451 try later",
    ] {
        let server = ScriptedServer::start(move |c| {
            c.reply("220 ready");
            c.login_answering_feat(WITH_UTF8);
            c.exchange("OPTS UTF8 ON", refusal);
            c.exchange("NOOP", "200 in step");
            c.exchange("QUIT", "221 bye");
        });
        let mut s = connected(&server, Encoding::Utf8);
        let r = s.login("user", "pw", "").unwrap();
        assert_eq!(r.text, "230 logged in", "{refusal}");
        assert_eq!(s.last_reply().unwrap().text, "230 logged in", "{refusal}");
        usable_end(&mut s);
        assert_eq!(
            server.finish(),
            [
                "USER user",
                "PASS pw",
                "FEAT",
                "OPTS UTF8 ON",
                "NOOP",
                "QUIT"
            ],
            "{refusal}"
        );
    }
}

#[test]
fn no_opts_when_the_feat_reply_does_not_advertise_utf8() {
    for feat in [
        "500 FEAT not understood",
        "502 Command not implemented",
        "211 no features",
        LOGIN_FEATURES,
        // UTF8 only as a parameter of another feature.
        "211-Features:\r\n LANG EN*;UTF8\r\n211 End",
    ] {
        let server = ScriptedServer::start(move |c| {
            c.reply("220 ready");
            c.login_answering_feat(feat);
            c.exchange("NOOP", "200 in step");
            c.exchange("QUIT", "221 bye");
        });
        let mut s = connected(&server, Encoding::Utf8);
        assert_eq!(s.login("user", "pw", "").unwrap().code, 230, "{feat}");
        assert_eq!(s.last_reply().unwrap().code, 230, "{feat}");
        assert_eq!(s.feature("UTF8").unwrap(), None, "{feat}");
        usable_end(&mut s);
        assert_eq!(
            server.finish(),
            ["USER user", "PASS pw", "FEAT", "NOOP", "QUIT"],
            "{feat}"
        );
    }
}

#[test]
fn a_latin1_session_sends_neither_feat_nor_opts() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 ready");
        c.exchange("USER", "331 password please");
        c.exchange("PASS", "230 logged in");
        c.exchange("NOOP", "200 in step");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = connected(&server, Encoding::Latin1);
    assert_eq!(s.login("user", "pw", "").unwrap().text, "230 logged in");
    assert_eq!(s.last_reply().unwrap().code, 230);
    usable_end(&mut s);
    assert_eq!(server.finish(), ["USER user", "PASS pw", "NOOP", "QUIT"]);
}

#[test]
fn a_feat_asked_before_login_is_not_asked_again() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 ready");
        c.exchange("FEAT", WITH_UTF8);
        c.exchange("USER", "331 password please");
        c.exchange("PASS", "230 logged in");
        c.exchange("OPTS UTF8 ON", "200 ok");
        c.exchange("NOOP", "200 in step");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = connected(&server, Encoding::Utf8);
    assert!(s.features().unwrap().has("utf8"));
    assert_eq!(s.login("user", "pw", "").unwrap().code, 230);
    usable_end(&mut s);
    assert_eq!(
        server.finish(),
        [
            "FEAT",
            "USER user",
            "PASS pw",
            "OPTS UTF8 ON",
            "NOOP",
            "QUIT"
        ]
    );
}

/// A failed login (530) sends nothing more.
#[test]
fn a_failed_login_sends_no_feat() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 ready");
        c.exchange("USER", "331 password please");
        c.exchange("PASS", "530 Login incorrect.");
        c.exchange("NOOP", "200 in step");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = connected(&server, Encoding::Utf8);
    match s.login("user", "pw", "") {
        Err(Error::Perm(r)) => assert_eq!(r.text, "530 Login incorrect."),
        other => panic!("{other:?}"),
    }
    usable_end(&mut s);
    assert_eq!(server.finish(), ["USER user", "PASS pw", "NOOP", "QUIT"]);
}

/// The connection drops instead of the FEAT reply, in the middle of it,
/// or instead of OPTS's reply: login fails with EOF, the last reply is
/// still the login's, and the session is closed (the next call is a State
/// error and sends nothing).
#[test]
fn a_connection_dropped_after_login_fails_the_login() {
    type Script = fn(&mut ftp_testkit::Conn);
    let cases: [(&str, Script, &[&str]); 3] = [
        (
            "no FEAT reply",
            |c| {
                c.reply("220 ready");
                c.exchange("USER", "331 password please");
                c.exchange("PASS", "230 logged in");
                c.expect("FEAT");
                c.shutdown_write();
                c.expect_eof();
            },
            &["USER user", "PASS pw", "FEAT"],
        ),
        (
            "FEAT reply cut",
            |c| {
                c.reply("220 ready");
                c.exchange("USER", "331 password please");
                c.exchange("PASS", "230 logged in");
                c.expect("FEAT");
                c.send_raw(b"211-Features:\r\n UTF8\r\n");
                c.shutdown_write();
                c.expect_eof();
            },
            &["USER user", "PASS pw", "FEAT"],
        ),
        (
            "no OPTS reply",
            |c| {
                c.reply("220 ready");
                c.login_answering_feat(WITH_UTF8);
                c.expect("OPTS UTF8 ON");
                c.shutdown_write();
                c.expect_eof();
            },
            &["USER user", "PASS pw", "FEAT", "OPTS UTF8 ON"],
        ),
    ];
    for (what, script, sequence) in cases {
        let server = ScriptedServer::start(script);
        let mut s = connected(&server, Encoding::Utf8);
        match s.login("user", "pw", "") {
            Err(Error::Eof(_)) => {}
            other => panic!("{what}: {other:?}"),
        }
        // No reply was read after the login's: it stays the last one.
        assert_eq!(s.last_reply().unwrap().text, "230 logged in", "{what}");
        assert!(!s.is_connected(), "{what}");
        assert!(matches!(s.voidcmd("NOOP"), Err(Error::State(_))), "{what}");
        assert_eq!(server.finish(), sequence, "{what}");
    }
}

/// A 421 to FEAT or to OPTS closes the connection: login fails with it.
#[test]
fn a_421_after_login_fails_the_login() {
    for opts in [false, true] {
        let server = ScriptedServer::start(move |c| {
            c.reply("220 ready");
            c.exchange("USER", "331 password please");
            c.exchange("PASS", "230 logged in");
            if opts {
                c.exchange("FEAT", WITH_UTF8);
                c.expect("OPTS UTF8 ON");
            } else {
                c.expect("FEAT");
            }
            c.reply("421 closing");
            c.shutdown_write();
            c.expect_eof();
        });
        let mut s = connected(&server, Encoding::Utf8);
        match s.login("user", "pw", "") {
            Err(Error::Temp(r)) => assert_eq!(r.text, "421 closing", "opts {opts}"),
            other => panic!("opts {opts}: {other:?}"),
        }
        assert_eq!(s.last_reply().unwrap().code, 421);
        assert!(!s.is_connected(), "opts {opts}");
        assert_eq!(server.finish().len(), 3 + usize::from(opts));
    }
}

/// A server that never answers FEAT: the session timeout, as for any
/// reply, and the session is closed.
#[test]
fn a_silent_server_after_login_times_out() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 ready");
        c.exchange("USER", "331 password please");
        c.exchange("PASS", "230 logged in");
        c.expect("FEAT");
        c.expect_eof();
    });
    let mut s = connected(&server, Encoding::Utf8);
    s.set_timeout(Some(Duration::from_millis(300))).unwrap();
    match s.login("user", "pw", "") {
        Err(Error::Timeout(_)) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(s.last_reply().unwrap().text, "230 logged in");
    assert!(!s.is_connected());
    assert_eq!(server.finish(), ["USER user", "PASS pw", "FEAT"]);
}

/// OPTS answered with something that is neither a success nor a refusal
/// (a 3xx, or not an FTP reply): an error, as for voidcmd; the line was
/// read whole, so the session stays in step.
#[test]
fn an_odd_opts_reply_is_an_error() {
    for odd in ["331 what?", "HTTP/1.1 400 Bad Request"] {
        let server = ScriptedServer::start(move |c| {
            c.reply("220 ready");
            c.login_answering_feat(WITH_UTF8);
            c.exchange("OPTS UTF8 ON", odd);
            c.exchange("NOOP", "200 in step");
            c.exchange("QUIT", "221 bye");
        });
        let mut s = connected(&server, Encoding::Utf8);
        match (odd, s.login("user", "pw", "")) {
            ("331 what?", Err(Error::Reply(r))) => assert_eq!(r.code, 331),
            ("HTTP/1.1 400 Bad Request", Err(Error::Proto(_))) => {}
            (_, other) => panic!("{odd}: {other:?}"),
        }
        assert_eq!(s.last_reply().unwrap().text, odd);
        usable_end(&mut s);
        server.finish();
    }
}
