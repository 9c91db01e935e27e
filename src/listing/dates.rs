//! Calendar arithmetic for listings: civil dates to Unix seconds, the
//! `YYYYMMDDHHMMSS[.sss]` times of MDTM and MLSD, English month names, and
//! the year of a Unix listing date that has none.

/// Days from 1970-01-01 to the given proleptic Gregorian date (negative
/// before). `month` is 1..=12, `day` 1..=31 (not checked against the month:
/// callers use [`valid_date`]).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Howard Hinnant's algorithm, years starting in March.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day count from 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Whether year-month-day exists (leap years included).
pub fn valid_date(year: i64, month: u32, day: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let len = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    day >= 1 && day <= len
}

/// Unix seconds of a civil date and time read as UTC, or None when the date
/// or time does not exist (60 seconds is accepted: a leap second reads as
/// the next minute's first) or the seconds do not fit in an i64.
pub fn unix_seconds(year: i64, month: u32, day: u32, h: u32, m: u32, s: u32) -> Option<i64> {
    if !valid_date(year, month, day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    days_from_civil(year, month, day)
        .checked_mul(86_400)?
        .checked_add(i64::from(h * 3600 + m * 60 + s))
}

/// The month (1..=12) of an English month name's first three letters, in
/// any case ("Jan", "jan", "JANUARY"): listings do not follow the
/// server's locale here, and other languages are not guessed.
pub fn month_from_name(name: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    if name.len() < 3 {
        return None;
    }
    let lower = [
        name[0].to_ascii_lowercase(),
        name[1].to_ascii_lowercase(),
        name[2].to_ascii_lowercase(),
    ];
    MONTHS
        .iter()
        .position(|m| **m == lower)
        .map(|i| i as u32 + 1)
}

/// Unix seconds of an RFC 3659 time-val, `YYYYMMDDHHMMSS` with optional
/// `.fraction` (MDTM replies, MLSD `modify`), which is UTC; fractions are
/// dropped (the time is floored to the second). None unless the text is
/// exactly that shape and names a real time.
pub fn parse_time_val(text: &[u8]) -> Option<i64> {
    let (digits, frac) = match text.iter().position(|&b| b == b'.') {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    if digits.len() != 14 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if let Some(f) = frac {
        if f.is_empty() || !f.iter().all(u8::is_ascii_digit) {
            return None;
        }
    }
    let num = |r: std::ops::Range<usize>| {
        digits[r]
            .iter()
            .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'))
    };
    unix_seconds(
        i64::from(num(0..4)),
        num(4..6),
        num(6..8),
        num(8..10),
        num(10..12),
        num(12..14),
    )
}

/// The RFC 3659 time-val (`YYYYMMDDHHMMSS`, UTC) of Unix seconds, as MFMT
/// and `SITE UTIME` take it. None for years outside 0..=9999.
pub fn format_time_val(secs: i64) -> Option<String> {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return None;
    }
    Some(format!(
        "{y:04}{mo:02}{d:02}{:02}{:02}{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    ))
}

/// The year of a Unix listing date that gives month, day and time but no
/// year (`ls -l` does so for files modified in the last six months): the
/// most recent year that puts the date no more than one day after `now`
/// (the server's clock when known, else ours; the day of slack absorbs
/// clock and zone differences). Feb 29 takes the most recent leap year
/// that qualifies. None when month/day/time cannot exist.
pub fn infer_year(month: u32, day: u32, h: u32, m: u32, now: i64) -> Option<i64> {
    let (this_year, _, _) = civil_from_days(now.div_euclid(86_400));
    // Eight years back always include a leap year (Feb 29).
    for year in (this_year - 8..=this_year + 1).rev() {
        if let Some(t) = unix_seconds(year, month, day, h, m, 0) {
            if t <= now.saturating_add(86_400) {
                return Some(year);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for d in (-800_000..800_000).step_by(997) {
            let (y, m, dd) = civil_from_days(d);
            assert!(valid_date(y, m, dd));
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn time_vals() {
        assert_eq!(parse_time_val(b"19700101000000"), Some(0));
        assert_eq!(parse_time_val(b"20201231235959"), Some(1_609_459_199));
        assert_eq!(parse_time_val(b"20201231235959.999"), Some(1_609_459_199));
        assert_eq!(parse_time_val(b"20240229120000"), Some(1_709_208_000));
        assert_eq!(parse_time_val(b"20230229120000"), None);
        assert_eq!(parse_time_val(b"2020123123595"), None);
        assert_eq!(parse_time_val(b"20201231235959."), None);
        assert_eq!(parse_time_val(b"2020123123595x"), None);
        assert_eq!(parse_time_val(b"20201331000000"), None);
        assert_eq!(format_time_val(1_609_459_199).unwrap(), "20201231235959");
        assert_eq!(format_time_val(-1).unwrap(), "19691231235959");
        assert_eq!(format_time_val(i64::MIN), None);
    }

    #[test]
    fn months() {
        assert_eq!(month_from_name(b"Jan"), Some(1));
        assert_eq!(month_from_name(b"DEC"), Some(12));
        assert_eq!(month_from_name(b"sept"), Some(9));
        assert_eq!(month_from_name(b"Ja"), None);
        assert_eq!(month_from_name(b"Mai"), None);
    }

    #[test]
    fn years_without_a_year() {
        let now = unix_seconds(2026, 12, 6, 4, 0, 0).unwrap();
        assert_eq!(infer_year(12, 6, 10, 0, now), Some(2026)); // later today
        assert_eq!(infer_year(12, 7, 3, 0, now), Some(2026)); // within a day
        assert_eq!(infer_year(12, 7, 5, 0, now), Some(2025)); // over a day ahead
        assert_eq!(infer_year(1, 15, 0, 0, now), Some(2026));
        assert_eq!(infer_year(2, 29, 0, 0, now), Some(2024));
        assert_eq!(infer_year(2, 30, 0, 0, now), None);
        let new_year = unix_seconds(2027, 1, 1, 0, 30, 0).unwrap();
        assert_eq!(infer_year(12, 31, 23, 59, new_year), Some(2026));
        assert_eq!(infer_year(1, 1, 23, 0, new_year), Some(2027));
    }
}
