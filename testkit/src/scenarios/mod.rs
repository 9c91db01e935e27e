//! Named fault scenarios: the server's side of conversations that go wrong,
//! shared by the Rust fault tests (in process, `tests/faults.rs`) and the C
//! fault tests (through the `ftp-scripted-server` binary,
//! `tests/c/test_faults.c`), so both languages face exactly the same bytes.
//!
//! Each scenario is a script for one control connection. It checks what the
//! client sends (panicking on anything unexpected, which fails the Rust
//! test or makes the binary exit non-zero) and ends by checking that the
//! client closed the connection: a session left for dead must not send
//! anything more, and a usable one is ended with NOOP (200) then QUIT (221).
//!
//! [`SCENARIOS`] lists them with the outcome the client must see; the
//! client side of each (the calls and their exact results) lives in the
//! tests, under the same name.

mod cancel;
mod control;
mod injection;
mod listings;
mod transfers;

use crate::Conn;
pub use cancel::{CANCEL_AFTER, CANCEL_SENT, LATE, STORM_LATE};
pub use listings::{
    LIST_BAD_UTF8, LIST_DOS_DIR, LIST_DOT, LIST_DOTDOT, LIST_EMPTY, LIST_EPLF, LIST_MIXED,
    LIST_STOP_LINE, LIST_TOTAL, LIST_UNIX_FILE, LIST_UNIX_LINK, LIST_UNKNOWN,
};
use std::time::Duration;

/// A server script, ready for [`crate::ScriptedServer::start`].
pub type Script = Box<dyn FnOnce(&mut Conn) + Send>;

/// One named scenario.
pub struct Scenario {
    /// The name used by the tests and the binary (`ftp-scripted-server NAME`).
    pub name: &'static str,
    /// What the server does and what the client must see.
    pub summary: &'static str,
    script: fn(&mut Conn),
}

/// The session timeout the clients of these scenarios set (2 s): every
/// `TIMEOUT` outcome comes after it, every other outcome well before it.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(2);

/// data-trickle sends this many pieces, one every CLIENT_TIMEOUT / 10: the
/// pauses add up to more than the idle timeout, each one well within it.
pub const TRICKLE_PIECES: usize = 12;
/// The size of each piece of data-trickle.
pub const TRICKLE_PIECE: usize = 100;

/// How long a script waits for any command or connection before failing,
/// so a client that hangs fails the scenario instead of blocking it.
pub const SCRIPT_PATIENCE: Duration = Duration::from_secs(20);

/// The most a script writes to a client that should have given up (an
/// endless line or reply): past it, the client is not bounding its memory.
pub const ENDLESS_CAP: usize = 64 << 20;

/// The size announced by `announced-2gib`.
pub const ANNOUNCED_2GIB: u64 = 2_147_483_648;

/// The bytes of `data-after-226`: 64 KiB before the 226, 192 KiB after.
pub const AFTER_226_LEN: usize = 256 * 1024;

/// What the clients of the upload scenarios offer to send (produced on the
/// fly): far more than socket buffers hold, so the fault comes first.
pub const UPLOAD_OFFER: usize = 64 << 20;

/// `data-after-226-short`: announced in the 150, and actually sent.
pub const SHORT_ANNOUNCED: usize = 300_000;
/// See [`SHORT_ANNOUNCED`].
pub const SHORT_SENT: usize = 100_000;

/// The test data of the scenarios: byte `i` is `(i * 31 + 7) % 251`
/// (C: `(uint8_t)((i * 31 + 7) % 251)`).
pub fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 31 + 7) % 251) as u8).collect()
}

