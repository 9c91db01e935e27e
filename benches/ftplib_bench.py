#!/usr/bin/env python3
"""The Python ftplib side of benches/run.sh (standard library only).

  ftplib_bench.py [--tls CAFILE] [--bs N] MODE HOST PORT ARGS...

Modes (the same as benches/ftpbench.c, with ftplib's own calls):
  retr-null  HOST PORT REMOTE          retrbinary with a no-op callback
  retr-file  HOST PORT REMOTE LOCAL    retrbinary writing to LOCAL (f.write)
  stor-file  HOST PORT LOCAL REMOTE    storbinary from LOCAL
  many       HOST PORT LISTFILE OUTDIR one session, retrbinary of each remote
                                       path of LISTFILE into OUTDIR/<basename>

--tls CAFILE: explicit FTPS (AUTH TLS, PBSZ 0, PROT P) verifying against
CAFILE.  vsftpd's require_ssl_reuse=YES refuses data connections that do not
resume the control connection's TLS session, which plain ftplib.FTP_TLS does
not do ("522 SSL connection failed: session reuse required"), so the data
socket is wrapped with session=self.sock.session (ReuseFTP_TLS below, as in
tests/servers/selftest.py).

Prints: bytes=N secs=S mbps=M  (secs from before the connect to after QUIT).
"""
import argparse
import ftplib
import os
import ssl
import sys
import time


class ReuseFTP_TLS(ftplib.FTP_TLS):
    """FTP_TLS whose data connections resume the control TLS session."""

    def ntransfercmd(self, cmd, rest=None):
        # ftplib.FTP.ntransfercmd opens the plain socket; wrap it here.
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host,
                                            session=self.sock.session)
        return conn, size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tls", metavar="CAFILE")
    ap.add_argument("--bs", type=int, default=1 << 20)
    ap.add_argument("mode")
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("args", nargs="*")
    a = ap.parse_args()

    t0 = time.monotonic()
    if a.tls:
        ctx = ssl.create_default_context(cafile=a.tls)
        ftp = ReuseFTP_TLS(context=ctx)
    else:
        ftp = ftplib.FTP()
    ftp.connect(a.host, a.port, timeout=120)
    ftp.login()
    if a.tls:
        ftp.prot_p()

    total = 0
    if a.mode == "retr-null":
        (remote,) = a.args

        def drop(block):
            nonlocal total
            total += len(block)

        ftp.retrbinary("RETR " + remote, drop, blocksize=a.bs)
    elif a.mode == "retr-file":
        remote, local = a.args
        with open(local, "wb") as f:
            ftp.retrbinary("RETR " + remote, f.write, blocksize=a.bs)
            total = f.tell()
    elif a.mode == "stor-file":
        local, remote = a.args
        with open(local, "rb") as f:
            ftp.storbinary("STOR " + remote, f, blocksize=a.bs)
            total = f.tell()
    elif a.mode == "many":
        listfile, outdir = a.args
        with open(listfile) as lf:
            names = [line.strip() for line in lf if line.strip()]
        for remote in names:
            with open(os.path.join(outdir, os.path.basename(remote)), "wb") as f:
                ftp.retrbinary("RETR " + remote, f.write, blocksize=a.bs)
                total += f.tell()
    else:
        ap.error("unknown mode %r" % a.mode)
    ftp.quit()
    secs = time.monotonic() - t0
    print("bytes=%d secs=%.6f mbps=%.1f" % (total, secs, total / secs / 1e6 if secs else 0))


if __name__ == "__main__":
    sys.exit(main())
