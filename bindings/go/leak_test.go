package ftp_test

import (
	"errors"
	"io"
	"path/filepath"
	"testing"

	"libftp.dev/ftp"
)

// Every way in and out of the package's native handles, successful or
// not, gives them back: counted with LiveHandles, no finalizer involved.
func TestPyftpdNoNativeLeaks(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	before := ftp.LiveHandles()
	if _, err := ftp.Dial("127.0.0.1:1"); err == nil { // refused
		t.Fatal("Dial to port 1 succeeded")
	}
	if _, err := ftp.DialTLS(srv.addr, &ftp.TLSConfig{CAPEM: []byte("junk")}); err == nil {
		t.Fatal("a junk CA was accepted")
	}
	if _, err := ftp.NewPool("ftp://[bad", nil, 1); err == nil {
		t.Fatal("NewPool with a bad URL succeeded")
	}
	for i := 0; i < 3; i++ {
		c, err := ftp.Dial(srv.addr, ftp.WithTimeout(testTimeout))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Login(srv.user, srv.pass); err != nil {
			t.Fatal(err)
		}
		if _, err := c.RetrReader("no-such-file"); !errors.Is(err, ftp.ErrPerm) {
			t.Fatalf("RetrReader of a missing file: %v", err)
		}
		r, err := c.RetrReader("hello.txt")
		if err != nil {
			t.Fatal(err)
		}
		if b, err := io.ReadAll(r); err != nil || string(b) != "hello world\n" || r.Close() != nil {
			t.Fatalf("RetrReader: %q, %v", b, err)
		}
		if _, err := c.List(""); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			err = c.Quit()
		} else {
			err = c.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	p, err := ftp.NewPool(poolURL("ftp", srv), nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DownloadFile("hello.txt", filepath.Join(t.TempDir(), "h")); err != nil {
		t.Fatal(err)
	}
	p.Close()
	if n := ftp.LiveHandles(); n != before {
		t.Fatalf("native handles: %d before, %d after", before, n)
	}
}
