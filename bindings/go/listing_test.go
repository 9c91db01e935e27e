package ftp_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"libftp.dev/ftp"
)

var listingFixtures = []string{"hello.txt", "empty.bin", "big.bin", "lines.txt", "subdir"}

func findEntry(list []*ftp.Entry, name string) *ftp.Entry {
	for _, e := range list {
		if e.Name == name {
			return e
		}
	}
	return nil
}

func anonymous(t *testing.T, srv server) *ftp.Conn {
	t.Helper()
	c, err := ftp.Dial(srv.addr, ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login("anonymous", ""); err != nil {
		t.Fatal(err)
	}
	return c
}

// checkTime compares a listed time with the file's on disk, to the
// listing's precision.
func checkTime(t *testing.T, e *ftp.Entry, diskPath string) {
	t.Helper()
	fi, err := os.Stat(diskPath)
	if err != nil {
		t.Fatal(err)
	}
	if e.Time.IsZero() || e.TimePrecision <= 0 {
		t.Fatalf("%s (%s): no time: %+v", e.Name, e.Format, e)
	}
	want := fi.ModTime().UTC().Truncate(e.TimePrecision)
	if got := e.Time.Truncate(e.TimePrecision); !got.Equal(want) {
		t.Errorf("%s (%s): time %v (precision %v), on disk %v", e.Name, e.Format, e.Time, e.TimePrecision, fi.ModTime().UTC())
	}
}

// vsftpd has no MLSD: List parses LIST; pyftpdlib advertises MLST: List
// uses MLSD. Both serve the same fixtures: the entries must agree.
func TestListingsLISTAndMLSDAgree(t *testing.T) {
	vs := needServer(t, "VSFTPD")
	py := needServer(t, "PYFTPD")
	lv, err := anonymous(t, vs).List("pub")
	if err != nil {
		t.Fatalf("List on vsftpd: %v", err)
	}
	lp, err := login(t, py).List("")
	if err != nil {
		t.Fatalf("List on pyftpdlib: %v", err)
	}
	for _, list := range [][]*ftp.Entry{lv, lp} {
		for _, e := range list {
			if e.Type == ftp.EntryUnknown || e.Name == "." || e.Name == ".." || strings.Contains(e.Name, "/") {
				t.Errorf("unexpected entry %+v", e)
			}
		}
	}
	for _, name := range listingFixtures {
		ev, ep := findEntry(lv, name), findEntry(lp, name)
		if ev == nil || ep == nil {
			t.Fatalf("%s: vsftpd %+v, pyftpdlib %+v", name, ev, ep)
		}
		if ev.Format != "unix" || ep.Format != "mlsd" || ev.Raw == "" || ep.Raw == "" {
			t.Errorf("%s: formats %q/%q, raw %q/%q", name, ev.Format, ep.Format, ev.Raw, ep.Raw)
		}
		if ev.Type != ep.Type {
			t.Errorf("%s: type %s (LIST) vs %s (MLSD)", name, ev.Type, ep.Type)
		}
		if ev.Type == ftp.EntryFile {
			fi, err := os.Stat(filepath.Join(py.root, name))
			if err != nil {
				t.Fatal(err)
			}
			if ev.Size != ep.Size || ev.Size != fi.Size() {
				t.Errorf("%s: size %d (LIST) vs %d (MLSD), %d on disk", name, ev.Size, ep.Size, fi.Size())
			}
		}
		if !strings.HasPrefix(ev.Mode, "rw") && !strings.HasPrefix(ev.Mode, "r-") {
			t.Errorf("%s: LIST mode %q", name, ev.Mode)
		}
		checkTime(t, ev, filepath.Join(vs.root, "pub", name))
		checkTime(t, ep, filepath.Join(py.root, name))
	}
	if d := findEntry(lv, "subdir"); d == nil || !d.IsDir() {
		t.Errorf("subdir: %+v", d)
	}
}

func TestPyftpdStatWalk(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	c := login(t, srv)
	e, err := c.Stat("big.bin")
	if err != nil || e.Type != ftp.EntryFile || e.Size != 5242880 || e.Format != "mlst" || !e.TimeIsUTC {
		t.Fatalf("Stat big.bin: %+v, %v", e, err)
	}
	if e, err := c.Stat("subdir"); err != nil || !e.IsDir() {
		t.Fatalf("Stat subdir: %+v, %v", e, err)
	}
	if _, err := c.Stat("no-such-file"); !errors.Is(err, ftp.ErrPerm) {
		t.Fatalf("Stat of a missing path: %v", err)
	}
	var seen []string
	err = c.Walk("subdir", func(p string, e *ftp.Entry, err error) error {
		if err != nil {
			return err
		}
		seen = append(seen, p+":"+string(e.Type))
		return nil
	})
	if err != nil || strings.Join(seen, ",") != "subdir:dir,subdir/nested.txt:file" {
		t.Fatalf("Walk subdir: %q, %v", seen, err)
	}
	seen = nil
	err = c.Walk("", func(p string, e *ftp.Entry, err error) error {
		if err != nil {
			return err
		}
		if p == "subdir" {
			return fs.SkipDir
		}
		seen = append(seen, p)
		return nil
	})
	if err != nil || !contains(seen, "big.bin") || !contains(seen, "café.txt") || contains(seen, "subdir/nested.txt") {
		t.Fatalf("Walk with SkipDir: %q, %v", seen, err)
	}
	stop := errors.New("stop")
	if err := c.Walk("", func(string, *ftp.Entry, error) error { return stop }); err != stop {
		t.Fatalf("Walk stopped by fn: %v", err)
	}
	if err := c.Walk("no-such-dir", func(_ string, e *ftp.Entry, err error) error { return err }); !errors.Is(err, ftp.ErrPerm) {
		t.Fatalf("Walk of a missing root: %v", err)
	}
}

func TestFeaturesAndTimes(t *testing.T) {
	py := login(t, needServer(t, "PYFTPD"))
	vsrv := needServer(t, "VSFTPD")
	vs := anonymous(t, vsrv)
	has, params, err := py.HasFeature("mlst")
	if err != nil || !has || !strings.Contains(strings.ToLower(params), "type") {
		t.Fatalf("pyftpdlib MLST: %v %q %v", has, params, err)
	}
	if has, _, err := vs.HasFeature("MLST"); err != nil || has {
		t.Fatalf("vsftpd MLST: %v %v", has, err)
	}
	fp, err := py.Features()
	if err != nil {
		t.Fatal(err)
	}
	fv, err := vs.Features("SIZE", "MDTM", "MLST", "REST")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := fp["MLST"]; !ok {
		t.Errorf("pyftpdlib features: %v", fp)
	}
	if _, ok := fv["MLST"]; ok || fv["REST"] != "STREAM" {
		t.Errorf("vsftpd features: %v", fv)
	}
	mt, err := vs.ModTime("pub/hello.txt")
	fi, _ := os.Stat(filepath.Join(vsrv.root, "pub", "hello.txt"))
	if err != nil || fi == nil || !mt.Equal(fi.ModTime().UTC().Truncate(time.Second)) {
		t.Fatalf("ModTime: %v, %v (disk %v)", mt, err, fi)
	}
}
