//! Verification: asking the server for its checksum of a file (HASH,
//! XSHA256, XSHA1, XMD5, XCRC) and comparing it with the digests computed
//! locally while the data streamed (`digest.rs`), or the sizes.
//!
//! The server side, in order of preference:
//! 1. `HASH` (draft-bryan-ftpext-hash) when FEAT advertises it: the best
//!    advertised algorithm we know (SHA-256, SHA-1, MD5, CRC32) is chosen
//!    with `OPTS HASH <algo>`, then `HASH <path>` answers
//!    `213 <algo> <start>-<end> <hex> <path>`.
//! 2. `XSHA256`, `XSHA1`, `XMD5`, `XCRC` (the older commands of Serv-U,
//!    ProFTPD's mod_digest, GlobalSCAPE ...), those FEAT advertises, best
//!    first: a 2xx reply whose last line holds the digest in hex.
//!
//! A refusal as "not understood" (500-504) moves on to the next method;
//! any other refusal (550 no such file, 4xx) is an error.

pub use super::digest::{Digests, HashAlgo};
use crate::command::check_line;
use crate::error::{Error, Result};
use crate::features::Features;
use crate::reply::Reply;
use crate::session::Session;

/// How a copy will be checked against the server, decided from FEAT
/// before the transfer (so the local digests can be computed as the data
/// streams).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// HASH with this algorithm (the best advertised).
    pub hash: Option<HashAlgo>,
    /// The X commands advertised, best first (tried after HASH, each
    /// falling back to the next on 500-504).
    pub x: Vec<HashAlgo>,
}

impl Plan {
    /// What `features` offers.
    pub fn from_features(features: &Features) -> Plan {
        Plan {
            hash: features
                .get("HASH")
                .and_then(|params| hash_algos(params).into_iter().next()),
            x: HashAlgo::all()
                .into_iter()
                .filter(|a| features.has(a.x_command()))
                .collect(),
        }
    }

    /// The algorithms whose local digests may be needed.
    pub fn algos(&self) -> Vec<HashAlgo> {
        let mut v: Vec<HashAlgo> = self.hash.into_iter().collect();
        for a in &self.x {
            if !v.contains(a) {
                v.push(*a);
            }
        }
        v
    }

    /// No checksum command: sizes (and mtimes) only.
    pub fn size_only(&self) -> bool {
        self.hash.is_none() && self.x.is_empty()
    }
}

/// The algorithms a HASH feature lists (`SHA-256*;SHA-1;MD5;CRC32`) that
/// we know, best first.
fn hash_algos(params: &str) -> Vec<HashAlgo> {
    let listed: Vec<HashAlgo> = params
        .split(';')
        .filter_map(|p| HashAlgo::parse(p.trim().trim_end_matches('*')))
        .collect();
    HashAlgo::all()
        .into_iter()
        .filter(|a| listed.contains(a))
        .collect()
}

/// The digest in a `213 <algo> <start>-<end> <hex> <path>` HASH reply
/// (its last line: ProFTPD sends `213-Computing ...` first).
fn parse_hash_reply(reply: &Reply, want: HashAlgo) -> Result<String> {
    let last = reply.text.rsplit('\n').next().unwrap_or("");
    let mut words = last.get(4..).unwrap_or("").split_whitespace();
    let bad = || Error::Proto(format!("unreadable HASH reply: {:?}", reply.text));
    let algo = words.next().and_then(HashAlgo::parse).ok_or_else(bad)?;
    let _range = words.next().ok_or_else(bad)?;
    let digest = words.next().ok_or_else(bad)?;
    if algo != want {
        return Err(Error::Proto(format!(
            "asked for {want} but the HASH reply is {algo}: {:?}",
            reply.text
        )));
    }
    if digest.len() != want.hex_len() || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    Ok(digest.to_ascii_lowercase())
}

/// The digest in the reply to an X command: on its last line, the last
/// word that is hex of the algorithm's length (CRC-32 may lack leading
/// zeros), lower-cased.
fn parse_x_reply(reply: &Reply, algo: HashAlgo) -> Result<String> {
    let last = reply.text.rsplit('\n').next().unwrap_or("");
    let found = last
        .get(4..)
        .unwrap_or("")
        .split_whitespace()
        .rev()
        .find(|w| {
            w.bytes().all(|b| b.is_ascii_hexdigit())
                && (w.len() == algo.hex_len() || (algo == HashAlgo::Crc32 && w.len() < 8))
        });
    match found {
        Some(w) => Ok(format!(
            "{:0>width$}",
            w.to_ascii_lowercase(),
            width = algo.hex_len()
        )),
        None => Err(Error::Proto(format!(
            "no {algo} digest in the {} reply: {:?}",
            algo.x_command(),
            reply.text
        ))),
    }
}

