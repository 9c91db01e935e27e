//! The core against the scripted server: what real servers will not do.

use ftp::{Error, Session};
use ftp_testkit::{Conn, ScriptedServer, LOGIN_FEATURES};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn connect(server: &ScriptedServer) -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.connect("127.0.0.1", server.port()).unwrap();
    s
}

fn logged_in(server: &ScriptedServer) -> Session {
    let mut s = connect(server);
    s.login("user", "pw", "").unwrap();
    s
}

#[test]
fn welcome_and_multiline_replies() {
    let server = ScriptedServer::start(|c| {
        c.reply("220-first\r\n220-second\r\n220 last");
        c.exchange("NOOP", "211-status\r\n 211 inside\r\n211 end");
        c.expect("QUIT");
        c.reply("221 bye");
    });
    let mut s = connect(&server);
    assert_eq!(s.welcome(), Some("220-first\n220-second\n220 last"));
    let r = s.sendcmd("NOOP").unwrap();
    assert_eq!(r.code, 211);
    assert_eq!(r.text, "211-status\n 211 inside\n211 end");
    assert_eq!(s.quit().unwrap().code, 221);
    assert!(!s.is_connected());
    server.finish();
}

#[test]
fn reply_classes_and_cr_lf_refusal() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.exchange("T1", "421 later");
    });
    let mut s = connect(&server);
    assert!(matches!(
        s.sendcmd("NOOP\r\nDELE x"),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(s.sendcmd("A\nB"), Err(Error::InvalidArgument(_))));
    assert!(matches!(s.sendcmd("A\0B"), Err(Error::InvalidArgument(_))));
    // 421 is a temporary error and the server is gone: the session is closed.
    assert!(matches!(s.sendcmd("T1"), Err(Error::Temp(r)) if r.code == 421));
    assert!(matches!(s.sendcmd("NOOP"), Err(Error::State(_))));
    let seen = server.finish();
    assert_eq!(seen, vec!["T1"], "nothing with CR/LF may reach the server");
}

#[test]
fn error_classes() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.exchange("E4", "450 busy");
        c.exchange("E5", "550 no");
        c.exchange("E9", "999 odd");
        c.exchange("V1", "199 prelim");
        c.exchange("V3", "300 more");
        c.exchange("OK", "200 fine");
        c.drain("200 ok");
    });
    let mut s = connect(&server);
    assert!(matches!(s.sendcmd("E4"), Err(Error::Temp(r)) if r.code == 450));
    assert!(matches!(s.sendcmd("E5"), Err(Error::Perm(r)) if r.text == "550 no"));
    assert!(matches!(s.sendcmd("E9"), Err(Error::Proto(_))));
    assert_eq!(s.last_reply().unwrap().code, 999);
    assert!(matches!(s.voidcmd("V1"), Err(Error::Reply(r)) if r.code == 199));
    assert!(matches!(s.voidcmd("V3"), Err(Error::Reply(r)) if r.code == 300));
    assert_eq!(s.voidcmd("OK").unwrap().code, 200);
    s.close();
    server.finish();
}

#[test]
fn login_flow_with_account_and_anonymous_default() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.exchange("USER anonymous", "331 pw");
        c.exchange("PASS anonymous@", "332 acct");
        c.exchange("ACCT ", "230 in");
        // Logged in: the UTF-8 session asks FEAT (once per connection).
        c.exchange("FEAT", LOGIN_FEATURES);
        c.exchange("USER bob", "331 pw");
        c.exchange("PASS pw", "200 odd");
        // Logged in again: FEAT is not asked twice on a connection, and
        // it advertised no UTF8, so nothing follows.
        c.exchange("USER eve", "331 pw");
        c.exchange("PASS -", "330 odd");
        c.exchange("ACCT x", "331 still");
    });
    let mut s = connect(&server);
    assert_eq!(s.login("", "", "").unwrap().code, 230);
    assert_eq!(s.login("bob", "pw", "").unwrap().code, 200);
    assert!(matches!(s.login("eve", "-", "x"), Err(Error::Reply(r)) if r.code == 331));
    s.close();
    server.finish();
}

