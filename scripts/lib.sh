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
  local title="$1"
  shift
  step "$title"
  printf '  $ %s\n' "$*"
  if ! "$@"; then
    die "$title (command: $*)"
  fi
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
_apt_install() {  # _apt_install PKG... (all at once, then one by one)
  local log
  log="$(mktemp)"
  if ! command -v apt-get >/dev/null 2>&1; then
    local p
    for p in "$@"; do _dep_failed "$p" "apt-get not available; install it by hand"; done
    rm -f "$log"
    return 0
  fi
  if [ "$_APT_UPDATED" -eq 0 ]; then
    info "apt-get update"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get \
        -o DPkg::Lock::Timeout=600 update -q >"$log" 2>&1; then
      warn "apt-get update failed (continuing with the cached lists):"
      tail -n 5 "$log" >&2
    fi
    _APT_UPDATED=1
  fi
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

# ensure_deps: install what the build, the tests and the demo need, only
# what is missing (idempotent; quick when everything is there).  Never
# exits: failures are reported as "could not install X: ..." and listed in
# DEPS_FAILED; callers decide what is fatal (see need_cmd / need_python).
ensure_deps() {
  DEPS_FAILED=""
  local missing=() entry pkg cmd
  # package[:command] -- a package counts as present when its command is in
  # PATH (whatever installed it) or dpkg has it.
  for entry in vsftpd:/usr/sbin/vsftpd cmake:cmake valgrind:valgrind \
               golang-go:go mono-mcs:mcs clang:clang libclang-rt-14-dev: \
               pkg-config:pkg-config libssl-dev:; do
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
