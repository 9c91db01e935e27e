#!/usr/bin/env bash
# benches/wan.sh [--rounds N] [--files N] [--rtts "0 10 40"] [--rate BYTES_PER_S]
#
# Shows the WAN simulator (testkit/src/wan.rs, binary ftp-wan-proxy) at
# work: the time of N sequential RETRs of a 4 KiB file (default 100) in one
# libftp session (benches/ftpbench.c `many`, ftp_retr_to_fd), on vsftpd,
# directly on loopback and through the proxy at each RTT (default 0, 10
# and 40 ms). Prints, per RTT, the median wall time over the rounds, the
# time per file and that time in round trips. Expect a little over 3 RTT
# per file through the proxy (EPSV, RETR/150, 226; plus TYPE I once).
# This is a demonstration, not the benchmark table of BENCHMARKS.md.
#
#   --rounds N   rounds per RTT, median reported (default 3)
#   --files N    files per run (default 100)
#   --rtts LIST  the RTTs in ms (default "0 10 40")
#   --rate R     also cap each connection at R bytes/s (default: no cap)
#
# Needs: cargo, a C compiler, python3, vsftpd (started here by
# tests/servers/ftpservers.py, plain only, in a temporary directory).
set -euo pipefail
export LC_ALL=C

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=3
FILES=100
RTTS="0 10 40"
RATE=""
die() { echo "wan.sh: $*" >&2; exit 1; }
info() { echo "wan.sh: $*" >&2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="${2:?}"; shift ;;
    --files) FILES="${2:?}"; shift ;;
    --rtts) RTTS="${2:?}"; shift ;;
    --rate) RATE="${2:?}"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "bad --rounds: $ROUNDS"
[[ "$FILES" =~ ^[1-9][0-9]*$ ]] || die "bad --files: $FILES"
CC="${CC:-cc}"
CARGO="${CARGO:-cargo}"
command -v "$CARGO" >/dev/null || CARGO="$HOME/.cargo/bin/cargo"

W="$(mktemp -d "${TMPDIR:-/tmp}/libftp-wan.XXXXXX")"
# shellcheck source=lib.sh
. "$REPO/benches/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

info "cargo build --release (libftp, ftp-wan-proxy)"
bench_build_wan
bench_cc ftpbench
BIN="$REPO/target/bench"

info "starting vsftpd"
bench_servers vsftpd
PUB="$FTP_TEST_VSFTPD_ROOT/pub"
mkdir -p "$PUB/wan" "$W/out"
for i in $(seq -w 1 "$FILES"); do
  head -c 4096 /dev/urandom >"$PUB/wan/f$i.bin"
  echo "pub/wan/f$i.bin"
done >"$W/list"
chmod -R a+rX "$PUB/wan"

# run HOST PORT: seconds of one `ftpbench many`, after checking the files.
run() {
  rm -f "$W/out"/*
  local line
  line=$("$BIN/ftpbench" many "$1" "$2" "$W/list" "$W/out") || die "ftpbench failed ($1:$2)"
  diff -rq "$W/out" "$PUB/wan" >/dev/null || die "the files differ ($1:$2)"
  sed -n 's/.*secs=\([0-9.]*\).*/\1/p' <<<"$line"
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

printf '%-22s %10s %12s %12s\n' "link" "secs" "ms/file" "RTT/file"
t=$(for _ in $(seq "$ROUNDS"); do run "$FTP_TEST_VSFTPD_HOST" "$FTP_TEST_VSFTPD_PORT"; done | median)
awk -v t="$t" -v n="$FILES" 'BEGIN { printf "%-22s %10.3f %12.2f %12s\n", "loopback (no proxy)", t, 1000 * t / n, "-" }'
for rtt in $RTTS; do
  proxy_start "$rtt" "${RATE:-0}" "$FTP_TEST_VSFTPD_PORT" "$FTP_TEST_VSFTPD_PASV_MIN" "$FTP_TEST_VSFTPD_PASV_MAX"
  pport=$PPORT
  t=$(for _ in $(seq "$ROUNDS"); do run 127.0.0.2 "$pport"; done | median)
  proxy_stop
  awk -v t="$t" -v n="$FILES" -v r="$rtt" 'BEGIN {
    printf "%-22s %10.3f %12.2f %12s\n", "proxy, RTT " r " ms", t, 1000 * t / n,
      (r > 0) ? sprintf("%.2f", 1000 * t / n / r) : "-" }'
done
