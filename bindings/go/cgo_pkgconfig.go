//go:build ftp_pkgconfig

package ftp

// Build with `go build -tags ftp_pkgconfig` to compile against an
// installed libftp described by an `ftp.pc` pkg-config file (set
// PKG_CONFIG_PATH if it is not in a standard place).

// #cgo pkg-config: ftp
import "C"
