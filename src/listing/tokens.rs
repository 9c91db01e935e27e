//! Byte-level helpers the listing parsers share: the lone trailing CR,
//! space-separated fields with their positions, strict numbers, and the
//! checks every parsed name passes.
//!
//! Parsers work on the raw bytes and decode only the slices they keep (names,
//! owners, targets), so no decoded string is ever sliced.

use super::entry::{Entry, Line, ListContext, Skip};

/// The line without one trailing CR: lines arrive without CRLF, but a server
/// that ends lines with CR CR LF (or a reader that split at LF only) leaves
/// one behind. `raw` keeps it.
pub(crate) fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The byte range of one space-separated field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// Index of the field's first byte.
    pub start: usize,
    /// Index one past its last byte.
    pub end: usize,
}

/// The first `max` fields of `line` separated by runs of spaces (only
/// U+0020: a tab belongs to a field).
pub(crate) fn fields(line: &[u8], max: usize) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while spans.len() < max {
        while i < line.len() && line[i] == b' ' {
            i += 1;
        }
        if i == line.len() {
            break;
        }
        let start = i;
        while i < line.len() && line[i] != b' ' {
            i += 1;
        }
        spans.push(Span { start, end: i });
    }
    spans
}

/// The bytes of a field.
pub(crate) fn text(line: &[u8], span: Span) -> &[u8] {
    &line[span.start..span.end]
}

/// A non-empty run of ASCII digits as a u64; None otherwise or when it
/// does not fit.
pub(crate) fn number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &d| {
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

/// Whether the bytes are a non-empty run of ASCII digits (of any length).
pub(crate) fn all_digits(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit)
}

/// A run of one to `max_len` digits as a u32 (`max_len` at most 9).
pub(crate) fn small(digits: &[u8], max_len: usize) -> Option<u32> {
    if digits.len() > max_len.min(9) {
        return None;
    }
    number(digits).and_then(|n| u32::try_from(n).ok())
}

/// Whether `name` can be an entry's name: not empty, no LF, no NUL.
pub(crate) fn usable_name(name: &[u8]) -> bool {
    !name.is_empty() && !name.contains(&b'\n') && !name.contains(&0)
}

/// The line an entry gives: [`Skip::Dot`] for the names `.` and `..`.
pub(crate) fn entry_line(entry: Entry) -> Line {
    match entry.name.as_deref() {
        Some(".") | Some("..") => Line::Skip(Skip::Dot),
        _ => Line::Entry(entry),
    }
}

/// Decodes a kept slice with the session encoding.
pub(crate) fn decode(cx: &ListContext, bytes: &[u8]) -> String {
    cx.encoding.decode_lossy(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_numbers() {
        let line = b"  ab c   d ";
        let f = fields(line, 10);
        assert_eq!(f.len(), 3);
        assert_eq!(text(line, f[0]), b"ab");
        assert_eq!(f[2], Span { start: 9, end: 10 });
        assert_eq!(fields(line, 2).len(), 2);
        assert_eq!(number(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(number(b"18446744073709551616"), None);
        assert_eq!(number(b""), None);
        assert_eq!(number(b"1a"), None);
        assert_eq!(small(b"12", 2), Some(12));
        assert_eq!(small(b"123", 2), None);
        assert_eq!(strip_cr(b"a\r"), b"a");
        assert_eq!(strip_cr(b"a\r\r"), b"a\r");
        assert!(!usable_name(b"a\nb"));
        assert!(usable_name(b" "));
    }
}
