#!/usr/bin/env python3
"""Run one pyftpdlib FTP server in the foreground (helper of ftpservers.py).

Usage:
  pyftpd_server.py --host 127.0.0.1 --port N --root DIR --user U --password P
                   [--anonymous] [--certfile PEM --keyfile PEM]

User U gets full permissions ("elradfmwMT") on DIR; with --anonymous,
anonymous logins get read-only access ("elr") to the same DIR.  With
--certfile the server speaks explicit FTPS (AUTH TLS, PBSZ, PROT), TLS being
optional on both the control and data connections.  Logs go to stderr.
Stops on SIGTERM/SIGINT.
"""

import argparse
import logging
import signal
import sys


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
