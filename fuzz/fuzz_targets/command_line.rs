//! `encode_line`, `check_line` and `sanitize` on arbitrary text (first byte:
//! encoding and whether to put `PASS `/`pass ` in front). Invariants: no
//! panic; a line with CR, LF or NUL is refused as an invalid argument; an
//! accepted line is the encoded text plus one final CRLF, with no other CR,
//! LF or NUL, and decodes back to the text; `sanitize` output is a quoted
//! string without control characters that unquotes to the line, except that
//! after `PASS ` (any case) the password is all `*`, one per character.

#![no_main]

use ftp::command::{check_line, encode_line, sanitize};
use ftp::{Encoding, ErrorKind};
use libfuzzer_sys::fuzz_target;

/// Undoes `quote` (Python `repr` style); `None` if malformed.
fn unquote(q: &str) -> Option<String> {
    let inner = q.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::new();
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        match c {
            '\'' => return None,
            '\\' => match it.next()? {
                '\\' => out.push('\\'),
                '\'' => out.push('\''),
                'r' => out.push('\r'),
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'x' => {
                    let h: String = it.by_ref().take(2).collect();
                    let v = u32::from_str_radix(&h, 16).ok()?;
                    out.push(char::from_u32(v)?);
                }
                _ => return None,
            },
            c => out.push(c),
        }
    }
    Some(out)
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let encoding = if flags & 1 != 0 {
        Encoding::Latin1
    } else {
        Encoding::Utf8
    };
    let prefix = match (flags >> 1) & 3 {
        1 => "PASS ",
        2 => "pass ",
        _ => "",
    };
    let line = format!("{prefix}{}", String::from_utf8_lossy(rest));

    let injects = line.contains(['\r', '\n', '\0']);
    assert_eq!(check_line(&line, "x").is_err(), injects);
    match encode_line(&line, encoding) {
        Ok(bytes) => {
            assert!(!injects);
            let body = bytes.strip_suffix(b"\r\n").expect("no final CRLF");
            assert!(!body.iter().any(|&b| matches!(b, b'\r' | b'\n' | 0)));
            assert_eq!(encoding.decode_lossy(body), line);
        }
        Err(e) if injects => assert_eq!(e.kind(), ErrorKind::InvalidArgument),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Encoding);
            assert_eq!(encoding, Encoding::Latin1);
            assert!(line.chars().any(|c| u32::from(c) > 0xff));
        }
    }

    let shown = sanitize(&line);
    assert!(
        !shown.chars().any(|c| (c as u32) < 0x20 || c == '\u{7f}'),
        "control character in {shown:?}"
    );
    let unquoted = unquote(&shown).unwrap_or_else(|| panic!("bad quoting: {shown:?}"));
    let lb = line.as_bytes();
    if lb.len() >= 5 && lb[..5].eq_ignore_ascii_case(b"pass ") {
        let password = line[5..].trim_end_matches(['\r', '\n']);
        let trailer = &line[5 + password.len()..];
        let want = format!(
            "{}{}{}",
            &line[..5],
            "*".repeat(password.chars().count()),
            trailer
        );
        assert_eq!(unquoted, want, "password not masked in {shown:?}");
        // Byte for byte: the quote, the command, the stars, the escaped line
        // end, the quote; so no character of the password is shown.
        let stars = format!("'{}{}", &line[..5], "*".repeat(password.chars().count()));
        let tail = shown.strip_prefix(&stars).expect("password not masked");
        let escaped: String = trailer
            .chars()
            .map(|c| if c == '\r' { "\\r" } else { "\\n" })
            .collect();
        assert_eq!(tail, format!("{escaped}'"), "password shown in {shown:?}");
    } else {
        assert_eq!(unquoted, line);
    }
});
