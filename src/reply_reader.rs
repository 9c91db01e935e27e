//! Reading one complete reply from the control connection, bounded.
//!
//! A reply line may not exceed [`MAX_LINE`] bytes and a whole reply (all the
//! lines of a multi-line reply) may not exceed [`MAX_REPLY`] bytes: past
//! either, the reply is a protocol error and nothing more is buffered.

use crate::encoding::Encoding;
use crate::error::{Error, Result};
use crate::line_reader::{LineEnd, LineError, LineReader};
use crate::reply::Reply;
use std::io::Read;

/// The longest line accepted from the server (ftplib's MAXLINE).
pub const MAX_LINE: usize = 8192;
/// The largest reply accepted: 1 MiB.
pub const MAX_REPLY: usize = 1 << 20;

/// Reads a reply: one line, or for `ddd-` a multi-line reply up to the line
/// that starts with the same three characters followed by anything but `-`.
/// `on_line` sees each raw line as it arrives.
pub fn read_reply<R: Read>(
    reader: &mut LineReader<R>,
    encoding: Encoding,
    mut on_line: impl FnMut(&[u8]),
) -> Result<Reply> {
    let mut line = Vec::with_capacity(128);
    read_one(reader, &mut line)?;
    on_line(&line);
    let mut all = line.clone();
    // Only a line that starts with a 3-digit code can open a multi-line
    // reply; anything else (an SSH banner, say) is one line of garbage.
    if line.get(3) == Some(&b'-') && line[..3].iter().all(u8::is_ascii_digit) {
        let code: Vec<u8> = line[..3].to_vec();
        loop {
            read_one(reader, &mut line)?;
            on_line(&line);
            if all.len() + 1 + line.len() > MAX_REPLY {
                return Err(Error::Proto(format!(
                    "the server's reply is longer than {MAX_REPLY} bytes"
                )));
            }
            all.push(b'\n');
            all.extend_from_slice(&line);
            if line.len() >= 3 && line[..3] == code[..] && line.get(3) != Some(&b'-') {
                break;
            }
        }
    }
    Ok(Reply::new(encoding.decode_lossy(&all)))
}

fn read_one<R: Read>(reader: &mut LineReader<R>, line: &mut Vec<u8>) -> Result<()> {
    match reader.read_line(MAX_LINE, line) {
        Ok(Some(LineEnd::Terminated)) => Ok(()),
        Ok(Some(LineEnd::Eof)) => Err(Error::Eof("in the middle of a reply line".into())),
        Ok(None) => Err(Error::Eof("while a reply was expected".into())),
        Err(LineError::TooLong) => Err(Error::Proto(format!(
            "got more than {MAX_LINE} bytes in one reply line"
        ))),
        Err(LineError::Io(e)) => Err(Error::from_io("while waiting for a reply", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn read(data: &[u8]) -> Result<Reply> {
        let mut r = LineReader::with_capacity(64, Cursor::new(data.to_vec()));
        read_reply(&mut r, Encoding::Utf8, |_| {})
    }

    #[test]
    fn single_and_multi_line() {
        assert_eq!(read(b"220 hi\r\n").unwrap().text, "220 hi");
        let r = read(b"211-Features:\r\n MDTM\r\n211-x\r\n211\r\n").unwrap();
        assert_eq!(r.text, "211-Features:\n MDTM\n211-x\n211");
        assert_eq!(r.code, 211);
        let r = read(b"230-a\n230 b\n").unwrap();
        assert_eq!(r.text, "230-a\n230 b");
        let r = read(b"220-a\r220 b\r").unwrap();
        assert_eq!(r.text, "220-a\n220 b");
    }

    #[test]
    fn multi_line_ends_only_on_same_code() {
        let r = read(b"150-x\r\n226 other\r\n150 end\r\n").unwrap();
        assert_eq!(r.text, "150-x\n226 other\n150 end");
    }

    #[test]
    fn non_digit_dash_line_is_a_single_line() {
        let r = read(b"SSH-2.0-OpenSSH_9.2p1\r\n").unwrap();
        assert_eq!((r.code, r.text.as_str()), (0, "SSH-2.0-OpenSSH_9.2p1"));
    }

    #[test]
    fn cut_replies_are_eof() {
        assert!(matches!(read(b""), Err(Error::Eof(_))));
        assert!(matches!(read(b"220 hal"), Err(Error::Eof(_))));
        assert!(matches!(read(b"220-a\r\n220-b\r\n"), Err(Error::Eof(_))));
    }

    #[test]
    fn long_line_and_endless_reply_are_protocol_errors() {
        let mut long = b"220 ".to_vec();
        long.extend(std::iter::repeat_n(b'x', MAX_LINE + 1));
        long.extend_from_slice(b"\r\n");
        assert!(matches!(read(&long), Err(Error::Proto(_))));

        let mut endless = b"220-start\r\n".to_vec();
        for _ in 0..20_000 {
            endless.extend_from_slice(b"220-more more more more more more more more more more\r\n");
        }
        assert!(matches!(read(&endless), Err(Error::Proto(_))));
    }

    #[test]
    fn invalid_utf8_is_lossy() {
        let r = read(b"550 caf\xe9\r\n").unwrap();
        assert_eq!(r.text, "550 caf\u{fffd}");
    }
}
