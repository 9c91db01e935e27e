//! The real servers of tests/servers/ftpservers.py as a table, for tests
//! that run the same cases against all of them (`mod realservers;`).
//!
//! A target is one server process: its env-file prefix, its kind (what
//! differs legitimately between servers is asked of [`Kind`], by name) and
//! how it speaks TLS. Missing variables: the test prints SKIP and passes,
//! unless FTP_TEST_REQUIRE_SERVERS=1 (scripts/test.sh), where it fails.
#![allow(dead_code)]

use ftp::tls::{TlsConfig, TlsVersion};
use ftp::Session;
use std::path::PathBuf;
use std::time::Duration;

/// The server software.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// vsftpd 3.0.3: anonymous, files in `pub/`, no MLSD.
    Vsftpd,
    /// pyftpdlib 2.x: tester/secret.
    Pyftpdlib,
    /// ProFTPD 1.3.8 (mod_tls): tester/secret.
    Proftpd,
    /// Pure-FTPd 1.0.50: tester/secret.
    Pureftpd,
}

/// How a target speaks TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls {
    /// Plain FTP.
    No,
    /// AUTH TLS.
    Explicit,
    /// TLS from the first byte.
    Implicit,
}

/// The plain-FTP servers (env prefix, kind).
pub const PLAIN: [(&str, Kind); 4] = [
    ("VSFTPD", Kind::Vsftpd),
    ("PYFTPD", Kind::Pyftpdlib),
    ("PROFTPD", Kind::Proftpd),
    ("PUREFTPD", Kind::Pureftpd),
];

/// The FTPS servers (env prefix, kind, TLS mode).
pub const FTPS: [(&str, Kind, Tls); 6] = [
    ("VSFTPDS", Kind::Vsftpd, Tls::Explicit),
    ("VSFTPDI", Kind::Vsftpd, Tls::Implicit),
    ("PYFTPDS", Kind::Pyftpdlib, Tls::Explicit),
    ("PROFTPDS", Kind::Proftpd, Tls::Explicit),
    ("PROFTPDI", Kind::Proftpd, Tls::Implicit),
    ("PUREFTPDS", Kind::Pureftpd, Tls::Explicit),
];

