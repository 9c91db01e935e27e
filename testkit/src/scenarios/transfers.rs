//! Faults around data transfers: drops of either connection, 421/426,
//! data after the 226, short data, foreign or bad PASV/EPSV addresses, and
//! a 150 with no data connection behind it.

use super::{
    payload, retr_prologue, stor_prologue, usable_end, write_data, AFTER_226_LEN, ANNOUNCED_2GIB,
    CLIENT_TIMEOUT, SHORT_ANNOUNCED, SHORT_SENT,
};
use crate::Conn;
use std::io::Read;
use std::time::Duration;

pub(super) fn mid_transfer_421(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    c.reply("150 go");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    write_data(&mut d, &payload(1000));
    drop(d);
    c.reply("421 shutting down");
    c.expect_eof();
}

pub(super) fn drop_before_transfer(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    c.close_passive();
    c.shutdown_write();
    c.expect_eof();
}

pub(super) fn drop_during_transfer(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    c.reply("150 go");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    let data = payload(2000);
    write_data(&mut d, &data[..1000]);
    c.shutdown_write();
    std::thread::sleep(Duration::from_millis(50));
    write_data(&mut d, &data[1000..]);
    drop(d);
    c.expect_eof();
}

pub(super) fn drop_after_transfer(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    c.reply("150 go (1000 bytes)");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    write_data(&mut d, &payload(1000));
    drop(d);
    c.reply("226 done");
    c.shutdown_write();
    c.expect("NOOP");
    c.expect_eof();
}

pub(super) fn data_426(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    c.reply("150 go (1000000 bytes)");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    write_data(&mut d, &payload(1000));
    drop(d);
    c.reply("426 connection closed; transfer aborted");
    usable_end(c);
}

pub(super) fn data_drop_no_reply(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    c.reply("150 go");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    write_data(&mut d, &payload(1000));
    drop(d);
    c.expect_eof();
}

pub(super) fn data_stall(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    c.reply("150 go");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    write_data(&mut d, &payload(1000));
    // The data connection stays open, silent, until the client gives up.
    c.expect_eof();
    drop(d);
}

pub(super) fn data_trickle(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    c.reply("150 go");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    let all = payload(super::TRICKLE_PIECES * super::TRICKLE_PIECE);
    let pause = CLIENT_TIMEOUT / 10;
    for piece in all.chunks(super::TRICKLE_PIECE) {
        write_data(&mut d, piece);
        std::thread::sleep(pause);
    }
    drop(d);
    c.reply("226 done");
    usable_end(c);
}

pub(super) fn upload_426(c: &mut Conn) {
    c.greet_and_login();
    stor_prologue(c);
    c.reply("150 send it");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    let mut first = vec![0u8; 1000];
    d.read_exact(&mut first).expect("reading the upload");
    // Reset rather than close: the client's next writes fail.
    socket2::SockRef::from(&d)
        .set_linger(Some(Duration::ZERO))
        .expect("SO_LINGER");
    drop(d);
    c.reply("426 connection reset; transfer aborted");
    usable_end(c);
}

pub(super) fn upload_never_read(c: &mut Conn) {
    c.greet_and_login();
    stor_prologue(c);
    c.reply("150 send it");
    let d = c.accept_data_within(CLIENT_TIMEOUT);
    c.expect_eof();
    drop(d);
}

pub(super) fn data_after_226(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    c.reply("150 go");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    let data = payload(AFTER_226_LEN);
    let (before, after) = data.split_at(64 * 1024);
    write_data(&mut d, before);
    c.reply("226 done (but the data is not)");
    for chunk in after.chunks(48 * 1024) {
        std::thread::sleep(Duration::from_millis(50));
        write_data(&mut d, chunk);
    }
    drop(d);
    usable_end(c);
}

pub(super) fn data_after_226_short(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    c.reply(&format!("150 go ({SHORT_ANNOUNCED} bytes)"));
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    let data = payload(SHORT_SENT);
    write_data(&mut d, &data[..10]);
    c.reply("226 done");
    std::thread::sleep(Duration::from_millis(50));
    write_data(&mut d, &data[10..]);
    drop(d);
    usable_end(c);
}

pub(super) fn announced_2gib(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    c.reply(&format!("150 Opening BINARY mode ({ANNOUNCED_2GIB} bytes)"));
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    write_data(&mut d, &payload(10));
    drop(d);
    c.reply("226 done");
    usable_end(c);
}

/// Serves the RETR of the foreign-address scenarios from the listener the
/// client must have connected to.
fn serve_from_peer(c: &mut Conn) {
    c.expect("RETR");
    c.reply("150 go");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    write_data(&mut d, b"data from the control peer");
    drop(d);
    c.reply("226 done");
    usable_end(c);
}

pub(super) fn pasv_elsewhere(c: &mut Conn) {
    c.greet_and_login();
    c.exchange("TYPE I", "200 binary");
    c.exchange("EPSV", "500 EPSV not understood");
    c.expect("PASV");
    let port = c.open_passive();
    c.reply(&format!(
        "227 Entering Passive Mode (192,0,2,1,{},{})",
        port >> 8,
        port & 0xff
    ));
    serve_from_peer(c);
}

pub(super) fn epsv_elsewhere(c: &mut Conn) {
    c.greet_and_login();
    c.exchange("TYPE I", "200 binary");
    c.expect("EPSV");
    let port = c.open_passive();
    c.reply(&format!(
        "229 Entering Extended Passive Mode (|1|192.0.2.1|{port}|)"
    ));
    serve_from_peer(c);
}

pub(super) fn pasv_out_of_range(c: &mut Conn) {
    c.greet_and_login();
    c.exchange("TYPE I", "200 binary");
    c.exchange("EPSV", "500 EPSV not understood");
    for bad in [
        "227 Entering Passive Mode (256,0,0,1,4,1)",
        "227 Entering Passive Mode (127,0,0,1,0,0)",
        "227 Entering Passive Mode (127,0,0,1,300,1)",
        "227 Entering Passive Mode",
    ] {
        c.exchange("PASV", bad);
    }
    usable_end(c);
}

pub(super) fn epsv_out_of_range(c: &mut Conn) {
    c.greet_and_login();
    c.exchange("TYPE I", "200 binary");
    for bad in [
        "229 Entering Extended Passive Mode (|||0|)",
        "229 Entering Extended Passive Mode (|||65536|)",
        "229 Entering Extended Passive Mode (|||99999999999|)",
        "229 Entering Extended Passive Mode",
    ] {
        c.exchange("EPSV", bad);
    }
    usable_end(c);
}

pub(super) fn pasv_150_no_data(c: &mut Conn) {
    c.greet_and_login();
    retr_prologue(c);
    // The client connected before sending RETR; closing the listener with
    // its connection never accepted resets that connection.
    c.close_passive();
    std::thread::sleep(Duration::from_millis(50));
    c.reply("150 Opening data connection");
    c.reply("425 Cannot open data connection");
    usable_end(c);
}

pub(super) fn active_never_connects(c: &mut Conn) {
    c.greet_and_login();
    c.exchange("TYPE I", "200 binary");
    c.exchange("PORT ", "200 PORT ok");
    c.exchange("RETR", "150 Opening data connection");
    c.expect_eof();
}
