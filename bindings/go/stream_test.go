package ftp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"

	"libftp.dev/ftp"
)

// writeChunks writes data in chunks of varying sizes.
func writeChunks(w io.Writer, data []byte) error {
	sizes := []int{1, 777, 65536, 100000, 4096, 3}
	for i := 0; len(data) > 0; i++ {
		n := sizes[i%len(sizes)]
		if n > len(data) {
			n = len(data)
		}
		if _, err := w.Write(data[:n]); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

func TestPyftpdStreams5MiB(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	before := ftp.LiveHandles()
	c := login(t, srv)
	data := randomBytes(5<<20, 11)
	name := uniqueName(t, ".stream")
	t.Cleanup(func() { os.Remove(filepath.Join(srv.root, name)) })
	w, err := c.StorWriter(name)
	if err != nil {
		t.Fatalf("StorWriter: %v", err)
	}
	if _, err := c.Pwd(); !errors.Is(err, ftp.ErrState) {
		t.Fatalf("Pwd while a StorWriter is open: %v, want ErrState", err)
	}
	if err := writeChunks(w, data); err != nil {
		t.Fatalf("writing: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("StorWriter Close: %v", err)
	}
	if disk := readDisk(t, filepath.Join(srv.root, name)); !bytes.Equal(disk, data) {
		t.Fatalf("uploaded %d bytes, %d on disk, differ", len(data), len(disk))
	}
	r, err := c.RetrReader(name)
	if err != nil {
		t.Fatalf("RetrReader: %v", err)
	}
	var back bytes.Buffer
	if _, err := io.CopyBuffer(&back, struct{ io.Reader }{r}, make([]byte, 3000)); err != nil {
		t.Fatalf("reading: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("RetrReader Close: %v", err)
	}
	if !bytes.Equal(back.Bytes(), data) {
		t.Fatalf("read back %d bytes, differ from the %d sent", back.Len(), len(data))
	}
	// from an offset
	r, err = c.RetrReaderFrom(name, 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	tail, err := io.ReadAll(r)
	if err != nil || r.Close() != nil || !bytes.Equal(tail, data[4<<20:]) {
		t.Fatalf("RetrReaderFrom: %d bytes, %v", len(tail), err)
	}
	// closed early: the Conn goes on
	r, err = c.RetrReader("big.bin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(r, make([]byte, 100<<10)); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("early Close: %v", err)
	}
	wantHello(t, c, "hello.txt")
	c.Close()
	if n := ftp.LiveHandles(); n != before {
		t.Fatalf("native handles: %d before, %d after", before, n)
	}
}

// Piping a download into an upload on another server: the job that needs
// io.Pipe and a goroutine with a push-style Retr.
func TestStreamServerToServer(t *testing.T) {
	from := needServer(t, "PYFTPD")
	to := needServer(t, "VSFTPD")
	src := login(t, from)
	dst, err := ftp.Dial(to.addr, ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if err := dst.Login("anonymous", ""); err != nil {
		t.Fatal(err)
	}
	name := "pub/" + uniqueName(t, ".copy")
	t.Cleanup(func() { os.Remove(filepath.Join(to.root, name)) })
	r, err := src.RetrReader("big.bin")
	if err != nil {
		t.Fatal(err)
	}
	w, err := dst.StorWriter(name)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(w, r)
	if err != nil || n != 5242880 {
		t.Fatalf("copy: %d bytes, %v", n, err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("upload Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("download Close: %v", err)
	}
	want := sha256.Sum256(readDisk(t, filepath.Join(from.root, "big.bin")))
	if got := sha256.Sum256(readDisk(t, filepath.Join(to.root, name))); got != want {
		t.Fatal("the copy on vsftpd differs from big.bin on pyftpdlib")
	}
}

func TestPyftpdStreamCancelAndClose(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	before := ftp.LiveHandles()
	c := login(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	r, err := c.WithContext(ctx).RetrReader("big.bin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(r, make([]byte, 10000)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := r.Read(make([]byte, 10000)); !errors.Is(err, context.Canceled) {
		t.Fatalf("Read after the cancel: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close after the cancel: %v", err)
	}
	wantHello(t, c, "hello.txt")

	// Conn.Close while a stream is open ends the stream too
	r, err = c.RetrReader("big.bin")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("Conn.Close with an open stream: %v", err)
	}
	if _, err := r.Read(make([]byte, 10)); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Read after Conn.Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("stream Close after Conn.Close: %v", err)
	}
	if n := ftp.LiveHandles(); n != before {
		t.Fatalf("native handles: %d before, %d after", before, n)
	}
}

func TestPyftpdsStreamsTLSWithCAInMemory(t *testing.T) {
	srv := needServer(t, "PYFTPDS")
	ca, err := os.ReadFile(srv.cafile)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ftp.DialTLS(srv.addr, &ftp.TLSConfig{CAPEM: ca}, ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatalf("DialTLS with the CA in memory: %v", err)
	}
	defer c.Close()
	if err := c.Login(srv.user, srv.pass); err != nil {
		t.Fatal(err)
	}
	data := randomBytes(1<<20+7, 5)
	name := uniqueName(t, ".tls")
	t.Cleanup(func() { os.Remove(filepath.Join(srv.root, name)) })
	w, err := c.StorWriter(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeChunks(w, data); err != nil || w.Close() != nil {
		t.Fatalf("TLS upload: %v", err)
	}
	r, err := c.RetrReader(name)
	if err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(r)
	if err != nil || r.Close() != nil || !bytes.Equal(back, data) {
		t.Fatalf("TLS download: %d bytes, %v", len(back), err)
	}
	if disk := readDisk(t, filepath.Join(srv.root, name)); !bytes.Equal(disk, data) {
		t.Fatal("TLS upload differs on disk")
	}
}
