//! Progress reports and keepalive NOOPs against the scripted server: the
//! reports' order and values, a sink that stops the transfer, and NOOP
//! replies that come during the transfer, before its final reply or only
//! after it, and a server that drops an idle control connection.

use ftp::{Error, FileOptions, Progress, ProgressInfo, Session};
use ftp_testkit::{Conn, ScriptedServer};
use std::io::Write;
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One report as seen by the sink.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    path: String,
    bytes: u64,
    offset: u64,
    total: Option<u64>,
}

fn recorder(s: &mut Session, interval: Duration) -> Arc<Mutex<Vec<Seen>>> {
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
        interval,
    );
    seen
}

/// First report 0 bytes, non-decreasing, last `last`; every report has
/// the same path, offset and total.
fn check_reports(seen: &[Seen], path: &str, offset: u64, total: Option<u64>, last: u64) {
    assert!(seen.len() >= 2, "a start and an end report: {seen:?}");
    assert_eq!(seen[0].bytes, 0, "{seen:?}");
    assert_eq!(seen.last().unwrap().bytes, last, "{seen:?}");
    for w in seen.windows(2) {
        assert!(w[0].bytes <= w[1].bytes, "not monotone: {seen:?}");
    }
    for r in seen {
        assert_eq!(r.path, path);
        assert_eq!(r.offset, offset);
        assert_eq!(r.total, total);
    }
}

fn logged_in(server: &ScriptedServer) -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.connect("127.0.0.1", server.port()).unwrap();
    s.login("user", "pw", "").unwrap();
    s
}

/// `storbinary` of `data` in blocks of 64 KiB.
fn upload(s: &mut Session, cmd: &str, data: &[u8]) -> Result<ftp::Reply, Error> {
    let mut src = data;
    s.storbinary(
        cmd,
        65536,
        None,
        |buf| {
            let n = buf.len().min(src.len());
            buf[..n].copy_from_slice(&src[..n]);
            src = &src[n..];
            Ok(n)
        },
        |_| Ok(()),
    )
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

/// Sends `data` in `pieces` parts with `pause` after each; during each
/// pause, commands the client sends are read, and a NOOP is answered at
/// once when `answer_now` (else counted for later). Returns the NOOPs
/// seen and whether they were answered.
fn send_slowly(
    c: &mut Conn,
    mut data_conn: TcpStream,
    data: &[u8],
    pieces: usize,
    pause: Duration,
    answer_now: bool,
) -> usize {
    let mut noops = 0;
    for part in data.chunks(data.len().div_ceil(pieces)) {
        data_conn.write_all(part).unwrap();
        noops += wait_for_noops(c, pause, answer_now);
    }
    drop(data_conn);
    noops
}

/// Reads NOOPs for `pause` (answering them at once when `answer`).
fn wait_for_noops(c: &mut Conn, pause: Duration, answer: bool) -> usize {
    let end = Instant::now() + pause;
    let mut noops = 0;
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        if left.is_zero() {
            break;
        }
        c.set_read_timeout(Some(left));
        match c.read_cmd() {
            Some(cmd) => {
                assert_eq!(cmd, "NOOP", "only NOOPs during the transfer");
                noops += 1;
                if answer {
                    c.reply("200 NOOP ok");
                }
            }
            None => break,
        }
    }
    c.set_read_timeout(None);
    noops
}

/// The next command that is not a keepalive NOOP (those are answered
/// "200 NOOP ok"): a NOOP may still be on its way when the final reply
/// goes out, since the client keeps the connection alive until it has it.
fn next_answering_noops(c: &mut Conn) -> String {
    loop {
        let cmd = c.read_cmd().expect("a command");
        if cmd != "NOOP" {
            return cmd;
        }
        c.reply("200 NOOP ok");
    }
}

/// Where the server answers the NOOPs sent during a transfer.
#[derive(Clone, Copy, Debug)]
enum NoopReplies {
    /// Each at once, during the transfer.
    During,
    /// All of them after the data, before the final 226.
    Before226,
    /// All of them after the final 226.
    After226,
}

