//! A TCP relay between the client and a real server that breaks data
//! connections on demand (`mod faultrelay;`): what real servers will not do
//! when asked, with the real server's own rules on the other side.
//!
//! It listens on 127.0.0.2: one port for the control connection (relayed
//! untouched, so TLS passes through), and every port of the server's
//! passive range, since the client connects its data connections to the
//! control connection's peer (127.0.0.2) at the port of the 229 reply,
//! which TLS hides from the relay. The server sees all connections come
//! from 127.0.0.1, as usual.
#![allow(dead_code)]

use socket2::SockRef;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::ops::RangeInclusive;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The address the relay listens on.
pub const RELAY_IP: &str = "127.0.0.2";

/// What happens to the next data connections (server to client).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Relayed untouched.
    Pass,
    /// After `after` bytes, nothing more is relayed and the connection
    /// stays open until the client gives up; then the server's side is
    /// reset.
    Stall { after: usize },
    /// After `after` bytes, both sides are reset (TCP RST): the client's
    /// read fails, the server's write fails (vsftpd: 426).
    Reset { after: usize },
    /// After `after` bytes, the server's side is reset (its write fails:
    /// 426) and the client's side is closed in order: the client sees the
    /// data end early, then the server's 426.
    CutServerSide { after: usize },
}

/// A running relay; stops with the test process.
pub struct Relay {
    /// The control port on [`RELAY_IP`].
    pub port: u16,
    fault: Arc<Mutex<Fault>>,
    /// A fault for the next data connection only (see [`Relay::set_next`]).
    next: Arc<Mutex<Option<Fault>>>,
}

fn reset(s: &TcpStream) {
    let _ = SockRef::from(s).set_linger(Some(Duration::ZERO));
    let _ = s.shutdown(Shutdown::Both);
}

/// Copies `from` to `to` until the end, then half-closes `to`.
fn pipe(mut from: TcpStream, mut to: TcpStream) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

/// Server to client under `fault`; `client_gone` is set by the other
/// direction when the client closes.
fn pipe_with_fault(
    mut server: TcpStream,
    mut client: TcpStream,
    fault: Fault,
    client_gone: Arc<AtomicBool>,
) {
    let limit = match fault {
        Fault::Pass => usize::MAX,
        Fault::Stall { after } | Fault::Reset { after } | Fault::CutServerSide { after } => after,
    };
    let mut buf = vec![0u8; 64 * 1024];
    let mut sent = 0usize;
    while sent < limit {
        let want = buf.len().min(limit - sent);
        match server.read(&mut buf[..want]) {
            Ok(0) | Err(_) => {
                let _ = client.shutdown(Shutdown::Write);
                return;
            }
            Ok(n) => {
                if client.write_all(&buf[..n]).is_err() {
                    reset(&server);
                    return;
                }
                sent += n;
            }
        }
    }
    match fault {
        Fault::Pass => {}
        Fault::Stall { .. } => {
            while !client_gone.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(5));
            }
            reset(&server);
        }
        Fault::Reset { .. } => {
            reset(&client);
            reset(&server);
        }
        Fault::CutServerSide { .. } => {
            reset(&server);
            let _ = client.shutdown(Shutdown::Write);
        }
    }
}

fn relay_data(client: TcpStream, upstream: SocketAddr, fault: Fault) {
    let Ok(server) = TcpStream::connect(upstream) else {
        reset(&client);
        return;
    };
    let gone = Arc::new(AtomicBool::new(false));
    let (c2, s2, g2) = (
        client.try_clone().unwrap(),
        server.try_clone().unwrap(),
        gone.clone(),
    );
    std::thread::spawn(move || {
        pipe(c2, s2);
        g2.store(true, Ordering::SeqCst);
    });
    std::thread::spawn(move || pipe_with_fault(server, client, fault, gone));
}

impl Relay {
    /// Relays 127.0.0.2:port to `control` and 127.0.0.2:p to
    /// 127.0.0.1:p for every p of `pasv` (the server's passive range).
    pub fn start(control: SocketAddr, pasv: RangeInclusive<u16>) -> Relay {
        let fault = Arc::new(Mutex::new(Fault::Pass));
        let ctl = TcpListener::bind((RELAY_IP, 0)).expect("binding 127.0.0.2");
        let port = ctl.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for client in ctl.incoming().flatten() {
                let Ok(server) = TcpStream::connect(control) else {
                    continue;
                };
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                std::thread::spawn(move || pipe(c2, s2));
                std::thread::spawn(move || pipe(server, client));
            }
        });
        let listeners: Vec<(u16, TcpListener)> = pasv
            .map(|p| {
                let l = TcpListener::bind((RELAY_IP, p))
                    .unwrap_or_else(|e| panic!("binding {RELAY_IP}:{p}: {e}"));
                l.set_nonblocking(true).unwrap();
                (p, l)
            })
            .collect();
        let f = fault.clone();
        let next = Arc::new(Mutex::new(None));
        let n = next.clone();
        std::thread::spawn(move || loop {
            let mut idle = true;
            for (p, l) in &listeners {
                if let Ok((client, _)) = l.accept() {
                    idle = false;
                    client.set_nonblocking(false).unwrap();
                    let upstream = SocketAddr::from(([127, 0, 0, 1], *p));
                    let once = n.lock().unwrap().take();
                    let fault = once.unwrap_or(*f.lock().unwrap());
                    relay_data(client, upstream, fault);
                }
            }
            if idle {
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        Relay { port, fault, next }
    }

    /// Applies `f` to the data connections accepted from now on.
    pub fn set(&self, f: Fault) {
        *self.fault.lock().unwrap() = f;
    }

    /// Applies `f` to the next data connection only; the ones after it
    /// get what [`Relay::set`] says.
    pub fn set_next(&self, f: Fault) {
        *self.next.lock().unwrap() = Some(f);
    }
}
