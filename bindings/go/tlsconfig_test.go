package ftp_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"libftp.dev/ftp"
)

// A TLS config the library refuses carries its reason
// (ftp_tls_config_last_error) in the error message.
func TestTLSConfigErrorsCarryTheReason(t *testing.T) {
	junk := filepath.Join(t.TempDir(), "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ftp.DialTLS("127.0.0.1:1", &ftp.TLSConfig{CAFile: junk})
	var fe *ftp.Error
	if !errors.Is(err, ftp.ErrTLS) || !errors.As(err, &fe) {
		t.Fatalf("non-PEM CA file: %v", err)
	}
	if !strings.Contains(fe.Message, "loading CA file "+junk) {
		t.Errorf("message without the reason: %q", fe.Message)
	}
	missing := filepath.Join(t.TempDir(), "missing.pem")
	_, err = ftp.DialTLS("127.0.0.1:1", &ftp.TLSConfig{CAFile: missing})
	if !errors.Is(err, ftp.ErrIO) || !errors.As(err, &fe) || !strings.Contains(fe.Message, "No such file") {
		t.Errorf("missing CA file: %v", err)
	}
}
