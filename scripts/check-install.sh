#!/usr/bin/env bash
# Installs libftp into a temporary prefix with CMake, then builds and runs an
# outside program against it three ways: find_package(ftp) with the shared
# and the static library, and pkg-config. Usage: scripts/check-install.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d /tmp/libftp-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

echo "== install into $prefix"
cmake -S examples-c -B "$work/build" -DBUILD_TESTING=OFF >/dev/null
cmake --build "$work/build" -j2 >/dev/null
cmake --install "$work/build" --prefix "$prefix" | sed 's/^/   /'

version=$(sed -n 's/^version = "\([0-9.]*\)"/\1/p' Cargo.toml | head -n1)
major=${version%%.*}
# The soname's version: MAJOR, or 0.MINOR while MAJOR is 0 (cargo-c's rule).
minor=${version#*.}; minor=${minor%%.*}
if [ "$major" = 0 ]; then sover="0.$minor"; else sover=$major; fi
libdir="$prefix/lib"
[ -d "$libdir" ] || libdir=$(dirname "$(find "$prefix" -name "libftp.so.$version" | head -n1)")
for f in "$prefix/include/ftp.h" "$libdir/libftp.so.$version" "$libdir/libftp.a" \
         "$libdir/pkgconfig/ftp.pc" "$libdir/cmake/ftp/ftpConfig.cmake"; do
    [ -e "$f" ] || { echo "missing after install: $f" >&2; exit 1; }
done
[ "$(readlink "$libdir/libftp.so.$sover")" = "libftp.so.$version" ] || { echo "bad libftp.so.$sover link" >&2; exit 1; }
[ "$(readlink "$libdir/libftp.so")" = "libftp.so.$sover" ] || { echo "bad libftp.so link" >&2; exit 1; }
soname=$(readelf -d "$libdir/libftp.so.$version" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = "libftp.so.$sover" ] || { echo "soname is '$soname', want libftp.so.$sover" >&2; exit 1; }
echo "   soname $soname, version $version"

echo "== find_package(ftp) from an outside project"
cmake -S tests/install -B "$work/consumer" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/consumer" -j2 >/dev/null
LD_LIBRARY_PATH="$libdir" "$work/consumer/consumer"
needed=$(readelf -d "$work/consumer/consumer" | sed -n 's/.*Shared library: \[\(libftp[^]]*\)\]/\1/p')
[ "$needed" = "libftp.so.$sover" ] || { echo "consumer needs '$needed', want libftp.so.$sover" >&2; exit 1; }
echo "   consumer needs $needed"
"$work/consumer/consumer_static"
if LD_LIBRARY_PATH="" ldd "$work/consumer/consumer_static" | grep -q libftp; then
    echo "consumer_static links libftp dynamically" >&2; exit 1
fi

echo "== pkg-config --cflags --libs ftp"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
flags=$(pkg-config --cflags --libs ftp)
echo "   $flags"
[ "$(pkg-config --modversion ftp)" = "$version" ] || { echo "pkg-config version mismatch" >&2; exit 1; }
# shellcheck disable=SC2086
cc -std=c99 -Wall -Werror tests/install/consumer.c $flags -o "$work/pc-consumer"
LD_LIBRARY_PATH="$libdir" "$work/pc-consumer"
# shellcheck disable=SC2046
cc -std=c99 tests/install/consumer.c $(pkg-config --cflags ftp) "$libdir/libftp.a" \
   $(pkg-config --static --libs-only-l ftp | sed 's/-lftp//') -o "$work/pc-consumer-static"
"$work/pc-consumer-static"
echo "install check passed ($repo)"
