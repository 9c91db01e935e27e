//! Interrupted transfers that only a scripted server produces on demand,
//! each followed by a full protected download that must resume the TLS
//! session (issue 11, points 1 and 2): a 426 in the middle of a download, a
//! data connection reset by the server, a stall that ends in the client's
//! data idle timeout, an upload reset by the server, the two Pure-FTPd
//! behaviours (no final reply for a reset data connection; only ABOR's 226
//! after an abort), an early close of a long download, an abort while a
//! handle is open on a long download (the server blocked writing). The server
//! (tests/tlsserver) refuses data connections that do not resume the
//! control connection's TLS session and accepts each TLS 1.3 ticket once.
//! TLS 1.2 and 1.3, passive and active.
//!
//! Also here: ABOR's bytes on a clear-text control connection (RFC 959:
//! IAC IP, IAC DM with DM urgent, then ABOR), and protected data by default
//! on TLS sessions (point 6).

mod tlsserver;

use ftp::tls::{TlsConfig, TlsVersion};
use ftp::{Error, Session};
use openssl::ssl::{SslStream, SslVersion};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};
use tlsserver::{
    discard, drain_until_closed, payload, reset, Ctl, TlsFtpServer, FULL_LEN, LOGIN_FEATURES,
};

const VARIANTS: [(TlsVersion, bool); 4] = [
    (TlsVersion::Tls12, true),
    (TlsVersion::Tls12, false),
    (TlsVersion::Tls13, true),
    (TlsVersion::Tls13, false),
];

fn ssl_version(v: TlsVersion) -> SslVersion {
    match v {
        TlsVersion::Tls12 => SslVersion::TLS1_2,
        TlsVersion::Tls13 => SslVersion::TLS1_3,
    }
}

/// A TLS session (any version, certificate not checked, 5 s timeout)
/// connected to the scripted server on `port`, not logged in.
fn connected_unverified(port: u16) -> Session {
    let cfg = TlsConfig {
        verify_peer: false,
        ..TlsConfig::default()
    };
    let mut s = Session::new_tls(cfg);
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.connect("localhost", port).unwrap();
    s
}

/// Logged in; the data connections are protected by login alone.
fn client(port: u16, version: TlsVersion, passive: bool) -> Session {
    let cfg = TlsConfig {
        verify_peer: false,
        min_version: version,
        max_version: Some(version),
        ..TlsConfig::default()
    };
    let mut s = Session::new_tls(cfg);
    // Longer than the 2 s the library waits for a reply after an
    // interrupted transfer before resynchronising with NOOP.
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.connect("localhost", port).unwrap();
    s.login("u", "p", "").unwrap();
    assert!(s.data_protected());
    s.set_passive(passive);
    s
}

