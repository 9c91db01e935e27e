//! Listings (MLSD, NLST, LIST) and file operations.

use super::boundary::{out_ptr, with_session};
use super::callbacks::{call_line, ftp_line_cb};
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::{arg, opt_arg, to_cstring};
use crate::error::{Error, Result};
use crate::listing::MlsdEntry;
use std::ffi::{c_char, c_int, c_void, CString};

/// One fact of an MLSD entry. `name` is lowercased (`"type"`, `"size"`,
/// `"modify"`, ...); `value` is as sent. Valid only during the callback.
#[repr(C)]
pub struct ftp_fact {
    /// The fact's name, lowercased.
    pub name: *const c_char,
    /// Its value.
    pub value: *const c_char,
}

/// Receives one MLSD entry: its name (verbatim, spaces and `;` kept) and its
/// `nfacts` facts. The name, the array and its strings are valid only
/// during the call: copy what you keep. Return 0 to go on, non-zero to stop.
pub type ftp_mlsd_cb = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        name: *const c_char,
        facts: *const ftp_fact,
        nfacts: usize,
    ) -> c_int,
>;

fn call_mlsd(
    cb: unsafe extern "C" fn(*mut c_void, *const c_char, *const ftp_fact, usize) -> c_int,
    userdata: *mut c_void,
    entry: &MlsdEntry<'_>,
) -> Result<()> {
    let name = to_cstring(entry.name);
    let owned: Vec<(CString, CString)> = entry
        .facts
        .iter()
        .map(|f| (to_cstring(f.name.as_bytes()), to_cstring(f.value)))
        .collect();
    let facts: Vec<ftp_fact> = owned
        .iter()
        .map(|(n, v)| ftp_fact {
            name: n.as_ptr(),
            value: v.as_ptr(),
        })
        .collect();
    // SAFETY: every pointer stays valid for the duration of the call.
    let rc = unsafe { cb(userdata, name.as_ptr(), facts.as_ptr(), facts.len()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(Error::Callback(format!(
            "the MLSD callback returned {rc}: listing stopped"
        )))
    }
}

/// Lists a directory with MLSD (ftplib's `mlsd`): `path` NULL or "" = the
/// current directory; when `nfacts` > 0, `OPTS MLST f1;f2;` is sent first
/// to ask for those facts. Each entry goes to `cb`.
#[no_mangle]
pub extern "C" fn ftp_mlsd(
    s: *mut ftp_session,
    path: *const c_char,
    facts: *const *const c_char,
    nfacts: usize,
    cb: ftp_mlsd_cb,
    userdata: *mut c_void,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: path is NULL or a C string.
        let path = unsafe { opt_arg(path, "path") }?;
        let cb = cb.ok_or_else(|| Error::InvalidArgument("cb is NULL".into()))?;
        let mut names = Vec::with_capacity(nfacts);
        if nfacts > 0 {
            let facts = out_ptr(facts.cast_mut(), "facts")?;
            for i in 0..nfacts {
                // SAFETY: the caller gives an array of nfacts pointers.
                let p = unsafe { *facts.add(i) };
                // SAFETY: each element is NULL or a C string.
                names.push(unsafe { arg(p, "a fact name") }?);
            }
        }
        s.core
            .mlsd(path, &names, |entry| call_mlsd(cb, userdata, entry))
            .map(|_| ())
    })
}

/// Which line listing to run.
enum LineListing {
    Nlst,
    List,
}

/// The shared body of `ftp_nlst` and `ftp_dir`.
fn line_listing(
    s: *mut ftp_session,
    kind: LineListing,
    args: *const c_char,
    cb: ftp_line_cb,
    userdata: *mut c_void,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: args is NULL or a C string.
        let args = unsafe { opt_arg(args, "args") }?;
        let mut scratch = Vec::new();
        let on_line = |line: &[u8]| call_line(cb, userdata, line, &mut scratch);
        match kind {
            LineListing::Nlst => s.core.nlst(args, on_line),
            LineListing::List => s.core.dir(args, on_line),
        }
        .map(|_| ())
    })
}

/// Lists names with NLST (ftplib's `nlst`); `args` (NULL ok) is appended
/// after a space. Each name goes to `cb` as a line (NULL: standard output).
#[no_mangle]
pub extern "C" fn ftp_nlst(
    s: *mut ftp_session,
    args: *const c_char,
    cb: ftp_line_cb,
    userdata: *mut c_void,
) -> ftp_result {
    line_listing(s, LineListing::Nlst, args, cb, userdata)
}

