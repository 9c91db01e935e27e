//! Login and the simple commands of ftplib's `FTP` class.

use super::Session;
use crate::command::check_line;
use crate::error::{Error, Result};
use crate::parse::parse257;
use crate::reply::Reply;

impl Session {
    /// ftplib's `login`: USER, then PASS if asked (3xx), then ACCT if asked.
    /// An empty user is `anonymous`; an anonymous password that is empty or
    /// `-` gets `anonymous@` appended. The final reply must be 2xx. On a
    /// TLS session the control connection is secured first (AUTH TLS), and
    /// after the login PBSZ 0 + PROT P protect the data connections, unless
    /// [`Session::prot_c`] was called since connecting (unlike ftplib).
    ///
    /// Then, in a UTF-8 session (the default encoding), FEAT is sent
    /// (unless already asked on this connection: see
    /// [`Session::features`]) and, when the server advertises `UTF8`,
    /// `OPTS UTF8 ON` (RFC 2640). A 4xx/5xx answer to OPTS is not an error
    /// (Pure-FTPd answers 504); failures to read a reply are, as usual (see
    /// `utf8_after_login` in session/utf8.rs for the rest). A latin-1
    /// session sends neither. The returned reply and
    /// [`Session::last_reply`] are the login's (230), also after a failure
    /// that read no reply; a failure on a reply (a 421 to FEAT or OPTS,
    /// which closes the connection, or an odd OPTS reply) leaves that one.
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
        // Kept for reconnecting when a whole-file transfer is retried.
        self.files.credentials = Some(crate::files::retry::Credentials {
            user: user.to_string(),
            passwd: passwd.clone(),
            acct: acct.to_string(),
        });
        // TLS sessions: PBSZ 0 + PROT P unless prot_c was called; the
        // call's reply stays the login's.
        self.protect_after_login()?;
        // UTF-8 sessions: FEAT, then OPTS UTF8 ON if advertised. A failure
        // that read no reply (EOF, timeout...) leaves the login's as the
        // last reply read.
        if let Err(e) = self.utf8_after_login() {
            self.last_reply.get_or_insert(resp);
            return Err(e);
        }
        self.last_reply = Some(resp.clone());
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
}

/// The path of a 257 reply, or "" for another 2xx reply.
fn path_of(resp: &Reply) -> Result<String> {
    if !resp.starts_with("257") {
        return Ok(String::new());
    }
    parse257(resp)
}
