#!/usr/bin/env python3
"""Turns the measurements of benches/run.sh into the BENCHMARKS.md table.

  report.py RESULTS.tsv MACHINE.txt [--write BENCHMARKS.md]

RESULTS.tsv: case, impl, round, wall seconds, peak RSS KiB, bytes[, user
seconds, system seconds] (one run a line).  MACHINE.txt: key=value lines.  The table goes to stdout; with --write
it replaces the part of BENCHMARKS.md between the BEGIN/END markers (the
file is created with the markers if needed; what is outside them is kept).
"""
import statistics
import sys
from collections import defaultdict

BEGIN = "<!-- BEGIN benches/run.sh output: everything up to END is rewritten by each run -->"
END = "<!-- END benches/run.sh output -->"

CASES = [
    ("a", "(a) download, discarding callback"),
    ("b", "(b) download to a file"),
    ("c", "(c) upload from a file"),
    ("d", "(d) small files, one session"),
    ("e", "(e) download over TLS (PROT P), discarded"),
]

# libftp rows of each case: (impl, what libftp does there, target row?).
# Target rows are the calls a program would use for the job, in their
# default mode; the others (a zero-copy mode switched against its
# default) are there to show what that mode does, for comparison.
LIBFTP = {
    "a": [("libftp-8k", "ftp_retrbinary, bs 8 KiB (the default)", True),
          ("libftp-64k", "ftp_retrbinary, bs 64 KiB", True),
          ("libftp", "ftp_retrbinary, bs 1 MiB", True)],
    "b": [("libftp-fd", "ftp_retr_to_fd (default: splice into the file)", True),
          ("libftp-cb", "ftp_retrbinary bs 1 MiB + write(2)", True),
          ("libftp-fd-buf", "for comparison: ftp_retr_to_fd, zero-copy never (256 KiB buffer)",
           False),
          ("libftp-file", "ftp_download_file (flags 0)", True),
          ("libftp-file-verify", "ftp_download_file, FTP_VERIFY (buffered, hashed or sized)",
           False)],
    "c": [("libftp-fd", "ftp_stor_from_fd (default on loopback: 64 KiB buffer)", True),
          ("libftp-cb", "ftp_storbinary bs 1 MiB + read(2)", True),
          ("libftp-fd-zc", "for comparison: ftp_stor_from_fd, zero-copy always (sendfile)",
           False),
          ("libftp-file", "ftp_upload_file (flags 0)", True)],
    "d": [("libftp-fd", "loop of ftp_retr_to_fd", True)],
    "e": [("libftp-8k", "ftp_retrbinary, bs 8 KiB (the default)", True),
          ("libftp", "ftp_retrbinary, bs 1 MiB", True),
          ("libftp-fd", "ftp_retr_to_fd to /dev/null (256 KiB buffer)", True)],
}

OTHERS = {
    "a": ("curl -sS -o /dev/null -w %{size_download} ftp://127.0.0.1:PORT/pub/F",
          "retrbinary, blocksize 1 MiB, a callback that only counts"),
    "b": ("curl -sS -o FILE ftp://127.0.0.1:PORT/pub/F", "retrbinary, blocksize 1 MiB, f.write"),
    "c": ("curl -sS -T FILE ftp://127.0.0.1:PORT/pub/F", "storbinary, blocksize 1 MiB"),
    "d": ("curl -sS --remote-name-all --output-dir DIR -K LIST",
          "one session, a loop of retrbinary with f.write"),
    "e": ("curl -sS --ssl-reqd --cacert CA -o /dev/null ftp://localhost:PORT/pub/F",
          "FTP_TLS subclass resuming the TLS session on data connections, blocksize 1 MiB"),
}

RSS_LIMIT_KIB = 8 * 1024


def load(path):
    runs = defaultdict(dict)  # (case, impl) -> round -> (wall, rss, bytes)
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) not in (6, 8):
            continue
        if len(f) == 6:
            f += ["nan", "nan"]
        case, impl, rnd, wall, rss, nbytes, user, system = f
        runs[(case, impl)][int(rnd)] = (float(wall), int(rss), int(nbytes),
                                        float(user) + float(system))
    return runs


def median(xs):
    return statistics.median(xs) if xs else None


def fmt_time(s):
    return "%.3f s" % s if s < 10 else "%.2f s" % s


