#!/usr/bin/env bash
# Checks, without a Swift toolchain, the C-level pieces the Swift package
# relies on:
#   1. Package.swift and Sources/CFtp/module.modulemap agree (module CFtp,
#      [system], header "shim.h", link "ftp", pkgConfig "ftp").
#   2. shim.h compiles and resolves <ftp.h> with -I include; with clang, the
#      module map itself is loaded and the module imported (-fmodules).
#   3. The link name "ftp" resolves to target/release/libftp.so: a tiny C
#      program linked with -L target/release -lftp calls ftp_version().
#   4. pkg-config "ftp" (the ftp.pc written by gen-pc.sh) gives only the
#      flags SwiftPM accepts, and they compile and link that program.
#   5. Every ftp_* identifier of the Swift sources exists in include/ftp.h;
#      every function they call is declared there and exported by libftp.so;
#      every FTP_* constant they use is in the header.
#   6. The C prototypes the Swift code was written against (the list below)
#      are exactly those of the header (same types, checked by the compiler),
#      as are the callback types, the struct fields the Swift code reads and
#      the constants it relies on; and that list names exactly the functions
#      the Swift code calls (extend it with every new call).
#   7. The raw values of the Swift FTPResult enum (Sources/Ftp/Errors.swift)
#      match the header's ftp_result.
#   8. README.md's opening example is Examples/fetch/main.swift, verbatim.
# Needs cc (CC=...), and uses clang, pkg-config and nm when present.
# Builds nothing: run `cargo build --release` first. Exit status 1 on failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cc="${CC:-cc}"
header="$repo/include/ftp.h"
libdir="${LIBFTP_LIB_DIR:-$repo/target/release}"
modmap="$here/Sources/CFtp/module.modulemap"
manifest="$here/Package.swift"

failures=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; failures=$((failures + 1)); }

work="$(mktemp -d "${TMPDIR:-/tmp}/libftp-swift-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

command -v "$cc" >/dev/null 2>&1 || { echo "check.sh: no C compiler ($cc)" >&2; exit 2; }
[[ -f "$header" ]] || { echo "check.sh: $header missing" >&2; exit 2; }

