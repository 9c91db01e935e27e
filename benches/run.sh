#!/usr/bin/env bash
# benches/run.sh [--quick] [--rounds N] [--size BYTES] [--write | --no-write]
#
# libftp (C API, benches/ftpbench.c) against curl and Python's ftplib
# (benches/ftplib_bench.py) on loopback, with vsftpd as the server:
#
#   (a) 1 GiB download into a discarding callback
#   (b) 1 GiB download to a file      (libftp: ftp_retr_to_fd in the default zero-copy
#                                      mode, i.e. splice into the file; and
#                                      ftp_retrbinary + write(2); for comparison the
#                                      same with FTP_ZERO_COPY_NEVER, a 256 KiB buffer)
#   (c) 1 GiB upload from a file      (libftp: ftp_stor_from_fd in the default mode,
#                                      i.e. a 64 KiB buffer on loopback; and
#                                      ftp_storbinary + read(2); for comparison the
#                                      same with FTP_ZERO_COPY_ALWAYS, i.e. sendfile)
#   (d) 1000 small files (1-10 KiB) downloaded in one session
#   (e) 1 GiB download over TLS (explicit FTPS, PROT P)
#   + loopback ceilings (one TCP connection, no FTP: write -> read,
#     sendfile -> read, splice through a pipe -> read)
#
# Every round runs each case once per implementation, in an order rotated
# from round to round; the report gives medians, the median of the
# per-round ratios libftp/curl and libftp/ftplib, the peak RSS (GNU
# time's %M, max over rounds) and the CPU time (user + system, median).
# Every run starts after a sync, so that none pays for the dirty pages of
# the one before.  Wall time is the whole process (start,
# connect, login, transfer, QUIT, exit), measured the same way for all.
# The raw measurements are kept in target/bench/results-<UTC time>.tsv.
#
#   --quick        2 rounds, 256 MiB (default: 9 rounds, 1 GiB); does not
#                  touch BENCHMARKS.md unless --write is given
#   --rounds N     number of rounds
#   --size BYTES   size of the big file (suffixes K, M, G allowed)
#   --write        update BENCHMARKS.md (the default for full runs)
#   --no-write     only print the table
#
# Environment: BENCH_WORKDIR (where the temporary directory goes; default:
# the first of $TMPDIR, /tmp, /var/tmp with room for 3 x the big file),
# BENCH_NICE (niceness of the measured commands, default 0; the builds run
# under nice -n 10 anyway), BENCH_CASES (the cases to run, e.g. "b c";
# default all: "ceiling a b c d e"), CC (default cc), CARGO (default cargo).
#
# Needs: cargo, a C compiler, curl, python3, vsftpd (the launcher
# tests/servers/ftpservers.py runs it; root needed) and GNU time
# (/usr/bin/time, Debian package `time`).
set -euo pipefail
export LC_ALL=C

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/lib.sh
. "$REPO/scripts/lib.sh"   # _apt_install, PATH with ~/.cargo/bin
ROUNDS=9
SIZE_ARG=1G
QUICK=0
WRITE=""

die() { echo "run.sh: $*" >&2; exit 1; }
info() { echo "run.sh: $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; ROUNDS=2; SIZE_ARG=256M ;;
    --rounds) [ $# -ge 2 ] || die "--rounds needs a value"; ROUNDS="$2"; shift ;;
    --rounds=*) ROUNDS="${1#*=}" ;;
    --size) [ $# -ge 2 ] || die "--size needs a value"; SIZE_ARG="$2"; shift ;;
    --size=*) SIZE_ARG="${1#*=}" ;;
    --write) WRITE=1 ;;
    --no-write) WRITE=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done
[ -n "$WRITE" ] || { [ "$QUICK" = 1 ] && WRITE=0 || WRITE=1; }
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "bad --rounds: $ROUNDS"

to_bytes() {
  local v="$1" n m=1
  case "$v" in
    *[kK]) n="${v%?}"; m=1024 ;;
    *[mM]) n="${v%?}"; m=$((1024 * 1024)) ;;
    *[gG]) n="${v%?}"; m=$((1024 * 1024 * 1024)) ;;
    *) n="$v" ;;
  esac
  [[ "$n" =~ ^[0-9]+$ ]] || die "bad size: $v"
  echo $((n * m))
}
SIZE=$(to_bytes "$SIZE_ARG")
[ "$SIZE" -ge 1048576 ] || die "--size must be at least 1M"
SMALL_COUNT=1000

