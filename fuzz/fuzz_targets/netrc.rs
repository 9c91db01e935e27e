//! `Netrc::parse` on arbitrary text. Invariants: no panic; an error is an
//! invalid argument naming a line that exists, and quotes no word of the
//! text longer than the error's own words (checked with a marker); lookups
//! of every parsed machine find an entry of that machine.

#![no_main]

use ftp::netrc::Netrc;
use ftp::ErrorKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Netrc::parse(&text) {
        Ok(n) => {
            for e in &n.entries {
                if let Some(m) = &e.machine {
                    let found = n.find(m, None).expect("a parsed machine is found");
                    assert!(found
                        .machine
                        .as_deref()
                        .is_some_and(|f| f.eq_ignore_ascii_case(m)));
                    let by_login = n.find(m, Some(&e.login)).expect("found by login");
                    assert_eq!(by_login.login, e.login);
                }
            }
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            let msg = e.to_string();
            let line: usize = msg
                .split("netrc line ")
                .nth(1)
                .and_then(|r| r.split(':').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no line in {msg:?}"));
            assert!(line >= 1 && line <= text.lines().count().max(1), "{msg}");
            assert!(!msg.contains("QZJXK"), "a word of the file in {msg:?}");
        }
    }
});
