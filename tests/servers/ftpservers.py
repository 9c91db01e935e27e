#!/usr/bin/env python3
"""Start real FTP servers on free loopback ports for the libftp tests.

Usage:
  python3 tests/servers/ftpservers.py --env-file PATH [--workdir DIR]
                                      [--only NAME[,NAME...]] [--keep]
                                      [--log-protocol]

Servers (all by default; --only picks some):
  vsftpd   Debian /usr/sbin/vsftpd on 127.0.0.1, anonymous only.  The anon
           root (FTP_TEST_VSFTPD_ROOT) is owned by root, mode 0755 and holds
           only `pub/`, owned by the `ftp` user, mode 0777, where anonymous
           may upload (STOR/APPE/STOU), MKD, RMD, RNFR/RNTO and DELE.
           Passive and active (PORT/EPRT) data connections both work.
  vsftpd6  the same, listening on ::1 only (EPSV/EPRT), own root.
  pyftpd   pyftpdlib on 127.0.0.1: user `tester` / `secret` with full
           permissions on FTP_TEST_PYFTPD_ROOT, anonymous read-only on the
           same directory.  Supports MLSD/MLST, UTF-8 names.
  pyftpds  pyftpdlib with explicit FTPS (AUTH TLS) on 127.0.0.1, same user
           and fixtures, the good certificate below.  TLS optional on both
           connections; PBSZ, PROT C/P, and CCC (added by pyftpd_server.py).
  vsftpds  vsftpd with explicit FTPS on 127.0.0.1 (announced as HOST
           "localhost"), anonymous, same layout and fixtures as vsftpd.
           TLS required for login and data (force_*_ssl), data connections
           must resume the control connection's TLS session
           (require_ssl_reuse: plain ftplib gets "522 SSL connection failed:
           session reuse required"), uploads must end with close_notify
           (strict_ssl_read_eof: else "426 Failure reading network stream.").
           TLS 1.2 and 1.3; ssl_ciphers=HIGH.
  vsftpdi  the same with implicit FTPS (TLS handshake first, then 220).
  badcert  three explicit FTPS vsftpd servers (only AUTH TLS and the
           handshake matter) whose certificate is for the wrong host
           (DNS:wrong.example), expired, or self-signed.
  proftpd  ProFTPD 1.3.8 on 127.0.0.1: user `tester` / `secret` (virtual,
           chrooted to FTP_TEST_PROFTPD_ROOT, fixtures at its top), MLSD.
  proftpds ProFTPD explicit FTPS (mod_tls): TLSRequired on, data
           connections must resume the control connection's TLS session
           (plain ftplib: "425 Unable to build data connection: Operation
           not permitted"); HOST "localhost".  See proftpd.py.
  proftpdi the same with implicit FTPS (UseImplicitSSL).
  pureftpd Pure-FTPd 1.0.50 on 127.0.0.1: tester/secret from a PureDB
           (virtual, chrooted), MLSD; no anonymous.
  pureftpds Pure-FTPd with -Y 3: TLS required on control and data
           connections (reuse not demanded); HOST "localhost".  See
           pureftpd.py.
  socks5, socks5auth, httpproxy, httpproxyauth
           not FTP servers: microsocks (SOCKS5) and tinyproxy (HTTP
           CONNECT) on 127.0.0.1, without and with user/password (see
           proxies.py).
  ProFTPD and Pure-FTPd run from the .debs unpacked by
  scripts/install-test-servers.sh (see debcache.py: $FTP_TEST_SERVERS_CACHE
  or ~/.cache/libftp-servers); without them those servers fail to start.

TLS files (made at start in <workdir>/tls, FTP_TEST_TLS_DIR, RSA 2048):
  ca.pem (FTP_TEST_TLS_CAFILE) and ca-key.pem: the test CA
  server-cert.pem + server-key.pem: DNS:localhost, IP:127.0.0.1, IP:::1,
      signed by the CA (pyftpds, vsftpds, vsftpdi)
  wronghost-cert.pem: DNS:wrong.example only, signed by the CA
  expired-cert.pem: localhost/127.0.0.1/::1, signed by the CA, expired
      30 days ago (both use server-key.pem)
  selfsigned-cert.pem + selfsigned-key.pem: localhost/127.0.0.1/::1,
      self-signed

Fixtures (in vsftpd's pub/ and at the top of each pyftpdlib root):
  hello.txt          "hello world\\n" (12 bytes)
  empty.bin          0 bytes
  big.bin            5 MiB (5242880 bytes) of deterministic pseudo-random
                     data: sha256(b"libftp-test-%d" % i) for i = 0, 1, ...
  lines.txt          LF-terminated lines, one of them empty (see LINES_TXT)
  subdir/nested.txt  "nested file\\n"
pyftpdlib roots also hold `café.txt` ("café\\n", UTF-8) and `a b;c.txt`.

When every server answers with a 220 greeting (for the FTPS vsftpd servers:
after a TLS handshake, unverified, following AUTH TLS or, for vsftpdi,
before the 220), the env file is written
(atomically) as shell-sourceable KEY=VALUE lines (see ENV KEYS below) and a
line "READY" is printed on stdout.  The launcher then stays in the
foreground until SIGTERM/SIGINT/SIGHUP, stops exactly the server processes
it started (each runs in its own process group, which is signalled),
removes the env file and its temporary directories (unless --keep) and
exits 0.  If a server cannot be started, or dies later, it says which one,
shows the end of its log, cleans up and exits non-zero.

ENV KEYS
  FTP_TEST_VSFTPD_HOST=127.0.0.1  FTP_TEST_VSFTPD_PORT  FTP_TEST_VSFTPD_ROOT
  FTP_TEST_VSFTPD6_HOST=::1       FTP_TEST_VSFTPD6_PORT FTP_TEST_VSFTPD6_ROOT
  FTP_TEST_PYFTPD_HOST=127.0.0.1  FTP_TEST_PYFTPD_PORT  FTP_TEST_PYFTPD_ROOT
  FTP_TEST_PYFTPD_USER=tester     FTP_TEST_PYFTPD_PASS=secret
  FTP_TEST_PYFTPDS_HOST=127.0.0.1 FTP_TEST_PYFTPDS_PORT FTP_TEST_PYFTPDS_ROOT
  FTP_TEST_PYFTPDS_USER=tester    FTP_TEST_PYFTPDS_PASS=secret
  FTP_TEST_PYFTPDS_CAFILE (PEM CA certificate to trust, = TLS_CAFILE)
  FTP_TEST_VSFTPDS_HOST=localhost FTP_TEST_VSFTPDS_PORT FTP_TEST_VSFTPDS_ROOT
  FTP_TEST_VSFTPDI_HOST=localhost FTP_TEST_VSFTPDI_PORT FTP_TEST_VSFTPDI_ROOT
  FTP_TEST_BADCERT_HOST=localhost FTP_TEST_BADCERT_WRONGHOST_PORT
  FTP_TEST_BADCERT_EXPIRED_PORT   FTP_TEST_BADCERT_SELFSIGNED_PORT
  FTP_TEST_PROFTPD_{HOST=127.0.0.1,PORT,ROOT,USER=tester,PASS=secret}
  FTP_TEST_PROFTPDS_{HOST=localhost,PORT,ROOT,USER,PASS,CAFILE}
  FTP_TEST_PROFTPDI_{HOST=localhost,PORT,ROOT,USER,PASS,CAFILE}
  FTP_TEST_PUREFTPD_{HOST=127.0.0.1,PORT,ROOT,USER=tester,PASS=secret}
  FTP_TEST_PUREFTPDS_{HOST=localhost,PORT,ROOT,USER,PASS,CAFILE}
  FTP_TEST_TLS_CAFILE (the test CA, PEM)  FTP_TEST_TLS_DIR (all TLS files)
  FTP_TEST_SERVERS_WORKDIR (temporary directory holding roots, configs, logs)
Only the keys of the servers started are written (TLS_* with any of
pyftpds, vsftpds, vsftpdi, badcert, proftpds, proftpdi, pureftpds).
"""