def fmt_cell(runs, key, files=0):
    r = runs.get(key)
    if not r:
        return "—"
    wall = median([v[0] for v in r.values()])
    if files:
        return "%s · %.2f ms/file" % (fmt_time(wall), wall * 1e3 / files)
    nbytes = median([v[2] for v in r.values()])
    return "%s · %.0f MB/s" % (fmt_time(wall), nbytes / wall / 1e6)


def ratio(runs, key, other):
    """Median over rounds of wall(key) / wall(other) in the same round."""
    a, b = runs.get(key), runs.get(other)
    if not a or not b:
        return None
    rs = [a[r][0] / b[r][0] for r in a if r in b]
    return median(rs)


def best_ratio(runs, key, other):
    """min(wall(key)) / min(wall(other)): less sensitive to other load."""
    a, b = runs.get(key), runs.get(other)
    if not a or not b:
        return None
    return min(v[0] for v in a.values()) / min(v[0] for v in b.values())


def fmt_ratio(x, target=None):
    if x is None:
        return "—"
    s = "%.2f" % x
    if target is not None:
        s += " ✓" if x <= target else " ✗"
    return s


def peak_rss(runs, key):
    r = runs.get(key)
    return max(v[1] for v in r.values()) if r else None


def fmt_cpu(runs, key):
    r = runs.get(key)
    if not r:
        return "—"
    cpu = median([v[3] for v in r.values()])
    return "—" if cpu != cpu else "%.2f" % cpu  # NaN: an older results file


def fmt_rss(kib, limit=None):
    if kib is None:
        return "—"
    s = "%.1f" % (kib / 1024)
    if limit is not None:
        s += " ✓" if kib < limit else " ✗"
    return s


