# shellcheck shell=bash
set -euo pipefail
# Helpers shared by scripts/*.sh.  Source it after `set -euo pipefail`:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Sourcing cds to the repository root and sets REPO_ROOT.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

case ":$PATH:" in
  *":$HOME/.cargo/bin:"*) ;;
  *) export PATH="$HOME/.cargo/bin:$PATH" ;;
esac

_STEP_NO=0

# step "title": announce a step.
step() {
  _STEP_NO=$((_STEP_NO + 1))
  printf '\n==== [%d] %s ====\n' "$_STEP_NO" "$*"
}

info() { printf '  %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

# die "message": print and exit 1.
die() {
  printf '\nFAILED: %s\n' "$*" >&2
  exit 1
}

# run_step "title" cmd args...: announce, run, die with a clear message on
# failure.
run_step() {
  local title="$1" t0=$SECONDS
  shift
  step "$title"
  printf '  $ %s\n' "$*"
  if ! "$@"; then
    die "$title (command: $*)"
  fi
  # Where a run's time goes (CI keeps the whole of test.sh under 20 min).
  printf '  (%s: %d s)\n' "$title" $((SECONDS - t0))
}

# as_root cmd...: run as root, through sudo when needed.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "not root and no sudo available to run: $*" >&2
    return 1
  fi
}