# ------------------------------------------------------------ tools
CC="${CC:-cc}"
CARGO="${CARGO:-cargo}"
# Install what is missing (Debian packages; idempotent).
missing=()
command -v vsftpd >/dev/null || [ -x /usr/sbin/vsftpd ] || missing+=(vsftpd)
command -v curl >/dev/null || missing+=(curl)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  info "installing ${missing[*]}"
  _apt_install "${missing[@]}"
fi
command -v "$CARGO" >/dev/null || CARGO="$HOME/.cargo/bin/cargo"
for t in "$CARGO" "$CC" curl python3; do
  command -v "$t" >/dev/null || die "$t not found"
done
[ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null ||
  die "GNU time (/usr/bin/time) is needed for the peak RSS: apt-get install time"
command -v vsftpd >/dev/null || [ -x /usr/sbin/vsftpd ] || die "vsftpd not found"
NICE=()
if [ "${BENCH_NICE:-0}" != 0 ]; then NICE=(nice -n "$BENCH_NICE"); fi

# ------------------------------------------------------------ workdir
need=$((3 * SIZE + 200 * 1024 * 1024))
avail_bytes() { df -P -B1 "$1" 2>/dev/null | awk 'NR == 2 { print $4 }'; }
BASE="${BENCH_WORKDIR:-}"
if [ -z "$BASE" ]; then
  for d in "${TMPDIR:-/tmp}" /tmp /var/tmp "$REPO/target"; do
    [ -d "$d" ] && [ -w "$d" ] || continue
    a=$(avail_bytes "$d")
    if [ -n "$a" ] && [ "$a" -ge "$need" ]; then BASE="$d"; break; fi
  done
  [ -n "$BASE" ] || die "no directory with $((need / 1048576)) MiB free (set BENCH_WORKDIR)"
else
  a=$(avail_bytes "$BASE")
  [ -n "$a" ] && [ "$a" -ge "$need" ] ||
    die "$BASE has $((${a:-0} / 1048576)) MiB free, $((need / 1048576)) MiB needed"
fi
W="$(mktemp -d "$BASE/libftp-bench.XXXXXX")"
# (d) writes its 1000 files into tmpfs when there is one: on ext4 creating
# and writing a small file can cost ~1 ms (BENCHMARKS.md), which would be
# most of every tool's time and hide the FTP client.  BENCH_SMALL_DIR
# overrides (a directory in which a temporary one is made).
SMALL_BASE="${BENCH_SMALL_DIR:-/dev/shm}"
SMALL_W=""
if [ -d "$SMALL_BASE" ] && [ -w "$SMALL_BASE" ]; then
  SMALL_W="$(mktemp -d "$SMALL_BASE/libftp-bench-small.XXXXXX")"
fi
# shellcheck source=lib.sh
. "$REPO/benches/lib.sh"
cleanup() {
  bench_cleanup
  if [ -n "$SMALL_W" ]; then rm -rf "$SMALL_W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
info "workdir $W ($(( $(avail_bytes "$BASE") / 1048576 )) MiB free in $BASE)"

# ------------------------------------------------------------ build
info "cargo build --release"
(cd "$REPO" && nice -n 10 "$CARGO" build --release --quiet)
BIN="$REPO/target/bench"
mkdir -p "$BIN"
info "building $BIN/ftpbench"
nice -n 10 "$CC" -O2 -Wall -Wextra -I"$REPO/include" "$REPO/benches/ftpbench.c" \
  -o "$BIN/ftpbench" -L"$REPO/target/release" -lftp -Wl,-rpath,"$REPO/target/release"
FTPBENCH="$BIN/ftpbench"
PYBENCH="$REPO/benches/ftplib_bench.py"

# ------------------------------------------------------------ servers
info "starting vsftpd (plain + explicit FTPS)"
bench_servers vsftpd,vsftpds
HOST=$FTP_TEST_VSFTPD_HOST PORT=$FTP_TEST_VSFTPD_PORT PUB="$FTP_TEST_VSFTPD_ROOT/pub"
THOST=$FTP_TEST_VSFTPDS_HOST TPORT=$FTP_TEST_VSFTPDS_PORT TPUB="$FTP_TEST_VSFTPDS_ROOT/pub"
CA=$FTP_TEST_TLS_CAFILE

# ------------------------------------------------------------ test files
info "creating the test files ($((SIZE / 1048576)) MiB + $SMALL_COUNT small files)"
mkdir -p "$W/data" "$W/out"
SRC="$W/data/big.bin"
# 16 MiB of random bytes repeated: incompressible enough, fast to make.
head -c $((16 * 1048576)) /dev/urandom >"$W/data/block"
python3 - "$W/data/block" "$SRC" "$SIZE" <<'EOF'
import sys
block = open(sys.argv[1], "rb").read()
left = int(sys.argv[3])
with open(sys.argv[2], "wb") as f:
    while left > 0:
        n = min(left, len(block))
        f.write(block[:n])
        left -= n
EOF
rm -f "$W/data/block"
chmod 0644 "$SRC"
ln "$SRC" "$PUB/bench-big.bin"
ln "$SRC" "$TPUB/bench-big.bin"
python3 - "$PUB/small" "$W/data/small.list" "$W/data/small.curl" "$HOST" "$PORT" "$SMALL_COUNT" <<'EOF'
import os, random, sys
d, listfile, curlcfg, host, port, count = sys.argv[1:]
os.makedirs(d)
rnd = random.Random(6)
with open(listfile, "w") as lf, open(curlcfg, "w") as cf:
    for i in range(int(count)):
        name = "f%04d.bin" % i
        with open(os.path.join(d, name), "wb") as f:
            f.write(os.urandom(rnd.randint(1024, 10240)))
        lf.write("pub/small/%s\n" % name)
        cf.write('url = "ftp://%s:%s/pub/small/%s"\n' % (host, port, name))
EOF
chmod -R a+rX "$PUB/small"
SMALL_BYTES=$(find "$PUB/small" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
cat "$SRC" >/dev/null # into the page cache

URL="ftp://$HOST:$PORT/pub/bench-big.bin"
TURL="ftp://$THOST:$TPORT/pub/bench-big.bin"
OUT="$W/out/big.out"
UPNAME="bench-up.bin"
SMALLOUT="${SMALL_W:-$W/out}/small"

# ------------------------------------------------------------ measuring
RESULTS="$W/results.tsv"
: >"$RESULTS"

# check_file FILE BYTES ROUND: size must match; content compared in round 1.
check_file() {
  local got
  got=$(stat -c %s "$1" 2>/dev/null || echo missing)
  [ "$got" = "$2" ] || die "$1: $got bytes, expected $2"
  if [ "$3" = 1 ]; then cmp -s "$1" "$SRC" || die "$1 differs from the source"; fi
}

# measure CASE IMPL ROUND CMD...: runs CMD once under GNU time, records the
# wall time and the peak RSS, then checks and removes what it produced.
measure() {
  local case="$1" impl="$2" round="$3" t0 t1 wall rss bytes=""
  shift 3
  rm -rf "$OUT" "$PUB/$UPNAME" "$SMALLOUT"
  mkdir -p "$SMALLOUT"
  # Nobody pays for an earlier run's dirty pages or freed blocks.
  sync
  t0=$EPOCHREALTIME
  if ! "${NICE[@]}" /usr/bin/time -f '%M %U %S' -o "$W/rss" "$@" >"$W/stdout" 2>"$W/stderr"; then
    cat "$W/stderr" >&2
    die "$case/$impl round $round failed: $*"
  fi
  t1=$EPOCHREALTIME
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
  read -r rss user sys < <(tail -n 1 "$W/rss")
  case "$case" in
    a|e|ceiling)
      bytes=$(sed -n 's/.*bytes=\([0-9a-z]*\).*/\1/p' "$W/stdout" | head -n 1)
      [ -n "$bytes" ] || bytes=$(head -n 1 "$W/stdout")  # curl -w '%{size_download}'
      # unknown: ftp_retr_to_fd into /dev/null (libftp checks the 150 size).
      [ "$bytes" != unknown ] || bytes=$SIZE
      [ "$bytes" = "$SIZE" ] || die "$case/$impl: $bytes bytes, expected $SIZE" ;;
    b) check_file "$OUT" "$SIZE" "$round"; bytes=$SIZE ;;
    c) check_file "$PUB/$UPNAME" "$SIZE" "$round"; bytes=$SIZE ;;
    d)
      local n total
      n=$(find "$SMALLOUT" -type f | wc -l)
      total=$(find "$SMALLOUT" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
      [ "$n" = "$SMALL_COUNT" ] && [ "$total" = "$SMALL_BYTES" ] ||
        die "$case/$impl: $n files, $total bytes; expected $SMALL_COUNT, $SMALL_BYTES"
      [ "$round" != 1 ] || diff -rq "$SMALLOUT" "$PUB/small" >/dev/null ||
        die "$case/$impl: the small files differ"
      bytes=$total ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$impl" "$round" "$wall" "$rss" "$bytes" \
    "$user" "$sys" >>"$RESULTS"
  printf '  %-8s %-14s %8.3f s %8.1f MB/s %7.1f MiB  cpu %5.2f s\n' "$case" "$impl" "$wall" \
    "$(awk -v b="$bytes" -v w="$wall" 'BEGIN { printf "%.1f", b / w / 1e6 }')" \
    "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" >&2
  rm -rf "$OUT" "$PUB/$UPNAME" "$SMALLOUT"
}

