//! One directory entry, whatever listing format it came from.

use crate::encoding::Encoding;

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryType {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link (its target in [`Entry::link_target`] when known).
    Link,
    /// Something else the listing names: a device, a pipe, a socket...
    Other,
    /// A line no parser understood: only [`Entry::raw`] is meaningful.
    Unknown,
}

/// Which parser read a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// An MLSD line (RFC 3659).
    Mlsd,
    /// The entry of an MLST reply (RFC 3659).
    Mlst,
    /// Unix `ls -l` style LIST.
    Unix,
    /// Windows/IIS (DOS) style LIST.
    Dos,
    /// EPLF (Easily Parsed LIST Format).
    Eplf,
    /// OpenVMS style LIST.
    Vms,
    /// Novell NetWare style LIST.
    NetWare,
    /// What SIZE, MDTM and CWD told (a stat without MLST).
    Probe,
    /// No parser understood the line.
    Unknown,
}

impl Format {
    /// The name handed to C callers: "mlsd", "mlst", "unix", "dos", "eplf",
    /// "vms", "netware", "probe" or "unknown".
    pub fn name(self) -> &'static str {
        match self {
            Format::Mlsd => "mlsd",
            Format::Mlst => "mlst",
            Format::Unix => "unix",
            Format::Dos => "dos",
            Format::Eplf => "eplf",
            Format::Vms => "vms",
            Format::NetWare => "netware",
            Format::Probe => "probe",
            Format::Unknown => "unknown",
        }
    }
}

/// A modification time as a listing gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mtime {
    /// Seconds since 1970-01-01 00:00:00 UTC (negative before).
    pub secs: i64,
    /// True when the source states the time in UTC: MLSD/MLST `modify`,
    /// MDTM, EPLF. False for LIST formats (Unix, DOS, VMS, NetWare), which
    /// print the server's wall-clock time in a zone they do not name:
    /// `secs` then reads that wall-clock time as if it were UTC, and the
    /// true instant differs by the server's UTC offset (vsftpd and
    /// pyftpdlib print UTC by default; IIS prints local time).
    pub utc: bool,
    /// How finely the source gives the time, in seconds: 1 (seconds or
    /// finer), 60 (hours and minutes, as `ls` does for recent files) or
    /// 86400 (a date only, as `ls` does for files older than six months).
    pub precision: u32,
}

/// One directory entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What it is; [`EntryType::Unknown`] when no parser understood the
    /// line (then only `raw` and `format` are set).
    pub kind: EntryType,
    /// The base name, decoded with the session encoding (bytes that are not
    /// valid in it become U+FFFD; `raw` keeps them). None when Unknown.
    pub name: Option<String>,
    /// The size in bytes, when the listing gives one.
    pub size: Option<u64>,
    /// The modification time, when the listing gives one.
    pub mtime: Option<Mtime>,
    /// A symbolic link's target, when the listing gives it.
    pub link_target: Option<String>,
    /// Permissions: `rwxr-xr-x` style from a Unix listing (nine characters,
    /// ACL markers dropped), or MLSD's `unix.mode` as sent (`0644`).
    pub unix_mode: Option<String>,
    /// The owner, when the listing names one (a name or a number).
    pub owner: Option<String>,
    /// The group, when the listing names one.
    pub group: Option<String>,
    /// The listing line exactly as received (no CRLF).
    pub raw: Vec<u8>,
    /// The parser that read it.
    pub format: Format,
}

impl Entry {
    /// An entry for a line no parser understood.
    pub fn unknown(raw: &[u8]) -> Entry {
        Entry {
            kind: EntryType::Unknown,
            name: None,
            size: None,
            mtime: None,
            link_target: None,
            unix_mode: None,
            owner: None,
            group: None,
            raw: raw.to_vec(),
            format: Format::Unknown,
        }
    }

    /// An entry of `kind` named `name`, with nothing else known yet.
    pub fn named(kind: EntryType, name: String, raw: &[u8], format: Format) -> Entry {
        Entry {
            kind,
            name: Some(name),
            format,
            ..Entry::unknown(raw)
        }
    }
}

/// What the parsers need to know besides the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListContext {
    /// The current time (Unix seconds) against which a Unix listing's
    /// dates without a year are placed: the most recent year that puts the
    /// date at most one day after `now`. The server's clock when known,
    /// else ours.
    pub now: i64,
    /// How names are decoded.
    pub encoding: Encoding,
}

/// Why a line gives no entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// A Unix listing's `total N` line.
    Total,
    /// The directory itself or its parent: `.` and `..` (MLSD `cdir` and
    /// `pdir`).
    Dot,
}

/// What one listing line gives: an entry (possibly Unknown) or nothing,
/// for a documented reason. Every line gives exactly one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// An entry, parsed or [`EntryType::Unknown`].
    Entry(Entry),
    /// A line that names no entry.
    Skip(Skip),
}
