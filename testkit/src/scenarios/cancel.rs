//! The server's side of `ftp_session_cancel` tests: waits that only a
//! cancel ends, after which the session must be in step (the owed reply
//! read first by the next call) or closed.
//!
//! The clients cancel [`CANCEL_AFTER`] after the call starts; the servers
//! answer late ([`LATE`]), well after that, so the reply is owed when the
//! cancel comes.

use super::{payload, retr_prologue, stor_prologue, usable_end, write_data, CLIENT_TIMEOUT};
use crate::Conn;
use std::io::Read;
use std::time::Duration;

/// When the clients of these scenarios cancel, after the call started.
pub const CANCEL_AFTER: Duration = Duration::from_millis(200);
/// When the servers of these scenarios answer what was cancelled.
pub const LATE: Duration = Duration::from_millis(700);
/// The bytes of `cancel-download` sent before the stall.
pub const CANCEL_SENT: usize = 1000;

pub(super) fn cancel_reply(c: &mut Conn) {
    c.greet_and_login();
    c.expect("NOOP");
    std::thread::sleep(LATE);
    c.reply("200 late reply to the cancelled NOOP");
    c.exchange("NOOP", "200 second NOOP");
    usable_end(c);
}

pub(super) fn cancel_welcome(c: &mut Conn) {
    // No welcome: the client cancels its connect and closes.
    c.expect_eof();
}

/// Waits until the client ends the data connection (reset or close).
fn wait_data_end(d: &mut std::net::TcpStream) {
    let _ = d.set_read_timeout(Some(super::SCRIPT_PATIENCE));
    let mut sink = [0u8; 64 * 1024];
    loop {
        match d.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

pub(super) fn cancel_download(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    c.reply("150 go (1000000 bytes)");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    write_data(&mut d, &payload(CANCEL_SENT));
    // Stalls until the client gives up the data connection.
    wait_data_end(&mut d);
    drop(d);
    c.reply("426 data connection closed; transfer aborted");
    usable_end(c);
}

pub(super) fn cancel_upload(c: &mut Conn) {
    c.greet_and_login();
    stor_prologue(c);
    c.reply("150 send it");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    // Read nothing until long after the cancel: the client's writes block.
    std::thread::sleep(LATE);
    let mut got = Vec::new();
    let _ = d.set_read_timeout(Some(super::SCRIPT_PATIENCE));
    let ended_in_order = d.read_to_end(&mut got).is_ok();
    assert!(
        ended_in_order,
        "a cancelled upload must end its data connection in order, not reset it"
    );
    assert!(
        got == payload(got.len()),
        "the {} bytes uploaded are not the test payload",
        got.len()
    );
    c.reply("226 partial file kept");
    usable_end(c);
}

pub(super) fn cancel_active_accept(c: &mut Conn) {
    c.greet_and_login();
    c.exchange("TYPE I", "200 binary");
    c.exchange("PORT ", "200 PORT ok");
    c.exchange("RETR", "150 Opening data connection");
    // Never connects; answers the failure late.
    std::thread::sleep(LATE);
    c.reply("425 cannot open data connection");
    usable_end(c);
}

pub(super) fn cancel_tls_handshake(c: &mut Conn) {
    c.reply("220 scripted server ready");
    c.exchange("AUTH TLS", "234 go ahead");
    // Never answers the ClientHello; the client cancels and closes.
    c.discard_until_close();
}

pub(super) fn cancel_storm(c: &mut Conn) {
    c.greet_and_login();
    let mut k = 0u32;
    loop {
        match c.read_cmd().as_deref() {
            Some("NOOP") => {
                k += 1;
                std::thread::sleep(STORM_LATE);
                c.reply(&format!("200 reply {k}"));
            }
            Some("QUIT") => {
                c.reply("221 bye");
                break;
            }
            other => panic!("cancel-storm: unexpected {other:?}"),
        }
    }
    c.expect_eof();
}

/// How late cancel-storm answers each NOOP (its clients cancel earlier).
pub const STORM_LATE: Duration = Duration::from_millis(40);
