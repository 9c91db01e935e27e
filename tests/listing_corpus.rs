//! The listing corpus (tests/listings/*.txt, format in
//! tests/listings/README.md): every case parsed and every expectation
//! asserted; prints the number of cases per file and format, and checks the
//! corpus holds at least 150 cases.

use ftp::listing::dates::unix_seconds;
use ftp::listing::{
    parse_list_line, parse_mlsd, Entry, EntryType, Format, Line, ListContext, Skip,
};
use ftp::Encoding;
use std::collections::BTreeMap;
use std::path::Path;

/// The fixed "now" of the corpus: 2026-12-06T00:00:00Z.
fn corpus_now() -> i64 {
    unix_seconds(2026, 12, 6, 0, 0, 0).unwrap()
}

/// Which parser a file's cases go through.
#[derive(Clone, Copy)]
enum Parser {
    List,
    Mlsd,
    Mlst,
}

/// `\xNN` (a byte) and `\\` in a raw line.
fn unescape_raw(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'\\') {
            out.push(b'\\');
            i += 2;
        } else if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'x') {
            let hex = std::str::from_utf8(&bytes[i + 2..i + 4]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Splits an expectation into words; `"..."` values may hold spaces and
/// the escapes `\"`, `\\`, `\xNN` (the character U+00NN) and `\u{HEX}`.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        if chars.peek().is_none() {
            return out;
        }
        let mut word = String::new();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match c {
                ' ' if !quoted => break,
                '"' => quoted = !quoted,
                '\\' if quoted => match chars.next().unwrap() {
                    'x' => {
                        let hex: String = chars.by_ref().take(2).collect();
                        word.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                    }
                    'u' => {
                        assert_eq!(chars.next(), Some('{'));
                        let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                        word.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                    }
                    other => word.push(other),
                },
                c => word.push(c),
            }
        }
        out.push(word);
    }
}

/// `YYYY-MM-DD[THH:MM[:SS]]`: seconds and the precision the form implies.
fn parse_when(text: &str) -> (i64, u32) {
    let (date, time) = text.split_once('T').unwrap_or((text, ""));
    let d: Vec<i64> = date.split('-').map(|p| p.parse().unwrap()).collect();
    let t: Vec<u32> = time
        .split(':')
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().unwrap())
        .collect();
    let precision = match t.len() {
        0 => 86_400,
        2 => 60,
        _ => 1,
    };
    let at = |i: usize| t.get(i).copied().unwrap_or(0);
    let secs = unix_seconds(d[0], d[1] as u32, d[2] as u32, at(0), at(1), at(2)).unwrap();
    (secs, precision)
}

fn format_named(name: &str) -> Format {
    match name {
        "mlsd" => Format::Mlsd,
        "mlst" => Format::Mlst,
        "unix" => Format::Unix,
        "dos" => Format::Dos,
        "eplf" => Format::Eplf,
        "vms" => Format::Vms,
        "netware" => Format::NetWare,
        "unknown" => Format::Unknown,
        other => panic!("unknown format {other:?}"),
    }
}

