//! Shared by the stream targets: a reader that hands the fuzz input out in
//! chunks whose sizes come from the input itself, and a reference model of
//! line splitting to compare the library against.
//!
//! Input layout: `[flags, reps, stretch_at, stretch_by, cap, nsizes,
//! sizes..., extra..., body...]`.
//! * `flags` bit 0: latin-1 instead of UTF-8 (reply reader); bit 1: call
//!   `LineReader::buffered()` between lines; bits 2, 3 and 4 all set:
//!   amplify the body, so that over-long lines and replies are reachable
//!   from small inputs: the byte at `stretch_at` (modulo the body length) is
//!   repeated `64 * stretch_by` more times, and the result is sent
//!   `1 + reps % 4` times, or `1 + 4 * (reps - 0xC0)` times when
//!   `reps >= 0xC0` (up to the target's stream limit). Amplification makes
//!   long lines rather than many lines (a CR or LF is never stretched, and
//!   the body is not repeated past about `MAX_LINES` line ends), and big
//!   streams (which cost tens of milliseconds) only for a few values, so
//!   that most runs stay fast.
//! * `cap`: the `LineReader` buffer capacity (`16 << (cap % 11)` when the
//!   top bit is set, else `cap`, at least 16; at least 4 KiB when amplified).
//! * `nsizes`: how many chunk-size bytes follow (1..=8); the sizes are used
//!   in turn, round and round. Size 0 means "fail once with `Interrupted`"
//!   (the reader retries); sizes >= 0xF0 mean big chunks of 4 KiB multiples.
//!   When amplified, sizes are multiplied by 256 (small chunks over a
//!   megabyte make a slow run; they are tested on small streams).

#![allow(dead_code)]

/// About how many line ends an amplified stream may hold.
pub const MAX_LINES: usize = 4096;

use std::io::{self, Read};

pub struct Input<'a> {
    pub flags: u8,
    pub capacity: usize,
    pub stream: Vec<u8>,
    pub sizes: &'a [u8],
    /// What the chunk sizes are multiplied by.
    pub scale: usize,
    /// Bytes of the input after the header (before repetition).
    pub rest: &'a [u8],
}

impl<'a> Input<'a> {
    /// Splits the raw fuzz input; `extra` header bytes are returned in front
    /// of the body for the caller (`rest[..extra]`) and not streamed. A
    /// repeated body stops repeating before the stream exceeds `max_stream`.
    pub fn parse(data: &'a [u8], extra: usize, max_stream: usize) -> Option<Input<'a>> {
        let (head, data) = data.split_first_chunk::<6>()?;
        let [flags, reps, stretch_at, stretch_by, cap, nsizes] = *head;
        let n = usize::from(nsizes % 8) + 1;
        if data.len() < n + extra {
            return None;
        }
        let (sizes, rest) = data.split_at(n);
        let body = &rest[extra..];
        let mut capacity = if cap & 0x80 != 0 {
            16usize << (cap % 11)
        } else {
            usize::from(cap)
        };
        let amplified = flags & 0x1c == 0x1c && !body.is_empty();
        if amplified {
            capacity = capacity.max(4096);
        }
        let stream = if amplified {
            let at = usize::from(stretch_at) % body.len();
            let ends = |b: &u8| *b == b'\r' || *b == b'\n';
            // Line ends are never stretched, and repeated only up to about
            // MAX_LINES of them: many short lines are what costs time.
            let stretch = if ends(&body[at]) {
                0
            } else {
                64 * usize::from(stretch_by)
            };
            let mut unit = body[..=at].to_vec();
            unit.resize(unit.len() + stretch, body[at]);
            unit.extend_from_slice(&body[at + 1..]);
            let reps = match reps {
                0xC0.. => 1 + 4 * usize::from(reps - 0xC0),
                _ => 1 + usize::from(reps % 4),
            };
            let lines = body.iter().filter(|b| ends(b)).count().max(1);
            let reps = reps
                .min((max_stream / unit.len()).max(1))
                .min((MAX_LINES / lines).max(1));
            unit.repeat(reps)
        } else {
            body.to_vec()
        };
        Some(Input {
            flags,
            capacity,
            stream,
            sizes,
            scale: if amplified { 256 } else { 1 },
            rest,
        })
    }

    pub fn reader(&self) -> Chunked<'_> {
        Chunked {
            data: &self.stream,
            sizes: self.sizes,
            scale: self.scale,
            next: 0,
            interrupted: false,
            reads: 0,
        }
    }
}

/// Hands out `data` in chunks of the given sizes, round and round.
pub struct Chunked<'a> {
    data: &'a [u8],
    sizes: &'a [u8],
    scale: usize,
    next: usize,
    interrupted: bool,
    /// Calls to `read` so far (to bound the work done).
    pub reads: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reads += 1;
        if self.data.is_empty() {
            return Ok(0);
        }
        let s = self.sizes[self.next % self.sizes.len()];
        self.next += 1;
        if s == 0 && !self.interrupted {
            self.interrupted = true;
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        self.interrupted = false;
        let chunk = if s >= 0xF0 {
            usize::from(s - 0xEF) * 4096
        } else {
            usize::from(s).max(1) * self.scale
        };
        let n = chunk.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// What the reference model expects from one `read_line` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefLine {
    /// A line ended by CR, LF or CRLF.
    Terminated(Vec<u8>),
    /// The last line, ended by the end of the stream.
    Eof(Vec<u8>),
    /// The stream ended before a new line.
    End,
    /// The line is longer than `max`.
    TooLong,
}

/// Reference line splitter: CRLF, LF and lone CR end lines; a line longer
/// than `max` is an error. Returns every call's outcome up to and including
/// the first `End` or `TooLong`.
pub fn reference_lines(s: &[u8], max: usize) -> Vec<RefLine> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut skip_lf = false;
    loop {
        if std::mem::take(&mut skip_lf) && i < s.len() && s[i] == b'\n' {
            i += 1;
        }
        if i == s.len() {
            out.push(RefLine::End);
            return out;
        }
        match s[i..].iter().position(|&b| b == b'\r' || b == b'\n') {
            Some(j) => {
                if j > max {
                    out.push(RefLine::TooLong);
                    return out;
                }
                out.push(RefLine::Terminated(s[i..i + j].to_vec()));
                skip_lf = s[i + j] == b'\r';
                i += j + 1;
            }
            None => {
                if s.len() - i > max {
                    out.push(RefLine::TooLong);
                } else {
                    out.push(RefLine::Eof(s[i..].to_vec()));
                    out.push(RefLine::End);
                }
                return out;
            }
        }
    }
}