#[test]
fn password_is_masked_in_debug_output() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
    });
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    let mut s = Session::new();
    s.set_debug_level(2);
    s.set_debug_sink(Some(Box::new(move |l: &str| {
        sink.lock().unwrap().push(l.to_string())
    })));
    s.connect("127.0.0.1", server.port()).unwrap();
    s.login("bob", "hunter2", "").unwrap();
    let lines = lines.lock().unwrap();
    assert!(lines.iter().all(|l| !l.contains("hunter2")), "{lines:?}");
    assert!(
        lines.contains(&"*cmd* 'PASS *******'".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"*put* 'PASS *******\\r\\n'".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"*get* '230 logged in'".to_string()),
        "{lines:?}"
    );
    assert!(lines.contains(&"*welcome* '220 scripted server ready'".to_string()));
    server.finish();
}

#[test]
fn simple_commands_follow_ftplib() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("RNFR a", "200 odd");
        c.exchange("RNFR a", "350 ok");
        c.exchange("RNTO b", "250 done");
        c.exchange("DELE x", "199 odd");
        c.exchange("DELE x", "200 ok");
        c.exchange("CDUP", "500 unknown");
        c.exchange("CWD ..", "250 ok");
        c.exchange("CWD .", "250 ok");
        c.exchange("MKD d", "257 \"/d\"\"q\" created");
        c.exchange("MKD e", "250 made but no path");
        c.exchange("PWD", "257 \"/pwd ok\"");
        c.exchange("SIZE f", "213 1000");
        c.exchange("SIZE g", "250 1000");
        c.exchange("SIZE h", "213 lots");
        c.exchange("RMD d", "250 ok");
    });
    let mut s = logged_in(&server);
    assert!(matches!(s.rename("a", "b"), Err(Error::Reply(r)) if r.code == 200));
    assert_eq!(s.rename("a", "b").unwrap().code, 250);
    assert!(matches!(s.delete("x"), Err(Error::Reply(_))));
    s.delete("x").unwrap();
    s.cwd("..").unwrap();
    s.cwd("").unwrap();
    assert_eq!(s.mkd("d").unwrap(), "/d\"q");
    assert_eq!(s.mkd("e").unwrap(), "");
    assert_eq!(s.pwd().unwrap(), "/pwd ok");
    assert_eq!(s.size("f").unwrap(), Some(1000));
    assert_eq!(s.size("g").unwrap(), None);
    assert!(matches!(s.size("h"), Err(Error::Proto(_))));
    s.rmd("d").unwrap();
    assert!(matches!(
        s.rename("a\r\n", "b"),
        Err(Error::InvalidArgument(_))
    ));
    server.finish();
}

/// Serves one RETR over EPSV with `data`, optionally after REST.
fn serve_retr(c: &mut Conn, data: &[u8], type_first: bool) {
    if type_first {
        c.exchange("TYPE I", "200 binary");
    }
    c.answer_epsv();
    let cmd = c.read_cmd().unwrap();
    let (offset, _) = if let Some(n) = cmd.strip_prefix("REST ") {
        let n: usize = n.parse().unwrap();
        c.reply("350 restarting");
        (n, c.expect("RETR"))
    } else {
        assert!(cmd.starts_with("RETR"), "{cmd}");
        (0, cmd)
    };
    c.reply(&format!(
        "150 Opening BINARY mode ({} bytes)",
        data.len() - offset
    ));
    let mut d = c.accept_data();
    d.write_all(&data[offset..]).unwrap();
    drop(d);
    c.reply("226 done");
}

