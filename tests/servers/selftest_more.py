"""selftest.py's checks of ProFTPD and Pure-FTPd (Python ftplib).

Run through selftest.py (`python3 tests/servers/selftest.py ENV_FILE [-v]`),
which calls run(env).  The replies asserted here are the ones documented in
README.md; a change of server version that alters them fails loudly.

The FTPS checks prove what each server demands: ProFTPD refuses a
protected data connection that does not resume the control connection's
TLS session (plain ftplib.FTP_TLS never resumes), and Pure-FTPd -Y 3
refuses clear-text logins and clear data connections.
"""

import ftplib
import os
import socket

import selftest as st

ALL_NAMES = {"hello.txt", "empty.bin", "big.bin", "lines.txt", "subdir",
             "café.txt", "a b;c.txt"}


def coords(env, name):
    key = "FTP_TEST_%s_" % name
    return (env[key + "HOST"], int(env[key + "PORT"]), env[key + "ROOT"],
            env[key + "USER"], env[key + "PASS"])


def listings(ftp, tag, dots):
    """NLST (Pure-FTPd adds . and ..), LIST, MLSD of the root."""
    names = set(ftp.nlst())
    want = ALL_NAMES | ({".", ".."} if dots else set())
    assert names == want, (tag, names)
    listing = []
    ftp.retrlines("LIST", listing.append)
    assert len(listing) == len(ALL_NAMES), listing
    facts = dict(ftp.mlsd(facts=["type", "size"]))
    assert facts["big.bin"]["size"] == str(5 * 1024 * 1024), facts
    assert facts["subdir"]["type"] == "dir", facts
    assert facts["."]["type"] == "cdir", facts
    assert "café.txt" in facts and "a b;c.txt" in facts
    st.ok("%s: NLST%s, LIST, MLSD (UTF-8 and 'a b;c.txt' names)"
          % (tag, " (with . and ..)" if dots else ""))


def plain(env, name, dots, nlst_missing):
    host, port, root, user, password = coords(env, name)
    tag = name.lower()
    ftp = ftplib.FTP()
    ftp.connect(host, port, timeout=20)
    print("     %s welcome: %s" % (tag, ftp.getwelcome().splitlines()[-1]))
    st.expect_error(lambda: ftp.login("anonymous", "x"), ftplib.error_perm)
    ftp.close()
    ftp = ftplib.FTP()
    ftp.connect(host, port, timeout=20)
    ftp.login(user, password)
    listings(ftp, tag, dots)
    st.expect_error(lambda: ftp.nlst("nope"), nlst_missing[0], nlst_missing[1])
    assert st.get(ftp, "café.txt") == "café\n".encode()
    for passive in (True, False):
        ftp.set_pasv(passive)
        mode = "passive" if passive else "active"
        st.check_fixtures(ftp, "%s %s" % (tag, mode))
        st.rw_cycle(ftp, "%s %s" % (tag, mode), root)
    ftp.set_pasv(True)
    st.quirks(ftp, tag)
    ftp.quit()


def login_tls(ftp, env, name, implicit=False):
    host, port, _, user, password = coords(env, name)
    ftp.connect(host, port, timeout=20)
    if not implicit:
        ftp.auth()
    ftp.login(user, password)
    return ftp


def reuse_rounds(env, name, implicit, want_reused):
    """Fixtures and the read/write cycle over protected data connections
    that offer the control connection's session, TLS 1.2 and 1.3, passive
    and active.  want_reused(version name) -> whether the server resumes."""
    root = coords(env, name)[2]
    cls = st.ImplicitFTP_TLS if implicit else st.ReuseFTP_TLS
    for version, vname in st.TLS_VERSIONS:
        t = "%s %s" % (name.lower(), vname)
        ftp = login_tls(cls(context=st.tls_context(env, version)), env, name,
                        implicit)
        assert ftp.sock.version() == vname, ftp.sock.version()
        ftp.prot_p()
        for passive in (True, False):
            ftp.set_pasv(passive)
            mode = "passive" if passive else "active"
            st.check_fixtures(ftp, "%s %s" % (t, mode))
            assert ftp.last_data == (vname, want_reused(vname)), \
                (t, ftp.last_data)
            st.rw_cycle(ftp, "%s %s" % (t, mode), root)
        ftp.set_pasv(True)
        for cmd in ("RETR hello.txt", "RETR empty.bin", "LIST"):
            _, clean = st.download_close_notify(ftp, cmd)
            assert clean, "%s: no close_notify on %s" % (t, cmd)
        ok_upload_without_close_notify(ftp, root, t)
        ftp.quit()
        st.ok("%s: data connections %s the session; downloads end with "
              "close_notify" % (t, "resume" if want_reused(vname)
                                else "do not resume"))