/// A refusal that means "this command is not understood here".
fn not_understood(e: &Error) -> bool {
    matches!(e, Error::Perm(r) if (500..=504).contains(&r.code))
}

/// The server's digest of `path` by HASH with `algo`: `Ok(None)` when the
/// server does not understand HASH or that algorithm.
fn by_hash(s: &mut Session, path: &str, algo: HashAlgo) -> Result<Option<String>> {
    match s.send_void(&format!("OPTS HASH {}", algo.name())) {
        Ok(_) => {}
        Err(e) if not_understood(&e) => return Ok(None),
        Err(e) => return Err(e),
    }
    match s.send_void(&format!("HASH {path}")) {
        Ok(r) => parse_hash_reply(&r, algo).map(Some),
        Err(e) if not_understood(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The server's digest of `path` by the X command of `algo`: `Ok(None)`
/// when it is not understood.
fn by_x(s: &mut Session, path: &str, algo: HashAlgo) -> Result<Option<String>> {
    match s.send_void(&format!("{} {path}", algo.x_command())) {
        Ok(r) => parse_x_reply(&r, algo).map(Some),
        Err(e) if not_understood(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The server's digest of `path` as `plan` says (HASH, then each X
/// command): `Ok(None)` when none is understood.
pub(crate) fn remote_digest(
    s: &mut Session,
    path: &str,
    plan: &Plan,
) -> Result<Option<(HashAlgo, String)>> {
    if let Some(algo) = plan.hash {
        if let Some(d) = by_hash(s, path, algo)? {
            return Ok(Some((algo, d)));
        }
    }
    for &algo in &plan.x {
        if let Some(d) = by_x(s, path, algo)? {
            return Ok(Some((algo, d)));
        }
    }
    Ok(None)
}

/// `ftp_checksum`: the server's digest of `path`, in `algo` or the best
/// one advertised.
pub(crate) fn checksum(
    s: &mut Session,
    path: &str,
    algo: Option<HashAlgo>,
) -> Result<(HashAlgo, String)> {
    s.begin()?;
    check_line(path, "the path")?;
    if path.is_empty() {
        return Err(Error::InvalidArgument("the path is empty".into()));
    }
    let features = s.features()?.clone();
    let advertised = Plan::from_features(&features);
    let plan = match algo {
        None if advertised.size_only() => {
            return Err(Error::State(
                "the server advertises no checksum command (HASH, XSHA256, XSHA1, XMD5, XCRC)"
                    .into(),
            ))
        }
        None => advertised,
        // The algorithm asked for: by HASH when advertised with it, else
        // by its X command, advertised or not (its refusal is the error).
        Some(a) => {
            let hash_has = features
                .get("HASH")
                .is_some_and(|p| hash_algos(p).contains(&a));
            if hash_has {
                if let Some(d) = by_hash(s, path, a)? {
                    return Ok((a, d));
                }
            }
            // Its X command, advertised or not: its refusal is the error
            // (rather than a vague "not understood").
            let reply = s.send_void(&format!("{} {path}", a.x_command()))?;
            return parse_x_reply(&reply, a).map(|d| (a, d));
        }
    };
    match remote_digest(s, path, &plan)? {
        Some(found) => Ok(found),
        None => Err(Error::State(format!(
            "the server understands none of the checksum commands it advertises for {path}"
        ))),
    }
}

/// Which side a digest comparison calls "expected".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Original {
    /// A download: the server's file is the original.
    Server,
    /// An upload: the local file is the original.
    Local,
}

/// The "expected ... got ..." error of a mismatch.
pub(crate) fn mismatch(what: &str, path: &str, server: &str, local: &str, orig: Original) -> Error {
    let (exp, got) = match orig {
        Original::Server => (
            format!("{server} (server)"),
            format!("{local} (local copy)"),
        ),
        Original::Local => (
            format!("{local} (local file)"),
            format!("{server} (server copy)"),
        ),
    };
    Error::Verify(format!("{what} of {path}: expected {exp}, got {got}"))
}

/// How [`compare`] checked a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checked {
    /// By a digest (HASH or an X command).
    Digest,
    /// By SIZE: no digest was planned, or the server understood none of
    /// the commands it advertised.
    Size,
}

/// Compares the copy with the server: by digest when the plan has a
/// command the server understands, else by SIZE. `remote` is the path on
/// the server; `local_size` the local file's size.
pub(crate) fn compare(
    s: &mut Session,
    remote: &str,
    plan: &Plan,
    digests: Option<&Digests>,
    local_size: u64,
    orig: Original,
) -> Result<Checked> {
    if let Some(d) = digests {
        if let Some((algo, theirs)) = remote_digest(s, remote, plan)? {
            let ours = d
                .hex(algo)?
                .ok_or_else(|| Error::Internal(format!("no local {algo} digest was computed")))?;
            if ours != theirs {
                return Err(mismatch(algo.name(), remote, &theirs, &ours, orig));
            }
            return Ok(Checked::Digest);
        }
    }
    let reply = s.send_void(&format!("SIZE {remote}"))?;
    let theirs: u64 = reply
        .text
        .get(3..)
        .unwrap_or("")
        .trim()
        .parse()
        .map_err(|_| Error::Proto(format!("the SIZE reply is not a number: {:?}", reply.text)))?;
    if theirs != local_size {
        return Err(mismatch(
            "the size",
            remote,
            &theirs.to_string(),
            &local_size.to_string(),
            orig,
        ));
    }
    Ok(Checked::Size)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(t: &str) -> Reply {
        Reply::new(t.to_string())
    }

    #[test]
    fn plans_from_feat() {
        let f = Features::parse(&reply(
            "211-Features:\n HASH CRC32;MD5;SHA-1*;SHA-256;SHA-512;\n XCRC\n XMD5\n XSHA\n\
             XSHA1\n XSHA256\n211 End",
        ));
        let p = Plan::from_features(&f);
        assert_eq!(p.hash, Some(HashAlgo::Sha256));
        assert_eq!(
            p.x,
            [
                HashAlgo::Sha256,
                HashAlgo::Sha1,
                HashAlgo::Md5,
                HashAlgo::Crc32
            ]
        );
        let f = Features::parse(&reply("211-Features:\n XMD5\n XCRC\n SIZE\n211 End"));
        let p = Plan::from_features(&f);
        assert_eq!(p.hash, None);
        assert_eq!(p.x, [HashAlgo::Md5, HashAlgo::Crc32]);
        assert_eq!(p.algos(), [HashAlgo::Md5, HashAlgo::Crc32]);
        let f = Features::parse(&reply("211-Features:\n HASH SHA-512*;MD5\n211 End"));
        assert_eq!(Plan::from_features(&f).hash, Some(HashAlgo::Md5));
        assert!(Plan::from_features(&Features::none()).size_only());
    }

    #[test]
    fn hash_and_x_replies() {
        let r = reply(
            "213-Computing SHA-1 digest\n213 SHA-1 0-5242880 C917FD95A7AB9AC0A156A82DF39A6F1D71BFB024 big file.bin",
        );
        assert_eq!(
            parse_hash_reply(&r, HashAlgo::Sha1).unwrap(),
            "c917fd95a7ab9ac0a156a82df39a6f1d71bfb024"
        );
        assert!(parse_hash_reply(&r, HashAlgo::Md5).is_err());
        assert!(parse_hash_reply(&reply("213 SHA-1 0-1 abc x"), HashAlgo::Sha1).is_err());
        let r = reply("250-Computing MD5 digest\n250 6794A571FD056B6D74C1F2BCAEEB6ABA");
        assert_eq!(
            parse_x_reply(&r, HashAlgo::Md5).unwrap(),
            "6794a571fd056b6d74c1f2bcaeeb6aba"
        );
        let r = reply("250 F08BCFC");
        assert_eq!(parse_x_reply(&r, HashAlgo::Crc32).unwrap(), "0f08bcfc");
        assert!(parse_x_reply(&reply("250 done"), HashAlgo::Crc32).is_err());
        assert_eq!(HashAlgo::parse("sha256"), Some(HashAlgo::Sha256));
        assert_eq!(HashAlgo::parse("SHA-512"), None);
    }
}
