//! `Session::list`, `stat`, `mdtm` and `set_mtime` against scripted servers:
//! the choice between MLSD and LIST, OPTS MLST, a LIST mixing every format
//! with lines no parser knows (each reaches the caller exactly once, in
//! order), a callback that stops, the probes of a stat without MLST, the
//! fallbacks of set_mtime, and replies that are not what they should be.
//! Real servers: tests/listing_servers.rs and tests/c/test_listing.c.

use ftp::{EntryType, ErrorKind, Format, ListMethod, Session};
use ftp_testkit::{Conn, ScriptedServer};
use std::io::Write;
use std::time::Duration;

/// FEAT of a server with MLST (size and modify not enabled by default) and
/// MFMT, without UTF8.
const FEAT_MLST: &str = "211-Features:\r\n MDTM\r\n MFMT\r\n \
                         MLST type*;size;modify;perm*;unix.mode;UNIX.owner;\r\n211 End";

/// Welcome, login, the FEAT after login answered with `feat`.
fn open(c: &mut Conn, feat: &str) {
    c.reply("220 scripted server ready");
    c.login_answering_feat(feat);
}

fn session(server: &ScriptedServer) -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.connect("127.0.0.1", server.port()).unwrap();
    s.login("user", "pw", "").unwrap();
    s
}

/// Sends `lines` (CRLF after each) as a listing on the next data
/// connection (TYPE A comes first only when the type changes).
fn send_listing(c: &mut Conn, cmd: &str, lines: &[&[u8]]) {
    if !c.received.iter().any(|r| r == "TYPE A") {
        c.exchange("TYPE A", "200 ok");
    }
    c.answer_epsv();
    c.exchange(cmd, "150 here");
    let mut data = c.accept_data();
    for l in lines {
        data.write_all(l).unwrap();
        data.write_all(b"\r\n").unwrap();
    }
    drop(data);
    c.reply("226 done");
}

const MIXED: [&[u8]; 11] = [
    b"total 42",
    b"drwxr-xr-x   2 ftp      ftp          4096 Jan 02  2024 .",
    b"drwxr-xr-x   2 ftp      ftp          4096 Jan 02  2024 ..",
    b"-rw-r--r--   1 ftp      ftp          1234 Mar 04  2024 unix file.txt",
    b"lrwxrwxrwx   1 0        0               9 Mar 04  2024 link -> target",
    b"03-04-24  10:15PM       <DIR>          dos dir",
    b"03-04-2024  22:15              5678 dos file.bin",
    b"+i8388621.48594,m825718503,r,s280,\teplf.txt",
    b"this line is no listing format",
    b"",
    b"-rw-r--r--   1 ftp      ftp             3 Mar 04  2024 \xff\xfe bad bytes",
];

#[test]
fn a_mixed_list_reaches_the_caller_line_by_line() {
    let server = ScriptedServer::start(|c| {
        open(c, ftp_testkit::LOGIN_FEATURES);
        send_listing(c, "LIST dir", &MIXED);
        c.exchange("QUIT", "221 bye");
    });
    let mut s = session(&server);
    let mut got = Vec::new();
    let reply = s
        .list(Some("dir"), |e| {
            got.push(e.clone());
            Ok(())
        })
        .unwrap();
    assert_eq!(reply.code, 226);
    // "total" and "." / ".." are skipped; every other line comes, in order.
    let raws: Vec<&[u8]> = got.iter().map(|e| e.raw.as_slice()).collect();
    assert_eq!(raws, MIXED[3..].to_vec());
    let summary: Vec<(EntryType, Option<&str>, Format)> = got
        .iter()
        .map(|e| (e.kind, e.name.as_deref(), e.format))
        .collect();
    assert_eq!(
        summary[..6],
        [
            (EntryType::File, Some("unix file.txt"), Format::Unix),
            (EntryType::Link, Some("link"), Format::Unix),
            (EntryType::Dir, Some("dos dir"), Format::Dos),
            (EntryType::File, Some("dos file.bin"), Format::Dos),
            (EntryType::File, Some("eplf.txt"), Format::Eplf),
            (EntryType::Unknown, None, Format::Unknown),
        ]
    );
    assert_eq!(got[1].link_target.as_deref(), Some("target"));
    assert_eq!(got[0].size, Some(1234));
    assert_eq!(got[3].size, Some(5678));
    assert_eq!(
        got[4].mtime.map(|t| (t.secs, t.utc)),
        Some((825_718_503, true))
    );
    assert_eq!(
        got[2].mtime.map(|t| (t.secs, t.utc)),
        Some((1_709_590_500, false))
    );
    assert_eq!(got[6].kind, EntryType::Unknown, "the empty line");
    // Invalid UTF-8 in a name: U+FFFD in the name, the bytes kept in raw.
    assert_eq!(got[7].name.as_deref(), Some("\u{fffd}\u{fffd} bad bytes"));
    s.quit().unwrap();
    server.finish();
}

