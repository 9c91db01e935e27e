//! Windows/IIS ("MS-DOS") style LIST lines:
//!
//! ```text
//! 04-27-00  12:09PM       <DIR>          Windows dir
//! 04-14-00  03:47PM                  589 file.txt
//! 2002-09-02  19:06                9,730 long year.txt
//! ```
//!
//! Documented behaviour:
//!
//! - dates `MM-DD-YY`, `MM-DD-YYYY` (or with `/`), and `YYYY-MM-DD`;
//!   two-digit years 70..=99 are 19xx, 00..=69 are 20xx; months and days
//!   are read in that (US) order, never guessed: a date that does not exist
//!   leaves `mtime` None;
//! - times `HH:MM` with `AM`/`PM` (attached or as the next field, any case)
//!   or 24-hour `HH:MM`, optionally `:SS`; precision 60 (1 with seconds);
//!   the time is the server's wall clock (`utc` false: IIS prints local
//!   time and the listing does not say which zone);
//! - `<DIR>` (any case) is a directory without a size; otherwise the size,
//!   with or without thousands separators (`1,234`); one that does not fit
//!   in a u64 is left None;
//! - the name starts one space after the size, and after `<DIR>` ten
//!   spaces later (the IIS column layout) when there are that many, else
//!   after all the spaces: further spaces belong to the name.

use super::dates::unix_seconds;
use super::entry::{Entry, EntryType, Format, Line, ListContext, Mtime};
use super::ls_date::split3;
use super::tokens::{decode, entry_line, fields, number, small, strip_cr, text, usable_name};

/// How many spaces IIS puts between `<DIR>` and the name.
const DIR_GAP: usize = 10;

/// Parses a DOS/IIS LIST line; None when the line is not one.
pub fn parse_dos(line: &[u8], cx: &ListContext) -> Option<Line> {
    let raw = line;
    let line = strip_cr(line);
    let spans = fields(line, 5);
    if spans.len() < 4 || spans[0].start != 0 {
        return None;
    }
    let (year, month, day) = dos_date(text(line, spans[0]))?;
    let (clock, size_at) = match am_pm(text(line, spans[2])) {
        Some(_) => (
            dos_time(text(line, spans[1]), Some(text(line, spans[2])))?,
            3,
        ),
        None => (dos_time(text(line, spans[1]), None)?, 2),
    };
    let column = *spans.get(size_at)?;
    let field = text(line, column);
    let (kind, size, name_start) = if field.eq_ignore_ascii_case(b"<DIR>") {
        let after = &line[column.end..];
        let gap = after.iter().take_while(|&&b| b == b' ').count();
        (EntryType::Dir, None, column.end + gap.min(DIR_GAP))
    } else {
        (EntryType::File, dos_size(field)?, column.end + 1)
    };
    let name = line.get(name_start..).filter(|n| usable_name(n))?;
    let mut entry = Entry::named(kind, decode(cx, name), raw, Format::Dos);
    entry.size = size;
    entry.mtime = unix_seconds(year, month, day, clock.0, clock.1, clock.2).map(|secs| Mtime {
        secs,
        utc: false,
        precision: if clock.3 { 1 } else { 60 },
    });
    Some(entry_line(entry))
}

/// A date field's (year, month, day); month and day are checked for shape
/// only (1..=12, 1..=31).
fn dos_date(field: &[u8]) -> Option<(i64, u32, u32)> {
    let sep = *field.iter().find(|b| matches!(b, b'-' | b'/'))?;
    let [a, b, c] = split3(field, sep)?;
    let (y, m, d) = if a.len() == 4 && sep == b'-' {
        (a, b, c)
    } else {
        (c, a, b)
    };
    let month = small(m, 2).filter(|m| (1..=12).contains(m))?;
    let day = small(d, 2).filter(|d| (1..=31).contains(d))?;
    let year = match y.len() {
        2 => {
            let yy = small(y, 2)?;
            i64::from(if yy >= 70 { 1900 + yy } else { 2000 + yy })
        }
        4 => i64::from(small(y, 4)?),
        _ => return None,
    };
    Some((year, month, day))
}

/// `HH:MM[:SS][AM|PM]`, or `HH:MM[:SS]` followed by an `AM`/`PM` field:
/// (hour, minute, second, seconds given).
fn dos_time(field: &[u8], suffix_field: Option<&[u8]>) -> Option<(u32, u32, u32, bool)> {
    let (clock, half) = match suffix_field {
        Some(s) => (field, am_pm(s)?),
        None => match field.len().checked_sub(2).map(|i| field.split_at(i)) {
            Some((c, s)) if am_pm(s).is_some() => (c, am_pm(s)?),
            _ => (field, Half::None),
        },
    };
    let mut parts = clock.split(|&b| b == b':');
    let h = small(parts.next()?, 2)?;
    let m_text = parts.next()?;
    let m = small(m_text, 2).filter(|&m| m <= 59 && m_text.len() == 2)?;
    let s = match parts.next() {
        Some(t) => Some(small(t, 2).filter(|&s| s <= 59 && t.len() == 2)?),
        None => None,
    };
    if parts.next().is_some() {
        return None;
    }
    let hour = match half {
        Half::None if h <= 23 => h,
        Half::Am if (1..=12).contains(&h) => h % 12,
        Half::Pm if (1..=12).contains(&h) => h % 12 + 12,
        _ => return None,
    };
    Some((hour, m, s.unwrap_or(0), s.is_some()))
}

enum Half {
    None,
    Am,
    Pm,
}

fn am_pm(text: &[u8]) -> Option<Half> {
    if text.eq_ignore_ascii_case(b"AM") {
        Some(Half::Am)
    } else if text.eq_ignore_ascii_case(b"PM") {
        Some(Half::Pm)
    } else {
        None
    }
}

/// A size field, digits with optional thousands separators: Some(None) when
/// it is one but too large for a u64.
fn dos_size(field: &[u8]) -> Option<Option<u64>> {
    let shape = field.first().is_some_and(u8::is_ascii_digit)
        && field.last().is_some_and(u8::is_ascii_digit)
        && field.iter().all(|&b| b.is_ascii_digit() || b == b',');
    if !shape {
        return None;
    }
    let digits: Vec<u8> = field.iter().copied().filter(|&b| b != b',').collect();
    Some(number(&digits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Encoding;

    fn entry(line: &str) -> Entry {
        let cx = ListContext {
            now: 0,
            encoding: Encoding::Utf8,
        };
        match parse_dos(line.as_bytes(), &cx) {
            Some(Line::Entry(e)) => e,
            other => panic!("{line:?} gave {other:?}"),
        }
    }

    #[test]
    fn iis_lines() {
        let e = entry("04-27-00  12:09AM       <DIR>           lead");
        assert_eq!((e.kind, e.name.as_deref()), (EntryType::Dir, Some(" lead")));
        assert_eq!(
            e.mtime.unwrap().secs,
            unix_seconds(2000, 4, 27, 0, 9, 0).unwrap()
        );
        let e = entry("12/31/1999 11:59 PM 1,234,567 a b");
        assert_eq!((e.size, e.name.as_deref()), (Some(1_234_567), Some("a b")));
        assert_eq!(
            e.mtime.unwrap().secs,
            unix_seconds(1999, 12, 31, 23, 59, 0).unwrap()
        );
        assert_eq!(dos_date(b"13-01-20"), None);
        assert_eq!(dos_time(b"13:00PM", None), None);
    }
}
