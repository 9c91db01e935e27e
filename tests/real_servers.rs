//! The core cases against every real server of tests/servers (vsftpd,
//! pyftpdlib, ProFTPD, Pure-FTPd; plain, explicit and implicit FTPS): one
//! body per case, one test per server (the table is in realservers/).
//! Legitimate differences between servers are asked of `Kind` by name.
//!
//! Plain: byte-exact downloads (fixtures, the 5 MiB big.bin) and uploads
//! (3 MiB), passive and active, TYPE A both ways, fd transfers, SIZE;
//! NLST/LIST/MLSD, MKD/RMD. FTPS: several protected transfers of every kind
//! in a row on one session (each data connection must resume the control
//! connection's TLS session on vsftpd and ProFTPD), TLS 1.2 and 1.3,
//! passive and active, explicit and implicit.

mod realservers;

use ftp::tls::TlsVersion;
use ftp::{Encoding, Error, Session};
use realservers::{download, lines, pattern, upload, Target, Tls};
use std::collections::BTreeSet;
use std::os::fd::AsFd;
use std::sync::{Arc, Mutex};

const LINES: [&str; 5] = [
    "first line",
    "second line",
    "",
    "fourth line, after an empty one",
    "last line",
];

/// Fixtures, big.bin, a 3 MiB upload read back from disk and downloaded.
fn fixtures_and_round_trip(t: &Target, s: &mut Session, tag: &str) {
    assert_eq!(download(s, "hello.txt"), b"hello world\n", "{tag}");
    assert_eq!(download(s, "empty.bin"), b"", "{tag}");
    let big = std::fs::read(t.local.join("big.bin")).unwrap();
    assert_eq!(big.len(), 5 * 1024 * 1024);
    assert!(download(s, "big.bin") == big, "{tag}: big.bin differs");
    let name = t.unique("up");
    let data = pattern(3 * 1024 * 1024 + 17, tag.len() as u8);
    upload(s, &name, &data);
    assert!(
        std::fs::read(t.local.join(&name)).unwrap() == data,
        "{tag}: upload differs on disk"
    );
    assert!(download(s, &name) == data, "{tag}: download differs");
    s.delete(&name).unwrap();
    assert!(!t.local.join(&name).exists());
}

/// TYPE A both ways: retrlines gives the lines; storlines sends CRLF, which
/// the server stores as LF unless its ASCII mode is fake (vsftpd).
fn text_both_ways(t: &Target, s: &mut Session, tag: &str) {
    assert_eq!(lines(s, "RETR lines.txt"), LINES, "{tag}");
    let name = t.unique("text");
    let mut src: &[u8] = b"one\ntwo\r\nthree";
    s.storlines(
        &format!("STOR {name}"),
        |buf| {
            let n = src.len().min(buf.len());
            buf[..n].copy_from_slice(&src[..n]);
            src = &src[n..];
            Ok(n)
        },
        |_| Ok(()),
    )
    .unwrap();
    let want: &[u8] = if t.kind.ascii_upload_stores_lf() {
        b"one\ntwo\nthree\n"
    } else {
        b"one\r\ntwo\r\nthree\r\n"
    };
    assert_eq!(std::fs::read(t.local.join(&name)).unwrap(), want, "{tag}");
    assert_eq!(
        lines(s, &format!("RETR {name}")),
        ["one", "two", "three"],
        "{tag}"
    );
    s.delete(&name).unwrap();
}

