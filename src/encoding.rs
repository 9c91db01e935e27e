//! The session encoding: UTF-8 (RFC 2640, the default) or latin-1.
//!
//! Commands are encoded strictly (a character the encoding cannot hold is an
//! [`Error::Encoding`]). Bytes from the server are never rejected: for the
//! caller's line callbacks, UTF-8 sessions pass the raw bytes through and
//! latin-1 sessions transcode each byte to its UTF-8 form; reply texts are
//! decoded lossily (invalid UTF-8 becomes U+FFFD).

use crate::error::{Error, Result};
use std::borrow::Cow;

/// A text encoding for the control connection and text transfers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8.
    #[default]
    Utf8,
    /// ISO-8859-1.
    Latin1,
}

impl Encoding {
    /// Looks an encoding up by name: "utf-8"/"utf8", or
    /// "latin-1"/"latin1"/"iso-8859-1"/"iso8859-1" (case-insensitive).
    pub fn from_name(name: &str) -> Result<Encoding> {
        match name.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1" => Ok(Encoding::Latin1),
            _ => Err(Error::InvalidArgument(format!(
                "unknown encoding {name:?} (use \"utf-8\" or \"latin-1\")"
            ))),
        }
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Latin1 => "latin-1",
        }
    }

    /// Encodes text for the wire, strictly.
    pub fn encode(self, text: &str) -> Result<Vec<u8>> {
        match self {
            Encoding::Utf8 => Ok(text.as_bytes().to_vec()),
            Encoding::Latin1 => text
                .chars()
                .map(|c| {
                    // The character is not named: it may be part of a password.
                    u8::try_from(u32::from(c)).map_err(|_| {
                        Error::Encoding("the text holds a character latin-1 cannot encode".into())
                    })
                })
                .collect(),
        }
    }

    /// Decodes bytes from the server, replacing what is invalid.
    pub fn decode_lossy(self, bytes: &[u8]) -> String {
        match self {
            Encoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Encoding::Latin1 => bytes.iter().map(|&b| char::from(b)).collect(),
        }
    }

    /// The bytes handed to the caller's callbacks for a line received from the
    /// server: unchanged in UTF-8 sessions (even if invalid), transcoded to
    /// UTF-8 in latin-1 sessions.
    pub fn to_caller<'a>(self, bytes: &'a [u8]) -> Cow<'a, [u8]> {
        match self {
            Encoding::Utf8 => Cow::Borrowed(bytes),
            Encoding::Latin1 if bytes.is_ascii() => Cow::Borrowed(bytes),
            Encoding::Latin1 => Cow::Owned(self.decode_lossy(bytes).into_bytes()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases() {
        assert_eq!(Encoding::from_name("UTF-8").unwrap(), Encoding::Utf8);
        assert_eq!(Encoding::from_name("latin_1").unwrap(), Encoding::Latin1);
        assert_eq!(Encoding::from_name("ISO-8859-1").unwrap(), Encoding::Latin1);
        assert!(matches!(
            Encoding::from_name("ebcdic"),
            Err(Error::InvalidArgument(_))
        ));
    }

    #[test]
    fn latin1_round_trip_and_strictness() {
        let e = Encoding::Latin1;
        assert_eq!(e.encode("café").unwrap(), b"caf\xe9");
        assert_eq!(e.decode_lossy(b"caf\xe9"), "café");
        assert!(matches!(e.encode("€"), Err(Error::Encoding(_))));
        assert_eq!(&*e.to_caller(b"caf\xe9"), "café".as_bytes());
    }

    #[test]
    fn utf8_keeps_raw_bytes_for_callers_and_is_lossy_in_text() {
        let e = Encoding::Utf8;
        assert_eq!(&*e.to_caller(b"a\xffb"), b"a\xffb");
        assert_eq!(e.decode_lossy(b"a\xffb"), "a\u{fffd}b");
    }
}
