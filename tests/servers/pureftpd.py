"""Pure-FTPd 1.0.50 for the test suite (started by ftpservers.py).

Runs the pure-ftpd of the Debian package unpacked by scripts/lib.sh (see
debcache.py) in the foreground with command-line options only:

  pureftpd   plain FTP on 127.0.0.1
  pureftpds  `-Y 3`: TLS required on the control connection (a clear-text
             login gets "421 Sorry, cleartext sessions and weak ciphers are
             not accepted on this server.") and on data connections (PROT P
             enforced); explicit FTPS (AUTH TLS) only.  Session reuse on
             data connections is not demanded.

(`-Y 1` would allow TLS, `-Y 2` require it on the control connection only.)
One virtual user in a PureDB made with `pure-pw mkdb` of the unpacked
package: tester/secret, mapped to the system user `ftp`, chrooted (home
ending in `/./`) to FTP_TEST_<NAME>_ROOT, which holds the fixtures at its
top (as pyftpdlib).  No anonymous login (`-E`).  Pure-FTPd logs to syslog
only (`-f none` here); <workdir>/<name>/pure-ftpd.log holds its output.
"""

import os
import socket
import subprocess

import debcache
import ftpservers as fs
import proftpd

PUREFTPD = "usr/sbin/pure-ftpd"
PURE_PW = "usr/bin/pure-pw"
USER = proftpd.USER
PASSWORD = proftpd.PASSWORD


def make_puredb(base, root, owner):
    """passwd file (crypt(3) hash, home ROOT/./ = chroot) and its PureDB."""
    passwd = os.path.join(base, "pureftpd.passwd")
    pdb = os.path.join(base, "pureftpd.pdb")
    with open(passwd, "w") as f:
        f.write("%s:%s:%d:%d::%s/./::::::::::::\n"
                % (USER, proftpd.PASSWORD_HASH, owner[0], owner[1], root))
    os.chmod(passwd, 0o600)
    r = subprocess.run([debcache.path(PURE_PW), "mkdb", pdb, "-f", passwd],
                       env=debcache.child_env(), stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise fs.LauncherError("pure-pw mkdb failed (%d): %s" % (
            r.returncode, r.stdout.decode("utf-8", "replace").strip()))
    return pdb


def start(name, workdir, big, taken_ports, tls=None):
    """name: pureftpd or pureftpds.  tls: the launcher's TlsFiles (for
    pureftpds)."""
    lacking = debcache.missing([PUREFTPD, PURE_PW])
    if lacking:
        raise fs.LauncherError("%s: %s not found in %s (%s)" % (
            name, ", ".join(lacking), debcache.root(), debcache.INSTALL_HINT))
    owner = fs.ftp_owner(name, "Pure-FTPd")
    base, root = fs.user_root(workdir, name, big, owner)
    pdb = make_puredb(base, root, owner)

    tls_args = []
    if tls:
        # one file with the key and the certificate (Pure-FTPd's -2 bundle)
        cert, key = tls.pair("good")
        bundle = os.path.join(base, "cert-and-key.pem")
        with open(bundle, "wb") as out:
            for part in (key, cert):
                with open(part, "rb") as f:
                    out.write(f.read())
        os.chmod(bundle, 0o600)
        tls_args = ["-Y", "3", "-2", bundle]
    logpath = os.path.join(base, "pure-ftpd.log")
    family, host = socket.AF_INET, "127.0.0.1"
    srv = fs.Server(name, family, host, root, logpath)
    last = None
    for attempt in range(5):
        port = fs.free_port(family, host)
        pmin, pmax = fs.free_range(family, host, taken=taken_ports | {port})
        srv.spawn([debcache.path(PUREFTPD),
                   "-S", "%s,%d" % (host, port),
                   "-p", "%d:%d" % (pmin, pmax),
                   "-l", "puredb:" + pdb,
                   "-E",            # no anonymous login
                   "-H",            # no DNS lookups
                   "-A",            # chroot everyone
                   "-u", "1",       # lowest uid allowed to log in
                   "-c", "200", "-C", "200",  # clients, clients per IP
                   "-f", "none"] + tls_args,  # no syslog
                  env=debcache.child_env())
        srv.port = port
        try:
            srv.greeting = fs.wait_greeting(
                family, host, port, srv.proc, fs.READY_TIMEOUT, name,
                logpath, tls="explicit" if tls else None)
        except fs.ServerDied as e:
            srv.stop()
            last = e
            if "in use" in e.logtext.lower() or not e.logtext.strip():
                fs.log("%s: exited at start (port collision?), retrying"
                       % name)
                continue
            raise
        except fs.LauncherError:
            srv.stop()
            raise
        taken_ports |= {port} | set(range(pmin, pmax + 1))
        fs.user_server_env(srv, name, host, port, root, USER, PASSWORD, tls)
        return srv
    raise last
