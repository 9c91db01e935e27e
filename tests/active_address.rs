//! Active mode behind NAT: the announced address and the local port
//! range, against the scripted server (which connects to where the client
//! really listens, as a NAT would translate).

use ftp::{Error, Session};
use ftp_testkit::ScriptedServer;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

/// The address and port of a PORT command.
fn parse_port(cmd: &str) -> (String, u16) {
    let n: Vec<u16> = cmd[5..].split(',').map(|x| x.parse().unwrap()).collect();
    (
        format!("{}.{}.{}.{}", n[0], n[1], n[2], n[3]),
        n[4] * 256 + n[5],
    )
}

/// `count` consecutive free ports on 127.0.0.1.
fn free_range(count: u16) -> u16 {
    for _ in 0..50 {
        let first = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if first > 65535 - count {
            continue;
        }
        let all: Vec<_> = (first..first + count)
            .map(|p| TcpListener::bind(("127.0.0.1", p)))
            .collect();
        if all.iter().all(Result::is_ok) {
            return first;
        }
    }
    panic!("no range of {count} free ports");
}

fn logged_in(server: &ScriptedServer) -> Session {
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_passive(false);
    s.connect("127.0.0.1", server.port()).unwrap();
    s.login("u", "p", "").unwrap();
    s
}

#[test]
fn the_announced_address_and_a_port_of_the_range_are_used() {
    let first = free_range(3);
    let server = ScriptedServer::start(move |c| {
        c.greet_and_login();
        c.exchange("TYPE", "200 ok");
        for i in 0..2 {
            let port_cmd = c.exchange("PORT", "200 ok");
            let (ip, port) = parse_port(&port_cmd);
            assert_eq!(ip, "10.9.8.7");
            assert!((first..first + 3).contains(&port), "{port}");
            c.exchange("RETR", "150 here");
            let mut data = TcpStream::connect(("127.0.0.1", port)).unwrap();
            data.write_all(format!("file {i}").as_bytes()).unwrap();
            drop(data);
            c.reply("226 done");
        }
        c.drain("200 ok");
    });
    let mut s = logged_in(&server);
    s.set_active_address(Some("10.9.8.7"), Some((first, first + 2)))
        .unwrap();
    for i in 0..2 {
        let mut got = Vec::new();
        s.retrbinary("RETR f", 0, None, |b| {
            got.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
        assert_eq!(got, format!("file {i}").as_bytes());
    }
    s.close();
    server.finish();
}

#[test]
fn an_exhausted_range_fails_before_port_and_the_session_goes_on() {
    let first = free_range(2);
    let _taken: Vec<_> = (first..first + 2)
        .map(|p| TcpListener::bind(("127.0.0.1", p)).unwrap())
        .collect();
    let server = ScriptedServer::start(|c| {
        c.greet_and_login();
        c.exchange("TYPE I", "200 binary");
        c.exchange("NOOP", "200 still in step");
        c.drain("200 ok");
    });
    let mut s = logged_in(&server);
    s.set_active_address(None, Some((first, first + 1)))
        .unwrap();
    let e = s.retrbinary("RETR f", 0, None, |_| Ok(())).unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, Error::Io { .. }), "{e:?}");
    assert!(
        text.contains(&format!("every port of {first}-{}", first + 1)),
        "{text}"
    );
    assert_eq!(s.voidcmd("NOOP").unwrap().text, "200 still in step");
    s.close();
    let seen = server.finish();
    assert_eq!(seen, ["USER u", "PASS p", "FEAT", "TYPE I", "NOOP"]);
}

#[test]
fn bad_settings_are_refused() {
    let mut s = Session::new();
    for ports in [(0, 10), (10, 9)] {
        let e = s.set_active_address(None, Some(ports)).unwrap_err();
        assert!(e.to_string().contains("bad active port range"), "{e}");
    }
    assert!(matches!(
        s.set_active_address(Some(""), None),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        s.set_active_address(Some("a\r\nb"), None),
        Err(Error::InvalidArgument(_))
    ));
    s.set_active_address(Some("192.0.2.1"), Some((5000, 5000)))
        .unwrap();
}