/// Every scenario, in a stable order.
pub const SCENARIOS: &[Scenario] = &[
    // ---------------------------------------------- the control connection
    Scenario {
        name: "cut-welcome",
        summary: "welcome cut mid-line (\"220 hel\", EOF): connect EOF, then STATE",
        script: control::cut_welcome,
    },
    Scenario {
        name: "cut-reply",
        summary: "NOOP answered \"200 cut in the mid\" then EOF: EOF, then STATE",
        script: control::cut_reply,
    },
    Scenario {
        name: "cut-multiline",
        summary: "NOOP answered by two 211- lines then EOF: EOF, then STATE",
        script: control::cut_multiline,
    },
    Scenario {
        name: "long-line",
        summary: "a reply line of exactly 8192 bytes works; one of 8193: PROTO, then STATE",
        script: control::long_line,
    },
    Scenario {
        name: "endless-line",
        summary: "a reply line that never ends: PROTO after 8192 bytes, then STATE",
        script: control::endless_line,
    },
    Scenario {
        name: "endless-multiline",
        summary: "a multi-line reply that never ends: PROTO at 1 MiB, then STATE",
        script: control::endless_multiline,
    },
    Scenario {
        name: "garbage-welcome",
        summary: "an SSH banner as welcome: connect PROTO (code 0), then STATE",
        script: control::garbage_welcome,
    },
    Scenario {
        name: "garbage-reply",
        summary: "NOOP answered \"HTTP/1.1 400 Bad Request\": PROTO (code 0); the line was read \
                  whole, so the session stays usable (NOOP 200)",
        script: control::garbage_reply,
    },
    Scenario {
        name: "421-welcome",
        summary: "welcome 421: connect TEMP (421), then STATE",
        script: control::welcome_421,
    },
    Scenario {
        name: "421-after-user",
        summary: "USER answered 421: login TEMP (421), PASS never sent, then STATE",
        script: control::after_user_421,
    },
    Scenario {
        name: "421-idle",
        summary: "an unsolicited 421 after login, then EOF: NOOP TEMP (421), then STATE",
        script: control::idle_421,
    },
    Scenario {
        name: "never-answers",
        summary: "no welcome at all: connect TIMEOUT after 2 s, then STATE",
        script: control::never_answers,
    },
    Scenario {
        name: "stall-mid-reply",
        summary: "NOOP answered \"200-wait\" then silence: TIMEOUT after 2 s, then STATE",
        script: control::stall_mid_reply,
    },
    Scenario {
        name: "slow-drip",
        summary: "NOOP answered one byte every 50 ms, never ending: TIMEOUT when the 2 s \
                  reply deadline passes (not an idle timeout), then STATE",
        script: control::slow_drip,
    },
    Scenario {
        name: "byte-by-byte",
        summary: "every reply and the listing data sent one byte at a time: all works",
        script: control::byte_by_byte,
    },
    Scenario {
        name: "invalid-utf8",
        summary: "invalid UTF-8 in welcome, replies, 257, NLST and MLSD: raw bytes in \
                  callbacks, U+FFFD in reply texts, DELE 550 PERM, session usable",
        script: control::invalid_utf8,
    },
    // ------------------------------------------------------- transfers
    Scenario {
        name: "421-mid-transfer",
        summary: "RETR: 1000 bytes, then 421 instead of 226: TEMP (421), then STATE",
        script: transfers::mid_transfer_421,
    },
    Scenario {
        name: "drop-before-transfer",
        summary: "control closed when RETR arrives (data already connected): EOF, then STATE",
        script: transfers::drop_before_transfer,
    },
    Scenario {
        name: "drop-during-transfer",
        summary: "control closed while 2000 bytes of data flow: all 2000 delivered, then EOF \
                  (not success), then STATE",
        script: transfers::drop_during_transfer,
    },
    Scenario {
        name: "drop-after-transfer",
        summary: "RETR completes with 226, then control closed: OK, next NOOP EOF, then STATE",
        script: transfers::drop_after_transfer,
    },
    Scenario {
        name: "data-426",
        summary: "150 (1000000 bytes), 1000 bytes, data closed, 426: TEMP (426), usable",
        script: transfers::data_426,
    },
    Scenario {
        name: "data-drop-no-reply",
        summary: "1000 bytes, data closed, no final reply ever: TIMEOUT after 2 s, then STATE",
        script: transfers::data_drop_no_reply,
    },
    Scenario {
        name: "data-stall",
        summary: "1000 bytes, then the data connection stays open and silent, no reply: \
                  TIMEOUT after 4 s (the 2 s data idle timeout, then 2 s for the final \
                  reply), then STATE",
        script: transfers::data_stall,
    },
    Scenario {
        name: "data-trickle",
        summary: "1200 bytes in pieces of 100 every 200 ms (2.4 s in all, more than the \
                  2 s idle timeout, each pause within it), then 226: OK, every byte \
                  in order, usable",
        script: transfers::data_trickle,
    },
    Scenario {
        name: "upload-426",
        summary: "STOR: the server reads 1000 bytes, resets the data connection and answers \
                  426: TEMP (426), no SIGPIPE, usable",
        script: transfers::upload_426,
    },
    Scenario {
        name: "upload-never-read",
        summary: "STOR: the server accepts the data connection but never reads it nor \
                  replies: TIMEOUT after 4 s (2 s blocked write, then 2 s for the final \
                  reply), then STATE",
        script: transfers::upload_never_read,
    },
    Scenario {
        name: "data-after-226",
        summary: "226 sent after 64 KiB while 192 KiB more data follow: OK with all 256 KiB \
                  (data read to its end before the reply), usable",
        script: transfers::data_after_226,
    },
    Scenario {
        name: "data-after-226-short",
        summary: "150 (300000 bytes), 226 after 10 bytes, data ends at 100000: PROTO, usable",
        script: transfers::data_after_226_short,
    },
    Scenario {
        name: "announced-2gib",
        summary: "150 (2147483648 bytes), 10 bytes, 226: PROTO (not success), usable",
        script: transfers::announced_2gib,
    },
    Scenario {
        name: "pasv-elsewhere",
        summary: "EPSV refused, 227 pointing at 192.0.2.1: the data connection goes to the \
                  control peer; OK",
        script: transfers::pasv_elsewhere,
    },
    Scenario {
        name: "epsv-elsewhere",
        summary: "229 (|1|192.0.2.1|port|): the address is ignored, the peer used; OK",
        script: transfers::epsv_elsewhere,
    },
    Scenario {
        name: "pasv-out-of-range",
        summary: "227 with a byte of 256, port 0, a port byte of 300, no numbers: PROTO each, \
                  usable",
        script: transfers::pasv_out_of_range,
    },
    Scenario {
        name: "epsv-out-of-range",
        summary: "229 with port 0, 65536, 99999999999, no parentheses: PROTO each, usable",
        script: transfers::epsv_out_of_range,
    },
    Scenario {
        name: "pasv-150-no-data",
        summary: "passive: the server closes its listener without accepting, 150, then 425: \
                  TEMP (425), usable",
        script: transfers::pasv_150_no_data,
    },
    Scenario {
        name: "active-never-connects",
        summary: "active: PORT 200, RETR 150, the server never connects: TIMEOUT after 2 s, \
                  then STATE",
        script: transfers::active_never_connects,
    },
    // -------------------------------------------------------- listings
    Scenario {
        name: "list-mixed",
        summary: "LIST (no MLST in FEAT): total, a Unix file, . and .., a Unix link, a DOS \
                  <DIR>, EPLF, an unknown line, an empty line, a name with invalid UTF-8, \
                  226: 7 entries in order (total, . and .. skipped), usable",
        script: listings::list_mixed,
    },
    Scenario {
        name: "list-stop",
        summary: "LIST: the same Unix line over and over until the client, stopping at the \
                  first entry, ends the data connection; then 426: CALLBACK, usable",
        script: listings::list_stop,
    },
    // ---------------------------------------------------------- cancel
    Scenario {
        name: "cancel-reply",
        summary: "NOOP answered only after 700 ms; the client cancels at 200 ms: CANCELLED; \
                  the next NOOP reads the late reply first and gets its own 200, usable",
        script: cancel::cancel_reply,
    },
    Scenario {
        name: "cancel-welcome",
        summary: "no welcome; the client cancels its connect: CANCELLED, then STATE",
        script: cancel::cancel_welcome,
    },
    Scenario {
        name: "cancel-download",
        summary: "RETR: 1000 bytes, then a silent data connection; the client cancels (any \
                  transfer kind): CANCELLED with the 1000 bytes, data connection ended, 426 \
                  read by the next call, usable",
        script: cancel::cancel_download,
    },
    Scenario {
        name: "cancel-upload",
        summary: "STOR: the server reads nothing for 700 ms; the client cancels at 200 ms: \
                  CANCELLED, the data connection ended in order (the server gets a prefix of \
                  the payload), 226 read by the next call, usable",
        script: cancel::cancel_upload,
    },
    Scenario {
        name: "cancel-active-accept",
        summary: "active: RETR 150, the server never connects; the client cancels its accept: \
                  CANCELLED, 425 read by the next call, usable",
        script: cancel::cancel_active_accept,
    },
    Scenario {
        name: "cancel-tls-handshake",
        summary: "AUTH TLS 234, then no ServerHello; the client cancels: CANCELLED, then STATE",
        script: cancel::cancel_tls_handshake,
    },
    Scenario {
        name: "cancel-storm",
        summary: "every NOOP answered \"200 reply <k>\" after 40 ms (two wait slices); the client cancels most \
                  of them earlier: each CANCELLED, and every next call reads the owed reply \
                  first, so the last NOOP gets its own number; QUIT",
        script: cancel::cancel_storm,
    },
    // ------------------------------------------------------- injection
    Scenario {
        name: "injection",
        summary: "after login only \"NOOP <k>\" (k = 1, 2, ...) may arrive, each answered \
                  \"200 NOOP <k>\"; anything else is answered 500 and fails the scenario; \
                  then QUIT",
        script: injection::only_numbered_noops,
    },
];

