//! A mirror killed with SIGKILL midway, then run again: the second run
//! skips what the first completed (the journal), copies the rest, and
//! leaves the target byte-exact with no temporary file.
//!
//! The killed mirror runs in a child process: this test binary itself,
//! running the ignored test `crash_child` with MIRROR_CRASH_CHILD set. Its
//! progress callback sleeps, so that the parent sees files completed in
//! the journal and kills the child while others are in flight.

mod mirrortree;
mod realservers;

use ftp::{Direction, FileOptions, MirrorOptions, MirrorReport, Pool};
use mirrortree::{bytes, read_tree, scratch, server};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

const FILES: u64 = 40;

fn direction(name: &str) -> Direction {
    match name {
        "upload" => Direction::Upload,
        _ => Direction::Download,
    }
}

fn options(resume: bool) -> MirrorOptions {
    MirrorOptions {
        files: FileOptions {
            resume,
            ..Default::default()
        },
        ..Default::default()
    }
}

#[test]
#[ignore = "the child process of the kill -9 tests"]
fn crash_child() {
    let spec = std::env::var("MIRROR_CRASH_CHILD").expect("MIRROR_CRASH_CHILD");
    let v: Vec<&str> = spec.split('\n').collect();
    let (url, dir, remote, local, resume) = (v[0], v[1], v[2], v[3], v[4] == "1");
    let pool = Pool::new(url, None, 2).unwrap();
    let slow = Arc::new(|_: &ftp::Progress<'_>| {
        std::thread::sleep(Duration::from_millis(15));
        Ok(())
    });
    pool.set_progress(Some(slow), Duration::ZERO);
    let mut r = MirrorReport::default();
    pool.mirror(
        direction(dir),
        remote,
        Path::new(local),
        options(resume),
        &mut r,
    )
    .unwrap();
    panic!("the mirror finished before it was killed: {r:?}");
}

/// Lines starting with "done " in the journal.
fn journal_done(journal: &Path) -> u64 {
    std::fs::read_to_string(journal)
        .map(|t| t.lines().filter(|l| l.starts_with("done ")).count() as u64)
        .unwrap_or(0)
}

fn killed_then_rerun(dir: &str, resume: bool) {
    let Some((url, on_disk)) = server("PYFTPD") else {
        return;
    };
    let tag = format!("k{}-{dir}-{resume}", std::process::id());
    let work = scratch(&tag);
    let src = work.join("src");
    for i in 0..FILES {
        let p = src.join(format!("d{}/file {i}.bin", i % 3));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes(&format!("{tag}{i}"), 200_000 + i as usize)).unwrap();
    }
    let remote_root = on_disk.join(&tag);
    let (source, target, local): (&Path, PathBuf, PathBuf) = if dir == "upload" {
        (&src, remote_root.clone(), src.clone())
    } else {
        std::fs::create_dir_all(&remote_root).unwrap();
        let copy = Command::new("cp")
            .arg("-a")
            .arg(src.join("."))
            .arg(&remote_root)
            .status()
            .unwrap();
        assert!(copy.success());
        (&src, work.join("dst"), work.join("dst"))
    };
    let journal = local.join(".ftp-mirror.journal");
    let spec = [
        url.as_str(),
        dir,
        &tag,
        local.to_str().unwrap(),
        if resume { "1" } else { "0" },
    ]
    .join("\n");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--ignored", "--nocapture"])
        .env("MIRROR_CRASH_CHILD", spec)
        .spawn()
        .unwrap();
    let start = Instant::now();
    while journal_done(&journal) < 8 {
        assert!(child.try_wait().unwrap().is_none(), "the child ended early");
        assert!(start.elapsed() < Duration::from_secs(60), "no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let done = journal_done(&journal);
    assert!(done < FILES, "killed midway ({done} done)");
    let left = read_tree(&target);
    let parts = left.keys().filter(|k| k.ends_with(".ftp-part")).count();
    eprintln!("{dir} resume={resume}: killed after {done} files, {parts} part(s) left");

    let pool = Pool::new(&url, None, 3).unwrap();
    let mut r = MirrorReport::default();
    pool.mirror(direction(dir), &tag, &local, options(resume), &mut r)
        .unwrap_or_else(|e| panic!("rerun: {e} {r:?}"));
    assert_eq!(
        r.files_skipped, done,
        "{r:?}: completed files not copied again"
    );
    assert_eq!(r.files_copied, FILES - done, "{r:?}");
    assert_eq!(
        read_tree(&target),
        read_tree(source),
        "byte-exact, no part left"
    );
    assert!(!journal.exists(), "journal removed after the complete run");
    let _ = std::fs::remove_dir_all(&remote_root);
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn download_killed_then_rerun() {
    killed_then_rerun("download", false);
}

#[test]
fn download_killed_then_resumed() {
    killed_then_rerun("download", true);
}

#[test]
fn upload_killed_then_rerun() {
    killed_then_rerun("upload", false);
}

#[test]
fn upload_killed_then_resumed() {
    killed_then_rerun("upload", true);
}