# pkg_installed PKG: whether dpkg says PKG is installed.
pkg_installed() {
  command -v dpkg-query >/dev/null 2>&1 &&
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

# Names of the dependencies that could not be installed, space separated.
DEPS_FAILED=""

_dep_failed() {  # _dep_failed NAME REASON
  printf 'could not install %s: %s\n' "$1" "$2" >&2
  DEPS_FAILED="$DEPS_FAILED $1"
}

_APT_UPDATED=0
# _apt_update_once: apt-get update, once per run (a failure is a warning:
# the cached lists may still do).
_apt_update_once() {
  [ "$_APT_UPDATED" -eq 0 ] || return 0
  _APT_UPDATED=1
  local log
  log="$(mktemp)"
  info "apt-get update"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get \
      -o DPkg::Lock::Timeout=600 update -q >"$log" 2>&1; then
    warn "apt-get update failed (continuing with the cached lists):"
    tail -n 5 "$log" >&2
  fi
  rm -f "$log"
}

_apt_install() {  # _apt_install PKG... (all at once, then one by one)
  local log
  log="$(mktemp)"
  if ! command -v apt-get >/dev/null 2>&1; then
    local p
    for p in "$@"; do _dep_failed "$p" "apt-get not available; install it by hand"; done
    rm -f "$log"
    return 0
  fi
  _apt_update_once
  info "apt-get install $*"
  if as_root env DEBIAN_FRONTEND=noninteractive apt-get \
      -o DPkg::Lock::Timeout=600 install -y -q "$@" >"$log" 2>&1; then
    rm -f "$log"
    return 0
  fi
  # Find out which ones failed.
  local p
  for p in "$@"; do
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get \
        -o DPkg::Lock::Timeout=600 install -y -q "$p" >"$log" 2>&1; then
      _dep_failed "$p" "apt-get install failed: $(grep -E '^(E|Err):' "$log" | head -n 2 | tr '\n' ' ')"
    fi
  done
  rm -f "$log"
}

# The real proxies of the proxy tests (tests/servers/proxies.py): the
# SOCKS5 server microsocks and tinyproxy's binary alone (tinyproxy-bin:
# no daemon is started, unlike the tinyproxy package).
TEST_PROXY_DEPS="microsocks:microsocks tinyproxy-bin:tinyproxy"

# _ensure_packages package[:command]...: apt-get install those missing. A
# package counts as present when its command is in PATH (whatever
# installed it) or dpkg has it.
_ensure_packages() {
  local missing=() entry pkg cmd
  for entry in "$@"; do
    pkg="${entry%%:*}"
    cmd="${entry#*:}"
    if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then
      continue
    fi
    if pkg_installed "$pkg"; then
      continue
    fi
    missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    info "missing system packages: ${missing[*]}"
    _apt_install "${missing[@]}"
  fi
}

# ensure_test_proxies: microsocks and tinyproxy (idempotent; never exits,
# what failed is in DEPS_FAILED).
ensure_test_proxies() {
  # shellcheck disable=SC2086
  _ensure_packages $TEST_PROXY_DEPS
}

# ensure_deps: install what the build, the tests and the demo need, only
# what is missing (idempotent; quick when everything is there).  Never
# exits: failures are reported as "could not install X: ..." and listed in
# DEPS_FAILED; callers decide what is fatal (see need_cmd / need_python).
ensure_deps() {
  DEPS_FAILED=""
  # shellcheck disable=SC2086
  _ensure_packages vsftpd:/usr/sbin/vsftpd cmake:cmake valgrind:valgrind \
    golang-go:go mono-mcs:mcs clang:clang libclang-rt-14-dev: \
    pkg-config:pkg-config libssl-dev: g++:g++ openssl:openssl $TEST_PROXY_DEPS

  if ! python3 -c 'import pyftpdlib, OpenSSL' >/dev/null 2>&1; then
    info "pip install pyftpdlib pyopenssl"
    local log
    log="$(mktemp)"
    if ! python3 -m pip install -q pyftpdlib pyopenssl >"$log" 2>&1; then
      if grep -q externally-managed "$log"; then
        # PEP 668 system Python: use Debian's packages instead.
        _apt_install python3-pyftpdlib python3-openssl
      else
        _dep_failed "pyftpdlib/pyopenssl" "pip failed: $(tail -n 2 "$log" | tr '\n' ' ')"
      fi
    fi
    rm -f "$log"
    if ! python3 -c 'import pyftpdlib, OpenSSL' >/dev/null 2>&1; then
      case "$DEPS_FAILED" in
        *pyftpdlib*) ;;
        *) _dep_failed "pyftpdlib/pyopenssl" "still not importable by $(command -v python3)" ;;
      esac
    fi
  fi

  if command -v cargo >/dev/null 2>&1; then
    if ! command -v cbindgen >/dev/null 2>&1; then
      info "cargo install cbindgen --locked (takes a minute)"
      local log
      log="$(mktemp)"
      if ! cargo install cbindgen --locked >"$log" 2>&1; then
        _dep_failed cbindgen "cargo install failed: $(grep -E '^error' "$log" | head -n 2 | tr '\n' ' ')"
      fi
      rm -f "$log"
    fi
    local comp
    for comp in rustfmt clippy; do
      if ! cargo "${comp/rustfmt/fmt}" --version >/dev/null 2>&1; then
        if command -v rustup >/dev/null 2>&1; then
          info "rustup component add $comp"
          rustup component add "$comp" >/dev/null 2>&1 ||
            _dep_failed "$comp" "rustup component add $comp failed"
        else
          _dep_failed "$comp" "cargo has no $comp and rustup is not available"
        fi
      fi
    done
  else
    _dep_failed "cbindgen" "cargo not found (install Rust from https://rustup.rs)"
  fi

  if [ -n "$DEPS_FAILED" ]; then
    warn "some dependencies are missing:$DEPS_FAILED"
  else
    info "all dependencies present"
  fi
  return 0
}

# need_cmd CMD "what for": exit with a clear message if CMD is missing.
need_cmd() {
  command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] ||
    die "$1 is required ($2) but is not installed${DEPS_FAILED:+ (could not install:$DEPS_FAILED)}"
}

# need_python_modules MOD...: exit if python3 cannot import them.
need_python_modules() {
  local m
  for m in "$@"; do
    python3 -c "import $m" >/dev/null 2>&1 ||
      die "python3 module $m is required (test servers) but cannot be imported (pip install pyftpdlib pyopenssl)"
  done
}

# ------------------------------------------- ProFTPD and Pure-FTPd

# ProFTPD (with mod_tls) and Pure-FTPd conflict with vsftpd as installed
# packages, so their .debs are fetched with `apt-get download` and unpacked
# with `dpkg -x` into this cache (outside the repository), with the shared
# libraries they need that the system lacks.  tests/servers/ftpservers.py
# runs them from there and uses the same rule to find it.
EXTRA_SERVERS_CACHE="${FTP_TEST_SERVERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/libftp-servers}"
EXTRA_SERVER_DEBS="proftpd-core proftpd-mod-crypto pure-ftpd"
# What must be there and find all its libraries (relative to root/).
EXTRA_SERVER_FILES="usr/sbin/proftpd usr/lib/proftpd/mod_tls.so usr/sbin/pure-ftpd usr/bin/pure-pw"

