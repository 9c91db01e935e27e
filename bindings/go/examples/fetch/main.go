// Command fetch is the common job in full: connect by URL (FTPS), list a
// directory, download a file with progress, give up after a timeout.
//
//	go run ./examples/fetch ftpes://user:pass@ftp.example.org/pub/ file.tar.gz
//	go run ./examples/fetch -ca ca.pem -timeout 30s ftpes://tester:secret@localhost:2121/ big.bin
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"libftp.dev/ftp"
)

func main() {
	caFile := flag.String("ca", "", "PEM file of CA certificates to trust besides the system's")
	timeout := flag.Duration("timeout", 2*time.Minute, "give up after this long")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: fetch [-ca ca.pem] [-timeout 2m] ftpes://user:pass@host[:port]/dir/ file")
		os.Exit(2)
	}
	url, name := flag.Arg(0), flag.Arg(1)

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	// ftpes:// is explicit FTPS (AUTH TLS, port 21), ftps:// implicit FTPS
	// (port 990), ftp:// plain. The server's certificate and host name are
	// verified; once logged in, data connections are TLS too (PBSZ 0 +
	// PROT P), each resuming the control connection's TLS session.
	tlsCfg := &ftp.TLSConfig{CAFile: *caFile}
	c, err := ftp.DialURL(url, ftp.WithTLS(tlsCfg), ftp.WithContext(ctx), ftp.WithTimeout(30*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	cc := c.WithContext(ctx) // every call below stops when ctx is done

	entries, err := cc.List("")
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range entries {
		fmt.Printf("%-5s %12d  %s  %s\n", e.Type, e.Size, e.Time.Format("2006-01-02 15:04"), e.Name)
	}

	err = cc.DownloadFile(name, filepath.Base(name), ftp.Atomic(), ftp.OnProgress(func(p ftp.Progress) error {
		fmt.Fprintf(os.Stderr, "\r%s: %d bytes", p.Path, p.Offset+p.Bytes)
		if p.Total > 0 {
			fmt.Fprintf(os.Stderr, " of %d", p.Total)
		}
		return nil
	}, 200*time.Millisecond))
	fmt.Fprintln(os.Stderr)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		log.Fatalf("gave up after %v (nothing left behind: Atomic)", *timeout)
	case err != nil:
		log.Fatal(err)
	}
	if err := c.Quit(); err != nil {
		log.Fatal(err)
	}
}