#[test]
fn mlsd_when_mlst_is_advertised_with_the_facts_asked_for() {
    let server = ScriptedServer::start(|c| {
        open(c, FEAT_MLST);
        // Only the offered facts an entry holds; once per connection.
        c.exchange("OPTS MLST type;size;modify;unix.mode;UNIX.owner;", "200 ok");
        let lines: [&[u8]; 4] = [
            b"type=cdir;modify=20240101000000; /d",
            b"type=pdir;modify=20240101000000; /",
            b"type=file;size=12;modify=20241231235959.5;unix.mode=0644;UNIX.owner=joe; a b;c",
            b"type=OS.unix=slink:/x;modify=20240101000000; ln",
        ];
        send_listing(c, "MLSD /d", &lines);
        send_listing(c, "MLSD", &lines[2..3]);
        // Forced LIST on a server with MLSD.
        send_listing(c, "LIST", &[b"-rw-r--r-- 1 joe joe 12 Dec 31  2024 a b;c"]);
        c.exchange("QUIT", "221 bye");
    });
    let mut s = session(&server);
    let mut got = Vec::new();
    s.list(Some("/d"), |e| {
        got.push(e.clone());
        Ok(())
    })
    .unwrap();
    assert_eq!(got.len(), 2, "{got:?}");
    let f = &got[0];
    assert_eq!(
        (f.kind, f.name.as_deref(), f.size, f.format),
        (EntryType::File, Some("a b;c"), Some(12), Format::Mlsd)
    );
    assert_eq!(
        f.mtime.map(|t| (t.secs, t.utc, t.precision)),
        Some((1_735_689_599, true, 1))
    );
    assert_eq!(
        (f.unix_mode.as_deref(), f.owner.as_deref()),
        (Some("0644"), Some("joe"))
    );
    assert_eq!(
        (got[1].kind, got[1].link_target.as_deref()),
        (EntryType::Link, Some("/x"))
    );
    let mut n = 0;
    s.list(None, |_| {
        n += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(n, 1);
    let mut listed = Vec::new();
    s.list_with(None, ListMethod::List, |e| {
        listed.push(e.clone());
        Ok(())
    })
    .unwrap();
    assert_eq!(
        (listed[0].name.as_deref(), listed[0].size, listed[0].format),
        (Some("a b;c"), Some(12), Format::Unix)
    );
    s.quit().unwrap();
    server.finish();
}

#[test]
fn a_callback_that_stops_ends_the_listing_and_the_session_goes_on() {
    let server = ScriptedServer::start(|c| {
        open(c, ftp_testkit::LOGIN_FEATURES);
        c.exchange("TYPE A", "200 ok");
        c.answer_epsv();
        c.exchange("LIST", "150 here");
        let mut data = c.accept_data();
        // The client cuts the connection after the first entry.
        let line = b"-rw-r--r-- 1 a b 1 Jan 01  2020 one\r\n";
        let mut sent = 0;
        while sent < 10_000_000 && data.write_all(line).is_ok() {
            sent += line.len();
        }
        c.reply("426 aborted");
        c.exchange("NOOP", "200 in step");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = session(&server);
    let mut seen = 0;
    let e = s
        .list(None, |_| {
            seen += 1;
            Err(ftp::Error::Callback("enough".into()))
        })
        .unwrap_err();
    assert_eq!((e.kind(), seen), (ErrorKind::Callback, 1));
    assert_eq!(s.voidcmd("NOOP").unwrap().text, "200 in step");
    s.quit().unwrap();
    server.finish();
}

#[test]
fn stat_without_mlst_probes_size_mdtm_and_cwd() {
    let server = ScriptedServer::start(|c| {
        open(c, ftp_testkit::LOGIN_FEATURES);
        c.exchange("SIZE dir/f.txt", "213 4096");
        c.exchange("MDTM dir/f.txt", "213 20240304221500");
        c.exchange("SIZE dir/sub", "550 not a plain file");
        c.exchange("PWD", "257 \"/home/x\" is the current directory");
        c.exchange("CWD dir/sub", "250 ok");
        c.exchange("CWD /home/x", "250 ok");
        c.exchange("MDTM dir/sub", "550 not a plain file");
        c.exchange("SIZE nope", "550 no such file");
        c.exchange("PWD", "257 \"/home/x\"");
        c.exchange("CWD nope", "550 no such directory");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = session(&server);
    let f = s.stat("dir/f.txt").unwrap();
    assert_eq!(
        (f.kind, f.name.as_deref(), f.size, f.format),
        (EntryType::File, Some("f.txt"), Some(4096), Format::Probe)
    );
    assert_eq!(
        f.mtime.map(|t| (t.secs, t.utc)),
        Some((1_709_590_500, true))
    );
    let d = s.stat("dir/sub").unwrap();
    assert_eq!(
        (d.kind, d.name.as_deref(), d.mtime),
        (EntryType::Dir, Some("sub"), None)
    );
    let e = s.stat("nope").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Perm);
    assert!(e.to_string().contains("550 no such file"), "{e}");
    s.quit().unwrap();
    server.finish();
}

#[test]
fn stat_with_mlst_reads_the_entry_line() {
    let server = ScriptedServer::start(|c| {
        open(c, FEAT_MLST);
        c.exchange("OPTS MLST type;size;modify;unix.mode;UNIX.owner;", "200 ok");
        c.expect("MLST /d/f");
        c.send_raw(
            b"250-Listing /d/f\r\n type=file;size=7;modify=20200101000000; /d/f\r\n250 End\r\n",
        );
        c.expect("MLST /d");
        c.send_raw(b"250-Listing /d\r\n Type=cdir;Modify=20200101000000; /d\r\n250 End\r\n");
        c.exchange("MLST /none", "550 no such file");
        c.expect("MLST /odd");
        c.send_raw(b"250-Listing /odd\r\n250 End\r\n");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = session(&server);
    let f = s.stat("/d/f").unwrap();
    assert_eq!(
        (f.kind, f.size, f.format, f.mtime.map(|t| t.secs)),
        (EntryType::File, Some(7), Format::Mlst, Some(1_577_836_800))
    );
    assert_eq!(f.raw, b" type=file;size=7;modify=20200101000000; /d/f");
    assert_eq!(s.stat("/d").unwrap().kind, EntryType::Dir);
    assert_eq!(s.stat("/none").unwrap_err().kind(), ErrorKind::Perm);
    assert_eq!(s.stat("/odd").unwrap_err().kind(), ErrorKind::Proto);
    s.quit().unwrap();
    server.finish();
}

#[test]
fn mdtm_replies() {
    let server = ScriptedServer::start(|c| {
        open(c, ftp_testkit::LOGIN_FEATURES);
        c.exchange("MDTM a", "213 19700101000001.999");
        c.exchange("MDTM b", "213 yesterday");
        c.exchange("MDTM c", "550 no");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = session(&server);
    assert_eq!(s.mdtm("a").unwrap(), 1);
    assert_eq!(s.mdtm("b").unwrap_err().kind(), ErrorKind::Proto);
    assert_eq!(s.mdtm("c").unwrap_err().kind(), ErrorKind::Perm);
    s.quit().unwrap();
    server.finish();
}

#[test]
fn set_mtime_uses_mfmt_else_site_utime_else_mdtm() {
    let server = ScriptedServer::start(|c| {
        // MFMT advertised: MFMT only.
        open(c, FEAT_MLST);
        c.exchange("MFMT 20170714024000 f", "213 Modify=20170714024000; f");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = session(&server);
    assert_eq!(s.set_mtime("f", 1_500_000_000).unwrap().code, 213);
    s.quit().unwrap();
    server.finish();

    let server = ScriptedServer::start(|c| {
        // No MFMT: ProFTPD's SITE UTIME refused as unknown, the 5-argument
        // form accepted.
        open(c, ftp_testkit::LOGIN_FEATURES);
        c.exchange(
            "SITE UTIME 20170714024000 f",
            "500 'SITE UTIME' not understood",
        );
        c.exchange(
            "SITE UTIME f 20170714024000 20170714024000 20170714024000 UTC",
            "250 UTIME OK",
        );
        // Every form refused as unknown: the last refusal is the error
        // (MDTM is advertised, so vsftpd's form is the last one tried).
        c.exchange("SITE UTIME 19700101000000 g", "500 unknown");
        c.exchange(
            "SITE UTIME g 19700101000000 19700101000000 19700101000000 UTC",
            "501 no",
        );
        c.exchange("MDTM 19700101000000 g", "502 not that either");
        // A refusal that is not "unknown command" stops at once.
        c.exchange("SITE UTIME 19700101000000 h", "550 permission denied");
        c.exchange("QUIT", "221 bye");
    });
    let mut s = session(&server);
    assert_eq!(s.set_mtime("f", 1_500_000_000).unwrap().code, 250);
    let e = s.set_mtime("g", 0).unwrap_err();
    assert!(e.to_string().contains("502 not that either"), "{e}");
    let e = s.set_mtime("h", 0).unwrap_err();
    assert!(e.to_string().contains("550 permission denied"), "{e}");
    assert_eq!(
        s.set_mtime("h", i64::MAX).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    s.quit().unwrap();
    server.finish();
}
