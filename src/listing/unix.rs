//! Unix `ls -l` style LIST lines, the format of vsftpd, ProFTPD,
//! Pure-FTPd, pyftpdlib and most other servers:
//!
//! ```text
//! -rw-r--r--    1 ftp      ftp            12 Dec 05 10:00 hello.txt
//! ```
//!
//! Documented behaviour:
//!
//! - the mode is a type character (`-` file, `d` dir, `l` link; `b c p s D`
//!   and any other letter or `?` give [`EntryType::Other`]) and nine
//!   permission characters (`rwx-`, `sStT`, `lL`); one ACL/attribute marker
//!   after them (`+`, `.`, `@`) is dropped from `unix_mode`;
//! - the date column (see `ls_date`) is found first; the field just before
//!   it is the size (`major, minor` for devices: size None); the fields
//!   between the mode and the size are link count, owner and group, any of
//!   which a server may leave out: a first field of digits (when followed
//!   by another) is the link count, then comes the owner, then the group
//!   (several fields join with one space); so `1 owner 1234` has no group
//!   and `1000 1000 12` reads as link count 1000, owner 1000;
//! - the name starts exactly one space after the date column, further
//!   spaces belong to it (servers that pad more, as some IBM i versions do
//!   after a year, give names with leading spaces);
//! - for type `l` only, the name splits at the first ` -> `;
//! - a size that does not fit in a u64 leaves `size` None;
//! - times are server-local (`utc` false) unless `ls --full-time` gave a
//!   zone; `total N` lines give [`Skip::Total`], `.` and `..` give
//!   [`Skip::Dot`].

use super::entry::{Entry, EntryType, Format, Line, ListContext, Skip};
use super::ls_date::ls_date;
use super::tokens::{all_digits, decode, entry_line, fields, number, strip_cr, text, usable_name};

/// The furthest field the date column may start at (mode, link count,
/// owner, a group of up to four words, size).
const LAST_DATE_FIELD: usize = 9;

/// Parses a Unix `ls -l` LIST line; None when the line is not one (the
/// caller tries other formats). `raw` of the entry is `line` as given.
pub fn parse_unix(line: &[u8], cx: &ListContext) -> Option<Line> {
    let raw = line;
    let line = strip_cr(line);
    if is_total(line) {
        return Some(Line::Skip(Skip::Total));
    }
    let spans = fields(line, LAST_DATE_FIELD + 4);
    let first = *spans.first()?;
    if first.start != 0 {
        return None;
    }
    let (kind, mode) = parse_mode(text(line, first))?;
    for at in 2..spans.len().min(LAST_DATE_FIELD + 1) {
        let Some(date) = ls_date(line, &spans, at, cx.now) else {
            continue;
        };
        let Some((size, size_fields)) = size_before(line, &spans[1..at]) else {
            continue;
        };
        let middle = &spans[1..at - size_fields];
        let name_start = spans[at + date.fields - 1].end + 1;
        let rest = line.get(name_start..).filter(|r| !r.is_empty())?;
        let (name, target) = match (kind, find_arrow(rest)) {
            (EntryType::Link, Some(i)) if i > 0 => (&rest[..i], Some(&rest[i + 4..])),
            _ => (rest, None),
        };
        if !usable_name(name) {
            return None;
        }
        let mut entry = Entry::named(kind, decode(cx, name), raw, Format::Unix);
        entry.size = size;
        entry.mtime = date.mtime;
        entry.unix_mode = Some(mode);
        entry.link_target = target.filter(|t| !t.is_empty()).map(|t| decode(cx, t));
        let (owner, group) = owner_group(line, middle);
        entry.owner = owner.map(|o| decode(cx, &o));
        entry.group = group.map(|g| decode(cx, &g));
        return Some(entry_line(entry));
    }
    None
}

/// `total N` (any case), the first line of `ls -l`.
fn is_total(line: &[u8]) -> bool {
    line.len() > 6
        && line[..5].eq_ignore_ascii_case(b"total")
        && line[5] == b' '
        && all_digits(line[5..].trim_ascii_start())
}

