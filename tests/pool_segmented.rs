//! Segmented downloads over a pool (`Pool::download_segmented`): byte-exact
//! at 1..8 segments with a size not divisible by them (vsftpd, pyftpdlib),
//! with VERIFY and ATOMIC, more segments than sessions, sessions reused
//! after the expected stops, and the one-stream fallback when FEAT lacks
//! REST STREAM (scripted server); on a small threaded server, a slow part
//! rebalanced onto the others, and a failed part stopping the rest with
//! only a complete prefix left (nothing with ATOMIC).

mod realservers;

use realservers::env;

use ftp::files::FileOptions;
use ftp::Pool;
use ftp_testkit::ScriptedServer;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn scratch(tag: &str) -> PathBuf {
    realservers::scratch("seg", tag)
}

/// 5 MiB + 7 bytes of a pattern that differs at every offset modulo a
/// prime, so a part written at a wrong offset shows.
fn odd_data() -> Vec<u8> {
    (0..(5u64 << 20) + 7)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ (i % 251) as u8)
        .collect()
}

/// Writes `data` as `dir/name`, world-readable (anonymous vsftpd serves
/// only such files).
fn put(dir: &Path, name: &str, data: &[u8]) {
    let p = dir.join(name);
    let mut f = std::fs::File::create(&p).unwrap();
    f.write_all(data).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
}

fn opts() -> FileOptions {
    FileOptions::default()
}

fn no_leftovers(dir: &Path) {
    let names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".part"))
        .collect();
    assert!(names.is_empty(), "temporary files left: {names:?}");
}

