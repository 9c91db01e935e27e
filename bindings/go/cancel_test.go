package ftp_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"libftp.dev/ftp"
)

// hangBound catches a hang; the latency itself is reported in the log.
const hangBound = 5 * time.Second

// slowWriter counts what it gets and sleeps on each write, so a 5 MiB
// download lasts long enough to be interrupted; started is closed at the
// first write.
type slowWriter struct {
	n       atomic.Int64
	started chan struct{}
}

func newSlowWriter() *slowWriter { return &slowWriter{started: make(chan struct{})} }

func (w *slowWriter) Write(p []byte) (int, error) {
	if w.n.Add(int64(len(p))) == int64(len(p)) {
		close(w.started)
	}
	time.Sleep(5 * time.Millisecond)
	return len(p), nil
}

// interrupt runs call in a goroutine, calls stop once it is transferring
// (started is closed), and returns call's error and the time from stop to
// its return.
func interrupt(t *testing.T, started <-chan struct{}, call func() error, stop func()) (error, time.Duration) {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- call() }()
	select {
	case <-started:
	case err := <-errc:
		t.Fatalf("the call ended before it could be interrupted: %v", err)
	case <-time.After(hangBound):
		t.Fatal("the transfer did not start")
	}
	start := time.Now()
	stop()
	select {
	case err := <-errc:
		return err, time.Since(start)
	case <-time.After(hangBound):
		t.Fatalf("the call did not return within %v of the interruption", hangBound)
	}
	return nil, 0
}

func wantHello(t *testing.T, c *ftp.Conn, path string) {
	t.Helper()
	var b bytes.Buffer
	if err := c.Retr(path, &b); err != nil || b.String() != "hello world\n" {
		t.Fatalf("Retr %s afterwards: %q, %v", path, b.String(), err)
	}
}