fn keepalive_download(when: NoopReplies) {
    let data = pattern(30_000);
    let sent = data.clone();
    let server = ScriptedServer::start(move |c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 binary");
        c.answer_epsv();
        c.expect("RETR slow.bin");
        c.reply("150 Opening (30000 bytes)");
        let d = c.accept_data();
        // 6 pauses of 150 ms: the transfer takes more than 3 intervals of
        // 100 ms, so NOOPs are sent.
        let answer_now = matches!(when, NoopReplies::During);
        let during = send_slowly(c, d, &sent, 6, Duration::from_millis(150), answer_now);
        // Any NOOP still on its way (sent after the last pause).
        let extra = wait_for_noops(c, Duration::from_millis(200), false);
        let noops = during + extra;
        assert!(noops >= 1, "no NOOP during a transfer of 6 intervals");
        // The NOOPs not answered yet.
        let late = if answer_now { extra } else { noops };
        match when {
            NoopReplies::During => {
                c.reply("226 done");
                for _ in 0..late {
                    c.reply("200 NOOP ok");
                }
            }
            NoopReplies::Before226 => {
                for _ in 0..late {
                    c.reply("200 NOOP ok");
                }
                c.reply("226 done");
            }
            NoopReplies::After226 => {
                c.reply("226 done");
                for _ in 0..late {
                    c.reply("200 NOOP ok");
                }
            }
        }
        // The next commands get their own replies.
        assert_eq!(next_answering_noops(c), "SYST");
        c.reply("215 UNIX own reply");
        assert_eq!(next_answering_noops(c), "PWD");
        c.reply("257 \"/here\"");
        c.reply(&format!("299 noops={noops}"));
        let _ = c.read_cmd();
    });
    let mut s = logged_in(&server);
    s.set_keepalive(Some(Duration::from_millis(100))).unwrap();
    let mut got = Vec::new();
    let reply = s
        .retrbinary("RETR slow.bin", 0, None, |b| {
            got.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
    assert_eq!(reply.code, 226, "{when:?}: the final reply, not a NOOP's");
    assert!(got == data, "{when:?}: the bytes differ");
    let syst = s.sendcmd("SYST").unwrap();
    assert_eq!(syst.text, "215 UNIX own reply", "{when:?}");
    assert_eq!(s.pwd().unwrap(), "/here", "{when:?}");
    // The count of NOOPs the server saw (during the transfer).
    let r = s.getresp().unwrap();
    let n: usize = r.text.trim_start_matches("299 noops=").parse().unwrap();
    assert!(n >= 1);
    drop(s);
    server.finish();
}

#[test]
fn keepalive_noops_answered_during_the_transfer() {
    keepalive_download(NoopReplies::During);
}

#[test]
fn keepalive_noops_answered_before_the_final_reply() {
    keepalive_download(NoopReplies::Before226);
}

#[test]
fn keepalive_noops_answered_after_the_final_reply() {
    keepalive_download(NoopReplies::After226);
}

/// An upload whose server stops reading for a while: NOOPs are sent while
/// the write waits, their replies read after the 226.
#[test]
fn keepalive_during_a_stalled_upload() {
    // More than loopback's socket buffers hold, so the writes wait.
    let data = pattern(32 << 20);
    let expected = data.clone();
    let server = ScriptedServer::start(move |c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 binary");
        c.answer_epsv();
        c.expect("STOR up.bin");
        c.reply("150 go ahead");
        let d = c.accept_data();
        // Not reading the data for 600 ms: the client's writes wait.
        let noops = wait_for_noops(c, Duration::from_millis(600), false);
        let got = Conn::read_all(d);
        assert!(got == expected, "upload differs");
        let noops = noops + wait_for_noops(c, Duration::from_millis(200), false);
        assert!(noops >= 1, "no NOOP while the upload was stalled");
        c.reply("226 stored");
        for _ in 0..noops {
            c.reply("200 NOOP ok");
        }
        assert_eq!(next_answering_noops(c), "PWD");
        c.reply("257 \"/up\"");
        let _ = c.read_cmd();
    });
    let mut s = logged_in(&server);
    s.set_keepalive(Some(Duration::from_millis(100))).unwrap();
    let r = upload(&mut s, "STOR up.bin", &data).unwrap();
    assert_eq!(r.code, 226);
    assert_eq!(s.pwd().unwrap(), "/up");
    drop(s);
    server.finish();
}

