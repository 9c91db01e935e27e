//! Pool::cancel (the core of ftp_pool_cancel), Pool::set_proxy and
//! Pool::set_netrc: a stalled download on a lent session is stopped, a
//! call waiting for a free session is released, the pool works again once
//! the cancelled calls have returned; sessions go through a pool's proxy
//! and log in with its netrc.

use ftp::{ErrorKind, Pool};
use ftp_testkit::proxy::{Kind, TestProxy};
use ftp_testkit::{Conn, ScriptedServer};
use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::Duration;

/// Logs in, then answers NOOPs ("200 noop N") until QUIT or the end.
fn noop_server(c: &mut Conn) {
    c.greet_and_login();
    noops(c);
}

/// Answers NOOPs ("200 noop N") until QUIT or the end.
fn noops(c: &mut Conn) {
    let mut n = 0;
    while let Some(cmd) = c.read_cmd() {
        if cmd == "QUIT" {
            c.reply("221 bye");
            return;
        }
        assert_eq!(cmd, "NOOP", "only NOOPs are sent");
        n += 1;
        c.reply(&format!("200 noop {n}"));
    }
}

/// Session 0: a RETR that sends 1000 bytes, then stalls until the client
/// ends the data connection; the 426 comes after. Session 1: NOOPs.
fn stalling_then_noops(i: usize, c: &mut Conn) {
    if i > 0 {
        return noop_server(c);
    }
    c.greet_and_login();
    c.exchange("TYPE I", "200 binary");
    c.answer_epsv();
    c.expect("RETR f");
    c.reply("150 go (1000000 bytes)");
    let mut d = c.accept_data();
    d.write_all(&[7u8; 1000]).unwrap();
    let _ = d.set_read_timeout(Some(Duration::from_secs(20)));
    let mut sink = [0u8; 4096];
    while matches!(d.read(&mut sink), Ok(n) if n > 0) {}
    drop(d);
    c.reply("426 data connection closed; transfer aborted");
    // Reused when the cancelled call read the 426 itself; closed by the
    // pool (which does not lend a session that owes a reply) otherwise.
    noops(c);
}

#[test]
fn cancel_stops_a_stalled_download_and_the_pool_goes_on() {
    let server = ScriptedServer::start_sessions(2, stalling_then_noops);
    let pool = Pool::new(&format!("ftp://u:p@127.0.0.1:{}", server.port()), None, 2).unwrap();
    let (started, first_block) = mpsc::channel();
    let (r, got) = std::thread::scope(|scope| {
        let call = scope.spawn(|| {
            let _call = pool.enter();
            let mut got = 0usize;
            let r = pool.session().unwrap().run(|s| {
                s.retrbinary("RETR f", 0, None, |b| {
                    got += b.len();
                    let _ = started.send(());
                    Ok(())
                })
            });
            (r, got)
        });
        first_block.recv().unwrap();
        pool.cancel();
        call.join().unwrap()
    });
    assert_eq!(r.unwrap_err().kind(), ErrorKind::Cancelled);
    assert_eq!(got, 1000, "the bytes before the stall arrived");
    // The call has returned: the pool lends again, a session in step (the
    // same one, or a new one when the cancelled one still owed the RETR's
    // reply).
    let mut s = pool.session().unwrap();
    assert_eq!(s.run(|s| s.voidcmd("NOOP")).unwrap().text, "200 noop 1");
    s.run(|s| s.quit()).unwrap();
    drop(s);
    if pool.sessions_opened() == 1 {
        // The script serves two sessions: the second is a plain one.
        let mut extra = ftp::Session::new();
        extra.connect("127.0.0.1", server.port()).unwrap();
        extra.login("u", "p", "").unwrap();
        extra.quit().unwrap();
    }
    assert!(pool.sessions_opened() <= 2);
    drop(pool);
    server.finish();
}

