//! `.netrc` files: logins for FTP servers, read as Python's `netrc`
//! module (3.11+) reads them.
//!
//! - `machine NAME` starts an entry for a host (names compare without
//!   regard to ASCII case), `default` the entry for any other host;
//! - an entry's followers: `login NAME` (or `user NAME`), `account TEXT`,
//!   `password TEXT`; anything else there is an error;
//! - `macdef NAME` defines a macro: its body, up to the first empty line,
//!   is skipped;
//! - tokens: see the lexer (quotes, backslash escapes); a word starting
//!   with `#` where a keyword is expected starts a comment to the end of
//!   the line.
//!
//! Lookups: [`Netrc::find`]. Errors name the line, never quote a word of
//! the file (it may be a secret).
//!
//! The permission rule (as Python and curl): a file that holds a password
//! for a login other than `anonymous` must be owned by the current user
//! and give no permission to group or others (`chmod 600`), else
//! [`Netrc::load`] refuses it. Unlike Python, the rule applies to every
//! file, not only `~/.netrc`.

mod lexer;

use crate::error::{Error, Result};
use lexer::{Lexer, Token};
use std::path::{Path, PathBuf};

/// One entry: a `machine` (or the `default`) and its login.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Entry {
    /// The host; `None` for the `default` entry.
    pub machine: Option<String>,
    /// The login ("" when not given).
    pub login: String,
    /// The account ("" when not given).
    pub account: String,
    /// The password ("" when not given).
    pub password: String,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("machine", &self.machine)
            .field("login", &self.login)
            .field("account", &self.account)
            .field("password", &"***")
            .finish()
    }
}

/// The entries of a netrc file, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Netrc {
    /// The entries (macros are not kept).
    pub entries: Vec<Entry>,
}

fn bad(line: usize, why: impl std::fmt::Display) -> Error {
    Error::InvalidArgument(format!("netrc line {line}: {why}"))
}

impl Netrc {
    /// Parses netrc text; an error names the line.
    pub fn parse(text: &str) -> Result<Netrc> {
        let mut lex = Lexer::new(text);
        let mut entries = Vec::new();
        while let Some(tok) = keyword(&mut lex) {
            match tok.text.as_str() {
                "machine" => {
                    let name = value(&mut lex, &tok, "machine")?;
                    entries.push(entry(&mut lex, Some(name))?);
                }
                "default" => entries.push(entry(&mut lex, None)?),
                "macdef" => {
                    value(&mut lex, &tok, "macdef")?;
                    lex.skip_macro_body();
                }
                _ => {
                    return Err(bad(
                        tok.line,
                        "unexpected word (want machine, default or macdef)",
                    ))
                }
            }
        }
        Ok(Netrc { entries })
    }

    /// Reads and parses the file at `path`, applying the permission rule
    /// (see the module); errors name the file.
    pub fn load(path: &Path) -> Result<Netrc> {
        let name = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::from_io(&format!("reading the netrc file {name}"), e))?;
        let netrc = Netrc::parse(&text).map_err(|e| match e {
            Error::InvalidArgument(why) => Error::InvalidArgument(format!("{name}: {why}")),
            other => other,
        })?;
        if netrc
            .entries
            .iter()
            .any(|e| !e.password.is_empty() && e.login != "anonymous")
        {
            check_private(path)?;
        }
        Ok(netrc)
    }

    /// The entry for `host` (and `login` when given): the first `machine`
    /// entry of that host with that login, else the `default` entry when
    /// its login matches (or is empty). Without a login: the last
    /// `machine` entry of the host (as Python's `authenticators`), else the
    /// `default` entry.
    pub fn find(&self, host: &str, login: Option<&str>) -> Option<&Entry> {
        let for_host = |e: &&Entry| {
            e.machine
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(host))
        };
        let default = self.entries.iter().find(|e| e.machine.is_none());
        match login {
            Some(l) => self
                .entries
                .iter()
                .filter(for_host)
                .find(|e| e.login == l)
                .or(default.filter(|e| e.login.is_empty() || e.login == l)),
            None => self.entries.iter().rev().find(for_host).or(default),
        }
    }
}

/// The netrc file to use when none is named: `$NETRC`, else
/// `$HOME/.netrc`; `None` when neither variable is set.
pub fn default_path() -> Option<PathBuf> {
    match std::env::var_os("NETRC") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".netrc")),
    }
}

/// The next keyword, comments skipped.
fn keyword(lex: &mut Lexer<'_>) -> Option<Token> {
    loop {
        let tok = lex.next_token()?;
        if !tok.quoted && tok.text.starts_with('#') {
            lex.skip_line();
            continue;
        }
        return Some(tok);
    }
}

/// The word after `key` (a name or a secret: never quoted in errors).
fn value(lex: &mut Lexer<'_>, key: &Token, what: &str) -> Result<String> {
    match lex.next_token() {
        Some(t) => Ok(t.text),
        None => Err(bad(key.line, format!("'{what}' lacks its value"))),
    }
}

/// The followers of a `machine` or `default` keyword.
fn entry(lex: &mut Lexer<'_>, machine: Option<String>) -> Result<Entry> {
    let mut e = Entry {
        machine,
        ..Entry::default()
    };
    loop {
        let mut ahead = lex.clone();
        let Some(tok) = keyword(&mut ahead) else {
            *lex = ahead;
            return Ok(e);
        };
        let field = match tok.text.as_str() {
            _ if tok.quoted => None,
            "login" | "user" => Some(&mut e.login),
            "account" => Some(&mut e.account),
            "password" => Some(&mut e.password),
            "machine" | "default" | "macdef" => return Ok(e),
            _ => None,
        };
        let Some(field) = field else {
            return Err(bad(
                tok.line,
                "unexpected word in an entry (want login, account or password)",
            ));
        };
        *lex = ahead;
        *field = value(lex, &tok, &tok.text)?;
    }
}

/// The permission rule: owned by us, nothing for group and others.
fn check_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let name = path.display();
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::from_io(&format!("reading the netrc file {name}"), e))?;
    if meta.uid() != nix::unistd::getuid().as_raw() {
        return Err(Error::InvalidArgument(format!(
            "the netrc file {name} holds passwords but is not owned by the current user"
        )));
    }
    if meta.mode() & 0o077 != 0 {
        return Err(Error::InvalidArgument(format!(
            "the netrc file {name} holds passwords but group or others may access it \
             (mode {:o}; chmod 600 it)",
            meta.mode() & 0o777
        )));
    }
    Ok(())
}
