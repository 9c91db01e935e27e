//! A server reply and its classification into ftplib's error classes.

use crate::error::{Error, Result};
use std::fmt;

/// One complete reply of the server: all its lines joined with `'\n'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The 3-digit code of the first line, or 0 when the first line does not
    /// start with three digits.
    pub code: u16,
    /// The whole reply text (lines joined with `'\n'`, terminators removed),
    /// decoded with the session encoding (invalid bytes replaced by U+FFFD).
    pub text: String,
}

impl Reply {
    /// Builds a reply from its text, taking the code from the first three characters.
    pub fn new(text: String) -> Reply {
        let b = text.as_bytes();
        let code = if b.len() >= 3 && b[..3].iter().all(u8::is_ascii_digit) {
            (b[0] - b'0') as u16 * 100 + (b[1] - b'0') as u16 * 10 + (b[2] - b'0') as u16
        } else {
            0
        };
        Reply { code, text }
    }

    /// The first character of the reply, which decides its class.
    pub fn class(&self) -> u8 {
        self.text.as_bytes().first().copied().unwrap_or(0)
    }

    /// True when the text starts with the given prefix (ftplib's `resp[:3] == '227'`).
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.text.starts_with(prefix)
    }

    /// ftplib's `getresp` rule: 1/2/3 pass, 4 is temporary, 5 permanent,
    /// anything else a protocol error.
    pub fn into_result(self) -> Result<Reply> {
        match self.class() {
            b'1' | b'2' | b'3' => Ok(self),
            b'4' => Err(Error::Temp(self)),
            b'5' => Err(Error::Perm(self)),
            _ => Err(Error::Proto(format!(
                "not an FTP reply: {:?}",
                truncate(&self.text, 200)
            ))),
        }
    }

    /// ftplib's `voidresp` rule: like [`Reply::into_result`], and anything but
    /// a 2xx is an unexpected reply.
    pub fn into_void_result(self) -> Result<Reply> {
        let r = self.into_result()?;
        if r.class() == b'2' {
            Ok(r)
        } else {
            Err(Error::Reply(r))
        }
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(truncate(&self.text, 512))
    }
}

/// At most `max` bytes of `s`, cut at a character boundary.
pub(crate) fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_parsed_from_three_digits() {
        assert_eq!(Reply::new("227 ok".into()).code, 227);
        assert_eq!(Reply::new("22".into()).code, 0);
        assert_eq!(Reply::new("abc".into()).code, 0);
        assert_eq!(Reply::new("999 odd".into()).code, 999);
    }

    #[test]
    fn classes_follow_ftplib() {
        assert!(Reply::new("120 wait".into()).into_result().is_ok());
        assert!(Reply::new("331 pass".into()).into_result().is_ok());
        assert!(matches!(
            Reply::new("421 bye".into()).into_result(),
            Err(Error::Temp(_))
        ));
        assert!(matches!(
            Reply::new("550 no".into()).into_result(),
            Err(Error::Perm(_))
        ));
        assert!(matches!(
            Reply::new("999 odd".into()).into_result(),
            Err(Error::Proto(_))
        ));
        assert!(matches!(
            Reply::new(String::new()).into_result(),
            Err(Error::Proto(_))
        ));
        assert!(matches!(
            Reply::new("199 x".into()).into_void_result(),
            Err(Error::Reply(_))
        ));
        assert!(matches!(
            Reply::new("300 x".into()).into_void_result(),
            Err(Error::Reply(_))
        ));
        assert!(Reply::new("250 ok".into()).into_void_result().is_ok());
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate("héllo", 2), "h");
        assert_eq!(truncate("abc", 10), "abc");
    }
}