/// A server that closes the control connection after 1 s without a
/// command, during a transfer of about 1.8 s: with keepalive (NOOP every
/// 200 ms) it succeeds; without, it fails.
fn idle_dropping_server(keepalive: bool) {
    let data = pattern(12_000);
    let sent = data.clone();
    let server = ScriptedServer::start(move |c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 binary");
        c.answer_epsv();
        c.expect("RETR long.bin");
        c.reply("150 Opening (12000 bytes)");
        let mut d = c.accept_data();
        let mut last_command = Instant::now();
        for part in sent.chunks(2000) {
            d.write_all(part).unwrap();
            let end = Instant::now() + Duration::from_millis(300);
            while let Some(left) = end.checked_duration_since(Instant::now()) {
                c.set_read_timeout(Some(left.max(Duration::from_millis(1))));
                match c.read_cmd() {
                    Some(cmd) => {
                        assert_eq!(cmd, "NOOP");
                        c.reply("200 NOOP ok");
                        last_command = Instant::now();
                    }
                    None => break,
                }
            }
            if last_command.elapsed() > Duration::from_secs(1) {
                // Idle too long: the server hangs up on everything.
                let _ = d.shutdown(std::net::Shutdown::Both);
                c.reply("421 idle timeout");
                c.shutdown_write();
                return;
            }
        }
        drop(d);
        c.set_read_timeout(None);
        c.reply("226 done");
        // A NOOP sent just before the client saw the end of the data.
        while let Some(cmd) = c.read_cmd() {
            if cmd == "NOOP" {
                c.reply("200 NOOP ok");
                continue;
            }
            assert_eq!(cmd, "PWD");
            c.reply("257 \"/kept\"");
            break;
        }
        let _ = c.read_cmd();
    });
    let mut s = logged_in(&server);
    if keepalive {
        s.set_keepalive(Some(Duration::from_millis(200))).unwrap();
    }
    let mut got = Vec::new();
    let r = s.retrbinary("RETR long.bin", 0, None, |b| {
        got.extend_from_slice(b);
        Ok(())
    });
    if keepalive {
        assert_eq!(r.unwrap().code, 226);
        assert!(got == data);
        assert_eq!(s.pwd().unwrap(), "/kept");
    } else {
        match r {
            Err(Error::Temp(reply)) => assert_eq!(reply.code, 421),
            other => panic!("expected the server's 421, got {other:?}"),
        }
        assert!(!s.is_connected(), "421 closes the session");
    }
    drop(s);
    server.finish();
}

#[test]
fn keepalive_keeps_an_idle_dropping_server() {
    idle_dropping_server(true);
}

#[test]
fn without_keepalive_the_idle_dropping_server_hangs_up() {
    idle_dropping_server(false);
}

#[test]
fn progress_of_a_download_with_rest_and_of_a_text_transfer() {
    let data = pattern(50_000);
    let sent = data.clone();
    let server = ScriptedServer::start(move |c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 binary");
        c.answer_epsv();
        c.exchange("REST 100", "350 restarting");
        c.expect("RETR dir/a b.bin");
        c.reply("150 Opening BINARY mode data connection for dir/a b.bin (50100 bytes)");
        let d = c.accept_data();
        send_slowly(c, d, &sent, 5, Duration::from_millis(60), false);
        c.reply("226 done");
        c.exchange("TYPE A", "200 ascii");
        c.answer_epsv();
        c.expect("RETR notes.txt");
        c.reply("150 here it comes");
        let mut d = c.accept_data();
        d.write_all(b"one\r\ntwo\r\nthree\r\n").unwrap();
        drop(d);
        c.reply("226 done");
        let _ = c.read_cmd();
    });
    let mut s = logged_in(&server);
    let seen = recorder(&mut s, Duration::ZERO);
    let mut got = Vec::new();
    s.retrbinary("RETR dir/a b.bin", 0, Some(100), |b| {
        got.extend_from_slice(b);
        Ok(())
    })
    .unwrap();
    assert!(got == data);
    let reports = std::mem::take(&mut *seen.lock().unwrap());
    // After REST the 150's size is not taken as the total: vsftpd
    // announces the whole file, ProFTPD what is left, in the same words.
    check_reports(&reports, "dir/a b.bin", 100, None, 50_000);
    assert!(reports.len() >= 3, "reports in between: {reports:?}");
    let mut lines = Vec::new();
    s.retrlines("RETR notes.txt", |l| {
        lines.push(String::from_utf8(l.to_vec()).unwrap());
        Ok(())
    })
    .unwrap();
    assert_eq!(lines, ["one", "two", "three"]);
    let reports = std::mem::take(&mut *seen.lock().unwrap());
    check_reports(&reports, "notes.txt", 0, None, 17);
    drop(s);
    server.finish();
}

#[test]
fn progress_info_overrides_path_and_total() {
    let server = ScriptedServer::start(move |c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 binary");
        c.answer_epsv();
        c.expect("RETR x");
        c.reply("150 Opening (3 bytes)");
        let mut d = c.accept_data();
        d.write_all(b"abc").unwrap();
        drop(d);
        c.reply("226 done");
        // The info is taken by the transfer that failed; the next has none.
        c.answer_epsv();
        c.exchange("RETR missing", "550 no such file");
        c.answer_epsv();
        c.expect("RETR y");
        c.reply("150 Opening");
        let mut d = c.accept_data();
        d.write_all(b"yy").unwrap();
        drop(d);
        c.reply("226 done");
        let _ = c.read_cmd();
    });
    let mut s = logged_in(&server);
    let seen = recorder(&mut s, Duration::from_secs(60));
    s.set_progress_info(ProgressInfo {
        path: Some("/abs/x".into()),
        total: Some(3),
    });
    s.retrbinary("RETR x", 0, None, |_| Ok(())).unwrap();
    let reports = std::mem::take(&mut *seen.lock().unwrap());
    check_reports(&reports, "/abs/x", 0, Some(3), 3);
    assert_eq!(reports.len(), 2, "start and end only: {reports:?}");
    s.set_progress_info(ProgressInfo {
        path: Some("stale".into()),
        total: Some(99),
    });
    assert!(matches!(
        s.retrbinary("RETR missing", 0, None, |_| Ok(())),
        Err(Error::Perm(_))
    ));
    assert!(
        seen.lock().unwrap().is_empty(),
        "no report for a refused RETR"
    );
    s.retrbinary("RETR y", 0, None, |_| Ok(())).unwrap();
    let reports = std::mem::take(&mut *seen.lock().unwrap());
    check_reports(&reports, "y", 0, None, 2);
    drop(s);
    server.finish();
}