/// A full download that must be byte-exact (the server refuses it if the
/// data connection does not resume the TLS session).
fn full_download(s: &mut Session, tag: &str) {
    let mut got = Vec::new();
    s.retrbinary("RETR full", 0, None, |b| {
        got.extend_from_slice(b);
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{tag}: the download after the interruption: {e}"));
    assert!(
        got == payload(FULL_LEN),
        "{tag}: {} bytes, or different",
        got.len()
    );
}

/// Runs `server` and `client_side` for every variant, `rounds` times: each
/// interruption is followed by a full download, which the server serves
/// only if it resumes the TLS session. Prints the counts.
fn each_variant(
    rounds: usize,
    server: impl Fn(&mut Ctl) + Send + Sync + Copy + 'static,
    client_side: impl Fn(&mut Session, &str),
) {
    for (version, passive) in VARIANTS {
        let tag = format!("{version:?} {}", if passive { "passive" } else { "active" });
        let srv = TlsFtpServer::start(ssl_version(version), move |c| {
            for _ in 0..rounds {
                server(c);
                assert!(c.serve_download(&payload(FULL_LEN)), "not resumed");
            }
            c.until_quit();
        });
        let mut s = client(srv.port(), version, passive);
        for round in 0..rounds {
            let tag = format!("{tag} round {round}");
            client_side(&mut s, &tag);
            full_download(&mut s, &tag);
        }
        s.quit().unwrap();
        let log = srv.finish();
        assert_eq!(log.not_resumed, 0, "{tag}: {log:?}");
        eprintln!(
            "{tag}: {} interruptions, {} protected downloads after them, \
             {} data connections resumed, 0 refused",
            rounds, rounds, log.resumed
        );
    }
}

fn retr(s: &mut Session, got: &mut Vec<u8>) -> ftp::Result<ftp::Reply> {
    s.retrbinary("RETR f", 0, None, |b| {
        got.extend_from_slice(b);
        Ok(())
    })
}

/// 256 KiB, then close_notify and `426`.
#[test]
fn server_426_in_the_middle_of_a_download() {
    each_variant(
        3,
        |c| {
            let mut d = c.open_transfer("150 go (1048576 bytes)");
            d.write_all(&payload(256 * 1024)).unwrap();
            tlsserver::close_tls(d);
            c.reply("426 Connection closed; transfer aborted");
        },
        |s, tag| {
            let mut got = Vec::new();
            match retr(s, &mut got) {
                Err(Error::Temp(r)) if r.code == 426 => {}
                other => panic!("{tag}: {other:?}"),
            }
            assert!(got == payload(256 * 1024), "{tag}: {} bytes", got.len());
        },
    );
}

/// 256 KiB, then a TCP reset and `426`.
#[test]
fn server_resets_a_download() {
    each_variant(
        3,
        |c| {
            let mut d = c.open_transfer("150 go");
            d.write_all(&payload(256 * 1024)).unwrap();
            reset(d);
            c.reply("426 Connection reset; transfer aborted");
        },
        |s, tag| {
            let mut got = Vec::new();
            match retr(s, &mut got) {
                Err(Error::Temp(r)) if r.code == 426 => {}
                other => panic!("{tag}: {other:?}"),
            }
            assert!(got.len() <= 256 * 1024, "{tag}");
        },
    );
}

/// 64 KiB, then silence: the client's data idle timeout (5 s) ends it; the
/// server answers the reset with 426.
#[test]
fn download_stall_ends_in_the_idle_timeout() {
    each_variant(
        1,
        |c| {
            let mut d = c.open_transfer("150 go");
            d.write_all(&payload(64 * 1024)).unwrap();
            drain_until_closed(&mut d);
            discard(d);
            c.reply("426 Connection closed; transfer aborted");
        },
        |s, tag| {
            let mut got = Vec::new();
            match retr(s, &mut got) {
                // The server's 426 explains best; the timeout came first.
                Err(Error::Temp(r)) if r.code == 426 => {}
                other => panic!("{tag}: {other:?}"),
            }
            assert!(got == payload(64 * 1024), "{tag}");
        },
    );
}

/// The server reads 64 KiB of an upload, then resets it and says 426. Three
/// in a row: each upload's TLS 1.3 ticket must have been kept.
#[test]
fn server_resets_an_upload() {
    each_variant(
        3,
        |c| {
            let cmd = c.next_transfer().unwrap();
            assert!(cmd.starts_with("STOR"), "{cmd}");
            c.reply("150 send it");
            let mut d = c.data().expect("resumed");
            let mut first = vec![0u8; 64 * 1024];
            d.read_exact(&mut first).unwrap();
            reset(d);
            c.reply("426 Connection reset; transfer aborted");
        },
        |s, tag| {
            let data = payload(4 << 20);
            let mut rest = &data[..];
            let r = s.storbinary(
                "STOR up",
                65536,
                None,
                |buf| {
                    let n = rest.len().min(buf.len());
                    buf[..n].copy_from_slice(&rest[..n]);
                    rest = &rest[n..];
                    Ok(n)
                },
                |_| Ok(()),
            );
            match r {
                Err(Error::Temp(r)) if r.code == 426 => {}
                other => panic!("{tag}: {other:?}"),
            }
        },
    );
}

/// Uploads stopped by the callback, several in a row, then downloads: an
/// upload's data connection must not lose the TLS 1.3 ticket it brought.
#[test]
fn uploads_stopped_by_the_callback() {
    each_variant(
        4,
        |c| {
            let got = c.serve_upload().expect("resumed");
            assert_eq!(got, payload(128 * 1024));
        },
        |s, tag| {
            let data = payload(128 * 1024);
            let mut sent = 0;
            let r = s.storbinary(
                "STOR up",
                65536,
                None,
                |buf| {
                    if sent == data.len() {
                        return Err(Error::Callback("stop".into()));
                    }
                    let n = buf.len().min(data.len() - sent);
                    buf[..n].copy_from_slice(&data[sent..sent + n]);
                    sent += n;
                    Ok(n)
                },
                |_| Ok(()),
            );
            assert!(matches!(r, Err(Error::Callback(_))), "{tag}: {r:?}");
        },
    );
}

/// Pure-FTPd over TLS: a reset data connection, and no reply at all. The
/// client waits 2 s, then NOOP brings it back in step.
#[test]
fn no_final_reply_after_a_reset_resynchronises() {
    each_variant(
        1,
        |c| {
            let mut d = c.open_transfer("150 go");
            d.write_all(&payload(64 * 1024)).unwrap();
            reset(d);
            // No 426, no 226: the next command must be the resync's NOOP.
            assert_eq!(c.read_cmd().as_deref(), Some("NOOP"));
            c.reply("200 Zzz...");
        },
        |s, tag| {
            let mut got = Vec::new();
            let t0 = Instant::now();
            let r = retr(s, &mut got);
            assert!(
                matches!(r, Err(Error::Io { .. }) | Err(Error::Tls(_))),
                "{tag}: {r:?}"
            );
            eprintln!(
                "{tag}: no final reply: resynchronised after {:?}",
                t0.elapsed()
            );
            assert_eq!(s.last_reply().map(|r| r.code), Some(200), "{tag}");
        },
    );
}

/// Pure-FTPd over TLS: after ABOR, only ABOR's `226` (no reply for the
/// transfer). The client expects two replies, gets one, resynchronises.
#[test]
fn only_abors_reply_after_an_abort_resynchronises() {
    each_variant(
        1,
        |c| {
            let mut d = c.open_transfer("150 go");
            // The client may cut the connection before all is written.
            let _ = d.write_all(&payload(64 * 1024));
            // Under TLS ABOR comes as a plain line in the TLS stream.
            assert_eq!(c.read_cmd().as_deref(), Some("ABOR"));
            drain_until_closed(&mut d);
            discard(d);
            c.reply("226 Since you see this ABOR must've succeeded");
            assert_eq!(c.read_cmd().as_deref(), Some("NOOP"));
            c.reply("200 Zzz...");
        },
        |s, tag| {
            s.voidcmd("TYPE I").unwrap();
            let mut conn = s.transfercmd("RETR f", None).unwrap();
            let mut buf = [0u8; 4096];
            assert!(conn.read(&mut buf).unwrap() > 0, "{tag}");
            let r = s.abort().unwrap_or_else(|e| panic!("{tag}: {e}"));
            assert_eq!(r.code, 226, "{tag}: {r:?}");
            drop(conn);
        },
    );
}

/// Server side of a long download (`len` bytes announced and offered in
/// 64 KiB blocks) that the client cuts early: returns the data connection
/// and how many bytes were written before the writes failed.
fn serve_long_until_cut(c: &mut Ctl, len: usize) -> (SslStream<TcpStream>, usize) {
    let mut d = c.open_transfer(&format!("150 go ({len} bytes)"));
    let block = payload(64 * 1024);
    let mut sent = 0usize;
    while sent < len && d.write_all(&block).is_ok() {
        sent += block.len();
    }
    (d, sent)
}

/// Client side: TYPE I, RETR long through a transfer handle, 1 MiB read.
fn open_long_and_read_1mib(s: &mut Session) -> ftp::DataConn {
    s.voidcmd("TYPE I").unwrap();
    let mut conn = s.transfercmd("RETR long", None).unwrap();
    let mut buf = vec![0u8; 65536];
    let mut got = 0;
    while got < 1 << 20 {
        got += conn.read(&mut buf).unwrap();
    }
    conn
}

/// A handle closed early on a long protected download: the rest is not
/// read (the server is cut off long before the end), the server answers
/// 426, and the next protected download resumes.
#[test]
fn early_close_of_a_protected_download_cuts_it() {
    const LONG: usize = 256 << 20;
    each_variant(
        2,
        |c| {
            let (d, sent) = serve_long_until_cut(c, LONG);
            assert!(
                sent < LONG / 4,
                "the client read {sent} of {LONG} bytes before closing"
            );
            reset(d);
            c.reply("426 Connection closed; transfer aborted");
        },
        |s, tag| {
            let conn = open_long_and_read_1mib(s);
            let t0 = Instant::now();
            conn.close().unwrap();
            eprintln!("{tag}: early close took {:?}", t0.elapsed());
            match s.voidresp() {
                Err(Error::Temp(r)) if r.code == 426 => {}
                other => panic!("{tag}: {other:?}"),
            }
        },
    );
}

/// `abort` while a transfer handle is open on a long download, as vsftpd
/// behaves: the server, blocked writing, does not read ABOR until the data
/// connection breaks. `abort` resets the connection the handle still holds,
/// so the server is cut off long before the end and answers at once (426
/// for the transfer, 226 for ABOR); the handle is closed afterwards.
#[test]
fn abort_cuts_the_data_connection_of_an_open_handle() {
    const LONG: usize = 256 << 20;
    each_variant(
        2,
        |c| {
            let (d, sent) = serve_long_until_cut(c, LONG);
            assert!(sent < LONG / 4, "the server wrote {sent} of {LONG} bytes");
            discard(d);
            assert_eq!(c.read_cmd().as_deref(), Some("ABOR"));
            c.reply("426 Failure writing network stream.");
            c.reply("226 ABOR successful");
        },
        |s, tag| {
            let conn = open_long_and_read_1mib(s);
            let r = s.abort().unwrap_or_else(|e| panic!("{tag}: {e}"));
            assert_eq!(r.code, 226, "{tag}");
            conn.close().unwrap();
        },
    );
}

/// On a clear-text control connection, ABOR during a transfer is RFC 959's
/// sequence: IAC IP as ordinary data, IAC DM with the DM byte as TCP urgent
/// data, then `ABOR\r\n` as ordinary data. Without SO_OOBINLINE the urgent
/// DM is kept out of the stream, which holds the rest. With no transfer, a
/// plain `ABOR\r\n`.
#[test]
fn abor_is_telnet_ip_then_synch_then_abor() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut tcp, _) = listener.accept().unwrap();
        let mut r = std::io::BufReader::new(tcp.try_clone().unwrap());
        let mut line = String::new();
        let mut read_line = |r: &mut std::io::BufReader<std::net::TcpStream>| {
            line.clear();
            std::io::BufRead::read_line(r, &mut line).unwrap();
            line.trim_end().to_string()
        };
        tcp.write_all(b"220 hi\r\n").unwrap();
        assert_eq!(read_line(&mut r), "USER anonymous");
        tcp.write_all(b"230 in\r\n").unwrap();
        assert_eq!(read_line(&mut r), "FEAT");
        tcp.write_all(format!("{LOGIN_FEATURES}\r\n").as_bytes())
            .unwrap();
        assert_eq!(read_line(&mut r), "TYPE I");
        tcp.write_all(b"200 ok\r\n").unwrap();
        assert_eq!(read_line(&mut r), "EPSV");
        let data = TcpListener::bind("127.0.0.1:0").unwrap();
        let dport = data.local_addr().unwrap().port();
        tcp.write_all(format!("229 ok (|||{dport}|)\r\n").as_bytes())
            .unwrap();
        assert_eq!(read_line(&mut r), "RETR f");
        tcp.write_all(b"150 go\r\n").unwrap();
        let (mut d, _) = data.accept().unwrap();
        d.write_all(&[7u8; 1000]).unwrap();
        // The in-band bytes: IAC IP IAC, then ABOR CRLF. The DM between
        // them is not in the stream: it came as the urgent (out-of-band)
        // byte, which only TCP urgent data is.
        let mut inband = [0u8; 9];
        std::io::Read::read_exact(&mut r, &mut inband).unwrap();
        assert_eq!(&inband, b"\xff\xf4\xffABOR\r\n");
        let mut sink = Vec::new();
        let _ = d.read_to_end(&mut sink);
        tcp.write_all(b"426 aborted\r\n225 ABOR ok\r\n").unwrap();
        // No transfer: a plain line.
        assert_eq!(read_line(&mut r), "ABOR");
        tcp.write_all(b"225 nothing to abort\r\n").unwrap();
        assert_eq!(read_line(&mut r), "QUIT");
        tcp.write_all(b"221 bye\r\n").unwrap();
    });
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.connect("127.0.0.1", port).unwrap();
    s.login("", "", "").unwrap();
    s.voidcmd("TYPE I").unwrap();
    let mut conn = s.transfercmd("RETR f", None).unwrap();
    let mut buf = [0u8; 100];
    assert!(conn.read(&mut buf).unwrap() > 0);
    assert_eq!(s.abort().unwrap().code, 225);
    drop(conn);
    assert_eq!(s.abort().unwrap().code, 225);
    s.quit().unwrap();
    server.join().unwrap();
}

