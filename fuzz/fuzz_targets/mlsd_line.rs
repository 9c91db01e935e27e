//! `parse_mlsd_line` on arbitrary bytes. Invariants: no panic; the name is a
//! suffix of the input (everything after the first space, or the whole line
//! without one); fact names are lowercase and hold no ' ', ';' or '='; fact
//! values are slices of the facts part holding no ' ' or ';'; `fact()` finds
//! the first fact of a name.

#![no_main]

use ftp::listing::parse_mlsd_line;
use libfuzzer_sys::fuzz_target;

fn within(inner: &[u8], outer: &[u8]) -> bool {
    let (i, o) = (inner.as_ptr() as usize, outer.as_ptr() as usize);
    i >= o && i + inner.len() <= o + outer.len()
}

fuzz_target!(|data: &[u8]| {
    let e = parse_mlsd_line(data);
    assert!(data.ends_with(e.name));
    assert!(within(e.name, data));
    assert_eq!(
        e.name.as_ptr() as usize + e.name.len(),
        data.as_ptr() as usize + data.len(),
        "name is not a suffix"
    );
    let facts_part = match data.iter().position(|&b| b == b' ') {
        Some(i) => {
            assert_eq!(e.name, &data[i + 1..]);
            &data[..i]
        }
        None => {
            assert_eq!(e.name, data);
            &b""[..]
        }
    };
    let semis = facts_part.iter().filter(|&&b| b == b';').count();
    assert!(e.facts.len() <= semis + 1);
    for f in &e.facts {
        assert_eq!(f.name, f.name.to_lowercase(), "fact name not lowercase");
        assert!(!f.name.bytes().any(|b| b.is_ascii_uppercase()));
        assert!(!f.name.contains([' ', ';', '=']));
        // A fact without "=" has an empty value that points nowhere in particular.
        assert!(f.value.is_empty() || within(f.value, facts_part));
        assert!(!f.value.iter().any(|&b| b == b' ' || b == b';'));
        let first = e.facts.iter().find(|g| g.name == f.name).unwrap();
        assert_eq!(e.fact(&f.name), Some(first.value));
    }
});
