package ftp_test

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"libftp.dev/ftp"
)

// A call that gives up after a timeout, and a Close from another goroutine.
func ExampleConn_WithContext() {
	c, err := ftp.DialContext(context.Background(), "ftp.example.org:21")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("anonymous", ""); err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f, err := os.Create("file.iso")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	err = c.WithContext(ctx).Retr("pub/file.iso", f)
	if errors.Is(err, context.DeadlineExceeded) {
		fmt.Println("too slow; the connection is still usable")
	}
}

// Decompressing while downloading: RetrReader is an io.ReadCloser.
func ExampleConn_RetrReader() {
	c, err := ftp.Dial("ftp.example.org:21")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("anonymous", ""); err != nil {
		log.Fatal(err)
	}
	r, err := c.RetrReader("pub/log.gz")
	if err != nil {
		log.Fatal(err)
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := io.Copy(os.Stdout, zr); err != nil {
		log.Fatal(err)
	}
	if err := r.Close(); err != nil { // the server's final reply
		log.Fatal(err)
	}
}

// One big file over four connections at once, verified.
func ExamplePool_DownloadSegmented() {
	p, err := ftp.NewPool("ftpes://user:secret@ftp.example.org/pub", nil, 4)
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	err = p.DownloadSegmented("big.iso", "big.iso", 4, ftp.Verify(), ftp.Atomic(),
		ftp.OnProgress(func(pr ftp.Progress) error {
			fmt.Printf("part at %d: %d bytes\n", pr.Offset, pr.Bytes)
			return nil
		}, time.Second))
	if err != nil {
		log.Fatal(err)
	}
}
