//! The date columns of `ls -l` style listings (Unix, NetWare), as fields:
//!
//! - `Mon DD HH:MM`: recent files; the year is inferred from
//!   [`ListContext::now`](super::ListContext::now) with
//!   [`infer_year`]; precision 60;
//! - `Mon DD YYYY`: older files; 00:00 of that day, precision 86400;
//! - `YYYY-MM-DD HH:MM[:SS[.fraction] [+-]HHMM]` and `YYYY-MM-DD` alone, as
//!   `ls --time-style=long-iso|full-iso|iso` print them; a full-iso zone
//!   offset makes the time UTC;
//! - `MM-DD HH:MM` (`--time-style=iso` for recent files), year inferred.
//!
//! Month names are English, any case, three letters or in full ("Sept"
//! too). A date whose shape is right but which does not exist (Feb 30) is
//! still a date column, with no time: the caller keeps the entry with
//! `mtime` None.

use super::dates::{infer_year, month_from_name, unix_seconds};
use super::entry::Mtime;
use super::tokens::{all_digits, small, text, Span};

/// A date column found at some field: the time (None when the date does not
/// exist) and how many fields it took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LsDate {
    /// The time, server-local (`utc` false) unless a zone was given.
    pub mtime: Option<Mtime>,
    /// The number of fields the date took (1 to 3).
    pub fields: usize,
}

/// The date column starting at field `at` of `line`, if the fields there
/// have the shape of one.
pub(crate) fn ls_date(line: &[u8], spans: &[Span], at: usize, now: i64) -> Option<LsDate> {
    let field = |i: usize| spans.get(at + i).map(|&s| text(line, s));
    let first = field(0)?;
    if let Some(month) = month_word(first) {
        let day = small(field(1)?, 2).filter(|d| (1..=31).contains(d))?;
        let last = field(2)?;
        let mtime = if let Some((h, m)) = hour_minute(last) {
            infer_year(month, day, h, m, now)
                .and_then(|y| unix_seconds(y, month, day, h, m, 0))
                .map(|secs| local(secs, 60))
        } else if last.len() == 4 && all_digits(last) {
            let year = i64::from(small(last, 4)?);
            unix_seconds(year, month, day, 0, 0, 0).map(|secs| local(secs, 86_400))
        } else {
            return None;
        };
        return Some(LsDate { mtime, fields: 3 });
    }
    if let Some((year, month, day)) = iso_date(first) {
        let Some(clock) = field(1).and_then(clock) else {
            let mtime = unix_seconds(year, month, day, 0, 0, 0).map(|s| local(s, 86_400));
            return Some(LsDate { mtime, fields: 1 });
        };
        let secs = unix_seconds(year, month, day, clock.h, clock.m, clock.s);
        let precision = if clock.has_seconds { 1 } else { 60 };
        // full-iso: "12:34:56.123456789 +0100"; the offset makes it UTC.
        if clock.has_fraction {
            if let Some(offset) = field(2).and_then(zone_offset) {
                let mtime = secs.map(|s| Mtime {
                    secs: s - offset,
                    utc: true,
                    precision,
                });
                return Some(LsDate { mtime, fields: 3 });
            }
        }
        let mtime = secs.map(|s| local(s, precision));
        return Some(LsDate { mtime, fields: 2 });
    }
    let (month, day) = month_day(first)?;
    let (h, m) = hour_minute(field(1)?)?;
    let mtime = infer_year(month, day, h, m, now)
        .and_then(|y| unix_seconds(y, month, day, h, m, 0))
        .map(|secs| local(secs, 60));
    Some(LsDate { mtime, fields: 2 })
}

fn local(secs: i64, precision: u32) -> Mtime {
    Mtime {
        secs,
        utc: false,
        precision,
    }
}

/// The month of an English month name: three letters, the full name, or
/// "Sept", in any case.
pub(crate) fn month_word(word: &[u8]) -> Option<u32> {
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let month = month_from_name(word)?;
    let lower = word.to_ascii_lowercase();
    let full = FULL[month as usize - 1].as_bytes();
    let ok = lower.len() == 3 || lower == full || lower == b"sept";
    ok.then_some(month)
}

/// `H:MM` or `HH:MM` as hour and minute.
fn hour_minute(field: &[u8]) -> Option<(u32, u32)> {
    let c = clock(field)?;
    (!c.has_seconds).then_some((c.h, c.m))
}

/// A time of day: `H:MM`, `HH:MM:SS`, `HH:MM:SS.fraction`.
struct Clock {
    h: u32,
    m: u32,
    s: u32,
    has_seconds: bool,
    has_fraction: bool,
}

