//! Fault injection (issue 5, items 2 and 3): the client side of each named
//! scenario of `ftp_testkit::scenarios`, with its exact outcome. The C
//! twin of this file is `tests/c/test_faults.c`, against the same scenarios
//! served by the `ftp-scripted-server` binary.
//!
//! Every scenario checks: the error class; that the call returned before
//! the 2 s session timeout (or, for TIMEOUT outcomes, after exactly one
//! timeout per wait: two where a data-connection timeout is followed by the
//! wait for the final reply); no success where data or replies were
//! missing; and the session either
//! usable (NOOP 200, QUIT 221) or dead (`Error::State`). The server side
//! checks that a dead session sent nothing more, and that endless replies
//! were abandoned by the client (bounded memory).
//!
//! The listing scenarios check every entry of a parsed LIST (type, name,
//! size, mtime, link target, format, raw bytes) against the lines the
//! server sent, and a callback that stops the listing.
//!
//! The last tests send CR, LF and NUL in every argument that becomes part
//! of a command: each call must fail with `Error::InvalidArgument` before
//! anything is sent.

use ftp::{Entry, EntryType, Error, ErrorKind, Format, Session};
use ftp_testkit::scenarios::{self, CLIENT_TIMEOUT};
use ftp_testkit::ScriptedServer;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ------------------------------------------------------------- helpers

/// How late after the session timeout a TIMEOUT may come.
const LATE: Duration = Duration::from_millis(1500);

fn start(name: &str) -> ScriptedServer {
    ScriptedServer::start(scenarios::by_name(name).expect("unknown scenario"))
}

fn session() -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(CLIENT_TIMEOUT)).unwrap();
    s
}

fn connect(server: &ScriptedServer) -> Session {
    let mut s = session();
    s.connect("127.0.0.1", server.port()).unwrap();
    s
}

fn logged_in(server: &ScriptedServer) -> Session {
    let mut s = connect(server);
    s.login("user", "pw", "").unwrap();
    s
}

/// Runs one client call and checks when it returned: well before the
/// session timeout when `timeouts` is 0; otherwise after that many full
/// timeouts (each wait of a call has its own), and not much later.
#[track_caller]
fn timed<T: Debug>(timeouts: u32, f: impl FnOnce() -> T) -> T {
    let t0 = Instant::now();
    let r = f();
    let took = t0.elapsed();
    if timeouts == 0 {
        assert!(
            took < CLIENT_TIMEOUT,
            "the call took {took:?}, not less than the timeout, and gave {r:?}"
        );
    } else {
        let expected = CLIENT_TIMEOUT * timeouts;
        assert!(
            took >= expected - Duration::from_millis(50) && took < expected + LATE,
            "the call took {took:?}, expected {expected:?} ({timeouts} x {CLIENT_TIMEOUT:?}), \
             and gave {r:?}"
        );
    }
    r
}

/// The error of a call that must fail with `kind` (success is a false success).
#[track_caller]
fn expect_err<T: Debug>(r: ftp::Result<T>, kind: ErrorKind) -> Error {
    match r {
        Ok(v) => panic!("false success ({v:?}), expected {kind:?}"),
        Err(e) => {
            assert_eq!(e.kind(), kind, "wrong class: {e}");
            e
        }
    }
}

/// The code of the reply an error carries (0 if none).
fn code_of(e: &Error) -> u16 {
    e.reply().map_or(0, |r| r.code)
}

/// The session was closed by the failure: every later call is `State`.
#[track_caller]
fn assert_dead(s: &mut Session) {
    assert!(!s.is_connected());
    let e = expect_err(s.sendcmd("NOOP"), ErrorKind::State);
    assert!(e.to_string().contains("closed after"), "{e}");
}

/// The session is still in step: NOOP gives 200, QUIT 221.
#[track_caller]
fn assert_usable_then_quit(s: &mut Session) {
    assert_eq!(s.sendcmd("NOOP").unwrap().text, "200 still in step");
    assert_eq!(s.quit().unwrap().code, 221);
}