/// Point 6: on a TLS session, login ends with PBSZ 0 + PROT P (its result
/// and last reply stay the login's 230), and the first transfer is
/// protected without any prot_p; an explicit prot_p afterwards is harmless.
#[test]
fn login_protects_the_data_connections() {
    let srv = TlsFtpServer::start(SslVersion::TLS1_3, |c| {
        c.expect("PBSZ 0");
        c.reply("200 PBSZ=0");
        c.expect("PROT P");
        c.reply("200 PROT now Private");
        c.answer_login_feat();
        assert!(
            c.serve_download(&payload(FULL_LEN)),
            "not protected/resumed"
        );
        assert!(c.serve_download(&payload(FULL_LEN)));
        c.until_quit();
    });
    let mut s = connected_unverified(srv.port());
    assert!(!s.data_protected());
    let r = s.login("u", "p", "").unwrap();
    assert_eq!(r.code, 230);
    assert_eq!(s.last_reply().map(|r| r.code), Some(230));
    assert!(s.data_protected());
    full_download(&mut s, "first transfer, no prot_p");
    s.prot_p().unwrap();
    full_download(&mut s, "after an explicit prot_p");
    s.quit().unwrap();
    let log = srv.finish();
    let prot: Vec<_> = log
        .commands
        .iter()
        .filter(|c| c.starts_with("PBSZ") || c.starts_with("PROT"))
        .collect();
    assert_eq!(prot, ["PBSZ 0", "PROT P", "PBSZ 0", "PROT P"]);
}

