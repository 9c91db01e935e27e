#!/usr/bin/env bash
# Full check of the repository: formatting, lints, build, header freshness,
# Rust tests and C tests against real FTP servers (vsftpd, pyftpdlib,
# ProFTPD, Pure-FTPd) on loopback.  Stops at the first failure.  Runnable
# from any directory.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/libftp-test.XXXXXX")"
cleanup() {
  local rc=$?
  stop_servers
  rm -rf "$TMP_DIR"
  exit "$rc"
}
trap cleanup EXIT

step "dependencies"
ensure_deps
ensure_extra_servers   # ProFTPD and Pure-FTPd, unpacked into a cache
need_cmd cargo "build and test the Rust crate"
need_cmd cbindgen "check include/ftp.h"
need_cmd cmake "build the C examples and tests"
need_cmd ctest "run the C tests"
need_cmd /usr/sbin/vsftpd "FTP test server"
need_python_modules pyftpdlib OpenSSL
need_extra_servers

run_step "cargo fmt --check" cargo fmt --all --check
run_step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
run_step "cargo build --release" cargo build --release

step "include/ftp.h is up to date"
printf '  $ %s\n' "cbindgen --config cbindgen.toml --crate ftp --output $TMP_DIR/ftp.h"
cbindgen --config cbindgen.toml --crate ftp --output "$TMP_DIR/ftp.h" ||
  die "cbindgen could not generate the header"
if ! diff -u include/ftp.h "$TMP_DIR/ftp.h"; then
  die "include/ftp.h is stale: run scripts/gen-header.sh"
fi
info "include/ftp.h matches the sources"
run_step "ABI: prefixes, version macros, header alone in C/C++, exports, boundary" scripts/check-abi.sh

step "start the FTP test servers"
start_servers "$TMP_DIR/servers.env" --workdir "$TMP_DIR"
export FTP_TEST_REQUIRE_SERVERS=1

run_step "cargo test --release --workspace" cargo test --release --workspace

run_step "cmake configure (examples-c, tests/c)" \
  cmake -S examples-c -B build/ctest -DCMAKE_BUILD_TYPE=RelWithDebInfo
run_step "cmake build" cmake --build build/ctest -j2
run_step "ctest" ctest --test-dir build/ctest --output-on-failure
run_step "C tests under valgrind memcheck" scripts/valgrind-ctest.sh build/ctest
run_step "C tests under AddressSanitizer + UBSan (clang)" scripts/sanitizers.sh
run_step "install: soname, pkg-config, find_package(ftp)" scripts/check-install.sh
run_step "Go bindings: go vet, go test" bindings/go/run-tests.sh
run_step "C# bindings: mcs + mono tests" bindings/csharp/run-tests.sh
run_step "Swift bindings: C-level checks (no Swift toolchain here)" bindings/swift/check.sh

printf '\nALL TESTS PASSED\n'
