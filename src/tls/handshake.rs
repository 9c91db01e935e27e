//! TLS client handshakes and the reasons OpenSSL gives when they fail.

use super::TlsContext;
use crate::error::Error;
use openssl::ssl::{HandshakeError, Ssl, SslSession, SslStream, SslVerifyMode};
use openssl::x509::verify::X509CheckFlags;
use openssl::x509::X509VerifyResult;
use std::net::IpAddr;
use std::net::TcpStream;

/// An OpenSSL error stack as an [`Error::Tls`].
pub(crate) fn tls_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Tls(format!("{what}: {e}"))
}

/// Runs a client handshake on `tcp` for `host` (SNI and host name check),
/// resuming `resume` when given; `control` names the connection in errors.
pub(crate) fn client_handshake(
    ctx: &TlsContext,
    tcp: TcpStream,
    host: &str,
    resume: Option<&SslSession>,
    control: bool,
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
    ssl.connect(tcp).map_err(|e| handshake_error(what, e))
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
