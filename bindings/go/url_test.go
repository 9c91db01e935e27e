package ftp_test

// Tests of url.go: DialURL, WithNetrc.

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"libftp.dev/ftp"
)

func TestPyftpdDialURL(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	// a path ending in "/" names a directory, entered whole
	c, err := ftp.DialURL(strings.TrimSuffix(poolURL("ftp", srv), "/")+"/subdir/", ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatalf("DialURL: %v", err)
	}
	defer c.Close()
	if pwd, err := c.Pwd(); err != nil || pwd != "/subdir" {
		t.Fatalf("Pwd after DialURL: %q, %v", pwd, err)
	}
	var b bytes.Buffer
	if err := c.Retr("nested.txt", &b); err != nil || b.String() != "nested file\n" {
		t.Fatalf("Retr: %q, %v", b.String(), err)
	}
	_, err = ftp.DialURL(poolURL("ftps", srv), ftp.WithTLS(&ftp.TLSConfig{Implicit: true}))
	if !errors.Is(err, ftp.ErrInvalidArgument) {
		t.Fatalf("DialURL with TLSConfig.Implicit: %v", err)
	}
}

func TestPyftpdsDialURLExplicitTLS(t *testing.T) {
	srv := needServer(t, "PYFTPDS")
	ca, err := os.ReadFile(srv.cafile)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ftp.DialURL(poolURL("ftpes", srv), ftp.WithTLS(&ftp.TLSConfig{CAPEM: ca}), ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatalf("DialURL ftpes: %v", err)
	}
	defer c.Close()
	wantHello(t, c, "hello.txt")
}

func TestPyftpdDialURLNetrc(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	host := strings.Split(srv.addr, ":")[0]
	netrc := filepath.Join(t.TempDir(), "netrc")
	if err := os.WriteFile(netrc, []byte("machine "+host+" login "+srv.user+" password "+srv.pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := ftp.DialURL("ftp://"+srv.addr+"/", ftp.WithNetrc(netrc), ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatalf("DialURL with netrc: %v", err)
	}
	defer c.Close()
	// anonymous may not write on pyftpdlib: an upload proves the netrc login
	name := uniqueName(t, ".netrc")
	t.Cleanup(func() { os.Remove(filepath.Join(srv.root, name)) })
	if err := c.Stor(name, strings.NewReader("netrc\n")); err != nil {
		t.Fatalf("Stor as the netrc user: %v", err)
	}
}
