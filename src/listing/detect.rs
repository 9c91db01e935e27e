//! One LIST line, whatever its format: each line is recognised on its own
//! (listings that mix formats, or a proxy that adds lines, still parse).
//!
//! The formats are tried in an order where none can take another's line;
//! they differ already in their first field:
//!
//! 1. EPLF: the line starts with `+`;
//! 2. Unix `ls -l` (and its `total N` line): a ten-character mode;
//! 3. NetWare: `d` or `-` alone, then `[rights]`;
//! 4. DOS/IIS: a numeric date;
//! 5. VMS: a name with `;version`;
//! 6. an MLSD line sent in answer to LIST (some servers do): a first field
//!    of `fact=value;` pairs with a `type` fact;
//!
//! and any other line is an [`EntryType::Unknown`](super::EntryType)
//! entry whose `raw` is the line. A lone trailing CR is ignored for parsing
//! (and kept in `raw`).

use super::dos::parse_dos;
use super::entry::{Entry, Format, Line, ListContext};
use super::eplf::parse_eplf;
use super::mlsd_entry::parse_mlsd;
use super::netware::parse_netware;
use super::tokens::strip_cr;
use super::unix::parse_unix;
use super::vms::parse_vms;

/// A format's parser: None when the line is not in its format.
type Parser = fn(&[u8], &ListContext) -> Option<Line>;

/// Parses one LIST line (without its CRLF). Never fails: a line no parser
/// understands gives an Unknown entry, so every line reaches the caller
/// exactly once.
pub fn parse_list_line(line: &[u8], cx: &ListContext) -> Line {
    let parsers: [Parser; 6] = [
        parse_eplf,
        parse_unix,
        parse_netware,
        parse_dos,
        parse_vms,
        parse_mlsd_shaped,
    ];
    parsers
        .iter()
        .find_map(|parse| parse(line, cx))
        .unwrap_or_else(|| Line::Entry(Entry::unknown(line)))
}

/// An MLSD line in a LIST answer: its facts field has a `type=` fact and
/// ends with `;`.
fn parse_mlsd_shaped(line: &[u8], cx: &ListContext) -> Option<Line> {
    let body = strip_cr(line);
    let facts = &body[..body.iter().position(|&b| b == b' ')?];
    let has_type = facts
        .split(|&b| b == b';')
        .any(|f| f.len() > 5 && f[..5].eq_ignore_ascii_case(b"type="));
    if !(has_type && facts.ends_with(b";")) {
        return None;
    }
    match parse_mlsd(line, cx, Format::Mlsd) {
        Line::Entry(e) if e.format == Format::Unknown => None,
        parsed => Some(parsed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::EntryType;
    use crate::Encoding;

    fn kind_and_format(line: &[u8]) -> Option<(EntryType, Format)> {
        let cx = ListContext {
            now: 0,
            encoding: Encoding::Utf8,
        };
        match parse_list_line(line, &cx) {
            Line::Entry(e) => Some((e.kind, e.format)),
            Line::Skip(_) => None,
        }
    }

    #[test]
    fn each_format_finds_its_lines() {
        use EntryType::*;
        let cases: [(&[u8], EntryType, Format); 7] = [
            (b"+r,s1,\tx", File, Format::Eplf),
            (b"drwxr-xr-x 2 a b 512 Jan 1 2020 x\r", Dir, Format::Unix),
            (b"- [RWCEAFMS] o 1 Jan 1 2020 x", File, Format::NetWare),
            (b"01-01-20  01:00PM  <DIR>  x", Dir, Format::Dos),
            (b"X.DIR;1 1 1-JAN-2020", Dir, Format::Vms),
            (b"type=file;size=1; x", File, Format::Mlsd),
            (b"hello world", Unknown, Format::Unknown),
        ];
        for (line, kind, format) in cases {
            assert_eq!(kind_and_format(line), Some((kind, format)), "{line:?}");
        }
        assert_eq!(kind_and_format(b"total 0"), None);
    }
}
