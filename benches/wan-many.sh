#!/usr/bin/env bash
# benches/wan-many.sh [--rounds N] [--rtts "0 10 40"] [--cases "..."] [--files N]
#                     [--write | --no-write]
#
# Issue 14's table: many files and one big file over a simulated WAN
# (testkit's ftp-wan-proxy, which adds a round-trip time to the control
# connection and to every passive data connection, and optionally caps each
# connection's rate), libftp's pool (benches/poolbench.c: ftp_pool_mirror,
# ftp_pool_download_segmented) against lftp 4.9 (`mirror --parallel=N`,
# `mirror -R`, `pget -n S`) and curl (one connection, one file after the
# other, from a config file), on vsftpd (plain; explicit FTPS for `tls`).
#
# Cases (--cases, default all):
#   dl4k   download a directory of FILES (default 1000) files of 4 KiB,
#          libftp and lftp at N = 1, 4, 8 sessions, curl on one
#   dl1m   the same with 100 files of 1 MiB
#   ul4k   upload the 4 KiB tree, libftp and lftp at N = 4, curl on one
#   ul1m   upload the 1 MiB tree, the same
#   tls    dl4k over explicit FTPS (PROT P) at 10 ms only
#   seg    download one file of 256 MiB at 10 ms with each connection
#          capped at 20 MB/s: libftp in S = 1, 4, 8 parts, lftp pget -n 4
#          and -n 8, curl (one stream)
# dl*/ul* run at every RTT of --rtts (default "0 10 40"; 0 = through the
# proxy with no delay). Every run is checked (diff -r against the source)
# before it counts. Each round runs every implementation once per case,
# in an order rotated from round to round; the report gives medians and
# the median of the per-round ratios.
#
#   --rounds N   rounds (default 3)
#   --write      put the table into BENCHMARKS.md between the wan-many
#                markers (default: print only)
# Environment: BENCH_WORKDIR (default /dev/shm when it has 2 GiB free,
# else $TMPDIR or /tmp); WAN_IP, the proxy's address (default 127.0.0.2;
# another 127.x address lets two runs go at once). Needs: cargo, cc, python3, curl, lftp (installed
# with apt-get when missing), vsftpd, GNU time.
set -euo pipefail
export LC_ALL=C

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/lib.sh
. "$REPO/scripts/lib.sh"
ROUNDS=3
WAN_IP="${WAN_IP:-127.0.0.2}"
RTTS="0 10 40"
CASES="dl4k dl1m ul4k ul1m tls seg"
FILES=1000
WRITE=0
die() { echo "wan-many.sh: $*" >&2; exit 1; }
info() { echo "wan-many.sh: $*" >&2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="${2:?}"; shift ;;
    --rtts) RTTS="${2?}"; shift ;;
    --cases) CASES="${2:?}"; shift ;;
    --files) FILES="${2:?}"; shift ;;
    --write) WRITE=1 ;;
    --no-write) WRITE=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "bad --rounds: $ROUNDS"
[[ "$FILES" =~ ^[1-9][0-9]*$ ]] || die "bad --files: $FILES"
command -v lftp >/dev/null || _apt_install lftp || die "lftp is missing and could not be installed"
command -v curl >/dev/null || _apt_install curl || die "curl is missing and could not be installed"
[ -x /usr/bin/time ] || _apt_install time || die "GNU time is missing"
CC="${CC:-cc}"
CARGO="${CARGO:-cargo}"
command -v "$CARGO" >/dev/null || CARGO="$HOME/.cargo/bin/cargo"

BASE="${BENCH_WORKDIR:-}"
if [ -z "$BASE" ]; then
  BASE="${TMPDIR:-/tmp}"
  if [ -d /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt 2097152 ]; then
    BASE=/dev/shm
  fi
fi
W="$(mktemp -d "$BASE/libftp-wan-many.XXXXXX")"
# shellcheck source=lib.sh
. "$REPO/benches/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

info "cargo build --release (libftp, ftp-wan-proxy), cc poolbench"
bench_build_wan
bench_cc poolbench
BIN="$REPO/target/bench"

info "starting vsftpd (plain and explicit FTPS) in $W"
bench_servers vsftpd,vsftpds
CA="$FTP_TEST_TLS_CAFILE"

