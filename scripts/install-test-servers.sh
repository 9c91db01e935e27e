#!/usr/bin/env bash
# Install the real proxies of the proxy tests (microsocks, tinyproxy-bin:
# apt-get install, no daemon) and fetch ProFTPD (+ mod_tls) and Pure-FTPd
# into the cache that
# tests/servers/ftpservers.py runs them from ($FTP_TEST_SERVERS_CACHE, else
# ${XDG_CACHE_HOME:-~/.cache}/libftp-servers): `apt-get download` + `dpkg -x`,
# plus the shared libraries the system lacks.  Idempotent; scripts/test.sh
# does the same (ensure_extra_servers in scripts/lib.sh).  Prints the cache
# directory; exits non-zero, saying what is missing, if it could not.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_test_proxies
need_cmd microsocks "the SOCKS5 proxy of the proxy tests"
need_cmd tinyproxy "the HTTP proxy of the proxy tests"
ensure_extra_servers
need_extra_servers
printf '%s\n' "$EXTRA_SERVERS_CACHE"
