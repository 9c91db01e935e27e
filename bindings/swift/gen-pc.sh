#!/usr/bin/env bash
# Writes ftp.pc (pkg-config "ftp", as named in Package.swift) for the libftp
# of this repository into DIR (default: bindings/swift/.pkgconfig):
#   Cflags: -I<repo>/include    Libs: -L<repo>/target/release -lftp
# Then: PKG_CONFIG_PATH=DIR swift build
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${1:-$here/.pkgconfig}"
libdir="${LIBFTP_LIB_DIR:-$repo/target/release}"
version="$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$repo/Cargo.toml" | head -n1)"
mkdir -p "$out"
cat > "$out/ftp.pc" <<PC
prefix=$repo
includedir=\${prefix}/include
libdir=$libdir

Name: ftp
Description: libftp, an FTP/FTPS client library (C API)
Version: ${version:-0.0.0}
Cflags: -I\${includedir}
Libs: -L\${libdir} -lftp
PC
echo "$out/ftp.pc"