/// Lists with LIST (ftplib's `dir`); `args` (NULL ok) is appended after a
/// space. Each line goes to `cb` (NULL: standard output).
#[no_mangle]
pub extern "C" fn ftp_dir(
    s: *mut ftp_session,
    args: *const c_char,
    cb: ftp_line_cb,
    userdata: *mut c_void,
) -> ftp_result {
    line_listing(s, LineListing::List, args, cb, userdata)
}

/// Renames (RNFR, which must answer 3xx, then RNTO).
#[no_mangle]
pub extern "C" fn ftp_rename(
    s: *mut ftp_session,
    fromname: *const c_char,
    toname: *const c_char,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: each is NULL or a C string.
        let (from, to) = unsafe { (arg(fromname, "fromname")?, arg(toname, "toname")?) };
        s.core.rename(from, to).map(|_| ())
    })
}

/// Deletes a file (DELE); the reply must be 250 or 200, another 1xx-3xx
/// reply gives `FTP_ERROR_REPLY`.
#[no_mangle]
pub extern "C" fn ftp_delete(s: *mut ftp_session, filename: *const c_char) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: filename is NULL or a C string.
        let name = unsafe { arg(filename, "filename") }?;
        s.core.delete(name).map(|_| ())
    })
}

/// Changes directory (CWD); `".."` tries CDUP first (falling back to
/// `CWD ..` on a 500 reply); "" means ".".
#[no_mangle]
pub extern "C" fn ftp_cwd(s: *mut ftp_session, pathname: *const c_char) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: pathname is NULL or a C string.
        let path = unsafe { arg(pathname, "pathname") }?;
        s.core.cwd(path).map(|_| ())
    })
}

/// Makes a directory (MKD). `*path_out` (NULL ok) receives the path from
/// the 257 reply (`""` inside quotes stands for one `"`), or "" if the reply
/// was another 2xx. Owned by the session, valid until the next call.
#[no_mangle]
pub extern "C" fn ftp_mkd(
    s: *mut ftp_session,
    pathname: *const c_char,
    path_out: *mut *const c_char,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: pathname is NULL or a C string.
        let path = unsafe { arg(pathname, "pathname") }?;
        let made = s.core.mkd(path)?;
        s.path_out = to_cstring(made.as_bytes());
        if !path_out.is_null() {
            // SAFETY: checked non-NULL.
            unsafe { *path_out = s.path_out.as_ptr() };
        }
        Ok(())
    })
}

/// The current directory (PWD), from the 257 reply, in `*path_out`. Owned
/// by the session, valid until the next call.
#[no_mangle]
pub extern "C" fn ftp_pwd(s: *mut ftp_session, path_out: *mut *const c_char) -> ftp_result {
    with_session(s, |s| {
        let out = out_ptr(path_out, "path_out")?;
        let path = s.core.pwd()?;
        s.path_out = to_cstring(path.as_bytes());
        // SAFETY: checked non-NULL.
        unsafe { *out = s.path_out.as_ptr() };
        Ok(())
    })
}

/// Removes a directory (RMD).
#[no_mangle]
pub extern "C" fn ftp_rmd(s: *mut ftp_session, dirname: *const c_char) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: dirname is NULL or a C string.
        let name = unsafe { arg(dirname, "dirname") }?;
        s.core.rmd(name).map(|_| ())
    })
}

/// The size of a file (SIZE; no TYPE is sent, and some servers such as
/// vsftpd refuse SIZE in ASCII mode). `*size_out` = the size for a 213
/// reply, -1 for another 1xx-3xx reply.
#[no_mangle]
pub extern "C" fn ftp_size(
    s: *mut ftp_session,
    filename: *const c_char,
    size_out: *mut i64,
) -> ftp_result {
    with_session(s, |s| {
        // SAFETY: filename is NULL or a C string.
        let name = unsafe { arg(filename, "filename") }?;
        let out = out_ptr(size_out, "size_out")?;
        let size = match s.core.size(name)? {
            Some(n) => i64::try_from(n)
                .map_err(|_| Error::Proto(format!("SIZE reply {n} does not fit in int64_t")))?,
            None => -1,
        };
        // SAFETY: checked non-NULL.
        unsafe { *out = size };
        Ok(())
    })
}
