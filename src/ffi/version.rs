//! `FTP_VERSION_MAJOR/MINOR/PATCH`: the version of Cargo.toml as macros of
//! ftp.h. cbindgen cannot read Cargo.toml, so `scripts/gen-header.sh` writes
//! the three numbers below from it; the build fails when they differ from
//! Cargo.toml (run `scripts/gen-header.sh`). `ftp_version()` gives the same
//! version as a string (tests/c/test_abi.c checks both).

/// The major version of the library this header belongs to (Cargo.toml).
/// Compare with `ftp_version()` to detect a header/library mismatch.
pub const FTP_VERSION_MAJOR: u32 = 0;

/// The minor version (Cargo.toml). While the major version is 0, a new minor
/// version may change the ABI (the soname is `libftp.so.0.MINOR`).
pub const FTP_VERSION_MINOR: u32 = 1;

/// The patch version (Cargo.toml).
pub const FTP_VERSION_PATCH: u32 = 0;

/// A decimal version component, read at compile time.
const fn parse(s: &str) -> u32 {
    let b = s.as_bytes();
    let mut n = 0u32;
    let mut i = 0;
    while i < b.len() {
        assert!(b[i].is_ascii_digit(), "version component is not a number");
        n = n * 10 + (b[i] - b'0') as u32;
        i += 1;
    }
    n
}

const _: () = assert!(
    FTP_VERSION_MAJOR == parse(env!("CARGO_PKG_VERSION_MAJOR"))
        && FTP_VERSION_MINOR == parse(env!("CARGO_PKG_VERSION_MINOR"))
        && FTP_VERSION_PATCH == parse(env!("CARGO_PKG_VERSION_PATCH")),
    "src/ffi/version.rs differs from the version in Cargo.toml: run scripts/gen-header.sh"
);