fn clock(field: &[u8]) -> Option<Clock> {
    let (main, fraction) = match field.iter().position(|&b| b == b'.') {
        Some(i) => (&field[..i], Some(&field[i + 1..])),
        None => (field, None),
    };
    if let Some(f) = fraction {
        if !all_digits(f) {
            return None;
        }
    }
    let mut parts = main.split(|&b| b == b':');
    let h = small(parts.next()?, 2)?;
    let m_text = parts.next()?;
    let m = small(m_text, 2).filter(|_| m_text.len() == 2)?;
    let s = match parts.next() {
        Some(t) if t.len() == 2 => Some(small(t, 2)?),
        Some(_) => return None,
        None => None,
    };
    if parts.next().is_some() || h > 23 || m > 59 || s.is_some_and(|s| s > 60) {
        return None;
    }
    if fraction.is_some() && s.is_none() {
        return None;
    }
    Some(Clock {
        h,
        m,
        s: s.unwrap_or(0),
        has_seconds: s.is_some(),
        has_fraction: fraction.is_some(),
    })
}

/// `YYYY-MM-DD` (shape only: month 1..=12, day 1..=31).
fn iso_date(field: &[u8]) -> Option<(i64, u32, u32)> {
    let [y, m, d] = split3(field, b'-')?;
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = small(m, 2).filter(|m| (1..=12).contains(m))?;
    let day = small(d, 2).filter(|d| (1..=31).contains(d))?;
    Some((i64::from(small(y, 4)?), month, day))
}

/// `MM-DD`.
fn month_day(field: &[u8]) -> Option<(u32, u32)> {
    let mut parts = field.split(|&b| b == b'-');
    let (m, d) = (parts.next()?, parts.next()?);
    if parts.next().is_some() || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = small(m, 2).filter(|m| (1..=12).contains(m))?;
    let day = small(d, 2).filter(|d| (1..=31).contains(d))?;
    Some((month, day))
}

/// Three parts separated by `sep`.
pub(crate) fn split3(field: &[u8], sep: u8) -> Option<[&[u8]; 3]> {
    let mut parts = field.split(|&b| b == sep);
    let out = [parts.next()?, parts.next()?, parts.next()?];
    parts.next().is_none().then_some(out)
}

/// A `+HHMM` / `-HHMM` zone as seconds east of UTC.
fn zone_offset(field: &[u8]) -> Option<i64> {
    let (sign, digits) = match field.split_first()? {
        (b'+', rest) => (1, rest),
        (b'-', rest) => (-1, rest),
        _ => return None,
    };
    if digits.len() != 4 {
        return None;
    }
    let h = i64::from(small(&digits[..2], 2).filter(|&h| h <= 23)?);
    let m = i64::from(small(&digits[2..], 2).filter(|&m| m <= 59)?);
    Some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::tokens::fields;

    fn date(text: &str) -> Option<LsDate> {
        let now = unix_seconds(2026, 12, 6, 0, 0, 0).unwrap();
        let spans = fields(text.as_bytes(), 8);
        ls_date(text.as_bytes(), &spans, 0, now)
    }

    #[test]
    fn shapes() {
        let d = date("Dec 05 10:00 x").unwrap();
        assert_eq!(d.fields, 3);
        let m = d.mtime.unwrap();
        assert_eq!(m.secs, unix_seconds(2026, 12, 5, 10, 0, 0).unwrap());
        assert_eq!((m.utc, m.precision), (false, 60));
        let m = date("JAN  1  1994").unwrap().mtime.unwrap();
        assert_eq!(m.secs, unix_seconds(1994, 1, 1, 0, 0, 0).unwrap());
        assert_eq!(m.precision, 86_400);
        assert_eq!(date("Feb 30 2020").unwrap().mtime, None);
        assert_eq!(date("Feb 32 2020"), None);
        assert_eq!(date("Janitor 3 2020"), None);
        let d = date("2020-01-31 12:34:56.5 +0100").unwrap();
        assert_eq!(d.fields, 3);
        let m = d.mtime.unwrap();
        assert_eq!(m.secs, unix_seconds(2020, 1, 31, 11, 34, 56).unwrap());
        assert!(m.utc);
        assert_eq!(date("2020-01-31 x").unwrap().fields, 1);
        assert_eq!(date("09-26 13:45").unwrap().fields, 2);
        assert_eq!(date("12:34 Dec"), None);
    }
}
