#!/usr/bin/env bash
# ABI guard checks of include/ftp.h and target/release/libftp.so (run by
# scripts/test.sh after `cargo build --release` and the header check):
#   1. every macro, type, tag, enum constant and function ftp.h declares
#      starts with ftp_ or FTP_ (names read by clang: scripts/abi/header_names.py);
#   2. FTP_VERSION_MAJOR/MINOR/PATCH equal Cargo.toml's version and ftp_version();
#   3. ftp.h compiles alone (included twice) as C99 and C11 with gcc and clang,
#      as C++11 and C++17 with g++ and clang++, with -Wall -Wextra -pedantic
#      -Werror, and a C++ program links and calls it;
#   4. the library's dynamic exports (nm -D) are exactly the header's
#      functions, all ftp_;
#   5. every #[no_mangle] function goes through src/ffi/boundary.rs
#      (scripts/abi/boundary_check.py, with its short allow-list).
# Usage: scripts/check-abi.sh
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for c in gcc g++ clang clang++ nm python3; do
  need_cmd "$c" "the ABI checks"
done
lib="$REPO_ROOT/target/release/libftp.so"
[ -f "$lib" ] || die "$lib is missing: run cargo build --release"
work=$(mktemp -d "${TMPDIR:-/tmp}/libftp-abi.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== 1. every name in ftp.h is prefixed"
python3 scripts/abi/header_names.py include >"$work/names"
bad=$(grep -Ev ' (ftp_|FTP_)' "$work/names" || true)
[ -z "$bad" ] || die "names in include/ftp.h without the ftp_/FTP_ prefix:
$bad"
echo "   $(wc -l <"$work/names") names: $(awk '{print $1}' "$work/names" | sort | uniq -c |
  awk '{printf "%s %s, ", $1, $2}' | sed 's/, $//')"

echo "== 2. FTP_VERSION_* = Cargo.toml = ftp_version()"
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' Cargo.toml | head -n1)
cat >"$work/version.c" <<'EOF'
#include <ftp.h>
#include <stdio.h>
int main(void)
{
    printf("%d.%d.%d %s\n", FTP_VERSION_MAJOR, FTP_VERSION_MINOR, FTP_VERSION_PATCH, ftp_version());
    return 0;
}
EOF
gcc -std=c99 -Wall -Wextra -Werror -I include "$work/version.c" -L target/release -lftp \
    -Wl,-rpath,"$REPO_ROOT/target/release" -o "$work/version"
got=$("$work/version")
[ "$got" = "$version $version" ] ||
  die "version mismatch: header macros and ftp_version() give '$got', Cargo.toml $version (run scripts/gen-header.sh)"
echo "   $version"

echo "== 3. ftp.h compiles alone"
flags=(-Wall -Wextra -pedantic -Werror -I include -fsyntax-only)
printf '#include "ftp.h"\n#include "ftp.h"\n' >"$work/alone.c"
cp "$work/alone.c" "$work/alone.cpp"
for cc in gcc clang; do
  for std in c99 c11; do
    "$cc" -std="$std" -Wstrict-prototypes "${flags[@]}" "$work/alone.c" ||
      die "include/ftp.h does not compile alone with $cc -std=$std"
    echo "   $cc -std=$std: ok"
  done
done
for cxx in g++ clang++; do
  for std in c++11 c++17; do
    "$cxx" -std="$std" "${flags[@]}" "$work/alone.cpp" ||
      die "include/ftp.h does not compile alone with $cxx -std=$std"
    echo "   $cxx -std=$std: ok"
  done
done
cat >"$work/link.cpp" <<'EOF'
#include "ftp.h"
#include <cstring>
int main()
{
    ftp_session *s = ftp_session_new();
    bool ok = s != nullptr && std::strcmp(ftp_result_name(FTP_OK), "FTP_OK") == 0 &&
              ftp_voidcmd(s, "NOOP") == FTP_ERROR_STATE;
    ftp_session_free(s);
    return ok ? 0 : 1;
}
EOF
g++ -std=c++11 -Wall -Wextra -pedantic -Werror -I include "$work/link.cpp" -L target/release \
    -lftp -Wl,-rpath,"$REPO_ROOT/target/release" -o "$work/link" ||
  die "a C++ program using ftp.h does not link"
"$work/link" || die "the C++ program using ftp.h failed"
echo "   C++ program linked and run: ok"

echo "== 4. exported symbols = the header's functions, all ftp_"
nm -D --defined-only "$lib" | awk '{print $NF}' | sed 's/@.*//' | sort -u >"$work/exports"
awk '$1 == "function" {print $2}' "$work/names" | sort -u >"$work/declared"
if ! diff -u "$work/declared" "$work/exports" >"$work/diff"; then
  cat "$work/diff"
  die "libftp.so exports (+) and ftp.h declares (-) different functions"
fi
bad=$(grep -v '^ftp_' "$work/exports" || true)
[ -z "$bad" ] || die "unprefixed exports: $bad"
echo "   $(wc -l <"$work/exports") functions, exported and declared alike"

echo "== 5. every #[no_mangle] function goes through the boundary"
if ! python3 scripts/abi/boundary_check.py "$REPO_ROOT" >"$work/boundary"; then
  sed 's/^/   /' "$work/boundary"
  die "exported functions outside the boundary"
fi
sed 's/^/   /' "$work/boundary"

echo "ABI checks passed"
