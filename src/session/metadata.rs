//! One path's metadata: `stat` (MLST, else SIZE/MDTM/CWD), `mdtm`, and
//! `set_mtime` (MFMT, else SITE UTIME in its two common syntaxes, else
//! vsftpd's MDTM with a time).

use super::Session;
use crate::command::check_line;
use crate::error::{Error, Result};
use crate::listing::dates::{format_time_val, parse_time_val};
use crate::listing::{parse_mlsd, Entry, EntryType, Format, Line, Mtime};
use crate::reply::Reply;

impl Session {
    /// The entry of one path. With MLST advertised, `MLST path` (the facts
    /// an entry holds asked for first, as [`Session::list`] does); a
    /// directory comes as [`EntryType::Dir`] even when the server calls it
    /// `cdir`. Otherwise what other commands tell ([`Format::Probe`]):
    /// `SIZE` answered means a file (its size), then `MDTM` its time;
    /// else `CWD path` succeeding means a directory (the working directory
    /// is restored with `CWD` to what `PWD` said before); else the SIZE
    /// refusal is the error (e.g. 550 for a path that does not exist).
    /// `raw` is the MLST entry line, or empty for a probe.
    pub fn stat(&mut self, path: &str) -> Result<Entry> {
        self.begin()?;
        check_line(path, "the path")?;
        if path.is_empty() {
            return Err(Error::InvalidArgument("the path is empty".into()));
        }
        if self.features()?.has("MLST") {
            self.request_mlst_facts()?;
            let reply = self.send_void(&format!("MLST {path}"))?;
            return self.entry_of_mlst(&reply);
        }
        self.probe(path)
    }

    /// The entry in an MLST reply: the first inner line starting with a
    /// space (RFC 3659 7.2), `cdir`/`pdir` read as directories.
    fn entry_of_mlst(&self, reply: &Reply) -> Result<Entry> {
        let lines: Vec<&str> = reply.text.split('\n').collect();
        let inner = lines.get(1..lines.len().saturating_sub(1)).unwrap_or(&[]);
        let Some(line) = inner.iter().find(|l| l.starts_with(' ')) else {
            return Err(Error::Proto(format!(
                "the MLST reply holds no entry: {:?}",
                reply.text
            )));
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        let cx = self.list_context();
        match parse_mlsd(line.as_bytes(), &cx, Format::Mlst) {
            Line::Entry(e) if e.kind != EntryType::Unknown => Ok(e),
            Line::Entry(_) => Err(Error::Proto(format!("unreadable MLST entry: {line:?}"))),
            Line::Skip(_) => Err(Error::Proto(format!(
                "the MLST reply names no entry but . or ..: {line:?}"
            ))),
        }
    }

    /// What SIZE, MDTM and CWD tell of `path`.
    fn probe(&mut self, path: &str) -> Result<Entry> {
        let name = base_name(path).to_string();
        match self.send_get(&format!("SIZE {path}")) {
            Ok(reply) if reply.code == 213 => {
                let mut e = Entry::named(EntryType::File, name, b"", Format::Probe);
                e.size = reply.text[3..].trim().parse().ok();
                e.mtime = self.mdtm_quietly(path)?;
                Ok(e)
            }
            Ok(reply) => Err(Error::Reply(reply)),
            Err(size_error @ (Error::Perm(_) | Error::Temp(_))) => {
                let here = self
                    .send_void("PWD")
                    .and_then(|r| crate::parse::parse257(&r));
                let Ok(here) = here else {
                    return Err(size_error);
                };
                if self.send_void(&format!("CWD {path}")).is_err() {
                    return Err(size_error);
                }
                check_line(&here, "the working directory")?;
                self.send_void(&format!("CWD {here}"))?;
                let mut e = Entry::named(EntryType::Dir, name, b"", Format::Probe);
                e.mtime = self.mdtm_quietly(path)?;
                Ok(e)
            }
            Err(e) => Err(e),
        }
    }

    /// MDTM's time, or None when the server refuses or answers oddly.
    fn mdtm_quietly(&mut self, path: &str) -> Result<Option<Mtime>> {
        match self.send_get(&format!("MDTM {path}")) {
            Ok(reply) => Ok(time_of_213(&reply)),
            Err(Error::Perm(_) | Error::Temp(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The modification time of `path` (MDTM, RFC 3659): Unix seconds UTC.
    /// A reply that is not `213 YYYYMMDDHHMMSS[.fff]` is a protocol error.
    pub fn mdtm(&mut self, path: &str) -> Result<i64> {
        self.begin()?;
        check_line(path, "the path")?;
        let reply = self.send_void(&format!("MDTM {path}"))?;
        time_of_213(&reply).map(|t| t.secs).ok_or_else(|| {
            Error::Proto(format!(
                "the MDTM reply is not 213 YYYYMMDDHHMMSS: {:?}",
                reply.text
            ))
        })
    }

    /// Sets the modification time of `path` to `mtime` (Unix seconds UTC).
    /// `MFMT time path` when the server advertises MFMT; otherwise `SITE
    /// UTIME time path` (ProFTPD's mod_site_misc), then `SITE UTIME path
    /// atime mtime ctime UTC` (Pure-FTPd, Serv-U, wu-ftpd), then, when the
    /// server advertises MDTM, `MDTM time path` (vsftpd with
    /// mdtm_write): each tried only when the previous one was refused with
    /// 500-504 (not understood). The last refusal is the error.
    pub fn set_mtime(&mut self, path: &str, mtime: i64) -> Result<Reply> {
        self.begin()?;
        check_line(path, "the path")?;
        let time = format_time_val(mtime).ok_or_else(|| {
            Error::InvalidArgument(format!("mtime {mtime} is outside the years 0-9999"))
        })?;
        let features = self.features()?.clone();
        if features.has("MFMT") {
            return self.send_void(&format!("MFMT {time} {path}"));
        }
        let mut tries = vec![
            format!("SITE UTIME {time} {path}"),
            format!("SITE UTIME {path} {time} {time} {time} UTC"),
        ];
        if features.has("MDTM") {
            tries.push(format!("MDTM {time} {path}"));
        }
        let mut last = None;
        for cmd in tries {
            match self.send_void(&cmd) {
                Err(Error::Perm(r)) if (500..=504).contains(&r.code) => last = Some(Error::Perm(r)),
                other => return other,
            }
        }
        Err(last.unwrap_or_else(|| Error::Internal("no SITE UTIME tried".into())))
    }
}

/// The time of a `213 YYYYMMDDHHMMSS[.fff]` reply.
fn time_of_213(reply: &Reply) -> Option<Mtime> {
    if reply.code != 213 {
        return None;
    }
    let secs = parse_time_val(reply.text.get(4..)?.trim().as_bytes())?;
    Some(Mtime {
        secs,
        utc: true,
        precision: 1,
    })
}

/// The last component of a path ("a/b/" gives "b"; "/" gives "/").
fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return path;
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_names() {
        assert_eq!(base_name("a/b/c.txt"), "c.txt");
        assert_eq!(base_name("dir/"), "dir");
        assert_eq!(base_name("/"), "/");
        assert_eq!(base_name("f"), "f");
    }
}
