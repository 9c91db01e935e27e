//! TLS client handshakes and the reasons OpenSSL gives when they fail.

use super::TlsContext;
use crate::cancel::CancelToken;
use crate::error::Error;
use openssl::ssl::{HandshakeError, Ssl, SslSession, SslStream, SslVerifyMode};
use openssl::x509::verify::X509CheckFlags;
use openssl::x509::X509VerifyResult;
use std::net::IpAddr;
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// An OpenSSL error stack as an [`Error::Tls`].
pub(crate) fn tls_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Tls(format!("{what}: {e}"))
}

/// How long a handshake may take, and what may cancel it.
pub(crate) struct HandshakeLimits<'a> {
    /// The whole handshake must end within this (None: no limit).
    pub(crate) timeout: Option<Duration>,
    /// Looked at between waits of at most [`crate::cancel::SLICE`].
    pub(crate) cancel: &'a CancelToken,
}

/// Runs a client handshake on `tcp` for `host` (SNI and host name check),
/// resuming `resume` when given; `control` names the connection in errors.
/// The socket's timeouts are left at one slice: the caller sets its own.
pub(crate) fn client_handshake(
    ctx: &TlsContext,
    tcp: TcpStream,
    host: &str,
    resume: Option<&SslSession>,
    control: bool,
    limits: HandshakeLimits<'_>,
) -> Result<SslStream<TcpStream>, Error> {
    let what = if control {
        "TLS handshake on the control connection"
    } else {
        "TLS handshake on the data connection"
    };
    let mut ssl = Ssl::new(&ctx.context).map_err(|e| tls_error(what, e))?;
    let ip = host.parse::<IpAddr>().ok();
    if ip.is_none() {
        // SNI takes names only.
        ssl.set_hostname(host).map_err(|e| tls_error(what, e))?;
    }
    if ctx.config.verify_peer {
        ssl.set_verify(SslVerifyMode::PEER);
        if ctx.config.check_hostname {
            let param = ssl.param_mut();
            param.set_hostflags(X509CheckFlags::NO_PARTIAL_WILDCARDS);
            match ip {
                Some(ip) => param.set_ip(ip),
                None => param.set_host(host),
            }
            .map_err(|e| tls_error(what, e))?;
        }
    } else {
        ssl.set_verify(SslVerifyMode::NONE);
    }
    if let Some(session) = resume {
        super::SessionStore::resume(&mut ssl, session).map_err(|e| tls_error(what, e))?;
    }
    let limit = limits.timeout.map(|t| Instant::now() + t);
    let slice = |tcp: &TcpStream| -> Result<(), Error> {
        limits
            .cancel
            .check()
            .map_err(|e| Error::from_io(&format!("during the {what}"), e))?;
        let wait = crate::cancel::next_slice(limit, crate::cancel::SLICE)
            .ok_or_else(|| Error::Timeout(format!("during the {what}")))?;
        tcp.set_read_timeout(Some(wait))
            .and_then(|()| tcp.set_write_timeout(Some(wait)))
            .map_err(|e| Error::from_io(&format!("during the {what}"), e))
    };
    slice(&tcp)?;
    let mut attempt = ssl.connect(tcp);
    loop {
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(HandshakeError::WouldBlock(mid)) if is_wait(mid.error()) => {
                slice(mid.get_ref())?;
                attempt = mid.handshake();
            }
            Err(e) => return Err(handshake_error(what, e)),
        }
    }
}

/// True when a handshake step stopped only because a wait slice ended.
fn is_wait(e: &openssl::ssl::Error) -> bool {
    e.io_error().is_some_and(|io| {
        matches!(
            io.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        )
    })
}

fn handshake_error(what: &str, e: HandshakeError<TcpStream>) -> Error {
    match e {
        HandshakeError::SetupFailure(stack) => tls_error(what, stack),
        HandshakeError::Failure(mid) | HandshakeError::WouldBlock(mid) => {
            let verify = mid.ssl().verify_result();
            let io_timeout = mid
                .error()
                .io_error()
                .map(|io| {
                    matches!(
                        io.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    )
                })
                .unwrap_or(false);
            if io_timeout {
                return Error::Timeout(format!("during the {what}"));
            }
            if verify != X509VerifyResult::OK {
                return Error::Tls(format!(
                    "{what}: certificate verify failed: {}",
                    verify.error_string()
                ));
            }
            let detail = match mid.error().ssl_error() {
                Some(stack) => stack.to_string(),
                None => mid.error().to_string(),
            };
            tls_error(what, detail)
        }
    }
}