#[test]
fn retrbinary_with_rest_and_type_cache() {
    let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let served = data.clone();
    let server = ScriptedServer::start(move |c| {
        c.greet_and_login();
        serve_retr(c, &served, true);
        serve_retr(c, &served, false);
        serve_retr(c, &served, false);
    });
    let mut s = logged_in(&server);
    for rest in [None, Some(10u64), Some(20)] {
        let mut got = Vec::new();
        s.retrbinary("RETR f", 1000, rest, |b| {
            got.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
        assert_eq!(got, data[rest.unwrap_or(0) as usize..]);
    }
    let seen = server.finish();
    assert_eq!(seen.iter().filter(|c| c.starts_with("TYPE")).count(), 1);
}

#[test]
fn epsv_refused_falls_back_to_pasv_and_is_remembered() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE A", "200 ok");
        c.exchange("EPSV", "500 what");
        for _ in 0..2 {
            c.expect("PASV");
            let port = c.open_passive();
            // A spoofed address: the client must use the control peer instead.
            c.reply(&format!(
                "227 Entering Passive Mode (10,255,255,1,{},{})",
                port >> 8,
                port & 255
            ));
            c.expect("NLST");
            c.reply("150 here");
            let mut d = c.accept_data();
            d.write_all(b"a\r\nb\n").unwrap();
            drop(d);
            c.reply("226 done");
        }
    });
    let mut s = logged_in(&server);
    for _ in 0..2 {
        let mut names = Vec::new();
        s.nlst(None, |l| {
            names.push(String::from_utf8(l.to_vec()).unwrap());
            Ok(())
        })
        .unwrap();
        assert_eq!(names, ["a", "b"]);
    }
    let seen = server.finish();
    assert_eq!(seen.iter().filter(|c| *c == "EPSV").count(), 1, "{seen:?}");
}

#[test]
fn trusted_pasv_address_is_used_when_asked() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("EPSV", "502 no");
        c.expect("PASV");
        c.reply("227 Entering Passive Mode (127,0,0,2,0,1)");
        c.drain("200 ok");
    });
    let mut s = logged_in(&server);
    s.set_trust_server_pasv_ipv4_address(true);
    // 127.0.0.2:1 has no listener: the connect fails there, proving the address was used.
    let err = s.transfercmd("RETR x", None).unwrap_err();
    assert!(err.to_string().contains("127.0.0.2:1"), "{err}");
    s.close();
    server.finish();
}

#[test]
fn bad_pasv_and_epsv_replies_are_protocol_errors() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("EPSV", "229 (|||0|)");
        c.exchange("EPSV", "229 (|||70000|)");
        c.exchange("EPSV", "500 no");
        c.exchange("PASV", "227 (300,1,1,1,1,1)");
        c.exchange("PASV", "227 (127,0,0,1,0,0)");
        c.drain("200 ok");
    });
    let mut s = logged_in(&server);
    for _ in 0..4 {
        assert!(matches!(
            s.transfercmd("RETR x", None),
            Err(Error::Proto(_))
        ));
    }
    s.close();
    server.finish();
}

#[test]
fn data_cut_with_426_is_temp_error_and_session_continues() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 ok");
        c.answer_epsv();
        c.expect("RETR");
        c.reply("150 go (1000000 bytes)");
        let mut d = c.accept_data();
        d.write_all(&[1u8; 1000]).unwrap();
        drop(d);
        c.reply("426 connection closed; transfer aborted");
        c.exchange("NOOP", "200 still here");
    });
    let mut s = logged_in(&server);
    let r = s.retrbinary("RETR big", 0, None, |_| Ok(()));
    assert!(
        matches!(r, Err(Error::Temp(ref rep)) if rep.code == 426),
        "{r:?}"
    );
    assert_eq!(s.sendcmd("NOOP").unwrap().code, 200);
    server.finish();
}

#[test]
fn short_transfer_with_226_is_not_a_success() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 ok");
        c.answer_epsv();
        c.expect("RETR");
        c.reply("150 go (2147483648 bytes)");
        let mut d = c.accept_data();
        d.write_all(b"0123456789").unwrap();
        drop(d);
        c.reply("226 done");
        c.exchange("NOOP", "200 ok");
    });
    let mut s = logged_in(&server);
    let r = s.retrbinary("RETR big", 0, None, |_| Ok(()));
    assert!(
        matches!(r, Err(Error::Proto(ref m)) if m.contains("2147483648")),
        "{r:?}"
    );
    assert_eq!(s.sendcmd("NOOP").unwrap().code, 200);
    server.finish();
}

#[test]
fn control_drop_during_transfer_is_eof() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 ok");
        c.answer_epsv();
        c.expect("RETR");
        c.reply("150 go");
        let mut d = c.accept_data();
        d.write_all(b"partial").unwrap();
        drop(d);
        // No final reply: the control connection is dropped.
    });
    let mut s = logged_in(&server);
    let r = s.retrbinary("RETR f", 0, None, |_| Ok(()));
    server.finish();
    assert!(matches!(r, Err(Error::Eof(_))), "{r:?}");
    assert!(matches!(s.sendcmd("NOOP"), Err(Error::State(_))));
}

