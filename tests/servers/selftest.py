#!/usr/bin/env python3
"""Check the servers started by ftpservers.py with Python's ftplib.

Usage: python3 tests/servers/selftest.py ENV_FILE [-v]

Reads the KEY=VALUE env file written by ftpservers.py and exercises every
server it lists: login, listings, download/upload/rename/delete, passive
and active mode, EPSV/EPRT on ::1, MLSD, UTF-8 names, FTPS (explicit and
implicit, TLS 1.2 and 1.3, session reuse, close_notify, CCC, certificate
errors); ProFTPD and Pure-FTPd in selftest_more.py.  With -v also prints the replies servers give to a few error cases
(useful when writing tests that check codes/texts).  Exits non-zero on the
first failure.
"""

import ftplib
import hashlib
import io
import os
import shlex
import socket
import ssl
import sys
import warnings

VERBOSE = "-v" in sys.argv[2:]
# selftest_more.py does `import selftest`: when this file runs as a script,
# give it this very module (with BIG set by main), not a fresh copy.
sys.modules.setdefault("selftest", sys.modules[__name__])
BIG_SHA256 = None
BIG = None


def load_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            k, _, v = line.partition("=")
            env[k] = shlex.split(v)[0] if v else ""
    return env


def ok(msg):
    print("ok   %s" % msg)


def show(label, fn):
    """Run fn and print the reply or error it produced."""
    try:
        r = fn()
        text = "OK %r" % (r,)
    except ftplib.all_errors as e:
        text = "%s %r" % (type(e).__name__, str(e))
    if VERBOSE:
        print("     %-34s -> %s" % (label, text))
    return text


def get(ftp, name):
    buf = io.BytesIO()
    ftp.retrbinary("RETR " + name, buf.write)
    return buf.getvalue()


def put(ftp, name, data, cmd="STOR"):
    return ftp.storbinary("%s %s" % (cmd, name), io.BytesIO(data))


def check_fixtures(ftp, tag):
    assert get(ftp, "hello.txt") == b"hello world\n"
    assert get(ftp, "empty.bin") == b""
    big = get(ftp, "big.bin")
    assert len(big) == 5 * 1024 * 1024, len(big)
    if BIG_SHA256:
        assert hashlib.sha256(big).hexdigest() == BIG_SHA256
    lines = []
    ftp.retrlines("RETR lines.txt", lines.append)
    assert "" in lines and len(lines) == 5, lines
    assert get(ftp, "subdir/nested.txt") == b"nested file\n"
    ok("%s: fixtures downloaded and match" % tag)


def rw_cycle(ftp, tag, local_dir):
    """upload/append/size/rename/mkdir/rmdir/delete in the cwd."""
    data = os.urandom(300000)
    put(ftp, "up.bin", data)
    assert get(ftp, "up.bin") == data
    put(ftp, "up.bin", b"tail", cmd="APPE")
    ftp.voidcmd("TYPE I")
    assert ftp.size("up.bin") == len(data) + 4
    if local_dir:
        with open(os.path.join(local_dir, "up.bin"), "rb") as f:
            assert f.read() == data + b"tail"
    ftp.rename("up.bin", "renamed.bin")
    assert "renamed.bin" in ftp.nlst()
    assert "up.bin" not in ftp.nlst()
    ftp.mkd("newdir")
    ftp.cwd("newdir")
    put(ftp, "inner.txt", b"x\n")
    ftp.delete("inner.txt")
    ftp.cwd("..")
    ftp.rmd("newdir")
    ftp.delete("renamed.bin")
    assert "renamed.bin" not in ftp.nlst()
    if local_dir:
        assert not os.path.exists(os.path.join(local_dir, "renamed.bin"))
    ok("%s: STOR/RETR/APPE/SIZE/RNFR+RNTO/MKD/CWD/RMD/DELE" % tag)