# The source trees, in both servers' pub/ (download) and locally (upload).
info "creating the files ($FILES x 4 KiB, 100 x 1 MiB, 256 MiB)"
mkdir -p "$W/src/m4k" "$W/src/m1m"
for i in $(seq -w 1 "$FILES"); do head -c 4096 /dev/urandom >"$W/src/m4k/f$i.bin"; done
for i in $(seq -w 1 100); do head -c 1048576 /dev/urandom >"$W/src/m1m/f$i.bin"; done
head -c 268435456 /dev/urandom >"$W/src/big256"
for root in "$FTP_TEST_VSFTPD_ROOT" "$FTP_TEST_VSFTPDS_ROOT"; do
  cp -r "$W/src/m4k" "$W/src/m1m" "$root/pub/"
  chmod -R a+rX "$root/pub/m4k" "$root/pub/m1m"
done
cp "$W/src/big256" "$FTP_TEST_VSFTPD_ROOT/pub/" && chmod a+r "$FTP_TEST_VSFTPD_ROOT/pub/big256"

LFTP_SET="set net:max-retries 1; set net:timeout 60; set ftp:passive-mode yes; set ftp:prefer-epsv yes; set cmd:fail-exit yes; set xfer:clobber yes"
LFTP_TLS="set ftp:ssl-allow-anonymous yes; set ftp:ssl-force yes; set ftp:ssl-protect-data yes; set ftp:ssl-protect-list yes; set ssl:ca-file $CA; set ssl:check-hostname no"

# command_for CASE IMPL TLS: fills CMD (the command) and CHECK (src:dst to diff).
command_for() {
  local case=$1 impl=$2 tls=$3 set=${1#[du]l} url lurl scheme="ftp" lset="$LFTP_SET"
  [ "$tls" = 0 ] || { scheme="ftpes"; lset="$LFTP_SET; $LFTP_TLS"; }
  url="$scheme://$WAN_IP:$PPORT" lurl="ftp://$WAN_IP:$PPORT"
  local out="$W/out" n=${impl##*-}
  rm -rf "$out"; mkdir -p "$out"
  case "$case" in
    dl*) CHECK="$W/src/m$set:$out/m$set" ;;
    ul*) CHECK="$W/src/m$set:$UPROOT/pub/up" ; rm -rf "$UPROOT/pub/up" ;;
    seg) CHECK="$W/src/big256:$out/big256" ;;
  esac
  case "$case/$impl" in
    dl*/curl)
      mkdir -p "$out/m$set"
      local tlsargs=()
      [ "$tls" = 0 ] || tlsargs=(--ssl-reqd --cacert "$CA" --resolve "localhost:$PPORT:$WAN_IP")
      for f in "$W/src/m$set"/*; do
        b=${f##*/}
        if [ "$tls" = 0 ]; then echo "url = \"ftp://$WAN_IP:$PPORT/pub/m$set/$b\""
        else echo "url = \"ftp://localhost:$PPORT/pub/m$set/$b\""; fi
        echo "output = \"$out/m$set/$b\""
      done >"$W/curl.cfg"
      CMD=(curl -sS "${tlsargs[@]}" --config "$W/curl.cfg") ;;
    dl*/lftp-*) CMD=(lftp -c "$lset; open $lurl; mirror --parallel=$n pub/m$set $out/m$set") ;;
    dl*/libftp-*)
      local t=(); [ "$tls" = 0 ] || t=(--tls "$CA")
      CMD=("$BIN/poolbench" "${t[@]}" mirror "$url" down "pub/m$set" "$out/m$set" "$n") ;;
    ul*/curl)
      for f in "$W/src/m$set"/*; do
        echo "upload-file = \"$f\""; echo "url = \"ftp://$WAN_IP:$PPORT/pub/up/\""
      done >"$W/curl.cfg"
      CMD=(curl -sS --ftp-create-dirs --config "$W/curl.cfg") ;;
    ul*/lftp-*) CMD=(lftp -c "$lset; open $lurl; mirror -R --parallel=$n $W/src/m$set pub/up") ;;
    ul*/libftp-*) CMD=("$BIN/poolbench" mirror "$url" up pub/up "$W/src/m$set" "$n") ;;
    seg/curl) CMD=(curl -sS -o "$out/big256" "ftp://$WAN_IP:$PPORT/pub/big256") ;;
    seg/lftp-*) CMD=(lftp -c "$lset; open $lurl; pget -n $n pub/big256 -o $out/big256") ;;
    seg/libftp-*) CMD=("$BIN/poolbench" segmented "$url" pub/big256 "$out/big256" "$n") ;;
    *) die "no command for $case/$impl" ;;
  esac
}