/// The kind and the nine permission characters of a mode field.
fn parse_mode(field: &[u8]) -> Option<(EntryType, String)> {
    let perms = match field.len() {
        10 => &field[1..],
        11 if matches!(field[10], b'+' | b'.' | b'@') => &field[1..10],
        _ => return None,
    };
    let kind = match field[0] {
        b'-' => EntryType::File,
        b'd' => EntryType::Dir,
        b'l' => EntryType::Link,
        b'?' => EntryType::Other,
        c if c.is_ascii_alphabetic() => EntryType::Other,
        _ => return None,
    };
    let ok = perms.iter().all(|c| {
        matches!(
            c,
            b'r' | b'w' | b'x' | b'-' | b's' | b'S' | b't' | b'T' | b'l' | b'L'
        )
    });
    // ASCII only, so the bytes are the characters.
    ok.then(|| (kind, perms.iter().map(|&c| char::from(c)).collect()))
}

/// The size in the last field(s) of `before` (the fields between the mode
/// and the date): digits, or a device's `major, minor` / `major,minor`
/// (size None). Returns the size and how many fields it took; None when
/// the field is no size (so the date candidate is not the date column).
fn size_before(line: &[u8], before: &[super::tokens::Span]) -> Option<(Option<u64>, usize)> {
    let last = text(line, *before.last()?);
    if let Some(comma) = last.iter().position(|&b| b == b',') {
        let (major, minor) = (&last[..comma], &last[comma + 1..]);
        return (all_digits(major) && all_digits(minor)).then_some((None, 1));
    }
    if !all_digits(last) {
        return None;
    }
    if before.len() >= 2 {
        let prev = text(line, before[before.len() - 2]);
        if let Some(major) = prev.strip_suffix(b",") {
            if all_digits(major) {
                return Some((None, 2));
            }
        }
    }
    Some((number(last), 1))
}

/// Link count, owner and group from the fields between mode and size.
fn owner_group(line: &[u8], middle: &[super::tokens::Span]) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let words: Vec<&[u8]> = middle.iter().map(|&s| text(line, s)).collect();
    let rest = match words.split_first() {
        Some((first, rest)) if all_digits(first) => rest,
        _ => &words[..],
    };
    // NetPresenz (Mac) puts the word "folder" where owner and group go.
    let rest = match rest {
        [b"folder"] => &[][..],
        r => r,
    };
    let owner = rest.first().map(|o| o.to_vec());
    let group = (rest.len() > 1).then(|| rest[1..].join(&b' '));
    (owner, group)
}

/// Where ` -> ` starts in a link's name column.
fn find_arrow(rest: &[u8]) -> Option<usize> {
    rest.windows(4).position(|w| w == b" -> ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::dates::unix_seconds;
    use crate::Encoding;

    fn cx() -> ListContext {
        ListContext {
            now: unix_seconds(2026, 12, 6, 0, 0, 0).unwrap(),
            encoding: Encoding::Utf8,
        }
    }

    fn entry(line: &str) -> Entry {
        match parse_unix(line.as_bytes(), &cx()) {
            Some(Line::Entry(e)) => e,
            other => panic!("{line:?} gave {other:?}"),
        }
    }

    #[test]
    fn vsftpd_line() {
        let e = entry("-rw-r--r--    1 ftp      ftp            12 Dec 05 10:00 hello.txt");
        assert_eq!(e.kind, EntryType::File);
        assert_eq!(e.name.as_deref(), Some("hello.txt"));
        assert_eq!(e.size, Some(12));
        assert_eq!(e.unix_mode.as_deref(), Some("rw-r--r--"));
        assert_eq!(
            (e.owner.as_deref(), e.group.as_deref()),
            (Some("ftp"), Some("ftp"))
        );
        assert_eq!(
            e.mtime.unwrap().secs,
            unix_seconds(2026, 12, 5, 10, 0, 0).unwrap()
        );
    }

    #[test]
    fn odd_columns() {
        let e = entry("-rw-r--r-- 1 owner 1234 Jan 1 2020  two spaces");
        assert_eq!((e.owner.as_deref(), e.group), (Some("owner"), None));
        assert_eq!(e.name.as_deref(), Some(" two spaces"));
        let e = entry("crw-rw-rw- 1 root root 1, 3 Jan 1 2020 null");
        assert_eq!((e.kind, e.size), (EntryType::Other, None));
        let e = entry("lrwxrwxrwx 1 a b 7 Jan 25 00:17 a -> b -> c");
        assert_eq!(e.link_target.as_deref(), Some("b -> c"));
        assert_eq!(
            parse_unix(b"TOTAL 12", &cx()),
            Some(Line::Skip(Skip::Total))
        );
        assert_eq!(parse_unix(b"-rw-r--r-- 1 a b 1 Jan 1 2020", &cx()), None);
    }
}