def quirks(ftp, tag):
    if not VERBOSE:
        return
    print("     -- %s replies --" % tag)
    show("DELE missing", lambda: ftp.delete("nope.txt"))
    show("RNFR missing", lambda: ftp.sendcmd("RNFR nope.txt"))
    show("RETR missing", lambda: get(ftp, "nope.txt"))
    show("CWD missing", lambda: ftp.cwd("nope"))
    show("MKD new", lambda: ftp.sendcmd("MKD qdir"))
    show("MKD existing", lambda: ftp.sendcmd("MKD qdir"))
    show("RMD", lambda: ftp.sendcmd("RMD qdir"))
    show("RMD missing", lambda: ftp.sendcmd("RMD qdir"))
    show("TYPE A", lambda: ftp.sendcmd("TYPE A"))
    show("SIZE hello.txt (ASCII)", lambda: ftp.sendcmd("SIZE hello.txt"))
    show("TYPE I", lambda: ftp.sendcmd("TYPE I"))
    show("SIZE hello.txt (binary)", lambda: ftp.sendcmd("SIZE hello.txt"))
    show("SIZE missing", lambda: ftp.sendcmd("SIZE nope.txt"))
    show("SIZE dir", lambda: ftp.sendcmd("SIZE subdir"))
    show("MDTM hello.txt", lambda: ftp.sendcmd("MDTM hello.txt"))
    show("PWD", lambda: ftp.sendcmd("PWD"))
    show("NOOP", lambda: ftp.sendcmd("NOOP"))
    show("FEAT", lambda: ftp.sendcmd("FEAT"))
    show("SYST", lambda: ftp.sendcmd("SYST"))
    show("STAT", lambda: ftp.sendcmd("STAT"))
    show("HELP", lambda: ftp.sendcmd("HELP"))
    show("bogus command", lambda: ftp.sendcmd("XYZZY"))
    show("REST 5", lambda: ftp.sendcmd("REST 5"))
    show("ABOR (idle)", lambda: ftp.sendcmd("ABOR"))
    show("MLSD support", lambda: list(ftp.mlsd()))
    show("OPTS UTF8 ON", lambda: ftp.sendcmd("OPTS UTF8 ON"))


def vsftpd(env, key, tag):
    host, port = env[key + "HOST"], int(env[key + "PORT"])
    root = env[key + "ROOT"]
    pub = os.path.join(root, "pub")
    ftp = ftplib.FTP()
    ftp.connect(host, port, timeout=20)
    print("     %s welcome: %s" % (tag, ftp.getwelcome()))
    ftp.login()  # anonymous
    assert ftp.nlst() == ["pub"], ftp.nlst()
    ftp.cwd("pub")
    assert ftp.pwd() == "/pub"
    names = sorted(ftp.nlst())
    assert names == ["big.bin", "empty.bin", "hello.txt", "lines.txt",
                     "subdir"], names
    listing = []
    ftp.retrlines("LIST", listing.append)
    assert len(listing) == 5, listing
    ok("%s: anonymous login, NLST/LIST of pub" % tag)
    for passive in (True, False):
        ftp.set_pasv(passive)
        mode = "passive" if passive else "active"
        check_fixtures(ftp, "%s %s" % (tag, mode))
        rw_cycle(ftp, "%s %s" % (tag, mode), pub)
    ftp.set_pasv(True)
    if host == "::1":
        # ftplib uses EPSV/EPRT on IPv6 anyway; check them explicitly too
        r = ftp.sendcmd("EPSV")
        assert r.startswith("229 "), r
        ok("%s: EPSV -> %s" % (tag, r))
        # consume the opened data port with a real transfer
        ftp2 = ftplib.FTP()
        ftp2.connect(host, port, timeout=20)
        ftp2.login()
        assert ftp2.af == __import__("socket").AF_INET6
        buf = io.BytesIO()
        ftp2.retrbinary("RETR pub/hello.txt", buf.write)
        assert buf.getvalue() == b"hello world\n"
        ftp2.set_pasv(False)
        buf = io.BytesIO()
        ftp2.retrbinary("RETR pub/hello.txt", buf.write)
        assert buf.getvalue() == b"hello world\n"
        ok("%s: EPSV and EPRT transfers" % tag)
        show("PASV on IPv6", lambda: ftp2.sendcmd("PASV"))
        ftp2.quit()
    else:
        # explicit EPSV / EPRT on IPv4 too
        ftp2 = ftplib.FTP()
        ftp2.connect(host, port, timeout=20)
        ftp2.login()
        r = ftp2.sendcmd("EPSV")
        assert r.startswith("229 "), r
        ftp2.quit()
        ok("%s: EPSV on IPv4 -> %s" % (tag, r))
    # Upload outside pub must be refused (root not writable)
    ftp.cwd("/")
    try:
        put(ftp, "nope.bin", b"x")
        raise AssertionError("upload to / should fail")
    except ftplib.error_perm as e:
        ok("%s: STOR in / refused: %s" % (tag, e))
    ftp.cwd("pub")
    quirks(ftp, tag)
    ftp.quit()