# The Swift sources, without comments (// ... to the end of the line).
swift_files=()
while IFS= read -r f; do swift_files+=("$f"); done < <(find "$here/Sources" "$here/Examples" -name '*.swift' | sort)
((${#swift_files[@]})) || { echo "check.sh: no Swift sources" >&2; exit 2; }
swift_code="$work/swift-code.txt"
sed 's://.*$::' "${swift_files[@]}" > "$swift_code"

# ---------------------------------------------------------------- 1. manifest
echo "== 1. Package.swift and the module map"
head -n1 "$manifest" | grep -Eq '^// swift-tools-version: ?5\.7$' \
    && ok "swift-tools-version 5.7" || bad "Package.swift does not start with // swift-tools-version:5.7"

tr -d ' \n' < "$manifest" > "$work/manifest.flat"
grep -q '.systemLibrary(name:"CFtp",path:"Sources/CFtp",pkgConfig:"ftp"' "$work/manifest.flat" \
    && ok "systemLibrary CFtp at Sources/CFtp with pkgConfig \"ftp\"" || bad "no .systemLibrary(name: \"CFtp\", path: \"Sources/CFtp\", pkgConfig: \"ftp\")"
grep -q '.target(name:"Ftp",dependencies:\["CFtp"\]' "$work/manifest.flat" \
    && ok "target Ftp depends on CFtp" || bad "no .target(name: \"Ftp\", dependencies: [\"CFtp\"])"
pc_name="$(grep -o 'pkgConfig:"[^"]*"' "$work/manifest.flat" | head -n1 | sed 's/pkgConfig:"\(.*\)"/\1/')"

tr -s ' \n\t' ' ' < "$modmap" > "$work/modmap.flat"
grep -Eq '^ ?module CFtp \[system\] \{' "$work/modmap.flat" \
    && ok "module CFtp [system]" || bad "module map does not declare 'module CFtp [system]'"
grep -q 'export \*' "$work/modmap.flat" && ok "export *" || bad "module map lacks 'export *'"
mm_header="$(sed -n 's/^[[:space:]]*header[[:space:]]*"\([^"]*\)".*/\1/p' "$modmap")"
mm_link="$(sed -n 's/^[[:space:]]*link[[:space:]]*"\([^"]*\)".*/\1/p' "$modmap")"
shim="$here/Sources/CFtp/$mm_header"
[[ -n "$mm_header" && -f "$shim" ]] && ok "header \"$mm_header\" exists next to the module map" \
    || bad "module map header \"$mm_header\" not found in Sources/CFtp"
grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<ftp\.h>' "$shim" 2>/dev/null \
    && ok "$mm_header includes <ftp.h>" || bad "$mm_header does not include <ftp.h>"
[[ "$mm_link" == "ftp" ]] && ok "link \"ftp\"" || bad "module map link name is \"$mm_link\", not \"ftp\""

# ---------------------------------------------------------------- 2. shim
echo "== 2. shim.h and <ftp.h>"
if "$cc" -fsyntax-only -std=c99 -Wall -Wextra -Werror -I "$repo/include" "$shim"; then
    ok "$cc -fsyntax-only -I include $(basename "$shim")"
else
    bad "shim.h does not compile with -I include"
fi
if command -v clang >/dev/null 2>&1; then
    printf '#pragma clang module import CFtp\nint main(void) { return ftp_version() == 0; }\n' > "$work/import.c"
    if clang -fmodules -fmodules-cache-path="$work/modcache" -fmodule-map-file="$modmap" \
            -I "$repo/include" -fsyntax-only "$work/import.c"; then
        ok "clang -fmodules loads module.modulemap and imports CFtp"
    else
        bad "clang cannot import module CFtp through the module map"
    fi
else
    echo "skip clang module import (no clang)"
fi

# ---------------------------------------------------------------- 3. link name
echo "== 3. link name \"$mm_link\""
libfile=""
for ext in so dylib a; do
    if [[ -f "$libdir/lib$mm_link.$ext" ]]; then libfile="$libdir/lib$mm_link.$ext"; break; fi
done
cargo_version="$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$repo/Cargo.toml" | head -n1)"
cat > "$work/version.c" <<'EOF'
#include <ftp.h>
#include <stdio.h>
int main(void)
{
    ftp_session *s = ftp_session_new();
    printf("%s\n", ftp_version());
    ftp_session_free(s);
    return s == NULL;
}
EOF
if [[ -z "$libfile" ]]; then
    bad "no lib$mm_link.so in $libdir (run cargo build --release)"
else
    ok "library file $libfile"
    if "$cc" -I "$repo/include" "$work/version.c" -L "$libdir" -l"$mm_link" -o "$work/version"; then
        ok "links with -L $libdir -l$mm_link"
        got="$(LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
               DYLD_LIBRARY_PATH="$libdir" "$work/version" || true)"
        [[ -n "$got" && "$got" == "$cargo_version" ]] \
            && ok "ftp_version() = $got (Cargo.toml $cargo_version)" \
            || bad "ftp_version() gave '$got', Cargo.toml says '$cargo_version'"
    else
        bad "cannot link with -l$mm_link"
    fi
fi

# ---------------------------------------------------------------- 4. pkg-config
echo "== 4. pkg-config \"$pc_name\""
if command -v pkg-config >/dev/null 2>&1; then
    "$here/gen-pc.sh" "$work/pc" >/dev/null
    if [[ -f "$work/pc/$pc_name.pc" ]]; then
        ok "gen-pc.sh writes $pc_name.pc"
        flags="$(PKG_CONFIG_PATH="$work/pc" pkg-config --cflags --libs "$pc_name")"
        ok "pkg-config --cflags --libs $pc_name: $flags"
        # SwiftPM drops (and warns about) flags outside a short allow-list.
        for f in $flags; do
            case "$f" in
                -I*|-L*|-l*) ;;
                *) bad "pkg-config flag $f is not one SwiftPM accepts" ;;
            esac
        done
        grep -qw -- "-l$mm_link" <<< "$flags" && ok "pkg-config links -l$mm_link" || bad "pkg-config lacks -l$mm_link"
        # shellcheck disable=SC2086
        if "$cc" "$shim" -fsyntax-only $(PKG_CONFIG_PATH="$work/pc" pkg-config --cflags "$pc_name") \
           && "$cc" "$work/version.c" -o "$work/version-pc" $flags; then
            ok "shim.h and the test program build with the pkg-config flags alone"
        else
            bad "the pkg-config flags do not build"
        fi
    else
        bad "gen-pc.sh did not write $pc_name.pc"
    fi
else
    echo "skip pkg-config (not installed)"
fi

# ---------------------------------------------------------------- 5. identifiers
echo "== 5. ftp_* identifiers of the Swift sources"
grep -oE '\bftp_[A-Za-z0-9_]+' "$swift_code" | sort -u > "$work/idents"
grep -oE '\bftp_[A-Za-z0-9_]+[[:space:]]*\(' "$swift_code" | sed 's/[[:space:]]*($//' | sort -u > "$work/called"
grep -oE '\bFTP_[A-Z0-9_]+' "$swift_code" | sort -u > "$work/constants"
echo "$(wc -l < "$work/idents") identifiers, $(wc -l < "$work/called") functions called, $(wc -l < "$work/constants") constants"
if [[ -n "$libfile" ]] && command -v nm >/dev/null 2>&1; then
    nm -D --defined-only "$libfile" 2>/dev/null | awk '{print $NF}' | sort -u > "$work/exported" || true
else
    : > "$work/exported"
fi
missing=0
while IFS= read -r id; do
    grep -qw "$id" "$header" || { bad "$id (used in Swift) is not in ftp.h"; missing=1; }
done < "$work/idents"
while IFS= read -r fn; do
    grep -Eq "\b$fn\(" "$header" || { bad "$fn() is called from Swift but not declared in ftp.h"; missing=1; }
    if [[ -s "$work/exported" ]] && ! grep -qx "$fn" "$work/exported"; then
        bad "$fn is not exported by $(basename "$libfile")"; missing=1
    fi
done < "$work/called"
while IFS= read -r k; do
    grep -qw "$k" "$header" || { bad "constant $k (used in Swift) is not in ftp.h"; missing=1; }
done < "$work/constants"
if ((missing == 0)); then
    exported_note=""
    [[ -s "$work/exported" ]] && exported_note=" and exported by $(basename "$libfile")"
    ok "all $(wc -l < "$work/idents") identifiers and $(wc -l < "$work/constants") constants are in ftp.h; the $(wc -l < "$work/called") called functions are declared$exported_note"
fi

# ---------------------------------------------------------------- 6. prototypes
echo "== 6. the prototypes the Swift code assumes"
# name|pointer-to-function type the Swift calls were written against
cat > "$work/expected" <<'EOF'
ftp_version|const char *(*)(void)
ftp_session_new|ftp_session *(*)(void)
ftp_session_new_tls|ftp_session *(*)(const ftp_tls_config *)
ftp_session_free|void (*)(ftp_session *)
ftp_session_cancel|ftp_result (*)(ftp_session *)
ftp_tls_config_new|ftp_tls_config *(*)(void)
ftp_tls_config_free|void (*)(ftp_tls_config *)
ftp_tls_config_last_error|const char *(*)(const ftp_tls_config *)
ftp_tls_config_set_ca_file|ftp_result (*)(ftp_tls_config *, const char *)
ftp_tls_config_set_ca_path|ftp_result (*)(ftp_tls_config *, const char *)
ftp_tls_config_add_ca_pem|ftp_result (*)(ftp_tls_config *, const uint8_t *, size_t)
ftp_tls_config_set_verify_peer|ftp_result (*)(ftp_tls_config *, bool)
ftp_tls_config_set_check_hostname|ftp_result (*)(ftp_tls_config *, bool)
ftp_tls_config_set_client_cert|ftp_result (*)(ftp_tls_config *, const char *, const char *)
ftp_tls_config_set_client_cert_pem|ftp_result (*)(ftp_tls_config *, const uint8_t *, size_t, const uint8_t *, size_t)
ftp_tls_config_set_min_version|ftp_result (*)(ftp_tls_config *, ftp_tls_version)
ftp_tls_config_set_max_version|ftp_result (*)(ftp_tls_config *, ftp_tls_version)
ftp_set_implicit_tls|ftp_result (*)(ftp_session *, bool)
ftp_set_timeout_ms|ftp_result (*)(ftp_session *, uint64_t)
ftp_set_connect_timeout_ms|ftp_result (*)(ftp_session *, uint64_t)
ftp_set_pasv|ftp_result (*)(ftp_session *, bool)
ftp_set_encoding|ftp_result (*)(ftp_session *, const char *)
ftp_set_netrc|ftp_result (*)(ftp_session *, const char *)
ftp_set_proxy|ftp_result (*)(ftp_session *, const char *)
ftp_set_retry|ftp_result (*)(ftp_session *, unsigned int, uint32_t)
ftp_set_progress_callback|ftp_result (*)(ftp_session *, ftp_progress_cb, void *, uint32_t)
ftp_last_code|int (*)(const ftp_session *)
ftp_last_response|const char *(*)(const ftp_session *)
ftp_last_error|const char *(*)(const ftp_session *)
ftp_connect|ftp_result (*)(ftp_session *, const char *, uint16_t)
ftp_connect_url|ftp_result (*)(ftp_session *, const char *, const ftp_tls_config *)
ftp_url_path|const char *(*)(const ftp_session *)
ftp_getwelcome|const char *(*)(const ftp_session *)
ftp_login|ftp_result (*)(ftp_session *, const char *, const char *, const char *)
ftp_sendcmd|ftp_result (*)(ftp_session *, const char *)
ftp_voidcmd|ftp_result (*)(ftp_session *, const char *)
ftp_getresp|ftp_result (*)(ftp_session *)
ftp_voidresp|ftp_result (*)(ftp_session *)
ftp_quit|ftp_result (*)(ftp_session *)
ftp_close|ftp_result (*)(ftp_session *)
ftp_auth|ftp_result (*)(ftp_session *)
ftp_prot_p|ftp_result (*)(ftp_session *)
ftp_prot_c|ftp_result (*)(ftp_session *)
ftp_has_feature|ftp_result (*)(ftp_session *, const char *, bool *, const char **)
ftp_retrbinary|ftp_result (*)(ftp_session *, const char *, ftp_data_cb, void *, size_t, int64_t)
ftp_storbinary|ftp_result (*)(ftp_session *, const char *, ftp_read_cb, void *, size_t, ftp_data_cb, int64_t)
ftp_retrlines|ftp_result (*)(ftp_session *, const char *, ftp_line_cb, void *)
ftp_transfercmd|ftp_result (*)(ftp_session *, const char *, int64_t, ftp_transfer **)
ftp_transfer_read|ftp_result (*)(ftp_transfer *, uint8_t *, size_t, size_t *)
ftp_transfer_write|ftp_result (*)(ftp_transfer *, const uint8_t *, size_t)
ftp_transfer_last_error|const char *(*)(const ftp_transfer *)
ftp_transfer_close|ftp_result (*)(ftp_transfer *)
ftp_list|ftp_result (*)(ftp_session *, const char *, ftp_entry_cb, void *)
ftp_stat|ftp_result (*)(ftp_session *, const char *, const ftp_entry **)
ftp_nlst|ftp_result (*)(ftp_session *, const char *, ftp_line_cb, void *)
ftp_dir|ftp_result (*)(ftp_session *, const char *, ftp_line_cb, void *)
ftp_mlsd|ftp_result (*)(ftp_session *, const char *, const char *const *, size_t, ftp_mlsd_cb, void *)
ftp_download_file|ftp_result (*)(ftp_session *, const char *, const char *, unsigned int)
ftp_upload_file|ftp_result (*)(ftp_session *, const char *, const char *, unsigned int)
ftp_checksum|ftp_result (*)(ftp_session *, const char *, const char *, const char **)
ftp_rename|ftp_result (*)(ftp_session *, const char *, const char *)
ftp_delete|ftp_result (*)(ftp_session *, const char *)
ftp_mkd|ftp_result (*)(ftp_session *, const char *, const char **)
ftp_makedirs|ftp_result (*)(ftp_session *, const char *)
ftp_rmd|ftp_result (*)(ftp_session *, const char *)
ftp_remove_tree|ftp_result (*)(ftp_session *, const char *)
ftp_cwd|ftp_result (*)(ftp_session *, const char *)
ftp_pwd|ftp_result (*)(ftp_session *, const char **)
ftp_size|ftp_result (*)(ftp_session *, const char *, int64_t *)
ftp_mdtm|ftp_result (*)(ftp_session *, const char *, int64_t *)
ftp_set_mtime|ftp_result (*)(ftp_session *, const char *, int64_t)
ftp_pool_new|ftp_pool *(*)(const char *, const ftp_tls_config *, unsigned int)
ftp_pool_free|void (*)(ftp_pool *)
ftp_pool_last_error|const char *(*)(const ftp_pool *)
ftp_pool_cancel|ftp_result (*)(ftp_pool *)
ftp_pool_set_timeout_ms|ftp_result (*)(ftp_pool *, uint64_t)
ftp_pool_set_proxy|ftp_result (*)(ftp_pool *, const char *)
ftp_pool_set_netrc|ftp_result (*)(ftp_pool *, const char *)
ftp_pool_set_progress_callback|ftp_result (*)(ftp_pool *, ftp_progress_cb, void *, uint32_t)
ftp_pool_download_file|ftp_result (*)(ftp_pool *, const char *, const char *, unsigned int)
ftp_pool_upload_file|ftp_result (*)(ftp_pool *, const char *, const char *, unsigned int)
ftp_pool_download_segmented|ftp_result (*)(ftp_pool *, const char *, const char *, unsigned int, unsigned int)
ftp_pool_mirror|ftp_result (*)(ftp_pool *, int, const char *, const char *, unsigned int, ftp_mirror_report *)
EOF
{
    echo '#include <ftp.h>'
    echo '#define SAME(f, T) _Static_assert(__builtin_types_compatible_p(__typeof__(&f), T), #f " has another prototype than the Swift code assumes")'
    echo '#define FIELD(S, f, T) _Static_assert(__builtin_types_compatible_p(__typeof__(((struct S *)0)->f), T), #S "." #f " has another type than the Swift code assumes")'
    # The callback shapes of the closure literals (the boxes' `callback`s).
    echo 'SAME(*(ftp_data_cb)0, int (*)(void *, const uint8_t *, size_t));'
    echo 'SAME(*(ftp_read_cb)0, int64_t (*)(void *, uint8_t *, size_t));'
    echo 'SAME(*(ftp_line_cb)0, int (*)(void *, const char *, size_t));'
    echo 'SAME(*(ftp_mlsd_cb)0, int (*)(void *, const char *, const struct ftp_fact *, size_t));'
    echo 'SAME(*(ftp_entry_cb)0, int (*)(void *, const struct ftp_entry *));'
    echo 'SAME(*(ftp_progress_cb)0, int (*)(void *, const struct ftp_progress *));'
    # The struct fields the Swift code reads, with the types it reads them as.
    echo 'FIELD(ftp_fact, name, const char *); FIELD(ftp_fact, value, const char *);'
    echo '_Static_assert(sizeof(struct ftp_fact) == 2 * sizeof(const char *), "ftp_fact has only name and value");'
    for f in name link_target unix_mode raw format owner group; do echo "FIELD(ftp_entry, $f, const char *);"; done
    echo 'FIELD(ftp_entry, type, int); FIELD(ftp_entry, size, int64_t); FIELD(ftp_entry, mtime, int64_t);'
    echo 'FIELD(ftp_entry, raw_len, size_t); FIELD(ftp_entry, mtime_utc, bool); FIELD(ftp_entry, mtime_precision, int);'
    echo 'FIELD(ftp_progress, path, const char *); FIELD(ftp_progress, bytes, uint64_t); FIELD(ftp_progress, offset, uint64_t);'
    echo 'FIELD(ftp_progress, total, int64_t); FIELD(ftp_progress, elapsed_s, double);'
    for f in files_copied files_skipped files_deleted files_failed bytes; do echo "FIELD(ftp_mirror_report, $f, uint64_t);"; done
    # Constants the Swift code spells out itself or converts.
    echo '_Static_assert(FTP_TLS_1_2 == 12 && FTP_TLS_1_3 == 13, "ftp_tls_version");'
    echo '_Static_assert(FTP_TIME_UNKNOWN == INT64_MIN, "FTPEntry reads Int64.min as an unknown time");'
    echo '_Static_assert(FTP_ENTRY_FILE == 0 && FTP_ENTRY_DIR == 1 && FTP_ENTRY_LINK == 2 && FTP_ENTRY_OTHER == 3 && FTP_ENTRY_UNKNOWN == 4, "ftp_entry_type");'
    echo '_Static_assert(FTP_MIRROR_DOWNLOAD == 0 && FTP_MIRROR_UPLOAD == 1, "mirror directions");'
    echo '_Static_assert((FTP_RESUME | FTP_VERIFY | FTP_CREATE_DIRS | FTP_KEEP_MTIME | FTP_ATOMIC) == 31 && FTP_MIRROR_NEWER == 32 && FTP_MIRROR_DELETE == 64, "file and mirror flags are distinct bits");'
    while IFS='|' read -r name type; do
        echo "SAME($name, $type);"
    done < "$work/expected"
} > "$work/protos.c"
if "$cc" -std=c11 -fsyntax-only -I "$repo/include" "$work/protos.c"; then
    ok "$(wc -l < "$work/expected") prototypes, the 6 callback types, the struct fields read and the constants match ftp.h"
else
    bad "a prototype differs from what the Swift code assumes (see above)"
fi
cut -d'|' -f1 "$work/expected" | sort -u > "$work/expected-names"
if diff -u "$work/expected-names" "$work/called" > "$work/names.diff"; then
    ok "the list covers exactly the $(wc -l < "$work/called") functions the Swift code calls"
else
    bad "the checked prototypes and the Swift calls differ ('-' listed only, '+' called only):"
    sed -n '3,$p' "$work/names.diff" | grep '^[-+]'
fi

# ---------------------------------------------------------------- 7. FTPResult
echo "== 7. FTPResult raw values"
swift_client="$here/Sources/Ftp/Errors.swift"
# case name = N  and  case .name: return "FTP_..."
sed -n 's/^[[:space:]]*case \([a-zA-Z]*\) = \([0-9]*\).*/\1 \2/p' "$swift_client" | sort > "$work/raw"
sed -n 's/^[[:space:]]*case \.\([a-zA-Z]*\): return "\(FTP_[A-Z_]*\)".*/\1 \2/p' "$swift_client" | sort > "$work/cnames"
join "$work/raw" "$work/cnames" | awk '$3 != "FTP_UNKNOWN_RESULT" { printf "_Static_assert(%s == %s, \"FTPResult.%s\");\n", $3, $2, $1 }' \
    > "$work/results.c.body"
nres="$(wc -l < "$work/results.c.body")"
{ echo '#include <ftp.h>'; cat "$work/results.c.body"; } > "$work/results.c"
# One case per ftp_result value (FTP_OK .. FTP_ERROR_CANCELLED), counted
# from the header's ftp_result enum (not its other enums) so that an
# appended result must be added to FTPResult.
want="$(sed -n '/^typedef enum ftp_result {/,/^} ftp_result;/s/^  \(FTP_[A-Z_]*\) = [0-9]*,$/\1/p' "$repo/include/ftp.h" | wc -l)"
if ((nres == want)) && "$cc" -std=c11 -fsyntax-only -I "$repo/include" "$work/results.c"; then
    ok "the $nres FTPResult cases have the header's values"
else
    bad "FTPResult does not match ftp_result ($nres cases checked)"
fi

# ---------------------------------------------------------------- 8. README
echo "== 8. README's opening example"
# The first ```swift block of README.md must be Examples/fetch/main.swift.
awk '/^```swift$/ && !seen { inblock = 1; seen = 1; next } inblock && /^```$/ { exit } inblock { print }' \
    "$here/README.md" > "$work/readme-example.swift"
if diff -u "$here/Examples/fetch/main.swift" "$work/readme-example.swift" > "$work/readme.diff"; then
    ok "README.md opens with Examples/fetch/main.swift, line for line"
else
    bad "README.md's first swift block differs from Examples/fetch/main.swift:"
    sed -n '3,$p' "$work/readme.diff" | grep '^[-+]' | head -n 20
fi

echo
if ((failures)); then
    echo "swift check: $failures failure(s)"
    exit 1
fi
echo "swift check: OK (C level only; no Swift compiler was run)"