#[test]
fn cancel_releases_a_waiting_call_and_stops_the_lent_sessions() {
    let server = ScriptedServer::start_sessions(1, |_, c| noop_server(c));
    let pool = Pool::new(&format!("ftp://u:p@127.0.0.1:{}", server.port()), None, 1).unwrap();
    let (lent, is_lent) = mpsc::channel();
    let (go_on, may_go_on) = mpsc::channel::<()>();
    let pool = &pool;
    std::thread::scope(|scope| {
        // A holds the pool's only session.
        let a = scope.spawn(move || {
            let _call = pool.enter();
            let mut s = pool.session().unwrap();
            s.run(|s| s.voidcmd("NOOP")).unwrap();
            lent.send(()).unwrap();
            may_go_on.recv().unwrap();
            // Cancelled while lent: every later operation fails at once,
            // sending nothing.
            s.run(|s| s.voidcmd("NOOP")).unwrap_err().kind()
        });
        is_lent.recv().unwrap();
        // B waits for a free session (the pool's 30 s bound) until the cancel.
        let b = scope.spawn(|| {
            let _call = pool.enter();
            pool.session().map(|_| ()).unwrap_err().kind()
        });
        while pool.open_sessions() == 1 && !b.is_finished() {
            pool.cancel();
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert_eq!(b.join().unwrap(), ErrorKind::Cancelled);
        go_on.send(()).unwrap();
        assert_eq!(a.join().unwrap(), ErrorKind::Cancelled);
    });
    // Both calls returned: the pool lends again, the session in step.
    let mut s = pool.session().unwrap();
    assert_eq!(s.run(|s| s.voidcmd("NOOP")).unwrap().text, "200 noop 2");
    s.run(|s| s.quit()).unwrap();
    drop(s);
    server.finish();
}

#[test]
fn a_cancel_without_calls_changes_nothing() {
    let server = ScriptedServer::start_sessions(1, |_, c| noop_server(c));
    let pool = Pool::new(&format!("ftp://u:p@127.0.0.1:{}", server.port()), None, 1).unwrap();
    pool.cancel();
    let mut s = pool.session().unwrap();
    assert_eq!(s.run(|s| s.voidcmd("NOOP")).unwrap().text, "200 noop 1");
    s.run(|s| s.quit()).unwrap();
    drop(s);
    server.finish();
}

#[test]
fn the_pool_goes_through_its_proxy() {
    let server = ScriptedServer::start_sessions(2, |_, c| noop_server(c));
    let proxy = TestProxy::relay(Kind::Socks5, None);
    let pool = Pool::new(&format!("ftp://u:p@127.0.0.1:{}", server.port()), None, 1).unwrap();
    // A direct session first; changing the proxy closes it when idle.
    pool.session().unwrap().run(|s| s.voidcmd("NOOP")).unwrap();
    let bad = pool.set_proxy(Some("socks5://user:secret@")).unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidArgument);
    assert!(!bad.to_string().contains("secret"), "{bad}");
    pool.set_proxy(Some(&format!("socks5://127.0.0.1:{}", proxy.port())))
        .unwrap();
    assert_eq!(
        pool.open_sessions(),
        0,
        "the idle direct session was closed"
    );
    let mut s = pool.session().unwrap();
    assert_eq!(s.run(|s| s.voidcmd("NOOP")).unwrap().text, "200 noop 1");
    s.run(|s| s.quit()).unwrap();
    drop(s);
    assert_eq!(
        proxy.targets(),
        [format!("127.0.0.1:{}", server.port())],
        "the second session's control connection went through the proxy"
    );
    server.finish();
}

#[test]
fn the_pool_logs_in_with_its_netrc() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 ready");
        c.exchange("USER alice", "331 password please");
        c.exchange("PASS s3cret w", "230 logged in");
        c.exchange("FEAT", "211 no features");
        noops(c);
    });
    let dir = std::env::temp_dir().join(format!("libftp-pool-netrc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let netrc = dir.join("netrc");
    std::fs::write(
        &netrc,
        "machine 127.0.0.1 login alice password \"s3cret w\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&netrc, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let pool = Pool::new(&format!("ftp://alice@127.0.0.1:{}", server.port()), None, 1).unwrap();
    pool.set_netrc(Some(ftp::session::NetrcFile {
        path: netrc,
        required: true,
    }));
    let mut s = pool.session().unwrap();
    assert_eq!(s.run(|s| s.voidcmd("NOOP")).unwrap().text, "200 noop 1");
    s.run(|s| s.quit()).unwrap();
    drop(s);
    server.finish();
    std::fs::remove_dir_all(dir).unwrap();
}