#[test]
fn a_progress_sink_that_stops_gives_callback_and_the_session_goes_on() {
    let data = pattern(40_000);
    let sent = data.clone();
    let server = ScriptedServer::start(move |c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 binary");
        c.answer_epsv();
        c.expect("RETR big");
        c.reply("150 Opening (40000 bytes)");
        let mut d = c.accept_data();
        d.write_all(&sent[..10_000]).unwrap();
        // The client resets the data connection: wait for it.
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut d, &mut sink);
        c.reply("426 transfer aborted");
        c.exchange("PWD", "257 \"/still\"");
        let _ = c.read_cmd();
    });
    let mut s = logged_in(&server);
    let calls = Arc::new(Mutex::new(Vec::new()));
    let log = calls.clone();
    s.set_progress(
        Some(Box::new(move |p: &Progress<'_>| {
            log.lock().unwrap().push(p.bytes);
            if p.bytes > 0 {
                Err(Error::Callback("enough".into()))
            } else {
                Ok(())
            }
        })),
        Duration::ZERO,
    );
    let r = s.retrbinary("RETR big", 0, None, |_| Ok(()));
    match r {
        Err(Error::Callback(text)) => assert_eq!(text, "enough"),
        other => panic!("expected the sink's error, got {other:?}"),
    }
    let calls = calls.lock().unwrap().clone();
    assert_eq!(calls[0], 0);
    assert!(calls.len() >= 2 && *calls.last().unwrap() > 0, "{calls:?}");
    assert_eq!(s.pwd().unwrap(), "/still");
    drop(s);
    server.finish();
}

/// After an upload's data, a server that takes 700 ms to store the file
/// before its 226: NOOPs go on meanwhile (answered at once), the call
/// returns the 226, and the next command gets its own reply.
#[test]
fn keepalive_while_the_server_finishes_an_upload() {
    let data = pattern(100_000);
    let expected = data.clone();
    let server = ScriptedServer::start(move |c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 binary");
        c.answer_epsv();
        c.expect("STOR up.bin");
        c.reply("150 go ahead");
        let d = c.accept_data();
        let got = Conn::read_all(d);
        assert!(got == expected, "upload differs");
        // "Storing": seven intervals without the final reply.
        let noops = wait_for_noops(c, Duration::from_millis(700), true);
        assert!(noops >= 1, "no NOOP while the server stored the file");
        c.reply("226 stored");
        // A NOOP may cross the 226 on the wire: answer it too.
        assert_eq!(next_answering_noops(c), "PWD");
        c.reply("257 \"/stored\"");
        let _ = c.read_cmd();
    });
    let mut s = logged_in(&server);
    s.set_keepalive(Some(Duration::from_millis(100))).unwrap();
    let r = upload(&mut s, "STOR up.bin", &data).unwrap();
    assert_eq!(r.text, "226 stored");
    assert_eq!(s.last_reply().map(|r| r.code), Some(226));
    assert_eq!(s.pwd().unwrap(), "/stored");
    drop(s);
    server.finish();
}

#[test]
fn a_download_file_with_progress_asks_size_when_the_150_does_not_tell() {
    let data = pattern(20_000);
    let sent = data.clone();
    let server = ScriptedServer::start(move |c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 binary");
        c.exchange("SIZE f.bin", "213 20000");
        c.answer_epsv();
        c.expect("RETR f.bin");
        c.reply("150 here it comes");
        let mut d = c.accept_data();
        d.write_all(&sent).unwrap();
        drop(d);
        c.reply("226 done");
        let _ = c.read_cmd();
    });
    let mut s = logged_in(&server);
    let seen = recorder(&mut s, Duration::ZERO);
    let dir = std::env::temp_dir().join(format!("libftp-progress-size-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("f.bin");
    s.download_file("f.bin", &target, FileOptions::default())
        .unwrap();
    assert!(std::fs::read(&target).unwrap() == data);
    let reports = std::mem::take(&mut *seen.lock().unwrap());
    check_reports(&reports, "f.bin", 0, Some(20_000), 20_000);
    drop(s);
    server.finish();
    std::fs::remove_dir_all(dir).unwrap();
}