/// prot_c after connect and before login: nothing is sent, login sends no
/// PBSZ/PROT, and data stays clear; prot_c before connect is refused.
#[test]
fn prot_c_before_login_keeps_data_clear() {
    let mut n = Session::new_tls(TlsConfig::default());
    assert!(matches!(n.prot_c(), Err(Error::State(_))));
    let srv = TlsFtpServer::start(SslVersion::TLS1_2, |c| {
        c.answer_login_feat();
        assert_eq!(c.read_cmd().as_deref(), Some("NOOP"));
        c.reply("200 NOOP ok");
        c.until_quit();
    });
    let mut s = connected_unverified(srv.port());
    s.prot_c().unwrap();
    s.login("u", "p", "").unwrap();
    assert!(!s.data_protected());
    s.voidcmd("NOOP").unwrap();
    s.quit().unwrap();
    let log = srv.finish();
    assert!(
        !log.commands
            .iter()
            .any(|c| c.starts_with("PBSZ") || c.starts_with("PROT")),
        "{:?}",
        log.commands
    );
}

/// A server refusing PROT P after a good login: login fails with that
/// refusal (never clear data without asking), and the session is logged
/// in and in step.
#[test]
fn refused_prot_p_fails_the_login() {
    let srv = TlsFtpServer::start(SslVersion::TLS1_3, |c| {
        c.expect("PBSZ 0");
        c.reply("200 PBSZ=0");
        c.expect("PROT P");
        c.reply("536 PROT P not supported");
        assert_eq!(c.read_cmd().as_deref(), Some("NOOP"));
        c.reply("200 NOOP ok");
        c.until_quit();
    });
    let mut s = connected_unverified(srv.port());
    match s.login("u", "p", "") {
        Err(Error::Perm(r)) if r.code == 536 => {}
        other => panic!("{other:?}"),
    }
    assert!(!s.data_protected());
    assert_eq!(s.voidcmd("NOOP").unwrap().code, 200);
    s.quit().unwrap();
    srv.finish();
}
