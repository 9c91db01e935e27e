//! OpenVMS style LIST lines:
//!
//! ```text
//! NAME.EXT;1   12/24   1-JAN-2020 12:34:56  [GROUP,OWNER]  (RWED,RWED,RE,)
//! SUBDIR.DIR;1  1 19-NOV-2001 21:41 [root,root] (RWE,RWE,RE,RE)
//! ```
//!
//! Documented behaviour:
//!
//! - the name drops its `;version` (as most clients do: RETR and CWD take
//!   the name without it, and the newest version is meant); several
//!   versions of a file give several entries with the same name, told apart
//!   by `raw` only;
//! - `NAME.DIR;n` is a directory named `NAME` (the `.DIR` dropped, any
//!   case);
//! - the size is given in 512-byte blocks: `size` is the used blocks (the
//!   first number of `used/allocated`) times 512, so up to 511 bytes more
//!   than the file holds; None if that overflows;
//! - the date `D-MMM-YYYY` with an optional time `HH:MM[:SS[.cc]]` is the
//!   server's wall clock (`utc` false), precision 1 with seconds, 60
//!   without, 86400 without a time;
//! - `[GROUP,OWNER]` gives group and owner, `[OWNER]` the owner only; the
//!   protection `(RWED,...)` is not a Unix mode and is not kept;
//! - the fields after the name may come in any order; a field that is none
//!   of these makes the line not VMS (Unknown);
//! - a long name makes VMS wrap an entry onto two lines: the first (the name
//!   alone) gives an entry with only kind and name, the second (size, date,
//!   owner, protection, no name) gives an Unknown entry: every line reaches
//!   the caller exactly once.
//!
//! The `Directory DISK:[DIR]` header and `Total of N files` trailer are
//! Unknown entries.

use super::dates::unix_seconds;
use super::entry::{Entry, EntryType, Format, Line, ListContext, Mtime};
use super::ls_date::{month_word, split3};
use super::tokens::{
    all_digits, decode, entry_line, fields, number, small, strip_cr, text, usable_name,
};

/// Parses an OpenVMS LIST line; None when the line is not one.
pub fn parse_vms(line: &[u8], cx: &ListContext) -> Option<Line> {
    let raw = line;
    let line = strip_cr(line);
    let spans = fields(line, 8);
    let first = *spans.first()?;
    if first.start != 0 || spans.len() > 7 {
        return None;
    }
    let (name, kind) = vms_name(text(line, first))?;
    let mut entry = Entry::named(kind, decode(cx, name), raw, Format::Vms);
    let mut seen_size_or_date = false;
    let mut i = 1;
    while i < spans.len() {
        let field = text(line, spans[i]);
        if let Some(blocks) = blocks(field) {
            entry.size = blocks.and_then(|b| b.checked_mul(512));
            seen_size_or_date = true;
        } else if let Some((y, mo, d)) = vms_date(field) {
            let clock = spans.get(i + 1).and_then(|&s| vms_clock(text(line, s)));
            let (h, mi, s, precision) = clock.unwrap_or((0, 0, 0, 86_400));
            entry.mtime = unix_seconds(y, mo, d, h, mi, s).map(|secs| Mtime {
                secs,
                utc: false,
                precision,
            });
            i += usize::from(clock.is_some());
            seen_size_or_date = true;
        } else if let Some(inner) = field.strip_prefix(b"[").and_then(|f| f.strip_suffix(b"]")) {
            let (group, owner) = match inner.iter().position(|&b| b == b',') {
                Some(c) => (Some(&inner[..c]), &inner[c + 1..]),
                None => (None, inner),
            };
            entry.owner = (!owner.is_empty()).then(|| decode(cx, owner));
            entry.group = group.filter(|g| !g.is_empty()).map(|g| decode(cx, g));
        } else if !(field.starts_with(b"(") && field.ends_with(b")")) {
            return None;
        }
        i += 1;
    }
    // A name alone: the first line of a wrapped entry.
    (seen_size_or_date || spans.len() == 1).then(|| entry_line(entry))
}

