//! What a server says it supports: the reply to FEAT (RFC 2389).
//!
//! A FEAT reply is a multi-line 211 whose inner lines each name one
//! feature, optionally followed by a space and its parameters:
//!
//! ```text
//! 211-Features:
//!  MDTM
//!  MLST type*;size*;modify*;
//!  REST STREAM
//! 211 End
//! ```
//!
//! Names are case-insensitive. Some servers repeat the code on inner lines
//! (`211-MDTM`) or leave out the leading space: both are accepted. A server
//! that refuses FEAT, or answers with one line, advertises nothing.

use crate::reply::Reply;

/// The features a server advertised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    /// (name in upper case, parameters as sent, trimmed), in reply order.
    list: Vec<(String, String)>,
}

impl Features {
    /// Nothing advertised (a server without FEAT, or one that refused it).
    pub fn none() -> Features {
        Features::default()
    }

    /// The features of a FEAT reply; anything but a multi-line 2xx reply
    /// advertises nothing.
    pub fn parse(reply: &Reply) -> Features {
        if reply.class() != b'2' {
            return Features::none();
        }
        let lines: Vec<&str> = reply.text.split('\n').collect();
        if lines.len() < 3 {
            return Features::none();
        }
        let code = &reply.text[..3.min(reply.text.len())];
        let mut list = Vec::new();
        for line in &lines[1..lines.len() - 1] {
            let line = line
                .strip_prefix(code)
                .and_then(|l| l.strip_prefix('-'))
                .unwrap_or(line)
                .trim();
            if line.is_empty() {
                continue;
            }
            let (name, params) = match line.split_once(char::is_whitespace) {
                Some((n, p)) => (n, p.trim()),
                None => (line, ""),
            };
            list.push((name.to_ascii_uppercase(), params.to_string()));
        }
        Features { list }
    }

    /// The parameters of feature `name` (case-insensitive; "" when it has
    /// none), or `None` when it was not advertised.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, p)| p.as_str())
    }

    /// True when `name` was advertised.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The advertised features as (upper-case name, parameters).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.list.iter().map(|(n, p)| (n.as_str(), p.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feats(text: &str) -> Features {
        Features::parse(&Reply::new(text.to_string()))
    }

    #[test]
    fn rfc_2389_reply() {
        let f = feats(
            "211-Extensions supported:\n MDTM\n MLST type*;size*;modify*;\n REST STREAM\n \
             HASH SHA-256*;MD5\n UTF8\n211 End",
        );
        assert_eq!(f.get("mdtm"), Some(""));
        assert_eq!(f.get("MLST"), Some("type*;size*;modify*;"));
        assert_eq!(f.get("Rest"), Some("STREAM"));
        assert_eq!(f.get("HASH"), Some("SHA-256*;MD5"));
        assert!(f.has("utf8"));
        assert!(!f.has("MLSD"));
        assert_eq!(f.iter().count(), 5);
    }

    #[test]
    fn lenient_inner_lines() {
        // The code repeated, no leading space, blank lines, CR left over.
        let f = feats("211-Features\n211-MDTM\nSIZE\n\n  PROT  \n211 END");
        let names: Vec<&str> = f.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["MDTM", "SIZE", "PROT"]);
    }

    #[test]
    fn refusals_and_single_lines_advertise_nothing() {
        assert_eq!(feats("500 FEAT not understood"), Features::none());
        assert_eq!(feats("502 Command not implemented"), Features::none());
        assert_eq!(feats("211 No features"), Features::none());
        assert_eq!(feats("211-Features:\n211 End"), Features::none());
    }
}