# cmd_for CASE IMPL: sets CMD to the command of that case and implementation.
cmd_for() {
  local case="$1" impl="$2"
  case "$case/$impl" in
    ceiling/rw) CMD=("$FTPBENCH" loopback "$SIZE") ;;
    ceiling/sendfile) CMD=("$FTPBENCH" --sendfile "$SRC" loopback "$SIZE") ;;
    ceiling/splice) CMD=("$FTPBENCH" --sendfile "$SRC" --splice loopback "$SIZE") ;;
    a/libftp) CMD=("$FTPBENCH" --bs 1048576 retr-null "$HOST" "$PORT" pub/bench-big.bin) ;;
    a/libftp-64k) CMD=("$FTPBENCH" --bs 65536 retr-null "$HOST" "$PORT" pub/bench-big.bin) ;;
    a/libftp-8k) CMD=("$FTPBENCH" --bs 8192 retr-null "$HOST" "$PORT" pub/bench-big.bin) ;;
    a/curl) CMD=(curl -sS -o /dev/null -w '%{size_download}\n' "$URL") ;;
    a/ftplib) CMD=(python3 "$PYBENCH" --bs 1048576 retr-null "$HOST" "$PORT" pub/bench-big.bin) ;;
    b/libftp-fd) CMD=("$FTPBENCH" retr-fd "$HOST" "$PORT" pub/bench-big.bin "$OUT") ;;
    b/libftp-fd-buf) CMD=("$FTPBENCH" --zero-copy never retr-fd "$HOST" "$PORT" pub/bench-big.bin "$OUT") ;;
    b/libftp-file) CMD=("$FTPBENCH" get-file "$HOST" "$PORT" pub/bench-big.bin "$OUT") ;;
    b/libftp-file-verify) CMD=("$FTPBENCH" --flags 2 get-file "$HOST" "$PORT" pub/bench-big.bin "$OUT") ;;
    b/libftp-cb) CMD=("$FTPBENCH" --bs 1048576 retr-write "$HOST" "$PORT" pub/bench-big.bin "$OUT") ;;
    b/curl) CMD=(curl -sS -o "$OUT" "$URL") ;;
    b/ftplib) CMD=(python3 "$PYBENCH" --bs 1048576 retr-file "$HOST" "$PORT" pub/bench-big.bin "$OUT") ;;
    c/libftp-fd) CMD=("$FTPBENCH" stor-fd "$HOST" "$PORT" "$SRC" "pub/$UPNAME") ;;
    c/libftp-fd-zc) CMD=("$FTPBENCH" --zero-copy always stor-fd "$HOST" "$PORT" "$SRC" "pub/$UPNAME") ;;
    c/libftp-file) CMD=("$FTPBENCH" put-file "$HOST" "$PORT" "$SRC" "pub/$UPNAME") ;;
    c/libftp-cb) CMD=("$FTPBENCH" --bs 1048576 stor-read "$HOST" "$PORT" "$SRC" "pub/$UPNAME") ;;
    c/curl) CMD=(curl -sS -T "$SRC" "ftp://$HOST:$PORT/pub/$UPNAME") ;;
    c/ftplib) CMD=(python3 "$PYBENCH" --bs 1048576 stor-file "$HOST" "$PORT" "$SRC" "pub/$UPNAME") ;;
    d/libftp-fd) CMD=("$FTPBENCH" many "$HOST" "$PORT" "$W/data/small.list" "$SMALLOUT") ;;
    d/curl) CMD=(curl -sS --remote-name-all --output-dir "$SMALLOUT" -K "$W/data/small.curl") ;;
    d/ftplib) CMD=(python3 "$PYBENCH" --bs 1048576 many "$HOST" "$PORT" "$W/data/small.list" "$SMALLOUT") ;;
    e/libftp) CMD=("$FTPBENCH" --tls "$CA" --bs 1048576 retr-null "$THOST" "$TPORT" pub/bench-big.bin) ;;
    e/libftp-8k) CMD=("$FTPBENCH" --tls "$CA" --bs 8192 retr-null "$THOST" "$TPORT" pub/bench-big.bin) ;;
    e/libftp-fd) CMD=("$FTPBENCH" --tls "$CA" retr-fd "$THOST" "$TPORT" pub/bench-big.bin /dev/null) ;;
    e/curl) CMD=(curl -sS --ssl-reqd --cacert "$CA" -o /dev/null -w '%{size_download}\n' "$TURL") ;;
    e/ftplib) CMD=(python3 "$PYBENCH" --tls "$CA" --bs 1048576 retr-null "$THOST" "$TPORT" pub/bench-big.bin) ;;
    *) die "no command for $case/$impl" ;;
  esac
}

