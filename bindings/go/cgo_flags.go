//go:build !ftp_pkgconfig

package ftp

// Default build: the header and the library come from the libftp source
// tree this package lives in (bindings/go), after `cargo build --release`
// at the repository root. The run-time search path (rpath) points at
// target/release too, so programs run without LD_LIBRARY_PATH.
//
// Build with `-tags ftp_pkgconfig` to use an installed libftp found by
// pkg-config instead (see cgo_pkgconfig.go).

// #cgo CFLAGS: -I${SRCDIR}/../../include
// #cgo LDFLAGS: -L${SRCDIR}/../../target/release -lftp -Wl,-rpath,${SRCDIR}/../../target/release
import "C"
