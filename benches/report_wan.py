#!/usr/bin/env python3
"""Markdown report of benches/wan-many.sh: results.tsv -> tables on stdout.

Each line of the TSV: round, link, case, implementation, seconds, peak RSS
in KiB. Times are medians over the rounds; ratios are medians of the
per-round ratios (both runs of a ratio come from the same round).
"""
import argparse
import collections
import re
import statistics

CASE_NAMES = {
    "dl4k": "mirror download, {files} x 4 KiB",
    "dl1m": "mirror download, 100 x 1 MiB",
    "ul4k": "mirror upload, {files} x 4 KiB",
    "ul1m": "mirror upload, 100 x 1 MiB",
    "seg": "one file of 256 MiB",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tsv", nargs="+", help="results of one or more runs (rounds kept apart)")
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--meta", default="")
    a = ap.parse_args()
    runs = collections.defaultdict(dict)  # (link, case) -> impl -> round -> (secs, rss)
    order = []
    lines = [(i, line) for i, path in enumerate(a.tsv) for line in open(path)]
    for run, line in lines:
        rnd, link, case, impl, secs, rss = line.rstrip("\n").split("\t")
        rnd = "%d.%s" % (run, rnd)
        key = (link, case)
        if key not in runs:
            order.append(key)
        runs[key].setdefault(impl, {})[rnd] = (float(secs), int(rss))

    def med(key, impl):
        return statistics.median(v[0] for v in runs[key][impl].values())

    def ratio(key, num, den):
        r = runs[key]
        if num not in r or den not in r:
            return None
        vals = [r[num][k][0] / r[den][k][0] for k in r[num] if k in r[den]]
        return statistics.median(vals) if vals else None

    def fmt_ratio(x, good):
        if x is None:
            return "-"
        return "%.2f%s" % (x, " ✓" if good(x) else " ✗")

    print("Wall time of the whole command (connect, login, copy, exit), median of the rounds; "
          "ratios are medians of the per-round ratios, libftp's time over the other's "
          "(below 1: libftp faster; ✓ where libftp is ahead).")
    print()
    print("| link | case | curl, 1 connection | lftp N=1 | lftp N=4 | lftp N=8 | libftp N=1 | libftp N=4 | libftp N=8 "
          "| libftp/lftp N=1 · 4 · 8 | libftp (largest N)/curl | libftp N=1: RTT per file |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for key in order:
        link, case = key
        if case == "seg":
            continue
        r = runs[key]
        files = a.files if case.endswith("4k") else 100
        cells = []
        for impl in ("curl", "lftp-1", "lftp-4", "lftp-8", "libftp-1", "libftp-4", "libftp-8"):
            if impl in r:
                t = med(key, impl)
                cells.append("%.2f s · %.0f files/s" % (t, files / t))
            else:
                cells.append("-")
        lr = " · ".join(fmt_ratio(ratio(key, "libftp-%d" % n, "lftp-%d" % n), lambda x: x < 1)
                        for n in (1, 4, 8) if "libftp-%d" % n in r and "lftp-%d" % n in r)
        top = max((n for n in (1, 4, 8) if "libftp-%d" % n in r), default=None)
        cr = fmt_ratio(ratio(key, "libftp-%d" % top, "curl"), lambda x: x < 1) if top else "-"
        m = re.match(r"(\d+) ms", link)
        rtt = int(m.group(1)) if m else 0
        per = "-"
        if "libftp-1" in r and rtt > 0:
            per = "%.2f" % (med(key, "libftp-1") / files / (rtt / 1000.0))
        name = CASE_NAMES[case].format(files=a.files)
        print("| %s | %s | %s | %s | %s | %s |" % (link, name, " | ".join(cells), lr or "-", cr, per))
    print()
    # The floor (3 RTT per file: EPSV, RETR/150 with the data connect, 226)
    # is plain FTP's; under TLS each data connection adds its handshake.
    floor_rows = [k for k in order
                  if k[1] == "dl4k" and "libftp-8" in runs[k] and "FTPS" not in k[0]]
    for key in floor_rows:
        m = re.match(r"(\d+) ms", key[0])
        if not m or int(m.group(1)) == 0:
            continue
        rtt = int(m.group(1)) / 1000.0
        floor = 3 * rtt * a.files / 8
        t = med(key, "libftp-8")
        print("- %s: the floor of 3 RTT per file over 8 sessions is %.2f s; libftp N=8 takes %.2f s = "
              "%.2fx the floor (target: within 1.3x)%s; curl/libftp N=8 = %.1fx, lftp N=8/libftp N=8 = %.1fx."
              % (key[0], floor, t, t / floor, " ✓" if t / floor <= 1.3 else " ✗",
                 1 / ratio(key, "libftp-8", "curl"), 1 / ratio(key, "libftp-8", "lftp-8")))
    seg = [k for k in order if k[1] == "seg"]
    if seg:
        print()
        print("| link | case | curl, 1 stream | lftp pget -n 4 | lftp pget -n 8 | libftp S=1 | libftp S=4 | libftp S=8 "
              "| speed-up over curl: lftp 4 · 8, libftp 4 · 8 | libftp/lftp S=4 · 8 |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for key in seg:
            r = runs[key]
            cells = []
            for impl in ("curl", "lftp-4", "lftp-8", "libftp-1", "libftp-4", "libftp-8"):
                cells.append("%.2f s · %.0f MB/s" % (med(key, impl), 268.435456 / med(key, impl)) if impl in r else "-")
            sp = []
            for impl in ("lftp-4", "lftp-8", "libftp-4", "libftp-8"):
                x = ratio(key, impl, "curl")
                sp.append("%.2fx" % (1 / x) if x else "-")
            lr = " · ".join(fmt_ratio(ratio(key, "libftp-%d" % n, "lftp-%d" % n), lambda x: x < 1) for n in (4, 8))
            print("| %s | %s | %s | %s, %s | %s |" % (key[0], CASE_NAMES["seg"], " | ".join(cells),
                                                    " · ".join(sp[:2]), " · ".join(sp[2:]), lr))
    print()
    rss = collections.defaultdict(int)
    for key in order:
        kind = "FTPS" if "FTPS" in key[0] else "plain"
        for impl, rounds in runs[key].items():
            name = "%s (%s)" % (impl.split("-")[0], kind)
            for _, kib in rounds.values():
                rss[name] = max(rss[name], kib)
    print("Peak RSS over all runs (GNU time %%M, any N): %s." % ", ".join(
        "%s %.1f MiB" % (k, v / 1024.0) for k, v in sorted(rss.items())))
    if a.meta:
        print()
        print("Run: %s." % a.meta)


if __name__ == "__main__":
    main()
