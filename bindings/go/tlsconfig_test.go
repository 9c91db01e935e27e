package ftp_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// selfSignedClient makes a client certificate and key in memory.
func selfSignedClient(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "go client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestTLSConfigInMemory(t *testing.T) {
	srv := needServer(t, "PYFTPDS")
	caPEM, err := os.ReadFile(srv.cafile)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(caPEM)
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	client := selfSignedClient(t)
	keyDER, err := x509.MarshalPKCS8PrivateKey(client.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: client.Certificate[0]})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	for name, cfg := range map[string]*ftp.TLSConfig{
		"RootCAs":           {RootCAs: []*x509.Certificate{ca}},
		"CAPEM+Certificate": {CAPEM: caPEM, Certificate: &client},
		"CAPEM+client PEM":  {CAPEM: caPEM, ClientCertPEM: certPEM, ClientKeyPEM: keyPEM},
	} {
		c, err := ftp.DialTLS(srv.addr, cfg, ftp.WithTimeout(testTimeout))
		if err != nil {
			t.Fatalf("%s: DialTLS: %v", name, err)
		}
		if err := c.Login(srv.user, srv.pass); err != nil {
			t.Fatalf("%s: Login: %v", name, err)
		}
		wantHello(t, c, "hello.txt")
		c.Close()
	}
}

func TestTLSConfigInMemoryErrors(t *testing.T) {
	client := selfSignedClient(t)
	for name, tc := range map[string]struct {
		cfg  *ftp.TLSConfig
		want ftp.Result
	}{
		"garbage CA PEM":        {&ftp.TLSConfig{CAPEM: []byte("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")}, ftp.ErrTLS},
		"cert without key":      {&ftp.TLSConfig{ClientCertPEM: []byte("x")}, ftp.ErrInvalidArgument},
		"two client certs":      {&ftp.TLSConfig{Certificate: &client, ClientCert: "a.pem", ClientKey: "a.key"}, ftp.ErrInvalidArgument},
		"key of the wrong type": {&ftp.TLSConfig{Certificate: &tls.Certificate{Certificate: client.Certificate, PrivateKey: "nope"}}, ftp.ErrInvalidArgument},
		"key not matching":      {&ftp.TLSConfig{Certificate: &tls.Certificate{Certificate: client.Certificate, PrivateKey: selfSignedClient(t).PrivateKey}}, ftp.ErrTLS},
	} {
		c, err := ftp.DialTLS("127.0.0.1:1", tc.cfg)
		if err == nil {
			c.Close()
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %s", name, err, tc.want.Name())
		}
	}
}
