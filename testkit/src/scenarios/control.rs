//! Faults of the control connection: cut, over-long, endless or non-FTP
//! replies, 421, silence, slow servers and invalid UTF-8.

use super::{send_until_client_gives_up, usable_end, write_data, CLIENT_TIMEOUT};
use crate::{Conn, LOGIN_FEATURES};
use std::time::{Duration, Instant};

pub(super) fn cut_welcome(c: &mut Conn) {
    c.send_raw(b"220 hel");
    c.shutdown_write();
    c.expect_eof();
}

pub(super) fn cut_reply(c: &mut Conn) {
    c.greet_and_login();
    c.expect("NOOP");
    c.send_raw(b"200 cut in the mid");
    c.shutdown_write();
    c.expect_eof();
}

pub(super) fn cut_multiline(c: &mut Conn) {
    c.greet_and_login();
    c.expect("NOOP");
    c.send_raw(b"211-first\r\n211-second\r\n");
    c.shutdown_write();
    c.expect_eof();
}

/// A reply line of `len` bytes (CRLF not counted): "200 xxx...".
fn line_of(len: usize) -> Vec<u8> {
    let mut line = b"200 ".to_vec();
    line.resize(len, b'x');
    line.extend_from_slice(b"\r\n");
    line
}

pub(super) fn long_line(c: &mut Conn) {
    c.greet_and_login();
    c.expect("NOOP");
    c.send_raw(&line_of(8192));
    c.expect("NOOP");
    c.send_raw(&line_of(8193));
    c.expect_eof();
}

pub(super) fn endless_line(c: &mut Conn) {
    c.greet_and_login();
    c.expect("NOOP");
    c.send_raw(b"200 ");
    send_until_client_gives_up(c, b"x");
}

pub(super) fn endless_multiline(c: &mut Conn) {
    c.greet_and_login();
    c.expect("NOOP");
    c.send_raw(b"200-start\r\n");
    send_until_client_gives_up(
        c,
        b"200-more and more and more and more and more and more and more lines\r\n",
    );
}

pub(super) fn garbage_welcome(c: &mut Conn) {
    c.reply("SSH-2.0-OpenSSH_9.2p1 Debian-2");
    c.expect_eof();
}

pub(super) fn garbage_reply(c: &mut Conn) {
    c.greet_and_login();
    c.exchange("NOOP", "HTTP/1.1 400 Bad Request");
    usable_end(c);
}

pub(super) fn welcome_421(c: &mut Conn) {
    c.reply("421 too many users");
    c.expect_eof();
}

pub(super) fn after_user_421(c: &mut Conn) {
    c.reply("220 hi");
    c.exchange("USER", "421 service closing");
    c.expect_eof();
}

pub(super) fn idle_421(c: &mut Conn) {
    c.greet_and_login();
    c.reply("421 idle timeout, closing");
    c.shutdown_write();
    c.expect("NOOP");
    c.expect_eof();
}

pub(super) fn never_answers(c: &mut Conn) {
    c.expect_eof();
}

pub(super) fn stall_mid_reply(c: &mut Conn) {
    c.greet_and_login();
    c.expect("NOOP");
    c.send_raw(b"200-wait for it\r\n");
    c.expect_eof();
}

pub(super) fn slow_drip(c: &mut Conn) {
    c.greet_and_login();
    c.expect("NOOP");
    c.send_raw(b"200-");
    // Each byte comes well within any idle timeout; only a deadline for the
    // whole reply stops the client.
    let limit = Instant::now() + CLIENT_TIMEOUT * 10;
    while c.try_send(b"x").is_ok() {
        assert!(
            Instant::now() < limit,
            "the client kept reading a never-ending reply"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(super) fn byte_by_byte(c: &mut Conn) {
    let pause = Duration::from_millis(1);
    c.send_trickle(b"220-slow\r\n220 server\r\n", pause);
    c.expect("USER");
    c.send_trickle(b"331 password\r\n", pause);
    c.expect("PASS");
    c.send_trickle(b"230 in\r\n", pause);
    c.expect("FEAT");
    c.send_trickle(format!("{LOGIN_FEATURES}\r\n").as_bytes(), pause);
    c.expect("NOOP");
    c.send_trickle(b"200 slow but fine\r\n", pause);
    c.expect("TYPE A");
    c.send_trickle(b"200 ascii\r\n", pause);
    c.expect("EPSV");
    let port = c.open_passive();
    c.send_trickle(
        format!("229 Entering Extended Passive Mode (|||{port}|)\r\n").as_bytes(),
        pause,
    );
    c.expect("NLST");
    c.send_trickle(b"150 here\r\n", pause);
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    for b in b"a.txt\r\nb.txt\r\n" {
        write_data(&mut d, &[*b]);
        std::thread::sleep(pause);
    }
    drop(d);
    c.send_trickle(b"226 done\r\n", pause);
    c.expect("QUIT");
    c.send_trickle(b"221 bye\r\n", pause);
    c.expect_eof();
}

pub(super) fn invalid_utf8(c: &mut Conn) {
    c.send_raw(b"220 caf\xe9 \xff ready\r\n");
    c.login_answering_feat(LOGIN_FEATURES);
    c.expect("NOOP");
    c.send_raw(b"200 \xc3\x28 ok\r\n");
    c.expect("PWD");
    c.send_raw(b"257 \"/caf\xe9\" is current\r\n");
    c.expect("DELE x");
    c.send_raw(b"550 caf\xe9: no\r\n");
    c.exchange("TYPE A", "200 ascii");
    c.answer_epsv();
    c.exchange("NLST", "150 here");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    write_data(&mut d, b"caf\xe9\r\n\xff\xfe\r\nok\r\n");
    drop(d);
    c.send_raw(b"226 \xe9nd\r\n");
    c.answer_epsv();
    c.exchange("MLSD", "150 here");
    let mut d = c.accept_data_within(CLIENT_TIMEOUT);
    write_data(
        &mut d,
        b"type=file;x=\xff; n\xe9me\r\ntype=dir;size=\xc3; \xc3\x28\r\n",
    );
    drop(d);
    c.reply("226 done");
    usable_end(c);
}
