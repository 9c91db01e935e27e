//! CRC-32 (IEEE 802.3, the polynomial of zlib, PNG and FTP's `XCRC` /
//! `HASH CRC32`): a byte-at-a-time table implementation, enough for
//! verifying transfers (OpenSSL has no CRC-32 digest).

/// The reflected IEEE polynomial.
const POLY: u32 = 0xedb8_8320;

const fn make_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { POLY ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

static TABLE: [u32; 256] = make_table();

/// A running CRC-32.
#[derive(Debug, Clone, Copy, Default)]
pub struct Crc32 {
    /// The register, inverted (0 for an empty input).
    state: u32,
}

impl Crc32 {
    /// A CRC of nothing yet.
    pub fn new() -> Crc32 {
        Crc32::default()
    }

    /// Adds `data`.
    pub fn update(&mut self, data: &[u8]) {
        let mut c = !self.state;
        for &b in data {
            c = TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
        }
        self.state = !c;
    }

    /// The CRC of everything added so far.
    pub fn value(&self) -> u32 {
        self.state
    }
}

#[cfg(test)]
mod tests {
    use super::Crc32;

    fn crc(data: &[u8]) -> u32 {
        let mut c = Crc32::new();
        c.update(data);
        c.value()
    }

    #[test]
    fn known_values() {
        assert_eq!(crc(b""), 0);
        assert_eq!(crc(b"123456789"), 0xcbf4_3926);
        assert_eq!(
            crc(b"The quick brown fox jumps over the lazy dog"),
            0x414f_a339
        );
    }

    #[test]
    fn pieces_equal_whole() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 + i / 3) as u8).collect();
        let mut c = Crc32::new();
        for piece in data.chunks(333) {
            c.update(piece);
        }
        assert_eq!(c.value(), crc(&data));
    }
}
