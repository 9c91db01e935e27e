//! Property tests of the parsers: the reply reader (whatever the chunking),
//! the 227/229/257 reply parsers, MLSD lines, command encoding, latin-1,
//! and the listing parsers (`parse_list_line`, `parse_mlsd`).
//! Coverage-guided fuzzing of the same code lives in fuzz/ (scripts/fuzz.sh).

use ftp::command::encode_line;
use ftp::line_reader::LineReader;
use ftp::listing::{
    parse_list_line, parse_mlsd, parse_mlsd_line, Entry, EntryType, Format, Line, ListContext,
};
use ftp::parse::{parse227, parse229, parse257};
use ftp::reply_reader::read_reply;
use ftp::{Encoding, ErrorKind, Reply};
use proptest::prelude::*;
use std::io::{self, Read};
use std::net::Ipv4Addr;

/// Hands out its bytes in chunks of the given sizes, round and round.
struct Chunked {
    data: Vec<u8>,
    pos: usize,
    sizes: Vec<usize>,
    next: usize,
}

impl Chunked {
    fn new(data: Vec<u8>, sizes: Vec<usize>) -> Chunked {
        Chunked {
            data,
            pos: 0,
            sizes,
            next: 0,
        }
    }
}

impl Read for Chunked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = self.sizes[self.next % self.sizes.len()];
        self.next += 1;
        let n = size.min(buf.len()).min(self.data.len() - self.pos);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Every reply in the stream, then the class of the error that ended it.
fn read_all<R: Read>(reader: &mut LineReader<R>) -> (Vec<Reply>, ErrorKind) {
    let mut replies = Vec::new();
    loop {
        match read_reply(reader, Encoding::Utf8, |_| {}) {
            Ok(r) => replies.push(r),
            Err(e) => return (replies, e.kind()),
        }
    }
}

fn chunk_sizes() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..=40, 1..8)
}

fn terminator() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\r\n"), Just("\n"), Just("\r")]
}

/// Text of a reply line: anything but CR and LF.
fn line_text() -> impl Strategy<Value = String> {
    "[^\r\n]{0,30}"
}

/// Stream pieces that look like replies, and some that do not.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"220 ".to_vec()),
        Just(b"220-".to_vec()),
        Just(b"150-".to_vec()),
        Just(b"226 ".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b" ".to_vec()),
        Just(b"-".to_vec()),
        "[0-9a-z]{1,4}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 1..6),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn is_injection(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\0')
}

