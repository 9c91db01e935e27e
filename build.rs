//! Gives the shared library its soname, from the version in Cargo.toml:
//! `libftp.so.MAJOR`, or `libftp.so.0.MINOR` while the major version is 0
//! (cargo-c's rule: before 1.0 every minor version may break the ABI). It
//! places the matching link (`libftp.so.0.1` -> `libftp.so`) next to
//! `libftp.so` in the target directory, so programs linked in the build tree
//! run there as they will once installed. cmake/FtpInstall.cmake and
//! scripts/check-install.sh follow the same rule.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os != "linux" {
        return;
    }
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("set by cargo");
    let minor = std::env::var("CARGO_PKG_VERSION_MINOR").expect("set by cargo");
    let soname = if major == "0" {
        format!("libftp.so.0.{minor}")
    } else {
        format!("libftp.so.{major}")
    };
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");

    // OUT_DIR is <target>/<profile>/build/ftp-<hash>/out.
    let Some(out) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    let Some(profile_dir) = out.ancestors().nth(3) else {
        return;
    };
    let link = profile_dir.join(&soname);
    if std::fs::symlink_metadata(&link).is_err() {
        // A relative link: it points at libftp.so once cargo has written it.
        if let Err(e) = std::os::unix::fs::symlink("libftp.so", &link) {
            println!("cargo:warning=could not create {}: {e}", link.display());
        }
    }
}
