//! `ftp-wan-proxy --upstream HOST:PORT --pasv MIN-MAX --rtt-ms N
//! [--rate BYTES_PER_S] [--listen-ip IP]`: the WAN simulator of
//! `ftp_testkit::wan` as a process, for benchmarks and tests written in
//! other languages.
//!
//! It listens on IP (default 127.0.0.2) at a free control port relayed to
//! HOST:PORT, and at every port of MIN-MAX (the server's passive range)
//! relayed to the same port of HOST; it delays each direction of each
//! connection by N/2 ms and, with `--rate`, caps each direction of each
//! connection at BYTES_PER_S. When ready it prints `PORT=<n>` (the control
//! port) on standard output, flushed, and then runs until killed. Exit
//! status 2 on a usage error, 1 if it cannot listen.

use ftp_testkit::wan::{WanConfig, WanProxy, LISTEN_IP};
use std::io::Write;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "usage: ftp-wan-proxy --upstream HOST:PORT --pasv MIN-MAX --rtt-ms N \
                     [--rate BYTES_PER_S] [--listen-ip IP]";

fn usage(why: &str) -> ExitCode {
    eprintln!("ftp-wan-proxy: {why}\n{USAGE}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut upstream: Option<SocketAddr> = None;
    let mut pasv: Option<(u16, u16)> = None;
    let mut rtt_ms: Option<u64> = None;
    let mut rate: Option<u64> = None;
    let mut listen = IpAddr::V4(LISTEN_IP);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        let Some(v) = args.next() else {
            return usage(&format!("{flag} needs a value"));
        };
        match flag.as_str() {
            "--upstream" => match v.to_socket_addrs().ok().and_then(|mut a| a.next()) {
                Some(a) => upstream = Some(a),
                None => return usage(&format!("bad --upstream {v}")),
            },
            "--pasv" => {
                let r = v
                    .split_once('-')
                    .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
                match r {
                    Some((a, b)) if a <= b => pasv = Some((a, b)),
                    _ => return usage(&format!("bad --pasv {v}")),
                }
            }
            "--rtt-ms" => match v.parse() {
                Ok(n) => rtt_ms = Some(n),
                Err(_) => return usage(&format!("bad --rtt-ms {v}")),
            },
            "--rate" => match v.parse() {
                Ok(n) if n > 0 => rate = Some(n),
                _ => return usage(&format!("bad --rate {v}")),
            },
            "--listen-ip" => match v.parse() {
                Ok(ip) => listen = ip,
                Err(_) => return usage(&format!("bad --listen-ip {v}")),
            },
            _ => return usage(&format!("unknown argument {flag}")),
        }
    }
    let (Some(upstream), Some((min, max)), Some(rtt_ms)) = (upstream, pasv, rtt_ms) else {
        return usage("--upstream, --pasv and --rtt-ms are required");
    };
    let cfg = WanConfig {
        rtt: Duration::from_millis(rtt_ms),
        rate,
    };
    let proxy = match WanProxy::start_on(listen, upstream, min..=max, cfg) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("ftp-wan-proxy: {e}");
            return ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout();
    let _ = writeln!(out, "PORT={}", proxy.port());
    let _ = out.flush();
    loop {
        std::thread::park();
    }
}