/// retrbinary("RETR f"), collecting the data.
fn retr(s: &mut Session, got: &mut Vec<u8>) -> ftp::Result<ftp::Reply> {
    s.retrbinary("RETR f", 0, None, |b| {
        got.extend_from_slice(b);
        Ok(())
    })
}

// ------------------------------------------- the control connection

#[test]
fn cut_welcome() {
    let server = start("cut-welcome");
    let mut s = session();
    let r = timed(0, || s.connect("127.0.0.1", server.port()));
    expect_err(r, ErrorKind::Eof);
    assert_eq!(s.welcome(), None);
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn cut_reply() {
    let server = start("cut-reply");
    let mut s = logged_in(&server);
    expect_err(timed(0, || s.sendcmd("NOOP")), ErrorKind::Eof);
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn cut_multiline() {
    let server = start("cut-multiline");
    let mut s = logged_in(&server);
    expect_err(timed(0, || s.sendcmd("NOOP")), ErrorKind::Eof);
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn long_line() {
    let server = start("long-line");
    let mut s = logged_in(&server);
    let r = timed(0, || s.sendcmd("NOOP")).unwrap();
    assert_eq!(r.text.len(), 8192);
    let e = expect_err(timed(0, || s.sendcmd("NOOP")), ErrorKind::Proto);
    assert!(e.to_string().contains("8192"), "{e}");
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn endless_line() {
    let server = start("endless-line");
    let mut s = logged_in(&server);
    let e = expect_err(timed(0, || s.sendcmd("NOOP")), ErrorKind::Proto);
    assert!(e.to_string().contains("8192"), "{e}");
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn endless_multiline() {
    let server = start("endless-multiline");
    let mut s = logged_in(&server);
    let e = expect_err(timed(0, || s.sendcmd("NOOP")), ErrorKind::Proto);
    assert!(e.to_string().contains("1048576"), "{e}");
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn garbage_welcome() {
    let server = start("garbage-welcome");
    let mut s = session();
    let r = timed(0, || s.connect("127.0.0.1", server.port()));
    expect_err(r, ErrorKind::Proto);
    let reply = s.last_reply().expect("the banner is the last reply");
    assert_eq!(
        (reply.code, reply.text.as_str()),
        (0, "SSH-2.0-OpenSSH_9.2p1 Debian-2")
    );
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn garbage_reply() {
    let server = start("garbage-reply");
    let mut s = logged_in(&server);
    expect_err(timed(0, || s.sendcmd("NOOP")), ErrorKind::Proto);
    let reply = s.last_reply().unwrap();
    assert_eq!(
        (reply.code, reply.text.as_str()),
        (0, "HTTP/1.1 400 Bad Request")
    );
    // Decided: a complete line with a non-FTP code keeps the connection.
    assert!(s.is_connected());
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn welcome_421() {
    let server = start("421-welcome");
    let mut s = session();
    let e = expect_err(
        timed(0, || s.connect("127.0.0.1", server.port())),
        ErrorKind::Temp,
    );
    assert_eq!(code_of(&e), 421);
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn after_user_421() {
    let server = start("421-after-user");
    let mut s = connect(&server);
    let e = expect_err(timed(0, || s.login("user", "pw", "")), ErrorKind::Temp);
    assert_eq!(code_of(&e), 421);
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn idle_421() {
    let server = start("421-idle");
    let mut s = logged_in(&server);
    let e = expect_err(timed(0, || s.sendcmd("NOOP")), ErrorKind::Temp);
    assert_eq!(code_of(&e), 421);
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn never_answers() {
    let server = start("never-answers");
    let mut s = session();
    let r = timed(1, || s.connect("127.0.0.1", server.port()));
    expect_err(r, ErrorKind::Timeout);
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn stall_mid_reply() {
    let server = start("stall-mid-reply");
    let mut s = logged_in(&server);
    expect_err(timed(1, || s.sendcmd("NOOP")), ErrorKind::Timeout);
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn slow_drip() {
    let server = start("slow-drip");
    let mut s = logged_in(&server);
    expect_err(timed(1, || s.sendcmd("NOOP")), ErrorKind::Timeout);
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn byte_by_byte() {
    let server = start("byte-by-byte");
    let mut s = session();
    timed(0, || s.connect("127.0.0.1", server.port())).unwrap();
    assert_eq!(s.welcome(), Some("220-slow\n220 server"));
    s.login("user", "pw", "").unwrap();
    assert_eq!(s.sendcmd("NOOP").unwrap().text, "200 slow but fine");
    let mut names = Vec::new();
    s.nlst(None, |l| {
        names.push(l.to_vec());
        Ok(())
    })
    .unwrap();
    assert_eq!(names, [&b"a.txt"[..], b"b.txt"]);
    assert_eq!(s.quit().unwrap().code, 221);
    server.finish();
}

#[test]
fn invalid_utf8() {
    let server = start("invalid-utf8");
    let debug = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = debug.clone();
    let mut s = session();
    s.set_debug_level(3);
    s.set_debug_sink(Some(Box::new(move |l: &str| {
        sink.lock().unwrap().push(l.to_string())
    })));
    s.connect("127.0.0.1", server.port()).unwrap();
    assert_eq!(s.welcome(), Some("220 caf\u{fffd} \u{fffd} ready"));
    s.login("user", "pw", "").unwrap();
    assert_eq!(s.sendcmd("NOOP").unwrap().text, "200 \u{fffd}( ok");
    assert_eq!(s.pwd().unwrap(), "/caf\u{fffd}");
    let e = expect_err(s.delete("x"), ErrorKind::Perm);
    assert_eq!(e.reply().unwrap().text, "550 caf\u{fffd}: no");

    let mut lines = Vec::new();
    let r = s
        .nlst(None, |l| {
            lines.push(l.to_vec());
            Ok(())
        })
        .unwrap();
    assert_eq!(lines, [&b"caf\xe9"[..], b"\xff\xfe", b"ok"]);
    assert_eq!(r.text, "226 \u{fffd}nd");

    let mut entries = Vec::new();
    s.mlsd(None, &[], |e| {
        entries.push((e.name.to_vec(), e.fact("x").map(<[u8]>::to_vec)));
        Ok(())
    })
    .unwrap();
    assert_eq!(
        entries,
        [
            (b"n\xe9me".to_vec(), Some(b"\xff".to_vec())),
            (b"\xc3\x28".to_vec(), None)
        ]
    );
    assert_usable_then_quit(&mut s);
    assert!(debug
        .lock()
        .unwrap()
        .iter()
        .any(|l| l.contains("caf\u{fffd}")));
    server.finish();
}

// ------------------------------------------------------------ transfers

#[test]
fn mid_transfer_421() {
    let server = start("421-mid-transfer");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    let e = expect_err(timed(0, || retr(&mut s, &mut got)), ErrorKind::Temp);
    assert_eq!(code_of(&e), 421);
    assert_eq!(got, scenarios::payload(1000));
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn drop_before_transfer() {
    let server = start("drop-before-transfer");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    expect_err(timed(0, || retr(&mut s, &mut got)), ErrorKind::Eof);
    assert!(got.is_empty());
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn drop_during_transfer() {
    let server = start("drop-during-transfer");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    expect_err(timed(0, || retr(&mut s, &mut got)), ErrorKind::Eof);
    assert_eq!(got, scenarios::payload(2000));
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn drop_after_transfer() {
    let server = start("drop-after-transfer");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    assert_eq!(retr(&mut s, &mut got).unwrap().code, 226);
    assert_eq!(got, scenarios::payload(1000));
    expect_err(timed(0, || s.sendcmd("NOOP")), ErrorKind::Eof);
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn data_426() {
    let server = start("data-426");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    let e = expect_err(timed(0, || retr(&mut s, &mut got)), ErrorKind::Temp);
    assert_eq!(code_of(&e), 426);
    assert_eq!(got, scenarios::payload(1000));
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn data_drop_no_reply() {
    let server = start("data-drop-no-reply");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    expect_err(timed(1, || retr(&mut s, &mut got)), ErrorKind::Timeout);
    assert_eq!(got, scenarios::payload(1000));
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn data_stall() {
    let server = start("data-stall");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    // The data read times out, then the final reply gets its own timeout.
    expect_err(timed(2, || retr(&mut s, &mut got)), ErrorKind::Timeout);
    assert_eq!(got, scenarios::payload(1000));
    assert_dead(&mut s);
    server.finish();
}

/// Reads that wait for a batch of bytes (SO_RCVLOWAT) must still hand over
/// a slow trickle, and the idle timeout is per pause, not per transfer.
#[test]
fn data_trickle() {
    let server = start("data-trickle");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    let reply = retr(&mut s, &mut got).expect("a slow but steady download");
    assert_eq!(reply.code, 226);
    let len = scenarios::TRICKLE_PIECES * scenarios::TRICKLE_PIECE;
    assert!(
        got == scenarios::payload(len),
        "{} bytes, not the {len} sent",
        got.len()
    );
    assert_usable_then_quit(&mut s);
    server.finish();
}

/// storbinary("STOR f") of [`scenarios::UPLOAD_OFFER`] bytes made on the fly.
fn stor(s: &mut Session) -> ftp::Result<ftp::Reply> {
    let mut left = scenarios::UPLOAD_OFFER;
    s.storbinary(
        "STOR f",
        0,
        None,
        |buf| {
            let n = buf.len().min(left);
            buf[..n].fill(b'u');
            left -= n;
            Ok(n)
        },
        |_| Ok(()),
    )
}

#[test]
fn upload_426() {
    let server = start("upload-426");
    let mut s = logged_in(&server);
    let e = expect_err(timed(0, || stor(&mut s)), ErrorKind::Temp);
    assert_eq!(code_of(&e), 426);
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn upload_never_read() {
    let server = start("upload-never-read");
    let mut s = logged_in(&server);
    // The blocked write times out, then the final reply gets its own timeout.
    expect_err(timed(2, || stor(&mut s)), ErrorKind::Timeout);
    assert_dead(&mut s);
    server.finish();
}

#[test]
fn data_after_226() {
    let server = start("data-after-226");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    let r = timed(0, || retr(&mut s, &mut got)).unwrap();
    assert_eq!(r.code, 226);
    assert_eq!(got, scenarios::payload(scenarios::AFTER_226_LEN));
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn data_after_226_short() {
    let server = start("data-after-226-short");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    let e = expect_err(timed(0, || retr(&mut s, &mut got)), ErrorKind::Proto);
    let text = e.to_string();
    assert!(text.contains("300000") && text.contains("100000"), "{text}");
    assert_eq!(got, scenarios::payload(scenarios::SHORT_SENT));
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn announced_2gib() {
    let server = start("announced-2gib");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    let e = expect_err(timed(0, || retr(&mut s, &mut got)), ErrorKind::Proto);
    assert!(e.to_string().contains("2147483648"), "{e}");
    assert_eq!(got, scenarios::payload(10));
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn pasv_elsewhere() {
    let server = start("pasv-elsewhere");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    timed(0, || retr(&mut s, &mut got)).unwrap();
    assert_eq!(got, b"data from the control peer");
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn epsv_elsewhere() {
    let server = start("epsv-elsewhere");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    timed(0, || retr(&mut s, &mut got)).unwrap();
    assert_eq!(got, b"data from the control peer");
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn pasv_out_of_range() {
    let server = start("pasv-out-of-range");
    let mut s = logged_in(&server);
    for _ in 0..4 {
        let mut got = Vec::new();
        expect_err(timed(0, || retr(&mut s, &mut got)), ErrorKind::Proto);
        assert!(got.is_empty());
    }
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn epsv_out_of_range() {
    let server = start("epsv-out-of-range");
    let mut s = logged_in(&server);
    for _ in 0..4 {
        let mut got = Vec::new();
        expect_err(timed(0, || retr(&mut s, &mut got)), ErrorKind::Proto);
    }
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn pasv_150_no_data() {
    let server = start("pasv-150-no-data");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    let e = expect_err(timed(0, || retr(&mut s, &mut got)), ErrorKind::Temp);
    assert_eq!(code_of(&e), 425);
    assert!(got.is_empty());
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn active_never_connects() {
    let server = start("active-never-connects");
    let mut s = logged_in(&server);
    s.set_passive(false);
    let mut got = Vec::new();
    expect_err(timed(1, || retr(&mut s, &mut got)), ErrorKind::Timeout);
    assert_dead(&mut s);
    server.finish();
}

// ------------------------------------------------------------- listings

/// What a test checks of one entry: type, name, size, mtime (seconds,
/// UTC or not, precision), link target, format, raw bytes.
type EntryView = (
    EntryType,
    Option<String>,
    Option<u64>,
    Option<(i64, bool, u32)>,
    Option<String>,
    Format,
    Vec<u8>,
);

fn view(e: &Entry) -> EntryView {
    (
        e.kind,
        e.name.clone(),
        e.size,
        e.mtime.map(|t| (t.secs, t.utc, t.precision)),
        e.link_target.clone(),
        e.format,
        e.raw.clone(),
    )
}

#[test]
fn list_mixed() {
    use scenarios::{
        LIST_BAD_UTF8, LIST_DOS_DIR, LIST_EMPTY, LIST_EPLF, LIST_UNIX_FILE, LIST_UNIX_LINK,
        LIST_UNKNOWN,
    };
    let server = start("list-mixed");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    let reply = timed(0, || {
        s.list(None, |e| {
            got.push(view(e));
            Ok(())
        })
    })
    .unwrap();
    assert_eq!(reply.text, "226 listing sent");
    let name = |n: &str| Some(n.to_string());
    let want: Vec<EntryView> = vec![
        (
            EntryType::File,
            name("file one.txt"),
            Some(1234),
            Some((1_709_510_400, false, 86_400)),
            None,
            Format::Unix,
            LIST_UNIX_FILE.to_vec(),
        ),
        (
            EntryType::Link,
            name("l"),
            Some(1),
            Some((1_688_083_200, false, 86_400)),
            name("t"),
            Format::Unix,
            LIST_UNIX_LINK.to_vec(),
        ),
        (
            EntryType::Dir,
            name("dos dir"),
            None,
            Some((1_709_590_500, false, 60)),
            None,
            Format::Dos,
            LIST_DOS_DIR.to_vec(),
        ),
        (
            EntryType::File,
            name("eplf.txt"),
            Some(280),
            Some((825_718_503, true, 1)),
            None,
            Format::Eplf,
            LIST_EPLF.to_vec(),
        ),
        (
            EntryType::Unknown,
            None,
            None,
            None,
            None,
            Format::Unknown,
            LIST_UNKNOWN.to_vec(),
        ),
        (
            EntryType::Unknown,
            None,
            None,
            None,
            None,
            Format::Unknown,
            LIST_EMPTY.to_vec(),
        ),
        (
            EntryType::File,
            name("\u{fffd}\u{fffd} bad bytes"),
            Some(3),
            Some((1_709_510_400, false, 86_400)),
            None,
            Format::Unix,
            LIST_BAD_UTF8.to_vec(),
        ),
    ];
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "entry {i}");
    }
    assert_eq!(got.len(), want.len(), "{got:?}");
    let formats: Vec<&str> = got.iter().map(|e| e.5.name()).collect();
    assert_eq!(
        formats,
        ["unix", "unix", "dos", "eplf", "unknown", "unknown", "unix"]
    );
    assert_usable_then_quit(&mut s);
    server.finish();
}

#[test]
fn list_stop() {
    let server = start("list-stop");
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    let r = timed(0, || {
        s.list(None, |e| {
            got.push(view(e));
            Err(Error::Callback("enough".into()))
        })
    });
    let e = expect_err(r, ErrorKind::Callback);
    assert!(e.to_string().contains("enough"), "{e}");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        got[0],
        (
            EntryType::File,
            Some("one".to_string()),
            Some(1),
            Some((1_577_836_800, false, 86_400)),
            None,
            Format::Unix,
            scenarios::LIST_STOP_LINE.to_vec(),
        )
    );
    assert_eq!(s.last_reply().map(|r| r.code), Some(426));
    assert_usable_then_quit(&mut s);
    server.finish();
}

/// The C test spells every line of list-mixed as a string literal: the
/// same bytes, byte for byte.
#[test]
fn the_c_listing_lines_are_the_scenario_bytes() {
    let c = include_str!("c/test_faults.c");
    for line in scenarios::LIST_MIXED
        .iter()
        .chain([&scenarios::LIST_STOP_LINE])
    {
        let literal = c_literal(line);
        assert!(c.contains(&literal), "test_faults.c lacks {literal}");
    }
}

/// `bytes` as a C string literal: printable ASCII as is (`"` and `\`
/// escaped), a tab as `\t`, any other byte as `\xNN` (closing and
/// reopening the literal when a hex digit follows).
fn c_literal(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    let mut after_hex = false;
    for &b in bytes {
        if after_hex && b.is_ascii_hexdigit() {
            out.push_str("\" \"");
        }
        after_hex = false;
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                out.push_str(&format!("\\x{b:02x}"));
                after_hex = true;
            }
        }
    }
    out.push('"');
    out
}

// ------------------------------------------------------------ injection

/// One call of the API with a poisoned argument.
type Call = fn(&mut Session, &str) -> ftp::Result<()>;

/// Every call taking text that becomes part of a command, by name. Where
/// the text is a whole command, it is `RETR name` (or the like) with the
/// bad character in it.
fn injectable_calls() -> Vec<(&'static str, Call)> {
    fn unit<T>(r: ftp::Result<T>) -> ftp::Result<()> {
        r.map(|_| ())
    }
    vec![
        ("login(user)", |s, x| unit(s.login(x, "pw", ""))),
        ("login(passwd)", |s, x| unit(s.login("user", x, ""))),
        ("login(acct)", |s, x| unit(s.login("user", "pw", x))),
        ("sendcmd", |s, x| unit(s.sendcmd(x))),
        ("voidcmd", |s, x| unit(s.voidcmd(x))),
        ("rename(from)", |s, x| unit(s.rename(x, "to"))),
        ("rename(to)", |s, x| unit(s.rename("from", x))),
        ("delete", |s, x| unit(s.delete(x))),
        ("cwd", |s, x| unit(s.cwd(x))),
        ("mkd", |s, x| unit(s.mkd(x))),
        ("rmd", |s, x| unit(s.rmd(x))),
        ("size", |s, x| unit(s.size(x))),
        ("transfercmd", |s, x| unit(s.transfercmd(x, None))),
        ("ntransfercmd(rest)", |s, x| {
            unit(s.ntransfercmd(x, Some(5)))
        }),
        ("retrbinary", |s, x| {
            unit(s.retrbinary(x, 0, None, |_| Ok(())))
        }),
        ("retrlines", |s, x| unit(s.retrlines(x, |_| Ok(())))),
        ("storbinary", |s, x| {
            unit(s.storbinary(x, 0, None, |_| Ok(0), |_| Ok(())))
        }),
        ("storlines", |s, x| {
            unit(s.storlines(x, |_| Ok(0), |_| Ok(())))
        }),
        ("retr_to_fd", |s, x| {
            let null = std::fs::File::create("/dev/null").unwrap();
            unit(s.retr_to_fd(x, std::os::fd::AsFd::as_fd(&null), None))
        }),
        ("stor_from_fd", |s, x| {
            let null = std::fs::File::open("/dev/null").unwrap();
            unit(s.stor_from_fd(x, std::os::fd::AsFd::as_fd(&null), None))
        }),
        ("nlst(args)", |s, x| unit(s.nlst(Some(x), |_| Ok(())))),
        ("dir(args)", |s, x| unit(s.dir(Some(x), |_| Ok(())))),
        ("mlsd(path)", |s, x| unit(s.mlsd(Some(x), &[], |_| Ok(())))),
        ("mlsd(path, facts)", |s, x| {
            unit(s.mlsd(Some(x), &["type"], |_| Ok(())))
        }),
        ("mlsd(fact)", |s, x| unit(s.mlsd(None, &[x], |_| Ok(())))),
        ("mlsd(second fact)", |s, x| {
            unit(s.mlsd(None, &["type", x], |_| Ok(())))
        }),
    ]
}

/// The poisoned forms of `base` for one bad character: before, inside (a
/// second command after it) and at the end.
fn poisoned(base: &str, bad: char) -> [String; 3] {
    [
        format!("{bad}{base}"),
        format!("{base}{bad}DELE victim"),
        format!("{base}{bad}"),
    ]
}

/// The text a call receives before poisoning: a whole command for the
/// calls that take one, a name otherwise.
fn base_text(call: &str) -> &'static str {
    match call {
        "sendcmd" | "voidcmd" => "NOOP",
        "transfercmd" | "ntransfercmd(rest)" | "retrbinary" | "retr_to_fd" => "RETR name",
        "storbinary" | "storlines" | "stor_from_fd" => "STOR name",
        "retrlines" => "LIST",
        _ => "name",
    }
}

#[test]
fn cr_lf_nul_in_any_argument_are_refused_before_sending() {
    let server = start("injection");
    let mut s = logged_in(&server);
    let mut noop = 0u32;
    // Per call: how many poisoned forms were not refused, and the first result.
    let mut failures: Vec<String> = Vec::new();
    for (name, call) in injectable_calls() {
        let mut bad_results = Vec::new();
        for bad in ['\r', '\n', '\0'] {
            for arg in poisoned(base_text(name), bad) {
                let r = timed(0, || call(&mut s, &arg));
                if !matches!(r, Err(Error::InvalidArgument(_))) {
                    bad_results.push(format!("{arg:?} gave {r:?}"));
                }
                // The next line the server sees must be this NOOP.
                noop += 1;
                match s.sendcmd(&format!("NOOP {noop}")) {
                    Ok(r) if r.text == format!("200 NOOP {noop}") => {}
                    other => panic!("out of step after {name}({arg:?}): {other:?}"),
                }
            }
        }
        if let Some(first) = bad_results.first() {
            failures.push(format!(
                "{name}: {} of 9 not refused before sending (first: {first})",
                bad_results.len()
            ));
        }
    }
    assert_eq!(s.quit().unwrap().code, 221);
    let server_view = server.join().err().unwrap_or_default();
    assert!(
        failures.is_empty() && server_view.is_empty(),
        "{} call(s) let something reach the server:\n  {}\nserver: {server_view}",
        failures.len(),
        failures.join("\n  ")
    );
}

// ------------------------------------------------------------- coverage

/// Every scenario has a Rust test and a C test: here and in test_faults.c,
/// or for the `cancel-*` ones in cancel.rs and test_cancel.c.
#[test]
fn every_scenario_is_tested_from_rust_and_c() {
    for name in scenarios::names() {
        let (rust, c) = if name.starts_with("cancel-") {
            (include_str!("cancel.rs"), include_str!("c/test_cancel.c"))
        } else {
            (include_str!("faults.rs"), include_str!("c/test_faults.c"))
        };
        let quoted = format!("\"{name}\"");
        assert!(rust.contains(&quoted), "no Rust test for {name}");
        assert!(c.contains(&quoted), "no C test for {name}");
    }
}
