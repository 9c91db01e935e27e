package ftp_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"libftp.dev/ftp"
)

// server is one test server from tests/servers/ftpservers.py.
type server struct {
	addr, root, user, pass, cafile string
}

// needServer reads FTP_TEST_<NAME>_* from the environment. Without them
// the test is skipped, or fails when FTP_TEST_REQUIRE_SERVERS=1.
func needServer(t *testing.T, name string) server {
	t.Helper()
	key := "FTP_TEST_" + name + "_"
	port := os.Getenv(key + "PORT")
	if port == "" || os.Getenv("FTP_TEST_PYFTPD_PORT") == "" {
		if os.Getenv("FTP_TEST_REQUIRE_SERVERS") == "1" {
			t.Fatalf("%sPORT is not set and FTP_TEST_REQUIRE_SERVERS=1 (start tests/servers/ftpservers.py)", key)
		}
		t.Skipf("%sPORT not set: start tests/servers/ftpservers.py and export its env file", key)
	}
	host := os.Getenv(key + "HOST")
	if host == "" {
		host = "127.0.0.1"
	}
	return server{
		addr:   net.JoinHostPort(host, port),
		root:   os.Getenv(key + "ROOT"),
		user:   os.Getenv(key + "USER"),
		pass:   os.Getenv(key + "PASS"),
		cafile: os.Getenv(key + "CAFILE"),
	}
}

const testTimeout = 30 * time.Second

