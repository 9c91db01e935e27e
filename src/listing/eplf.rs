//! EPLF, the Easily Parsed LIST Format (<https://cr.yp.to/ftp/list/eplf.html>):
//! `+` facts separated by `,`, a tab (shown as `<TAB>`), the name.
//!
//! ```text
//! +i8388621.44468,m839956783,r,s10376,<TAB>RFCEPLF
//! ```
//!
//! Documented behaviour:
//!
//! - `/` makes a directory, else `r` a file, else the entry is
//!   [`EntryType::Other`];
//! - `s<digits>` is the size, `m<digits>` the modification time in Unix
//!   seconds (UTC, precision 1); `i...` (an identifier) and unknown facts
//!   are ignored, as the format asks; a malformed `s` or `m` value is left
//!   None;
//! - `up<octal>` (permissions, up to four octal digits) becomes `unix_mode`
//!   in the nine-character `rwxr-xr-x` form Unix listings give (setuid,
//!   setgid and sticky as `s S t T`), so callers read one form;
//! - the name is everything after the first tab, verbatim; a line without
//!   a tab or with an empty name is not EPLF (Unknown).

use super::entry::{Entry, EntryType, Format, Line, ListContext, Mtime};
use super::tokens::{all_digits, decode, entry_line, number, strip_cr, usable_name};

/// Parses an EPLF line; None when the line is not one.
pub fn parse_eplf(line: &[u8], cx: &ListContext) -> Option<Line> {
    let raw = line;
    let body = strip_cr(line).strip_prefix(b"+")?;
    let tab = body.iter().position(|&b| b == b'\t')?;
    let (facts, name) = (&body[..tab], &body[tab + 1..]);
    if !usable_name(name) {
        return None;
    }
    let (mut dir, mut file) = (false, false);
    let mut entry = Entry::named(EntryType::Other, decode(cx, name), raw, Format::Eplf);
    for fact in facts.split(|&b| b == b',') {
        match fact.split_first() {
            Some((b'/', _)) => dir = true,
            Some((b'r', _)) => file = true,
            Some((b's', size)) => entry.size = number(size),
            Some((b'm', secs)) => {
                entry.mtime = number(secs)
                    .and_then(|s| i64::try_from(s).ok())
                    .map(|secs| Mtime {
                        secs,
                        utc: true,
                        precision: 1,
                    })
            }
            Some((b'u', rest)) => {
                if let Some(octal) = rest.strip_prefix(b"p") {
                    entry.unix_mode = mode_string(octal);
                }
            }
            _ => {}
        }
    }
    entry.kind = if dir {
        EntryType::Dir
    } else if file {
        EntryType::File
    } else {
        EntryType::Other
    };
    Some(entry_line(entry))
}

/// Octal permissions (one to four digits) as `rwxr-xr-x`.
fn mode_string(octal: &[u8]) -> Option<String> {
    if octal.len() > 4 || !all_digits(octal) || octal.iter().any(|&d| d > b'7') {
        return None;
    }
    let mode = octal.iter().fold(0u32, |m, &d| m * 8 + u32::from(d - b'0'));
    let mut out = String::with_capacity(9);
    // (who's shift, special bit, its letter)
    for (shift, special, letter) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (mode >> shift) & 7;
        out.push(if bits & 4 != 0 { 'r' } else { '-' });
        out.push(if bits & 2 != 0 { 'w' } else { '-' });
        out.push(match (bits & 1 != 0, mode & special != 0) {
            (true, true) => letter,
            (false, true) => letter.to_ascii_uppercase(),
            (true, false) => 'x',
            (false, false) => '-',
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Encoding;

    #[test]
    fn facts() {
        let cx = ListContext {
            now: 0,
            encoding: Encoding::Utf8,
        };
        let Some(Line::Entry(e)) = parse_eplf(b"+i1.2,m824255902,/,up755,\tdev", &cx) else {
            panic!("not EPLF");
        };
        assert_eq!((e.kind, e.name.as_deref()), (EntryType::Dir, Some("dev")));
        assert_eq!(e.mtime.map(|m| (m.secs, m.utc)), Some((824_255_902, true)));
        assert_eq!(e.unix_mode.as_deref(), Some("rwxr-xr-x"));
        assert_eq!(mode_string(b"4755").as_deref(), Some("rwsr-xr-x"));
        assert_eq!(mode_string(b"1644").as_deref(), Some("rw-r--r-T"));
        assert_eq!(mode_string(b"8"), None);
        assert_eq!(parse_eplf(b"+r,s1, no tab", &cx), None);
        assert_eq!(parse_eplf(b"+r,\t", &cx), None);
    }
}