def ok_upload_without_close_notify(ftp, root, t):
    """Neither ProFTPD nor Pure-FTPd demands close_notify on uploads."""
    data = os.urandom(200000)
    ftp.voidcmd("TYPE I")
    conn, _ = ftp.ntransfercmd("STOR noclose.bin")
    conn.sendall(data)
    conn.shutdown(socket.SHUT_WR)  # TLS dropped without close_notify
    r = ftp.voidresp()
    conn.close()
    assert r.startswith("226"), r
    with open(os.path.join(root, "noclose.bin"), "rb") as f:
        assert f.read() == data
    ftp.delete("noclose.bin")


def proftpds(env):
    name, tag = "PROFTPDS", "proftpds"
    host, port = coords(env, name)[:2]
    ftp = ftplib.FTP_TLS(context=st.tls_context(env))
    ftp.connect(host, port, timeout=20)
    st.expect_error(lambda: ftp.sendcmd("USER tester"), ftplib.error_perm,
                    "550 SSL/TLS required on the control channel")
    ftp.auth()
    ftp.login(*coords(env, name)[3:])
    st.expect_error(ftp.nlst, ftplib.error_perm,
                    "522 SSL/TLS required on the data channel")
    st.expect_error(ftp.prot_c, ftplib.error_perm,
                    "534 Unwilling to accept security parameters")
    ftp.quit()
    st.ok("%s: USER before AUTH -> 550, clear data -> 522, PROT C -> 534"
          % tag)
    # plain ftplib does not resume the TLS session: refused, session goes on
    for version, vname in st.TLS_VERSIONS:
        ftp = login_tls(ftplib.FTP_TLS(context=st.tls_context(env, version)),
                        env, name)
        ftp.prot_p()
        e = st.expect_error(lambda: st.get(ftp, "hello.txt"),
                            ftplib.error_temp, "425 Unable to build data "
                            "connection: Operation not permitted")
        assert ftp.sendcmd("NOOP").startswith("200 ")
        ftp.quit()
        st.ok("%s %s: data connection without session reuse -> %s "
              "(session goes on)" % (tag, vname, e))
    reuse_rounds(env, name, False, lambda v: True)


def proftpdi(env):
    name = "PROFTPDI"
    reuse_rounds(env, name, True, lambda v: True)
    s = socket.create_connection(("127.0.0.1", coords(env, name)[1]),
                                 timeout=20)
    s.sendall(b"USER tester\r\n")
    answer = b""
    try:
        while True:
            chunk = s.recv(200)
            if not chunk:
                break
            answer += chunk
    except ConnectionResetError:
        pass
    s.close()
    assert answer == b"421 TLS handshake failed\r\n", answer
    st.ok("proftpdi: clear text to the implicit port -> %r"
          % answer.decode().strip())


def pureftpds(env):
    name, tag = "PUREFTPDS", "pureftpds"
    host, port = coords(env, name)[:2]
    ftp = ftplib.FTP()
    ftp.connect(host, port, timeout=20)
    e = st.expect_error(lambda: ftp.login(*coords(env, name)[3:]),
                        ftplib.error_temp)
    assert str(e).startswith("421-Sorry, cleartext sessions and weak "
                             "ciphers are not accepted"), e
    ftp.close()
    # plain ftplib.FTP_TLS works: reuse is not demanded
    ftp = login_tls(ftplib.FTP_TLS(context=st.tls_context(env)), env, name)
    ftp.prot_c()
    st.expect_error(lambda: st.get(ftp, "hello.txt"), ftplib.error_perm,
                    "521 Data connection cannot be opened with this PROT "
                    "setting.")
    ftp.prot_p()
    assert st.get(ftp, "hello.txt") == b"hello world\n"
    ftp.quit()
    st.ok("%s: clear-text login -> 421, PROT C transfer -> 521, plain "
          "FTP_TLS (no reuse) works" % tag)
    # TLS 1.3: Pure-FTPd issues no tickets, so nothing can be resumed
    reuse_rounds(env, name, False, lambda v: v == "TLSv1.2")


def run(env):
    if "FTP_TEST_PROFTPD_PORT" in env:
        plain(env, "PROFTPD", False,
              (ftplib.error_temp, "450 nope: No such file or directory"))
    if "FTP_TEST_PUREFTPD_PORT" in env:
        plain(env, "PUREFTPD", True,
              (ftplib.error_perm, "550 Can't check for file existence"))
    if "FTP_TEST_PROFTPDS_PORT" in env:
        proftpds(env)
    if "FTP_TEST_PROFTPDI_PORT" in env:
        proftpdi(env)
    if "FTP_TEST_PUREFTPDS_PORT" in env:
        pureftpds(env)
