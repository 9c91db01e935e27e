//! Retries of whole-file transfers (off by default): a transfer that
//! fails with a transient error reconnects to the same host and port,
//! logs in again with the same credentials (and TLS: AUTH TLS or implicit
//! TLS, PBSZ/PROT as before), goes back to the working directory it had,
//! and resumes with REST where the copy stopped.
//!
//! Transient: the connection reset or closed (I/O errors of the network
//! kinds, EOF), a timeout, and the replies 421, 425 and 426. Never after
//! a 5xx reply, a local file error, a callback stop, a cancel or a
//! verification failure.

use crate::error::{Error, Result};
use crate::session::Session;
use std::io;
use std::time::Duration;

/// How often and how patiently a whole-file transfer is retried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: none, the default).
    pub attempts: u32,
    /// Wait before the first retry; each later one waits twice the one
    /// before.
    pub backoff: Duration,
}

impl RetryPolicy {
    /// The wait before retry number `n` (0-based): backoff * 2^n, capped
    /// at one hour.
    pub fn delay(&self, n: u32) -> Duration {
        let factor = 1u32.checked_shl(n.min(20)).unwrap_or(u32::MAX);
        self.backoff
            .checked_mul(factor)
            .unwrap_or(Duration::from_secs(3600))
            .min(Duration::from_secs(3600))
    }
}

/// The arguments of the last successful login (the password is never
/// shown by Debug).
#[derive(Clone)]
pub(crate) struct Credentials {
    pub(crate) user: String,
    pub(crate) passwd: String,
    pub(crate) acct: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("passwd", &"********")
            .field("acct", &if self.acct.is_empty() { "" } else { "********" })
            .finish()
    }
}

/// True for the failures a retry may cure.
pub fn is_transient(e: &Error) -> bool {
    match e {
        Error::Eof(_) | Error::Timeout(_) => true,
        Error::Temp(r) => matches!(r.code, 421 | 425 | 426),
        Error::Io { source, .. } => matches!(
            source.kind(),
            io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::ConnectionRefused
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::NotConnected
                | io::ErrorKind::UnexpectedEof
                | io::ErrorKind::TimedOut
                | io::ErrorKind::WouldBlock
                | io::ErrorKind::NetworkUnreachable
                | io::ErrorKind::HostUnreachable
                | io::ErrorKind::NetworkDown
        ),
        _ => false,
    }
}

/// What a reconnect restores besides the login: the working directory
/// and whether data connections were left in clear on a TLS session.
#[derive(Debug, Clone, Default)]
pub(crate) struct Restore {
    pub(crate) cwd: Option<String>,
    pub(crate) clear_data: bool,
}

/// Taken before a whole-file transfer when retries are on (PWD; a server
/// that refuses PWD is retried in its login directory).
pub(crate) fn before(s: &mut Session) -> Result<Restore> {
    if s.files_state().retry.attempts == 0 {
        return Ok(Restore::default());
    }
    let cwd = match s.pwd() {
        Ok(p) if !p.is_empty() => Some(p),
        Ok(_) | Err(Error::Perm(_)) => None,
        Err(e) => return Err(e),
    };
    Ok(Restore {
        cwd,
        clear_data: s.is_tls_session() && !s.data_protected(),
    })
}

/// Waits the `n`th backoff (cancellable), then reconnects as described
/// above. A failure to reconnect is returned as is (the caller decides
/// whether it is worth another attempt).
pub(crate) fn reconnect(s: &mut Session, n: u32, restore: &Restore) -> Result<()> {
    let delay = s.files_state().retry.delay(n);
    sleep_cancellable(s, delay)?;
    let (host, port) = s
        .files_state()
        .endpoint
        .clone()
        .ok_or_else(|| Error::State("no connection to re-establish".into()))?;
    let creds = s.files_state().credentials.clone();
    s.debug_line(
        1,
        &format!(
            "*retry* reconnecting to {host} port {port} (retry {})",
            n + 1
        ),
    );
    s.close();
    s.connect(&host, port)?;
    if let Some(c) = creds {
        s.login(&c.user, &c.passwd, &c.acct)?;
        if restore.clear_data {
            s.prot_c()?;
        }
    }
    if let Some(dir) = &restore.cwd {
        s.cwd(dir)?;
    }
    Ok(())
}

fn sleep_cancellable(s: &Session, total: Duration) -> Result<()> {
    let token = s.cancel_token();
    let end = std::time::Instant::now() + total;
    loop {
        if token.is_cancelled() {
            return Err(Error::Cancelled(
                "while waiting to retry the transfer (the connection was lost; \
                 call ftp_connect again)"
                    .into(),
            ));
        }
        let now = std::time::Instant::now();
        if now >= end {
            return Ok(());
        }
        std::thread::sleep((end - now).min(crate::cancel::SLICE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::Reply;

    #[test]
    fn transient_or_not() {
        let r = |t: &str| Reply::new(t.to_string());
        assert!(is_transient(&Error::Temp(r("426 aborted"))));
        assert!(is_transient(&Error::Temp(r("421 bye"))));
        assert!(!is_transient(&Error::Temp(r("450 busy"))));
        assert!(!is_transient(&Error::Perm(r("550 no"))));
        assert!(is_transient(&Error::Eof("x".into())));
        assert!(is_transient(&Error::Io {
            context: "x".into(),
            source: io::ErrorKind::ConnectionReset.into()
        }));
        assert!(!is_transient(&Error::Io {
            context: "x".into(),
            source: io::ErrorKind::PermissionDenied.into()
        }));
        assert!(!is_transient(&Error::Verify("x".into())));
        assert!(!is_transient(&Error::Cancelled("x".into())));
    }

    #[test]
    fn delays_double() {
        let p = RetryPolicy {
            attempts: 3,
            backoff: Duration::from_millis(100),
        };
        assert_eq!(p.delay(0), Duration::from_millis(100));
        assert_eq!(p.delay(2), Duration::from_millis(400));
        assert_eq!(p.delay(40), Duration::from_secs(3600));
    }

    #[test]
    fn password_not_in_debug() {
        let c = Credentials {
            user: "u".into(),
            passwd: "hunter2".into(),
            acct: String::new(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
