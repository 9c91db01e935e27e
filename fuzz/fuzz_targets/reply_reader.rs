//! `read_reply` over a chunked byte stream (chunk sizes, buffer capacity and
//! encoding chosen by the input's first bytes; the body may be repeated to
//! reach the 8 KiB line and 1 MiB reply limits), reading replies until an
//! error or the end of the stream. Invariants: no panic; a bounded number of
//! calls and reads; every reply is at most MAX_REPLY bytes on the wire; its
//! code matches its first three characters; the raw lines seen by the
//! callback, joined with '\n', are the reply's bytes and decode to its text;
//! a multi-line reply ends exactly at the first line with the same code not
//! followed by '-' (and only a line starting with three digits and '-' opens
//! one); and the sequence of replies and the final error class are those of
//! a reference model.

#![no_main]

use ftp::line_reader::LineReader;
use ftp::reply_reader::{read_reply, MAX_LINE, MAX_REPLY};
use ftp::{Encoding, ErrorKind};
use libfuzzer_sys::fuzz_target;

#[path = "../common/mod.rs"]
mod common;
use common::{reference_lines, Input, RefLine};

/// What the reference model expects from the stream: replies (raw bytes,
/// lines joined with '\n') then the error class that ends reading.
fn reference(stream: &[u8]) -> (Vec<Vec<u8>>, ErrorKind) {
    let lines = reference_lines(stream, MAX_LINE);
    let mut it = lines.into_iter();
    let mut replies = Vec::new();
    let next = |it: &mut std::vec::IntoIter<RefLine>| match it.next() {
        Some(RefLine::Terminated(l)) => Ok(l),
        Some(RefLine::TooLong) => Err(ErrorKind::Proto),
        _ => Err(ErrorKind::Eof),
    };
    loop {
        let first = match next(&mut it) {
            Ok(l) => l,
            Err(k) => return (replies, k),
        };
        let mut all = first.clone();
        if first.get(3) == Some(&b'-') && first[..3].iter().all(u8::is_ascii_digit) {
            loop {
                let line = match next(&mut it) {
                    Ok(l) => l,
                    Err(k) => return (replies, k),
                };
                if all.len() + 1 + line.len() > MAX_REPLY {
                    return (replies, ErrorKind::Proto);
                }
                all.push(b'\n');
                all.extend_from_slice(&line);
                if line.len() >= 3 && line[..3] == first[..3] && line.get(3) != Some(&b'-') {
                    break;
                }
            }
        }
        replies.push(all);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::parse(data, 0, MAX_REPLY + (128 << 10)) else {
        return;
    };
    let encoding = if input.flags & 1 != 0 {
        Encoding::Latin1
    } else {
        Encoding::Utf8
    };
    let (want_replies, want_err) = reference(&input.stream);

    let mut reader = LineReader::with_capacity(input.capacity, input.reader());
    let mut n = 0usize;
    loop {
        assert!(n <= input.stream.len() + 1, "no progress");
        let mut lines: Vec<Vec<u8>> = Vec::new();
        let got = read_reply(&mut reader, encoding, |l| lines.push(l.to_vec()));
        let reply = match got {
            Ok(r) => r,
            Err(e) => {
                assert_eq!(n, want_replies.len(), "ended early with {e}");
                assert_eq!(e.kind(), want_err, "wrong error class: {e}");
                break;
            }
        };
        let want = want_replies
            .get(n)
            .unwrap_or_else(|| panic!("reply {n} is extra: {:?}", reply.text));
        assert!(want.len() <= MAX_REPLY);
        assert_eq!(reply.text, encoding.decode_lossy(want), "reply {n}");
        // Lossy decoding grows a byte to at most 3 (UTF-8) or 2 (latin-1).
        assert!(reply.text.len() <= 3 * MAX_REPLY);
        let raw = lines.join(&b'\n');
        assert_eq!(&raw, want, "callback lines of reply {n}");
        assert_eq!(reply.text, encoding.decode_lossy(&raw));
        let t = reply.text.as_bytes();
        let code = if t.len() >= 3 && t[..3].iter().all(u8::is_ascii_digit) {
            u16::from(t[0] - b'0') * 100 + u16::from(t[1] - b'0') * 10 + u16::from(t[2] - b'0')
        } else {
            0
        };
        assert_eq!(reply.code, code);
        // Only a line starting with a 3-digit code and '-' opens a
        // multi-line reply.
        let first = &lines[0];
        let digits3 = first.len() >= 3 && first[..3].iter().all(u8::is_ascii_digit);
        if digits3 && first.get(3) == Some(&b'-') {
            assert!(lines.len() >= 2);
            let ends = |l: &[u8]| l.len() >= 3 && l[..3] == first[..3] && l.get(3) != Some(&b'-');
            assert!(ends(lines.last().unwrap()), "multi-line reply ends early");
            assert!(
                !lines[1..lines.len() - 1].iter().any(|l| ends(l)),
                "ends late"
            );
        } else {
            assert_eq!(lines.len(), 1);
        }
        n += 1;
    }
    assert!(
        reader.get_ref().reads <= 2 * input.stream.len() + 8,
        "too many reads"
    );
});
