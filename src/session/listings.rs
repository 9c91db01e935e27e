//! Directory listings: NLST, LIST and MLSD.

use super::Session;
use crate::command::check_line;
use crate::error::Result;
use crate::listing::{parse_mlsd_line, MlsdEntry};
use crate::reply::Reply;

/// `verb` alone, or `verb args` when there are arguments.
fn with_args(verb: &str, args: Option<&str>) -> String {
    match args {
        Some(a) if !a.is_empty() => format!("{verb} {a}"),
        _ => verb.to_string(),
    }
}

impl Session {
    /// ftplib's `nlst`: the names, one line each, to `on_line`.
    pub fn nlst(
        &mut self,
        args: Option<&str>,
        on_line: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<Reply> {
        check_line(args.unwrap_or(""), "the arguments")?;
        self.retrlines(&with_args("NLST", args), on_line)
    }

    /// ftplib's `dir`: the LIST lines to `on_line`.
    pub fn dir(
        &mut self,
        args: Option<&str>,
        on_line: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<Reply> {
        check_line(args.unwrap_or(""), "the arguments")?;
        self.retrlines(&with_args("LIST", args), on_line)
    }

    /// ftplib's `mlsd`: when `facts` is not empty, `OPTS MLST a;b;` first;
    /// then each parsed MLSD line to `on_entry`.
    pub fn mlsd(
        &mut self,
        path: Option<&str>,
        facts: &[&str],
        mut on_entry: impl FnMut(&MlsdEntry<'_>) -> Result<()>,
    ) -> Result<Reply> {
        self.begin()?;
        if let Some(p) = path {
            check_line(p, "the path")?;
        }
        if !facts.is_empty() {
            let mut list = String::new();
            for f in facts {
                check_line(f, "an MLSD fact name")?;
                list.push_str(f);
                list.push(';');
            }
            self.send_get(&format!("OPTS MLST {list}"))?;
        }
        self.retrlines(&with_args("MLSD", path), |line| {
            on_entry(&parse_mlsd_line(line))
        })
    }
}
