#!/usr/bin/env python3
"""Run one pyftpdlib FTP server in the foreground (helper of ftpservers.py).

Usage:
  pyftpd_server.py --host 127.0.0.1 --port N --root DIR --user U --password P
                   [--anonymous] [--certfile PEM --keyfile PEM]

User U gets full permissions ("elradfmwMT") on DIR; with --anonymous,
anonymous logins get read-only access ("elr") to the same DIR.  With
--certfile the server speaks explicit FTPS (AUTH TLS, PBSZ, PROT C/P), TLS
being optional on both the control and data connections, plus CCC, which
pyftpdlib lacks and this script adds (see ccc_mixin).  Logs go to stderr.
Stops on SIGTERM/SIGINT.
"""

import argparse
import logging
import select
import signal
import sys
import time

CCC_TIMEOUT = 10.0  # seconds to wait for the client's close_notify


def ccc_mixin(SSL):
    """CCC (RFC 4217 section 12.3) for pyftpdlib's TLS_FTPHandler.

    Answers `200 Control connection back to clear text.` over TLS, sends
    close_notify, waits (up to CCC_TIMEOUT, blocking the server loop: fine
    for a test server) for the client's close_notify, then goes on in clear
    text on the same TCP connection.  The PROT level is kept, so data
    connections stay protected after CCC with PROT P; PBSZ/PROT themselves
    then get 503 like before AUTH.  Without TLS on the control connection
    CCC gets `533 Control connection is not protected.`  If the TLS closure
    fails the connection is dropped."""

    class CCCMixin:
        def secure_connection(self, ssl_context):
            self._ccc_raw_socket = self.socket
            super().secure_connection(ssl_context)

        def _ccc_wait(self, sock, write, deadline):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("CCC: timed out")
            r, w, _ = select.select([] if write else [sock],
                                    [sock] if write else [], [], left)
            if not r and not w:
                raise TimeoutError("CCC: timed out")

        def ftp_CCC(self, line):
            if not self._ssl_established or self._ssl_closing:
                self.respond("533 Control connection is not protected.")
                return
            self.respond("200 Control connection back to clear text.")
            conn, raw = self.socket, self._ccc_raw_socket
            deadline = time.monotonic() + CCC_TIMEOUT
            try:
                while self.producer_fifo:  # flush the 200 (over TLS)
                    self._ccc_wait(raw, True, deadline)
                    self.initiate_send()
                    if self._closed:
                        return
                while True:
                    try:
                        # False: our close_notify is out, the client's
                        # has not arrived yet; True: both done.
                        if conn.shutdown():
                            break
                        self._ccc_wait(raw, False, deadline)
                    except SSL.WantReadError:
                        self._ccc_wait(raw, False, deadline)
                    except SSL.WantWriteError:
                        self._ccc_wait(raw, True, deadline)
            except (SSL.Error, OSError) as e:
                self.log("CCC: TLS closure failed (%r); closing" % (e,))
                self._ssl_established = False
                self.close()
                return
            self.socket = raw
            self._ssl_requested = False
            self._ssl_established = False
            self._ssl_want_read = False
            self._ssl_want_write = False
            self.log("CCC: control connection now in clear text")

    return CCCMixin


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--anonymous", action="store_true")
    ap.add_argument("--certfile")
    ap.add_argument("--keyfile")
    args = ap.parse_args()

    try:
        from pyftpdlib.authorizers import DummyAuthorizer
        from pyftpdlib.servers import FTPServer
        if args.certfile:
            from pyftpdlib.handlers import TLS_FTPHandler as Handler
        else:
            from pyftpdlib.handlers import FTPHandler as Handler
    except ImportError as e:
        sys.stderr.write("pyftpd_server: cannot import pyftpdlib (%s); "
                         "pip install pyftpdlib pyopenssl\n" % e)
        return 2

    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s")

    authorizer = DummyAuthorizer()
    authorizer.add_user(args.user, args.password, args.root, perm="elradfmwMT")
    if args.anonymous:
        authorizer.add_anonymous(args.root)  # default perm "elr": read-only

    if args.certfile:
        from OpenSSL import SSL

        class TestHandler(ccc_mixin(SSL), Handler):
            proto_cmds = dict(Handler.proto_cmds)
            proto_cmds["CCC"] = dict(
                perm=None, auth=False, arg=False,
                help="Syntax: CCC (clear command channel).")

            def __init__(self, *a, **kw):
                super().__init__(*a, **kw)
                if hasattr(self, "_extra_feats"):
                    self._extra_feats.append("CCC")
    else:
        class TestHandler(Handler):
            pass

    TestHandler.authorizer = authorizer
    TestHandler.banner = "pyftpdlib test server ready."
    if args.certfile:
        TestHandler.certfile = args.certfile
        TestHandler.keyfile = args.keyfile or args.certfile
        TestHandler.tls_control_required = False
        TestHandler.tls_data_required = False

    server = FTPServer((args.host, args.port), TestHandler)
    server.max_cons_per_ip = 0

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(handle_exit=False)
    except KeyboardInterrupt:
        pass
    finally:
        server.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
