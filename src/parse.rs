//! Parsers for the replies that carry data: 150 (size), 227 (PASV),
//! 229 (EPSV) and 257 (a directory name).

use crate::error::{Error, Result};
use crate::reply::{truncate, Reply};
use std::net::Ipv4Addr;

/// The size announced in a `150 ... (N bytes)` reply (first line,
/// case-insensitive, the last such group when there are several), as ftplib's
/// `parse150`. `None` when the reply does not announce one.
pub fn parse150(text: &str) -> Option<u64> {
    let first = text.split('\n').next().unwrap_or("");
    if !first.starts_with("150 ") {
        return None;
    }
    let lower = first.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut found = None;
    let mut from = 0;
    while let Some(pos) = lower[from..].find(" bytes)") {
        let end = from + pos;
        let mut start = end;
        while start > 0 && b[start - 1].is_ascii_digit() {
            start -= 1;
        }
        // Needs "150 " + anything + " (" + digits.
        if start < end
            && start >= 6
            && b[start - 1] == b'('
            && b[start - 2] == b' '
            && start - 2 >= 3
        {
            if let Ok(n) = lower[start..end].parse::<u64>() {
                found = Some(n);
            }
        }
        from = end + 1;
    }
    found
}

/// The address of a `227` reply: six comma-separated numbers anywhere in the
/// text. Beyond ftplib, every byte must be <= 255 and the port 1..=65535.
pub fn parse227(reply: &Reply) -> Result<(Ipv4Addr, u16)> {
    if !reply.starts_with("227") {
        return Err(Error::Reply(reply.clone()));
    }
    let bad = || Error::Proto(format!("bad 227 reply: {:?}", truncate(&reply.text, 200)));
    let nums = find_six_numbers(&reply.text).ok_or_else(bad)?;
    let mut bytes = [0u8; 6];
    for (i, n) in nums.iter().enumerate() {
        bytes[i] = u8::try_from(*n).map_err(|_| {
            Error::Proto(format!(
                "227 reply has a number above 255: {:?}",
                truncate(&reply.text, 200)
            ))
        })?;
    }
    let port = u16::from(bytes[4]) << 8 | u16::from(bytes[5]);
    if port == 0 {
        return Err(Error::Proto(format!(
            "227 reply gives port 0: {:?}",
            truncate(&reply.text, 200)
        )));
    }
    Ok((Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]), port))
}

/// The first run `d,d,d,d,d,d` of six decimal numbers in `text`.
fn find_six_numbers(text: &str) -> Option<[u64; 6]> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()) {
            if let Some(v) = six_numbers_at(b, i) {
                return Some(v);
            }
        }
        i += 1;
    }
    None
}

fn six_numbers_at(b: &[u8], mut i: usize) -> Option<[u64; 6]> {
    let mut out = [0u64; 6];
    for (k, slot) in out.iter_mut().enumerate() {
        let start = i;
        let mut v: u64 = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            v = v.saturating_mul(10).saturating_add(u64::from(b[i] - b'0'));
            i += 1;
        }
        if i == start {
            return None;
        }
        *slot = v;
        if k < 5 {
            if i >= b.len() || b[i] != b',' {
                return None;
            }
            i += 1;
        }
    }
    Some(out)
}

/// The port of a `229` reply: `(` d d d port d `)` with one delimiter
/// character repeated. Beyond ftplib, the port must be 1..=65535.
pub fn parse229(reply: &Reply) -> Result<u16> {
    if !reply.starts_with("229") {
        return Err(Error::Reply(reply.clone()));
    }
    let text = &reply.text;
    let bad = |why: &str| Error::Proto(format!("bad 229 reply ({why}): {:?}", truncate(text, 200)));
    let left = text.find('(').ok_or_else(|| bad("no '('"))?;
    let right = text[left + 1..]
        .find(')')
        .map(|r| left + 1 + r)
        .ok_or_else(|| bad("no ')'"))?;
    let inner = &text[left + 1..right];
    let delim = inner.chars().next().ok_or_else(|| bad("empty"))?;
    if !inner.ends_with(delim) || inner.len() < 2 * delim.len_utf8() {
        return Err(bad("delimiters differ"));
    }
    let parts: Vec<&str> = inner.split(delim).collect();
    if parts.len() != 5 {
        return Err(bad("wrong number of fields"));
    }
    let port: u32 = parts[3].parse().map_err(|_| bad("port is not a number"))?;
    match u16::try_from(port) {
        Ok(p) if p != 0 => Ok(p),
        _ => Err(bad("port out of range")),
    }
}

