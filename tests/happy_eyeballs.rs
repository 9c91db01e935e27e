//! Happy Eyeballs for the control connection, with the resolver hook:
//! a name whose IPv6 address never answers (a listener whose backlog is
//! full, so its SYNs are dropped) and whose IPv4 address works.

use ftp::connect::Resolver;
use ftp::{Error, Session};
use ftp_testkit::ScriptedServer;
use socket2::{Domain, Socket, Type};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// An address whose connects hang: a listener with a backlog of 0, its
/// one queue place taken by a connection nobody accepts. Keep both alive.
fn black_hole(ip: &str) -> (Socket, TcpStream, SocketAddr) {
    let addr: SocketAddr = format!("{ip}:0").parse().unwrap();
    let l = Socket::new(Domain::for_address(addr), Type::STREAM, None).unwrap();
    l.bind(&addr.into()).unwrap();
    l.listen(0).unwrap();
    let addr = l.local_addr().unwrap().as_socket().unwrap();
    let filler = TcpStream::connect(addr).unwrap();
    // The hole is real: a further connect is still pending after 300 ms.
    let probe = Socket::new(Domain::for_address(addr), Type::STREAM, None).unwrap();
    probe.set_nonblocking(true).unwrap();
    let _ = probe.connect(&addr.into());
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        probe.peer_addr().is_err(),
        "the black hole accepted a connection"
    );
    (l, filler, addr)
}

/// "dual.test" has `addrs`; other names (the source address) resolve as usual.
fn hook(addrs: Vec<SocketAddr>) -> Resolver {
    Resolver::new(move |host, port| match host {
        "dual.test" => Ok(addrs.clone()),
        _ => std::net::ToSocketAddrs::to_socket_addrs(&(host, port)).map(Iterator::collect),
    })
}

fn debug_lines(s: &mut Session) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    s.set_debug_level(1);
    s.set_debug_sink(Some(Box::new(move |l: &str| {
        sink.lock().unwrap().push(l.to_string())
    })));
    lines
}

#[test]
fn ipv4_wins_while_the_ipv6_attempt_is_still_pending() {
    let (_l, _f, hole) = black_hole("[::1]");
    let server = ScriptedServer::start(|c| {
        c.reply("220 v4 here");
        c.drain("200 ok");
    });
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(10))).unwrap();
    // Given IPv4 first: the IPv6 address is still tried first.
    let v4 = server.addr();
    s.set_resolver(Some(hook(vec![v4, hole])));
    let lines = debug_lines(&mut s);
    let welcome = s.connect("dual.test", server.port()).unwrap();
    assert_eq!(welcome.text, "220 v4 here");
    s.close();
    server.finish();
    let lines = lines.lock().unwrap();
    assert_eq!(
        lines[..3],
        [
            format!("*connect* trying {hole}"),
            format!("*connect* trying {v4}"),
            format!("*connect* connected to {v4}"),
        ],
        "the IPv6 attempt never failed: it was pending when IPv4 started and won"
    );
}

#[test]
fn a_refused_address_makes_way_for_the_next_at_once() {
    let closed = std::net::TcpListener::bind("[::1]:0").unwrap();
    let refused = closed.local_addr().unwrap();
    drop(closed);
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.drain("200 ok");
    });
    let mut s = Session::new();
    let v4 = server.addr();
    s.set_resolver(Some(hook(vec![refused, v4])));
    let lines = debug_lines(&mut s);
    s.connect("dual.test", 21).unwrap();
    s.close();
    server.finish();
    let lines = lines.lock().unwrap();
    assert!(
        lines[1].starts_with(&format!("*connect* {refused} failed:")),
        "{lines:?}"
    );
    assert_eq!(lines[3], format!("*connect* connected to {v4}"));
}

#[test]
fn every_address_refused_names_the_last() {
    let a = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let b = std::net::TcpListener::bind("[::1]:0").unwrap();
    let (aa, ba) = (a.local_addr().unwrap(), b.local_addr().unwrap());
    drop((a, b));
    let mut s = Session::new();
    s.set_resolver(Some(hook(vec![aa, ba])));
    let e = s.connect("dual.test", 21).unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, Error::Io { .. }), "{e:?}");
    assert!(
        text.contains(&aa.to_string()) && text.contains("dual.test"),
        "{text}"
    );
}

#[test]
fn the_connect_timeout_bounds_the_race_and_a_cancel_stops_it() {
    let (_l, _f, hole) = black_hole("127.0.0.1");
    let (_l6, _f6, hole6) = black_hole("[::1]");
    let mut s = Session::new();
    s.set_timeout(Some(Duration::from_secs(60))).unwrap();
    s.set_connect_timeout(Some(Duration::from_millis(400)));
    s.set_resolver(Some(hook(vec![hole, hole6])));
    let e = s.connect("dual.test", 21).unwrap_err();
    assert!(matches!(e, Error::Timeout(_)), "{e:?}");
    s.cancel_token().cancel();
    let e = s.connect("dual.test", 21).unwrap_err();
    assert!(matches!(e, Error::Cancelled(_)), "{e:?}");
    assert!(!s.is_connected());
}

#[test]
fn a_fixed_source_port_allows_one_attempt_at_a_time() {
    let (_l, _f, hole) = black_hole("127.0.0.1");
    let server = ScriptedServer::start(|c| {
        c.reply("220 hi");
        c.drain("200 ok");
    });
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let mut s = Session::new();
    s.set_connect_timeout(Some(Duration::from_millis(600)));
    s.set_resolver(Some(hook(vec![hole, server.addr()])));
    // The hole holds the source port: the server's address is never tried.
    s.set_source_address(Some(("127.0.0.1".into(), port)))
        .unwrap();
    let lines = debug_lines(&mut s);
    let e = s.connect("dual.test", 21).unwrap_err();
    assert!(matches!(e, Error::Timeout(_)), "{e:?}");
    assert_eq!(*lines.lock().unwrap(), [format!("*connect* trying {hole}")]);
    // With any source port the attempts overlap and the server wins.
    s.set_source_address(Some(("127.0.0.1".into(), 0))).unwrap();
    s.connect("dual.test", 21).unwrap();
    s.close();
    server.finish();
}
