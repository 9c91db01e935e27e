//! Temporary names for atomic replacement: the copy is written under a
//! hidden name in the target's own directory (same file system, so the
//! final rename is atomic) and renamed over the target when complete.
//!
//! - Without resume: `.NAME.part-XXXXXXXX` (8 random hex digits), unique:
//!   a local one is created with O_EXCL; removed when the transfer fails.
//! - With resume: `.NAME.part`, a fixed name, so that a later call with
//!   `FTP_RESUME | FTP_ATOMIC` finds it and continues it. It is kept when
//!   the transfer fails (that is what makes it resumable) and removed only
//!   when verification fails (its content is wrong).

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// 8 random hex digits.
pub(crate) fn random_tag() -> String {
    let mut b = [0u8; 4];
    if openssl::rand::rand_bytes(&mut b).is_err() {
        // Unique enough with O_EXCL retries behind it.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        b = (t ^ std::process::id()).to_le_bytes();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The temporary name of `name`: `.name.part` (resumable) or
/// `.name.part-XXXXXXXX`.
pub(crate) fn part_name(name: &str, resumable: bool) -> String {
    if resumable {
        format!(".{name}.part")
    } else {
        format!(".{name}.part-{}", random_tag())
    }
}

/// Creates a new, unique local temporary file next to `target`.
pub(crate) fn create_local_part(target: &Path) -> Result<(PathBuf, File)> {
    let name = file_name(target)?;
    let dir = target.parent().unwrap_or(Path::new(""));
    let mut last = None;
    for _ in 0..16 {
        let path = dir.join(part_name(&name, false));
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => {
                return Err(Error::Io {
                    context: format!("creating the temporary file {}", path.display()),
                    source: e,
                })
            }
        }
    }
    Err(Error::Io {
        context: format!("creating a temporary file next to {}", target.display()),
        source: last.unwrap_or_else(|| std::io::ErrorKind::AlreadyExists.into()),
    })
}

/// The file name of a local target path, as UTF-8 text.
pub(crate) fn file_name(target: &Path) -> Result<String> {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::InvalidArgument(format!("{} names no file", target.display())))
}

/// Makes a rename into `target`'s directory durable (fsync of the
/// directory); best effort: a file system that cannot sync a directory
/// changes nothing for the caller.
pub fn sync_dir(target: &std::path::Path) {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(part_name("a.bin", true), ".a.bin.part");
        let n = part_name("a.bin", false);
        assert!(n.starts_with(".a.bin.part-") && n.len() == ".a.bin.part-".len() + 8);
        assert_ne!(part_name("a", false), part_name("a", false));
    }
}