fn plain_transfers(name: &'static str) {
    let Some(t) = Target::get(name) else { return };
    let mut s = t.open(None);
    for passive in [true, false] {
        s.set_passive(passive);
        let tag = format!("{name} {}", if passive { "passive" } else { "active" });
        fixtures_and_round_trip(&t, &mut s, &tag);
        text_both_ways(&t, &mut s, &tag);
    }
    s.set_passive(true);
    // SIZE in binary mode (set by the downloads above)
    s.voidcmd("TYPE I").unwrap();
    assert_eq!(s.size("hello.txt").unwrap(), Some(12));
    // descriptors: a file downloaded into, then uploaded from
    let path = std::env::temp_dir().join(t.unique("fd"));
    let file = std::fs::File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .unwrap();
    assert_eq!(
        s.retr_to_fd("RETR big.bin", file.as_fd(), None).unwrap(),
        5 * 1024 * 1024
    );
    let big = std::fs::read(t.local.join("big.bin")).unwrap();
    assert!(std::fs::read(&path).unwrap() == big, "{name}: retr_to_fd");
    let copy = t.unique("fdcopy");
    let file = std::fs::File::open(&path).unwrap();
    assert_eq!(
        s.stor_from_fd(&format!("STOR {copy}"), file.as_fd(), None)
            .unwrap(),
        5 * 1024 * 1024
    );
    assert!(
        std::fs::read(t.local.join(&copy)).unwrap() == big,
        "{name}: stor_from_fd"
    );
    s.delete(&copy).unwrap();
    std::fs::remove_file(&path).unwrap();
    s.quit().unwrap();
}

/// Whether a listed name (or LIST line) is a file of another test running
/// at the same time on the same server (Target::unique names start with
/// "rs-", those of tests/c/test_servers.c with "cs_").
fn foreign(name: &str) -> bool {
    ["rs-", "cs_"]
        .iter()
        .any(|p| name.starts_with(p) || name.contains(&format!(" {p}")))
}

/// The names NLST gives (without other tests' files).
fn names(s: &mut Session, args: Option<&str>) -> Result<BTreeSet<String>, Error> {
    let mut out = BTreeSet::new();
    s.nlst(args, |l| {
        let name = String::from_utf8_lossy(l).into_owned();
        if !foreign(&name) {
            out.insert(name);
        }
        Ok(())
    })?;
    Ok(out)
}

