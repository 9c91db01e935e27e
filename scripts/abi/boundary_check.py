#!/usr/bin/env python3
"""Checks that every exported function (#[no_mangle]) goes through the one
boundary of src/ffi/boundary.rs, the panic boundary and NULL checks every
C call relies on. Used by scripts/check-abi.sh.

- The boundary's entry points are found, not listed: the public functions
  of boundary.rs that take a handle (`*mut`/`*const ftp_session`,
  `ftp_transfer`, `ftp_tls_config`) or a closure to run (with_session,
  guard ...); plain helpers such as out_ptr are not entry points.
- A function of src/ffi "goes through the boundary" when its body calls an
  entry point, or another function of src/ffi that does (e.g. a shared body,
  or ftp_transfercmd calling ftp_ntransfercmd).
- Every #[no_mangle] function must, unless it is on ALLOWED below; a name on
  ALLOWED that is no longer exported is an error too (keep the list short).
- #[no_mangle] appears nowhere outside src/ffi.

usage: boundary_check.py REPO_DIR
"""
import glob
import os
import re
import sys

# Exported functions that legitimately do not call the boundary: they cannot
# panic, touch no Rust state that a panic could leave broken, and have no
# closure to guard. Each needs its reason.
ALLOWED = {
    "ftp_result_name": "a match on an int returning a static string",
    "ftp_version": "a static string",
}


def blank(src):
    """The source with comments, strings and char literals blanked (same
    length and lines), so braces and names in them are not seen."""
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif re.match(r'(?:b|c)?r(#*)"', src[i:i + 12]) and (i == 0 or not src[i - 1].isalnum()):
            m = re.match(r'(?:b|c)?r(#*)"', src[i:])
            end = src.find('"' + m.group(1), i + m.end())
            j = n if end < 0 else end + 1 + len(m.group(1))
            out.append(src[i:i + m.end()] + re.sub(r"[^\n]", " ", src[i + m.end():j - 1]) + '"')
            i = j
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            out.append('"' + re.sub(r"[^\n]", " ", src[i + 1:j]) + '"')
            i = j + 1
        elif c == "'" and re.match(r"'(?:\\.[^']*|[^\\'])'", src[i:i + 12]):
            m = re.match(r"'(?:\\.[^']*|[^\\'])'", src[i:])
            out.append(" " * m.end())
            i += m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


FN = re.compile(r"\bfn\s+(\w+)")
PUB_FN = re.compile(r"\bpub(?:\s*\([^)]*\))?\s+(?:unsafe\s+)?fn\s+(\w+)")
ENTRY_PARAM = re.compile(r"\*(?:mut|const)\s+ftp_\w+|\bimpl\s+Fn(?:Once|Mut)?\s*\(")
EXPORT = re.compile(r"#\[\s*(?:unsafe\s*\(\s*)?no_mangle\s*\)?\s*\]\s*"
                    r"(?:#\[[^\]]*\]\s*)*pub\s+(?:unsafe\s+)?extern\s+\"\s*\"\s+fn\s+(\w+)")


def functions(code):
    """{name: [(signature, body)]} of every fn with a body in blanked code."""
    found = {}
    for m in FN.finditer(code):
        depth, j = 0, m.end()
        while j < len(code):  # the body's brace: the first { outside (), <>
            ch = code[j]
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
            elif ch == ";" and depth == 0:
                j = -1  # a declaration without a body
                break
            elif ch == "{" and depth == 0:
                break
            j += 1
        if j < 0 or j >= len(code):
            continue
        start, level = j, 0
        while j < len(code):
            if code[j] == "{":
                level += 1
            elif code[j] == "}":
                level -= 1
                if level == 0:
                    break
            j += 1
        found.setdefault(m.group(1), []).append((code[m.end():start], code[start:j + 1]))
    return found


def calls(body, names):
    return {n for n in names if re.search(r"\b%s\s*(?:::\s*<[^;{}]*?>\s*)?\(" % re.escape(n), body)}


def main():
    repo = sys.argv[1]
    ffi = os.path.join(repo, "src", "ffi")
    errors = []

    for path in glob.glob(os.path.join(repo, "src", "**", "*.rs"), recursive=True):
        if os.path.commonpath([os.path.abspath(path), os.path.abspath(ffi)]) != os.path.abspath(ffi):
            code = blank(open(path).read())
            if re.search(r"\bno_mangle\b", code):
                errors.append("%s: #[no_mangle] outside src/ffi" % os.path.relpath(path, repo))

    code = blank(open(os.path.join(ffi, "boundary.rs")).read())
    public = set(PUB_FN.findall(code))
    entries = {n for n, fs in functions(code).items()
               if n in public and any(ENTRY_PARAM.search(sig) for sig, _ in fs)}
    if not entries:
        errors.append("src/ffi/boundary.rs: no entry point (a public fn taking a handle "
                      "or a closure) found")

    bodies, exported = {}, {}
    for path in sorted(glob.glob(os.path.join(ffi, "*.rs"))):
        code = blank(open(path).read())
        for name, fs in functions(code).items():
            bodies.setdefault(name, []).extend(b for _, b in fs)
        for m in EXPORT.finditer(code):
            exported[m.group(1)] = os.path.relpath(path, repo)

    guarded = set(entries)
    changed = True
    while changed:
        extra = {n for n, bs in bodies.items()
                 if n not in guarded and all(calls(b, guarded) for b in bs)}
        guarded |= extra
        changed = bool(extra)

    for name, where in sorted(exported.items()):
        if name not in guarded and name not in ALLOWED:
            errors.append("%s: %s does not go through the boundary (%s): call one of them, "
                          "or add it to ALLOWED in %s with the reason"
                          % (where, name, ", ".join(sorted(entries)), sys.argv[0]))
    for name in sorted(ALLOWED):
        if name not in exported:
            errors.append("ALLOWED names %s, which is not exported: remove it" % name)

    for e in errors:
        print("FAIL:", e)
    print("%d exported functions; boundary entry points: %s; allowed without: %s"
          % (len(exported), ", ".join(sorted(entries)), ", ".join(sorted(ALLOWED))))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
