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

echo "== mcs $(mcs --version | head -n1 | sed 's/^Mono C# compiler version //')"
mcs -nologo -warnaserror -debug -out:"$work/tests.exe" -r:System.dll -r:System.Core.dll \
    "$here/LibFtp.cs" "$here/tests/Tests.cs"

echo "== mono tests.exe (LD_LIBRARY_PATH=$libdir)"
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export DYLD_LIBRARY_PATH="$libdir${DYLD_LIBRARY_PATH:+:$DYLD_LIBRARY_PATH}"
mono --debug "$work/tests.exe"
