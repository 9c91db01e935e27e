//! `Session::connect_url` against the scripted server: credentials from
//! the URL or a netrc file, the directory changes, what the pool shares.

use ftp::session::{NetrcFile, UrlCwd, UrlPath};
use ftp::url::FtpUrl;
use ftp::{Error, Session};
use ftp_testkit::{ScriptedServer, LOGIN_FEATURES};
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

fn session() -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

fn url(text: &str, server: &ScriptedServer) -> FtpUrl {
    FtpUrl::parse(&text.replace("PORT", &server.port().to_string())).unwrap()
}

/// A netrc file in a fresh temporary directory, with `mode`.
fn netrc_file(name: &str, text: &str, mode: u32) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ftp-netrc-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("netrc");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

#[test]
fn url_credentials_and_one_cwd_per_segment() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("CWD", "250 ok");
        c.exchange("CWD", "250 ok");
        c.exchange("CWD", "250 ok");
        c.drain("200 ok");
    });
    let mut s = session();
    let u = url(
        "ftp://us%40er:p%40ss%3A%2F@127.0.0.1:PORT//pub/a%2Fb/file.txt;type=i",
        &server,
    );
    let r = s.connect_url(&u, None, UrlPath::File).unwrap();
    assert_eq!(r.code, 230);
    assert_eq!(s.last_reply().unwrap().code, 230);
    s.close();
    let seen = server.finish();
    assert_eq!(
        seen,
        [
            "USER us@er",
            "PASS p@ss:/",
            "FEAT",
            "CWD /",
            "CWD pub",
            "CWD a/b"
        ]
    );
}

#[test]
fn one_cwd_for_the_whole_directory_and_directory_urls() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("CWD", "250 ok");
        c.drain("200 ok");
    });
    let mut s = session();
    s.set_url_cwd(UrlCwd::Once);
    let u = url("ftp://127.0.0.1:PORT/a/b/c", &server);
    s.connect_url(&u, None, UrlPath::Directory).unwrap();
    assert_eq!(s.url_path(), Some("a/b/c"));
    s.close();
    assert_eq!(s.url_path(), Some("a/b/c"));
    let seen = server.finish();
    assert_eq!(
        seen,
        ["USER anonymous", "PASS anonymous@", "FEAT", "CWD a/b/c"]
    );
}

#[test]
fn no_cwd_leaves_the_path_to_the_caller() {
    let server = ScriptedServer::start_sessions(2, |i, c| {
        match i {
            0 => c.greet_and_login(),
            _ => c.reply("220 hi"),
        }
        c.drain("200 ok");
    });
    let mut s = session();
    s.set_url_cwd(UrlCwd::None);
    let u = url(
        "ftp://u:p@127.0.0.1:PORT/%2Fsrv/new%20dir/f.bin;type=i",
        &server,
    );
    s.connect_url(&u, None, UrlPath::File).unwrap();
    assert_eq!(s.url_path(), Some("/srv/new dir/f.bin"));
    s.close();
    s.connect("127.0.0.1", server.port()).unwrap();
    assert_eq!(s.url_path(), None);
    s.close();
    let seen = server.finish();
    assert_eq!(seen, ["0:USER u", "0:PASS p", "0:FEAT"]);
}

#[test]
fn a_failed_cwd_closes_the_connection() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("CWD", "550 no such directory");
        c.expect_eof();
    });
    let mut s = session();
    let u = url("ftp://u:p@127.0.0.1:PORT/missing/f", &server);
    let e = s.connect_url(&u, None, UrlPath::File).unwrap_err();
    assert!(matches!(&e, Error::Perm(r) if r.code == 550), "{e:?}");
    assert!(!s.is_connected());
    server.finish();
}

