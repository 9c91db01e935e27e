//! A directory as entries: MLSD when the server advertises MLST, else LIST
//! parsed line by line (see `crate::listing`).

use super::Session;
use crate::command::check_line;
use crate::encoding::Encoding;
use crate::error::Result;
use crate::listing::{parse_list_line, parse_mlsd, Entry, Format, Line, ListContext};
use crate::reply::Reply;
use std::time::{SystemTime, UNIX_EPOCH};

/// How [`Session::list_with`] reads a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListMethod {
    /// MLSD when the server advertises MLST in FEAT, else LIST.
    Auto,
    /// MLSD, whatever FEAT says.
    Mlsd,
    /// LIST, parsed, whatever FEAT says.
    List,
}

/// The MLSD facts [`Session::list`] asks for (those of them the server
/// offers): what an [`Entry`] holds.
const WANTED_FACTS: [&str; 10] = [
    "type",
    "size",
    "sizd",
    "modify",
    "unix.mode",
    "unix.owner",
    "unix.ownername",
    "unix.group",
    "unix.groupname",
    "unix.uid",
];

impl Session {
    /// The entries of directory `path` (None: the current directory), each
    /// to `on_entry`: MLSD when the server advertises MLST, else LIST
    /// parsed (Unix, DOS/IIS, EPLF, VMS, NetWare formats, detected line by
    /// line). Every line of the listing reaches `on_entry` exactly once,
    /// as a parsed entry or as [`crate::EntryType::Unknown`] with its raw
    /// bytes, except "total N" lines and the entries "." and ".." (MLSD
    /// `cdir`/`pdir`), which are skipped. An error from `on_entry` stops
    /// the listing (the transfer is aborted as for `retrlines`).
    ///
    /// Before MLSD, `OPTS MLST` asks for the facts an entry holds (type,
    /// size, modify, unix.mode, owner, group) when the server offers some
    /// it does not send by default; a refusal is ignored. LIST is sent
    /// with `path` as its argument (servers that run `ls` read a leading
    /// `-` as options). Lines arrive as `retrlines` hands them: in latin-1
    /// sessions transcoded to UTF-8 (and `raw` too).
    pub fn list(
        &mut self,
        path: Option<&str>,
        on_entry: impl FnMut(&Entry) -> Result<()>,
    ) -> Result<Reply> {
        self.list_with(path, ListMethod::Auto, on_entry)
    }

    /// [`Session::list`] with the method chosen by the caller.
    pub fn list_with(
        &mut self,
        path: Option<&str>,
        method: ListMethod,
        mut on_entry: impl FnMut(&Entry) -> Result<()>,
    ) -> Result<Reply> {
        self.begin()?;
        let path = path.filter(|p| !p.is_empty());
        if let Some(p) = path {
            check_line(p, "the path")?;
        }
        let mlsd = match method {
            ListMethod::Mlsd => true,
            ListMethod::List => false,
            ListMethod::Auto => self.features()?.has("MLST"),
        };
        let cx = self.list_context();
        if mlsd {
            self.request_mlst_facts()?;
            let cmd = with_path("MLSD", path);
            self.retrlines(&cmd, |line| match parse_mlsd(line, &cx, Format::Mlsd) {
                Line::Entry(e) => on_entry(&e),
                Line::Skip(_) => Ok(()),
            })
        } else {
            let cmd = with_path("LIST", path);
            self.retrlines(&cmd, |line| match parse_list_line(line, &cx) {
                Line::Entry(e) => on_entry(&e),
                Line::Skip(_) => Ok(()),
            })
        }
    }

    /// What the parsers are told: now (our clock, moved by the server
    /// clock offset when one is set) and UTF-8, since `retrlines` hands
    /// lines over in UTF-8 whatever the session encoding.
    pub(crate) fn list_context(&self) -> ListContext {
        let ours = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        ListContext {
            now: ours.saturating_add(self.settings.server_clock_offset),
            encoding: Encoding::Utf8,
        }
    }

    /// `OPTS MLST` with the wanted facts the server offers, when it offers
    /// one it does not enable by default (FEAT marks enabled facts with
    /// `*`); once per connection. A refusal (4xx/5xx) is ignored.
    pub(crate) fn request_mlst_facts(&mut self) -> Result<()> {
        if self.mlst_facts_requested {
            return Ok(());
        }
        let offered = self.feature("MLST")?.unwrap_or_default();
        let mut facts = String::new();
        let mut missing = false;
        for fact in offered.split(';').filter(|f| !f.is_empty()) {
            let (name, enabled) = match fact.strip_suffix('*') {
                Some(n) => (n, true),
                None => (fact, false),
            };
            if WANTED_FACTS.iter().any(|w| w.eq_ignore_ascii_case(name)) {
                facts.push_str(name);
                facts.push(';');
                missing |= !enabled;
            }
        }
        if missing && check_line(&facts, "the MLST facts").is_ok() {
            self.send_line(&format!("OPTS MLST {facts}"))?;
            self.read_reply()?;
        }
        self.mlst_facts_requested = true;
        Ok(())
    }
}

/// `verb` alone, or `verb path`.
fn with_path(verb: &str, path: Option<&str>) -> String {
    match path {
        Some(p) => format!("{verb} {p}"),
        None => verb.to_string(),
    }
}
