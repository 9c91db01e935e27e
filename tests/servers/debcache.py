"""Where ProFTPD and Pure-FTPd live: unpacked Debian packages in a cache.

They conflict with vsftpd as installed packages, so scripts/lib.sh
(`ensure_extra_servers`, or scripts/install-test-servers.sh) fetches their
.debs with `apt-get download` and unpacks them with `dpkg -x` into

    $FTP_TEST_SERVERS_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/libftp-servers

(root/ holds the unpacked trees, debs/ the packages), together with the
shared libraries the system lacks.  This module finds that tree for the
launcher (same rule as scripts/lib.sh) and says clearly what is missing.
"""

import glob
import os

INSTALL_HINT = ("scripts/install-test-servers.sh fetches them "
                "(scripts/test.sh does it too)")


def cache_dir():
    d = os.environ.get("FTP_TEST_SERVERS_CACHE")
    if d:
        return d
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache")
    return os.path.join(base, "libftp-servers")


def root():
    """The unpacked tree (usr/sbin/proftpd, ...)."""
    return os.path.join(cache_dir(), "root")


def path(rel):
    """Absolute path of rel (e.g. "usr/sbin/proftpd") in the tree."""
    return os.path.join(root(), rel)


def lib_dirs():
    """The tree's library directories (for LD_LIBRARY_PATH)."""
    r = root()
    return sorted(d for pattern in ("usr/lib/*-linux-gnu*", "lib/*-linux-gnu*")
                  for d in glob.glob(os.path.join(r, pattern))
                  if os.path.isdir(d))


def child_env():
    """Environment for a program of the tree: LD_LIBRARY_PATH into it."""
    env = dict(os.environ)
    dirs = lib_dirs()
    if env.get("LD_LIBRARY_PATH"):
        dirs.append(env["LD_LIBRARY_PATH"])
    env["LD_LIBRARY_PATH"] = ":".join(dirs)
    return env


def missing(rels):
    """The files of rels that are not in the tree (empty list: all there)."""
    return [r for r in rels if not os.path.exists(path(r))]