#[test]
fn netrc_gives_the_password_for_the_url_user() {
    let path = netrc_file(
        "url",
        "# logins\nmachine other login bob password wrong\n\
         macdef init\ncd /pub\nbin\n\n\
         machine 127.0.0.1 login alice password \"s3cr et\" account acc\n\
         default login anonymous password guest@\n",
        0o600,
    );
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.exchange("USER", "331 pw");
        c.exchange("PASS", "332 account");
        c.exchange("ACCT", "230 in");
        c.exchange("FEAT", LOGIN_FEATURES);
        c.drain("200 ok");
    });
    let mut s = session();
    s.set_netrc(Some(NetrcFile {
        path: path.clone(),
        required: true,
    }));
    let u = url("ftp://alice@127.0.0.1:PORT", &server);
    s.connect_url(&u, None, UrlPath::File).unwrap();
    s.close();
    let seen = server.finish();
    assert_eq!(seen, ["USER alice", "PASS s3cr et", "ACCT acc", "FEAT"]);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn login_netrc_uses_the_connected_host_and_else_anonymous() {
    let path = netrc_file(
        "login",
        "machine 127.0.0.1 login carol password pc\n",
        0o600,
    );
    let server = ScriptedServer::start_sessions(2, |_, c| {
        c.reply("220 hi");
        c.exchange("USER", "331 pw");
        c.exchange("PASS", "230 in");
        c.exchange("FEAT", LOGIN_FEATURES);
        c.drain("200 ok");
    });
    let mut s = session();
    s.set_netrc(Some(NetrcFile {
        path: path.clone(),
        required: true,
    }));
    s.connect("127.0.0.1", server.port()).unwrap();
    s.login_netrc("", "").unwrap();
    s.close();
    s.set_netrc(None);
    s.connect("127.0.0.1", server.port()).unwrap();
    s.login_netrc("", "").unwrap();
    s.close();
    let seen = server.finish();
    assert_eq!(
        seen,
        [
            "0:USER carol",
            "0:PASS pc",
            "0:FEAT",
            "1:USER anonymous",
            "1:PASS anonymous@",
            "1:FEAT"
        ]
    );
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn a_netrc_open_to_others_is_refused_and_nothing_is_sent() {
    let path = netrc_file("open", "machine 127.0.0.1 login dave password pd\n", 0o644);
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.expect_eof();
    });
    let mut s = session();
    s.set_netrc(Some(NetrcFile {
        path: path.clone(),
        required: true,
    }));
    let u = url("ftp://127.0.0.1:PORT/x", &server);
    let e = s.connect_url(&u, None, UrlPath::File).unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
    assert!(
        text.contains("group or others") && !text.contains("pd"),
        "{text}"
    );
    assert!(!s.is_connected());
    assert!(server.finish().is_empty());
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn the_pool_opens_its_sessions_by_url() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("CWD", "250 ok");
        c.exchange("CWD", "250 ok");
        c.drain("200 ok");
    });
    let u = format!("ftp://u:p@127.0.0.1:{}/d1/d2", server.port());
    let pool = ftp::pool::Pool::new(&u, None, 1).unwrap();
    drop(pool.session().unwrap());
    drop(pool);
    let seen = server.finish();
    assert_eq!(seen[3..5], ["CWD d1", "CWD d2"]);
}

#[test]
fn a_missing_netrc_fails_only_when_required() {
    let server = ScriptedServer::start_sessions(2, |i, c| {
        c.reply("220 hi");
        if i == 1 {
            c.exchange("USER anonymous", "331 pw");
            c.exchange("PASS", "230 in");
            c.exchange("FEAT", LOGIN_FEATURES);
        }
        c.drain("200 ok");
    });
    let missing = std::env::temp_dir().join("ftp-no-such-dir-4711/netrc");
    let mut s = session();
    for required in [true, false] {
        s.set_netrc(Some(NetrcFile {
            path: missing.clone(),
            required,
        }));
        s.connect("127.0.0.1", server.port()).unwrap();
        let r = s.login_netrc("", "");
        if required {
            let e = r.unwrap_err();
            assert!(matches!(e, Error::Io { .. }), "{e:?}");
            assert!(e.to_string().contains("ftp-no-such-dir-4711"), "{e}");
        } else {
            assert_eq!(r.unwrap().code, 230);
        }
        s.close();
    }
    let seen = server.finish();
    assert_eq!(seen, ["1:USER anonymous", "1:PASS anonymous@", "1:FEAT"]);
}