/// S = 1..8 byte-exact, VERIFY, ATOMIC, more segments than sessions.
fn against(url: &str, pub_dir: &Path, tag: &str) {
    let data = odd_data();
    let name = format!("seg-odd-{}-{tag}.bin", std::process::id());
    put(pub_dir, &name, &data);
    let dir = scratch(tag);
    let pool = Pool::new(url, None, 8).unwrap();
    for s in 1..=8u32 {
        let local = dir.join(format!("s{s}.bin"));
        pool.download_segmented(&name, &local, s, opts())
            .unwrap_or_else(|e| panic!("{tag} S={s}: {e}"));
        let got = std::fs::read(&local).unwrap();
        assert!(
            got.len() == data.len() && got == data,
            "{tag} S={s} differs"
        );
        assert!(pool.peak_sessions() <= 8);
        // Every worker had a session of its own.
        assert!(pool.peak_sessions() >= s as usize, "{tag} S={s}");
    }
    // The expected stops broke nothing: 8 more parts reuse the sessions.
    let opened = pool.sessions_opened();
    assert!(opened <= 8, "{opened} sessions opened");
    let local = dir.join("again.bin");
    pool.download_segmented(&name, &local, 8, opts()).unwrap();
    assert!(std::fs::read(&local).unwrap() == data);
    assert_eq!(
        pool.sessions_opened(),
        opened,
        "{tag}: sessions were replaced"
    );
    // VERIFY (by digest or SIZE) and ATOMIC, with a missing parent.
    for s in [3u32, 4] {
        let local = dir.join(format!("deep{s}/v.bin"));
        let o = FileOptions {
            verify: true,
            atomic: true,
            create_dirs: true,
            keep_mtime: true,
            ..opts()
        };
        pool.download_segmented(&name, &local, s, o)
            .unwrap_or_else(|e| panic!("{tag} verify S={s}: {e}"));
        assert!(std::fs::read(&local).unwrap() == data);
        no_leftovers(local.parent().unwrap());
    }
    // The fixture big.bin (5 MiB, divisible) too.
    let local = dir.join("big.bin");
    pool.download_segmented("big.bin", &local, 7, opts())
        .unwrap();
    assert!(std::fs::read(&local).unwrap() == std::fs::read(pub_dir.join("big.bin")).unwrap());
    // More segments than the pool has sessions: the two do all parts.
    let small = Pool::new(url, None, 2).unwrap();
    let local = dir.join("two.bin");
    small.download_segmented(&name, &local, 6, opts()).unwrap();
    assert!(std::fs::read(&local).unwrap() == data);
    assert!(small.peak_sessions() <= 2);
    // A huge count asks for parts of at least 256 KiB, threads per session.
    let local = dir.join("many.bin");
    small
        .download_segmented(&name, &local, u32::MAX, opts())
        .unwrap();
    assert!(std::fs::read(&local).unwrap() == data);
    assert!(small.peak_sessions() <= 2);
    // A small file goes in one stream; a missing one fails cleanly.
    let local = dir.join("hello.txt");
    pool.download_segmented("hello.txt", &local, 4, opts())
        .unwrap();
    assert!(std::fs::read(&local).unwrap() == std::fs::read(pub_dir.join("hello.txt")).unwrap());
    assert!(pool
        .download_segmented("no-such-file.bin", &dir.join("x"), 4, opts())
        .is_err());
    let _ = std::fs::remove_file(pub_dir.join(&name));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn vsftpd_one_to_eight_segments_byte_exact() {
    let (Some(port), Some(root)) = (env("FTP_TEST_VSFTPD_PORT"), env("FTP_TEST_VSFTPD_ROOT"))
    else {
        return;
    };
    against(
        &format!("ftp://127.0.0.1:{port}/pub"),
        &Path::new(&root).join("pub"),
        "vsftpd",
    );
}

#[test]
fn pyftpdlib_one_to_eight_segments_byte_exact() {
    let (Some(port), Some(root), Some(user), Some(pass)) = (
        env("FTP_TEST_PYFTPD_PORT"),
        env("FTP_TEST_PYFTPD_ROOT"),
        env("FTP_TEST_PYFTPD_USER"),
        env("FTP_TEST_PYFTPD_PASS"),
    ) else {
        return;
    };
    let root = Path::new(&root);
    let pub_dir = if root.join("pub/big.bin").exists() {
        root.join("pub")
    } else {
        root.to_path_buf()
    };
    let rel = pub_dir
        .strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    against(
        &format!("ftp://{user}:{pass}@127.0.0.1:{port}/{rel}"),
        &pub_dir,
        "pyftpd",
    );
}

#[test]
fn without_rest_stream_one_stream_is_used() {
    let data: Vec<u8> = (0..(2u32 << 20) + 3).map(|i| (i % 253) as u8).collect();
    let served = data.clone();
    // FEAT (at login) advertises SIZE and MDTM but no REST STREAM.
    let server = ScriptedServer::start_sessions(1, move |_, c| {
        c.greet_and_login();
        while let Some(cmd) = c.read_cmd() {
            if cmd.starts_with("TYPE") {
                c.reply("200 binary");
            } else if cmd.starts_with("SIZE") {
                c.reply(&format!("213 {}", served.len()));
            } else if cmd == "EPSV" {
                let port = c.open_passive();
                c.reply(&format!("229 Entering Extended Passive Mode (|||{port}|)"));
            } else if cmd.starts_with("RETR") {
                c.reply("150 here it comes");
                let mut d = c.accept_data();
                d.write_all(&served).unwrap();
                drop(d);
                c.reply("226 done");
            } else {
                c.reply("502 not here");
            }
        }
    });
    let pool = Pool::new(&format!("ftp://127.0.0.1:{}", server.port()), None, 4).unwrap();
    let dir = scratch("norest");
    let local = dir.join("f.bin");
    pool.download_segmented("f.bin", &local, 4, opts()).unwrap();
    assert!(std::fs::read(&local).unwrap() == data);
    assert_eq!(pool.sessions_opened(), 1, "one session, one stream");
    drop(pool);
    // Each command as "session:command".
    let got: Vec<String> = server
        .finish()
        .into_iter()
        .map(|c| c.split_once(':').map_or(c.clone(), |(_, c)| c.to_string()))
        .collect();
    let retrs: Vec<_> = got.iter().filter(|c| c.starts_with("RETR")).collect();
    assert_eq!(retrs, ["RETR f.bin"], "{got:?}");
    assert!(!got.iter().any(|c| c.starts_with("REST")), "{got:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A small threaded server for the rebalancing test: every connection
/// served at once (the testkit's scripted server serves them in turn).
/// FEAT advertises REST STREAM; the first connection sends its data
/// slowly; connection `fail` drops its control connection at RETR
/// after sending 100 KiB. Returns its port and the log of "conn:REST n" / "conn:RETR".
fn threaded_server(data: Arc<Vec<u8>>, fail: Option<usize>) -> (u16, Arc<Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let log = Arc::new(Mutex::new(Vec::new()));
    let log2 = log.clone();
    std::thread::spawn(move || {
        for (i, conn) in listener.incoming().enumerate() {
            let Ok(mut ctl) = conn else { return };
            let (data, log) = (data.clone(), log2.clone());
            std::thread::spawn(move || {
                let mut rd = BufReader::new(ctl.try_clone().unwrap());
                let say = |ctl: &mut std::net::TcpStream, t: &str| {
                    let _ = ctl.write_all(format!("{t}\r\n").as_bytes());
                };
                say(&mut ctl, "220 threaded");
                let (mut rest, mut pasv) = (0usize, None);
                let mut line = String::new();
                while {
                    line.clear();
                    rd.read_line(&mut line).unwrap_or(0) > 0
                } {
                    let cmd = line.trim_end().to_string();
                    let verb = cmd.split(' ').next().unwrap_or("").to_ascii_uppercase();
                    match verb.as_str() {
                        "USER" => say(&mut ctl, "331 pass"),
                        "PASS" => say(&mut ctl, "230 in"),
                        "FEAT" => say(
                            &mut ctl,
                            "211-Features:\r\n SIZE\r\n REST STREAM\r\n211 End",
                        ),
                        "TYPE" => say(&mut ctl, "200 ok"),
                        "SIZE" => say(&mut ctl, &format!("213 {}", data.len())),
                        "EPSV" => {
                            let l = TcpListener::bind("127.0.0.1:0").unwrap();
                            let p = l.local_addr().unwrap().port();
                            pasv = Some(l);
                            say(&mut ctl, &format!("229 ok (|||{p}|)"));
                        }
                        "REST" => {
                            rest = cmd[5..].trim().parse().unwrap();
                            log.lock().unwrap().push(format!("{i}:REST {rest}"));
                            say(&mut ctl, "350 ok");
                        }
                        "RETR" => {
                            log.lock().unwrap().push(format!("{i}:RETR"));
                            say(&mut ctl, "150 data");
                            let (mut d, _) = pasv.take().unwrap().accept().unwrap();
                            if fail == Some(i) {
                                let _ = d.write_all(&data[rest..rest + (100 << 10)]);
                                return;
                            }
                            let chunk = if i == 0 { 16 << 10 } else { 256 << 10 };
                            let mut ok = true;
                            for piece in data[rest..].chunks(chunk) {
                                if d.write_all(piece).is_err() {
                                    ok = false;
                                    break;
                                }
                                if i == 0 {
                                    std::thread::sleep(Duration::from_millis(20));
                                }
                            }
                            drop(d);
                            rest = 0;
                            say(&mut ctl, if ok { "226 done" } else { "426 aborted" });
                        }
                        _ => say(&mut ctl, "502 no"),
                    }
                }
            });
        }
    });
    (port, log)
}

#[test]
fn a_slow_part_is_rebalanced_onto_the_others() {
    let data: Arc<Vec<u8>> = Arc::new(
        (0..(4u64 << 20) + 5)
            .map(|i| (i.wrapping_mul(40_503) >> 7) as u8)
            .collect(),
    );
    let (port, log) = threaded_server(data.clone(), None);
    let pool = Pool::new(&format!("ftp://127.0.0.1:{port}"), None, 4).unwrap();
    let dir = scratch("rebalance");
    let local = dir.join("r.bin");
    pool.download_segmented("r.bin", &local, 4, opts()).unwrap();
    assert!(std::fs::read(&local).unwrap() == *data, "differs");
    let log = log.lock().unwrap().clone();
    let retrs = log.iter().filter(|l| l.ends_with(":RETR")).count();
    assert!(retrs > 4, "no part was stolen: {log:?}");
    // Nothing was broken by the stops: no session was replaced.
    assert_eq!(pool.sessions_opened(), 4);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_failed_part_stops_the_others_and_leaves_only_a_complete_prefix() {
    let data: Arc<Vec<u8>> = Arc::new((0..(4u64 << 20) + 5).map(|i| (i % 241) as u8).collect());
    // The third connection to open fails in the middle of its part.
    let (port, _) = threaded_server(data.clone(), Some(2));
    let pool = Pool::new(&format!("ftp://127.0.0.1:{port}"), None, 4).unwrap();
    pool.set_timeout(Some(Duration::from_secs(5)));
    let dir = scratch("fail");
    let local = dir.join("f.bin");
    let e = pool
        .download_segmented("f.bin", &local, 4, opts())
        .unwrap_err();
    assert!(
        matches!(e.kind(), ftp::ErrorKind::Eof | ftp::ErrorKind::Io),
        "{e}"
    );
    let got = std::fs::read(&local).unwrap();
    assert!(got.len() < data.len(), "left full-size");
    assert!(
        got[..] == data[..got.len()],
        "the prefix kept is not the server's"
    );
    // ATOMIC: nothing is left at all.
    let (port, _) = threaded_server(data.clone(), Some(2));
    let pool = Pool::new(&format!("ftp://127.0.0.1:{port}"), None, 4).unwrap();
    let local = dir.join("a.bin");
    let o = FileOptions {
        atomic: true,
        ..opts()
    };
    assert!(pool.download_segmented("f.bin", &local, 4, o).is_err());
    assert!(!local.exists());
    no_leftovers(&dir);
    std::fs::remove_dir_all(dir).unwrap();
}
