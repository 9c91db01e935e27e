#!/usr/bin/env bash
# The C test suite (tests/c, and the examples' tests) under sanitizers.
#
#   scripts/sanitizers.sh            AddressSanitizer + UndefinedBehaviorSanitizer
#                                    (and LeakSanitizer) -> build/asan
#   scripts/sanitizers.sh --tsan     ThreadSanitizer -> build/tsan
#   scripts/sanitizers.sh [--tsan] -R REGEX ...   extra arguments go to ctest
#
# The C side (tests, testutil, examples) is compiled with clang and the
# sanitizer; in ASan mode the Rust library is the normal libftp.so from
# `cargo build --release` (ASan still sees every malloc/free it makes and
# every access the C side makes to memory it returns).  In TSan mode the
# Rust library is also built instrumented (RUSTFLAGS=-Zsanitizer=thread,
# RUSTC_BOOTSTRAP=1) into build/tsan/rust-target: with -Zbuild-std when the
# rust-src component is installed (std instrumented too), otherwise libftp
# and its dependencies only (-Cunsafe-allow-abi-mismatch=sanitizer, std
# uninstrumented).  If that build fails, the normal library is used and
# TSan sees the C side, libc and the library's malloc/free only.
#
# Servers: if FTP_TEST_VSFTPD_PORT is set, the FTP_TEST_* variables of an
# already running tests/servers/ftpservers.py are used (as exported by
# scripts/test.sh); otherwise this script starts the launcher itself
# (vsftpd needs root) and stops it at the end.  FTP_TEST_REQUIRE_SERVERS=1
# is exported either way: a missing server fails instead of skipping.
#
# Fails if a test fails or if any sanitizer printed a report, including
# reports from forked children: the sanitizers log to files
# (log_path=...), which are printed and counted at the end.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODE=asan
if [ "${1:-}" = "--tsan" ]; then
  MODE=tsan
  shift
fi
CTEST_ARGS=("$@")

BUILD="$REPO_ROOT/build/$MODE"
TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/libftp-$MODE.XXXXXX")"
cleanup() {
  local rc=$?
  stop_servers
  rm -rf "$TMP_DIR"
  exit "$rc"
}
trap cleanup EXIT

need_cmd clang "compile the C tests with sanitizers"
need_cmd cmake "build the C tests"
need_cmd ctest "run the C tests"
need_cmd cargo "build the Rust library"

CC_FLAGS="-g -O1 -fno-omit-frame-pointer"
if [ "$MODE" = asan ]; then
  # -fno-sanitize-recover: UBSan aborts at the first finding, like ASan.
  CC_FLAGS="$CC_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all"
else
  CC_FLAGS="$CC_FLAGS -fsanitize=thread"
fi

step "clang sanity check ($MODE)"
printf 'int main(void){return 0;}\n' >"$TMP_DIR/t.c"
clang $CC_FLAGS "$TMP_DIR/t.c" -o "$TMP_DIR/t" ||
  die "clang cannot build with $CC_FLAGS (the sanitizer runtimes come with libclang-rt-14-dev)"
"$TMP_DIR/t" || die "a trivial $MODE program does not run"

run_step "cmake configure ($BUILD)" \
  cmake -S examples-c -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_COMPILER=clang "-DCMAKE_C_FLAGS=$CC_FLAGS"
run_step "cmake build (includes cargo build --release)" cmake --build "$BUILD" -j4

