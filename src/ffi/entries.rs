//! Parsed listings and one path's metadata: `ftp_list`, `ftp_stat`,
//! `ftp_mdtm`, `ftp_set_mtime`, and the `ftp_entry` they hand out.

use super::boundary::{out_ptr, with_session};
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::{arg, opt_arg, to_cstring};
use crate::error::{Error, Result};
use crate::listing::{Entry, EntryType};
use std::ffi::{c_char, c_int, c_void, CString};

/// What an entry is (the `type` field of `ftp_entry`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ftp_entry_type {
    /// A regular file.
    FTP_ENTRY_FILE = 0,
    /// A directory.
    FTP_ENTRY_DIR = 1,
    /// A symbolic link (`link_target` when the listing gives it).
    FTP_ENTRY_LINK = 2,
    /// Something else: a device, a pipe, a socket...
    FTP_ENTRY_OTHER = 3,
    /// A line no parser understood: only `raw`, `raw_len` and `format`
    /// ("unknown") are set.
    FTP_ENTRY_UNKNOWN = 4,
}

/// `ftp_entry.mtime` when the time is not known (`INT64_MIN`).
pub const FTP_TIME_UNKNOWN: i64 = i64::MIN;

/// One directory entry. Owned by the library: valid during the callback
/// (`ftp_list`) or until the next call on the session (`ftp_stat`); copy
/// what you keep. Strings are NUL-terminated; those not known are NULL.
#[repr(C)]
pub struct ftp_entry {
    /// The base name, in UTF-8 (latin-1 sessions transcode; bytes that are
    /// not valid UTF-8 become U+FFFD). NULL when `type` is
    /// `FTP_ENTRY_UNKNOWN`.
    pub name: *const c_char,
    /// An `ftp_entry_type`.
    pub r#type: c_int,
    /// The size in bytes; -1 when unknown (directories often, devices).
    pub size: i64,
    /// The modification time in Unix seconds, or `FTP_TIME_UNKNOWN`. UTC
    /// when `mtime_utc` is true (MLSD, MLST, MDTM, EPLF). LIST formats
    /// (Unix, DOS/IIS, VMS, NetWare) print the server's wall-clock time in
    /// a zone they do not name: `mtime` then reads it as if it were UTC
    /// (`mtime_utc` false), so it is off by the server's UTC offset unless
    /// the server lists in UTC (vsftpd and pyftpdlib do by default).
    pub mtime: i64,
    /// A symbolic link's target when the listing gives it, else NULL.
    pub link_target: *const c_char,
    /// Permissions: `"rwxr-xr-x"` style from a Unix listing, or MLSD's
    /// `unix.mode` as sent (`"0644"`); NULL when not given.
    pub unix_mode: *const c_char,
    /// The listing line exactly as received (no CR/LF; transcoded to UTF-8
    /// in latin-1 sessions); "" for an `ftp_stat` that probed with SIZE,
    /// MDTM and CWD. A NUL byte inside reads as `?`; `raw_len` is its length.
    pub raw: *const c_char,
    /// The parser that read the line: "mlsd", "mlst", "unix", "dos",
    /// "eplf", "vms", "netware", "probe" (ftp_stat without MLST) or
    /// "unknown".
    pub format: *const c_char,
    /// The length of `raw` in bytes.
    pub raw_len: usize,
    /// Whether `mtime` is a UTC instant (see `mtime`).
    pub mtime_utc: bool,
    /// How finely the source gives `mtime`, in seconds: 1, 60 (hours and
    /// minutes, as `ls` prints recent files) or 86400 (a date only, as `ls`
    /// prints files older than six months); 0 when `mtime` is unknown.
    pub mtime_precision: c_int,
    /// The owner (a name or a number) when the listing gives one, else NULL.
    pub owner: *const c_char,
    /// The group when the listing gives one, else NULL.
    pub group: *const c_char,
}

/// Receives one entry of `ftp_list`; `e` and its strings are valid only
/// during the call. Return 0 to go on, non-zero to stop (`ftp_list` then
/// returns `FTP_ERROR_CALLBACK` and the session stays usable).
pub type ftp_entry_cb =
    Option<unsafe extern "C" fn(userdata: *mut c_void, e: *const ftp_entry) -> c_int>;

/// The C strings behind an `ftp_entry`, and the entry pointing into them.
pub(crate) struct CEntry {
    _strings: [Option<CString>; 7],
    pub(crate) entry: ftp_entry,
}

fn opt_cstring(s: &Option<String>) -> Option<CString> {
    s.as_ref().map(|s| to_cstring(s.as_bytes()))
}

fn ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
}

impl CEntry {
    pub(crate) fn new(e: &Entry) -> CEntry {
        let strings = [
            opt_cstring(&e.name),
            opt_cstring(&e.link_target),
            opt_cstring(&e.unix_mode),
            Some(to_cstring(&e.raw)),
            Some(to_cstring(e.format.name().as_bytes())),
            opt_cstring(&e.owner),
            opt_cstring(&e.group),
        ];
        let kind = match e.kind {
            EntryType::File => ftp_entry_type::FTP_ENTRY_FILE,
            EntryType::Dir => ftp_entry_type::FTP_ENTRY_DIR,
            EntryType::Link => ftp_entry_type::FTP_ENTRY_LINK,
            EntryType::Other => ftp_entry_type::FTP_ENTRY_OTHER,
            EntryType::Unknown => ftp_entry_type::FTP_ENTRY_UNKNOWN,
        };
        let entry = ftp_entry {
            name: ptr(&strings[0]),
            r#type: kind as c_int,
            size: e.size.and_then(|n| i64::try_from(n).ok()).unwrap_or(-1),
            mtime: e.mtime.map_or(FTP_TIME_UNKNOWN, |t| t.secs),
            link_target: ptr(&strings[1]),
            unix_mode: ptr(&strings[2]),
            raw: ptr(&strings[3]),
            format: ptr(&strings[4]),
            raw_len: e.raw.len(),
            mtime_utc: e.mtime.is_some_and(|t| t.utc),
            mtime_precision: e.mtime.map_or(0, |t| t.precision as c_int),
            owner: ptr(&strings[5]),
            group: ptr(&strings[6]),
        };
        // The CStrings' heap buffers do not move with the array.
        CEntry {
            _strings: strings,
            entry,
        }
    }
}

