//! `upload_file`: a local file to a remote path.
//!
//! Without `verify` the data goes through [`Session::stor_from_fd`]
//! (sendfile where it applies). With `verify` it goes through
//! [`Session::storbinary`], each block hashed as it is read for sending;
//! with `resume` the part the server already has is hashed first from the
//! local file.
//!
//! Resume asks the remote SIZE, then sends the rest with `REST n` + `STOR`
//! when FEAT advertises `REST STREAM`, else with `APPE`. Atomic uploads go
//! to a temporary name in the target's directory, renamed with RNFR/RNTO
//! once complete and verified; a server that refuses to rename over an
//! existing file gets `DELE target` and RNFR/RNTO again (so there is a
//! short moment without the target on such servers).

use super::atomic;
use super::retry::{self, Restore};
use super::verify::{self, Digests, Original, Plan};
use super::{local_io, remote_base, remote_join, remote_parent, tree, FileOptions};
use crate::command::check_line;
use crate::error::{Error, Result};
use crate::progress::ProgressInfo;
use crate::session::{Session, MAX_STOR_BLOCK};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::fd::AsFd;
use std::path::Path;
use std::time::UNIX_EPOCH;

pub(crate) fn upload(s: &mut Session, local: &Path, remote: &str, opts: FileOptions) -> Result<()> {
    s.begin()?;
    check_line(remote, "the remote path")?;
    let base = remote_base(remote);
    if base.is_empty() || base == "." || base == ".." {
        return Err(Error::InvalidArgument(format!(
            "the remote path {remote:?} names no file"
        )));
    }
    let mut file =
        File::open(local).map_err(|e| local_io(format!("opening {}", local.display()), e))?;
    let meta = file
        .metadata()
        .map_err(|e| local_io(format!("reading the size of {}", local.display()), e))?;
    if !meta.is_file() {
        return Err(Error::InvalidArgument(format!(
            "{} is not a regular file",
            local.display()
        )));
    }
    let parent = remote_parent(remote);
    if opts.create_dirs && !parent.is_empty() && parent != "/" {
        tree::makedirs(s, parent)?;
    }
    let restore = retry::before(s)?;
    let plan = if opts.verify {
        Some(Plan::from_features(s.features()?))
    } else {
        None
    };
    let dest = if opts.atomic {
        remote_join(parent, &atomic::part_name(base, opts.resume))
    } else {
        remote.to_string()
    };
    let result = send(
        s,
        &mut file,
        meta.len(),
        &dest,
        opts,
        plan.as_ref(),
        &restore,
    )
    .and_then(|digests| finish(s, &meta, &dest, opts, plan.as_ref(), digests.as_ref()))
    .and_then(|()| {
        if opts.atomic {
            rename_over(s, &dest, remote)
        } else {
            Ok(())
        }
    });
    if let Err(e) = &result {
        // A unique temporary name goes; the resumable one stays unless its
        // content is wrong. Best effort: the connection may be gone.
        let remove = opts.atomic && (!opts.resume || matches!(e, Error::Verify(_)));
        if remove && s.is_connected() {
            let _ = s.delete(&dest);
        }
    }
    result
}

/// The transfer, with resume and retries; returns the digests of the
/// whole local file when verifying by checksum.
fn send(
    s: &mut Session,
    file: &mut File,
    local_size: u64,
    dest: &str,
    opts: FileOptions,
    plan: Option<&Plan>,
    restore: &Restore,
) -> Result<Option<Digests>> {
    let algos = plan.filter(|p| !p.size_only()).map(Plan::algos);
    let rest_stream = s
        .features()?
        .get("REST")
        .is_some_and(|p| p.to_ascii_uppercase().contains("STREAM"));
    let mut remote_size = if opts.resume {
        remote_size(s, dest, local_size)?
    } else {
        None
    };
    let attempts = s.files_state().retry.attempts;
    let mut retries = 0;
    loop {
        let offset = remote_size.unwrap_or(0);
        // The part the server has is hashed from the local file.
        let mut digests = match &algos {
            Some(a) => {
                let mut d = Digests::new(a)?;
                d.update_from_file(file, offset)?;
                Some(d)
            }
            None => None,
        };
        if remote_size == Some(local_size) {
            return Ok(digests);
        }
        file.seek(SeekFrom::Start(offset))
            .map_err(|e| local_io("positioning the local file".into(), e))?;
        // Progress reports give the whole local file's size.
        s.set_progress_info(ProgressInfo {
            path: Some(dest.to_string()),
            total: Some(local_size),
        });
        let err = match once(s, file, dest, offset, rest_stream, digests.as_mut()) {
            Ok(()) => return Ok(digests),
            Err(e) if retry::is_transient(&e) && retries < attempts => e,
            Err(e) => return Err(e),
        };
        s.debug_line(1, &format!("*retry* upload to {dest} failed: {err}"));
        let mut last = err;
        loop {
            if retries >= attempts {
                return Err(last);
            }
            let r = retry::reconnect(s, retries, restore)
                .and_then(|()| remote_size_after_cut(s, dest, local_size));
            retries += 1;
            match r {
                Ok(size) => {
                    remote_size = size;
                    break;
                }
                Err(e) if retry::is_transient(&e) => last = e,
                Err(e) => return Err(e),
            }
        }
    }
}