func TestPyftpdCancelRetrByContext(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c := login(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := newSlowWriter()
	err, took := interrupt(t, w.started, func() error { return c.WithContext(ctx).Retr("big.bin", w) }, cancel)
	t.Logf("Retr returned %v after the cancel (%d of 5242880 bytes received)", took, w.n.Load())
	var fe *ftp.Error
	if !errors.Is(err, context.Canceled) || !errors.As(err, &fe) || fe.Code != ftp.ErrCancelled {
		t.Fatalf("Retr cancelled: %v, want ErrCancelled matching context.Canceled", err)
	}
	if w.n.Load() >= 5242880 {
		t.Fatal("the whole file came through: nothing was cancelled")
	}
	// the Conn is in step with the server: the next calls work
	if pwd, err := c.Pwd(); err != nil || pwd != "/" {
		t.Fatalf("Pwd after the cancel: %q, %v", pwd, err)
	}
	wantHello(t, c, "hello.txt")
	// a call on the cancelled context fails at once, sending nothing
	if _, err := c.WithContext(ctx).Pwd(); !errors.Is(err, context.Canceled) || !errors.Is(err, ftp.ErrCancelled) {
		t.Fatalf("Pwd on a done context: %v", err)
	}
	wantHello(t, c, "hello.txt")
}

func TestPyftpdCloseInterruptsRetr(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	before := ftp.LiveHandles()
	c := login(t, srv)
	w := newSlowWriter()
	var closeErr error
	err, took := interrupt(t, w.started, func() error { return c.Retr("big.bin", w) }, func() { closeErr = c.Close() })
	t.Logf("Retr returned %v after Close from another goroutine", took)
	if closeErr != nil {
		t.Fatalf("Close during Retr: %v", closeErr)
	}
	if !errors.Is(err, net.ErrClosed) || !errors.Is(err, ftp.ErrCancelled) {
		t.Fatalf("Retr interrupted by Close: %v, want ErrCancelled matching net.ErrClosed", err)
	}
	if _, err := c.Pwd(); !errors.Is(err, net.ErrClosed) || !errors.Is(err, ftp.ErrState) {
		t.Fatalf("Pwd on the closed Conn: %v, want net.ErrClosed", err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if n := ftp.LiveHandles(); n != before {
		t.Fatalf("native handles: %d before, %d after Close", before, n)
	}
}

// Close from inside a callback of the running call ends it, too.
func TestPyftpdCloseFromCallback(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	before := ftp.LiveHandles()
	c := login(t, srv)
	n := 0
	err := c.Retr("big.bin", writerFunc(func(p []byte) (int, error) {
		n++
		if n == 1 {
			if err := c.Close(); err != nil {
				t.Errorf("Close inside the writer: %v", err)
			}
		}
		return len(p), nil
	}))
	if !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Retr closed from its writer: %v", err)
	}
	if n := ftp.LiveHandles(); n != before {
		t.Fatalf("native handles: %d before, %d after", before, n)
	}
}

// slowReader gives size bytes in small reads, sleeping on each.
type slowReader struct {
	left    int
	started chan struct{}
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	select {
	case <-r.started:
	default:
		close(r.started)
	}
	time.Sleep(5 * time.Millisecond)
	n := len(p)
	if n > 4096 {
		n = 4096
	}
	if n > r.left {
		n = r.left
	}
	for i := range p[:n] {
		p[i] = 'u'
	}
	r.left -= n
	return n, nil
}

func TestPyftpdCancelStor(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c := login(t, srv)
	name := uniqueName(t, ".cancelled")
	t.Cleanup(func() { os.Remove(filepath.Join(srv.root, name)) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &slowReader{left: 5 << 20, started: make(chan struct{})}
	err, took := interrupt(t, r.started, func() error { return c.WithContext(ctx).Stor(name, r) }, cancel)
	t.Logf("Stor returned %v after the cancel (%d bytes left unsent)", took, r.left)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ftp.ErrCancelled) || r.left == 0 {
		t.Fatalf("Stor cancelled: %v (%d bytes left)", err, r.left)
	}
	if err := c.Delete(name); err != nil { // the server keeps the part it got
		t.Fatalf("Delete of the partial upload: %v", err)
	}
	wantHello(t, c, "hello.txt")
}

// On a server that demands TLS session reuse for data connections, a
// protected transfer cancelled mid-way leaves the next one working.
func TestVsftpdsCancelTLSTransfer(t *testing.T) {
	srv := needServer(t, "VSFTPDS")
	c, err := ftp.DialTLS(srv.addr, &ftp.TLSConfig{CAFile: os.Getenv("FTP_TEST_TLS_CAFILE")}, ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatalf("DialTLS: %v", err)
	}
	defer c.Close()
	if err := c.Login("anonymous", ""); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := newSlowWriter()
	err, took := interrupt(t, w.started, func() error { return c.WithContext(ctx).Retr("pub/big.bin", w) }, cancel)
	t.Logf("protected Retr returned %v after the cancel", took)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Retr cancelled: %v", err)
	}
	wantHello(t, c, "pub/hello.txt")
}

// Implicit FTPS is asked one way with Dial: TLSConfig.Implicit.
func TestVsftpdiImplicitTLS(t *testing.T) {
	srv := needServer(t, "VSFTPDI")
	c, err := ftp.DialTLS(srv.addr, &ftp.TLSConfig{CAFile: os.Getenv("FTP_TEST_TLS_CAFILE"), Implicit: true},
		ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatalf("DialTLS implicit: %v", err)
	}
	defer c.Close()
	if err := c.Login("anonymous", ""); err != nil {
		t.Fatal(err)
	}
	wantHello(t, c, "pub/hello.txt")
}

// Close at any moment of a call (before it starts, during it, as it ends)
// gives either the call's normal result or net.ErrClosed, and frees the
// session once.
func TestPyftpdCloseRaces(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	before := ftp.LiveHandles()
	for i := 0; i < 20; i++ {
		c := login(t, srv)
		errc := make(chan error, 1)
		var got bytes.Buffer
		go func() { errc <- c.Retr("lines.txt", &got) }()
		time.Sleep(time.Duration(i%5) * time.Millisecond)
		go c.Close()
		c.Close()
		if err := <-errc; err != nil && !errors.Is(err, net.ErrClosed) {
			t.Fatalf("round %d: Retr: %v", i, err)
		} else if err == nil && !bytes.HasPrefix(got.Bytes(), []byte("first line\n")) {
			t.Fatalf("round %d: Retr gave %q", i, got.String())
		}
	}
	deadline := time.Now().Add(hangBound)
	for ftp.LiveHandles() != before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // the second Close's goroutine may still run
	}
	if n := ftp.LiveHandles(); n != before {
		t.Fatalf("native handles: %d before, %d after", before, n)
	}
}