import argparse
import datetime
import hashlib
import os
import pwd
import random
import shlex
import shutil
import signal
import socket
import stat
import ssl
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# proftpd.py and pureftpd.py `import ftpservers`: when this file runs as a
# script, let them have this very module (one STARTED list), not a copy.
sys.modules.setdefault("ftpservers", sys.modules[__name__])
VSFTPD = "/usr/sbin/vsftpd"
VSFTPD_SSL_REQUEST_CERT = "YES"  # vsftpd's default
ALL_SERVERS = ("vsftpd", "vsftpd6", "pyftpd", "pyftpds", "vsftpds",
               "vsftpdi", "badcert", "proftpd", "proftpds", "proftpdi",
               "pureftpd", "pureftpds", "socks5", "socks5auth", "httpproxy",
               "httpproxyauth")
TLS_SERVERS = ("pyftpds", "vsftpds", "vsftpdi", "badcert", "proftpds",
               "proftpdi", "pureftpds")
# the `badcert` group: explicit FTPS vsftpd servers with a bad certificate
BADCERT_KINDS = ("wronghost", "expired", "selfsigned")
TLS_HOST_NAME = "localhost"  # FTP_TEST_VSFTPD{S,I}_HOST, FTP_TEST_BADCERT_HOST
READY_TIMEOUT = 15.0
PY_USER = "tester"
PY_PASS = "secret"

HELLO_TXT = b"hello world\n"
LINES_TXT = (b"first line\n"
             b"second line\n"
             b"\n"
             b"fourth line, after an empty one\n"
             b"last line\n")
NESTED_TXT = b"nested file\n"
BIG_SIZE = 5 * 1024 * 1024


class LauncherError(Exception):
    pass


class StopRequested(Exception):
    pass


def log(msg):
    sys.stderr.write("ftpservers: %s\n" % msg)
    sys.stderr.flush()


# ---------------------------------------------------------------- fixtures

def big_bytes():
    out = bytearray()
    i = 0
    while len(out) < BIG_SIZE:
        out += hashlib.sha256(b"libftp-test-%d" % i).digest()
        i += 1
    return bytes(out[:BIG_SIZE])


def write_file(path, data, owner=None, mode=0o644):
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)
    if owner is not None:
        os.chown(path, *owner)