# measure ROUND LINK CASE IMPL TLS: one checked run, a line in results.tsv.
measure() {
  command_for "$3" "$4" "$5"
  local t0 t1 rss
  t0=$EPOCHREALTIME
  if ! /usr/bin/time -f '%M' -o "$W/time.out" "${CMD[@]}" >"$W/run.out" 2>"$W/run.err"; then
    cat "$W/run.out" "$W/run.err" >&2; die "$3 $4 failed at $2"
  fi
  t1=$EPOCHREALTIME
  rss=$(tail -1 "$W/time.out")
  diff -r "${CHECK%%:*}" "${CHECK#*:}" >/dev/null || die "$3 $4 at $2: the copy differs from the source"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" "$rss" | tee -a "$W/results.tsv" >&2
}

impls_for() {
  case "$1" in
    dl4k|dl1m|tls) echo "curl lftp-1 lftp-4 lftp-8 libftp-1 libftp-4 libftp-8" ;;
    ul4k|ul1m) echo "curl lftp-4 libftp-4" ;;
    seg) echo "curl lftp-4 lftp-8 libftp-1 libftp-4 libftp-8" ;;
  esac
}
rotate() { local k=$1; shift; local a=("$@"); local n=${#a[@]}; for i in $(seq 0 $((n - 1))); do echo "${a[$(( (i + k) % n ))]}"; done; }

: >"$W/results.tsv"
for round in $(seq "$ROUNDS"); do
  info "round $round/$ROUNDS"
  for rtt in $RTTS; do
    proxy_start "$rtt" 0 "$FTP_TEST_VSFTPD_PORT" "$FTP_TEST_VSFTPD_PASV_MIN" "$FTP_TEST_VSFTPD_PASV_MAX"
    UPROOT="$FTP_TEST_VSFTPD_ROOT"
    for case in dl4k dl1m ul4k ul1m; do
      [[ " $CASES " == *" $case "* ]] || continue
      for impl in $(rotate "$round" $(impls_for "$case")); do
        measure "$round" "$rtt ms" "$case" "$impl" 0
      done
    done
    proxy_stop
  done
  if [[ " $CASES " == *" tls "* ]]; then
    proxy_start 10 0 "$FTP_TEST_VSFTPDS_PORT" "$FTP_TEST_VSFTPDS_PASV_MIN" "$FTP_TEST_VSFTPDS_PASV_MAX"
    for impl in $(rotate "$round" $(impls_for tls)); do measure "$round" "10 ms, FTPS" dl4k "$impl" 1; done
    proxy_stop
  fi
  if [[ " $CASES " == *" seg "* ]]; then
    proxy_start 10 20000000 "$FTP_TEST_VSFTPD_PORT" "$FTP_TEST_VSFTPD_PASV_MIN" "$FTP_TEST_VSFTPD_PASV_MAX"
    for impl in $(rotate "$round" $(impls_for seg)); do measure "$round" "10 ms, 20 MB/s per connection" seg "$impl" 0; done
    proxy_stop
  fi
done

mkdir -p "$REPO/target/bench"
cp "$W/results.tsv" "$REPO/target/bench/wan-many-$(date -u +%Y%m%dT%H%M%SZ).tsv"
REPORT="$W/report.md"
python3 "$REPO/benches/report_wan.py" "$W/results.tsv" --files "$FILES" \
  --meta "lftp $(lftp --version | sed -n '1s/.*Version \([0-9.]*\).*/\1/p'), $(curl --version | head -1 | cut -d' ' -f1-2), vsftpd, libftp $(git -C "$REPO" rev-parse --short HEAD), files in $BASE, $ROUNDS rounds, $(date -u '+%Y-%m-%d %H:%M UTC')" >"$REPORT"
cat "$REPORT"
if [ "$WRITE" = 1 ]; then
  python3 - "$REPO/BENCHMARKS.md" "$REPORT" <<'EOF'
import sys
path, rep = sys.argv[1], open(sys.argv[2]).read()
begin, end = "<!-- BEGIN benches/wan-many.sh output -->", "<!-- END benches/wan-many.sh output -->"
text = open(path).read()
block = begin + "\n" + rep.rstrip("\n") + "\n" + end
if begin in text and end in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n## Many files over a simulated WAN (issue 14)\n\n" + block + "\n"
open(path, "w").write(text)
EOF
  info "BENCHMARKS.md updated"
fi
