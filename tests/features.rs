//! FEAT (RFC 2389) against scripted servers: parsed, asked once per
//! connection, asked again after a reconnect, refusals advertise nothing.
//! Real servers: tests/c/test_servers.c checks `ftp_has_feature` on all
//! four.

use ftp::Session;
use ftp_testkit::ScriptedServer;
use std::time::Duration;

fn session(port: u16) -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.connect("127.0.0.1", port).unwrap();
    s.login("user", "pw", "").unwrap();
    s
}

/// One connection: FEAT once, then the cached answer; QUIT.
fn feat_server() -> ScriptedServer {
    ScriptedServer::start(|c| {
        c.greet_and_login();
        c.expect("FEAT");
        c.send_raw(
            b"211-Features:\r\n MDTM\r\n MLST type*;size*;modify*;\r\n REST STREAM\r\n \
              UTF8\r\n211 End\r\n",
        );
        // The cached answers send nothing: the next command is NOOP.
        c.exchange("NOOP", "200 ok");
        c.exchange("QUIT", "221 bye");
    })
}

#[test]
fn asked_once_per_connection_and_again_after_a_reconnect() {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    for _ in 0..2 {
        // The same session object, connected anew each time.
        let server = feat_server();
        s.connect("127.0.0.1", server.port()).unwrap();
        s.login("user", "pw", "").unwrap();
        assert_eq!(
            s.feature("mlst").unwrap().as_deref(),
            Some("type*;size*;modify*;")
        );
        assert_eq!(s.last_reply().map(|r| r.code), Some(211));
        assert_eq!(s.feature("REST").unwrap().as_deref(), Some("STREAM"));
        assert!(s.last_reply().is_none(), "a cached answer reads no reply");
        assert_eq!(s.feature("Utf8").unwrap().as_deref(), Some(""));
        assert_eq!(s.feature("MLSD").unwrap(), None);
        s.voidcmd("NOOP").unwrap();
        s.quit().unwrap();
        server.finish();
    }
}

#[test]
fn a_refused_feat_advertises_nothing() {
    for refusal in [
        "500 FEAT not understood",
        "502 not implemented",
        "211 no features",
    ] {
        let server = ScriptedServer::start(move |c| {
            c.greet_and_login();
            c.exchange("FEAT", refusal);
            c.exchange("NOOP", "200 in step");
            c.exchange("QUIT", "221 bye");
        });
        let mut s = session(server.port());
        assert_eq!(s.feature("MDTM").unwrap(), None, "{refusal}");
        assert_eq!(s.features().unwrap().iter().count(), 0);
        assert_eq!(s.voidcmd("NOOP").unwrap().text, "200 in step");
        s.quit().unwrap();
        server.finish();
    }
}