proptest! {
    /// A multi-line reply built from random lines (with mixed CRLF, LF and
    /// CR terminators) reads back as its lines joined with '\n', whatever the
    /// chunking and buffer size; then the stream is at its end.
    #[test]
    fn multi_line_reply_round_trips(
        code in 100u16..=599,
        first in line_text(),
        middle in prop::collection::vec((line_text(), terminator()), 0..8),
        last in line_text(),
        terms in (terminator(), terminator()),
        sizes in chunk_sizes(),
        capacity in 16usize..=128,
    ) {
        let code_s = code.to_string();
        // A middle line that starts with the code and no '-' would end the
        // reply early: give those a leading space (as servers do).
        let middle: Vec<(String, &str)> = middle
            .into_iter()
            .map(|(l, t)| {
                if l.starts_with(&code_s) && l.as_bytes().get(3) != Some(&b'-') {
                    (format!(" {l}"), t)
                } else {
                    (l, t)
                }
            })
            .collect();
        let mut lines = vec![(format!("{code}-{first}"), terms.0)];
        lines.extend(middle);
        lines.push((format!("{code} {last}"), terms.1));
        let mut wire = String::new();
        for (i, (line, term)) in lines.iter().enumerate() {
            // A CR before an empty line ended by LF would read as one CRLF.
            let next_empty_lf = lines
                .get(i + 1)
                .is_some_and(|(l, t)| l.is_empty() && t.starts_with('\n'));
            wire.push_str(line);
            wire.push_str(if *term == "\r" && next_empty_lf { "\r\n" } else { term });
        }
        let want: Vec<&str> = lines.iter().map(|(l, _)| l.as_str()).collect();
        let want = want.join("\n");

        let chunked = Chunked::new(wire.into_bytes(), sizes);
        let mut reader = LineReader::with_capacity(capacity, chunked);
        let mut seen = Vec::new();
        let reply = read_reply(&mut reader, Encoding::Utf8, |l| seen.push(l.to_vec()));
        let reply = reply.unwrap();
        prop_assert_eq!(&reply.text, &want);
        prop_assert_eq!(reply.code, code);
        prop_assert_eq!(seen.join(&b'\n'), want.as_bytes());
        let end = read_reply(&mut reader, Encoding::Utf8, |_| {}).unwrap_err();
        prop_assert_eq!(end.kind(), ErrorKind::Eof);
    }

    /// Any byte stream gives the same replies and the same final error
    /// whether it arrives at once or split at random points.
    #[test]
    fn split_stream_reads_as_unsplit(
        data in stream(),
        sizes in chunk_sizes(),
        capacity in 16usize..=64,
    ) {
        let mut whole = LineReader::with_capacity(1 << 16, io::Cursor::new(data.clone()));
        let mut split = LineReader::with_capacity(capacity, Chunked::new(data, sizes));
        prop_assert_eq!(read_all(&mut whole), read_all(&mut split));
    }

    /// 227 replies give back any address and port 1..=65535.
    #[test]
    fn parse227_round_trips(
        ip in any::<[u8; 4]>(),
        port in 1u16..=65535,
        style in 0usize..3,
    ) {
        let [a, b, c, d] = ip;
        let (p1, p2) = (port >> 8, port & 0xff);
        let text = match style {
            0 => format!("227 Entering Passive Mode ({a},{b},{c},{d},{p1},{p2})."),
            1 => format!("227 ={a},{b},{c},{d},{p1},{p2}"),
            _ => format!("227 Entering Passive Mode {a},{b},{c},{d},{p1},{p2}"),
        };
        let got = parse227(&Reply::new(text)).unwrap();
        prop_assert_eq!(got, (Ipv4Addr::from(ip), port));
    }

    /// A 227 reply with any of its six numbers above 255 is refused.
    #[test]
    fn parse227_refuses_numbers_above_255(
        mut nums in any::<[u8; 6]>().prop_map(|a| a.map(u32::from)),
        which in 0usize..6,
        big in 256u32..=100_000,
    ) {
        nums[which] = big;
        let text = format!(
            "227 Entering Passive Mode ({},{},{},{},{},{}).",
            nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]
        );
        let err = parse227(&Reply::new(text)).unwrap_err();
        prop_assert_eq!(err.kind(), ErrorKind::Proto);
    }

    /// 229 replies give back any port 1..=65535 with any delimiter that is
    /// not a digit, a control character or ')' (which would end the group).
    #[test]
    fn parse229_round_trips(
        delim in any::<char>().prop_filter("delimiter", |c| {
            !c.is_control() && !c.is_ascii_digit() && *c != ')'
        }),
        port in 1u16..=65535,
    ) {
        let d = delim;
        let text = format!("229 Entering Extended Passive Mode ({d}{d}{d}{port}{d})");
        prop_assert_eq!(parse229(&Reply::new(text)).unwrap(), port);
    }

    /// 229 ports out of 1..=65535 are refused.
    #[test]
    fn parse229_refuses_ports_out_of_range(
        port in prop_oneof![Just(0u32), 65536u32..=10_000_000],
    ) {
        let text = format!("229 Entering Extended Passive Mode (|||{port}|)");
        prop_assert_eq!(parse229(&Reply::new(text)).unwrap_err().kind(), ErrorKind::Proto);
    }

    /// 257 replies give back any name, quotes included (doubled on the wire),
    /// with or without the closing quote.
    #[test]
    fn parse257_round_trips(
        name in "[^\r\n]{0,30}",
        quotes in prop::collection::vec(0usize..31, 0..4),
        closed in any::<bool>(),
    ) {
        let mut name = name;
        for q in quotes {
            let at = name.char_indices().nth(q).map_or(name.len(), |(i, _)| i);
            name.insert(at, '"');
        }
        let quoted = name.replace('"', "\"\"");
        let text = if closed {
            format!("257 \"{quoted}\" is the current directory")
        } else {
            format!("257 \"{quoted}")
        };
        prop_assert_eq!(parse257(&Reply::new(text)).unwrap(), name);
    }

    /// MLSD lines give back their facts (names lowercased, values verbatim,
    /// '=' included) and their file name (spaces and ';' included).
    #[test]
    fn mlsd_line_round_trips(
        facts in prop::collection::vec(("[A-Za-z][A-Za-z0-9.]{0,8}", "[!-:<-~]{0,12}"), 0..6),
        name in "[^\r\n]{0,30}",
    ) {
        let mut line: String = facts.iter().map(|(k, v)| format!("{k}={v};")).collect();
        line.push(' ');
        line.push_str(&name);
        let e = parse_mlsd_line(line.as_bytes());
        prop_assert_eq!(e.name, name.as_bytes());
        prop_assert_eq!(e.facts.len(), facts.len());
        for (f, (k, v)) in e.facts.iter().zip(&facts) {
            prop_assert_eq!(&f.name, &k.to_lowercase());
            prop_assert_eq!(f.value, v.as_bytes());
        }
    }

    /// encode_line refuses any command with CR, LF or NUL (in either
    /// encoding, before looking at the encoding) and accepts every other
    /// one that the encoding can hold, appending exactly one CRLF.
    #[test]
    fn encode_line_refuses_exactly_cr_lf_nul(
        cmd in prop_oneof!["[a-zA-Z \r\n\0é€]{0,20}", any::<String>()],
    ) {
        let injects = cmd.chars().any(is_injection);
        for enc in [Encoding::Utf8, Encoding::Latin1] {
            let fits = enc == Encoding::Utf8 || cmd.chars().all(|c| u32::from(c) <= 0xff);
            match encode_line(&cmd, enc) {
                Ok(bytes) => {
                    prop_assert!(!injects && fits);
                    let body = &bytes[..bytes.len() - 2];
                    prop_assert_eq!(&bytes[bytes.len() - 2..], b"\r\n");
                    prop_assert!(!body.iter().any(|&b| matches!(b, b'\r' | b'\n' | 0)));
                    prop_assert_eq!(enc.decode_lossy(body), cmd.clone());
                }
                Err(e) if injects => prop_assert_eq!(e.kind(), ErrorKind::InvalidArgument),
                Err(e) => {
                    prop_assert!(!fits);
                    prop_assert_eq!(e.kind(), ErrorKind::Encoding);
                }
            }
        }
    }

    /// Latin-1 encodes every character up to U+00FF to its one byte and
    /// decodes every byte back; callbacks get the UTF-8 form.
    #[test]
    fn latin1_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let text: String = bytes.iter().map(|&b| char::from(b)).collect();
        let enc = Encoding::Latin1;
        prop_assert_eq!(enc.encode(&text).unwrap(), bytes.clone());
        prop_assert_eq!(enc.decode_lossy(&bytes), text.clone());
        prop_assert_eq!(&*enc.to_caller(&bytes), text.as_bytes());
    }
}