#[test]
fn callback_stop_consumes_the_final_reply() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 ok");
        c.answer_epsv();
        c.expect("RETR");
        c.reply("150 go");
        let mut d = c.accept_data();
        // The client resets the connection after the first block.
        let mut sent = 0;
        while sent < 10_000_000 && d.write_all(&[0u8; 65536]).is_ok() {
            sent += 65536;
        }
        c.reply("426 aborted");
        c.exchange("NOOP", "200 in step");
    });
    let mut s = logged_in(&server);
    let mut calls = 0;
    let r = s.retrbinary("RETR f", 0, None, |_| {
        calls += 1;
        Err(Error::Callback("stop".into()))
    });
    assert!(matches!(r, Err(Error::Callback(_))), "{r:?}");
    assert_eq!(calls, 1);
    assert_eq!(s.sendcmd("NOOP").unwrap().text, "200 in step");
    server.finish();
}

#[test]
fn abort_reads_both_replies() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.answer_epsv();
        c.expect("RETR");
        c.reply("150 go");
        let _d = c.accept_data();
        c.expect("ABOR");
        c.reply("426 transfer aborted");
        c.reply("226 ABOR ok");
        c.exchange("NOOP", "200 in step");
        c.exchange("ABOR", "225 nothing to abort");
    });
    let mut s = logged_in(&server);
    let conn = s.transfercmd("RETR f", None).unwrap();
    assert!(matches!(s.pwd(), Err(Error::State(_))));
    assert_eq!(s.abort().unwrap().code, 226);
    drop(conn);
    assert_eq!(s.sendcmd("NOOP").unwrap().text, "200 in step");
    assert_eq!(s.abort().unwrap().code, 225);
    server.finish();
}

#[test]
fn transfercmd_then_voidresp() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.answer_epsv();
        c.expect("REST 5");
        c.reply("350 ok");
        c.expect("STOR up");
        c.reply("150 send it");
        let d = c.accept_data();
        let got = Conn::read_all(d);
        assert_eq!(got, b"uploaded bytes");
        c.reply("226 stored");
    });
    let mut s = logged_in(&server);
    let (mut conn, size) = s.ntransfercmd("STOR up", Some(5)).unwrap();
    assert_eq!(size, None);
    conn.write_all(b"uploaded bytes").unwrap();
    conn.finish().unwrap();
    assert_eq!(s.voidresp().unwrap().code, 226);
    server.finish();
}

#[test]
fn storlines_converts_line_ends() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE A", "200 ascii");
        c.answer_epsv();
        c.exchange("STOR t", "150 go");
        let got = Conn::read_all(c.accept_data());
        assert_eq!(got, b"a\r\nb\r\nc\rd\r\n\r\ne\r\n");
        c.reply("226 ok");
    });
    let mut s = logged_in(&server);
    let mut input: &[u8] = b"a\nb\r\nc\rd\n\ne\r";
    let mut sent = Vec::new();
    s.storlines(
        "STOR t",
        |buf| {
            let n = input.len().min(3).min(buf.len());
            buf[..n].copy_from_slice(&input[..n]);
            input = &input[n..];
            Ok(n)
        },
        |line| {
            sent.push(line.to_vec());
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(sent.len(), 5);
    assert_eq!(sent[0], b"a\r\n");
    server.finish();
}

#[test]
fn retrlines_splits_all_terminators_and_refuses_long_lines() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE A", "200 ascii");
        c.answer_epsv();
        c.exchange("LIST", "150 here");
        c.accept_data()
            .write_all(b"one\r\ntwo\nthree\r\r\nlast")
            .unwrap();
        c.reply("226 ok");
        c.answer_epsv();
        c.exchange("LIST", "150 here");
        let mut d = c.accept_data();
        let _ = d.write_all(&vec![b'x'; 20000]);
        drop(d);
        c.reply("226 ok");
        c.exchange("NOOP", "200 ok");
    });
    let mut s = logged_in(&server);
    let mut lines = Vec::new();
    s.dir(None, |l| {
        lines.push(l.to_vec());
        Ok(())
    })
    .unwrap();
    assert_eq!(lines, [&b"one"[..], b"two", b"three", b"", b"last"]);
    assert!(matches!(s.dir(None, |_| Ok(())), Err(Error::Proto(_))));
    assert_eq!(s.sendcmd("NOOP").unwrap().code, 200);
    server.finish();
}