/// Lists directory `path` (NULL or "" = the current directory) as parsed
/// entries, each to `cb`: MLSD when the server advertises MLST (after
/// `OPTS MLST` asking for type, size, modify, unix.mode, owner and group
/// when the server offers facts it does not send by default), else LIST
/// parsed line by line: Unix `ls -l` and its variants, Windows/IIS (DOS),
/// EPLF, VMS and NetWare formats, detected per line.
///
/// Every line of the listing reaches `cb` exactly once, in order: a line
/// no parser understands comes as `FTP_ENTRY_UNKNOWN` with `raw`. Skipped,
/// and only these: a Unix listing's "total N" line, and the entries "."
/// and ".." (MLSD `cdir`/`pdir`). Dates without a year (`ls` prints
/// "Dec 5 10:00" for recent files) take the most recent year that puts
/// them at most one day after our clock.
#[no_mangle]
pub extern "C" fn ftp_list(
    s: *mut ftp_session,
    path: *const c_char,
    cb: ftp_entry_cb,
    userdata: *mut c_void,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: path is NULL or a C string.
        let path = unsafe { opt_arg(path, "path") }?;
        let cb = cb.ok_or_else(|| Error::InvalidArgument("cb is NULL".into()))?;
        s.core.list(path, |e| call_entry(cb, userdata, e))?;
        Ok(())
    })
}

fn call_entry(
    cb: unsafe extern "C" fn(*mut c_void, *const ftp_entry) -> c_int,
    userdata: *mut c_void,
    e: &Entry,
) -> Result<()> {
    let c = CEntry::new(e);
    // SAFETY: the entry and its strings live until the call returns.
    let rc = unsafe { cb(userdata, &c.entry) };
    if rc == 0 {
        Ok(())
    } else {
        Err(Error::Callback(format!(
            "the entry callback returned {rc}: listing stopped"
        )))
    }
}

/// One path's entry in `*out` (owned by the session, valid until the next
/// call on it; NULL on failure). With MLST advertised: `MLST path` (a
/// directory is `FTP_ENTRY_DIR`, format "mlst"). Otherwise format "probe":
/// `SIZE` answered means a file with that size, then `MDTM` gives its
/// time; else `CWD path` succeeding means a directory (the working
/// directory is restored); else the SIZE refusal is the result (e.g.
/// `FTP_ERROR_PERM`, 550, for a path that does not exist). A probe cannot
/// see links.
#[no_mangle]
pub extern "C" fn ftp_stat(
    s: *mut ftp_session,
    path: *const c_char,
    out: *mut *const ftp_entry,
) -> ftp_result {
    if !out.is_null() {
        // SAFETY: out is valid when non-NULL (contract).
        unsafe { *out = std::ptr::null() };
    }
    with_session(s, |s| {
        // SAFETY: path is NULL or a C string.
        let path = unsafe { arg(path, "path") }?;
        let out = out_ptr(out, "out")?;
        let entry = s.core.stat(path)?;
        let c = s.stat_out.insert(Box::new(CEntry::new(&entry)));
        // SAFETY: out checked non-NULL; the entry lives in the session.
        unsafe { *out = &c.entry };
        Ok(())
    })
}

/// The modification time of `path` (MDTM, RFC 3659) in `*mtime_out`, Unix
/// seconds UTC (`FTP_TIME_UNKNOWN` on failure). A reply that is not
/// `213 YYYYMMDDHHMMSS[.fff]` gives `FTP_ERROR_PROTO`.
#[no_mangle]
pub extern "C" fn ftp_mdtm(
    s: *mut ftp_session,
    path: *const c_char,
    mtime_out: *mut i64,
) -> ftp_result {
    if !mtime_out.is_null() {
        // SAFETY: mtime_out is valid when non-NULL (contract).
        unsafe { *mtime_out = FTP_TIME_UNKNOWN };
    }
    with_session(s, |s| {
        // SAFETY: path is NULL or a C string.
        let path = unsafe { arg(path, "path") }?;
        let out = out_ptr(mtime_out, "mtime_out")?;
        let t = s.core.mdtm(path)?;
        // SAFETY: out checked non-NULL.
        unsafe { *out = t };
        Ok(())
    })
}

/// Sets the modification time of `path` to `mtime` (Unix seconds UTC,
/// years 0-9999, else `FTP_ERROR_INVALID_ARGUMENT`): `MFMT` when the
/// server advertises it; otherwise `SITE UTIME time path` (ProFTPD), then
/// `SITE UTIME path atime mtime ctime UTC` (Pure-FTPd, Serv-U), then, when
/// MDTM is advertised, `MDTM time path` (vsftpd), each tried only after a
/// 500-504 refusal of the previous one. The last refusal is the result.
#[no_mangle]
pub extern "C" fn ftp_set_mtime(
    s: *mut ftp_session,
    path: *const c_char,
    mtime: i64,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: path is NULL or a C string.
        let path = unsafe { arg(path, "path") }?;
        s.core.set_mtime(path, mtime)?;
        Ok(())
    })
}