/// Pieces of listing lines of every format, valid and broken, so that
/// lines built from them reach deep into the parsers.
fn listing_piece() -> impl Strategy<Value = Vec<u8>> {
    const PIECES: &[&[u8]] = &[
        // Unix modes, counts, owners, sizes, devices
        b"-rw-r--r--",
        b"drwxr-xr-x",
        b"lrwxrwxrwx",
        b"crw-rw-rw-",
        b"-rwsr-xr-T+",
        b"?---------",
        b"Zrwxrwxrwx",
        b"total",
        b"TOTAL 0",
        b"0",
        b"1",
        b"12",
        b"4096",
        b"1,",
        b"10,235",
        b"18446744073709551615",
        b"99999999999999999999",
        b"ftp",
        b"root",
        b"folder",
        // dates of ls, long-iso, full-iso, iso
        b"Jan",
        b"dec",
        b"September",
        b"Sept",
        b"Feb",
        b"29",
        b"30",
        b"31",
        b"32",
        b"05",
        b"10:00",
        b"23:59",
        b"24:00",
        b"1:5",
        b"2020",
        b"0000",
        b"9999",
        b"2020-01-31",
        b"2020-02-30",
        b"12:34:56",
        b"12:34:56.123456789",
        b"+0100",
        b"-2359",
        b"09-26",
        // names, links, dots, odd bytes
        b"a b",
        b"caf\xc3\xa9",
        b"\xff\xfe",
        b"\xe3\x80\x80",
        b" -> ",
        b"->",
        b".",
        b"..",
        b"\r",
        b"\n",
        b"\0",
        b"\t",
        // DOS/IIS
        b"04-27-00",
        b"12/31/1999",
        b"2002-09-02",
        b"13-45-20",
        b"12:09PM",
        b"13:45",
        b"00:10AM",
        b"AM",
        b"pm",
        b"<DIR>",
        b"<dir>",
        b"1,234",
        b",1",
        b"          ",
        // VMS
        b"A.TXT;1",
        b"X.DIR;2",
        b";",
        b"B;x",
        b"12/24",
        b"1/",
        b"1-JAN-2020",
        b"31-FEB-2020",
        b"12:34:56.78",
        b"[G,O]",
        b"[O]",
        b"[",
        b"(RWED,RE,,)",
        b"(",
        // NetWare
        b"d",
        b"-",
        b"[RWCEAFMS]",
        b"[R----F--]",
        // EPLF
        b"+",
        b"+i1.2,m824255902,/,up755,\t",
        b"+r,s1,\t",
        b"m99999999999999999999,",
        b"up9,",
        // MLSD facts
        b"type=file;size=1;",
        b"Type=OS.unix=slink:/x;",
        b"type=OS.unix=symlink;",
        b"type=cdir;",
        b"modify=20200101000000.5;",
        b"sizd=4096;",
        b"UNIX.mode=0644;",
        b"unix.uid=0;",
        b"=",
        b";",
    ];
    prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(<[u8]>::to_vec),
        1 => prop::collection::vec(any::<u8>(), 0..6),
    ]
}