#[test]
fn mlsd_facts_and_names() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("OPTS MLST type;size;", "200 ok");
        c.exchange("TYPE A", "200 ok");
        c.answer_epsv();
        c.exchange("MLSD /d", "150 here");
        c.accept_data()
            .write_all(b"Type=file;Size=12;x=a=b; a b;c.txt\r\ntype=dir; caf\xc3\xa9\r\n")
            .unwrap();
        c.reply("226 ok");
    });
    let mut s = logged_in(&server);
    let mut got = Vec::new();
    s.mlsd(Some("/d"), &["type", "size"], |e| {
        got.push((
            e.name.to_vec(),
            e.fact("type").map(<[u8]>::to_vec),
            e.fact("x").map(<[u8]>::to_vec),
        ));
        Ok(())
    })
    .unwrap();
    assert_eq!(
        got[0],
        (
            b"a b;c.txt".to_vec(),
            Some(b"file".to_vec()),
            Some(b"a=b".to_vec())
        )
    );
    assert_eq!(got[1].0, "café".as_bytes());
    server.finish();
}

#[test]
fn latin1_session_transcodes_lines_and_encodes_commands() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE A", "200 ok");
        c.answer_epsv();
        let cmd = c.expect("NLST");
        assert_eq!(c.received.last().unwrap().as_bytes(), cmd.as_bytes());
        c.reply("150 here");
        c.accept_data().write_all(b"caf\xe9\r\n").unwrap();
        c.reply("226 ok");
    });
    let mut s = logged_in(&server);
    s.set_encoding(ftp::Encoding::Latin1);
    let mut names = Vec::new();
    s.nlst(None, |l| {
        names.push(l.to_vec());
        Ok(())
    })
    .unwrap();
    assert_eq!(names, ["café".as_bytes()]);
    assert!(matches!(s.delete("€"), Err(Error::Encoding(_))));
    server.finish();
}

#[test]
fn huge_line_and_endless_reply_are_bounded() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.expect("NOOP");
        c.send_raw(b"200 ");
        c.send_raw(&vec![b'x'; 16 * 1024]);
        c.send_raw(b"\r\n");
    });
    let mut s = connect(&server);
    assert!(matches!(s.sendcmd("NOOP"), Err(Error::Proto(_))));
    assert!(matches!(s.sendcmd("NOOP"), Err(Error::State(_))));
    server.finish();

    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.expect("NOOP");
        c.send_raw(b"200-start\r\n");
        let line = [b'y'; 1000];
        for _ in 0..2000 {
            c.send_raw(&line);
            c.send_raw(b"\r\n");
        }
    });
    let mut s = connect(&server);
    let r = s.sendcmd("NOOP");
    assert!(
        matches!(r, Err(Error::Proto(ref m)) if m.contains("longer than")),
        "{r:?}"
    );
    server.finish();
}

#[test]
fn reply_split_byte_by_byte_and_lone_cr() {
    let server = ScriptedServer::start(|c| {
        c.send_trickle(b"220-a\r220 b\r", Duration::from_millis(1));
        c.expect("NOOP");
        c.send_trickle(b"200 slow but fine\r\n", Duration::from_millis(2));
    });
    let mut s = connect(&server);
    assert_eq!(s.welcome(), Some("220-a\n220 b"));
    assert_eq!(s.sendcmd("NOOP").unwrap().text, "200 slow but fine");
    server.finish();
}

#[test]
fn stalled_server_times_out() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.expect("NOOP");
        std::thread::sleep(Duration::from_millis(1500));
    });
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_millis(300))).unwrap();
    s.connect("127.0.0.1", server.port()).unwrap();
    assert!(matches!(s.sendcmd("NOOP"), Err(Error::Timeout(_))));
    assert!(matches!(s.sendcmd("NOOP"), Err(Error::State(_))));
    server.finish();
}

