#!/bin/sh
# README's example (issue 15): ftp-get of an ftps:// URL naming only the
# user, the password from ~/.netrc, through a SOCKS5 proxy that resolves
# the name.  Against ProFTPD with implicit FTPS and microsocks from
# tests/servers/ftpservers.py (FTP_TEST_* variables); without them: exit 77
# (skipped), or 1 under FTP_TEST_REQUIRE_SERVERS=1.
#   netrc_proxy.sh FTP-GET
set -u
get="$1"
if [ -z "${FTP_TEST_PROFTPDI_PORT:-}" ] || [ -z "${FTP_TEST_SOCKS5_PORT:-}" ]; then
  echo "SKIP: no servers (proftpdi, socks5)"
  [ "${FTP_TEST_REQUIRE_SERVERS:-0}" = 1 ] && exit 1
  exit 77
fi
dir="$(mktemp -d "${TMPDIR:-/tmp}/ftp-get-netrc.XXXXXX")" || exit 1
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir "$dir/home" "$dir/empty"
printf 'machine %s login %s password %s\n' "$FTP_TEST_PROFTPDI_HOST" \
  "$FTP_TEST_PROFTPDI_USER" "$FTP_TEST_PROFTPDI_PASS" >"$dir/home/.netrc"
chmod 600 "$dir/home/.netrc"
url="ftps://$FTP_TEST_PROFTPDI_USER@$FTP_TEST_PROFTPDI_HOST:$FTP_TEST_PROFTPDI_PORT/hello.txt"
proxy="socks5h://$FTP_TEST_SOCKS5_HOST:$FTP_TEST_SOCKS5_PORT"
log="$FTP_TEST_SOCKS5_ROOT/proxy.log"
before=$(grep -c "connected to $FTP_TEST_PROFTPDI_HOST:$FTP_TEST_PROFTPDI_PORT" "$log" 2>/dev/null)

env -u NETRC HOME="$dir/home" "$get" -q --cacert "$FTP_TEST_TLS_CAFILE" --proxy "$proxy" \
  "$url" "$dir/out" || fail "ftp-get with the password from ~/.netrc"
cmp "$dir/out" "$FTP_TEST_PROFTPDI_ROOT/hello.txt" || fail "the copy differs"
after=$(grep -c "connected to $FTP_TEST_PROFTPDI_HOST:$FTP_TEST_PROFTPDI_PORT" "$log" 2>/dev/null)
[ "${after:-0}" -gt "${before:-0}" ] || fail "the proxy's log shows no connection to the server"

# Without the netrc entry the same command is refused (530): the password
# came from ~/.netrc.
out=$(env -u NETRC HOME="$dir/empty" "$get" -q --cacert "$FTP_TEST_TLS_CAFILE" \
  --proxy "$proxy" "$url" "$dir/out2" 2>&1)
rc=$?
[ "$rc" -eq 1 ] && echo "$out" | grep -q '530' || fail "without netrc: exit $rc: $out"
echo "ok: ftps:// with the password from ~/.netrc through $proxy"
