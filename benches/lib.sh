# benches/lib.sh: shared by the benchmark scripts (sourced; needs REPO, W,
# die, info). Starts the test servers, builds a C bench program, runs the
# WAN proxy, and cleans up what it started.

SERVERS_PID="" PROXY_PID=""

# bench_cleanup: stops the proxy and the servers, removes $W (trap on EXIT).
bench_cleanup() {
  [ -z "$PROXY_PID" ] || { kill "$PROXY_PID" 2>/dev/null || true; wait "$PROXY_PID" 2>/dev/null || true; }
  [ -z "$SERVERS_PID" ] || { kill -TERM "$SERVERS_PID" 2>/dev/null || true; wait "$SERVERS_PID" 2>/dev/null || true; }
  rm -rf "$W"
}

# bench_cc NAME: compiles benches/NAME.c against target/release's libftp
# into target/bench/NAME.
bench_cc() {
  mkdir -p "$REPO/target/bench"
  nice -n 10 "${CC:-cc}" -O2 -Wall -Wextra -I"$REPO/include" "$REPO/benches/$1.c" \
    -o "$REPO/target/bench/$1" -L"$REPO/target/release" -lftp -Wl,-rpath,"$REPO/target/release"
}

# bench_servers LIST: starts tests/servers/ftpservers.py --only LIST in $W
# and exports its FTP_TEST_* variables.
bench_servers() {
  python3 "$REPO/tests/servers/ftpservers.py" --env-file "$W/servers.env" \
    --only "$1" --workdir "$W" >"$W/servers.log" 2>&1 &
  SERVERS_PID=$!
  for _ in $(seq 300); do
    [ -f "$W/servers.env" ] && break
    kill -0 "$SERVERS_PID" 2>/dev/null || { cat "$W/servers.log" >&2; SERVERS_PID=""; die "the servers did not start"; }
    sleep 0.2
  done
  [ -f "$W/servers.env" ] || { cat "$W/servers.log" >&2; die "the servers were not ready within 60 s"; }
  set -a
  # shellcheck disable=SC1091
  . "$W/servers.env"
  set +a
}

# proxy_start RTT_MS RATE UPSTREAM_PORT PASV_MIN PASV_MAX: starts
# ftp-wan-proxy (RATE 0 = no cap) and sets PPORT, its control port on
# $WAN_IP (default 127.0.0.2).
proxy_start() {
  local args=(--upstream "127.0.0.1:$3" --pasv "$4-$5" --rtt-ms "$1" --listen-ip "${WAN_IP:-127.0.0.2}")
  [ "$2" = 0 ] || args+=(--rate "$2")
  "$REPO/target/release/ftp-wan-proxy" "${args[@]}" >"$W/proxy.out" &
  PROXY_PID=$!
  for _ in $(seq 100); do grep -q '^PORT=' "$W/proxy.out" && break; sleep 0.05; done
  PPORT=$(sed -n 's/^PORT=//p' "$W/proxy.out")
  [ -n "$PPORT" ] || die "ftp-wan-proxy did not start"
}
proxy_stop() { kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true; PROXY_PID=""; }

# bench_build_wan: the release library and ftp-wan-proxy.
bench_build_wan() {
  (cd "$REPO" && nice -n 10 "${CARGO:-cargo}" build --release --quiet --lib &&
    nice -n 10 "${CARGO:-cargo}" build --release --quiet -p ftp-testkit --bin ftp-wan-proxy)
}