impl Kind {
    /// The FTP directory holding the fixtures (and writable).
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Vsftpd => "pub",
            _ => "",
        }
    }

    /// MLSD: vsftpd answers `500 Unknown command.`
    pub fn has_mlsd(self) -> bool {
        self != Kind::Vsftpd
    }

    /// Pure-FTPd's NLST lists `.` and `..` too.
    pub fn nlst_lists_dots(self) -> bool {
        self == Kind::Pureftpd
    }

    /// The reply code of `NLST nope` (a missing path): vsftpd sends an
    /// empty listing (`226`), ProFTPD `450 nope: No such file or
    /// directory`, the others 550.
    pub fn nlst_missing_code(self) -> u16 {
        match self {
            Kind::Vsftpd => 226,
            Kind::Proftpd => 450,
            Kind::Pyftpdlib | Kind::Pureftpd => 550,
        }
    }

    /// What `MKD name` returns (the path of the 257 reply): Pure-FTPd
    /// gives the name as sent (`257 "name" : The directory was
    /// successfully created`), the others the absolute path.
    pub fn mkd_path(self, name: &str) -> String {
        match self {
            Kind::Pureftpd => name.to_string(),
            _ if self.dir().is_empty() => format!("/{name}"),
            _ => format!("/{}/{name}", self.dir()),
        }
    }

    /// Whether a TYPE A upload (CRLF on the wire) is stored with LF line
    /// ends: vsftpd's ASCII mode is fake (`ascii_upload_enable=NO`: the
    /// bytes are stored unchanged); the others convert.
    pub fn ascii_upload_stores_lf(self) -> bool {
        self != Kind::Vsftpd
    }

    /// What `NLST subdir` gives: pyftpdlib names relative to the
    /// directory listed, Pure-FTPd adds `.` and `..`.
    pub fn nlst_subdir(self) -> &'static [&'static str] {
        match self {
            Kind::Vsftpd | Kind::Proftpd => &["subdir/nested.txt"],
            Kind::Pyftpdlib => &["nested.txt"],
            Kind::Pureftpd => &["subdir/.", "subdir/nested.txt", "subdir/.."],
        }
    }

    /// The fixture names in [`Kind::dir`] (vsftpd has no `café.txt` and
    /// `a b;c.txt`).
    pub fn fixture_names(self) -> &'static [&'static str] {
        const ALL: [&str; 7] = [
            "a b;c.txt",
            "big.bin",
            "café.txt",
            "empty.bin",
            "hello.txt",
            "lines.txt",
            "subdir",
        ];
        match self {
            Kind::Vsftpd => &["big.bin", "empty.bin", "hello.txt", "lines.txt", "subdir"],
            _ => &ALL,
        }
    }

    /// The reply code of `OPTS UTF8 ON`, which a UTF-8 session sends after
    /// login when FEAT advertises UTF8: pyftpdlib and ProFTPD 200,
    /// Pure-FTPd 504 (a refusal login ignores); `None` for vsftpd, which
    /// advertises UTF8 only with `utf8_filesystem=YES` (not set here), so
    /// no OPTS is sent.
    pub fn opts_utf8_code(self) -> Option<u16> {
        match self {
            Kind::Vsftpd => None,
            Kind::Pyftpdlib | Kind::Proftpd => Some(200),
            Kind::Pureftpd => Some(504),
        }
    }

    /// Whether protected data connections must resume the control
    /// connection's TLS session (vsftpd `require_ssl_reuse=YES`: 522 and
    /// the session ends; ProFTPD: 425, the session goes on).
    pub fn demands_reuse(self) -> bool {
        matches!(self, Kind::Vsftpd | Kind::Proftpd)
    }
}

/// One running server.
pub struct Target {
    /// Env prefix, e.g. "PROFTPDS".
    pub name: &'static str,
    pub kind: Kind,
    pub tls: Tls,
    pub host: String,
    pub port: u16,
    /// Local path of the FTP directory [`Kind::dir`] (where the fixtures
    /// are and uploads land).
    pub local: PathBuf,
    /// None: anonymous.
    pub user: Option<(String, String)>,
    /// The test CA (FTPS targets).
    pub ca: Option<String>,
}

fn require() -> bool {
    std::env::var("FTP_TEST_REQUIRE_SERVERS").as_deref() == Ok("1")
}

/// A new empty directory `libftp-<what>-<pid>-<tag>` under the system's
/// temporary directory (an old one of that name removed first).
pub fn scratch(what: &str, tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("libftp-{what}-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The value of `key`; missing: SKIP (None), or a failure with
/// FTP_TEST_REQUIRE_SERVERS=1.
pub fn env(key: &str) -> Option<String> {
    match std::env::var(key) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            assert!(
                !require(),
                "{key} is not set but FTP_TEST_REQUIRE_SERVERS=1: start \
                 tests/servers/ftpservers.py (scripts/test.sh does)"
            );
            eprintln!("SKIP: {key} not set (no test servers)");
            None
        }
    }
}

impl Target {
    /// The target of env prefix `name` (one of [`PLAIN`] or [`FTPS`]).
    pub fn get(name: &'static str) -> Option<Target> {
        let (kind, tls) = PLAIN
            .iter()
            .map(|&(n, k)| (n, k, Tls::No))
            .chain(FTPS.iter().copied())
            .find(|&(n, _, _)| n == name)
            .map(|(_, k, t)| (k, t))
            .unwrap_or_else(|| panic!("{name} is not in the server table"));
        let key = |k: &str| format!("FTP_TEST_{name}_{k}");
        let host = env(&key("HOST"))?;
        let port = env(&key("PORT"))?.parse().expect("a port number");
        let root = PathBuf::from(env(&key("ROOT"))?);
        let user = if kind == Kind::Vsftpd {
            None
        } else {
            Some((env(&key("USER"))?, env(&key("PASS"))?))
        };
        let ca = if tls == Tls::No {
            None
        } else {
            Some(env("FTP_TEST_TLS_CAFILE")?)
        };
        Some(Target {
            name,
            kind,
            tls,
            host,
            port,
            local: root.join(kind.dir()),
            user,
            ca,
        })
    }

