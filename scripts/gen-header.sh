#!/usr/bin/env bash
# Regenerate include/ftp.h from the Rust sources with cbindgen.
# scripts/test.sh fails when the committed header differs from this output.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v cbindgen >/dev/null 2>&1; then
  ensure_deps
  need_cmd cbindgen "generate include/ftp.h"
fi
# FTP_VERSION_MAJOR/MINOR/PATCH come from Cargo.toml (cbindgen cannot read it):
# write them into src/ffi/version.rs, whose build fails when they differ.
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' Cargo.toml | head -n1)
[ -n "$version" ] || { echo "gen-header.sh: no version in Cargo.toml" >&2; exit 1; }
IFS=. read -r major minor patch <<<"$version"
new_version_rs=$(sed -E \
  -e "s/^(pub const FTP_VERSION_MAJOR: u32 = )[0-9]+;/\1$major;/" \
  -e "s/^(pub const FTP_VERSION_MINOR: u32 = )[0-9]+;/\1$minor;/" \
  -e "s/^(pub const FTP_VERSION_PATCH: u32 = )[0-9]+;/\1$patch;/" \
  src/ffi/version.rs)
if [ "$new_version_rs" != "$(cat src/ffi/version.rs)" ]; then
  printf '%s\n' "$new_version_rs" >src/ffi/version.rs
  echo "wrote src/ffi/version.rs ($version)"
fi
mkdir -p include
cbindgen --config cbindgen.toml --crate ftp --output include/ftp.h
echo "wrote include/ftp.h"
