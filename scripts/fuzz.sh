#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers (cargo fuzz, libFuzzer, ASan).
#
#   scripts/fuzz.sh SECONDS [TARGET...]
#
# Runs each target of fuzz/ (all of them unless named) for SECONDS, growing
# its corpus in fuzz/corpus/TARGET, and stops at the first crash, hang or
# out-of-memory with the path of the reproducer (in fuzz/artifacts/TARGET/,
# not committed); prints a summary at the end.
#
# The stable toolchain runs cargo fuzz with RUSTC_BOOTSTRAP=1 (it needs
# -Zsanitizer and other nightly flags). Environment:
#   FUZZ_SANITIZER=none   build without AddressSanitizer (default: address)
#   FUZZ_CMIN=1           minimise each corpus afterwards (cargo fuzz cmin,
#                         keeping one input per covered edge); do this
#                         before committing a grown corpus
#   FUZZ_ARGS="..."       extra libFuzzer options
#
# Reproduce a failure:  RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET PATH
# (run from the repository root or fuzz/).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

[ $# -ge 1 ] || usage
SECS="$1"
shift
case "$SECS" in
  '' | *[!0-9]*) usage ;;
esac
[ "$SECS" -gt 0 ] || usage

export RUSTC_BOOTSTRAP=1
SANITIZER="${FUZZ_SANITIZER:-address}"

step "cargo-fuzz"
need_cmd cargo "build the fuzz targets"
if ! cargo fuzz --version >/dev/null 2>&1; then
  info "cargo-fuzz is missing: cargo install cargo-fuzz --locked"
  cargo install cargo-fuzz --locked ||
    die "could not install cargo-fuzz (needs network access to crates.io and a C++ compiler); install it by hand with: cargo install cargo-fuzz --locked"
fi
info "$(cargo fuzz --version)"

cd "$REPO_ROOT/fuzz"
mapfile -t ALL < <(cargo fuzz list)
if [ $# -gt 0 ]; then
  TARGETS=("$@")
  for t in "${TARGETS[@]}"; do
    printf '%s\n' "${ALL[@]}" | grep -qx -- "$t" ||
      die "no fuzz target '$t' (targets: ${ALL[*]})"
  done
else
  TARGETS=("${ALL[@]}")
fi

run_step "build (sanitizer: $SANITIZER)" cargo fuzz build --sanitizer "$SANITIZER"

LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/libftp-fuzz.XXXXXX")"
SUMMARY=()

# final_stat LOG NAME: a final statistic printed by -print_final_stats=1.
final_stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -n 1; }

for t in "${TARGETS[@]}"; do
  step "fuzz $t for ${SECS}s"
  mkdir -p "corpus/$t" "artifacts/$t"
  log="$LOG_DIR/$t.log"
  before=$(find "corpus/$t" -type f | wc -l)
  start=$(date +%s)
  # -entropic_scale_per_exec_time: the stream targets can amplify their
  # input to megabytes (to reach the 8 KiB line and 1 MiB reply limits);
  # this keeps libFuzzer from spending most of its time on those runs.
  # shellcheck disable=SC2086
  if cargo fuzz run --sanitizer "$SANITIZER" "$t" -- \
    -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=10 \
    -entropic_scale_per_exec_time=1 -print_final_stats=1 \
    ${FUZZ_ARGS:-} >"$log" 2>&1; then
    rc=0
  else
    rc=$?
  fi
  secs=$(($(date +%s) - start))
  if [ "$rc" -ne 0 ]; then
    tail -n 60 "$log" >&2
    repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    if [ -n "$repro" ]; then
      case "$repro" in /*) ;; *) repro="$REPO_ROOT/fuzz/$repro" ;; esac
      die "fuzz target $t failed after ${secs}s; reproducer: $repro
  reproduce: (cd $REPO_ROOT/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run $t $repro)
  full log: $log"
    fi
    die "fuzz target $t failed after ${secs}s (exit $rc) without a reproducer; full log: $log"
  fi
  execs=$(final_stat "$log" number_of_executed_units)
  if [ -z "$execs" ]; then
    execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
  fi
  rss=$(final_stat "$log" peak_rss_mb)
  if [ "${FUZZ_CMIN:-0}" = 1 ]; then
    info "minimising corpus/$t"
    # Edges only (no hit counters): a few hundred files at most.
    cargo fuzz cmin --sanitizer "$SANITIZER" "$t" -- -use_counters=0 >>"$log" 2>&1 ||
      die "cargo fuzz cmin $t failed; full log: $log"
  fi
  files=$(find "corpus/$t" -type f | wc -l)
  kib=$(find "corpus/$t" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d", (s + 1023) / 1024 }')
  info "$t: ${secs}s, ${execs:-?} executions, corpus $before -> $files files (${kib} KiB), peak RSS ${rss:-?} MB, no crash"
  SUMMARY+=("$(printf '%-15s %7s %12s %8s %9s %8s' "$t" "$secs" "${execs:-?}" "$files" "$kib" "${rss:-?}")")
done

step "summary (sanitizer: $SANITIZER)"
printf '%-15s %7s %12s %8s %9s %8s\n' target seconds executions corpus corpusKiB rssMB
printf '%s\n' "${SUMMARY[@]}"
info "no crash, hang or out-of-memory in ${#TARGETS[@]} target(s); logs in $LOG_DIR"