/// The directory name of a `257 "name"` reply: `""` stands for one `"`; a
/// missing closing quote takes the rest of the line. A 257 reply without the
/// quoted name gives an empty string, as ftplib does.
pub fn parse257(reply: &Reply) -> Result<String> {
    if !reply.starts_with("257") {
        return Err(Error::Reply(reply.clone()));
    }
    let text = &reply.text;
    if text.get(3..5) != Some(" \"") {
        return Ok(String::new());
    }
    let mut name = String::new();
    let mut chars = text[5..].chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            if chars.peek() != Some(&'"') {
                break;
            }
            chars.next();
        }
        name.push(c);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(t: &str) -> Reply {
        Reply::new(t.to_string())
    }

    #[test]
    fn p150() {
        assert_eq!(
            parse150("150 Opening BINARY mode data connection for x (1234 bytes)."),
            Some(1234)
        );
        assert_eq!(parse150("150 ok (12 BYTES)"), Some(12));
        assert_eq!(parse150("150 a (1 bytes) b (2 bytes)"), Some(2));
        assert_eq!(parse150("150 no size"), None);
        assert_eq!(parse150("125 x (5 bytes)"), None);
        assert_eq!(parse150("150 (5 bytes)"), None);
        assert_eq!(parse150("150 x (bytes)"), None);
        assert_eq!(parse150("150 x\nmore (5 bytes)"), None);
        assert_eq!(parse150("150 x (99999999999999999999999 bytes)"), None);
    }

    #[test]
    fn p227() {
        let (ip, port) = parse227(&r("227 Entering Passive Mode (127,0,0,1,4,1).")).unwrap();
        assert_eq!(ip, Ipv4Addr::new(127, 0, 0, 1));
        assert_eq!(port, 1025);
        let (ip, _) = parse227(&r("227 =252,253,254,255,2,3")).unwrap();
        assert_eq!(ip, Ipv4Addr::new(252, 253, 254, 255));
        assert!(matches!(
            parse227(&r("227 (256,0,0,1,4,1)")),
            Err(Error::Proto(_))
        ));
        assert!(matches!(
            parse227(&r("227 (1,2,3,4,0,0)")),
            Err(Error::Proto(_))
        ));
        assert!(matches!(
            parse227(&r("227 (1,2,3,4,5,999)")),
            Err(Error::Proto(_))
        ));
        assert!(matches!(parse227(&r("227 nothing")), Err(Error::Proto(_))));
        assert!(matches!(
            parse227(&r("228 (1,2,3,4,5,6)")),
            Err(Error::Reply(_))
        ));
        // A partial group is skipped until a full one appears.
        let (ip, port) = parse227(&r("227 1,2 then (10,0,0,2,0,21)")).unwrap();
        assert_eq!((ip, port), (Ipv4Addr::new(10, 0, 0, 2), 21));
    }

    #[test]
    fn p229() {
        assert_eq!(
            parse229(&r("229 Entering Extended Passive Mode (|||6446|)")).unwrap(),
            6446
        );
        assert_eq!(parse229(&r("229 ok (!!!21!)")).unwrap(), 21);
        for bad in [
            "229 no parens",
            "229 (|||6446|",
            "229 (|||6446!)",
            "229 (||6446|)",
            "229 (|||0|)",
            "229 (|||65536|)",
            "229 (|||x|)",
            "229 ()",
            "229 (|)",
        ] {
            assert!(matches!(parse229(&r(bad)), Err(Error::Proto(_))), "{bad}");
        }
        assert!(matches!(parse229(&r("227 (|||1|)")), Err(Error::Reply(_))));
    }

    #[test]
    fn p257() {
        assert_eq!(parse257(&r("257 \"/a\" created")).unwrap(), "/a");
        assert_eq!(parse257(&r("257 \"/we\"\"ird\" ok")).unwrap(), "/we\"ird");
        assert_eq!(parse257(&r("257 \"/open")).unwrap(), "/open");
        assert_eq!(parse257(&r("257 /noquote")).unwrap(), "");
        assert_eq!(parse257(&r("257 \"\"\"\"")).unwrap(), "\"");
        assert_eq!(parse257(&r("257 \"/é\"")).unwrap(), "/é");
        assert!(matches!(parse257(&r("250 \"x\"")), Err(Error::Reply(_))));
    }
}
