#!/usr/bin/env bash
# Demo: build the C example programs (which builds libftp), start a local
# pyftpdlib server, then upload a 3 MiB random file with ftp-put --verify,
# list the directory with ftp-ls (names, then parsed entries with -l), cut a
# copy to its first MiB and let ftp-get -c --verify fetch the rest,
# compare checksums, and mirror the whole server directory with ftp-mirror.  Runnable from any directory; exits non-zero on any failure.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/libftp-demo.XXXXXX")"
cleanup() {
  local rc=$?
  stop_servers
  rm -rf "$TMP_DIR"
  if [ "$rc" -ne 0 ]; then
    printf '\nDEMO FAILED (exit status %d)\n' "$rc" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT

step "dependencies"
ensure_deps
need_cmd cargo "build libftp"
need_cmd cmake "build the C examples"
need_python_modules pyftpdlib

run_step "build libftp and the C examples (cmake)" \
  cmake -S examples-c -B build/demo
run_step "cmake --build build/demo" cmake --build build/demo -j2

find_tool() {
  local path
  path="$(find build/demo -maxdepth 2 -type f -name "$1" -perm -u+x | head -n 1)"
  [ -n "$path" ] || die "$1 was not built (looked in build/demo)"
  printf '%s/%s' "$REPO_ROOT" "$path"
}
FTP_GET="$(find_tool ftp-get)"
FTP_PUT="$(find_tool ftp-put)"
FTP_LS="$(find_tool ftp-ls)"
FTP_MIRROR="$(find_tool ftp-mirror)"
info "ftp-get: $FTP_GET"
info "ftp-put: $FTP_PUT"
info "ftp-ls:  $FTP_LS"
info "ftp-mirror: $FTP_MIRROR"

step "start a local FTP server (pyftpdlib)"
start_servers "$TMP_DIR/servers.env" --only pyftpd --workdir "$TMP_DIR"
URL="ftp://${FTP_TEST_PYFTPD_USER}:${FTP_TEST_PYFTPD_PASS}@${FTP_TEST_PYFTPD_HOST}:${FTP_TEST_PYFTPD_PORT}"
info "server: $URL/ (files in $FTP_TEST_PYFTPD_ROOT)"

step "create a 3 MiB random file"
SRC="$TMP_DIR/demo-src.bin"
OUT="$TMP_DIR/demo-out.bin"
head -c $((3 * 1024 * 1024)) /dev/urandom >"$SRC"
info "$SRC: $(stat -c %s "$SRC") bytes"

step "upload it: ftp-put (verified against the server's copy)"
printf '  $ ftp-put --verify %s %s\n' "$SRC" "$URL/demo.bin"
"$FTP_PUT" --verify "$SRC" "$URL/demo.bin" || die "ftp-put failed"
[ -f "$FTP_TEST_PYFTPD_ROOT/demo.bin" ] ||
  die "ftp-put reported success but the server has no demo.bin"
info "the server now has demo.bin ($(stat -c %s "$FTP_TEST_PYFTPD_ROOT/demo.bin") bytes)"

step "list the directory: ftp-ls"
printf '  $ ftp-ls %s\n' "$URL/"
LISTING="$("$FTP_LS" "$URL/")" || die "ftp-ls failed"
printf '%s\n' "$LISTING" | sed 's/^/    /'
printf '%s\n' "$LISTING" | grep -qx 'demo.bin' || die "demo.bin is not in the listing"

step "list it in detail: ftp-ls -l (parsed entries)"
printf '  $ ftp-ls -l %s\n' "$URL/"
"$FTP_LS" -l "$URL/" | sed 's/^/    /' || die "ftp-ls -l failed"

step "download the first MiB, then the rest: ftp-get -c --verify"
head -c $((1024 * 1024)) "$FTP_TEST_PYFTPD_ROOT/demo.bin" >"$OUT"
info "$OUT: $(stat -c %s "$OUT") bytes (a partial copy)"
printf '  $ ftp-get -c --verify %s %s\n' "$URL/demo.bin" "$OUT"
"$FTP_GET" -c --verify "$URL/demo.bin" "$OUT" || die "ftp-get failed"
info "$OUT: $(stat -c %s "$OUT") bytes"

step "compare checksums"
SUM_SRC="$(sha256sum <"$SRC" | cut -d' ' -f1)"
SUM_OUT="$(sha256sum <"$OUT" | cut -d' ' -f1)"
SUM_SRV="$(sha256sum <"$FTP_TEST_PYFTPD_ROOT/demo.bin" | cut -d' ' -f1)"
info "sha256 uploaded file:   $SUM_SRC"
info "sha256 on the server:   $SUM_SRV"
info "sha256 downloaded file: $SUM_OUT"
[ "$SUM_SRC" = "$SUM_SRV" ] || die "the server's copy differs from the uploaded file"
[ "$SUM_SRC" = "$SUM_OUT" ] || die "the downloaded file differs from the uploaded file"

step "mirror the server's directory: ftp-mirror -P 4 --verify"
printf '  $ ftp-mirror -P 4 --verify %s %s\n' "$URL/" "$TMP_DIR/mirror"
"$FTP_MIRROR" -P 4 --verify "$URL/" "$TMP_DIR/mirror" || die "ftp-mirror failed"
diff -r "$FTP_TEST_PYFTPD_ROOT" "$TMP_DIR/mirror" >/dev/null ||
  die "the mirror differs from the server's directory"
info "$TMP_DIR/mirror: identical to the server's directory"

printf '\nDEMO OK: 3 MiB uploaded, listed, downloaded back (resumed) and mirrored identical\n'
