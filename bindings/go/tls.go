package ftp

/*
#include <stdlib.h>
#include "ftp.h"
*/
import "C"

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"unsafe"
)

// TLS versions for TLSConfig.MinVersion and MaxVersion (the values of
// crypto/tls, which may be used as well).
const (
	VersionTLS12 uint16 = tls.VersionTLS12
	VersionTLS13 uint16 = tls.VersionTLS13
)

// TLSConfig is the FTPS configuration of a connection (libftp's
// ftp_tls_config). The zero value verifies the server's certificate against
// the system roots, checks the host name given to Dial and accepts TLS 1.2
// and later.
//
// Every protected data connection resumes the control connection's TLS
// session, as servers demanding session reuse (vsftpd require_ssl_reuse)
// expect.
type TLSConfig struct {
	// CAFile is a PEM file of CA certificates to trust, in addition to the
	// system roots.
	CAFile string
	// CAPath is a hashed directory of CA certificates (see `openssl rehash`).
	CAPath string
	// InsecureSkipVerify turns off the verification of the server's
	// certificate chain, and with it the host name check. Only for tests.
	InsecureSkipVerify bool
	// SkipHostnameCheck accepts a valid certificate issued for another name.
	SkipHostnameCheck bool
	// CAPEM holds PEM CA certificates to trust (in memory), in addition
	// to the system roots and CAFile/CAPath.
	CAPEM []byte
	// RootCAs are CA certificates to trust, in addition to the others.
	// (An *x509.CertPool cannot be read back in Go 1.19: give the
	// certificates, e.g. from x509.ParseCertificates, or CAPEM.)
	RootCAs []*x509.Certificate
	// ClientCert and ClientKey are PEM files of a client certificate chain
	// and its private key, presented when both are set.
	ClientCert string
	ClientKey  string
	// ClientCertPEM and ClientKeyPEM are the same in memory.
	ClientCertPEM []byte
	ClientKeyPEM  []byte
	// Certificate is a client certificate chain and key as crypto/tls
	// holds them (tls.X509KeyPair, tls.LoadX509KeyPair): its key must be
	// an RSA, ECDSA or Ed25519 private key. Set at most one of
	// Certificate, ClientCertPEM/ClientKeyPEM and ClientCert/ClientKey.
	Certificate *tls.Certificate
	// MinVersion and MaxVersion bound the TLS version: VersionTLS12 or
	// VersionTLS13; 0 means the default (TLS 1.2 / the highest available).
	MinVersion uint16
	MaxVersion uint16
	// Implicit selects implicit FTPS (TLS from the first byte, port 990 by
	// default) for DialTLS and WithTLS.
	Implicit bool
}

func (c *TLSConfig) clone() *TLSConfig {
	if c == nil {
		return &TLSConfig{}
	}
	cp := *c
	cp.CAPEM = append([]byte(nil), c.CAPEM...)
	cp.RootCAs = append([]*x509.Certificate(nil), c.RootCAs...)
	cp.ClientCertPEM = append([]byte(nil), c.ClientCertPEM...)
	cp.ClientKeyPEM = append([]byte(nil), c.ClientKeyPEM...)
	return &cp
}

func tlsVersion(field string, v uint16) (C.ftp_tls_version, error) {
	switch v {
	case VersionTLS12:
		return C.FTP_TLS_1_2, nil
	case VersionTLS13:
		return C.FTP_TLS_1_3, nil
	}
	return 0, &Error{Op: "tls config", Code: ErrInvalidArgument,
		Message: fmt.Sprintf("%s 0x%04x is not supported (use VersionTLS12 or VersionTLS13)", field, v)}
}

// newCConfig builds a C ftp_tls_config; the caller frees it with
// C.ftp_tls_config_free once the session (which copies it) is made.
func (c *TLSConfig) newCConfig() (*C.ftp_tls_config, error) {
	cfg := C.ftp_tls_config_new()
	if cfg == nil {
		return nil, &Error{Op: "tls config", Code: ErrInternal, Message: "out of memory"}
	}
	ok := false
	defer func() {
		if !ok {
			C.ftp_tls_config_free(cfg)
		}
	}()
	set := func(what string, r C.enum_ftp_result) error {
		if r == C.FTP_OK {
			return nil
		}
		if reason := C.GoString(C.ftp_tls_config_last_error(cfg)); reason != "" {
			what += ": " + reason
		}
		return &Error{Op: "tls config", Code: Result(r), Message: what}
	}
	withString := func(what, s string, f func(*C.char) C.enum_ftp_result) error {
		cs, err := cString("tls config", s)
		if err != nil {
			return err
		}
		defer C.free(unsafe.Pointer(cs))
		return set(what, f(cs))
	}
	if c.CAFile != "" {
		if err := withString("cannot use CA file "+c.CAFile, c.CAFile, func(p *C.char) C.enum_ftp_result {
			return C.ftp_tls_config_set_ca_file(cfg, p)
		}); err != nil {
			return nil, err
		}
	}
	if c.CAPath != "" {
		if err := withString("cannot use CA directory "+c.CAPath, c.CAPath, func(p *C.char) C.enum_ftp_result {
			return C.ftp_tls_config_set_ca_path(cfg, p)
		}); err != nil {
			return nil, err
		}
	}
	if c.InsecureSkipVerify {
		if err := set("cannot turn off verification", C.ftp_tls_config_set_verify_peer(cfg, false)); err != nil {
			return nil, err
		}
	}
	if c.SkipHostnameCheck {
		if err := set("cannot turn off the host name check", C.ftp_tls_config_set_check_hostname(cfg, false)); err != nil {
			return nil, err
		}
	}
	if err := c.setInMemory(cfg, set); err != nil {
		return nil, err
	}
	if c.ClientCert != "" || c.ClientKey != "" {
		if c.ClientCert == "" || c.ClientKey == "" {
			return nil, &Error{Op: "tls config", Code: ErrInvalidArgument,
				Message: "ClientCert and ClientKey must be set together"}
		}
		cert, err := cString("tls config", c.ClientCert)
		if err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(cert))
		key, err := cString("tls config", c.ClientKey)
		if err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(key))
		if err := set("cannot use client certificate "+c.ClientCert,
			C.ftp_tls_config_set_client_cert(cfg, cert, key)); err != nil {
			return nil, err
		}
	}
	if c.MinVersion != 0 {
		v, err := tlsVersion("MinVersion", c.MinVersion)
		if err != nil {
			return nil, err
		}
		if err := set("cannot set the minimum TLS version", C.ftp_tls_config_set_min_version(cfg, v)); err != nil {
			return nil, err
		}
	}
	if c.MaxVersion != 0 {
		v, err := tlsVersion("MaxVersion", c.MaxVersion)
		if err != nil {
			return nil, err
		}
		if err := set("cannot set the maximum TLS version", C.ftp_tls_config_set_max_version(cfg, v)); err != nil {
			return nil, err
		}
	}
	ok = true
	return cfg, nil
}
