//! `%XX` decoding and encoding of URL components.

use crate::error::{Error, Result};

/// Decodes the `%XX` escapes of one URL component (`what` names it in
/// errors, which never quote the text: it may be a password).
pub(super) fn decode(s: &str, what: &str) -> Result<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            let v = match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(hi), Some(lo)) if hi | lo != 0 => (hi * 16 + lo) as u8,
                _ => {
                    return Err(Error::InvalidArgument(format!(
                        "bad %-escape in the URL's {what} (want %XX with two hex digits, not %00)"
                    )))
                }
            };
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| Error::InvalidArgument(format!("the URL's {what} is not UTF-8 once decoded")))
}

/// %-encodes every byte of `s` but letters, digits and `-._~`.
pub(super) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out += &format!("%{b:02X}");
        }
    }
    out
}