def make_fixtures(dirpath, big, owner=None, extra_names=False):
    """Create the fixture files in dirpath (owned by owner=(uid, gid))."""
    write_file(os.path.join(dirpath, "hello.txt"), HELLO_TXT, owner)
    write_file(os.path.join(dirpath, "empty.bin"), b"", owner)
    write_file(os.path.join(dirpath, "big.bin"), big, owner)
    write_file(os.path.join(dirpath, "lines.txt"), LINES_TXT, owner)
    sub = os.path.join(dirpath, "subdir")
    os.mkdir(sub)
    os.chmod(sub, 0o755)
    if owner is not None:
        os.chown(sub, *owner)
    write_file(os.path.join(sub, "nested.txt"), NESTED_TXT, owner)
    if extra_names:
        write_file(os.path.join(dirpath, "café.txt"), "café\n".encode(), owner)
        write_file(os.path.join(dirpath, "a b;c.txt"), b"a b;c\n", owner)


# ------------------------------------------------------------------ ports

def ftp_owner(name, what):
    """(uid, gid) of the system's `ftp` user, checking that we are root
    (`what` starts as root to chroot its sessions)."""
    if os.geteuid() != 0:
        raise LauncherError("%s: %s must be started as root (it chroots "
                            "its sessions)" % (name, what))
    try:
        ftp = pwd.getpwnam("ftp")
    except KeyError:
        raise LauncherError("%s: no `ftp` user on this system (the vsftpd "
                            "package normally creates it)" % name)
    return (ftp.pw_uid, ftp.pw_gid)


def user_root(workdir, name, big, owner):
    """workdir/name (0755) and its root/, owned by `owner`, holding the
    fixtures at the top (the layout of the servers with a virtual user).
    Returns (base, root)."""
    base = os.path.join(workdir, name)
    os.mkdir(base)
    os.chmod(base, 0o755)
    root = os.path.join(base, "root")
    os.mkdir(root)
    os.chown(root, *owner)
    os.chmod(root, 0o755)
    make_fixtures(root, big, owner, extra_names=True)
    return base, root


def user_server_env(srv, name, host, port, root, user, password, tls):
    """Sets srv.env to the FTP_TEST_<NAME>_* keys of a server with a
    virtual user (HOST, PORT, ROOT, USER, PASS, and CAFILE with TLS)."""
    key = "FTP_TEST_%s_" % name.upper()
    srv.env = {key + "HOST": TLS_HOST_NAME if tls else host,
               key + "PORT": str(port), key + "ROOT": root,
               key + "USER": user, key + "PASS": password}
    if tls:
        srv.env[key + "CAFILE"] = tls.ca


