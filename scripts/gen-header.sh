#!/usr/bin/env bash
# Regenerate include/ftp.h from the Rust sources with cbindgen.
# scripts/test.sh fails when the committed header differs from this output.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v cbindgen >/dev/null 2>&1; then
  ensure_deps
  need_cmd cbindgen "generate include/ftp.h"
fi
mkdir -p include
cbindgen --config cbindgen.toml --crate ftp --output include/ftp.h
echo "wrote include/ftp.h"