/// Joins pieces, each followed by zero to three spaces.
fn join_pieces(parts: Vec<(Vec<u8>, usize)>) -> Vec<u8> {
    let mut line = Vec::new();
    for (piece, spaces) in parts {
        line.extend_from_slice(&piece);
        line.extend(std::iter::repeat_n(b' ', spaces));
    }
    line
}

/// A line shaped by a template: each slot picks one of its choices (valid
/// and broken ones), or sometimes any piece at all.
fn template(slots: &'static [&'static [&'static [u8]]]) -> impl Strategy<Value = Vec<u8>> {
    let parts: Vec<_> = slots
        .iter()
        .map(|choices| {
            let pick = prop_oneof![
                8 => prop::sample::select(*choices).prop_map(<[u8]>::to_vec),
                1 => listing_piece(),
            ];
            (pick, prop_oneof![8 => Just(1usize), 1 => 0usize..4])
        })
        .collect();
    parts.prop_map(join_pieces)
}

const NAMES: &[&[u8]] = &[
    b"a",
    b"a b",
    b" lead",
    b"x -> y",
    b"caf\xc3\xa9",
    b"\xff",
    b".",
    b"..",
    b"",
    b"n\r",
    b"n\n",
];
const UNIX: &[&[&[u8]]] = &[
    &[
        b"-rw-r--r--",
        b"drwxr-xr-x",
        b"lrwxrwxrwx",
        b"crw-rw-rw-",
        b"-rwsr-xr-T+",
        b"p---------.",
    ],
    &[b"1", b"12", b"", b"ftp"],
    &[b"ftp", b"1000", b"", b"jan"],
    &[b"ftp", b"1000", b"", b"3,", b"10,235"],
    &[
        b"12",
        b"0",
        b"5368709120",
        b"18446744073709551616",
        b"7",
        b"x",
    ],
    &[
        b"Jan",
        b"dec",
        b"September",
        b"2020-01-31",
        b"09-26",
        b"Foo",
    ],
    &[b"1", b"05", b"29", b"31", b"32", b"12:34:56.5", b"13:45"],
    &[
        b"10:00", b"2020", b"23:59", b"24:00", b"209", b"+0100", b"0000",
    ],
    NAMES,
];
const DOS: &[&[&[u8]]] = &[
    &[
        b"04-27-00",
        b"12/31/1999",
        b"2002-09-02",
        b"02-31-20",
        b"13-01-20",
        b"1-1-1",
    ],
    &[
        b"12:09PM",
        b"13:45",
        b"00:10AM",
        b"11:59",
        b"09:15:30",
        b"1:5",
    ],
    &[b"PM", b"am", b"", b"<DIR>"],
    &[
        b"<DIR>",
        b"<dir>",
        b"589",
        b"1,234",
        b"99999999999999999999",
        b",1",
        b"",
    ],
    NAMES,
];
const VMS: &[&[&[u8]]] = &[
    &[b"A.TXT;1", b"X.DIR;2", b"B;x", b";1", b"C.DAT;1"],
    &[b"12/24", b"1", b"36028797018963968", b"1/", b"[G,O]", b""],
    &[
        b"1-JAN-2020",
        b"31-FEB-2020",
        b"1-FOO-2020",
        b"(RWED,RE,,)",
        b"",
    ],
    &[b"12:34:56.78", b"12:34", b"25:00", b"[O]", b""],
    &[b"[G,O]", b"(RWED,RWED,RE,)", b"[", b""],
];
const NETWARE: &[&[&[u8]]] = &[
    &[b"d", b"-", b"x"],
    &[b"[RWCEAFMS]", b"[R----F--]", b"["],
    &[b"supervisor", b"", b"1"],
    &[b"512", b"x", b""],
    &[b"Jan", b"Oct", b"2020-01-31"],
    &[b"16", b"32"],
    &[b"18:53", b"2020", b"x"],
    NAMES,
];

/// Lines shaped like each format (valid and subtly broken), and soups of
/// pieces joined by runs of spaces.
fn listing_line() -> impl Strategy<Value = Vec<u8>> {
    let soup = prop::collection::vec((listing_piece(), 0usize..4), 0..14).prop_map(join_pieces);
    prop_oneof![
        3 => template(UNIX),
        2 => template(DOS),
        1 => template(VMS),
        1 => template(NETWARE),
        2 => soup,
    ]
}

fn any_line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![listing_line(), prop::collection::vec(any::<u8>(), 0..120),]
}