func login(t *testing.T, srv server, opts ...ftp.Option) *ftp.Conn {
	t.Helper()
	c, err := ftp.Dial(srv.addr, append([]ftp.Option{ftp.WithTimeout(testTimeout)}, opts...)...)
	if err != nil {
		t.Fatalf("Dial %s: %v", srv.addr, err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(srv.user, srv.pass); err != nil {
		t.Fatalf("Login: %v", err)
	}
	return c
}

// uniqueName is a file name no other test (or run) uses.
func uniqueName(t *testing.T, suffix string) string {
	return fmt.Sprintf("go-%s-%d-%d%s", strings.ReplaceAll(t.Name(), "/", "_"), os.Getpid(), time.Now().UnixNano()%1e9, suffix)
}

func randomBytes(n int, seed int64) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

func readDisk(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the server's file: %v", err)
	}
	return b
}

func wantCode(t *testing.T, err error, class ftp.Result, reply int) {
	t.Helper()
	var fe *ftp.Error
	if !errors.Is(err, class) || !errors.As(err, &fe) || (reply != 0 && fe.ReplyCode != reply) {
		t.Fatalf("error %v (%#v), want %s with reply %d", err, err, class.Name(), reply)
	}
}

func TestPyftpdStorRetrListings(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c := login(t, srv)
	if w := c.Welcome(); !strings.HasPrefix(w, "220") {
		t.Errorf("Welcome() = %q", w)
	}
	data := randomBytes(2<<20, 1)
	name := uniqueName(t, ".bin")
	if err := c.Stor(name, bytes.NewReader(data)); err != nil {
		t.Fatalf("Stor: %v", err)
	}
	t.Cleanup(func() { os.Remove(filepath.Join(srv.root, name)) })
	if disk := readDisk(t, filepath.Join(srv.root, name)); !bytes.Equal(disk, data) {
		t.Fatalf("uploaded file differs: %d bytes on disk, %d sent", len(disk), len(data))
	}
	var back bytes.Buffer
	if err := c.Retr(name, &back); err != nil {
		t.Fatalf("Retr: %v", err)
	}
	if !bytes.Equal(back.Bytes(), data) {
		t.Fatalf("downloaded %d bytes, differ from the %d uploaded", back.Len(), len(data))
	}
	back.Reset()
	if err := c.RetrFrom(name, 123457, &back); err != nil || !bytes.Equal(back.Bytes(), data[123457:]) {
		t.Fatalf("RetrFrom: %v, %d bytes", err, back.Len())
	}
	if n, err := c.Size(name); err != nil || n != int64(len(data)) {
		t.Fatalf("Size = %d, %v", n, err)
	}

	entries, err := c.MLSD("")
	if err != nil {
		t.Fatalf("MLSD: %v", err)
	}
	byName := map[string]ftp.Entry{}
	for _, e := range entries {
		byName[e.Name] = e
	}
	e, ok := byName[name]
	if !ok || e.Type != "file" || e.Size != int64(len(data)) || e.IsDir() ||
		e.Modify.IsZero() || time.Since(e.Modify) > 24*time.Hour || e.Facts["size"] != fmt.Sprint(len(data)) {
		t.Fatalf("MLSD entry of %s: %+v (found %v)", name, e, ok)
	}
	if h := byName["hello.txt"]; h.Size != 12 || h.Type != "file" {
		t.Errorf("MLSD hello.txt: %+v", h)
	}
	if d := byName["subdir"]; !d.IsDir() {
		t.Errorf("MLSD subdir: %+v", d)
	}
	if h := byName["café.txt"]; h.Size != 6 {
		t.Errorf("MLSD café.txt: %+v", h)
	}
	if sub, err := c.MLSD("subdir"); err != nil || len(sub) != 1 || sub[0].Name != "nested.txt" || sub[0].Size != 12 {
		t.Errorf("MLSD subdir: %+v, %v", sub, err)
	}

	names, err := c.NameList("")
	if err != nil || !contains(names, name) || !contains(names, "hello.txt") || !contains(names, "a b;c.txt") {
		t.Fatalf("NameList: %q, %v", names, err)
	}
	lines, err := c.ListLines("")
	if err != nil || !anyHasSuffix(lines, " "+name) {
		t.Fatalf("List: %q, %v", lines, err)
	}
	if _, err := c.ListLines("nope-missing-dir"); err == nil {
		t.Errorf("List of a missing path succeeded")
	}

	renamed := uniqueName(t, ".renamed")
	if err := c.Rename(name, renamed); err != nil {
		t.Fatalf("Rename: %v", err)
	}
	t.Cleanup(func() { os.Remove(filepath.Join(srv.root, renamed)) })
	if _, err := os.Stat(filepath.Join(srv.root, name)); !os.IsNotExist(err) {
		t.Errorf("old name still there after Rename: %v", err)
	}
	if disk := readDisk(t, filepath.Join(srv.root, renamed)); !bytes.Equal(disk, data) {
		t.Errorf("renamed file differs")
	}
	if err := c.Delete(renamed); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := os.Stat(filepath.Join(srv.root, renamed)); !os.IsNotExist(err) {
		t.Errorf("file still there after Delete: %v", err)
	}
	wantCode(t, c.Delete(renamed), ftp.ErrPerm, 550)
	wantCode(t, c.Rename(renamed, name), ftp.ErrPerm, 550)
	wantCode(t, c.Retr(renamed, io.Discard), ftp.ErrPerm, 550)
	if err := c.Quit(); err != nil {
		t.Fatalf("Quit: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func anyHasSuffix(list []string, s string) bool {
	for _, x := range list {
		if strings.HasSuffix(x, s) {
			return true
		}
	}
	return false
}

func TestPyftpdDirectories(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c := login(t, srv)
	dir := uniqueName(t, ".d")
	got, err := c.Mkdir(dir)
	if err != nil || got != "/"+dir {
		t.Fatalf("Mkdir = %q, %v", got, err)
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Join(srv.root, dir)) })
	if fi, err := os.Stat(filepath.Join(srv.root, dir)); err != nil || !fi.IsDir() {
		t.Fatalf("directory not on disk: %v", err)
	}
	wantCode(t, func() error { _, err := c.Mkdir(dir); return err }(), ftp.ErrPerm, 550)
	if err := c.Cwd(dir); err != nil {
		t.Fatalf("Cwd: %v", err)
	}
	if pwd, err := c.Pwd(); err != nil || pwd != "/"+dir {
		t.Fatalf("Pwd = %q, %v", pwd, err)
	}
	if err := c.Stor("inner.txt", strings.NewReader("inner\n")); err != nil {
		t.Fatalf("Stor in the new directory: %v", err)
	}
	if b := readDisk(t, filepath.Join(srv.root, dir, "inner.txt")); string(b) != "inner\n" {
		t.Fatalf("inner.txt = %q", b)
	}
	if err := c.Cwd(".."); err != nil {
		t.Fatalf("Cwd ..: %v", err)
	}
	if pwd, err := c.Pwd(); err != nil || pwd != "/" {
		t.Fatalf("Pwd = %q, %v", pwd, err)
	}
	wantCode(t, c.Rmdir(dir), ftp.ErrPerm, 550) // not empty
	if err := c.Delete(dir + "/inner.txt"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := c.Rmdir(dir); err != nil {
		t.Fatalf("Rmdir: %v", err)
	}
	if _, err := os.Stat(filepath.Join(srv.root, dir)); !os.IsNotExist(err) {
		t.Fatalf("directory still there: %v", err)
	}
	wantCode(t, c.Cwd(dir), ftp.ErrPerm, 550)
}

func TestPyftpdWrongPassword(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c, err := ftp.Dial(srv.addr, ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Login(srv.user, "wrong-"+srv.pass)
	if !errors.Is(err, ftp.ErrPerm) {
		t.Fatalf("Login with a wrong password: %v, want ErrPerm", err)
	}
	var fe *ftp.Error
	if !errors.As(err, &fe) || fe.ReplyCode != 530 || !strings.HasPrefix(fe.Reply, "530") {
		t.Fatalf("errors.As: %#v", fe)
	}
	if strings.Contains(err.Error(), "wrong-"+srv.pass) {
		t.Errorf("the password appears in the error: %v", err)
	}
	// the session goes on: a right password now works
	if err := c.Login(srv.user, srv.pass); err != nil {
		t.Fatalf("Login after a failed one: %v", err)
	}
}

var errTestStop = errors.New("test writer: no space left")

// failingWriter accepts limit bytes, then fails.
type failingWriter struct {
	n, limit int
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.limit {
		return 0, errTestStop
	}
	w.n += len(p)
	return len(p), nil
}

func TestPyftpdWriterErrorStopsRetr(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c := login(t, srv)
	w := &failingWriter{limit: 200 << 10}
	err := c.Retr("big.bin", w)
	if !errors.Is(err, errTestStop) || !errors.Is(err, ftp.ErrCallback) {
		t.Fatalf("Retr with a failing writer: %v, want the writer's error", err)
	}
	if w.n > w.limit || w.n == 0 {
		t.Fatalf("writer got %d bytes", w.n)
	}
	// the session still works
	if _, err := c.Pwd(); err != nil {
		t.Fatalf("Pwd after the stopped Retr: %v", err)
	}
	var b bytes.Buffer
	if err := c.Retr("hello.txt", &b); err != nil || b.String() != "hello world\n" {
		t.Fatalf("Retr after the stopped Retr: %q, %v", b.String(), err)
	}
	var big bytes.Buffer
	if err := c.Retr("big.bin", &big); err != nil || !bytes.Equal(big.Bytes(), readDisk(t, filepath.Join(srv.root, "big.bin"))) {
		t.Fatalf("full Retr after the stopped one: %d bytes, %v", big.Len(), err)
	}
}

// failingReader gives n bytes, then an error.
type failingReader struct {
	left int
}

var errTestRead = errors.New("test reader: device gone")

func (r *failingReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, errTestRead
	}
	if len(p) > r.left {
		p = p[:r.left]
	}
	for i := range p {
		p[i] = 'x'
	}
	r.left -= len(p)
	return len(p), nil
}

func TestPyftpdReaderErrorStopsStor(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c := login(t, srv)
	name := uniqueName(t, ".partial")
	t.Cleanup(func() { os.Remove(filepath.Join(srv.root, name)) })
	err := c.Stor(name, &failingReader{left: 100000})
	if !errors.Is(err, errTestRead) || !errors.Is(err, ftp.ErrCallback) {
		t.Fatalf("Stor with a failing reader: %v", err)
	}
	if err := c.Delete(name); err != nil { // the partial file is kept by the server
		t.Fatalf("Delete of the partial upload: %v", err)
	}
	// io.Reader returning data together with io.EOF, and small reads
	if err := c.Stor(name, io.MultiReader(strings.NewReader("abc"), iotestDataEOF("def"))); err != nil {
		t.Fatalf("Stor: %v", err)
	}
	if b := readDisk(t, filepath.Join(srv.root, name)); string(b) != "abcdef" {
		t.Fatalf("stored %q", b)
	}
	if err := c.Delete(name); err != nil {
		t.Fatal(err)
	}
}

// iotestDataEOF returns its data and io.EOF in the same Read.
type iotestDataEOF string

func (s iotestDataEOF) Read(p []byte) (int, error) { return copy(p, s), io.EOF }

func TestPyftpdRetrLines(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c := login(t, srv)
	var lines []string
	err := c.RetrLines("RETR lines.txt", func(l string) error { lines = append(lines, l); return nil })
	want := []string{"first line", "second line", "", "fourth line, after an empty one", "last line"}
	if err != nil || strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Fatalf("RetrLines = %q, %v", lines, err)
	}
	stop := errors.New("enough")
	n := 0
	err = c.RetrLines("RETR lines.txt", func(string) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("stopping RetrLines: %v after %d lines", err, n)
	}
	var cafe bytes.Buffer
	if err := c.Retr("café.txt", &cafe); err != nil || cafe.String() != "café\n" {
		t.Fatalf("Retr café.txt: %q, %v", cafe.String(), err)
	}
}

func TestPyftpdSendCmdAndArguments(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c := login(t, srv)
	rep, err := c.SendCmd("NOOP")
	if err != nil || rep.Code != 200 || !strings.HasPrefix(rep.Message, "200") {
		t.Fatalf("SendCmd NOOP = %+v, %v", rep, err)
	}
	rep, err = c.SendCmd("XYZZY")
	wantCode(t, err, ftp.ErrPerm, 500)
	if rep.Code != 500 {
		t.Errorf("reply of a failed SendCmd: %+v", rep)
	}
	wantCode(t, func() error { _, err := c.SendCmd("NOOP\r\nDELE hello.txt"); return err }(), ftp.ErrInvalidArgument, 0)
	wantCode(t, c.Delete("hello.txt\x00.bak"), ftp.ErrInvalidArgument, 0)
	wantCode(t, c.Retr("x\ny", io.Discard), ftp.ErrInvalidArgument, 0)
	if err := c.Noop(); err != nil {
		t.Fatalf("Noop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(srv.root, "hello.txt")); err != nil {
		t.Fatalf("hello.txt is gone: %v", err)
	}
	if n, err := c.Size("hello.txt"); err != nil || n != 12 {
		t.Fatalf("Size = %d, %v", n, err)
	}
	wantCode(t, func() error { _, err := c.Size("nope.txt"); return err }(), ftp.ErrPerm, 550)
}

func TestPyftpdDebug(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	var dbg bytes.Buffer
	c := login(t, srv, ftp.WithDebug(&dbg))
	if _, err := c.Pwd(); err != nil {
		t.Fatal(err)
	}
	out := dbg.String()
	for _, want := range []string{"*welcome*", "USER " + srv.user, "PWD", "*resp* '257"} {
		if !strings.Contains(out, want) {
			t.Errorf("debug output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, srv.pass) {
		t.Errorf("debug output shows the password:\n%s", out)
	}
}

func TestPyftpdReentrantAndClosedUse(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c := login(t, srv)
	var inner error
	err := c.RetrLines("RETR lines.txt", func(string) error {
		if inner == nil {
			_, inner = c.Pwd()
		}
		return nil
	})
	if err != nil {
		t.Fatalf("RetrLines: %v", err)
	}
	wantCode(t, inner, ftp.ErrState, 0)
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	wantCode(t, func() error { _, err := c.Pwd(); return err }(), ftp.ErrState, 0)
	wantCode(t, c.Quit(), ftp.ErrState, 0)
}

func TestPyftpdPanicInCallback(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c := login(t, srv)
	func() {
		defer func() {
			if v := recover(); v != "boom" {
				t.Fatalf("recovered %v, want the writer's panic", v)
			}
		}()
		c.Retr("big.bin", writerFunc(func(p []byte) (int, error) { panic("boom") }))
		t.Fatal("Retr returned instead of panicking")
	}()
	if pwd, err := c.Pwd(); err != nil || pwd != "/" {
		t.Fatalf("Pwd after the panic: %q, %v", pwd, err)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestPyftpdNoLeaks dials and closes many times and checks that the file
// descriptors come back (sessions freed by Close and Quit).
func TestPyftpdNoLeaks(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	fds := func() int {
		ents, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skip("no /proc/self/fd")
		}
		return len(ents)
	}
	var dbg atomic.Int64
	counter := writerFunc(func(p []byte) (int, error) { dbg.Add(1); return len(p), nil })
	run := func(i int) {
		c, err := ftp.Dial(srv.addr, ftp.WithTimeout(testTimeout), ftp.WithDebug(counter))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Login(srv.user, srv.pass); err != nil {
			t.Fatal(err)
		}
		if _, err := c.NameList(""); err != nil {
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
	run(0)
	before := fds()
	for i := 0; i < 40; i++ {
		run(i)
	}
	if after := fds(); after > before+2 {
		t.Fatalf("file descriptors: %d before, %d after 40 sessions", before, after)
	}
	if dbg.Load() == 0 {
		t.Fatal("no debug output")
	}
}

func TestVsftpdAnonymous(t *testing.T) {
	srv := needServer(t, "VSFTPD")
	want := readDisk(t, filepath.Join(srv.root, "pub", "big.bin"))
	for _, mode := range []struct {
		name string
		opt  ftp.Option
	}{{"active", ftp.WithActive()}, {"passive", ftp.WithPassive()}} {
		t.Run(mode.name, func(t *testing.T) {
			c, err := ftp.Dial(srv.addr, ftp.WithTimeout(testTimeout), mode.opt)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if !strings.Contains(c.Welcome(), "vsFTPd") {
				t.Errorf("Welcome() = %q", c.Welcome())
			}
			if err := c.Login("anonymous", ""); err != nil {
				t.Fatalf("anonymous Login: %v", err)
			}
			var b bytes.Buffer
			if err := c.Retr("pub/big.bin", &b); err != nil {
				t.Fatalf("Retr pub/big.bin: %v", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Fatalf("pub/big.bin: got %d bytes, differ from the %d on disk", b.Len(), len(want))
			}
			names, err := c.NameList("pub")
			if err != nil || !anyHasSuffix(names, "big.bin") {
				t.Fatalf("NameList pub: %q, %v", names, err)
			}
			name := uniqueName(t, ".up")
			data := randomBytes(300000, 7)
			if err := c.Stor("pub/"+name, bytes.NewReader(data)); err != nil {
				t.Fatalf("Stor: %v", err)
			}
			if disk := readDisk(t, filepath.Join(srv.root, "pub", name)); !bytes.Equal(disk, data) {
				t.Fatalf("uploaded file differs")
			}
			if err := c.Delete("pub/" + name); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			wantCode(t, c.Stor(name, strings.NewReader("x")), ftp.ErrPerm, 553)
			if err := c.Quit(); err != nil {
				t.Fatalf("Quit: %v", err)
			}
		})
	}
}

func TestPyftpdsTLS(t *testing.T) {
	srv := needServer(t, "PYFTPDS")
	if srv.cafile == "" {
		t.Fatal("FTP_TEST_PYFTPDS_CAFILE not set")
	}
	c, err := ftp.DialTLS(srv.addr, &ftp.TLSConfig{CAFile: srv.cafile}, ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatalf("DialTLS: %v", err)
	}
	defer c.Close()
	if err := c.Login(srv.user, srv.pass); err != nil {
		t.Fatalf("Login: %v", err)
	}
	if err := c.ProtP(); err != nil {
		t.Fatalf("ProtP: %v", err)
	}
	data := randomBytes(1<<20+12345, 3)
	name := uniqueName(t, ".tls")
	if err := c.Stor(name, bytes.NewReader(data)); err != nil {
		t.Fatalf("Stor over TLS: %v", err)
	}
	t.Cleanup(func() { os.Remove(filepath.Join(srv.root, name)) })
	if disk := readDisk(t, filepath.Join(srv.root, name)); !bytes.Equal(disk, data) {
		t.Fatalf("uploaded file differs")
	}
	var back bytes.Buffer
	if err := c.Retr(name, &back); err != nil || !bytes.Equal(back.Bytes(), data) {
		t.Fatalf("Retr over TLS: %d bytes, %v", back.Len(), err)
	}
	entries, err := c.MLSD("")
	if err != nil || len(entries) == 0 {
		t.Fatalf("MLSD over TLS: %v", err)
	}
	if err := c.ProtC(); err != nil {
		t.Fatalf("ProtC: %v", err)
	}
	back.Reset()
	if err := c.Retr("hello.txt", &back); err != nil || back.String() != "hello world\n" {
		t.Fatalf("clear Retr: %q, %v", back.String(), err)
	}
	if err := c.Delete(name); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(); err != nil {
		t.Fatalf("Quit: %v", err)
	}
}

func TestPyftpdsTLSVerification(t *testing.T) {
	srv := needServer(t, "PYFTPDS")
	// the test CA is not among the system roots
	c, err := ftp.DialTLS(srv.addr, nil, ftp.WithTimeout(testTimeout))
	if err == nil {
		c.Close()
		t.Fatal("DialTLS without the CA succeeded")
	}
	wantCode(t, err, ftp.ErrTLS, 0)
	c, err = ftp.Dial(srv.addr, ftp.WithTLS(&ftp.TLSConfig{}), ftp.WithTimeout(testTimeout))
	if err == nil {
		c.Close()
		t.Fatal("Dial WithTLS without the CA succeeded")
	}
	wantCode(t, err, ftp.ErrTLS, 0)
	// verification off: only for tests
	c, err = ftp.DialTLS(srv.addr, &ftp.TLSConfig{InsecureSkipVerify: true, MinVersion: ftp.VersionTLS12, MaxVersion: ftp.VersionTLS13},
		ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatalf("DialTLS without verification: %v", err)
	}
	defer c.Close()
	if err := c.Login(srv.user, srv.pass); err != nil {
		t.Fatalf("Login: %v", err)
	}
	// a plain session to the same server works too (TLS is optional there)
	p, err := ftp.Dial(srv.addr, ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.ProtP(); !errors.Is(err, ftp.ErrState) {
		t.Fatalf("ProtP on a plain Conn: %v, want ErrState", err)
	}
}

// TestVsftpd6 dials an IPv6 literal (only when the launcher started vsftpd6).
func TestVsftpd6(t *testing.T) {
	if os.Getenv("FTP_TEST_VSFTPD6_PORT") == "" {
		t.Skip("FTP_TEST_VSFTPD6_PORT not set (vsftpd6 not started)")
	}
	srv := needServer(t, "VSFTPD6")
	c, err := ftp.Dial(srv.addr, ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatalf("Dial %s: %v", srv.addr, err)
	}
	defer c.Close()
	if err := c.Login("", ""); err != nil {
		t.Fatalf("anonymous Login: %v", err)
	}
	var b bytes.Buffer
	if err := c.Retr("pub/hello.txt", &b); err != nil || b.String() != "hello world\n" {
		t.Fatalf("Retr over IPv6: %q, %v", b.String(), err)
	}
}

// TestPyftpdFinalizer drops Conns without closing them: the finalizer must
// free their sessions (and so their sockets).
func TestPyftpdFinalizer(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	fds := func() int {
		ents, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skip("no /proc/self/fd")
		}
		return len(ents)
	}
	runtime.GC()
	before := fds()
	conns := make([]*ftp.Conn, 0, 20)
	for i := 0; i < 20; i++ {
		c, err := ftp.Dial(srv.addr, ftp.WithTimeout(testTimeout), ftp.WithDebug(io.Discard))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Login(srv.user, srv.pass); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	if n := fds(); n < before+20 {
		t.Fatalf("%d descriptors with 20 live Conns, %d before", n, before)
	}
	runtime.KeepAlive(conns)
	deadline := time.Now().Add(5 * time.Second)
	for fds() > before+2 {
		if time.Now().After(deadline) {
			t.Fatalf("descriptors: %d before, %d after dropping 20 Conns and collecting", before, fds())
		}
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
}
