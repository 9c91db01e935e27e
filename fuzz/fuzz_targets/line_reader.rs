//! `LineReader::read_line` over a chunked byte stream, compared line by line
//! with a reference splitter. Invariants: no line holds CR or LF, none is
//! longer than `max`, the lines are exactly the reference's, the end of the
//! stream is reported (again and again) once reached, and the reader makes
//! progress (the number of calls is bounded by the stream length).

#![no_main]

use ftp::line_reader::{LineEnd, LineError, LineReader};
use libfuzzer_sys::fuzz_target;

#[path = "../common/mod.rs"]
mod common;
use common::{reference_lines, Input, RefLine};

fuzz_target!(|data: &[u8]| {
    // Two extra header bytes: the line limit (0..=65535).
    let Some(input) = Input::parse(data, 2, 160 << 10) else {
        return;
    };
    let max = usize::from(u16::from_le_bytes([input.rest[0], input.rest[1]]));
    let expected = reference_lines(&input.stream, max);

    let mut reader = LineReader::with_capacity(input.capacity, input.reader());
    let mut line = Vec::new();
    for (n, want) in expected.iter().enumerate() {
        assert!(n <= input.stream.len() + 1, "no progress");
        let got = reader.read_line(max, &mut line);
        match (&got, want) {
            (Ok(Some(LineEnd::Terminated)), RefLine::Terminated(w))
            | (Ok(Some(LineEnd::Eof)), RefLine::Eof(w)) => {
                assert_eq!(&line, w, "line {n}");
            }
            (Ok(None), RefLine::End) | (Err(LineError::TooLong), RefLine::TooLong) => {}
            _ => panic!("call {n}: got {got:?} (line {line:?}), expected {want:?}"),
        }
        if let Ok(Some(_)) = got {
            assert!(line.len() <= max, "line longer than max");
            assert!(
                !line.iter().any(|&b| b == b'\r' || b == b'\n'),
                "CR/LF in a line"
            );
        }
        if input.flags & 2 != 0 {
            let b = reader.buffered();
            assert!(b <= input.capacity.max(16));
        }
    }
    if expected.last() == Some(&RefLine::End) {
        for _ in 0..3 {
            assert!(matches!(reader.read_line(max, &mut line), Ok(None)));
            assert!(line.is_empty());
        }
    }
    assert!(
        reader.get_ref().reads <= 2 * input.stream.len() + 8,
        "too many reads: {}",
        reader.get_ref().reads
    );
});