def table(runs, m):
    out = []
    size = int(m.get("size", "0"))
    size_txt = ("%d GiB" % (size >> 30)) if size % (1 << 30) == 0 else "%d MiB" % (size >> 20)
    out.append("Big file: %s; small files: %s; %s rounds, medians over the rounds."
               % (size_txt, m.get("small", "?"), m.get("rounds", "?")))
    out.append("Times are medians of whole-process wall times; ratios are medians of the "
               "per-round ratios (below 1: libftp faster); ✓/✗: the targets of issue 6 "
               "(libftp/curl <= 1.0, libftp peak RSS < 8 MiB), on the rows of the calls a "
               "program would use; rows marked \"for comparison\" switch a zero-copy mode "
               "against its default to show what it does. \"Best runs\": the fastest "
               "libftp run over the fastest curl run, less sensitive to other load.")
    out.append("")
    out.append("| case | libftp call | libftp | curl | ftplib | libftp/curl | libftp/ftplib "
               "| libftp/curl, best runs |")
    out.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    files = int(m.get("small", "0").split()[0] or 0)
    for case, label in CASES:
        first = True
        nf = files if case == "d" else 0
        for impl, what, target in LIBFTP[case]:
            key = (case, impl)
            if key not in runs:
                continue
            out.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                label if first else "", what, fmt_cell(runs, key, nf),
                fmt_cell(runs, (case, "curl"), nf) if first else "″",
                fmt_cell(runs, (case, "ftplib"), nf) if first else "″",
                fmt_ratio(ratio(runs, key, (case, "curl")), 1.0 if target else None),
                fmt_ratio(ratio(runs, key, (case, "ftplib"))),
                fmt_ratio(best_ratio(runs, key, (case, "curl")))))
            first = False
    out.append("")
    whole = [(c, what) for c, what in (("b", "ftp_download_file / ftp_retr_to_fd"),
                                       ("c", "ftp_upload_file / ftp_stor_from_fd"))
             if (c, "libftp-file") in runs and (c, "libftp-fd") in runs]
    if whole:
        out.append("Whole-file calls against the descriptor calls they are built on "
                   "(issue 13's target: within 5%, ✓ at <= 1.05), medians of the "
                   "per-round ratios and best runs:")
        out.append("")
        out.append("| case | ratio | median | best runs |")
        out.append("| --- | --- | --- | --- |")
        for c, what in whole:
            out.append("| %s | %s | %s | %s |" % (
                dict(CASES)[c], what,
                fmt_ratio(ratio(runs, (c, "libftp-file"), (c, "libftp-fd")), 1.05),
                fmt_ratio(best_ratio(runs, (c, "libftp-file"), (c, "libftp-fd")))))
        out.append("")
    rw, sf = runs.get(("ceiling", "rw")), runs.get(("ceiling", "sendfile"))
    sp = runs.get(("ceiling", "splice"))
    if rw or sf or sp:
        parts = []
        if rw:
            parts.append("write(2) → read(2), 1 MiB buffers: %s" % fmt_cell(runs, ("ceiling", "rw")))
        if sf:
            parts.append("sendfile(2) of the file → read(2): %s"
                         % fmt_cell(runs, ("ceiling", "sendfile")))
        if sp:
            parts.append("splice(2) file → 1 MiB pipe → socket → read(2): %s"
                         % fmt_cell(runs, ("ceiling", "splice")))
        out.append("Loopback ceiling (one TCP connection on 127.0.0.1, no FTP, "
                   "ftpbench loopback): " + "; ".join(parts) + ".")
        out.append("")
    out.append("Peak RSS in MiB (GNU time %M, the largest over the rounds) and CPU time "
               "of the client process in seconds (user + system, median over the rounds):")
    out.append("")
    out.append("| case | libftp call | libftp RSS | curl RSS | ftplib RSS "
               "| libftp CPU | curl CPU | ftplib CPU |")
    out.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for case, label in CASES:
        first = True
        for impl, what, _ in LIBFTP[case]:
            key = (case, impl)
            if key not in runs:
                continue
            out.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                label if first else "", what,
                fmt_rss(peak_rss(runs, key), RSS_LIMIT_KIB if case != "d" else None),
                fmt_rss(peak_rss(runs, (case, "curl"))) if first else "″",
                fmt_rss(peak_rss(runs, (case, "ftplib"))) if first else "″",
                fmt_cpu(runs, key),
                fmt_cpu(runs, (case, "curl")) if first else "″",
                fmt_cpu(runs, (case, "ftplib")) if first else "″"))
            first = False
    out.append("")
    out.append("What the other columns run:")
    out.append("")
    for case, label in CASES:
        c, p = OTHERS[case]
        out.append("- %s: curl: `%s`; ftplib: %s" % (label, c, p))
    out.append("")
    out.append("(d): LIST holds 1000 `url = \"ftp://...\"` lines; curl reuses one "
               "connection for all of them.")
    out.append("")
    out.append("Machine: %s × %s, %s RAM, %s; %s; Python %s; vsftpd %s; %s; %s; %s. "
               "Files in %s; the small files of (d) written to %s. Load average %s. "
               "Run %s (libftp %s)." % (
                   m.get("nproc", "?"), m.get("cpu", "?"), m.get("mem", "?"),
                   m.get("kernel", "?"), m.get("curl", "?"), m.get("python", "?"),
                   m.get("vsftpd", "?"), m.get("openssl", "?"), m.get("rustc", "?"),
                   m.get("cc", "?"), m.get("fs", "?"), m.get("smallfs", m.get("fs", "?")),
                   m.get("load", "?"),
                   m.get("date", "?"), m.get("libftp", "?")))
    if m.get("quick") == "1":
        out.append("")
        out.append("(a --quick run: %s round(s) on a smaller file; indicative only)"
                   % m.get("rounds", "?"))
    return "\n".join(out) + "\n"


def write(path, text):
    block = BEGIN + "\n" + text + END + "\n"
    try:
        old = open(path).read()
    except FileNotFoundError:
        old = "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n"
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        tail = tail.lstrip("\n")
        new = head + block + ("\n" + tail if tail else "")
    else:
        new = old.rstrip("\n") + "\n\n" + block
    with open(path + ".tmp", "w") as f:
        f.write(new)
    import os
    os.replace(path + ".tmp", path)


def main():
    args = sys.argv[1:]
    target = None
    if "--write" in args:
        i = args.index("--write")
        target = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    runs = load(args[0])
    m = {}
    for line in open(args[1]):
        if "=" in line:
            k, v = line.rstrip("\n").split("=", 1)
            m[k] = v
    text = table(runs, m)
    sys.stdout.write(text)
    if target:
        write(target, text)
        sys.stderr.write("report.py: %s updated\n" % target)


if __name__ == "__main__":
    main()
