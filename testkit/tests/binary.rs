//! The contract of `ftp-scripted-server` that the C fault tests rely on:
//! `PORT <n>` first on standard output, then exit 0 when the scenario's
//! expectations held, 1 when they did not, 2 for a usage error.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_ftp-scripted-server");

/// Starts the binary on `scenario` and returns it with the port it printed.
fn spawn(scenario: &str) -> (Child, u16) {
    let mut child = Command::new(BIN)
        .arg(scenario)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("running ftp-scripted-server");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .strip_prefix("PORT ")
        .and_then(|p| p.trim_end().parse().ok())
        .unwrap_or_else(|| panic!("bad first line {line:?}"));
    (child, port)
}

#[test]
fn exit_status_tells_whether_the_client_behaved() {
    // never-answers: the client connects and closes without a word.
    let (mut child, port) = spawn("never-answers");
    drop(TcpStream::connect(("127.0.0.1", port)).unwrap());
    assert_eq!(child.wait().unwrap().code(), Some(0));

    // garbage-reply expects a login; anything else fails the scenario.
    let (mut child, port) = spawn("garbage-reply");
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut welcome = [0u8; 5];
    c.read_exact(&mut welcome).unwrap();
    assert_eq!(&welcome, b"220 s");
    c.write_all(b"HELP\r\n").unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

#[test]
fn usage_errors_and_list() {
    for args in [&["no-such-scenario"][..], &[], &["--bogus"], &["a", "b"]] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = Command::new(BIN).arg("--list").output().unwrap();
    assert!(out.status.success());
    let listed = String::from_utf8(out.stdout).unwrap();
    for name in ftp_testkit::scenarios::names() {
        assert!(
            listed
                .lines()
                .any(|l| l.split_whitespace().next() == Some(name)),
            "{name} not listed"
        );
    }
}
