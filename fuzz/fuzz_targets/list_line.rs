//! `parse_list_line` and `parse_mlsd` on arbitrary bytes. The first byte
//! chooses the parser (LIST, MLSD or MLST), the encoding and the `now` of
//! the context (the corpus clock, 0, i64::MIN or i64::MAX); the rest is the
//! line. Invariants: no panic (overflow included, as the fuzz build checks
//! it); an entry's `raw` is the line; an entry that is not Unknown has a
//! non-empty name without LF and a known format (the one asked, for
//! MLSx), a precision of 1, 60 or 86400, and a nine-character mode when a
//! Unix or EPLF line gives one; an Unknown entry carries nothing but `raw`;
//! a lone trailing CR changes nothing but `raw`.

#![no_main]

use ftp::listing::{parse_list_line, parse_mlsd, Entry, EntryType, Format, Line, ListContext};
use ftp::Encoding;
use libfuzzer_sys::fuzz_target;

fn parse(line: &[u8], cx: &ListContext, parser: u8) -> Line {
    match parser {
        0 | 1 => parse_list_line(line, cx),
        2 => parse_mlsd(line, cx, Format::Mlsd),
        _ => parse_mlsd(line, cx, Format::Mlst),
    }
}

fn check(line: &[u8], got: &Line, parser: u8) {
    let Line::Entry(e) = got else {
        return;
    };
    assert_eq!(e.raw, line, "raw changed");
    if e.kind == EntryType::Unknown {
        assert_eq!(*e, Entry::unknown(line));
        return;
    }
    let name = e.name.as_deref().expect("an entry without a name");
    assert!(
        !name.is_empty() && !name.contains('\n'),
        "bad name {name:?}"
    );
    match parser {
        0 | 1 => assert!(!matches!(e.format, Format::Unknown | Format::Mlst)),
        2 => assert_eq!(e.format, Format::Mlsd),
        _ => assert_eq!(e.format, Format::Mlst),
    }
    if let Some(m) = e.mtime {
        assert!(matches!(m.precision, 1 | 60 | 86_400));
    }
    if matches!(e.format, Format::Unix | Format::Eplf) {
        if let Some(mode) = &e.unix_mode {
            assert_eq!(mode.chars().count(), 9, "mode {mode:?}");
        }
    }
}

/// The result without `raw`.
fn without_raw(line: Line) -> Line {
    match line {
        Line::Entry(e) => Line::Entry(Entry {
            raw: Vec::new(),
            ..e
        }),
        skip => skip,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&header, line)) = data.split_first() else {
        return;
    };
    let parser = header & 3;
    let encoding = if header & 4 != 0 {
        Encoding::Latin1
    } else {
        Encoding::Utf8
    };
    let now = match (header >> 3) & 3 {
        0 => 1_796_515_200, // 2026-12-06T00:00:00Z, the corpus clock
        1 => 0,
        2 => i64::MIN,
        _ => i64::MAX,
    };
    let cx = ListContext { now, encoding };
    let got = parse(line, &cx, parser);
    check(line, &got, parser);
    if !line.ends_with(b"\r") {
        let mut with_cr = line.to_vec();
        with_cr.push(b'\r');
        let again = parse(&with_cr, &cx, parser);
        check(&with_cr, &again, parser);
        assert_eq!(
            without_raw(got),
            without_raw(again),
            "a trailing CR changed the entry"
        );
    }
});
