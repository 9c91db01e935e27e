//! Checksum algorithms and the digests computed locally while the data
//! streams (SHA-256, SHA-1 and MD5 by OpenSSL, CRC32 by `crc32.rs`).

use super::crc32::Crc32;
use crate::error::{Error, Result};

/// A checksum algorithm the library computes and asks servers for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashAlgo {
    /// SHA-256 (`HASH SHA-256`, `XSHA256`).
    Sha256,
    /// SHA-1 (`HASH SHA-1`, `XSHA1`).
    Sha1,
    /// MD5 (`HASH MD5`, `XMD5`).
    Md5,
    /// CRC-32, IEEE (`HASH CRC32`, `XCRC`).
    Crc32,
}

impl HashAlgo {
    /// Every algorithm, best first (the order in which they are chosen).
    pub fn all() -> [HashAlgo; 4] {
        [
            HashAlgo::Sha256,
            HashAlgo::Sha1,
            HashAlgo::Md5,
            HashAlgo::Crc32,
        ]
    }

    /// The name HASH uses: "SHA-256", "SHA-1", "MD5", "CRC32".
    pub fn name(self) -> &'static str {
        match self {
            HashAlgo::Sha256 => "SHA-256",
            HashAlgo::Sha1 => "SHA-1",
            HashAlgo::Md5 => "MD5",
            HashAlgo::Crc32 => "CRC32",
        }
    }

    /// The algorithm of a name, case-insensitive, with or without the
    /// dash ("SHA-256", "sha256", "SHA1", "md5", "CRC32", "CRC").
    pub fn parse(name: &str) -> Option<HashAlgo> {
        let n: String = name
            .chars()
            .filter(|c| *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        match n.as_str() {
            "SHA256" => Some(HashAlgo::Sha256),
            "SHA1" => Some(HashAlgo::Sha1),
            "MD5" => Some(HashAlgo::Md5),
            "CRC32" | "CRC" => Some(HashAlgo::Crc32),
            _ => None,
        }
    }

    /// The older single-algorithm command: "XSHA256", "XSHA1", "XMD5", "XCRC".
    pub fn x_command(self) -> &'static str {
        match self {
            HashAlgo::Sha256 => "XSHA256",
            HashAlgo::Sha1 => "XSHA1",
            HashAlgo::Md5 => "XMD5",
            HashAlgo::Crc32 => "XCRC",
        }
    }

    /// Hex digits in a digest.
    pub fn hex_len(self) -> usize {
        match self {
            HashAlgo::Sha256 => 64,
            HashAlgo::Sha1 => 40,
            HashAlgo::Md5 => 32,
            HashAlgo::Crc32 => 8,
        }
    }
}

impl std::fmt::Display for HashAlgo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

enum State {
    Ossl(openssl::hash::Hasher),
    Crc(Crc32),
}

/// Digests of one byte stream in several algorithms at once (those the
/// server may be asked for), fed as the data passes.
pub struct Digests {
    states: Vec<(HashAlgo, State)>,
}

impl std::fmt::Debug for Digests {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let algos: Vec<HashAlgo> = self.states.iter().map(|(a, _)| *a).collect();
        f.debug_struct("Digests").field("algos", &algos).finish()
    }
}

fn ossl(e: openssl::error::ErrorStack) -> Error {
    Error::Internal(format!("OpenSSL digest: {e}"))
}

impl Digests {
    /// Empty digests in each of `algos`.
    pub fn new(algos: &[HashAlgo]) -> Result<Digests> {
        use openssl::hash::{Hasher, MessageDigest};
        let mut states = Vec::new();
        for &a in algos {
            let state = match a {
                HashAlgo::Sha256 => {
                    State::Ossl(Hasher::new(MessageDigest::sha256()).map_err(ossl)?)
                }
                HashAlgo::Sha1 => State::Ossl(Hasher::new(MessageDigest::sha1()).map_err(ossl)?),
                HashAlgo::Md5 => State::Ossl(Hasher::new(MessageDigest::md5()).map_err(ossl)?),
                HashAlgo::Crc32 => State::Crc(Crc32::new()),
            };
            states.push((a, state));
        }
        Ok(Digests { states })
    }

    /// Adds `data` to every digest.
    pub fn update(&mut self, data: &[u8]) -> Result<()> {
        for (_, s) in &mut self.states {
            match s {
                State::Ossl(h) => h.update(data).map_err(ossl)?,
                State::Crc(c) => c.update(data),
            }
        }
        Ok(())
    }

    /// Adds the first `len` bytes of `file` (read from its start with
    /// positioned reads: the file offset does not move).
    pub fn update_from_file(&mut self, file: &std::fs::File, len: u64) -> Result<()> {
        use std::os::unix::fs::FileExt;
        let mut buf = vec![0u8; 256 * 1024];
        let mut pos = 0u64;
        while pos < len {
            let want = (len - pos).min(buf.len() as u64) as usize;
            let n = file.read_at(&mut buf[..want], pos).map_err(|e| Error::Io {
                context: "reading the local file's existing part".into(),
                source: e,
            })?;
            if n == 0 {
                return Err(Error::Io {
                    context: "reading the local file's existing part".into(),
                    source: std::io::ErrorKind::UnexpectedEof.into(),
                });
            }
            self.update(&buf[..n])?;
            pos += n as u64;
        }
        Ok(())
    }

    /// The lower-case hex digest in `algo`, if it is one of these.
    pub fn hex(&self, algo: HashAlgo) -> Result<Option<String>> {
        let Some((_, s)) = self.states.iter().find(|(a, _)| *a == algo) else {
            return Ok(None);
        };
        Ok(Some(match s {
            // finish() consumes a copy; the running state stays usable.
            State::Ossl(h) => {
                let mut h = h.clone();
                hex(&h.finish().map_err(ossl)?)
            }
            State::Crc(c) => format!("{:08x}", c.value()),
        }))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_of_known_inputs() {
        let mut d = Digests::new(&HashAlgo::all()).unwrap();
        d.update(b"123").unwrap();
        d.update(b"456789").unwrap();
        assert_eq!(
            d.hex(HashAlgo::Sha256).unwrap().unwrap(),
            "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"
        );
        assert_eq!(
            d.hex(HashAlgo::Sha1).unwrap().unwrap(),
            "f7c3bc1d808e04732adf679965ccc34ca7ae3441"
        );
        assert_eq!(
            d.hex(HashAlgo::Md5).unwrap().unwrap(),
            "25f9e794323b453885f5181f1b624d0b"
        );
        assert_eq!(d.hex(HashAlgo::Crc32).unwrap().unwrap(), "cbf43926");
        // hex() leaves the running digests usable.
        d.update(b"0").unwrap();
        assert_eq!(
            d.hex(HashAlgo::Md5).unwrap().unwrap(),
            "e807f1fcf82d132f9bb018ca6738a19f"
        );
    }
}
