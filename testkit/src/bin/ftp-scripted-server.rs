//! `ftp-scripted-server SCENARIO`: serves one control connection with a
//! named fault scenario of `ftp_testkit::scenarios`, for tests written in
//! other languages (the C fault tests).
//!
//! It binds 127.0.0.1:0, prints `PORT <n>` on standard output (flushed, and
//! nothing else is ever printed there), serves the first connection, and
//! exits 0 if the scenario's own expectations held, 1 if they did not
//! (the reason on standard error), 2 on a usage error, 3 if the scenario is
//! still running after 60 s. `ftp-scripted-server --list` lists the
//! scenarios with the outcome a client must see.

use ftp_testkit::scenarios::{self, SCENARIOS};
use ftp_testkit::ScriptedServer;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

/// The longest a scenario may run, connection wait included.
const WATCHDOG: Duration = Duration::from_secs(60);

fn usage() -> ExitCode {
    eprintln!("usage: ftp-scripted-server SCENARIO | --list");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag] if flag == "--list" => {
            for s in SCENARIOS {
                println!("{:<22} {}", s.name, s.summary);
            }
            ExitCode::SUCCESS
        }
        [flag] if flag.starts_with('-') => usage(),
        [name] => serve(name),
        _ => usage(),
    }
}

fn serve(name: &str) -> ExitCode {
    let Some(script) = scenarios::by_name(name) else {
        eprintln!("ftp-scripted-server: unknown scenario {name:?} (see --list)");
        return ExitCode::from(2);
    };
    let owned = name.to_string();
    std::thread::spawn(move || {
        std::thread::sleep(WATCHDOG);
        eprintln!("ftp-scripted-server: scenario {owned} still running after {WATCHDOG:?}");
        std::process::exit(3);
    });
    let server = ScriptedServer::start(script);
    let mut out = std::io::stdout().lock();
    if writeln!(out, "PORT {}", server.port())
        .and_then(|()| out.flush())
        .is_err()
    {
        eprintln!("ftp-scripted-server: cannot write the port to standard output");
        return ExitCode::from(2);
    }
    drop(out);
    match server.join() {
        Ok(_) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("ftp-scripted-server: scenario {name} failed: {why}");
            ExitCode::FAILURE
        }
    }
}
