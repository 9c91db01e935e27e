//! Building command lines for the control connection, and showing them safely.

use crate::encoding::Encoding;
use crate::error::{Error, Result};

/// Checks a command (or an argument that becomes part of one) for characters
/// that would end the line early: CR, LF and NUL are refused before anything
/// is sent (ftplib's fix for CVE bpo-30119, extended to NUL).
pub fn check_line(text: &str, what: &str) -> Result<()> {
    if let Some(c) = text.chars().find(|c| matches!(c, '\r' | '\n' | '\0')) {
        return Err(Error::InvalidArgument(format!(
            "{what} contains {} and would inject a command",
            match c {
                '\r' => "a CR",
                '\n' => "an LF",
                _ => "a NUL",
            }
        )));
    }
    Ok(())
}

/// The bytes of a command line: checked, encoded strictly, CRLF appended.
pub fn encode_line(cmd: &str, encoding: Encoding) -> Result<Vec<u8>> {
    check_line(cmd, "the command")?;
    let mut bytes = encoding.encode(cmd)?;
    bytes.extend_from_slice(b"\r\n");
    Ok(bytes)
}

/// The form of a command shown in debug output: the argument of `PASS `
/// or `ACCT ` (any case) is replaced by one `*` per character, then quoted
/// like Python's `repr`.
pub fn sanitize(line: &str) -> String {
    let body = line.trim_end_matches(['\r', '\n']);
    let secret = body.len() >= 5
        && body.is_char_boundary(5)
        && (body[..5].eq_ignore_ascii_case("pass ") || body[..5].eq_ignore_ascii_case("acct "));
    let masked = if secret {
        let stars = body[5..].chars().count();
        format!("{}{}{}", &body[..5], "*".repeat(stars), &line[body.len()..])
    } else {
        line.to_string()
    };
    quote(&masked)
}

/// Quotes text in the style of Python's `repr` for a `str`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cr_lf_nul_are_refused() {
        for bad in ["NOOP\r\nDELE x", "a\rb", "a\nb", "a\0b"] {
            assert!(matches!(
                encode_line(bad, Encoding::Utf8),
                Err(Error::InvalidArgument(_))
            ));
        }
        assert_eq!(encode_line("NOOP", Encoding::Utf8).unwrap(), b"NOOP\r\n");
    }

    #[test]
    fn latin1_commands_are_strict() {
        assert_eq!(
            encode_line("RETR é", Encoding::Latin1).unwrap(),
            b"RETR \xe9\r\n"
        );
        assert!(matches!(
            encode_line("RETR €", Encoding::Latin1),
            Err(Error::Encoding(_))
        ));
    }

    #[test]
    fn passwords_are_masked() {
        assert_eq!(sanitize("PASS secret"), "'PASS ******'");
        assert_eq!(sanitize("pass ab\r\n"), "'pass **\\r\\n'");
        assert_eq!(sanitize("Pass xyz"), "'Pass ***'");
        assert_eq!(sanitize("PASSWORD"), "'PASSWORD'");
        assert_eq!(sanitize("USER bob"), "'USER bob'");
        assert_eq!(sanitize("PASS é€"), "'PASS **'");
        assert_eq!(sanitize("ACCT billing"), "'ACCT *******'");
    }

    #[test]
    fn quoting_escapes_controls() {
        assert_eq!(quote("it's\x01"), "'it\\'s\\x01'");
    }
}
