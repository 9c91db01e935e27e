//! Segmented downloads over a pool (`Pool::download_segmented`): byte-exact
//! at 1..8 segments with a size not divisible by them (vsftpd, pyftpdlib),
//! with VERIFY and ATOMIC, more segments than sessions, sessions reused
//! after the expected stops, and the one-stream fallback when FEAT lacks
//! REST STREAM (scripted server).

use ftp::files::FileOptions;
use ftp::Pool;
use ftp_testkit::ScriptedServer;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

fn env(key: &str) -> Option<String> {
    let v = std::env::var(key).ok();
    if v.is_none() {
        assert!(
            std::env::var("FTP_TEST_REQUIRE_SERVERS").as_deref() != Ok("1"),
            "{key} is not set"
        );
        eprintln!("SKIP: {key} not set (no test servers)");
    }
    v
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("libftp-seg-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
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