/// The differences between what `line` gave and the expectation.
fn check(got: &Line, raw: &[u8], expect: &str, default_format: Format) -> Vec<String> {
    let words = words(expect);
    let mut errors = Vec::new();
    let mut fail = |what: String| errors.push(what);
    match (words[0].as_str(), got) {
        ("skip", Line::Skip(skip)) => {
            let want = match words[1].as_str() {
                "total" => Skip::Total,
                "dot" => Skip::Dot,
                other => panic!("unknown skip {other:?}"),
            };
            if *skip != want {
                fail(format!("skip {skip:?}, expected {want:?}"));
            }
            return errors;
        }
        ("skip", Line::Entry(e)) => {
            fail(format!(
                "an entry ({:?} {:?}), expected a skip",
                e.kind, e.name
            ));
            return errors;
        }
        (_, Line::Skip(s)) => {
            fail(format!("skip {s:?}, expected an entry"));
            return errors;
        }
        _ => {}
    }
    let Line::Entry(e) = got else { unreachable!() };
    let kind = match words[0].as_str() {
        "file" => EntryType::File,
        "dir" => EntryType::Dir,
        "link" => EntryType::Link,
        "other" => EntryType::Other,
        "unknown" => EntryType::Unknown,
        other => panic!("unknown kind {other:?}"),
    };
    let mut want = Entry::unknown(raw);
    want.kind = kind;
    want.format = if kind == EntryType::Unknown {
        Format::Unknown
    } else {
        default_format
    };
    let (mut when, mut utc, mut precision) = (None, None, None);
    for word in &words[1..] {
        let (key, value) = word
            .split_once('=')
            .unwrap_or_else(|| panic!("bad word {word:?}"));
        let value = value.to_string();
        match key {
            "name" => want.name = Some(value),
            "size" => want.size = Some(value.parse().unwrap()),
            "mtime" => when = Some(parse_when(&value)),
            "utc" => utc = Some(value == "true"),
            "prec" => precision = Some(value.parse().unwrap()),
            "mode" => want.unix_mode = Some(value),
            "owner" => want.owner = Some(value),
            "group" => want.group = Some(value),
            "target" => want.link_target = Some(value),
            "format" => want.format = format_named(&value),
            other => panic!("unknown key {other:?}"),
        }
    }
    want.mtime = when.map(|(secs, implied)| ftp::listing::Mtime {
        secs,
        utc: utc.unwrap_or(matches!(
            want.format,
            Format::Mlsd | Format::Mlst | Format::Eplf
        )),
        precision: precision.unwrap_or(implied),
    });
    if *e != want {
        fail(format!("got      {e:?}\n    expected {want:?}"));
    }
    errors
}

#[test]
fn listing_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/listings");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut per_file = BTreeMap::new();
    let mut per_format: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let (mut parser, mut format, mut encoding) =
            (Parser::List, Format::Unknown, Encoding::Utf8);
        let mut pending: Option<(usize, Vec<u8>)> = None;
        let mut cases = 0;
        for (number, line) in text.lines().enumerate() {
            if let Some(directive) = line.strip_prefix("#! ") {
                let (key, value) = directive.split_once(": ").unwrap();
                match key {
                    "parser" => {
                        parser = match value {
                            "list" => Parser::List,
                            "mlsd" => Parser::Mlsd,
                            "mlst" => Parser::Mlst,
                            other => panic!("{file}: unknown parser {other:?}"),
                        }
                    }
                    "format" => format = format_named(value),
                    "encoding" => encoding = Encoding::from_name(value).unwrap(),
                    other => panic!("{file}: unknown directive {other:?}"),
                }
            } else if line.starts_with('#') || line.trim().is_empty() {
                continue;
            } else if let Some(expect) = line.strip_prefix("=> ") {
                let (at, raw) = pending
                    .take()
                    .unwrap_or_else(|| panic!("{file}:{}: no line", number + 1));
                let cx = ListContext {
                    now: corpus_now(),
                    encoding,
                };
                let got = match parser {
                    Parser::List => parse_list_line(&raw, &cx),
                    Parser::Mlsd => parse_mlsd(&raw, &cx, Format::Mlsd),
                    Parser::Mlst => parse_mlsd(&raw, &cx, Format::Mlst),
                };
                if let Line::Entry(e) = &got {
                    if e.raw != raw {
                        failures.push(format!("{file}:{at}: raw changed: {:?}", e.raw));
                    }
                }
                for error in check(&got, &raw, expect, format) {
                    failures.push(format!(
                        "{file}:{at}: {}\n    {error}",
                        String::from_utf8_lossy(&raw)
                    ));
                }
                let format_name = match &got {
                    Line::Entry(e) => e.format.name(),
                    Line::Skip(_) => "skip",
                };
                *per_format.entry(format_name).or_default() += 1;
                cases += 1;
            } else {
                assert!(
                    pending.is_none(),
                    "{file}:{}: two lines without an expectation",
                    number + 1
                );
                pending = Some((number + 1, unescape_raw(line)));
            }
        }
        assert!(
            pending.is_none(),
            "{file}: a line without an expectation at the end"
        );
        per_file.insert(file, cases);
    }
    let total: usize = per_file.values().sum();
    for (file, n) in &per_file {
        println!("{file:16} {n:4} cases");
    }
    for (format, n) in &per_format {
        println!("parsed as {format:10} {n:4}");
    }
    println!("total            {total:4} cases");
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        total >= 150,
        "the corpus holds {total} cases, fewer than 150"
    );
}
