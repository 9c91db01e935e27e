//! Parsed listings, stat, MDTM and MFMT against every real server: a
//! directory made on the server's file system (a file, a subdirectory, a
//! symlink, names with spaces and UTF-8, an empty file, a file older than
//! a year, a recent one) is listed with `Session::list`, and every entry
//! is checked against the file system: names, types, sizes, and mtimes
//! within the precision the server gives. On servers with MLSD, MLSD and
//! LIST of the same directory give the same names, types and sizes. The
//! raw lines each server sent are printed (they are what the corpus in
//! tests/listings/servers.txt was taken from), and every one of them must
//! be parsed (no Unknown entry from a server we test against).

mod realservers;

use ftp::{Entry, EntryType, ErrorKind, ListMethod, Session};
use realservers::{pattern, Kind, Target, FTPS, PLAIN};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The directory's entries: name -> (kind, size; None for dirs and links).
fn fixture() -> Vec<(&'static str, EntryType, Option<u64>)> {
    vec![
        ("plain.txt", EntryType::File, Some(1234)),
        ("sub", EntryType::Dir, None),
        ("link", EntryType::Link, None),
        ("name with  spaces.txt", EntryType::File, Some(77)),
        ("café ü.txt", EntryType::File, Some(5)),
        ("empty", EntryType::File, Some(0)),
        ("old.txt", EntryType::File, Some(4_000_000)),
        ("recent.txt", EntryType::File, Some(3)),
    ]
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The mtime each fixture gets (whole seconds).
fn planned_mtime(name: &str) -> i64 {
    match name {
        "old.txt" => now() - 2 * 366 * 86_400 - 12_345,
        "recent.txt" => now() - 3 * 3600 - 17,
        _ => now() - 40 * 86_400 - 321,
    }
}

fn set_mtime(path: &Path, secs: i64) {
    let f = fs::OpenOptions::new().write(true).open(path).unwrap();
    f.set_modified(UNIX_EPOCH + Duration::from_secs(secs as u64))
        .unwrap();
}

fn fs_mtime(path: &Path) -> i64 {
    fs::symlink_metadata(path)
        .unwrap()
        .modified()
        .unwrap()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Makes the fixture directory `dir` (world-readable: vsftpd reads as ftp),
/// owned by the owner of the server's directory (the user the server acts
/// as: MFMT on a file of another user is refused).
fn make_fixture(dir: &Path) {
    use std::os::unix::fs::{chown, lchown, MetadataExt};
    let owner = fs::metadata(dir.parent().unwrap()).unwrap();
    let (uid, gid) = (Some(owner.uid()), Some(owner.gid()));
    fs::create_dir(dir).unwrap();
    chown(dir, uid, gid).unwrap();
    for (name, kind, size) in fixture() {
        let p = dir.join(name);
        match kind {
            EntryType::File => {
                fs::write(&p, pattern(size.unwrap() as usize, name.len() as u8)).unwrap();
                fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
                set_mtime(&p, planned_mtime(name));
            }
            EntryType::Dir => {
                fs::create_dir(&p).unwrap();
                fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
            }
            _ => std::os::unix::fs::symlink("plain.txt", &p).unwrap(),
        }
        lchown(&p, uid, gid).unwrap();
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o777)).unwrap();
}

/// The UTC offset of this machine's local time (the servers run here):
/// LIST formats print wall-clock time, UTC or local depending on the
/// server's configuration.
fn local_offset() -> i64 {
    let out = std::process::Command::new("date")
        .arg("+%z")
        .output()
        .unwrap();
    let z = String::from_utf8(out.stdout).unwrap();
    let z = z.trim();
    let sign = if z.starts_with('-') { -1 } else { 1 };
    let h: i64 = z[1..3].parse().unwrap();
    let m: i64 = z[3..5].parse().unwrap();
    sign * (h * 3600 + m * 60)
}

/// Whether the listed time agrees with the file system's, within the
/// precision the listing gives (and, for zone-less LIST times, read as UTC
/// or as this machine's local time).
fn mtime_agrees(e: &Entry, fs_secs: i64) -> bool {
    let Some(t) = e.mtime else { return false };
    let precision = i64::from(t.precision);
    let offsets = if t.utc {
        vec![0]
    } else {
        vec![0, local_offset()]
    };
    offsets.iter().any(|off| {
        let d = fs_secs + off - t.secs;
        (0..precision).contains(&d)
    })
}

fn list(s: &mut Session, dir: &str, method: ListMethod) -> BTreeMap<String, Entry> {
    let mut got = BTreeMap::new();
    s.list_with(Some(dir), method, |e| {
        let key = e
            .name
            .clone()
            .unwrap_or_else(|| format!("<unknown {}>", String::from_utf8_lossy(&e.raw)));
        assert!(got.insert(key, e.clone()).is_none(), "{e:?} twice");
        Ok(())
    })
    .unwrap();
    got
}

/// Checks one listing of the fixture against the file system.
fn check_listing(tag: &str, kind: Kind, dir: &Path, got: &BTreeMap<String, Entry>) {
    for e in got.values() {
        eprintln!("{tag}: {}", String::from_utf8_lossy(&e.raw));
        assert_ne!(e.kind, EntryType::Unknown, "{tag}: unparsed line {e:?}");
    }
    let names: Vec<&str> = got.keys().map(String::as_str).collect();
    let mut want: Vec<&str> = fixture().iter().map(|f| f.0).collect();
    want.sort();
    assert_eq!(names, want, "{tag}: names");
    for (name, want_kind, size) in fixture() {
        let e = &got[name];
        let path = dir.join(name);
        match want_kind {
            EntryType::Link => {
                // A link shows as a link (with its target when the format
                // gives one), or as what it points to (pyftpdlib's MLSD).
                if e.kind == EntryType::Link {
                    if let Some(t) = &e.link_target {
                        assert_eq!(t, "plain.txt", "{tag}: {e:?}");
                    }
                } else {
                    assert_eq!(e.kind, EntryType::File, "{tag}: {e:?}");
                    assert_eq!(e.size, Some(1234), "{tag}: {e:?}");
                }
            }
            EntryType::Dir => assert_eq!(e.kind, EntryType::Dir, "{tag}: {e:?}"),
            _ => {
                assert_eq!(e.kind, EntryType::File, "{tag}: {e:?}");
                assert_eq!(e.size, size, "{tag}: {e:?}");
                let fs_secs = fs_mtime(&path);
                assert!(
                    mtime_agrees(e, fs_secs),
                    "{tag}: {name}: listed {:?}, file system {fs_secs}",
                    e.mtime
                );
                if e.format == ftp::Format::Unix {
                    assert_eq!(e.unix_mode.as_deref(), Some("rw-r--r--"), "{tag}: {e:?}");
                }
            }
        }
    }
    let _ = kind;
}

fn targets() -> Vec<Target> {
    PLAIN
        .iter()
        .map(|t| t.0)
        .chain(FTPS.iter().map(|t| t.0))
        .filter_map(Target::get)
        .collect()
}

#[test]
fn list_stat_and_times_on_every_server() {
    let mut table = Vec::new();
    for t in targets() {
        let name = t.unique("ls");
        let dir = t.local.join(&name);
        make_fixture(&dir);
        let mut s = t.open(None);
        let auto = list(&mut s, &name, ListMethod::Auto);
        let format = auto["plain.txt"].format;
        check_listing(&format!("{} auto", t.name), t.kind, &dir, &auto);
        if t.kind.has_mlsd() {
            assert_eq!(format, ftp::Format::Mlsd, "{}: MLST is advertised", t.name);
            let by_list = list(&mut s, &name, ListMethod::List);
            check_listing(&format!("{} LIST", t.name), t.kind, &dir, &by_list);
            // MLSD and LIST: the same names, types and sizes (a link may
            // show as its target in MLSD).
            for (n, m) in &auto {
                let l = &by_list[n];
                if l.kind == EntryType::Link && m.kind != EntryType::Link {
                    continue;
                }
                assert_eq!(
                    (m.kind, m.size.filter(|_| m.kind == EntryType::File)),
                    (l.kind, l.size.filter(|_| l.kind == EntryType::File)),
                    "{}: {n}: MLSD {m:?} LIST {l:?}",
                    t.name
                );
            }
        } else {
            assert_eq!(format, ftp::Format::Unix, "{}", t.name);
        }

        // stat: a file, a directory, nothing.
        let file = format!("{name}/plain.txt");
        let st = s.stat(&file).unwrap();
        assert_eq!(
            (st.kind, st.size),
            (EntryType::File, Some(1234)),
            "{}: {st:?}",
            t.name
        );
        assert_eq!(
            st.name.as_deref().map(|n| n.ends_with("plain.txt")),
            Some(true)
        );
        let fs_secs = fs_mtime(&dir.join("plain.txt"));
        assert_eq!(
            st.mtime.map(|m| (m.secs, m.utc)),
            Some((fs_secs, true)),
            "{}",
            t.name
        );
        let sd = s.stat(&format!("{name}/sub")).unwrap();
        assert_eq!(sd.kind, EntryType::Dir, "{}: {sd:?}", t.name);
        let pwd_before = s.pwd().unwrap();
        let e = s.stat(&format!("{name}/nope")).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::Perm | ErrorKind::Temp),
            "{}: {e}",
            t.name
        );
        assert_eq!(
            s.pwd().unwrap(),
            pwd_before,
            "{}: stat moved the session",
            t.name
        );

        // MDTM, then setting the time (where the server lets us).
        assert_eq!(s.mdtm(&file).unwrap(), fs_secs, "{}", t.name);
        let wanted = 1_500_000_000;
        let set = s.set_mtime(&file, wanted);
        let outcome = match &set {
            Ok(r) => {
                assert_eq!(
                    fs_mtime(&dir.join("plain.txt")),
                    wanted,
                    "{}: {r:?}",
                    t.name
                );
                assert_eq!(s.mdtm(&file).unwrap(), wanted, "{}", t.name);
                format!("set ({})", r.text.lines().next().unwrap_or(""))
            }
            Err(e) => format!("refused: {e}"),
        };
        assert_eq!(set.is_ok(), t.kind.can_set_mtime(), "{}: {outcome}", t.name);
        table.push(format!(
            "{:10} {:5} {} entries; stat {}/{}; set_mtime {outcome}",
            t.name,
            format.name(),
            auto.len(),
            st.format.name(),
            sd.format.name()
        ));
        s.quit().unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }
    for row in &table {
        eprintln!("{row}");
    }
}
