//! Parsed directory listings: a LIST mixing every kind of line a client
//! meets (formats, lines to skip, lines no parser knows, invalid UTF-8),
//! and a LIST whose client stops at the first entry.
//!
//! The lines are public so the Rust and C clients assert against the very
//! bytes sent (the C test spells each one as a string literal, which
//! `tests/faults.rs` checks).

use super::{usable_end, write_data, CLIENT_TIMEOUT, ENDLESS_CAP};
use crate::Conn;

/// `list-mixed`: skipped by the client (a Unix "total" line).
pub const LIST_TOTAL: &[u8] = b"total 3";
/// `list-mixed`: a Unix file, 1234 bytes, 2024-03-04 (a date only).
pub const LIST_UNIX_FILE: &[u8] =
    b"-rw-r--r--   1 ftp      ftp          1234 Mar 04  2024 file one.txt";
/// `list-mixed`: the entry "." (skipped).
pub const LIST_DOT: &[u8] = b"drwxr-xr-x   2 ftp      ftp          4096 Jan 02  2024 .";
/// `list-mixed`: the entry ".." (skipped).
pub const LIST_DOTDOT: &[u8] = b"drwxr-xr-x   3 ftp      ftp          4096 Jan 02  2024 ..";
/// `list-mixed`: a Unix symbolic link `l -> t`.
pub const LIST_UNIX_LINK: &[u8] = b"lrwxrwxrwx   1 ftp      ftp             1 Jun 30  2023 l -> t";
/// `list-mixed`: a DOS/IIS directory, 2024-03-04 22:15.
pub const LIST_DOS_DIR: &[u8] = b"03-04-24  10:15PM       <DIR>          dos dir";
/// `list-mixed`: an EPLF file, 280 bytes, 825718503 UTC.
pub const LIST_EPLF: &[u8] = b"+i8388621.48594,m825718503,r,s280,\teplf.txt";
/// `list-mixed`: a line no parser knows.
pub const LIST_UNKNOWN: &[u8] = b"this line is no listing format";
/// `list-mixed`: an empty line (no parser knows it either).
pub const LIST_EMPTY: &[u8] = b"";
/// `list-mixed`: a Unix file whose name has bytes that are not UTF-8.
pub const LIST_BAD_UTF8: &[u8] =
    b"-rw-r--r--   1 ftp      ftp             3 Mar 04  2024 \xff\xfe bad bytes";

/// The data of `list-mixed`'s LIST, in order (each line ends with CRLF).
pub const LIST_MIXED: [&[u8]; 10] = [
    LIST_TOTAL,
    LIST_UNIX_FILE,
    LIST_DOT,
    LIST_DOTDOT,
    LIST_UNIX_LINK,
    LIST_DOS_DIR,
    LIST_EPLF,
    LIST_UNKNOWN,
    LIST_EMPTY,
    LIST_BAD_UTF8,
];

/// The line `list-stop` sends over and over until the client cuts the
/// data connection.
pub const LIST_STOP_LINE: &[u8] = b"-rw-r--r--   1 ftp      ftp             1 Jan 01  2020 one";

/// TYPE A, EPSV, then exactly `LIST` (no path) answered 150.
fn list_prologue(c: &mut Conn) {
    c.exchange("TYPE A", "200 ascii");
    c.answer_epsv();
    let cmd = c.expect("LIST");
    assert_eq!(cmd, "LIST", "LIST must come without a path");
    c.reply("150 here comes the listing");
}

pub(super) fn list_mixed(c: &mut Conn) {
    c.greet_and_login();
    list_prologue(c);
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    for line in LIST_MIXED {
        write_data(&mut d, line);
        write_data(&mut d, b"\r\n");
    }
    drop(d);
    c.reply("226 listing sent");
    usable_end(c);
}

pub(super) fn list_stop(c: &mut Conn) {
    use std::io::Write;
    c.greet_and_login();
    list_prologue(c);
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    let mut unit = LIST_STOP_LINE.to_vec();
    unit.extend_from_slice(b"\r\n");
    let mut batch = Vec::with_capacity(16 * 1024 + unit.len());
    while batch.len() < 16 * 1024 {
        batch.extend_from_slice(&unit);
    }
    // The client stops at the first entry and ends the data connection:
    // the writes fail once it is gone.
    let mut sent = 0;
    while d.write_all(&batch).is_ok() {
        sent += batch.len();
        assert!(
            sent <= ENDLESS_CAP,
            "the client read {sent} bytes of the listing without stopping"
        );
    }
    drop(d);
    c.reply("426 connection closed; listing aborted");
    usable_end(c);
}