RUN_ENV=()
if [ "$MODE" = tsan ]; then
  step "Rust library with -Zsanitizer=thread"
  rust_target="$(rustc -vV | sed -n 's/^host: //p')"
  rust_dir="$BUILD/rust-target"
  rustflags="-Zsanitizer=thread -Cforce-frame-pointers=yes"
  build_std=()
  if rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
    info "rust-src installed: std is instrumented too (-Zbuild-std)"
    build_std=(-Zbuild-std)
  else
    info "no rust-src component: libftp and its dependencies instrumented, std not"
    rustflags="$rustflags -Cunsafe-allow-abi-mismatch=sanitizer"
  fi
  if RUSTFLAGS="$rustflags" RUSTC_BOOTSTRAP=1 cargo build --release --lib \
      "${build_std[@]}" --target "$rust_target" --target-dir "$rust_dir"; then
    RUN_ENV+=("LD_LIBRARY_PATH=$rust_dir/$rust_target/release")
    # clang 14's TSan runtime lacks the __tsan_mem* entry points that
    # rustc's newer LLVM emits: forward them to the intercepted libc calls.
    cat >"$BUILD/tsan_mem_shim.c" <<'EOF'
#include <string.h>
void *__tsan_memcpy(void *d, const void *s, size_t n) { return memcpy(d, s, n); }
void *__tsan_memmove(void *d, const void *s, size_t n) { return memmove(d, s, n); }
void *__tsan_memset(void *d, int c, size_t n) { return memset(d, c, n); }
EOF
    clang -O1 -fPIC -shared -fno-builtin -o "$BUILD/libtsan_mem_shim.so" "$BUILD/tsan_mem_shim.c"
    RUN_ENV+=("LD_PRELOAD=$BUILD/libtsan_mem_shim.so")
    info "tests run with the instrumented $rust_dir/$rust_target/release/libftp.so"
  else
    warn "the instrumented Rust build failed: TSan sees the C side and libc only"
  fi
fi

if [ -z "${FTP_TEST_VSFTPD_PORT:-}" ]; then
  need_cmd /usr/sbin/vsftpd "FTP test server"
  ensure_extra_servers
  need_extra_servers
  ensure_test_proxies  # microsocks, tinyproxy (ftpservers.py starts them too)
  step "start the FTP test servers"
  start_servers "$TMP_DIR/servers.env" --workdir "$TMP_DIR"
else
  step "FTP test servers"
  info "using the exported FTP_TEST_* variables (vsftpd on port $FTP_TEST_VSFTPD_PORT)"
fi
export FTP_TEST_REQUIRE_SERVERS=1

LOG_DIR="$BUILD/sanitizer-logs"
rm -rf "$LOG_DIR"
mkdir -p "$LOG_DIR"
if [ "$MODE" = asan ]; then
  # detect_leaks=1: LeakSanitizer at exit (no suppressions are needed: no
  # leak shows up in the system libraries, OpenSSL included).
  RUN_ENV+=("ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1:log_path=$LOG_DIR/asan")
  RUN_ENV+=("UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$LOG_DIR/ubsan")
else
  RUN_ENV+=("TSAN_OPTIONS=halt_on_error=0:second_deadlock_stack=1:log_path=$LOG_DIR/tsan")
fi

step "ctest under $MODE"
printf '  $ env %s ctest --test-dir %s --output-on-failure %s\n' \
  "${RUN_ENV[*]}" "$BUILD" "${CTEST_ARGS[*]:-}"
ctest_rc=0
env "${RUN_ENV[@]}" ctest --test-dir "$BUILD" --output-on-failure "${CTEST_ARGS[@]}" || ctest_rc=$?

step "sanitizer reports"
reports=0
for f in "$LOG_DIR"/*; do
  [ -e "$f" ] || continue
  # Empty logs can be left by processes that reported nothing.
  [ -s "$f" ] || continue
  reports=$((reports + 1))
  printf '\n---- %s\n' "$f" >&2
  cat "$f" >&2
done
if [ "$reports" -gt 0 ]; then
  die "$reports sanitizer report file(s) in $LOG_DIR (see above)"
fi
info "none"
[ "$ctest_rc" -eq 0 ] || die "ctest failed under $MODE (exit $ctest_rc)"
printf '\n%s: ALL C TESTS PASSED, no sanitizer report\n' "$MODE"
