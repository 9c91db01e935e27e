// Package ftp is an FTP and FTPS client: Go bindings over libftp, a C
// library written in Rust with the feature set of Python's ftplib.
//
//	c, err := ftp.Dial("ftp.example.org:21", ftp.WithTimeout(30*time.Second))
//	if err != nil { ... }
//	defer c.Close()
//	if err := c.Login("anonymous", ""); err != nil { ... }
//	f, _ := os.Create("file.tar.gz")
//	defer f.Close()
//	if err := c.Retr("pub/file.tar.gz", f); err != nil { ... }
//	c.Quit()
//
// FTPS: DialTLS (or Dial with WithTLS) secures the control connection
// (AUTH TLS, or implicit TLS) before returning, and Login protects the data
// connections too (PBSZ 0 + PROT P; ProtC before Login keeps them clear).
// Certificates and host names are verified by default (TLSConfig).
//
// # Contexts and cancellation
//
// DialContext (or the option WithContext) bounds a dial; c.WithContext(ctx)
// and p.WithContext(ctx) give copies of a Conn or Pool whose calls follow
// ctx. When ctx is done the running call returns within about 100 ms
// (libftp's ftp_session_cancel, ftp_pool_cancel for a Pool) with an error
// matching ctx.Err() through errors.Is, and the Conn stays usable. A
// Pool's other running calls, stopped by the same pool cancel, start over
// by themselves (see Pool). Close may come from any goroutine and
// interrupts the running call (net.ErrClosed).
//
// # Errors
//
// Failed operations return an *Error: Code is the class of the failure
// (a Result: ErrPerm for a 5xx reply, ErrTemp for 4xx, ErrTLS, ErrTimeout
// ...), ReplyCode and Reply the server's answer when there was one.
// errors.Is(err, ftp.ErrPerm) tests the class; errors.As gives the details.
// An error from a Go writer, reader or callback function that stopped a
// transfer is wrapped (Code ErrCallback), so errors.Is finds it; the data
// connection is closed and the Conn stays usable.
//
// # Concurrency and resources
//
// A Conn is not safe for concurrent use: one call at a time (a call that
// overlaps another on the same Conn fails with ErrState instead of
// waiting; Close is the exception). Different Conns are independent; a
// Pool is safe for concurrent use. Close (or Quit) releases the libftp
// session; a finalizer releases a forgotten one.
//
// Writers, readers and callback functions run on the calling goroutine,
// during the call. They must not call methods of the same Conn (ErrState),
// and they must not call runtime.Goexit (t.Fatal and t.FailNow in tests); a panic in
// them is carried across libftp and raised again when the call returns.
//
// # Building
//
// The package uses cgo. By default it compiles against the libftp source
// tree it lives in: build the library first with `cargo build --release` at
// the repository root. With the build tag ftp_pkgconfig it uses an installed
// libftp found by pkg-config (package name "ftp") instead.
package ftp
