//! Splitting a byte stream into lines, bounded in length.
//!
//! CRLF, LF and a lone CR all end a line, as in ftplib. A CR is reported as a
//! line end at once (the reader never waits for the next byte to decide): if
//! the next byte turns out to be LF, it is skipped.

use std::io::{self, Read};

/// Why a line could not be read.
#[derive(Debug)]
pub enum LineError {
    /// The line is longer than the limit given to [`LineReader::read_line`].
    TooLong,
    /// The underlying stream failed.
    Io(io::Error),
}

/// A buffered line reader over any byte stream.
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    skip_lf: bool,
}

/// How a line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnd {
    /// By CR, LF or CRLF.
    Terminated,
    /// By the end of the stream (the final line had no terminator).
    Eof,
}

impl<R: Read> LineReader<R> {
    /// A reader with a buffer of `capacity` bytes.
    pub fn with_capacity(capacity: usize, inner: R) -> LineReader<R> {
        LineReader {
            inner,
            buf: vec![0; capacity.max(16)].into_boxed_slice(),
            start: 0,
            end: 0,
            skip_lf: false,
        }
    }

    /// The stream underneath.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The stream underneath, mutably (writing to it does not disturb reading).
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// Bytes read from the stream but not yet returned as lines (the LF
    /// of a CRLF whose CR ended the last line does not count).
    pub fn buffered(&mut self) -> usize {
        if self.skip_lf && self.start < self.end && self.buf[self.start] == b'\n' {
            self.start += 1;
            self.skip_lf = false;
        }
        self.end - self.start
    }

    /// Waits until at least one byte of a new line is buffered, without
    /// consuming anything: a failed wait loses nothing. Returns the number
    /// of bytes buffered, 0 at the end of the stream.
    pub fn wait_for_data(&mut self) -> io::Result<usize> {
        loop {
            let n = self.buffered();
            if n > 0 {
                return Ok(n);
            }
            match self.fill() {
                Ok(0) => return Ok(0),
                Ok(_) => {}
                Err(LineError::Io(e)) => return Err(e),
                Err(LineError::TooLong) => return Err(io::Error::other("line too long")),
            }
        }
    }

    /// Gives back the stream; buffered bytes are lost.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// Reads the next line into `out` (terminator removed). `Ok(None)` means
    /// the stream ended before any byte of a new line. A line whose content
    /// exceeds `max` bytes fails with [`LineError::TooLong`].
    pub fn read_line(
        &mut self,
        max: usize,
        out: &mut Vec<u8>,
    ) -> Result<Option<LineEnd>, LineError> {
        out.clear();
        loop {
            if self.start == self.end && self.fill()? == 0 {
                return Ok(if out.is_empty() {
                    None
                } else {
                    Some(LineEnd::Eof)
                });
            }
            if self.skip_lf {
                self.skip_lf = false;
                if self.buf[self.start] == b'\n' {
                    self.start += 1;
                    continue;
                }
            }
            let avail = &self.buf[self.start..self.end];
            match avail.iter().position(|&b| b == b'\r' || b == b'\n') {
                Some(i) => {
                    if out.len() + i > max {
                        return Err(LineError::TooLong);
                    }
                    out.extend_from_slice(&avail[..i]);
                    self.skip_lf = avail[i] == b'\r';
                    self.start += i + 1;
                    return Ok(Some(LineEnd::Terminated));
                }
                None => {
                    if out.len() + avail.len() > max {
                        return Err(LineError::TooLong);
                    }
                    out.extend_from_slice(avail);
                    self.start = self.end;
                }
            }
        }
    }

    fn fill(&mut self) -> Result<usize, LineError> {
        self.start = 0;
        self.end = 0;
        loop {
            match self.inner.read(&mut self.buf) {
                Ok(n) => {
                    self.end = n;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(LineError::Io(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out its bytes in chunks of a fixed size.
    struct Chunked<'a> {
        data: &'a [u8],
        chunk: usize,
    }

    impl Read for Chunked<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.chunk.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn lines(data: &[u8], chunk: usize) -> Vec<(Vec<u8>, LineEnd)> {
        let mut r = LineReader::with_capacity(16, Chunked { data, chunk });
        let mut out = Vec::new();
        let mut v = Vec::new();
        while let Some(end) = r.read_line(100, &mut out).unwrap() {
            v.push((out.clone(), end));
        }
        v
    }

    #[test]
    fn all_terminators_split_lines_at_any_chunking() {
        for chunk in 1..8 {
            let v = lines(b"a\r\nb\nc\rd\r\r\ne", chunk);
            let texts: Vec<&[u8]> = v.iter().map(|(l, _)| l.as_slice()).collect();
            assert_eq!(
                texts,
                vec![&b"a"[..], b"b", b"c", b"d", b"", b"e"],
                "chunk {chunk}"
            );
            assert_eq!(v.last().unwrap().1, LineEnd::Eof);
            assert_eq!(v[0].1, LineEnd::Terminated);
        }
    }

    #[test]
    fn empty_lines_are_kept() {
        let v = lines(b"\n\nx\n", 3);
        assert_eq!(v.len(), 3);
        assert!(v[0].0.is_empty() && v[1].0.is_empty());
    }

    #[test]
    fn too_long_line_is_refused() {
        let data = vec![b'x'; 300];
        let mut r = LineReader::with_capacity(
            64,
            Chunked {
                data: &data,
                chunk: 64,
            },
        );
        let mut out = Vec::new();
        assert!(matches!(
            r.read_line(100, &mut out),
            Err(LineError::TooLong)
        ));
    }

    #[test]
    fn exact_limit_is_accepted() {
        let mut data = vec![b'x'; 100];
        data.extend_from_slice(b"\r\n");
        let mut r = LineReader::with_capacity(
            32,
            Chunked {
                data: &data,
                chunk: 7,
            },
        );
        let mut out = Vec::new();
        assert_eq!(
            r.read_line(100, &mut out).unwrap(),
            Some(LineEnd::Terminated)
        );
        assert_eq!(out.len(), 100);
        assert_eq!(r.read_line(100, &mut out).unwrap(), None);
    }

    #[test]
    fn crlf_tail_is_not_counted_as_buffered() {
        let mut r = LineReader::with_capacity(
            16,
            Chunked {
                data: b"234 go\r\n",
                chunk: 64,
            },
        );
        let mut out = Vec::new();
        r.read_line(100, &mut out).unwrap();
        assert_eq!(r.buffered(), 0);
    }

    #[test]
    fn lone_cr_returns_without_waiting_for_more_bytes() {
        /// Fails if asked for more after the first chunk.
        struct OneShot(bool);
        impl Read for OneShot {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                assert!(!self.0, "reader asked for more bytes than needed");
                self.0 = true;
                buf[..4].copy_from_slice(b"220\r");
                Ok(4)
            }
        }
        let mut r = LineReader::with_capacity(16, OneShot(false));
        let mut out = Vec::new();
        assert_eq!(
            r.read_line(100, &mut out).unwrap(),
            Some(LineEnd::Terminated)
        );
        assert_eq!(out, b"220");
    }
}
