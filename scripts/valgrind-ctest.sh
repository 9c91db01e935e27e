#!/usr/bin/env bash
# Runs every CTest test of a build directory under valgrind memcheck: any
# invalid access or definitely lost block fails. Usage:
#   scripts/valgrind-ctest.sh BUILD_DIR [REGEX]
# The server variables must already be exported (scripts/test.sh does).
set -euo pipefail
build="${1:?usage: $0 BUILD_DIR [REGEX]}"
regex="${2:-^c\\.}"
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }

ctest --test-dir "$build" --show-only=json-v1 >"$build/tests.json"
python3 - "$build/tests.json" "$regex" <<'PY'
import json, os, re, subprocess, sys, time
tests = json.load(open(sys.argv[1]))["tests"]
pattern = re.compile(sys.argv[2])
vg = ["valgrind", "--quiet", "--leak-check=full", "--errors-for-leak-kinds=definite",
      "--show-leak-kinds=definite", "--error-exitcode=99", "--track-fds=no"]
failed, ran = [], 0
for t in tests:
    if not pattern.search(t["name"]):
        continue
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    cwd = props.get("WORKING_DIRECTORY", os.getcwd())
    print(f"  valgrind {t['name']}", flush=True)
    env = dict(os.environ)
    for kv in props.get("ENVIRONMENT", []):
        k, _, v = kv.partition("=")
        env[k] = v
    started = time.monotonic()
    rc = subprocess.run(vg + t["command"], cwd=cwd, env=env).returncode
    print(f"    ({time.monotonic() - started:.0f} s)", flush=True)
    ran += 1
    if rc == 77:
        print(f"    skipped (77)")
    elif rc != 0:
        print(f"    FAILED (exit {rc}{', valgrind found errors' if rc == 99 else ''})")
        failed.append(t["name"])
print(f"valgrind: {ran - len(failed)}/{ran} clean")
sys.exit(1 if failed or ran == 0 else 0)
PY