/// SIZE of the remote file when resuming: None when it does not exist
/// (550) or the server has no SIZE; larger than the local file is an error.
fn remote_size(s: &mut Session, dest: &str, local_size: u64) -> Result<Option<u64>> {
    s.set_type('I')?;
    match s.size(dest) {
        Ok(Some(size)) if size > local_size => Err(Error::InvalidArgument(format!(
            "{dest} on the server ({size} bytes) is larger than the local file \
             ({local_size} bytes): not resuming (nothing was changed)"
        ))),
        Ok(size) => Ok(size),
        Err(Error::Perm(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// After a cut, the server's size is where to go on; without SIZE the
/// upload cannot resume.
fn remote_size_after_cut(s: &mut Session, dest: &str, local_size: u64) -> Result<Option<u64>> {
    match remote_size(s, dest, local_size)? {
        Some(size) => Ok(Some(size)),
        None => Err(Error::State(format!(
            "the upload to {dest} was cut and the server does not tell its SIZE: cannot resume"
        ))),
    }
}

/// One STOR (or REST + STOR, or APPE) from `offset`.
fn once(
    s: &mut Session,
    file: &mut File,
    dest: &str,
    offset: u64,
    rest_stream: bool,
    digests: Option<&mut Digests>,
) -> Result<()> {
    let (cmd, rest) = if offset == 0 {
        (format!("STOR {dest}"), None)
    } else if rest_stream {
        (format!("STOR {dest}"), Some(offset))
    } else {
        (format!("APPE {dest}"), None)
    };
    s.files_state_mut().strict_rest = true;
    let result = match digests {
        None => s.stor_from_fd(&cmd, file.as_fd(), rest).map(drop),
        Some(d) => s
            .storbinary(
                &cmd,
                MAX_STOR_BLOCK,
                rest,
                |buf| {
                    let n = read_some(file, buf)?;
                    d.update(&buf[..n])?;
                    Ok(n)
                },
                |_| Ok(()),
            )
            .map(drop),
    };
    s.files_state_mut().strict_rest = false;
    result
}

fn read_some(file: &mut File, buf: &mut [u8]) -> Result<usize> {
    loop {
        match file.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(local_io("reading the local file".into(), e)),
        }
    }
}

/// The mtime (on `dest`, before any rename), then the verification:
/// by checksum, else SIZE and, with `keep_mtime`, MDTM.
fn finish(
    s: &mut Session,
    meta: &std::fs::Metadata,
    dest: &str,
    opts: FileOptions,
    plan: Option<&Plan>,
    digests: Option<&Digests>,
) -> Result<()> {
    let mut mtime = None;
    if opts.keep_mtime {
        let secs = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs() as i64)
            .ok_or_else(|| {
                Error::InvalidArgument("the local file's modification time is unknown".into())
            })?;
        s.set_mtime(dest, secs)?;
        mtime = Some(secs);
    }
    let Some(p) = plan else {
        return Ok(());
    };
    let checked = verify::compare(s, dest, p, digests, meta.len(), Original::Local)?;
    // Checked by size only (no digest, or none understood): the time too.
    if let (Some(secs), verify::Checked::Size) = (mtime, checked) {
        let theirs = s.mdtm(dest)?;
        if theirs != secs {
            return Err(verify::mismatch(
                "the modification time",
                dest,
                &theirs.to_string(),
                &secs.to_string(),
                Original::Local,
            ));
        }
    }
    Ok(())
}

/// RNFR/RNTO `from` to `to`; a server that refuses to replace an existing
/// file (5xx) gets `DELE to` and RNFR/RNTO again.
fn rename_over(s: &mut Session, from: &str, to: &str) -> Result<()> {
    match s.rename(from, to) {
        Ok(_) => Ok(()),
        Err(Error::Perm(r)) => {
            s.debug_line(
                1,
                &format!("*rename* refused over {to} ({}): DELE then rename", r.code),
            );
            if s.delete(to).is_err() {
                return Err(Error::Perm(r));
            }
            s.rename(from, to).map(drop)
        }
        Err(e) => Err(e),
    }
}
