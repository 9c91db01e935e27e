//! MLSD lines and the entry line of an MLST reply (RFC 3659) as
//! [`Entry`]s: `fact=value;fact=value; name`.
//!
//! Documented behaviour:
//!
//! - one leading space is accepted (the `SP` before the facts of an MLST
//!   entry line); fact names are case-insensitive; the name is everything
//!   after the first space, verbatim (spaces and `;` included);
//! - `type`: `file`, `dir`, `cdir`/`pdir` ([`Skip::Dot`] in MLSD, a
//!   directory in MLST, whose reply names a directory that way),
//!   `OS.unix=slink:target` and `OS.unix=symlink` (a link, with its target
//!   when given), anything else ([`EntryType::Other`], as for a line with
//!   no `type` fact: the server did not say what it is);
//! - `size`, else `sizd` (Pure-FTPd's size of a directory); a size that
//!   does not fit in a u64 is left None;
//! - `modify` is UTC (fractions dropped, precision 1); an invalid time is
//!   left None;
//! - `unix.mode` as sent (`0644`); `unix.owner`, else `unix.uid`;
//!   `unix.group`, else `unix.gid`; ProFTPD's `unix.ownername` and
//!   `unix.groupname` (names) come before those (numbers);
//! - a line that is not `facts SP name` (no `=` before the first space, or
//!   an empty name) is Unknown; the names `.` and `..` give [`Skip::Dot`]
//!   in MLSD (in MLST they are the path asked for).

use super::dates::parse_time_val;
use super::entry::{Entry, EntryType, Format, Line, ListContext, Mtime, Skip};
use super::mlsd::{parse_mlsd_line, MlsdEntry};
use super::tokens::{decode, entry_line, number, strip_cr, usable_name};

/// Parses an MLSD line or an MLST entry line (`format` is [`Format::Mlsd`]
/// or [`Format::Mlst`]; it is recorded in the entry). Every line gives a
/// [`Line`]; one that is not an MLSx entry gives an Unknown entry.
pub fn parse_mlsd(line: &[u8], cx: &ListContext, format: Format) -> Line {
    let raw = line;
    let body = strip_cr(line);
    let body = body.strip_prefix(b" ").unwrap_or(body);
    let Some(space) = body.iter().position(|&b| b == b' ') else {
        return Line::Entry(Entry::unknown(raw));
    };
    if !body[..space].contains(&b'=') || !usable_name(&body[space + 1..]) {
        return Line::Entry(Entry::unknown(raw));
    }
    let parsed = parse_mlsd_line(body);
    let kind = match parsed.fact("type").map(<[u8]>::to_ascii_lowercase) {
        // MLST of a directory names it with cdir: there it is the entry.
        Some(t) if (t == b"cdir" || t == b"pdir") && format == Format::Mlst => EntryType::Dir,
        Some(t) if t == b"cdir" || t == b"pdir" => return Line::Skip(Skip::Dot),
        Some(t) if t == b"file" => EntryType::File,
        Some(t) if t == b"dir" => EntryType::Dir,
        Some(t) if link_target(&t).is_some() => EntryType::Link,
        _ => EntryType::Other,
    };
    let mut entry = Entry::named(kind, decode(cx, parsed.name), raw, format);
    if kind == EntryType::Link {
        let target = parsed.fact("type").and_then(link_target).flatten();
        entry.link_target = target.map(|t| decode(cx, t));
    }
    entry.size = parsed.fact("size").or(parsed.fact("sizd")).and_then(number);
    entry.mtime = parsed
        .fact("modify")
        .and_then(parse_time_val)
        .map(|secs| Mtime {
            secs,
            utc: true,
            precision: 1,
        });
    let text = |names: &[&str]| first_fact(&parsed, names).map(|v| decode(cx, v));
    entry.unix_mode = text(&["unix.mode"]);
    entry.owner = text(&["unix.ownername", "unix.owner", "unix.uid"]);
    entry.group = text(&["unix.groupname", "unix.group", "unix.gid"]);
    if format == Format::Mlst {
        // The path asked for, whatever its name.
        return Line::Entry(entry);
    }
    entry_line(entry)
}

/// For a link's `type` value (`OS.unix=slink:target`, `OS.unix=symlink`, any
/// case): Some(target when given and non-empty); None when not a link.
fn link_target(value: &[u8]) -> Option<Option<&[u8]>> {
    let os = b"os.unix=";
    if value.len() < os.len() || !value[..os.len()].eq_ignore_ascii_case(os) {
        return None;
    }
    let what = &value[os.len()..];
    if what.eq_ignore_ascii_case(b"symlink") || what.eq_ignore_ascii_case(b"slink") {
        return Some(None);
    }
    let prefix = b"slink:";
    if what.len() >= prefix.len() && what[..prefix.len()].eq_ignore_ascii_case(prefix) {
        let target = &what[prefix.len()..];
        return Some((!target.is_empty()).then_some(target));
    }
    None
}

/// The first non-empty value among facts of these names.
fn first_fact<'a>(entry: &MlsdEntry<'a>, names: &[&str]) -> Option<&'a [u8]> {
    names.iter().find_map(|n| {
        entry
            .facts
            .iter()
            .find(|f| f.name == *n && !f.value.is_empty())
            .map(|f| f.value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Encoding;

    fn cx() -> ListContext {
        ListContext {
            now: 0,
            encoding: Encoding::Utf8,
        }
    }

    #[test]
    fn facts_to_entry() {
        let line = b" Type=OS.unix=slink:/a;Size=7;UNIX.mode=0777;unix.uid=0; my link";
        let Line::Entry(e) = parse_mlsd(line, &cx(), Format::Mlst) else {
            panic!("no entry");
        };
        assert_eq!(e.kind, EntryType::Link);
        assert_eq!(e.name.as_deref(), Some("my link"));
        assert_eq!(e.link_target.as_deref(), Some("/a"));
        assert_eq!((e.size, e.format), (Some(7), Format::Mlst));
        assert_eq!(e.unix_mode.as_deref(), Some("0777"));
        assert_eq!(e.owner.as_deref(), Some("0"));
        assert_eq!(e.raw, line.to_vec());
    }

    #[test]
    fn not_entries() {
        let unknown =
            |l: &[u8]| parse_mlsd(l, &cx(), Format::Mlsd) == Line::Entry(Entry::unknown(l));
        assert!(unknown(b"name only"));
        assert!(unknown(b"type=file;"));
        assert!(unknown(b"type=file; "));
        assert_eq!(
            parse_mlsd(b"type=pdir; x", &cx(), Format::Mlsd),
            Line::Skip(Skip::Dot)
        );
        assert_eq!(
            parse_mlsd(b"type=dir; ..", &cx(), Format::Mlsd),
            Line::Skip(Skip::Dot)
        );
    }
}
