package ftp_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"libftp.dev/ftp"
)

// progressLog records the reports of a transfer.
type progressLog struct {
	mu   sync.Mutex
	seen []ftp.Progress
}

func (l *progressLog) fn(p ftp.Progress) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = append(l.seen, p)
	return nil
}

// check asserts one transfer's reports: starting at 0, growing, ending
// with the whole file (Total is -1 when the server does not announce it).
func (l *progressLog) check(t *testing.T, path string, offset, total int64) {
	t.Helper()
	if len(l.seen) < 2 {
		t.Fatalf("progress: %+v", l.seen)
	}
	first, last := l.seen[0], l.seen[len(l.seen)-1]
	if first.Bytes != 0 || last.Bytes != total-offset || (last.Total != total && last.Total != -1) ||
		last.Done() != (last.Total == total) || last.Offset != offset || last.Path != path {
		t.Fatalf("progress from %+v to %+v; want %s %d..%d", first, last, path, offset, total)
	}
	for i := 1; i < len(l.seen); i++ {
		if l.seen[i].Bytes < l.seen[i-1].Bytes {
			t.Fatalf("progress went back: %+v", l.seen)
		}
	}
}

func TestPyftpdDownloadUploadFile(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c := login(t, srv)
	big := readDisk(t, filepath.Join(srv.root, "big.bin"))
	dir := t.TempDir()
	local := filepath.Join(dir, "big.copy")
	var log progressLog
	if err := c.DownloadFile("big.bin", local, ftp.Verify(), ftp.OnProgress(log.fn, 0)); err != nil {
		t.Fatalf("DownloadFile: %v", err)
	}
	if !bytes.Equal(readDisk(t, local), big) {
		t.Fatal("downloaded file differs")
	}
	log.check(t, "big.bin", 0, int64(len(big)))

	// a long interval: the first and the final report still come
	log = progressLog{}
	if err := c.DownloadFile("big.bin", local, ftp.Atomic(), ftp.OnProgress(log.fn, time.Hour)); err != nil {
		t.Fatalf("DownloadFile Atomic: %v", err)
	}
	log.check(t, "big.bin", 0, int64(len(big)))

	// resume a partial copy
	if err := os.WriteFile(local, big[:1<<20], 0o600); err != nil {
		t.Fatal(err)
	}
	log = progressLog{}
	if err := c.DownloadFile("big.bin", local, ftp.Resume(), ftp.OnProgress(log.fn, 0)); err != nil {
		t.Fatalf("DownloadFile Resume: %v", err)
	}
	if !bytes.Equal(readDisk(t, local), big) {
		t.Fatal("resumed file differs")
	}
	log.check(t, "big.bin", 1<<20, int64(len(big)))

	// a progress function's error stops the transfer; the Conn goes on
	stop := errors.New("enough")
	err := c.DownloadFile("big.bin", filepath.Join(dir, "stopped"), ftp.OnProgress(func(p ftp.Progress) error {
		if p.Bytes > 0 {
			return stop
		}
		return nil
	}, 0))
	if !errors.Is(err, stop) || !errors.Is(err, ftp.ErrCallback) {
		t.Fatalf("DownloadFile stopped by progress: %v", err)
	}
	wantHello(t, c, "hello.txt")

	// upload into new directories, atomically and verified; then remove the tree
	top := uniqueName(t, ".d")
	remote := top + "/a/b/big.up"
	if err := c.UploadFile(local, remote, ftp.CreateDirs(), ftp.Atomic(), ftp.Verify()); err != nil {
		t.Fatalf("UploadFile: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Join(srv.root, top)) })
	if !bytes.Equal(readDisk(t, filepath.Join(srv.root, remote)), big) {
		t.Fatal("uploaded file differs")
	}
	if err := c.RemoveAll(top); err != nil {
		t.Fatalf("RemoveAll: %v", err)
	}
	if _, err := os.Stat(filepath.Join(srv.root, top)); !os.IsNotExist(err) {
		t.Fatalf("tree still there after RemoveAll: %v", err)
	}
	if err := c.DownloadFile("no-such-file", filepath.Join(dir, "x"), ftp.Atomic()); !errors.Is(err, ftp.ErrPerm) {
		t.Fatalf("DownloadFile of a missing file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); !os.IsNotExist(err) {
		t.Fatalf("Atomic left a file behind: %v", err)
	}
}

func poolURL(scheme string, srv server) string {
	u := url.URL{Scheme: scheme, User: url.UserPassword(srv.user, srv.pass), Host: srv.addr, Path: "/"}
	return u.String()
}

func TestPyftpdPool(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	before := ftp.LiveHandles()
	if _, err := ftp.NewPool("gopher://nowhere", nil, 2); !errors.Is(err, ftp.ErrInvalidArgument) {
		t.Fatalf("NewPool with a bad URL: %v", err)
	}
	p, err := ftp.NewPool(poolURL("ftp", srv), nil, 4)
	if err != nil {
		t.Fatal(err)
	}
	big := readDisk(t, filepath.Join(srv.root, "big.bin"))
	dir := t.TempDir()
	var log progressLog
	if err := p.DownloadSegmented("big.bin", filepath.Join(dir, "seg"), 4, ftp.Verify(), ftp.OnProgress(log.fn, 0)); err != nil {
		t.Fatalf("DownloadSegmented: %v", err)
	}
	if !bytes.Equal(readDisk(t, filepath.Join(dir, "seg")), big) {
		t.Fatal("segmented download differs")
	}
	offsets := map[int64]bool{}
	for _, r := range log.seen {
		offsets[r.Offset] = true
	}
	if len(offsets) < 2 {
		t.Errorf("segmented download reported parts at offsets %v only", offsets)
	}
	// a long interval: the first and the final report still come
	log = progressLog{}
	if err := p.DownloadFile("big.bin", filepath.Join(dir, "one"), ftp.OnProgress(log.fn, time.Hour)); err != nil {
		t.Fatalf("pool DownloadFile: %v", err)
	}
	log.check(t, "big.bin", 0, int64(len(big)))
	// many goroutines at once
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = p.DownloadFile("big.bin", filepath.Join(dir, fmt.Sprint("par", i)))
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil || !bytes.Equal(readDisk(t, filepath.Join(dir, fmt.Sprint("par", i))), big) {
			t.Fatalf("parallel DownloadFile %d: %v", i, err)
		}
	}
	name := uniqueName(t, ".pool")
	t.Cleanup(func() { os.Remove(filepath.Join(srv.root, name)) })
	if err := p.UploadFile(filepath.Join(dir, "seg"), name); err != nil {
		t.Fatalf("pool UploadFile: %v", err)
	}
	if !bytes.Equal(readDisk(t, filepath.Join(srv.root, name)), big) {
		t.Fatal("pool upload differs")
	}
	// a context cancelled during the transfer stops it
	ctx, cancel := context.WithCancel(context.Background())
	err = p.WithContext(ctx).DownloadSegmented("big.bin", filepath.Join(dir, "cancelled"), 4,
		ftp.OnProgress(func(ftp.Progress) error { cancel(); return nil }, 0))
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ftp.ErrCancelled) {
		t.Fatalf("cancelled DownloadSegmented: %v", err)
	}
	// the pool works afterwards (a segmented download: each part sends its
	// own REST; see wantPoolAfterCancel)
	wantPoolAfterCancel(t, p, srv, dir)
	if err := p.DownloadFile("no-such-file", filepath.Join(dir, "missing")); !errors.Is(err, ftp.ErrPerm) {
		t.Fatalf("pool DownloadFile of a missing file: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.DownloadFile("hello.txt", filepath.Join(dir, "late")); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("DownloadFile on a closed pool: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if n := ftp.LiveHandles(); n != before {
		t.Fatalf("native handles: %d before, %d after", before, n)
	}
}

func TestPyftpdsPoolSegmentedTLS(t *testing.T) {
	srv := needServer(t, "PYFTPDS")
	ca, err := os.ReadFile(srv.cafile)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ftp.NewPool(poolURL("ftpes", srv), &ftp.TLSConfig{CAPEM: ca}, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	local := filepath.Join(t.TempDir(), "seg")
	if err := p.DownloadSegmented("big.bin", local, 3, ftp.Atomic()); err != nil {
		t.Fatalf("DownloadSegmented over FTPS: %v", err)
	}
	if !bytes.Equal(readDisk(t, local), readDisk(t, filepath.Join(srv.root, "big.bin"))) {
		t.Fatal("segmented FTPS download differs")
	}
}
