//! Login and the simple commands of ftplib's `FTP` class.

use super::Session;
use crate::command::check_line;
use crate::error::{Error, Result};
use crate::parse::parse257;
use crate::reply::Reply;
use socket2::SockRef;

impl Session {
    /// ftplib's `login`: USER, then PASS if asked (3xx), then ACCT if asked.
    /// An empty user is `anonymous`; an anonymous password that is empty or
    /// `-` gets `anonymous@` appended. The final reply must be 2xx.
    pub fn login(&mut self, user: &str, passwd: &str, acct: &str) -> Result<Reply> {
        self.begin()?;
        self.auth_before_login()?;
        let user = if user.is_empty() { "anonymous" } else { user };
        let passwd = if user == "anonymous" && (passwd.is_empty() || passwd == "-") {
            format!("{passwd}anonymous@")
        } else {
            passwd.to_string()
        };
        check_line(user, "the user name")?;
        check_line(&passwd, "the password")?;
        check_line(acct, "the account")?;
        let mut resp = self.send_get(&format!("USER {user}"))?;
        if resp.class() == b'3' {
            resp = self.send_get(&format!("PASS {passwd}"))?;
        }
        if resp.class() == b'3' {
            resp = self.send_get(&format!("ACCT {acct}"))?;
        }
        if resp.class() != b'2' {
            return Err(Error::Reply(resp));
        }
        Ok(resp)
    }

    /// ftplib's `rename`: RNFR (must answer 3xx) then RNTO (2xx).
    pub fn rename(&mut self, from: &str, to: &str) -> Result<Reply> {
        self.begin()?;
        check_line(from, "the old name")?;
        check_line(to, "the new name")?;
        let resp = self.send_get(&format!("RNFR {from}"))?;
        if resp.class() != b'3' {
            return Err(Error::Reply(resp));
        }
        self.send_void(&format!("RNTO {to}"))
    }

    /// ftplib's `delete`: DELE; the reply must be 250 or 200.
    pub fn delete(&mut self, filename: &str) -> Result<Reply> {
        self.begin()?;
        let resp = self.send_get(&format!("DELE {filename}"))?;
        if resp.code == 250 || resp.code == 200 {
            Ok(resp)
        } else {
            Err(Error::Reply(resp))
        }
    }

    /// ftplib's `cwd`: `..` tries CDUP and falls back to `CWD ..` on a 500;
    /// an empty name means `.`.
    pub fn cwd(&mut self, dirname: &str) -> Result<Reply> {
        self.begin()?;
        if dirname == ".." {
            match self.send_void("CDUP") {
                Err(Error::Perm(r)) if r.code == 500 => {}
                other => return other,
            }
        }
        let dirname = if dirname.is_empty() { "." } else { dirname };
        self.send_void(&format!("CWD {dirname}"))
    }

    /// ftplib's `mkd`: the created directory's path from the 257 reply (empty
    /// if the reply is another 2xx).
    pub fn mkd(&mut self, dirname: &str) -> Result<String> {
        self.begin()?;
        let resp = self.send_void(&format!("MKD {dirname}"))?;
        path_of(&resp)
    }

    /// ftplib's `pwd`: the current directory from the 257 reply.
    pub fn pwd(&mut self) -> Result<String> {
        self.begin()?;
        let resp = self.send_void("PWD")?;
        path_of(&resp)
    }

    /// ftplib's `rmd`.
    pub fn rmd(&mut self, dirname: &str) -> Result<Reply> {
        self.begin()?;
        self.send_void(&format!("RMD {dirname}"))
    }

    /// ftplib's `size`: `Some(n)` for a 213 reply, `None` for another
    /// 1xx-3xx reply. No TYPE is sent (some servers refuse SIZE in ASCII mode).
    pub fn size(&mut self, filename: &str) -> Result<Option<u64>> {
        self.begin()?;
        let resp = self.send_get(&format!("SIZE {filename}"))?;
        if !resp.starts_with("213") {
            return Ok(None);
        }
        let digits = resp.text[3..].trim();
        digits
            .parse::<u64>()
            .map(Some)
            .map_err(|_| Error::Proto(format!("the SIZE reply is not a number: {:?}", resp.text)))
    }

    /// ftplib's `abort`: sends ABOR as urgent data and reads the replies.
    ///
    /// When a transfer's final reply is still owed (a transfer was open or
    /// not yet answered), both the transfer's reply (426, or 226 if it had
    /// finished) and ABOR's own (225/226) are read, so the session stays in
    /// step. An open [`crate::DataConn`] is cut and detached from the session.
    pub fn abort(&mut self) -> Result<Reply> {
        self.last_reply = None;
        if self.control.is_none() {
            return Err(self.not_connected());
        }
        let sent = if self.control_secured() {
            // Under TLS the urgent flag cannot be used (ftplib does the same).
            self.send_line("ABOR")
                .map_err(|e| std::io::Error::other(e.to_string()))
        } else {
            self.debug.emit(1, || "*cmd* 'ABOR'".to_string());
            self.debug.emit(2, || "*put* 'ABOR\\r\\n'".to_string());
            match self.control_tcp() {
                Some(tcp) => send_urgent(&SockRef::from(tcp), b"ABOR\r\n"),
                None => Ok(()),
            }
        };
        if let Err(e) = sent {
            let err = Error::from_io("sending ABOR", e);
            self.drop_control(&err);
            return Err(err);
        }
        let owed = self.transfer.final_pending;
        if let Some(data) = self.transfer.socket.take() {
            let _ = data.shutdown(std::net::Shutdown::Both);
        }
        self.transfer.token = std::sync::Weak::new();
        self.transfer.final_pending = false;
        let first = self.read_reply()?;
        let last = if owed { self.read_reply()? } else { first };
        match last.code {
            225 | 226 | 426 => Ok(last),
            _ => match last.class() {
                b'4' => Err(Error::Temp(last)),
                b'5' => Err(Error::Perm(last)),
                _ => Err(Error::Proto(format!(
                    "unexpected reply to ABOR: {:?}",
                    last.text
                ))),
            },
        }
    }
}

/// Sends `bytes` with the TCP urgent flag (Telnet "synch" as RFC 959 asks).
fn send_urgent(sock: &SockRef<'_>, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let n = sock.send_out_of_band(bytes)?;
        bytes = &bytes[n..];
    }
    Ok(())
}

/// The path of a 257 reply, or "" for another 2xx reply.
fn path_of(resp: &Reply) -> Result<String> {
    if !resp.starts_with("257") {
        return Ok(String::new());
    }
    parse257(resp)
}
