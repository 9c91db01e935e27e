//! The server of the command injection tests: after login it accepts only
//! numbered NOOPs, so any byte a refused call let through shows up as a line
//! that is not the next "NOOP <k>".

use crate::Conn;

pub(super) fn only_numbered_noops(c: &mut Conn) {
    c.greet_and_login();
    let mut next = 1u32;
    // Each unexpected line, with how often it came.
    let mut unexpected: Vec<(String, usize)> = Vec::new();
    loop {
        let Some(line) = c.read_cmd() else {
            panic!("the client closed without QUIT (or went silent)");
        };
        if line == format!("NOOP {next}") {
            c.reply(&format!("200 NOOP {next}"));
            next += 1;
        } else if line == "QUIT" {
            c.reply("221 bye");
            break;
        } else {
            c.reply(&format!("500 unexpected line: {line}"));
            match unexpected.iter_mut().find(|(l, _)| *l == line) {
                Some((_, n)) => *n += 1,
                None => unexpected.push((line, 1)),
            }
        }
    }
    c.expect_eof();
    assert!(next > 1, "no NOOP received");
    assert!(
        unexpected.is_empty(),
        "refused calls sent: {}",
        unexpected
            .iter()
            .map(|(l, n)| format!("{l:?} x{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