/// NLST, LIST, MLSD (or its absence), NLST of a subdirectory and of a
/// missing path, MKD/RMD.
fn listings(t: &Target, s: &mut Session, tag: &str) {
    let mut want: BTreeSet<String> = t
        .kind
        .fixture_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    if t.kind.nlst_lists_dots() {
        want.extend([".".to_string(), "..".to_string()]);
    }
    assert_eq!(names(s, None).unwrap(), want, "{tag}: NLST");
    let sub: BTreeSet<String> = t.kind.nlst_subdir().iter().map(|n| n.to_string()).collect();
    assert_eq!(names(s, Some("subdir")).unwrap(), sub, "{tag}: NLST subdir");

    let mut list = Vec::new();
    s.dir(None, |l| {
        let line = String::from_utf8_lossy(l).into_owned();
        if !foreign(&line) {
            list.push(line);
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(list.len(), t.kind.fixture_names().len(), "{tag}: {list:?}");
    for n in t.kind.fixture_names() {
        assert!(
            list.iter().any(|l| l.ends_with(&format!(" {n}"))),
            "{tag}: LIST lacks {n}: {list:?}"
        );
    }
    let big = list.iter().find(|l| l.ends_with(" big.bin")).unwrap();
    assert!(
        big.starts_with('-') && big.contains(" 5242880 "),
        "{tag}: {big}"
    );

    let missing = names(s, Some("nope"));
    match (t.kind.nlst_missing_code(), missing) {
        (226, Ok(n)) => assert!(n.is_empty(), "{tag}: {n:?}"),
        (450, Err(Error::Temp(r))) | (550, Err(Error::Perm(r))) => {
            assert_eq!(r.code, t.kind.nlst_missing_code(), "{tag}: {r}")
        }
        (code, other) => panic!("{tag}: NLST nope: want {code}, got {other:?}"),
    }
    // the session is in step after the refusal
    assert!(s.voidcmd("NOOP").unwrap().starts_with("200"));

    let mut facts = Vec::new();
    // (vsftpd would refuse the OPTS MLST that a fact list sends first:
    // `501 Option not understood.`)
    let want: &[&str] = if t.kind.has_mlsd() {
        &["type", "size"]
    } else {
        &[]
    };
    let r = s.mlsd(None, want, |e| {
        facts.push((
            String::from_utf8_lossy(e.name).into_owned(),
            e.fact("type")
                .map(|v| String::from_utf8_lossy(v).into_owned()),
            e.fact("size")
                .map(|v| String::from_utf8_lossy(v).into_owned()),
        ));
        Ok(())
    });
    if t.kind.has_mlsd() {
        r.unwrap();
        let find = |n: &str| facts.iter().find(|f| f.0 == n).cloned();
        assert_eq!(
            find("big.bin"),
            Some((
                "big.bin".into(),
                Some("file".into()),
                Some("5242880".into())
            )),
            "{tag}: {facts:?}"
        );
        assert_eq!(find("hello.txt").unwrap().2.as_deref(), Some("12"));
        assert_eq!(find("subdir").unwrap().1.as_deref(), Some("dir"));
        assert!(
            find("café.txt").is_some() && find("a b;c.txt").is_some(),
            "{tag}: {facts:?}"
        );
    } else {
        // vsftpd: `500 Unknown command.`
        assert!(
            matches!(r, Err(Error::Perm(ref reply)) if reply.code == 500),
            "{tag}: {r:?}"
        );
    }

    let dir = t.unique("dir");
    assert_eq!(s.mkd(&dir).unwrap(), t.kind.mkd_path(&dir), "{tag}: MKD");
    assert!(t.local.join(&dir).is_dir());
    s.rmd(&dir).unwrap();
    assert!(!t.local.join(&dir).exists());
}

fn plain_listings(name: &'static str) {
    let Some(t) = Target::get(name) else { return };
    let mut s = t.open(None);
    listings(&t, &mut s, name);
    s.set_passive(false);
    listings(&t, &mut s, &format!("{name} active"));
    s.quit().unwrap();
}

/// Protected transfers of every kind in a row on one session, passive then
/// active: each data connection must be accepted (vsftpd and ProFTPD
/// refuse one that does not resume the control connection's session).
fn ftps_in_a_row(name: &'static str, version: Option<TlsVersion>) {
    let Some(t) = Target::get(name) else { return };
    let mut s = t.open(version);
    assert!(s.control_secured() && s.data_protected());
    for passive in [true, false] {
        s.set_passive(passive);
        let tag = format!(
            "{name} {version:?} {}",
            if passive { "passive" } else { "active" }
        );
        fixtures_and_round_trip(&t, &mut s, &tag);
        text_both_ways(&t, &mut s, &tag);
        listings(&t, &mut s, &tag);
        assert_eq!(download(&mut s, "hello.txt"), b"hello world\n", "{tag}");
    }
    s.quit().unwrap();
}

/// Logs in to `t` with the debug lines (level 1) captured; returns the
/// session and the commands and replies after the login's 230 (AUTH TLS
/// and the login itself left out).
fn login_logged(t: &Target, encoding: Encoding) -> (Session, Vec<String>) {
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    let mut s = t.session(None);
    s.set_encoding(encoding);
    s.set_debug_level(1);
    s.set_debug_sink(Some(Box::new(move |l: &str| {
        sink.lock().unwrap().push(l.to_string())
    })));
    s.connect(&t.host, t.port).unwrap();
    let (user, pass) = match &t.user {
        Some((u, p)) => (u.as_str(), p.as_str()),
        None => ("", ""),
    };
    let r = s.login(user, pass, "").unwrap();
    assert_eq!(r.code, 230, "{}: {r}", t.name);
    assert_eq!(s.last_reply().map(|r| r.code), Some(230), "{}", t.name);
    s.set_debug_sink(None);
    s.set_debug_level(0);
    let lines = lines.lock().unwrap();
    // vsftpd logs anonymous in at USER (no PASS): start after the 230.
    let logged_in = lines
        .iter()
        .position(|l| l.starts_with("*resp* '230"))
        .expect("a 230 reply");
    let rest = lines[logged_in + 1..]
        .iter()
        .filter(|l| l.starts_with("*cmd* ") || l.starts_with("*resp* "))
        .cloned()
        .collect();
    (s, rest)
}

/// RFC 2640 at login: a UTF-8 session sends FEAT, then `OPTS UTF8 ON` if
/// UTF8 is advertised (Pure-FTPd's 504 is ignored, login succeeds with
/// 230); later feature questions send nothing; a latin-1 session sends
/// neither FEAT nor OPTS.
fn utf8_login(name: &'static str) {
    let Some(t) = Target::get(name) else { return };
    let (mut s, after) = login_logged(&t, Encoding::Utf8);
    let cmds: Vec<&str> = after
        .iter()
        .filter_map(|l| l.strip_prefix("*cmd* "))
        .collect();
    let mut want = Vec::new();
    if t.tls != Tls::No {
        want.extend(["'PBSZ 0'", "'PROT P'"]);
    }
    want.push("'FEAT'");
    if t.kind.opts_utf8_code().is_some() {
        want.push("'OPTS UTF8 ON'");
    }
    assert_eq!(cmds, want, "{name}: {after:?}");
    let last = after.last().unwrap();
    match t.kind.opts_utf8_code() {
        Some(code) => assert!(
            last.starts_with(&format!("*resp* '{code} ")),
            "{name}: {after:?}"
        ),
        None => assert!(last.starts_with("*resp* '211"), "{name}: {after:?}"),
    }
    let utf8 = s.feature("UTF8").unwrap();
    assert_eq!(utf8.is_some(), t.kind.opts_utf8_code().is_some(), "{name}");
    assert!(s.last_reply().is_none(), "{name}: FEAT asked twice");
    if !t.kind.dir().is_empty() {
        s.cwd(t.kind.dir()).unwrap();
    }
    assert_eq!(download(&mut s, "hello.txt"), b"hello world\n", "{name}");
    s.quit().unwrap();

    let (mut s, after) = login_logged(&t, Encoding::Latin1);
    let cmds: Vec<&str> = after
        .iter()
        .filter_map(|l| l.strip_prefix("*cmd* "))
        .collect();
    let want: &[&str] = if t.tls == Tls::No {
        &[]
    } else {
        &["'PBSZ 0'", "'PROT P'"]
    };
    assert_eq!(cmds, want, "{name} latin-1: {after:?}");
    s.quit().unwrap();
}

#[test]
fn utf8_login_on_every_server() {
    for (name, _) in realservers::PLAIN {
        utf8_login(name);
    }
    for (name, _, _) in realservers::FTPS {
        utf8_login(name);
    }
}

macro_rules! plain_server {
    ($transfers:ident, $listings:ident, $name:literal) => {
        #[test]
        fn $transfers() {
            plain_transfers($name);
        }
        #[test]
        fn $listings() {
            plain_listings($name);
        }
    };
}

plain_server!(vsftpd_transfers, vsftpd_listings, "VSFTPD");
plain_server!(pyftpd_transfers, pyftpd_listings, "PYFTPD");
plain_server!(proftpd_transfers, proftpd_listings, "PROFTPD");
plain_server!(pureftpd_transfers, pureftpd_listings, "PUREFTPD");

macro_rules! ftps_server {
    ($tls12:ident, $tls13:ident, $name:literal) => {
        #[test]
        fn $tls12() {
            ftps_in_a_row($name, Some(TlsVersion::Tls12));
        }
        #[test]
        fn $tls13() {
            ftps_in_a_row($name, Some(TlsVersion::Tls13));
        }
    };
}

ftps_server!(vsftpds_tls12_in_a_row, vsftpds_tls13_in_a_row, "VSFTPDS");
ftps_server!(vsftpdi_tls12_in_a_row, vsftpdi_tls13_in_a_row, "VSFTPDI");
ftps_server!(pyftpds_tls12_in_a_row, pyftpds_tls13_in_a_row, "PYFTPDS");
ftps_server!(proftpds_tls12_in_a_row, proftpds_tls13_in_a_row, "PROFTPDS");
ftps_server!(proftpdi_tls12_in_a_row, proftpdi_tls13_in_a_row, "PROFTPDI");
ftps_server!(
    pureftpds_tls12_in_a_row,
    pureftpds_tls13_in_a_row,
    "PUREFTPDS"
);
