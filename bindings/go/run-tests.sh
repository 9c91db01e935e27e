#!/usr/bin/env bash
# Vet and test the Go binding (bindings/go) against the FTP test servers.
#
# Expects the servers' env already exported (scripts/test.sh starts
# tests/servers/ftpservers.py and sources its env file; by hand:
#   set -a; . /tmp/servers.env; set +a; bindings/go/run-tests.sh).
# Without FTP_TEST_PYFTPD_PORT the server tests are skipped, unless
# FTP_TEST_REQUIRE_SERVERS=1, which makes them fail.
#
# Needs Go >= 1.19 (Debian: apt-get install golang-go), a C compiler, and
# libftp built at the repository root (cargo build --release). Uses only the
# standard library: nothing is downloaded (GOPROXY=off).
set -euo pipefail

case "${BASH_SOURCE[0]}" in
  */*) here="${BASH_SOURCE[0]%/*}" ;;
  *) here=. ;;
esac
here="$(cd "$here" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if ! command -v go >/dev/null 2>&1; then
  echo "run-tests.sh: 'go' not found: install Go >= 1.19 (Debian/Ubuntu: apt-get install golang-go)" >&2
  exit 1
fi
if ! command -v "${CC:-cc}" >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
  echo "run-tests.sh: no C compiler found (cgo needs one: apt-get install gcc)" >&2
  exit 1
fi
if [ ! -e "$repo/target/release/libftp.so" ]; then
  echo "run-tests.sh: $repo/target/release/libftp.so is missing: run 'cargo build --release' in $repo" >&2
  exit 1
fi

tmp=""
cleanup() { if [ -n "$tmp" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT
if [ -z "${GOCACHE:-}" ]; then
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/libftp-go.XXXXXX")"
  export GOCACHE="$tmp/gocache"
fi
export GOFLAGS=-mod=mod
export GOPROXY=off
export CGO_ENABLED=1

cd "$here"
echo "== go version: $(go version)"
if [ -n "${FTP_TEST_PYFTPD_PORT:-}" ]; then
  echo "== test servers: pyftpd ${FTP_TEST_PYFTPD_PORT:-} vsftpd ${FTP_TEST_VSFTPD_PORT:-none} pyftpds ${FTP_TEST_PYFTPDS_PORT:-none}"
else
  echo "== no test servers in the environment: server tests will be skipped (or fail with FTP_TEST_REQUIRE_SERVERS=1)"
fi
echo "== go vet ./..."
go vet ./...
echo "== go build ./..."
go build ./...
echo "== go test -count=1 ./..."
go test -count=1 -timeout 5m ./...
echo "== Go binding: OK"
