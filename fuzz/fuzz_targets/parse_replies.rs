//! The 150/227/229/257 parsers on arbitrary text, as is and behind each of
//! the codes they look for. Invariants: no panic; a parser accepts only
//! replies with its code (anything else is `Error::Reply`); 227 and 229
//! never give port 0; a 150 size, a 229 port and the 227 address bytes
//! appear in the text; a 257 name is never longer than the reply and the
//! reply is exactly `257 "` + the name with `"` doubled + (`"` + rest | end).

#![no_main]

use ftp::parse::{parse150, parse227, parse229, parse257};
use ftp::{ErrorKind, Reply};
use libfuzzer_sys::fuzz_target;

fn check(text: &str) {
    let reply = Reply::new(text.to_string());
    let b = text.as_bytes();
    let code = if b.len() >= 3 && b[..3].iter().all(u8::is_ascii_digit) {
        u16::from(b[0] - b'0') * 100 + u16::from(b[1] - b'0') * 10 + u16::from(b[2] - b'0')
    } else {
        0
    };
    assert_eq!(reply.code, code);

    if let Some(n) = parse150(text) {
        assert!(text.starts_with("150 "));
        let first = text.split('\n').next().unwrap();
        assert!(
            first.contains(&n.to_string()),
            "150 size {n} not in {first:?}"
        );
    }

    match parse227(&reply) {
        Ok((ip, port)) => {
            assert!(text.starts_with("227"));
            assert_ne!(port, 0);
            for o in ip.octets() {
                assert!(text.contains(&o.to_string()));
            }
        }
        Err(e) => assert_eq!(
            e.kind() == ErrorKind::Reply,
            !text.starts_with("227"),
            "{e}"
        ),
    }

    match parse229(&reply) {
        Ok(port) => {
            assert!(text.starts_with("229"));
            assert_ne!(port, 0);
            assert!(text.contains(&port.to_string()));
        }
        Err(e) => assert_eq!(
            e.kind() == ErrorKind::Reply,
            !text.starts_with("229"),
            "{e}"
        ),
    }

    match parse257(&reply) {
        Ok(name) => {
            assert!(text.starts_with("257"));
            assert!(name.len() <= text.len());
            if text.get(3..5) == Some(" \"") {
                let quoted = format!("257 \"{}", name.replace('"', "\"\""));
                let rest = text
                    .strip_prefix(&quoted)
                    .unwrap_or_else(|| panic!("{name:?} is not the start of {text:?}"));
                assert!(
                    rest.is_empty() || (rest.starts_with('"') && !rest[1..].starts_with('"')),
                    "{name:?} from {text:?}"
                );
            } else {
                assert!(name.is_empty());
            }
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Reply);
            assert!(!text.starts_with("257"));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check(&text);
    for code in ["150 ", "227 ", "229 ", "257 \""] {
        check(&format!("{code}{text}"));
    }
});
