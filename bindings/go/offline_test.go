package ftp_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"libftp.dev/ftp"
)

func TestVersion(t *testing.T) {
	if v := ftp.Version(); v == "" || strings.Count(v, ".") < 2 {
		t.Fatalf("Version() = %q", v)
	}
}

func TestResultNames(t *testing.T) {
	for r, want := range map[ftp.Result]string{
		ftp.ErrReply: "FTP_ERROR_REPLY", ftp.ErrTemp: "FTP_ERROR_TEMP", ftp.ErrPerm: "FTP_ERROR_PERM",
		ftp.ErrProto: "FTP_ERROR_PROTO", ftp.ErrIO: "FTP_ERROR_IO", ftp.ErrEOF: "FTP_ERROR_EOF",
		ftp.ErrTimeout: "FTP_ERROR_TIMEOUT", ftp.ErrTLS: "FTP_ERROR_TLS",
		ftp.ErrInvalidArgument: "FTP_ERROR_INVALID_ARGUMENT", ftp.ErrState: "FTP_ERROR_STATE",
		ftp.ErrCallback: "FTP_ERROR_CALLBACK", ftp.ErrEncoding: "FTP_ERROR_ENCODING",
		ftp.ErrInternal: "FTP_ERROR_INTERNAL", ftp.ErrCancelled: "FTP_ERROR_CANCELLED",
		ftp.ErrVerify:  "FTP_ERROR_VERIFY",
		ftp.Result(99): "FTP_UNKNOWN_RESULT",
	} {
		if got := r.Name(); got != want {
			t.Errorf("Result(%d).Name() = %q, want %q", int(r), got, want)
		}
		if r.String() != r.Name() || !strings.HasPrefix(r.Error(), "ftp: ") {
			t.Errorf("Result(%d): String %q, Error %q", int(r), r.String(), r.Error())
		}
	}
}

func TestErrorMatching(t *testing.T) {
	cause := errors.New("disk full")
	var err error = &ftp.Error{Op: "RETR x", Code: ftp.ErrPerm, ReplyCode: 550, Reply: "550 No such file.", Message: "the server refused"}
	wrapped := fmt.Errorf("copying: %w", err)
	if !errors.Is(wrapped, ftp.ErrPerm) || errors.Is(wrapped, ftp.ErrTemp) {
		t.Error("errors.Is with Result sentinels")
	}
	if !errors.Is(wrapped, &ftp.Error{ReplyCode: 550}) || errors.Is(wrapped, &ftp.Error{ReplyCode: 530}) ||
		!errors.Is(wrapped, &ftp.Error{Code: ftp.ErrPerm, ReplyCode: 550}) || errors.Is(wrapped, &ftp.Error{}) {
		t.Error("errors.Is with *Error patterns")
	}
	var fe *ftp.Error
	if !errors.As(wrapped, &fe) || fe.ReplyCode != 550 || fe.Code != ftp.ErrPerm {
		t.Fatalf("errors.As: %v", fe)
	}
	if got := err.Error(); got != "ftp: RETR x: the server refused" {
		t.Errorf("Error() = %q", got)
	}
	cb := &ftp.Error{Op: "RETR y", Code: ftp.ErrCallback, Err: cause}
	if !errors.Is(cb, cause) || !errors.Is(cb, ftp.ErrCallback) || cb.Error() != "ftp: RETR y: disk full" {
		t.Errorf("callback error: %v", cb)
	}
	if !(&ftp.Error{Code: ftp.ErrTimeout}).Timeout() || (&ftp.Error{Code: ftp.ErrIO}).Timeout() {
		t.Error("Timeout()")
	}
}

func TestDialRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := ftp.Dial(addr, ftp.WithTimeout(5*time.Second))
	if err == nil {
		c.Close()
		t.Fatal("Dial to a closed port succeeded")
	}
	if !errors.Is(err, ftp.ErrIO) {
		t.Fatalf("Dial: %v (%#v), want ErrIO", err, err)
	}
}

func TestDialTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan struct{})
	defer close(done)
	go func() { // accept, never greet
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { <-done; conn.Close() }()
		}
	}()
	start := time.Now()
	c, err := ftp.Dial(ln.Addr().String(), ftp.WithTimeout(300*time.Millisecond))
	if err == nil {
		c.Close()
		t.Fatal("Dial to a silent server succeeded")
	}
	var fe *ftp.Error
	if !errors.Is(err, ftp.ErrTimeout) || !errors.As(err, &fe) || !fe.Timeout() {
		t.Fatalf("Dial: %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("timeout took %v", d)
	}
}

func TestDialGreetingRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		io.WriteString(conn, "421 Too many users, go away.\r\n")
		conn.Close()
	}()
	_, err = ftp.Dial(ln.Addr().String(), ftp.WithTimeout(5*time.Second))
	var fe *ftp.Error
	if !errors.Is(err, ftp.ErrTemp) || !errors.As(err, &fe) || fe.ReplyCode != 421 ||
		!strings.Contains(fe.Reply, "Too many users") {
		t.Fatalf("Dial: %v, want ErrTemp with 421", err)
	}
}

func TestBadArguments(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:notaport", "127.0.0.1:99999", "", "host\x00name:21"} {
		if c, err := ftp.Dial(addr); err == nil {
			c.Close()
			t.Errorf("Dial(%q) succeeded", addr)
		} else if !errors.Is(err, ftp.ErrInvalidArgument) && !errors.Is(err, ftp.ErrIO) {
			t.Errorf("Dial(%q): %v", addr, err)
		}
	}
	if _, err := ftp.Dial("127.0.0.1:1", ftp.WithEncoding("ebcdic")); !errors.Is(err, ftp.ErrInvalidArgument) {
		t.Errorf("bad encoding: %v", err)
	}
	if _, err := ftp.DialTLS("127.0.0.1:1", &ftp.TLSConfig{MinVersion: 0x0301}); !errors.Is(err, ftp.ErrInvalidArgument) {
		t.Errorf("TLS 1.0: %v", err)
	}
	if _, err := ftp.DialTLS("127.0.0.1:1", &ftp.TLSConfig{CAFile: "/nonexistent/ca.pem"}); !errors.Is(err, ftp.ErrIO) {
		t.Errorf("missing CA file: %v", err)
	}
}

// A nil or zero Conn refuses calls with net.ErrClosed instead of crashing.
func TestNilConn(t *testing.T) {
	var c *ftp.Conn
	if _, err := c.Pwd(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Pwd on a nil Conn: %v", err)
	}
	if _, err := c.RetrReader("x"); !errors.Is(err, net.ErrClosed) {
		t.Errorf("RetrReader on a nil Conn: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close on a nil Conn: %v", err)
	}
	var z ftp.Conn
	if err := z.Noop(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Noop on a zero Conn: %v", err)
	}
}