read -r -a CASES <<<"${BENCH_CASES:-ceiling a b c d e}"
impls_of() {
  case "$1" in
    ceiling) echo "rw sendfile splice" ;;
    a) echo "libftp curl ftplib libftp-64k libftp-8k" ;;
    b) echo "libftp-fd curl ftplib libftp-cb libftp-fd-buf libftp-file libftp-file-verify" ;;
    c) echo "libftp-fd curl ftplib libftp-cb libftp-fd-zc libftp-file" ;;
    d) echo "libftp-fd curl ftplib" ;;
    e) echo "libftp curl ftplib libftp-fd libftp-8k" ;;
  esac
}

# Warm-up (not recorded): each program once on a small file.
info "warm-up"
"$FTPBENCH" retr-null "$HOST" "$PORT" pub/big.bin >/dev/null
"$FTPBENCH" --tls "$CA" retr-null "$THOST" "$TPORT" pub/big.bin >/dev/null
curl -sS -o /dev/null "ftp://$HOST:$PORT/pub/big.bin"
python3 "$PYBENCH" retr-null "$HOST" "$PORT" pub/big.bin >/dev/null

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$SECONDS
for round in $(seq "$ROUNDS"); do
  info "round $round/$ROUNDS"
  for case in "${CASES[@]}"; do
    read -r -a impls <<<"$(impls_of "$case")"
    n=${#impls[@]}
    for k in $(seq 0 $((n - 1))); do
      impl=${impls[$(((k + round - 1) % n))]}
      cmd_for "$case" "$impl"
      measure "$case" "$impl" "$round" "${CMD[@]}"
    done
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
info "measured in $((SECONDS - T_START)) s"

# ------------------------------------------------------------ report
vsftpd_version=$(dpkg-query -W -f '${Version}' vsftpd 2>/dev/null || echo "?")
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc=$(nproc)"
  echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  echo "mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel=$(uname -sr)"
  echo "curl=$(curl --version | head -n 1)"
  echo "python=$(python3 -c 'import sys, ssl; print(sys.version.split()[0], "/", ssl.OPENSSL_VERSION)')"
  echo "vsftpd=$vsftpd_version"
  echo "openssl=$(openssl version 2>/dev/null || echo '?')"
  echo "rustc=$(rustc --version 2>/dev/null || echo '?')"
  echo "cc=$("$CC" --version | head -n 1)"
  # -dirty: changes other than BENCHMARKS.md, which this script rewrites.
  rev=$(cd "$REPO" && git describe --always 2>/dev/null || echo '?')
  if [ -n "$(cd "$REPO" && git status --porcelain -- . ':!BENCHMARKS.md' 2>/dev/null)" ]; then
    rev="$rev-dirty"
  fi
  echo "libftp=$rev"
  echo "fs=$(df -PT "$W" | awk 'NR == 2 { print $2 }') ($W)"
  echo "smallfs=$(df -PT "${SMALL_W:-$W}" | awk 'NR == 2 { print $2 }') (${SMALL_W:-$W})"
  echo "load=${LOAD_BEFORE} before, ${LOAD_AFTER} after"
  echo "rounds=$ROUNDS"
  echo "size=$SIZE"
  echo "small=$SMALL_COUNT files, $SMALL_BYTES bytes"
  echo "quick=$QUICK"
} >"$W/machine.txt"

# Keep the raw measurements (the workdir goes away).
stamp=$(date -u +%Y%m%d-%H%M%S)
cp "$RESULTS" "$BIN/results-$stamp.tsv"
cp "$W/machine.txt" "$BIN/machine-$stamp.txt"
info "raw results: $BIN/results-$stamp.tsv (case, impl, round, wall s, peak RSS KiB, bytes, user s, system s)"

args=("$RESULTS" "$W/machine.txt")
[ "$WRITE" = 1 ] && args+=(--write "$REPO/BENCHMARKS.md")
python3 "$REPO/benches/report.py" "${args[@]}"
