package ftp_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"libftp.dev/ftp"
)

func TestPyftpdPoolMirror(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	p, err := ftp.NewPool(poolURL("ftp", srv), nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	local := t.TempDir()
	var log progressLog
	rep, err := p.Mirror(ftp.MirrorDownload, "subdir", local, ftp.OnProgress(log.fn, 0))
	if err != nil || rep.FilesCopied != 1 || rep.FilesFailed != 0 {
		t.Fatalf("Mirror download: %+v, %v", rep, err)
	}
	// the call's reports reach it: the listing's ("subdir"), then the file's
	var file progressLog
	for _, r := range log.seen {
		if r.Path == "subdir/nested.txt" {
			file.seen = append(file.seen, r)
		}
	}
	file.check(t, "subdir/nested.txt", 0, 12)
	if b := readDisk(t, filepath.Join(local, "nested.txt")); string(b) != "nested file\n" {
		t.Fatalf("mirrored nested.txt: %q", b)
	}
	rep, err = p.Mirror(ftp.MirrorDownload, "subdir", local, ftp.MirrorNewer())
	if err != nil || rep.FilesCopied != 0 || rep.FilesSkipped != 1 {
		t.Fatalf("Mirror again with MirrorNewer: %+v, %v", rep, err)
	}
	up := t.TempDir()
	data := randomBytes(300000, 9)
	if err := os.MkdirAll(filepath.Join(up, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(up, "one.bin"), data, 0o644)
	os.WriteFile(filepath.Join(up, "a", "two.txt"), []byte("two\n"), 0o644)
	remote := uniqueName(t, ".mirror")
	t.Cleanup(func() { os.RemoveAll(filepath.Join(srv.root, remote)) })
	rep, err = p.Mirror(ftp.MirrorUpload, remote, up)
	if err != nil || rep.FilesCopied != 2 || rep.Bytes != uint64(len(data)+4) {
		t.Fatalf("Mirror upload: %+v, %v", rep, err)
	}
	if !bytes.Equal(readDisk(t, filepath.Join(srv.root, remote, "one.bin")), data) ||
		string(readDisk(t, filepath.Join(srv.root, remote, "a", "two.txt"))) != "two\n" {
		t.Fatal("mirrored upload differs")
	}
	// a context cancelled during the mirror stops it
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err = p.WithContext(ctx).Mirror(ftp.MirrorDownload, "", t.TempDir(),
		ftp.OnProgress(func(ftp.Progress) error { cancel(); return nil }, 0))
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ftp.ErrCancelled) || rep.FilesCopied >= 7 {
		t.Fatalf("cancelled Mirror: %+v, %v", rep, err)
	}
	if _, err := p.Mirror(ftp.Direction(7), remote, up); !errors.Is(err, ftp.ErrInvalidArgument) {
		t.Fatalf("Mirror with a bad direction: %v", err)
	}
}