/// The names of all scenarios, in order.
pub fn names() -> impl Iterator<Item = &'static str> {
    SCENARIOS.iter().map(|s| s.name)
}

/// The script of a scenario (with [`SCRIPT_PATIENCE`] applied), or `None`
/// for an unknown name.
pub fn by_name(name: &str) -> Option<Script> {
    let scenario = SCENARIOS.iter().find(|s| s.name == name)?;
    let script = scenario.script;
    Some(Box::new(move |c: &mut Conn| {
        c.set_read_timeout(Some(SCRIPT_PATIENCE));
        script(c);
    }))
}

// ------------------------------------------------- shared script pieces

/// Ends a scenario whose session must still be usable: NOOP answered 200,
/// QUIT answered 221, then the client closes.
fn usable_end(c: &mut Conn) {
    c.exchange("NOOP", "200 still in step");
    c.exchange("QUIT", "221 bye");
    c.expect_eof();
}

/// TYPE I, then EPSV with a fresh listener, then the RETR.
fn retr_prologue(c: &mut Conn) {
    c.exchange("TYPE I", "200 binary");
    c.answer_epsv();
    c.expect("RETR");
}

/// TYPE I, then EPSV with a fresh listener, then the STOR.
fn stor_prologue(c: &mut Conn) {
    c.exchange("TYPE I", "200 binary");
    c.answer_epsv();
    c.expect("STOR");
}

/// Writes `bytes` to a data connection, panicking if the client is gone.
fn write_data(d: &mut std::net::TcpStream, bytes: &[u8]) {
    use std::io::Write;
    d.write_all(bytes).expect("writing the data connection");
}

/// Sends `unit` over and over until the client closes the connection,
/// panicking past [`ENDLESS_CAP`] bytes (the client never gave up).
fn send_until_client_gives_up(c: &mut Conn, unit: &[u8]) {
    let mut batch = Vec::with_capacity(64 * 1024 + unit.len());
    while batch.len() < 64 * 1024 {
        batch.extend_from_slice(unit);
    }
    let mut sent = 0;
    while c.try_send(&batch).is_ok() {
        sent += batch.len();
        assert!(
            sent <= ENDLESS_CAP,
            "the client read {sent} bytes of an endless reply without giving up"
        );
    }
}
