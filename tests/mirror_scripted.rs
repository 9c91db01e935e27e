//! The round trips of a mirror, on a scripted server: per file only EPSV
//! and RETR or STOR (no TYPE, CWD, SIZE or MDTM per file: sizes and times
//! come from the MLSD listing, TYPE I is sent once per session, paths are
//! relative to the root); with KEEP_MTIME the MLSD time is used as is.
//! Once per download, MLST checks that the source root is a directory.

use ftp::{Direction, FileOptions, MirrorOptions, MirrorReport, Pool};
use ftp_testkit::{Conn, ScriptedServer};
use std::io::Write;
use std::time::{Duration, UNIX_EPOCH};

const FEAT: &str = "211-Features:\r\n MLST type*;size*;modify*;\r\n EPSV\r\n211 End";

const FILES: [(&str, &[u8]); 3] = [
    ("a.txt", b"alpha"),
    ("b c.bin", b"bravo charlie"),
    ("e.txt", b""),
];

/// Sends `bytes` on the passive data connection, framed by 150 / 226.
fn send_data(c: &mut Conn, bytes: &[u8]) {
    c.reply("150 here it comes");
    let mut d = c.accept_data_within(Duration::from_secs(10));
    d.write_all(bytes).unwrap();
    drop(d);
    c.reply("226 done");
}

/// Answers a mirror of the tree root/FILES until the client goes.
fn serve(c: &mut Conn) {
    c.reply("220 scripted server ready");
    c.login_answering_feat(FEAT);
    while let Some(cmd) = c.read_cmd() {
        let (verb, arg) = cmd.split_once(' ').unwrap_or((cmd.as_str(), ""));
        match verb {
            "TYPE" => c.reply("200 ok"),
            "EPSV" => {
                let port = c.open_passive();
                c.reply(&format!("229 Entering Extended Passive Mode (|||{port}|)"));
            }
            "MLSD" if arg == "root" => {
                let mut listing = Vec::new();
                for (name, data) in FILES {
                    let line = format!(
                        "type=file;size={};modify=20200101000000; {name}\r\n",
                        data.len()
                    );
                    listing.extend_from_slice(line.as_bytes());
                }
                send_data(c, &listing);
            }
            "MLST" if arg == "root" => {
                c.reply("250-Listing root\r\n type=dir;modify=20200101000000; root\r\n250 End")
            }
            "MKD" => c.reply("257 \"root\" created"),
            "STOR" => {
                c.reply("150 send it");
                let d = c.accept_data_within(Duration::from_secs(10));
                let got = Conn::read_all(d);
                let want = FILES.iter().find(|(n, _)| format!("root/{n}") == arg);
                assert_eq!(want.map(|w| w.1), Some(got.as_slice()), "{arg}");
                c.reply("226 stored");
            }
            "RETR" => match FILES.iter().find(|(n, _)| format!("root/{n}") == arg) {
                Some((_, data)) => send_data(c, data),
                None => c.reply("550 no such file"),
            },
            _ => c.reply("502 not expected here"),
        }
    }
}

#[test]
fn a_download_costs_epsv_and_retr_per_file() {
    let server = ScriptedServer::start(serve);
    let pool = Pool::new(&format!("ftp://127.0.0.1:{}", server.port()), None, 1).unwrap();
    let dir = std::env::temp_dir().join(format!("libftp-mirror-scripted-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let keep = MirrorOptions {
        files: FileOptions {
            keep_mtime: true,
            ..Default::default()
        },
        ..Default::default()
    };
    // With a progress callback too: the totals come from the listing.
    let totals = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = totals.clone();
    pool.set_progress(
        Some(std::sync::Arc::new(move |p: &ftp::Progress<'_>| {
            seen.lock().unwrap().push((p.path.to_string(), p.total));
            Ok(())
        })),
        Duration::ZERO,
    );
    let mut r = MirrorReport::default();
    pool.mirror(Direction::Download, "root", &dir, keep, &mut r)
        .unwrap_or_else(|e| panic!("{e} {r:?}"));
    assert_eq!((r.files_copied, r.bytes), (3, 18), "{r:?}");
    for (name, data) in FILES {
        let p = dir.join(name);
        assert_eq!(std::fs::read(&p).unwrap(), data, "{name}");
        let t = std::fs::metadata(&p).unwrap().modified().unwrap();
        assert_eq!(t, UNIX_EPOCH + Duration::from_secs(1_577_836_800), "{name}");
    }
    for (name, data) in FILES {
        let path = format!("root/{name}");
        let want = Some(data.len() as u64);
        assert!(
            totals
                .lock()
                .unwrap()
                .iter()
                .any(|(p, t)| *p == path && *t == want),
            "{path}: {:?}",
            totals.lock().unwrap()
        );
    }
    drop(pool);
    let cmds = server.finish();
    let verbs: Vec<&str> = cmds.iter().map(|c| c.split(' ').next().unwrap()).collect();
    assert_eq!(
        verbs,
        [
            "USER", "PASS", "FEAT", "MLST", "TYPE", "EPSV", "MLSD", "TYPE", "EPSV", "RETR", "EPSV",
            "RETR", "EPSV", "RETR"
        ],
        "{cmds:?}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_upload_costs_epsv_and_stor_per_file() {
    let server = ScriptedServer::start(serve);
    let pool = Pool::new(&format!("ftp://127.0.0.1:{}", server.port()), None, 1).unwrap();
    let dir =
        std::env::temp_dir().join(format!("libftp-mirror-scripted-up-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, data) in FILES {
        std::fs::write(dir.join(name), data).unwrap();
    }
    let mut r = MirrorReport::default();
    pool.mirror(Direction::Upload, "root", &dir, Default::default(), &mut r)
        .unwrap_or_else(|e| panic!("{e} {r:?}"));
    assert_eq!(r.files_copied, 3, "{r:?}");
    drop(pool);
    let cmds = server.finish();
    let verbs: Vec<&str> = cmds.iter().map(|c| c.split(' ').next().unwrap()).collect();
    assert_eq!(
        verbs,
        ["USER", "PASS", "FEAT", "MKD", "TYPE", "EPSV", "STOR", "EPSV", "STOR", "EPSV", "STOR"],
        "{cmds:?}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