def pyftpd(env, key, tag, tls=False):
    host, port = env[key + "HOST"], int(env[key + "PORT"])
    root = env[key + "ROOT"]
    if tls:
        ctx = ssl.create_default_context(cafile=env[key + "CAFILE"])
        ftp = ftplib.FTP_TLS(context=ctx)
    else:
        ftp = ftplib.FTP()
    ftp.connect(host, port, timeout=20)
    print("     %s welcome: %s" % (tag, ftp.getwelcome()))
    if tls:
        ftp.auth()
        # host name check: connect by name too
        ok("%s: AUTH TLS, certificate verified for %s" % (tag, host))
    ftp.login(env[key + "USER"], env[key + "PASS"])
    if tls:
        ftp.prot_p()
    names = set(ftp.nlst())
    want = {"hello.txt", "empty.bin", "big.bin", "lines.txt", "subdir",
            "café.txt", "a b;c.txt"}
    assert names == want, names
    facts = dict(ftp.mlsd(facts=["type", "size", "modify"]))
    assert facts["big.bin"]["size"] == str(5 * 1024 * 1024), facts
    assert facts["subdir"]["type"] == "dir", facts
    assert "café.txt" in facts and "a b;c.txt" in facts
    ok("%s: login, NLST, MLSD (UTF-8 and 'a b;c.txt' names)" % tag)
    assert get(ftp, "café.txt") == "café\n".encode()
    assert get(ftp, "a b;c.txt") == b"a b;c\n"
    for passive in (True, False):
        ftp.set_pasv(passive)
        mode = "passive" if passive else "active"
        check_fixtures(ftp, "%s %s" % (tag, mode))
        rw_cycle(ftp, "%s %s" % (tag, mode), root)
    ftp.set_pasv(True)
    quirks(ftp, tag)
    ftp.quit()
    # anonymous is read-only
    ftp = ftplib.FTP_TLS(context=ctx) if tls else ftplib.FTP()
    ftp.connect(host, port, timeout=20)
    if tls:
        ftp.auth()
    ftp.login()
    if tls:
        ftp.prot_p()
    assert get(ftp, "hello.txt") == b"hello world\n"
    try:
        put(ftp, "anon.bin", b"x")
        raise AssertionError("anonymous upload should fail")
    except ftplib.error_perm as e:
        ok("%s: anonymous read-only (STOR -> %s)" % (tag, e))
    ftp.quit()
    if tls:
        # host name verification by DNS name
        ftp = ftplib.FTP_TLS(context=ctx)
        ftp.connect("localhost", port, timeout=20)
        ftp.auth()
        ftp.quit()
        ok("%s: certificate also valid for 'localhost'" % tag)


# ------------------------------------------------------------------ FTPS

class ReuseFTP_TLS(ftplib.FTP_TLS):
    """ftplib.FTP_TLS whose protected data connections resume the control
    connection's TLS session (plain ftplib does not, and vsftpd with
    require_ssl_reuse refuses that).  Records how the last data connection
    went in last_data = (TLS version, session reused)."""

    last_data = None

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(
                conn, server_hostname=self.host, session=self.sock.session,
                suppress_ragged_eofs=False)
            self.last_data = (conn.version(), conn.session_reused)
        return conn, size


class ImplicitFTP_TLS(ReuseFTP_TLS):
    """Implicit FTPS: TLS from the first byte of the control connection."""

    def connect(self, host="", port=0, timeout=-999, source_address=None):
        if host:
            self.host = host
        if port:
            self.port = port
        if timeout != -999:
            self.timeout = timeout
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.af = sock.family
        self.sock = self.context.wrap_socket(sock, server_hostname=self.host)
        self.file = self.sock.makefile("r", encoding=self.encoding)
        self.welcome = self.getresp()
        return self.welcome