#[test]
fn drops_give_eof() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.expect("NOOP");
        c.send_raw(b"200 cut in the mid");
    });
    let mut s = connect(&server);
    assert!(matches!(s.sendcmd("NOOP"), Err(Error::Eof(_))));
    server.finish();
}

#[test]
fn quit_with_550_is_perm_and_closes() {
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.exchange("QUIT", "550 not now");
    });
    let mut s = connect(&server);
    assert!(matches!(s.quit(), Err(Error::Perm(_))));
    assert!(!s.is_connected());
    server.finish();
}

#[test]
fn active_mode_uses_port_and_accepts() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 ok");
        let port_cmd = c.expect("PORT ");
        c.reply("200 port ok");
        let nums: Vec<u16> = port_cmd[5..]
            .split(',')
            .map(|n| n.parse().unwrap())
            .collect();
        assert_eq!(&nums[..4], &[127, 0, 0, 1]);
        let port = nums[4] * 256 + nums[5];
        c.expect("RETR");
        c.reply("150 opening");
        let mut d = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        d.write_all(b"active data").unwrap();
        drop(d);
        c.reply("226 done");
    });
    let mut s = logged_in(&server);
    s.set_passive(false);
    let mut got = Vec::new();
    s.retrbinary("RETR f", 0, None, |b| {
        got.extend_from_slice(b);
        Ok(())
    })
    .unwrap();
    assert_eq!(got, b"active data");
    server.finish();
}

#[test]
fn ipv6_uses_epsv_and_eprt() {
    let server = ScriptedServer::start_on("[::1]:0", |c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 ok");
        c.expect("EPSV");
        let l = std::net::TcpListener::bind("[::1]:0").unwrap();
        let port = l.local_addr().unwrap().port();
        c.reply(&format!("229 (|||{port}|)"));
        c.exchange("RETR", "150 go");
        l.accept().unwrap().0.write_all(b"v6 passive").unwrap();
        c.reply("226 ok");
        let eprt = c.expect("EPRT |2|::1|");
        c.reply("200 ok");
        let port: u16 = eprt
            .trim_end_matches('|')
            .rsplit('|')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        c.exchange("RETR", "150 go");
        let mut d = std::net::TcpStream::connect(("::1", port)).unwrap();
        d.write_all(b"v6 active").unwrap();
        drop(d);
        c.reply("226 ok");
    });
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.connect("::1", server.port()).unwrap();
    s.login("u", "p", "").unwrap();
    for (passive, want) in [(true, &b"v6 passive"[..]), (false, b"v6 active")] {
        s.set_passive(passive);
        let mut got = Vec::new();
        s.retrbinary("RETR f", 0, None, |b| {
            got.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
        assert_eq!(got, want);
    }
    server.finish();
}

#[test]
fn active_mode_ignores_data_connections_from_other_hosts() {
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 ok");
        let port_cmd = c.expect("PORT ");
        c.reply("200 port ok");
        let nums: Vec<u16> = port_cmd[5..]
            .split(',')
            .map(|n| n.parse().unwrap())
            .collect();
        let port = nums[4] * 256 + nums[5];
        c.expect("RETR");
        // An outsider (another loopback address) connects first with forged data.
        let outsider =
            socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        outsider
            .bind(
                &"127.0.0.2:0"
                    .parse::<std::net::SocketAddr>()
                    .unwrap()
                    .into(),
            )
            .unwrap();
        outsider
            .connect(&std::net::SocketAddr::from(([127, 0, 0, 1], port)).into())
            .unwrap();
        let mut outsider: std::net::TcpStream = outsider.into();
        let _ = outsider.write_all(b"FORGED");
        std::thread::sleep(Duration::from_millis(100));
        c.reply("150 opening");
        let mut d = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        d.write_all(b"genuine").unwrap();
        drop(d);
        c.reply("226 done");
    });
    let mut s = logged_in(&server);
    s.set_passive(false);
    let mut got = Vec::new();
    s.retrbinary("RETR f", 0, None, |b| {
        got.extend_from_slice(b);
        Ok(())
    })
    .unwrap();
    assert_eq!(got, b"genuine");
    server.finish();
}
