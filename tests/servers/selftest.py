#!/usr/bin/env python3
"""Check the servers started by ftpservers.py with Python's ftplib.

Usage: python3 tests/servers/selftest.py ENV_FILE [-v]

Reads the KEY=VALUE env file written by ftpservers.py and exercises every
server it lists: login, listings, download/upload/rename/delete, passive
and active mode, EPSV/EPRT on ::1, MLSD, UTF-8 names, FTPS.  With -v also
prints the replies servers give to a few error cases (useful when writing
tests that check codes/texts).  Exits non-zero on the first failure.
"""

import ftplib
import hashlib
import io
import os
import shlex
import ssl
import sys

VERBOSE = "-v" in sys.argv[2:]
BIG_SHA256 = None


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


def main():
    global BIG_SHA256
    env = load_env(sys.argv[1])
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import ftpservers
    BIG_SHA256 = hashlib.sha256(ftpservers.big_bytes()).hexdigest()
    if "FTP_TEST_VSFTPD_PORT" in env:
        vsftpd(env, "FTP_TEST_VSFTPD_", "vsftpd")
    if "FTP_TEST_VSFTPD6_PORT" in env:
        vsftpd(env, "FTP_TEST_VSFTPD6_", "vsftpd6")
    if "FTP_TEST_PYFTPD_PORT" in env:
        pyftpd(env, "FTP_TEST_PYFTPD_", "pyftpd")
    if "FTP_TEST_PYFTPDS_PORT" in env:
        pyftpd(env, "FTP_TEST_PYFTPDS_", "pyftpds", tls=True)
    print("ALL SERVER CHECKS PASSED")


if __name__ == "__main__":
    main()