/// The name without `;version` (and without `.DIR` for a directory).
fn vms_name(field: &[u8]) -> Option<(&[u8], EntryType)> {
    let semi = field.iter().rposition(|&b| b == b';')?;
    let (base, version) = (&field[..semi], &field[semi + 1..]);
    if !usable_name(base) || !all_digits(version) || base.contains(&b'\t') {
        return None;
    }
    match base.len().checked_sub(4).map(|i| base.split_at(i)) {
        Some((dir, ext)) if !dir.is_empty() && ext.eq_ignore_ascii_case(b".DIR") => {
            Some((dir, EntryType::Dir))
        }
        _ => Some((base, EntryType::File)),
    }
}

/// `used` or `used/allocated` blocks: the used ones (Some(None) when too
/// many for a u64).
fn blocks(field: &[u8]) -> Option<Option<u64>> {
    let used = match field.iter().position(|&b| b == b'/') {
        Some(i) if all_digits(&field[i + 1..]) => &field[..i],
        Some(_) => return None,
        None => field,
    };
    all_digits(used).then(|| number(used))
}

/// `D-MMM-YYYY` (English month abbreviation, any case).
fn vms_date(field: &[u8]) -> Option<(i64, u32, u32)> {
    let [d, m, y] = split3(field, b'-')?;
    let day = small(d, 2).filter(|d| (1..=31).contains(d))?;
    let month = month_word(m).filter(|_| m.len() == 3)?;
    (y.len() == 4).then_some(())?;
    Some((i64::from(small(y, 4)?), month, day))
}

/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.cc`: (h, m, s, precision).
fn vms_clock(field: &[u8]) -> Option<(u32, u32, u32, u32)> {
    let main = match field.iter().position(|&b| b == b'.') {
        Some(i) if all_digits(&field[i + 1..]) => &field[..i],
        Some(_) => return None,
        None => field,
    };
    let mut parts = main.split(|&b| b == b':');
    let h = small(parts.next()?, 2).filter(|&h| h <= 23)?;
    let m = small(parts.next()?, 2).filter(|&m| m <= 59)?;
    let s = match parts.next() {
        Some(t) => Some(small(t, 2).filter(|&s| s <= 59)?),
        None => None,
    };
    if parts.next().is_some() || (s.is_none() && main.len() != field.len()) {
        return None;
    }
    Some((h, m, s.unwrap_or(0), if s.is_some() { 1 } else { 60 }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Encoding;

    fn parse(line: &str) -> Option<Line> {
        let cx = ListContext {
            now: 0,
            encoding: Encoding::Utf8,
        };
        parse_vms(line.as_bytes(), &cx)
    }

    #[test]
    fn vms_lines() {
        let Some(Line::Entry(e)) =
            parse("A.TXT;3  12/24  1-JAN-2020 12:34:56.78  [G,O]  (RWED,RE,,)")
        else {
            panic!("not VMS");
        };
        assert_eq!(
            (e.kind, e.name.as_deref()),
            (EntryType::File, Some("A.TXT"))
        );
        assert_eq!(e.size, Some(12 * 512));
        assert_eq!(
            (e.owner.as_deref(), e.group.as_deref()),
            (Some("O"), Some("G"))
        );
        assert_eq!(
            e.mtime.unwrap().secs,
            unix_seconds(2020, 1, 1, 12, 34, 56).unwrap()
        );
        let Some(Line::Entry(e)) = parse("SUB.dir;1") else {
            panic!("wrapped first line");
        };
        assert_eq!(
            (e.kind, e.name.as_deref(), e.size),
            (EntryType::Dir, Some("SUB"), None)
        );
        assert_eq!(parse("A.TXT;1 hello"), None);
        assert_eq!(parse("   12/24  1-JAN-2020"), None);
        assert_eq!(parse("A.TXT;x 1"), None);
    }
}
