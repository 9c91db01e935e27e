#!/usr/bin/env bash
# Builds the C# binding and its tests with mono's mcs and runs them with mono
# against the test servers whose env (FTP_TEST_PYFTPD_*, FTP_TEST_PYFTPDS_*,
# optionally FTP_TEST_VSFTPD_*) is already exported, e.g.:
#
#   python3 tests/servers/ftpservers.py --env-file /tmp/s.env --only pyftpd,pyftpds &
#   set -a; . /tmp/s.env; set +a
#   bindings/csharp/run-tests.sh
#
# Without that env the tests print SKIP and succeed, unless
# FTP_TEST_REQUIRE_SERVERS=1. Exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
libdir="${LIBFTP_LIB_DIR:-$repo/target/release}"

missing=()
command -v mcs >/dev/null 2>&1 || missing+=("mcs (Debian/Ubuntu: apt-get install mono-mcs)")
command -v mono >/dev/null 2>&1 || missing+=("mono (Debian/Ubuntu: apt-get install mono-runtime)")
if ((${#missing[@]})); then
    echo "run-tests.sh: missing: ${missing[*]}" >&2
    exit 2
fi

if [[ ! -f "$libdir/libftp.so" && ! -f "$libdir/libftp.dylib" ]]; then
    if command -v cargo >/dev/null 2>&1 && [[ -z "${LIBFTP_LIB_DIR:-}" ]]; then
        echo "run-tests.sh: $libdir/libftp.so missing: cargo build --release" >&2
        (cd "$repo" && cargo build --release)
    else
        echo "run-tests.sh: $libdir/libftp.so missing: run 'cargo build --release' in $repo" >&2
        exit 2
    fi
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/libftp-csharp.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The contract's functions still missing from libftp (ftp_pool_mirror,
# ftp_connect_url, ftp_set_netrc, ftp_set_proxy) are bound under
# LIBFTP_NEXT: defined when this libftp exports them all.
defines=()
lib="$libdir/libftp.so"; [[ -f "$lib" ]] || lib="$libdir/libftp.dylib"
if command -v nm >/dev/null 2>&1; then
    exports="$(nm -D "$lib" 2>/dev/null || nm -gU "$lib" 2>/dev/null || true)"
    next=1
    for f in ftp_pool_mirror ftp_connect_url ftp_set_netrc ftp_set_proxy; do
        grep -qw "_\?$f" <<<"$exports" || next=0
    done
    ((next)) && defines+=(-define:LIBFTP_NEXT)
fi

echo "== mcs $(mcs --version | head -n1 | sed 's/^Mono C# compiler version //') ${defines[*]:-}"
mcs -nologo -warnaserror -debug -langversion:7.2 ${defines[@]+"${defines[@]}"} -out:"$work/tests.exe" \
    -r:System.dll -r:System.Core.dll "$here"/src/*.cs "$here"/tests/*.cs

echo "== mcs examples/FtpsGet.cs (the README's example)"
mcs -nologo -warnaserror -langversion:7.2 ${defines[@]+"${defines[@]}"} -out:"$work/ftpsget.exe" \
    -r:System.dll "$here"/src/*.cs "$here/examples/FtpsGet.cs"

echo "== mono tests.exe (LD_LIBRARY_PATH=$libdir)"
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export DYLD_LIBRARY_PATH="$libdir${DYLD_LIBRARY_PATH:+:$DYLD_LIBRARY_PATH}"
mono --debug "$work/tests.exe"

# The README's example, run as printed against explicit-FTPS vsftpd
# (which refuses clear data connections), byte-exact.
if [[ -n "${FTP_TEST_VSFTPDS_PORT:-}" && -n "${FTP_TEST_TLS_CAFILE:-}" ]]; then
    echo "== mono ftpsget.exe ftpes://$FTP_TEST_VSFTPDS_HOST:$FTP_TEST_VSFTPDS_PORT/pub/ big.bin"
    mono --debug "$work/ftpsget.exe" "ftpes://$FTP_TEST_VSFTPDS_HOST:$FTP_TEST_VSFTPDS_PORT/pub/" \
        big.bin "$work/big.bin" 60 "$FTP_TEST_TLS_CAFILE" >"$work/ftpsget.out" 2>&1 ||
        { cat "$work/ftpsget.out"; echo "FAIL: the README example"; exit 1; }
    cmp "$work/big.bin" "$FTP_TEST_VSFTPDS_ROOT/pub/big.bin" ||
        { echo "FAIL: the README example's download differs"; exit 1; }
    echo "ok   the README example (FTPS URL, listing, progress, time limit): big.bin byte-exact"
fi