# _extra_ld_path: the library directories of the cache, ':'-joined.
_extra_ld_path() {
  local d out=""
  for d in "$EXTRA_SERVERS_CACHE"/root/usr/lib/*-linux-gnu* \
           "$EXTRA_SERVERS_CACHE"/root/lib/*-linux-gnu*; do
    [ -d "$d" ] && out="${out:+$out:}$d"
  done
  printf '%s' "$out"
}

# _extra_missing: "FILE" for each file absent, "FILE SONAME" for each
# library a file cannot find (ldd with LD_LIBRARY_PATH into the cache).
_extra_missing() {
  local f ldp
  ldp="$(_extra_ld_path)"
  for f in $EXTRA_SERVER_FILES; do
    if [ ! -e "$EXTRA_SERVERS_CACHE/root/$f" ]; then
      printf '%s\n' "$f"
      continue
    fi
    LD_LIBRARY_PATH="$ldp" ldd "$EXTRA_SERVERS_CACHE/root/$f" 2>/dev/null |
      awk -v f="$f" '/=> not found/ {print f, $1}'
  done
}

# _soname_pkg SONAME: Debian's package name for a library (policy 8.1):
# libfoo.so.1 -> libfoo1, libpcre2-posix.so.3 -> libpcre2-posix3,
# libfoo2.so.1 -> libfoo2-1.
_soname_pkg() {
  local base="${1%%.so.*}" ver="${1#*.so.}"
  case "$base" in
    *[0-9]) printf '%s-%s' "$base" "$ver" ;;
    *) printf '%s%s' "$base" "$ver" ;;
  esac
}

# _extra_fetch PKG...: apt-get download (once per package) and dpkg -x.
# Returns non-zero with the reason on stderr.
_extra_fetch() {
  local log p deb rc=0
  log="$(mktemp)"
  for p in "$@"; do
    deb="$(ls "$EXTRA_SERVERS_CACHE/debs/${p}_"*.deb 2>/dev/null | head -n 1 || true)"
    if [ -z "$deb" ]; then
      info "apt-get download $p"
      if ! (cd "$EXTRA_SERVERS_CACHE/debs" && apt-get download -q "$p") >"$log" 2>&1; then
        # stale or empty package lists (fresh machine): update, try again
        _apt_update_once
        if ! (cd "$EXTRA_SERVERS_CACHE/debs" && apt-get download -q "$p") >"$log" 2>&1; then
          printf 'apt-get download %s failed: %s\n' "$p" \
            "$(grep -E '^(E|Err):' "$log" | head -n 2 | tr '\n' ' ')" >&2
          rc=1
          continue
        fi
      fi
      deb="$(ls "$EXTRA_SERVERS_CACHE/debs/${p}_"*.deb 2>/dev/null | head -n 1 || true)"
    fi
    if [ -z "$deb" ] || ! dpkg -x "$deb" "$EXTRA_SERVERS_CACHE/root" 2>"$log"; then
      printf 'dpkg -x %s failed: %s\n' "${deb:-$p}" "$(head -n 2 "$log" | tr '\n' ' ')" >&2
      rc=1
    fi
  done
  rm -f "$log"
  return "$rc"
}

# ensure_extra_servers: make sure ProFTPD 1.3.8 (+ mod_tls) and Pure-FTPd
# 1.0.50 are unpacked in EXTRA_SERVERS_CACHE and find their libraries
# (idempotent; a few ldd calls when all is there).  Never exits: what could
# not be installed is printed ("could not install ...") and added to
# DEPS_FAILED; need_extra_servers makes it fatal.
ensure_extra_servers() {
  local missing round pkgs line soname pkg
  missing="$(_extra_missing)"
  if [ -z "$missing" ]; then
    info "ProFTPD and Pure-FTPd present in $EXTRA_SERVERS_CACHE"
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
    _dep_failed "proftpd/pure-ftpd" "apt-get and dpkg are needed to fetch them into $EXTRA_SERVERS_CACHE"
    return 0
  fi
  mkdir -p "$EXTRA_SERVERS_CACHE/debs" "$EXTRA_SERVERS_CACHE/root"
  info "fetching ProFTPD and Pure-FTPd into $EXTRA_SERVERS_CACHE"
  # shellcheck disable=SC2086
  _extra_fetch $EXTRA_SERVER_DEBS || true
  # Libraries the system lacks (libhiredis, libmemcached, ...), and then
  # what those need, a few rounds at most.
  for round in 1 2 3 4; do
    pkgs=""
    while read -r line; do
      soname="${line#* }"
      [ "$soname" != "$line" ] || continue  # a missing file, not a library
      pkg="$(_soname_pkg "$soname")"
      case " $pkgs " in *" $pkg "*) ;; *) pkgs="$pkgs $pkg" ;; esac
    done <<<"$(_extra_missing)"
    [ -n "$pkgs" ] || break
    info "libraries missing for the servers:$pkgs"
    # shellcheck disable=SC2086
    _extra_fetch $pkgs || true
  done
  missing="$(_extra_missing)"
  if [ -n "$missing" ]; then
    while read -r line; do
      case "$line" in
        *" "*) _dep_failed "${line#* }" "needed by $EXTRA_SERVERS_CACHE/root/${line%% *}; package $(_soname_pkg "${line#* }") could not be fetched (apt-get download)" ;;
        *) _dep_failed "$line" "not in $EXTRA_SERVERS_CACHE/root after unpacking $EXTRA_SERVER_DEBS" ;;
      esac
    done <<<"$missing"
    warn "ProFTPD/Pure-FTPd are not usable (tests/servers/ftpservers.py will refuse proftpd*/pureftpd*)"
  else
    info "ProFTPD and Pure-FTPd unpacked in $EXTRA_SERVERS_CACHE"
  fi
  return 0
}