def tls_context(env, version=None):
    """Verifying context trusting the test CA; version pins min and max."""
    ctx = ssl.create_default_context(cafile=env["FTP_TEST_TLS_CAFILE"])
    if version is not None:
        ctx.minimum_version = version
        ctx.maximum_version = version
    return ctx


TLS_VERSIONS = ((ssl.TLSVersion.TLSv1_2, "TLSv1.2"),
                (ssl.TLSVersion.TLSv1_3, "TLSv1.3"))


def expect_error(fn, exc, text=None):
    """Run fn; it must raise exc (with str(e) == text when given)."""
    try:
        r = fn()
    except exc as e:
        if text is not None:
            assert str(e) == text, "%r != %r" % (str(e), text)
        return e
    raise AssertionError("expected %s, got %r" % (exc.__name__, r))


def download_close_notify(ftp, cmd):
    """Download over a protected data connection; returns (data, whether
    the server ended it with close_notify)."""
    ftp.voidcmd("TYPE I")
    conn, _ = ftp.ntransfercmd(cmd)
    buf = bytearray()
    try:
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                clean = True
                break
            buf += chunk
    except ssl.SSLEOFError:
        clean = False
    conn.close()
    ftp.voidresp()
    return bytes(buf), clean


def vsftpd_tls_quirks(env, host, port):
    if not VERBOSE:
        return
    print("     -- vsftpds replies --")
    ftp = ftplib.FTP_TLS(context=tls_context(env))
    ftp.connect(host, port, timeout=20)
    show("FEAT (before AUTH)", lambda: ftp.sendcmd("FEAT"))
    show("PBSZ 0 (before AUTH)", lambda: ftp.sendcmd("PBSZ 0"))
    show("PROT P (before AUTH)", lambda: ftp.sendcmd("PROT P"))
    show("AUTH XYZ", lambda: ftp.sendcmd("AUTH XYZ"))
    show("AUTH TLS", ftp.auth)
    show("AUTH TLS (again)", lambda: ftp.sendcmd("AUTH TLS"))
    show("login", ftp.login)
    show("PROT P (no PBSZ yet)", lambda: ftp.sendcmd("PROT P"))
    show("PBSZ 0", lambda: ftp.sendcmd("PBSZ 0"))
    show("PBSZ 1", lambda: ftp.sendcmd("PBSZ 1"))
    show("PROT S", lambda: ftp.sendcmd("PROT S"))
    show("PROT E", lambda: ftp.sendcmd("PROT E"))
    show("PROT X", lambda: ftp.sendcmd("PROT X"))
    show("PROT C", lambda: ftp.sendcmd("PROT C"))
    show("CCC", lambda: ftp.sendcmd("CCC"))
    show("USER other (logged in)", lambda: ftp.sendcmd("USER other"))
    show("QUIT", ftp.quit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for v in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.set_ciphers("ALL:@SECLEVEL=0")
            ctx.minimum_version = ctx.maximum_version = v
            ftp = ftplib.FTP_TLS(context=ctx)
            ftp.connect(host, port, timeout=20)

            def try_auth():
                try:
                    return ftp.auth()
                except ssl.SSLError as e:
                    raise ftplib.Error("SSLError: %s" % e.reason)
            show("AUTH TLS with only %s" % v.name, try_auth)
            ftp.close()


def vsftpds(env):
    key = "FTP_TEST_VSFTPDS_"
    host, port = env[key + "HOST"], int(env[key + "PORT"])
    pub = os.path.join(env[key + "ROOT"], "pub")
    tag = "vsftpds"

    ftp = ftplib.FTP_TLS(context=tls_context(env))
    ftp.connect(host, port, timeout=20)
    print("     %s welcome: %s" % (tag, ftp.getwelcome()))
    expect_error(lambda: ftp.sendcmd("USER anonymous"), ftplib.error_perm,
                 "530 Anonymous sessions must use encryption.")
    expect_error(lambda: ftp.sendcmd("NOOP"), (EOFError, OSError))
    ftp.close()
    ok("%s: USER before AUTH -> 530 Anonymous sessions must use "
       "encryption. (and the connection is closed)" % tag)

    # plain ftplib does not reuse the TLS session on data connections
    ftp = ftplib.FTP_TLS(context=tls_context(env))
    ftp.connect(host, port, timeout=20)
    ftp.auth()
    ftp.login()
    e = expect_error(lambda: ftp.nlst(), ftplib.error_perm,
                     "522 Data connections must be encrypted.")
    ok("%s: PROT C data connection -> %s" % (tag, e))
    ftp.prot_p()
    e = expect_error(lambda: get(ftp, "pub/hello.txt"), ftplib.error_perm,
                     "522 SSL connection failed: session reuse required")
    expect_error(lambda: ftp.sendcmd("NOOP"), (EOFError, OSError))
    ftp.close()
    ok("%s: data connection without session reuse -> %s (session ends)"
       % (tag, e))

    for version, vname in TLS_VERSIONS:
        t = "%s %s" % (tag, vname)
        ftp = ReuseFTP_TLS(context=tls_context(env, version))
        ftp.connect(host, port, timeout=20)
        ftp.auth()
        assert ftp.sock.version() == vname, ftp.sock.version()
        ftp.login()
        ftp.prot_p()
        ftp.cwd("pub")
        for passive in (True, False):
            ftp.set_pasv(passive)
            mode = "passive" if passive else "active"
            check_fixtures(ftp, "%s %s" % (t, mode))
            assert ftp.last_data == (vname, True), ftp.last_data
            rw_cycle(ftp, "%s %s" % (t, mode), pub)
        ftp.set_pasv(True)
        ok("%s: data connections resumed the control session (%s)"
           % (t, ftp.sock.cipher()[0]))
        for cmd in ("RETR hello.txt", "RETR empty.bin", "LIST"):
            _, clean = download_close_notify(ftp, cmd)
            assert clean, "%s: no close_notify on %s" % (t, cmd)
        ok("%s: server ends download data connections with close_notify"
           % t)
        # strict_ssl_read_eof: an upload ended by a bare TCP FIN (no
        # close_notify) is refused (the data stays on disk).
        data = os.urandom(200000)
        ftp.voidcmd("TYPE I")
        conn, _ = ftp.ntransfercmd("STOR noclose.bin")
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)  # drops TLS without close_notify
        e = expect_error(ftp.voidresp, ftplib.error_temp,
                         "426 Failure reading network stream.")
        conn.close()
        with open(os.path.join(pub, "noclose.bin"), "rb") as f:
            assert f.read() == data
        ftp.delete("noclose.bin")
        ok("%s: upload without close_notify -> %s" % (t, e))
        ftp.voidcmd("NOOP")
        ftp.quit()

    # certificate checks by name and by address
    for h in ("localhost", "127.0.0.1"):
        ftp = ftplib.FTP_TLS(context=tls_context(env))
        ftp.connect(h, port, timeout=20)
        ftp.auth()
        ftp.quit()
    ok("%s: certificate valid for localhost and 127.0.0.1" % tag)
    vsftpd_tls_quirks(env, host, port)


