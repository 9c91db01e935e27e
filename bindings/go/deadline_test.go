package ftp_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"libftp.dev/ftp"
)

// A server that stops sending mid-transfer: without a session timeout the
// call would wait forever; the context's deadline ends it.
func TestDeadlineOnStalledTransfer(t *testing.T) {
	srv := newStallServer(t, 1000)
	before := ftp.LiveHandles()
	c, err := ftp.Dial(srv.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("u", "p"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var got bytes.Buffer
	start := time.Now()
	err = c.WithContext(ctx).Retr("stuck.bin", &got)
	took := time.Since(start)
	t.Logf("Retr on a stalled server returned after %v (deadline 300ms)", took)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ftp.ErrCancelled) || took > hangBound {
		t.Fatalf("Retr past the deadline: %v after %v", err, took)
	}
	if got.Len() != 1000 {
		t.Fatalf("received %d bytes before the stall, want 1000", got.Len())
	}
	// the owed 426 is read first; the Conn goes on
	if pwd, err := c.Pwd(); err != nil || pwd != "/" {
		t.Fatalf("Pwd after the cancelled Retr: %q, %v", pwd, err)
	}
	// the same with a stream: Read is bounded by the context
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	r, err := c.WithContext(ctx2).RetrReader("stuck.bin")
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, r)
	if !errors.Is(err, context.DeadlineExceeded) || n != 1000 {
		t.Fatalf("reading a stalled stream: %d bytes, %v", n, err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close of the cancelled stream: %v", err)
	}
	if _, err := c.Pwd(); err != nil {
		t.Fatalf("Pwd after the cancelled stream: %v", err)
	}
	c.Close()
	if n := ftp.LiveHandles(); n != before {
		t.Fatalf("native handles: %d before, %d after", before, n)
	}
}

func TestDialContextDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // accept, never greet
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	before := ftp.LiveHandles()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	c, err := ftp.DialContext(ctx, ln.Addr().String())
	took := time.Since(start)
	t.Logf("DialContext to a silent server returned after %v (deadline 200ms)", took)
	if err == nil {
		c.Close()
		t.Fatal("DialContext to a silent server succeeded")
	}
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ftp.ErrCancelled) || took > hangBound {
		t.Fatalf("DialContext: %v after %v", err, took)
	}
	if n := ftp.LiveHandles(); n != before {
		t.Fatalf("native handles: %d before, %d after a failed dial", before, n)
	}
	// a context done before the dial: nothing is attempted
	if _, err := ftp.DialContext(ctx, ln.Addr().String()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("DialContext on a done context: %v", err)
	}
}