def _bindable(family, host, port):
    s = socket.socket(family, socket.SOCK_STREAM)
    try:
        s.bind((host, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_port(family, host):
    s = socket.socket(family, socket.SOCK_STREAM)
    try:
        s.bind((host, 0))
        return s.getsockname()[1]
    finally:
        s.close()


def _ephemeral_range():
    """The kernel's range for ephemeral ports (clients' local ports)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = (int(x) for x in f.read().split())
        return lo, hi
    except (OSError, ValueError):
        return 32768, 60999


def free_range(family, host, count=1000, taken=()):
    """A run of `count` consecutive bindable ports (for PASV), outside the
    kernel's ephemeral range: a client socket that happens to get a local
    port inside the range (the tests' own control and data connections)
    would otherwise make vsftpd's bind fail. vsftpd tries 9 random ports of
    its range per PASV and gives up with "500 OOPS: priv_sock_get_int"
    when all are taken: with 1000 ports and the ~50 data connections
    test_stress keeps open at once on one server, that stays far out of
    reach (with 100 ports, partly inside the ephemeral range, it happened
    in CI)."""
    rng = random.Random()
    lo, hi = _ephemeral_range()
    spans = [(s, e) for s, e in ((10000, lo - 1), (hi + 1, 65535))
             if e - s + 1 >= count]
    if not spans:
        spans = [(10000, 65535)]
    for _ in range(200):
        start, end = rng.choice(spans)
        base = rng.randrange(start, end - count + 2)
        ports = range(base, base + count)
        if any(p in taken for p in ports):
            continue
        if all(_bindable(family, host, p) for p in ports):
            return base, base + count - 1
    raise LauncherError("could not find %d free consecutive ports on %s"
                        % (count, host))


# ------------------------------------------------------------ processes

def _child_setup():
    # Own process group (so we can signal the server and its children
    # without touching anything else) and die with the launcher even if it
    # is SIGKILLed.
    os.setsid()
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except Exception:
        pass


def _read_reply(sock):
    """One (possibly multi-line) FTP reply from sock, as its last line."""
    f = sock.makefile("rb")
    try:
        while True:
            line = f.readline(8192)
            if not line:
                raise OSError("connection closed before a reply")
            if line[:3].isdigit() and line[3:4] == b" ":
                return line
    finally:
        f.close()


def _probe_context():
    """TLS client context for readiness checks: no verification (the bad
    certificate servers must pass too)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def wait_greeting(family, host, port, proc, timeout, name, logpath,
                  tls=None):
    """Wait until (host, port) sends a 220 reply; fail if proc exits.
    tls="explicit": then AUTH TLS must get 234 and a TLS handshake succeed;
    tls="implicit": the TLS handshake comes first, then the 220."""
    deadline = time.monotonic() + timeout
    last_err = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerDied(name, proc.returncode, logpath)
        s = None
        try:
            s = socket.socket(family, socket.SOCK_STREAM)
            s.settimeout(3)
            s.connect((host, port))
            if tls == "implicit":
                s = _probe_context().wrap_socket(s)
            line = _read_reply(s)
            if not line.startswith(b"220 "):
                raise OSError("unexpected greeting %r" % line)
            greeting = line.decode("latin-1").strip()
            if tls == "explicit":
                s.sendall(b"AUTH TLS\r\n")
                r = _read_reply(s)
                if not r.startswith(b"234 "):
                    raise LauncherError("%s: AUTH TLS answered %r%s" % (
                        name, r, log_tail(logpath)))
                s = _probe_context().wrap_socket(s)
            if tls:
                greeting += " [%s %s]" % (s.version(), s.cipher()[0])
            try:
                s.sendall(b"QUIT\r\n")
                _read_reply(s)
            except OSError:
                pass
            # The 220 could come from someone else's server that won
            # the race for this port: make sure the listening socket
            # is really ours.
            if not listens_on(proc.pid, family, port):
                if proc.poll() is not None:
                    raise ServerDied(name, proc.returncode, logpath)
                raise OSError("port %d answers but is not held by "
                              "pid %d" % (port, proc.pid))
            return greeting
        except OSError as e:  # includes ssl.SSLError
            last_err = e
            time.sleep(0.1)
        finally:
            if s is not None:
                s.close()
    raise LauncherError(
        "%s did not answer with a 220 greeting%s on %s port %d within "
        "%.0f s (last error: %s)%s"
        % (name, {"explicit": " and AUTH TLS", "implicit": " over TLS"}
           .get(tls, ""), host, port, timeout, last_err, log_tail(logpath)))


def listens_on(pid, family, port):
    """Whether process pid holds a listening TCP socket on port."""
    table = "/proc/net/tcp6" if family == socket.AF_INET6 else "/proc/net/tcp"
    inodes = set()
    try:
        with open(table) as f:
            next(f)
            for line in f:
                parts = line.split()
                local, state, inode = parts[1], parts[3], parts[9]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    inodes.add("socket:[%s]" % inode)
    except OSError:
        return True  # no /proc: cannot check, trust the greeting
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, fd)) in inodes:
                return True
        except OSError:
            pass
    return False


class ServerDied(LauncherError):
    def __init__(self, name, rc, logpath):
        self.logtext = read_log(logpath)
        LauncherError.__init__(
            self, "%s exited with status %s during start-up%s"
            % (name, rc, log_tail(logpath)))


def read_log(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def log_tail(path, lines=15):
    text = read_log(path)
    tail = text.strip().splitlines()[-lines:]
    msg = "\n  log (removed on exit unless --keep): %s" % path
    if tail:
        msg += "\n  | " + "\n  | ".join(tail)
    else:
        msg += " (empty)"
    return msg


STARTED = []  # Server objects with a live process, in start order


def _proc_stat(pid):
    """(ppid, starttime) of pid from /proc, or None if it is gone."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2:].split()
    if fields[0] == b"Z":
        return None  # zombie: already dead
    return int(fields[1]), int(fields[19])


def descendants(pid):
    """[(pid, starttime)] of all live descendants of pid."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        st = _proc_stat(int(name))
        if st:
            children.setdefault(st[0], []).append((int(name), st[1]))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c[0])
    return out


def signal_if_same(proc, sig):
    """Send sig to proc=(pid, starttime) if that very process still lives.
    Returns whether it was alive."""
    pid, start = proc
    st = _proc_stat(pid)
    if st is None or st[1] != start:
        return False
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    return True


class Server:
    """One started server process."""

    def __init__(self, name, family, host, root, logpath):
        self.name = name
        self.family = family
        self.host = host
        self.root = root
        self.logpath = logpath
        self.port = None
        self.proc = None
        self.greeting = None
        self.env = {}

    def spawn(self, argv, stdin_to_log=False, env=None):
        self.logf = open(self.logpath, "ab")
        # vsftpd reports start-up failures ("500 OOPS: ...") on fd 0 (the
        # control connection in inetd mode), hence stdin_to_log.
        self.proc = subprocess.Popen(
            argv, stdin=self.logf if stdin_to_log else subprocess.DEVNULL,
            stdout=self.logf,
            stderr=subprocess.STDOUT, preexec_fn=_child_setup,
            close_fds=True, env=env)
        STARTED.append(self)

    def stop(self, timeout=5.0):
        """Stop the server and every process it forked (vsftpd runs each
        session in processes of their own session/group, so the process
        group alone is not enough: the descendants are collected from
        /proc while the server is SIGSTOPped and cannot fork)."""
        p = self.proc
        if p is None:
            return
        t0 = time.monotonic()
        pid = p.pid  # setsid() made the server a group leader: pgid == pid
        desc = []
        if p.poll() is None:
            try:
                os.kill(pid, signal.SIGSTOP)
                desc = descendants(pid)
            except ProcessLookupError:
                pass
        for sig in (signal.SIGTERM, signal.SIGCONT):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                pass
        for d in desc:
            signal_if_same(d, signal.SIGTERM)
            signal_if_same(d, signal.SIGCONT)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        deadline = time.monotonic() + timeout
        while desc and time.monotonic() < deadline:
            desc = [d for d in desc if signal_if_same(d, 0)]
            if desc:
                time.sleep(0.05)
        for d in desc:
            signal_if_same(d, signal.SIGKILL)
        # anything else left in the group
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        log("stopped %s (pid %d) in %.1f s" % (self.name, pid,
                                                time.monotonic() - t0))
        self.proc = None
        self.logf.close()
        if self in STARTED:
            STARTED.remove(self)


# ---------------------------------------------------------------- vsftpd

VSFTPD_CONF = """\
# generated by tests/servers/ftpservers.py
background=NO
{listen}
listen_port={port}
run_as_launching_user=NO
anonymous_enable=YES
local_enable=NO
guest_enable=NO
no_anon_password=YES
ftp_username=ftp
anon_root={root}
write_enable=YES
anon_upload_enable=YES
anon_mkdir_write_enable=YES
anon_other_write_enable=YES
anon_world_readable_only=NO
anon_umask=022
chown_uploads=NO
dirlist_enable=YES
download_enable=YES
dirmessage_enable=NO
pasv_enable=YES
pasv_min_port={pasv_min}
pasv_max_port={pasv_max}
pasv_promiscuous=NO
port_enable=YES
port_promiscuous=NO
async_abor_enable=NO
connect_from_port_20=NO
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
tcp_wrappers=NO
userlist_enable=NO
secure_chroot_dir={empty}
nopriv_user=nobody
{ssl}use_localtime=YES
hide_ids=NO
max_clients=0
max_per_ip=0
idle_session_timeout=300
data_connection_timeout=120
syslog_enable=NO
xferlog_enable={xferlog}
xferlog_std_format=NO
log_ftp_protocol={xferlog}
dual_log_enable=NO
vsftpd_log_file={logfile}
xferlog_file={logfile}
"""

VSFTPD_NO_TLS = "ssl_enable=NO\n"

# FTPS: TLS required for login and data, data connections must resume the
# control connection's TLS session, uploads must end with close_notify.
# vsftpd 3.0.3 uses SSLv23_server_method(): ssl_tlsv1=YES allows TLS 1.0
# and, as there is no option to forbid them, TLS 1.1, 1.2 and 1.3 too (the
# Debian 12 OpenSSL 3.0 refuses TLS 1.0/1.1 at its default security level).
# ssl_ciphers only affects TLS <= 1.2 (the Debian build's default is the
# single suite ECDHE-RSA-AES256-GCM-SHA384); TLS 1.3 suites are OpenSSL's
# defaults.
VSFTPD_TLS_CONF = """\
ssl_enable=YES
implicit_ssl={implicit}
allow_anon_ssl=YES
force_anon_logins_ssl=YES
force_anon_data_ssl=YES
force_local_logins_ssl=YES
force_local_data_ssl=YES
require_ssl_reuse=YES
ssl_sslv2=NO
ssl_sslv3=NO
ssl_tlsv1=YES
ssl_ciphers=HIGH
ssl_request_cert={request_cert}
require_cert=NO
strict_ssl_read_eof=YES
strict_ssl_write_shutdown=NO
debug_ssl={debug}
rsa_cert_file={cert}
rsa_private_key_file={key}
"""


def start_vsftpd(name, workdir, big, ipv6, log_protocol, taken_ports,
                 tls=None, host_name=None):
    """tls: None (plain) or (mode, certfile, keyfile), mode "explicit" or
    "implicit".  host_name: the HOST written to the env file (default: the
    address listened on)."""
    if not os.path.exists(VSFTPD):
        raise LauncherError("%s: %s not found (apt-get install vsftpd)"
                            % (name, VSFTPD))
    if os.geteuid() != 0:
        raise LauncherError("%s: vsftpd must be started as root (it "
                            "chroots anonymous sessions)" % name)
    try:
        ftp = pwd.getpwnam("ftp")
    except KeyError:
        raise LauncherError("%s: no `ftp` user on this system (the vsftpd "
                            "package normally creates it)" % name)
    owner = (ftp.pw_uid, ftp.pw_gid)

    base = os.path.join(workdir, name)
    os.mkdir(base)
    os.chmod(base, 0o755)
    root = os.path.join(base, "root")
    os.mkdir(root)
    os.chmod(root, 0o755)          # root-owned, not writable: vsftpd insists
    pub = os.path.join(root, "pub")
    os.mkdir(pub)
    os.chown(pub, *owner)
    os.chmod(pub, 0o777)
    make_fixtures(pub, big, owner)
    empty = os.path.join(base, "empty")
    os.mkdir(empty)
    os.chmod(empty, 0o555)
    logpath = os.path.join(base, "vsftpd.log")
    conf = os.path.join(base, "vsftpd.conf")

    if ipv6:
        family, host = socket.AF_INET6, "::1"
        listen = "listen=NO\nlisten_ipv6=YES\nlisten_address6=::1"
    else:
        family, host = socket.AF_INET, "127.0.0.1"
        listen = "listen=YES\nlisten_ipv6=NO\nlisten_address=127.0.0.1"

    srv = Server(name, family, host, root, logpath)
    last = None
    for attempt in range(5):
        port = free_port(family, host)
        # The plain servers carry test_stress's ~50 passive connections at
        # once; the TLS ones a few, and tests/faultrelay listens on every
        # port of their ranges (a descriptor each).
        pmin, pmax = free_range(family, host, count=200 if tls else 1000,
                                taken=taken_ports | {port})
        if tls:
            mode, certfile, keyfile = tls
            ssl_conf = VSFTPD_TLS_CONF.format(
                implicit="YES" if mode == "implicit" else "NO",
                request_cert=VSFTPD_SSL_REQUEST_CERT,
                debug="YES" if log_protocol else "NO",
                cert=certfile, key=keyfile)
        else:
            ssl_conf = VSFTPD_NO_TLS
        with open(conf, "w") as f:
            f.write(VSFTPD_CONF.format(
                listen=listen, port=port, root=root, pasv_min=pmin,
                pasv_max=pmax, empty=empty, ssl=ssl_conf,
                xferlog="YES" if log_protocol else "NO",
                logfile=os.path.join(base, "protocol.log")))
        os.chmod(conf, 0o600)
        srv.spawn([VSFTPD, conf], stdin_to_log=True)
        srv.port = port
        try:
            srv.greeting = wait_greeting(family, host, port, srv.proc,
                                         READY_TIMEOUT, name, logpath,
                                         tls=tls[0] if tls else None)
        except ServerDied as e:
            srv.stop()
            last = e
            if "bind" in e.logtext.lower() or "in use" in e.logtext.lower():
                log("%s: port collision, retrying" % name)
                continue
            raise
        except LauncherError:
            srv.stop()
            raise
        taken_ports |= {port} | set(range(pmin, pmax + 1))
        key = "FTP_TEST_%s_" % name.upper()
        srv.env = {key + "HOST": host_name or host, key + "PORT": str(port),
                   key + "ROOT": root,
                   # its passive ports (a test relay listens on the same)
                   key + "PASV_MIN": str(pmin), key + "PASV_MAX": str(pmax)}
        return srv
    raise last


# ------------------------------------------------------------- pyftpdlib

class TlsFiles:
    """Paths of the certificates made by make_tls_files()."""

    def __init__(self, d):
        self.dir = d
        self.ca = os.path.join(d, "ca.pem")
        self.ca_key = os.path.join(d, "ca-key.pem")
        self.server_cert = os.path.join(d, "server-cert.pem")
        self.server_key = os.path.join(d, "server-key.pem")
        self.wronghost_cert = os.path.join(d, "wronghost-cert.pem")
        self.expired_cert = os.path.join(d, "expired-cert.pem")
        self.selfsigned_cert = os.path.join(d, "selfsigned-cert.pem")
        self.selfsigned_key = os.path.join(d, "selfsigned-key.pem")

    def pair(self, kind):
        """(certfile, keyfile) of kind good/wronghost/expired/selfsigned."""
        return {
            "good": (self.server_cert, self.server_key),
            "wronghost": (self.wronghost_cert, self.server_key),
            "expired": (self.expired_cert, self.server_key),
            "selfsigned": (self.selfsigned_cert, self.selfsigned_key),
        }[kind]


def make_tls_files(d):
    """Make the test PKI in directory d (see TlsFiles and the docstring):
    one CA (RSA 2048 like all keys, valid until 30 days from now) that signs
      server-cert.pem     DNS:localhost, IP:127.0.0.1, IP:::1 (good)
      wronghost-cert.pem  DNS:wrong.example only
      expired-cert.pem    localhost/127.0.0.1/::1, valid 60 to 30 days ago
                          (the CA is valid from 90 days ago)
    (all three use server-key.pem), and
      selfsigned-cert.pem localhost/127.0.0.1/::1, self-signed, own key.
    Certificate files hold only the leaf (no chain)."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError as e:
        raise LauncherError("TLS: python package `cryptography` is "
                            "missing (%s): pip install pyopenssl" % e)
    import ipaddress

    os.mkdir(d)
    os.chmod(d, 0o755)
    files = TlsFiles(d)
    now = datetime.datetime.now(datetime.timezone.utc)
    start = now - datetime.timedelta(days=1)
    end = now + datetime.timedelta(days=30)

    def new_key():
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def cn(text):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    def key_usage(ca):
        return x509.KeyUsage(
            digital_signature=True, content_commitment=False,
            key_encipherment=not ca, data_encipherment=False,
            key_agreement=False, key_cert_sign=ca, crl_sign=ca,
            encipher_only=False, decipher_only=False)

    localhost_san = x509.SubjectAlternativeName([
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1"))])

    def leaf(subject, san, key, issuer_name, issuer_key, not_before,
             not_after):
        b = (x509.CertificateBuilder()
             .subject_name(subject).issuer_name(issuer_name)
             .public_key(key.public_key())
             .serial_number(x509.random_serial_number())
             .not_valid_before(not_before).not_valid_after(not_after)
             .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                            critical=True)
             .add_extension(key_usage(False), critical=True)
             .add_extension(x509.ExtendedKeyUsage(
                 [ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
             .add_extension(san, critical=False)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(
                 key.public_key()), critical=False))
        if issuer_key is not key:
            b = b.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    issuer_key.public_key()), critical=False)
        return b.sign(issuer_key, hashes.SHA256())

    ca_key = new_key()
    ca_name = cn("libftp test CA")
    ca = (x509.CertificateBuilder()
          .subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          # valid before the expired certificate was, so that only the
          # leaf's dates are wrong in that case
          .not_valid_before(now - datetime.timedelta(days=90))
          .not_valid_after(end)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0),
                         critical=True)
          .add_extension(key_usage(True), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(
              ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))

    key = new_key()
    good = leaf(cn("localhost"), localhost_san, key, ca_name, ca_key,
                start, end)
    wrong = leaf(cn("wrong.example"),
                 x509.SubjectAlternativeName([x509.DNSName("wrong.example")]),
                 key, ca_name, ca_key, start, end)
    expired = leaf(cn("localhost"), localhost_san, key, ca_name, ca_key,
                   now - datetime.timedelta(days=60),
                   now - datetime.timedelta(days=30))
    ss_key = new_key()
    ss_name = cn("localhost (self-signed)")
    selfsigned = leaf(ss_name, localhost_san, ss_key, ss_name, ss_key,
                      start, end)

    pem = serialization.Encoding.PEM

    def write(path, data, mode=0o644):
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, mode)

    def key_bytes(k):
        return k.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption())

    write(files.ca, ca.public_bytes(pem))
    write(files.ca_key, key_bytes(ca_key), 0o600)
    write(files.server_cert, good.public_bytes(pem))
    write(files.server_key, key_bytes(key), 0o600)
    write(files.wronghost_cert, wrong.public_bytes(pem))
    write(files.expired_cert, expired.public_bytes(pem))
    write(files.selfsigned_cert, selfsigned.public_bytes(pem))
    write(files.selfsigned_key, key_bytes(ss_key), 0o600)
    return files


def start_pyftpd(name, workdir, big, tls):
    """tls: None (plain FTP) or the TlsFiles whose good certificate the
    server uses (explicit FTPS)."""
    try:
        import pyftpdlib  # noqa: F401
        if tls:
            import OpenSSL  # noqa: F401
    except ImportError as e:
        raise LauncherError("%s: python package missing (%s): "
                            "pip install pyftpdlib pyopenssl" % (name, e))
    base = os.path.join(workdir, name)
    os.mkdir(base)
    os.chmod(base, 0o755)
    root = os.path.join(base, "root")
    os.mkdir(root)
    os.chmod(root, 0o755)
    make_fixtures(root, big, extra_names=True)
    logpath = os.path.join(base, "pyftpd.log")
    family, host = socket.AF_INET, "127.0.0.1"
    srv = Server(name, family, host, root, logpath)
    tls_args = []
    cafile = None
    if tls:
        cafile = tls.ca
        certfile, keyfile = tls.pair("good")
        tls_args = ["--certfile", certfile, "--keyfile", keyfile]
    last = None
    for attempt in range(5):
        port = free_port(family, host)
        srv.spawn([sys.executable, os.path.join(HERE, "pyftpd_server.py"),
                   "--host", host, "--port", str(port), "--root", root,
                   "--user", PY_USER, "--password", PY_PASS,
                   "--anonymous"] + tls_args)
        srv.port = port
        try:
            srv.greeting = wait_greeting(family, host, port, srv.proc,
                                         READY_TIMEOUT, name, logpath)
        except ServerDied as e:
            srv.stop()
            last = e
            if "in use" in e.logtext.lower():
                log("%s: port collision, retrying" % name)
                continue
            raise
        except LauncherError:
            srv.stop()
            raise
        key = "FTP_TEST_%s_" % name.upper()
        srv.env = {key + "HOST": host, key + "PORT": str(port),
                   key + "ROOT": root, key + "USER": PY_USER,
                   key + "PASS": PY_PASS}
        if cafile:
            srv.env[key + "CAFILE"] = cafile
        return srv
    raise last


# ------------------------------------------------------------------ main

def check_localhost():
    """The TLS vsftpd servers listen on 127.0.0.1 only but are announced as
    "localhost" (for host name checks): warn if that name does not lead to
    127.0.0.1."""
    try:
        addrs = [ai[4][0] for ai in socket.getaddrinfo(
            TLS_HOST_NAME, 21, type=socket.SOCK_STREAM)]
    except OSError as e:
        addrs = []
        log("WARNING: %s does not resolve (%s)" % (TLS_HOST_NAME, e))
    if addrs and "127.0.0.1" not in addrs:
        log("WARNING: %s resolves to %s, not 127.0.0.1; the FTPS vsftpd "
            "servers listen on 127.0.0.1 only" % (TLS_HOST_NAME, addrs))
    elif addrs and addrs[0] != "127.0.0.1":
        log("note: %s resolves to %s first; clients fall back to "
            "127.0.0.1 after a refused connection" % (TLS_HOST_NAME,
                                                      addrs[0]))


def write_env(path, env):
    path = os.path.abspath(path)
    d = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".ftpservers-env-", dir=d)
    with os.fdopen(fd, "w") as f:
        f.write("# written by tests/servers/ftpservers.py (pid %d)\n"
                % os.getpid())
        for k, v in env.items():
            f.write("%s=%s\n" % (k, shlex.quote(v)))
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def parse_only(text):
    names = [n.strip() for n in text.split(",") if n.strip()]
    for n in names:
        if n not in ALL_SERVERS:
            raise argparse.ArgumentTypeError(
                "unknown server %r (choose from %s)"
                % (n, ", ".join(ALL_SERVERS)))
    return names


def ensure_traversable(path, given):
    """ProFTPD reads its user file after dropping to `nobody`: every folder
    above the servers' files must be searchable by others. The --workdir
    given (typically a mktemp -d folder, mode 0700) gets o+x; any other
    folder that lacks it is an error rather than a silent change."""
    path = os.path.abspath(path)
    given = os.path.abspath(given) if given else None
    while True:
        mode = os.stat(path).st_mode
        if not mode & stat.S_IXOTH:
            if path == given:
                os.chmod(path, stat.S_IMODE(mode) | stat.S_IXOTH)
                log("made %s searchable by others (o+x) for the servers' "
                    "unprivileged processes" % path)
            else:
                raise LauncherError(
                    "%s is not searchable by others (o+x): the servers' "
                    "unprivileged processes could not reach their files "
                    "(choose another --workdir)" % path)
        parent = os.path.dirname(path)
        if parent == path:
            return
        path = parent


def main():
    ap = argparse.ArgumentParser(
        description="Start FTP test servers on loopback.",
        epilog="See the module docstring for the fixtures and env keys.")
    ap.add_argument("--env-file", required=True,
                    help="where to write KEY=VALUE lines once ready")
    ap.add_argument("--workdir",
                    help="directory in which the temporary directory is "
                         "created (default: $TMPDIR or /tmp)")
    ap.add_argument("--only", type=parse_only, default=list(ALL_SERVERS),
                    help="comma-separated subset of: " + ", ".join(ALL_SERVERS))
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary directory on exit")
    ap.add_argument("--log-protocol", action="store_true",
                    help="make vsftpd and ProFTPD log every "
                         "command/reply (vsftpd also TLS diagnostics, "
                         "debug_ssl) to <workdir>/<name>/protocol.log "
                         "(ProFTPD's mod_tls always logs to tls.log)")
    args = ap.parse_args()

    def on_signal(signum, frame):
        raise StopRequested(signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)

    env_path = os.path.abspath(args.env_file)
    if not os.path.isdir(os.path.dirname(env_path)):
        log("directory of --env-file does not exist: %s" % env_path)
        return 2
    try:
        os.unlink(env_path)  # never leave a stale file looking ready
    except FileNotFoundError:
        pass

    if args.workdir:
        os.makedirs(args.workdir, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="ftpservers-", dir=args.workdir)
    os.chmod(workdir, 0o755)
    ensure_traversable(os.path.dirname(workdir), args.workdir)
    servers = []
    env_written = False
    rc = 0
    try:
        big = big_bytes()
        taken = set()
        env = {}
        tls = None
        if any(n in TLS_SERVERS for n in args.only):
            tls = make_tls_files(os.path.join(workdir, "tls"))
            env["FTP_TEST_TLS_CAFILE"] = tls.ca
            env["FTP_TEST_TLS_DIR"] = tls.dir
            check_localhost()

        def started(srv):
            servers.append(srv)
            log("%s ready on %s port %d (pid %d): %s"
                % (srv.name, srv.host, srv.port, srv.proc.pid, srv.greeting))

        for name in args.only:
            if name in ("vsftpd", "vsftpd6"):
                started(start_vsftpd(name, workdir, big, name == "vsftpd6",
                                     args.log_protocol, taken))
            elif name in ("vsftpds", "vsftpdi"):
                mode = "explicit" if name == "vsftpds" else "implicit"
                started(start_vsftpd(name, workdir, big, False,
                                     args.log_protocol, taken,
                                     tls=(mode,) + tls.pair("good"),
                                     host_name=TLS_HOST_NAME))
            elif name == "badcert":
                for kind in BADCERT_KINDS:
                    srv = start_vsftpd("vsftpd_badcert_" + kind, workdir,
                                       big, False, args.log_protocol, taken,
                                       tls=("explicit",) + tls.pair(kind))
                    srv.env = {"FTP_TEST_BADCERT_%s_PORT" % kind.upper():
                               str(srv.port)}
                    started(srv)
                env["FTP_TEST_BADCERT_HOST"] = TLS_HOST_NAME
            elif name.startswith("proftpd"):
                import proftpd
                started(proftpd.start(name, workdir, big, args.log_protocol,
                                      taken, tls if name != "proftpd"
                                      else None))
            elif name in ("socks5", "socks5auth", "httpproxy",
                          "httpproxyauth"):
                import proxies
                try:
                    started(proxies.start(name, workdir, taken))
                except proxies.Missing as e:
                    log("SKIPPED %s" % e)
            elif name.startswith("pureftpd"):
                import pureftpd
                started(pureftpd.start(name, workdir, big, taken,
                                       tls if name == "pureftpds" else None))
            else:
                started(start_pyftpd(name, workdir, big,
                                     tls if name == "pyftpds" else None))
        for srv in servers:
            env.update(srv.env)
        env["FTP_TEST_SERVERS_WORKDIR"] = workdir
        write_env(env_path, env)
        env_written = True
        for k, v in env.items():
            print("%s=%s" % (k, shlex.quote(v)))
        print("READY", flush=True)
        log("env file %s written; SIGTERM or Ctrl-C to stop" % env_path)
        while True:
            for srv in servers:
                if srv.proc.poll() is not None:
                    raise LauncherError(
                        "%s (pid %d) exited unexpectedly with status %s%s"
                        % (srv.name, srv.proc.pid, srv.proc.returncode,
                           log_tail(srv.logpath)))
            time.sleep(0.5)
    except StopRequested as e:
        log("signal %d received, stopping" % e.args[0])
    except LauncherError as e:
        log("ERROR: %s" % e)
        rc = 1
    except Exception as e:  # unexpected: still clean up
        log("ERROR: %s: %s" % (type(e).__name__, e))
        rc = 1
    finally:
        # Ignore further signals while cleaning up.
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        for srv in reversed(list(STARTED)):
            try:
                srv.stop()
            except Exception as e:
                log("could not stop %s: %s" % (srv.name, e))
        if env_written:
            try:
                os.unlink(env_path)
            except OSError:
                pass
        if args.keep:
            log("kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
