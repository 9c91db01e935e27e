//! Novell NetWare style LIST lines:
//!
//! ```text
//! d [R----F--] supervisor            512       Jan 16 18:53    login
//! - [RWCEAFMS] rhesus             214059       Oct 20  1999    cx.exe
//! ```
//!
//! Documented behaviour: `d` is a directory, `-` a file; the bracketed
//! NetWare rights are not a Unix mode and are not kept; the owner is the
//! field after them; the date column is read as in Unix listings (server
//! local time, year inferred when absent); NetWare pads the name column, so
//! all the spaces before the name are dropped (a name cannot start with a
//! space here).

use super::entry::{Entry, EntryType, Format, Line, ListContext};
use super::ls_date::ls_date;
use super::tokens::{all_digits, decode, entry_line, fields, number, strip_cr, text, usable_name};

/// Parses a NetWare LIST line; None when the line is not one.
pub fn parse_netware(line: &[u8], cx: &ListContext) -> Option<Line> {
    let raw = line;
    let line = strip_cr(line);
    let spans = fields(line, 7);
    if spans.len() < 7 || spans[0].start != 0 {
        return None;
    }
    let kind = match text(line, spans[0]) {
        b"d" => EntryType::Dir,
        b"-" => EntryType::File,
        _ => return None,
    };
    let rights = text(line, spans[1]);
    if !(rights.len() >= 2 && rights.starts_with(b"[") && rights.ends_with(b"]")) {
        return None;
    }
    let size_field = text(line, spans[3]);
    if !all_digits(size_field) {
        return None;
    }
    let date = ls_date(line, &spans, 4, cx.now)?;
    let after = spans[3 + date.fields].end;
    let name = line[after..].trim_ascii_start();
    if !usable_name(name) {
        return None;
    }
    let mut entry = Entry::named(kind, decode(cx, name), raw, Format::NetWare);
    entry.size = number(size_field);
    entry.mtime = date.mtime;
    entry.owner = Some(decode(cx, text(line, spans[2])));
    Some(entry_line(entry))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::dates::unix_seconds;
    use crate::Encoding;

    #[test]
    fn netware_lines() {
        let cx = ListContext {
            now: unix_seconds(2026, 12, 6, 0, 0, 0).unwrap(),
            encoding: Encoding::Utf8,
        };
        let line = b"d [R----F--] supervisor            512       Jan 16 18:53    login";
        let Some(Line::Entry(e)) = parse_netware(line, &cx) else {
            panic!("not NetWare");
        };
        assert_eq!((e.kind, e.name.as_deref()), (EntryType::Dir, Some("login")));
        assert_eq!(
            (e.size, e.owner.as_deref()),
            (Some(512), Some("supervisor"))
        );
        assert_eq!(
            e.mtime.unwrap().secs,
            unix_seconds(2026, 1, 16, 18, 53, 0).unwrap()
        );
        assert_eq!(parse_netware(b"d [R] x 1 Jan 16 18:53", &cx), None);
    }
}