def vsftpdi(env):
    key = "FTP_TEST_VSFTPDI_"
    host, port = env[key + "HOST"], int(env[key + "PORT"])
    pub = os.path.join(env[key + "ROOT"], "pub")
    tag = "vsftpdi"
    for version, vname in TLS_VERSIONS:
        t = "%s %s" % (tag, vname)
        ftp = ImplicitFTP_TLS(context=tls_context(env, version))
        ftp.connect(host, port, timeout=20)
        assert ftp.sock.version() == vname
        if version == ssl.TLSVersion.TLSv1_2:
            print("     %s welcome (over TLS): %s" % (tag, ftp.getwelcome()))
        ftp.login()
        ftp.prot_p()
        ftp.cwd("pub")
        for passive in (True, False):
            ftp.set_pasv(passive)
            mode = "passive" if passive else "active"
            check_fixtures(ftp, "%s %s" % (t, mode))
            assert ftp.last_data == (vname, True), ftp.last_data
            rw_cycle(ftp, "%s %s" % (t, mode), pub)
        ftp.quit()
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(b"USER anonymous\r\n")
    answer = b""
    try:
        while True:  # the text can come in two segments, then a reset
            chunk = s.recv(200)
            if not chunk:
                break
            answer += chunk
    except ConnectionResetError:
        pass
    s.close()
    assert answer.startswith(b"500 OOPS: "), answer
    ok("%s: clear text to the implicit port -> %r" % (
        tag, answer.decode("latin-1").strip()))