fn listing_context() -> impl Strategy<Value = ListContext> {
    (
        prop_oneof![
            Just(1_796_515_200i64),
            any::<i64>(),
            Just(i64::MIN),
            Just(i64::MAX)
        ],
        prop_oneof![Just(Encoding::Utf8), Just(Encoding::Latin1)],
    )
        .prop_map(|(now, encoding)| ListContext { now, encoding })
}

/// What every parsed line must satisfy: `raw` is the input; an entry that is
/// not Unknown names something (non-empty, no LF) in a known format, with
/// a plausible mode and precision; an Unknown one carries nothing else.
fn check_line(line: &[u8], got: &Line) -> Result<(), TestCaseError> {
    let Line::Entry(e) = got else {
        return Ok(());
    };
    prop_assert_eq!(&e.raw, &line.to_vec());
    if e.kind == EntryType::Unknown {
        prop_assert_eq!(e, &Entry::unknown(line));
        return Ok(());
    }
    let name = e.name.as_deref().unwrap_or_default();
    prop_assert!(
        !name.is_empty() && !name.contains('\n'),
        "name {:?}",
        e.name
    );
    prop_assert!(e.format != Format::Unknown);
    if let Some(m) = e.mtime {
        prop_assert!(matches!(m.precision, 1 | 60 | 86_400));
    }
    if matches!(e.format, Format::Unix | Format::Eplf) {
        if let Some(mode) = &e.unix_mode {
            prop_assert_eq!(mode.chars().count(), 9);
        }
    }
    Ok(())
}

/// The same result, `raw` aside.
fn without_raw(line: Line) -> Line {
    match line {
        Line::Entry(e) => Line::Entry(Entry {
            raw: Vec::new(),
            ..e
        }),
        skip => skip,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Any line gives exactly one well-formed Line from parse_list_line,
    /// without panicking.
    #[test]
    fn list_lines_never_panic(line in any_line(), cx in listing_context()) {
        let got = parse_list_line(&line, &cx);
        check_line(&line, &got)?;
    }

    /// A lone trailing CR changes nothing but `raw`.
    #[test]
    fn list_lines_ignore_a_trailing_cr(line in listing_line(), cx in listing_context()) {
        prop_assume!(!line.ends_with(b"\r"));
        let mut with_cr = line.clone();
        with_cr.push(b'\r');
        prop_assert_eq!(
            without_raw(parse_list_line(&line, &cx)),
            without_raw(parse_list_line(&with_cr, &cx))
        );
    }

    /// The same for MLSD and MLST lines; an entry reports the format asked.
    #[test]
    fn mlsx_lines_never_panic(line in any_line(), cx in listing_context(), mlst in any::<bool>()) {
        let format = if mlst { Format::Mlst } else { Format::Mlsd };
        let got = parse_mlsd(&line, &cx, format);
        check_line(&line, &got)?;
        if let Line::Entry(e) = &got {
            prop_assert!(e.format == format || e.format == Format::Unknown);
        }
    }
}
