//! MLSD listing lines (RFC 3659): `fact=value;fact=value; name`.

/// One fact of an MLSD entry: its name (lowercased) and its value as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact<'a> {
    /// The fact's name, lowercased (`"type"`, `"size"`, `"modify"`, ...).
    pub name: String,
    /// The value, byte for byte (it may contain `=`).
    pub value: &'a [u8],
}

/// One MLSD line, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MlsdEntry<'a> {
    /// The file name: everything after the first space, verbatim (spaces and
    /// `;` included).
    pub name: &'a [u8],
    /// The facts in the order sent.
    pub facts: Vec<Fact<'a>>,
}

impl MlsdEntry<'_> {
    /// The value of a fact by (lowercase) name.
    pub fn fact(&self, name: &str) -> Option<&[u8]> {
        self.facts.iter().find(|f| f.name == name).map(|f| f.value)
    }
}

/// Parses one MLSD line as ftplib does: split at the first space; the facts
/// part is `k=v;` pairs split at the first `=`, keys lowercased. A line with
/// no space is an entry with no facts whose name is the whole line.
pub fn parse_mlsd_line(line: &[u8]) -> MlsdEntry<'_> {
    let (facts_part, name) = match line.iter().position(|&b| b == b' ') {
        Some(i) => (&line[..i], &line[i + 1..]),
        None => (&b""[..], line),
    };
    let facts = facts_part
        .split(|&b| b == b';')
        .filter(|f| !f.is_empty())
        .map(|f| {
            let (k, v) = match f.iter().position(|&b| b == b'=') {
                Some(i) => (&f[..i], &f[i + 1..]),
                None => (f, &b""[..]),
            };
            Fact {
                name: String::from_utf8_lossy(k).to_lowercase(),
                value: v,
            }
        })
        .collect();
    MlsdEntry { name, facts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_and_names() {
        let e = parse_mlsd_line(b"Type=file;Size=12;UNIX.mode=0644;x=a=b; a b;c.txt");
        assert_eq!(e.name, b"a b;c.txt");
        assert_eq!(e.fact("type"), Some(&b"file"[..]));
        assert_eq!(e.fact("size"), Some(&b"12"[..]));
        assert_eq!(e.fact("unix.mode"), Some(&b"0644"[..]));
        assert_eq!(e.fact("x"), Some(&b"a=b"[..]));
        assert_eq!(e.facts.len(), 4);
    }

    #[test]
    fn odd_lines() {
        let e = parse_mlsd_line(b" name only");
        assert_eq!(e.name, b"name only");
        assert!(e.facts.is_empty());
        let e = parse_mlsd_line(b"nospace");
        assert_eq!(e.name, b"nospace");
        let e = parse_mlsd_line(b"flag; n");
        assert_eq!(e.fact("flag"), Some(&b""[..]));
        let e = parse_mlsd_line(b"type=dir; caf\xc3\xa9");
        assert_eq!(e.name, "café".as_bytes());
    }
}