# need_extra_servers: exit with the list of what is missing unless
# ensure_extra_servers succeeded.
need_extra_servers() {
  local missing
  missing="$(_extra_missing)"
  [ -z "$missing" ] ||
    die "ProFTPD/Pure-FTPd are required (test servers) but incomplete in $EXTRA_SERVERS_CACHE: $(printf '%s' "$missing" | tr '\n' ';') (scripts/install-test-servers.sh fetches them)"
}

# ------------------------------------------------------- test servers

SERVERS_PID=""
SERVERS_LOG=""

# start_servers ENV_FILE [launcher options...]: start
# tests/servers/ftpservers.py in the background, wait (60 s) for ENV_FILE,
# and export its variables.  Call stop_servers from an EXIT trap.
start_servers() {
  local env_file="$1"
  shift
  SERVERS_LOG="${env_file%.env}.log"
  rm -f "$env_file"
  python3 "$REPO_ROOT/tests/servers/ftpservers.py" --env-file "$env_file" "$@" \
    >"$SERVERS_LOG" 2>&1 &
  SERVERS_PID=$!
  info "launcher pid $SERVERS_PID, log $SERVERS_LOG"
  local deadline=$((SECONDS + 60))
  while [ ! -f "$env_file" ]; do
    if ! kill -0 "$SERVERS_PID" 2>/dev/null; then
      wait "$SERVERS_PID" 2>/dev/null || true
      SERVERS_PID=""
      sed 's/^/  | /' "$SERVERS_LOG" >&2
      die "the FTP test servers could not be started (see above)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      sed 's/^/  | /' "$SERVERS_LOG" >&2
      die "the FTP test servers were not ready within 60 s"
    fi
    sleep 0.2
  done
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
  grep -E '^ftpservers: .* ready on' "$SERVERS_LOG" | sed 's/^ftpservers: /  /' || true
}

# stop_servers: stop the launcher started by start_servers (only that pid).
stop_servers() {
  if [ -n "$SERVERS_PID" ]; then
    kill -TERM "$SERVERS_PID" 2>/dev/null || true
    wait "$SERVERS_PID" 2>/dev/null || true
    SERVERS_PID=""
  fi
}