    /// A new session for this target, not connected (TLS ones trust the
    /// test CA; `version` pins TLS 1.2 or 1.3).
    pub fn session(&self, version: Option<TlsVersion>) -> Session {
        let mut s = match &self.ca {
            None => Session::new(),
            Some(ca) => {
                let mut c = TlsConfig::default();
                c.set_ca_file(ca).unwrap();
                if let Some(v) = version {
                    c.min_version = v;
                    c.max_version = Some(v);
                }
                Session::new_tls(c)
            }
        };
        s.set_timeout(Some(Duration::from_secs(30))).unwrap();
        if let Ok(level) = std::env::var("FTP_TEST_DEBUG") {
            s.set_debug_level(level.parse().unwrap_or(0));
        }
        if self.tls == Tls::Implicit {
            s.set_implicit_tls(true).unwrap();
        }
        s
    }

    /// Connected, logged in, PROT P on TLS targets, in [`Kind::dir`].
    pub fn open(&self, version: Option<TlsVersion>) -> Session {
        let mut s = self.session(version);
        s.connect(&self.host, self.port)
            .unwrap_or_else(|e| panic!("{}: connect: {e}", self.name));
        let (user, pass) = match &self.user {
            Some((u, p)) => (u.as_str(), p.as_str()),
            None => ("", ""),
        };
        s.login(user, pass, "")
            .unwrap_or_else(|e| panic!("{}: login: {e}", self.name));
        if self.tls != Tls::No {
            s.prot_p()
                .unwrap_or_else(|e| panic!("{}: PROT P: {e}", self.name));
        }
        if !self.kind.dir().is_empty() {
            s.cwd(self.kind.dir()).unwrap();
        }
        s
    }

    /// A name no other test (nor another run) uses, in [`Kind::dir`].
    pub fn unique(&self, tag: &str) -> String {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        format!(
            "rs-{}-{tag}-{}-{}",
            self.name.to_lowercase(),
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        )
    }
}

/// Deterministic test data.
pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| ((i as u32).wrapping_mul(2_654_435_761) >> 13) as u8 ^ seed)
        .collect()
}

/// RETR `name` in binary, whole.
pub fn download(s: &mut Session, name: &str) -> Vec<u8> {
    let mut got = Vec::new();
    s.retrbinary(&format!("RETR {name}"), 0, None, |b| {
        got.extend_from_slice(b);
        Ok(())
    })
    .unwrap_or_else(|e| panic!("RETR {name}: {e}"));
    got
}

/// STOR `name` with `data`, in blocks of 64 KiB.
pub fn upload(s: &mut Session, name: &str, data: &[u8]) {
    let mut rest = data;
    s.storbinary(
        &format!("STOR {name}"),
        65536,
        None,
        |buf| {
            let n = rest.len().min(buf.len());
            buf[..n].copy_from_slice(&rest[..n]);
            rest = &rest[n..];
            Ok(n)
        },
        |_| Ok(()),
    )
    .unwrap_or_else(|e| panic!("STOR {name}: {e}"));
}

/// The lines a line command (`RETR x` in TYPE A, LIST, NLST) gives.
pub fn lines(s: &mut Session, cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    s.retrlines(cmd, |l| {
        out.push(String::from_utf8_lossy(l).into_owned());
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    out
}

impl Kind {
    /// Whether the test login may set a file's mtime: MFMT on pyftpdlib,
    /// ProFTPD and Pure-FTPd; vsftpd's `MDTM time path` refuses anonymous
    /// users (anon_other_write_enable=NO).
    pub fn can_set_mtime(self) -> bool {
        self != Kind::Vsftpd
    }
}
