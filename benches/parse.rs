//! Micro-benchmarks of the parsing hot paths (std only, no harness):
//!
//! - the reply reader (`reply_reader::read_reply` over a `LineReader` with
//!   the control connection's 8 KiB buffer) on a stream of 100,000 mixed
//!   single-line and multi-line replies;
//! - line splitting (`LineReader::read_line`, the 64 KiB buffer and 8192
//!   byte limit of `retrlines`) of 64 MiB of text with LF, CRLF and CR line
//!   ends mixed;
//! - the parsers of 227 (PASV), 229 (EPSV), 150 (size) and 257 (path)
//!   replies, in loops.
//!
//! Run: `cargo bench --bench parse` (a few seconds). Each measurement is
//! repeated; the best and the median repetition are printed as ns/op and
//! MB/s (10^6 bytes per second of input). Without `--bench` on the command
//! line (`cargo test --benches` runs it so) it only checks that everything
//! works, on inputs 100 times smaller.

use ftp::line_reader::LineReader;
use ftp::parse::{parse150, parse227, parse229, parse257};
use ftp::reply_reader::{read_reply, MAX_LINE};
use ftp::{Encoding, Reply};
use std::hint::black_box;
use std::io::Cursor;
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift64*), so every run measures the
/// same input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Runs `f` `reps` times; returns the best and the median duration and the
/// value of the last run (so that the work cannot be optimised away).
fn measure<T>(reps: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut times = Vec::with_capacity(reps);
    let mut last = None;
    for _ in 0..reps {
        let t0 = Instant::now();
        let v = black_box(f());
        times.push(t0.elapsed());
        last = Some(v);
    }
    times.sort();
    (times[0], times[reps / 2], last.expect("reps > 0"))
}

fn print_row(name: &str, ops: u64, unit: &str, bytes: u64, best: Duration, median: Duration) {
    let ns = |d: Duration| d.as_secs_f64() * 1e9 / ops as f64;
    let mbps = |d: Duration| bytes as f64 / d.as_secs_f64() / 1e6;
    println!(
        "{name:<34} {ops:>9} {unit:<8} {:>9.1} ns/{unit} (median {:>9.1})  {:>8.1} MB/s (median {:>8.1})",
        ns(best),
        ns(median),
        mbps(best),
        mbps(median),
    );
}

/// 100,000 replies: 3/4 single-line (what a transfer loop sees: 229, 150,
/// 226, 200, 257, 350, 213), 1/4 multi-line (FEAT, a welcome banner, a
/// STAT-like reply whose inner lines start with other codes).
fn reply_stream(n: usize) -> (Vec<u8>, usize) {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut out = Vec::with_capacity(n * 64);
    let mut lines = 0;
    for i in 0..n {
        match rng.below(16) {
            0..=11 => {
                let line = match rng.below(7) {
                    0 => format!("229 Entering Extended Passive Mode (|||{}|)", 1024 + rng.below(60000)),
                    1 => format!(
                        "150 Opening BINARY mode data connection for pub/small/f{:04}.bin ({} bytes).",
                        i % 10000,
                        rng.below(1 << 30)
                    ),
                    2 => "226 Transfer complete.".to_string(),
                    3 => "200 Switching to Binary mode.".to_string(),
                    4 => "257 \"/pub/some dir\" is the current directory".to_string(),
                    5 => format!("350 Restart position accepted ({}).", rng.below(1 << 40)),
                    _ => format!("213 {}", rng.below(1 << 40)),
                };
                out.extend_from_slice(line.as_bytes());
                out.extend_from_slice(b"\r\n");
                lines += 1;
            }
            12 | 13 => {
                let feat = b"211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End\r\n";
                out.extend_from_slice(feat);
                lines += 10;
            }
            14 => {
                for k in 0..5 {
                    out.extend_from_slice(
                        format!("230-Welcome to the test server, line {k} of the banner text.\r\n")
                            .as_bytes(),
                    );
                }
                out.extend_from_slice(b"230 Login successful.\r\n");
                lines += 6;
            }
            _ => {
                out.extend_from_slice(b"213-Status follows:\r\n");
                for k in 0..8 {
                    out.extend_from_slice(
                        format!("-rw-r--r--    1 ftp      ftp          {k:>5} Nov 24 13:15 file{k}.bin\r\n")
                            .as_bytes(),
                    );
                }
                out.extend_from_slice(b"213 End of status\r\n");
                lines += 10;
            }
        }
    }
    (out, lines)
}

/// About `size` bytes of text: lines of 0 to 199 printable bytes ending in
/// LF (1/2), CRLF (3/8) or CR (1/8); never an empty line right after a CR,
/// which would read as the LF of a CRLF.
fn text(size: usize) -> (Vec<u8>, usize) {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let mut out = Vec::with_capacity(size + 256);
    let mut lines = 0;
    while out.len() < size {
        let mut len = rng.below(200) as usize;
        if len == 0 && out.last() == Some(&b'\r') {
            len = 1; // CR + an empty LF line would read as one CRLF
        }
        for _ in 0..len {
            out.push(b' ' + (rng.next() >> 58) as u8 + 1); // '!' ..= '@'
        }
        match rng.below(8) {
            0..=3 => out.push(b'\n'),
            4..=6 => out.extend_from_slice(b"\r\n"),
            _ => out.push(b'\r'),
        }
        lines += 1;
    }
    (out, lines)
}