def badcert(env):
    host = env["FTP_TEST_BADCERT_HOST"]
    want = {"WRONGHOST": (ssl.X509_V_ERR_HOSTNAME_MISMATCH if hasattr(
                ssl, "X509_V_ERR_HOSTNAME_MISMATCH") else 62),
            "EXPIRED": 10,      # X509_V_ERR_CERT_HAS_EXPIRED
            "SELFSIGNED": 18}   # X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
    for kind, code in want.items():
        port = int(env["FTP_TEST_BADCERT_%s_PORT" % kind])
        ftp = ftplib.FTP_TLS(context=tls_context(env))
        ftp.connect(host, port, timeout=20)
        e = expect_error(ftp.auth, ssl.SSLCertVerificationError)
        ftp.close()
        assert e.verify_code == code, (kind, e.verify_code, e.verify_message)
        # without verification the handshake works
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ftp = ftplib.FTP_TLS(context=ctx)
        ftp.connect(host, port, timeout=20)
        ftp.auth()
        ftp.quit()
        ok("badcert %s: %s (verify code %d); fine unverified"
           % (kind.lower(), e.verify_message, e.verify_code))
    # the wrong-host certificate does chain to the CA
    ctx = tls_context(env)
    ctx.check_hostname = False
    ftp = ftplib.FTP_TLS(context=ctx)
    ftp.connect(host, int(env["FTP_TEST_BADCERT_WRONGHOST_PORT"]), timeout=20)
    ftp.auth()
    ftp.quit()
    ok("badcert wronghost: accepted without the host name check")


def pyftpds_extra(env):
    """PROT C, CCC and session reuse on pyftpds."""
    key = "FTP_TEST_PYFTPDS_"
    port = int(env[key + "PORT"])
    assert env[key + "CAFILE"] == env["FTP_TEST_TLS_CAFILE"]
    for version, vname in TLS_VERSIONS:
        t = "pyftpds %s" % vname
        ftp = ReuseFTP_TLS(context=tls_context(env, version))
        ftp.connect("localhost", port, timeout=20)
        ftp.auth()
        assert ftp.sock.version() == vname
        ftp.login(env[key + "USER"], env[key + "PASS"])
        ftp.prot_p()
        assert get(ftp, "hello.txt") == b"hello world\n"
        assert ftp.last_data == (vname, True), ftp.last_data
        ftp.prot_c()
        assert get(ftp, "hello.txt") == b"hello world\n"
        ftp.prot_p()
        r = ftp.ccc()
        assert r == "200 Control connection back to clear text.", r
        assert ftp.sendcmd("PWD").startswith("257 ")
        assert get(ftp, "big.bin") == BIG  # PROT P still in force
        e = expect_error(lambda: ftp.sendcmd("PROT C"), ftplib.error_perm)
        ftp.quit()
        ok("%s: PROT P/PROT C transfers, CCC -> %s, then clear control "
           "and protected data; PROT after CCC -> %s" % (t, r, e))


def main():
    global BIG_SHA256, BIG
    env = load_env(sys.argv[1])
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import ftpservers
    BIG = ftpservers.big_bytes()
    BIG_SHA256 = hashlib.sha256(BIG).hexdigest()
    if "FTP_TEST_VSFTPD_PORT" in env:
        vsftpd(env, "FTP_TEST_VSFTPD_", "vsftpd")
    if "FTP_TEST_VSFTPD6_PORT" in env:
        vsftpd(env, "FTP_TEST_VSFTPD6_", "vsftpd6")
    if "FTP_TEST_PYFTPD_PORT" in env:
        pyftpd(env, "FTP_TEST_PYFTPD_", "pyftpd")
    if "FTP_TEST_PYFTPDS_PORT" in env:
        pyftpd(env, "FTP_TEST_PYFTPDS_", "pyftpds", tls=True)
        pyftpds_extra(env)
    if "FTP_TEST_VSFTPDS_PORT" in env:
        vsftpds(env)
    if "FTP_TEST_VSFTPDI_PORT" in env:
        vsftpdi(env)
    if "FTP_TEST_BADCERT_HOST" in env:
        badcert(env)
    import selftest_more  # ProFTPD and Pure-FTPd
    selftest_more.run(env)
    print("ALL SERVER CHECKS PASSED")


if __name__ == "__main__":
    main()