fn bench_reply_reader(scale: usize) {
    let n = 100_000 / scale;
    let (stream, lines) = reply_stream(n);
    let (best, median, got) = measure(7, || {
        let mut reader = LineReader::with_capacity(8192, Cursor::new(stream.as_slice()));
        let mut codes = 0u64;
        for _ in 0..n {
            let reply = read_reply(&mut reader, Encoding::Utf8, |_| {}).expect("a reply");
            codes += u64::from(reply.code);
        }
        codes
    });
    assert!(got > 0);
    print_row(
        "reply reader (utf-8)",
        n as u64,
        "reply",
        stream.len() as u64,
        best,
        median,
    );
    println!(
        "{:<34} ({} lines, {:.1} MB in all)",
        "",
        lines,
        stream.len() as f64 / 1e6
    );
    let (best, median, _) = measure(5, || {
        let mut reader = LineReader::with_capacity(8192, Cursor::new(stream.as_slice()));
        let mut codes = 0u64;
        for _ in 0..n {
            let reply = read_reply(&mut reader, Encoding::Latin1, |_| {}).expect("a reply");
            codes += u64::from(reply.code);
        }
        codes
    });
    print_row(
        "reply reader (latin-1)",
        n as u64,
        "reply",
        stream.len() as u64,
        best,
        median,
    );
}

fn bench_line_splitting(scale: usize) {
    let (data, lines) = text((64 << 20) / scale);
    let (best, median, got) = measure(5, || {
        let mut reader = LineReader::with_capacity(64 * 1024, Cursor::new(data.as_slice()));
        let mut line = Vec::with_capacity(256);
        let mut n = 0usize;
        let mut total = 0usize;
        while reader
            .read_line(MAX_LINE, &mut line)
            .expect("a line")
            .is_some()
        {
            n += 1;
            total += line.len();
        }
        (n, total)
    });
    assert_eq!(got.0, lines, "line count");
    print_row(
        &format!("line splitting ({:.1} MiB)", data.len() as f64 / 1048576.0),
        lines as u64,
        "line",
        data.len() as u64,
        best,
        median,
    );
}

fn bench_parsers(scale: usize) {
    let n = 1_000_000 / scale as u64;
    let r227 = Reply::new("227 Entering Passive Mode (127,0,0,1,122,105).".to_string());
    let r229 = Reply::new("229 Entering Extended Passive Mode (|||31405|)".to_string());
    let t150 = "150 Opening BINARY mode data connection for pub/big.bin (1073741824 bytes).";
    let r257 = Reply::new("257 \"/pub/a \"\"quoted\"\" dir\" is the current directory".to_string());

    let (best, median, _) = measure(5, || {
        let mut acc = 0u64;
        for _ in 0..n {
            let (ip, port) = parse227(black_box(&r227)).expect("227");
            acc += u64::from(port) + u64::from(ip.octets()[3]);
        }
        acc
    });
    print_row(
        "parse227",
        n,
        "call",
        n * r227.text.len() as u64,
        best,
        median,
    );

    let (best, median, _) = measure(5, || {
        let mut acc = 0u64;
        for _ in 0..n {
            acc += u64::from(parse229(black_box(&r229)).expect("229"));
        }
        acc
    });
    print_row(
        "parse229",
        n,
        "call",
        n * r229.text.len() as u64,
        best,
        median,
    );

    let (best, median, _) = measure(5, || {
        let mut acc = 0u64;
        for _ in 0..n {
            acc += parse150(black_box(t150)).expect("150");
        }
        acc
    });
    print_row("parse150", n, "call", n * t150.len() as u64, best, median);

    let (best, median, _) = measure(5, || {
        let mut acc = 0usize;
        for _ in 0..n {
            acc += parse257(black_box(&r257)).expect("257").len();
        }
        acc
    });
    print_row(
        "parse257",
        n,
        "call",
        n * r257.text.len() as u64,
        best,
        median,
    );
}

fn main() {
    // `cargo bench` passes "--bench"; `cargo test --benches` does not: then
    // a smoke run on small inputs. Other arguments (filters) are ignored.
    let scale = if std::env::args().any(|a| a == "--bench") {
        1
    } else {
        100
    };
    let t0 = Instant::now();
    println!("libftp parsing micro-benchmarks (best of N repetitions, median in brackets)");
    if scale != 1 {
        println!("(smoke run on inputs {scale} times smaller: use cargo bench --bench parse)");
    }
    bench_reply_reader(scale);
    bench_line_splitting(scale);
    bench_parsers(scale);
    println!("total {:.1} s", t0.elapsed().as_secs_f64());
}
