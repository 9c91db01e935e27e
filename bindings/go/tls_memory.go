package ftp

/*
#include <stdlib.h>
#include "ftp.h"
*/
import "C"

import (
	"crypto/x509"
	"encoding/pem"
	"unsafe"
)

// setInMemory hands the in-memory certificates and keys of c to cfg
// (ftp_tls_config_add_ca_pem, ftp_tls_config_set_client_cert_pem). The
// PEM copies made here are in C memory only for the call, and the key
// copies are wiped afterwards.
func (c *TLSConfig) setInMemory(cfg *C.ftp_tls_config, set func(string, C.enum_ftp_result) error) error {
	cas := append([]byte(nil), c.CAPEM...)
	for _, cert := range c.RootCAs {
		if cert != nil {
			cas = append(cas, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})...)
		}
	}
	if len(cas) > 0 {
		if err := withCBytes(cas, func(p *C.uint8_t, n C.size_t) error {
			return set("cannot use the CA certificates in memory", C.ftp_tls_config_add_ca_pem(cfg, p, n))
		}); err != nil {
			return err
		}
	}
	cert, key, err := c.clientPEM()
	if err != nil || cert == nil {
		return err
	}
	defer wipe(key)
	return withCBytes(cert, func(pc *C.uint8_t, nc C.size_t) error {
		return withCBytes(key, func(pk *C.uint8_t, nk C.size_t) error {
			return set("cannot use the client certificate in memory",
				C.ftp_tls_config_set_client_cert_pem(cfg, pc, nc, pk, nk))
		})
	})
}

// clientPEM is the in-memory client certificate chain and key as PEM
// (nil, nil when none is set).
func (c *TLSConfig) clientPEM() (cert, key []byte, err error) {
	bad := func(msg string) error { return &Error{Op: "tls config", Code: ErrInvalidArgument, Message: msg} }
	files := c.ClientCert != "" || c.ClientKey != ""
	mem := len(c.ClientCertPEM) > 0 || len(c.ClientKeyPEM) > 0
	if (files && mem) || (c.Certificate != nil && (files || mem)) {
		return nil, nil, bad("set only one of Certificate, ClientCertPEM/ClientKeyPEM and ClientCert/ClientKey")
	}
	if mem {
		if len(c.ClientCertPEM) == 0 || len(c.ClientKeyPEM) == 0 {
			return nil, nil, bad("ClientCertPEM and ClientKeyPEM must be set together")
		}
		return c.ClientCertPEM, append([]byte(nil), c.ClientKeyPEM...), nil
	}
	if c.Certificate == nil {
		return nil, nil, nil
	}
	if len(c.Certificate.Certificate) == 0 || c.Certificate.PrivateKey == nil {
		return nil, nil, bad("Certificate needs a certificate chain and a private key")
	}
	for _, der := range c.Certificate.Certificate {
		cert = append(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	der, err := x509.MarshalPKCS8PrivateKey(c.Certificate.PrivateKey)
	if err != nil {
		return nil, nil, bad("Certificate's private key: " + err.Error())
	}
	defer wipe(der)
	return cert, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// withCBytes copies b to C memory for the length of f, then wipes and
// frees the copy.
func withCBytes(b []byte, f func(*C.uint8_t, C.size_t) error) error {
	p := C.CBytes(b)
	defer func() {
		wipe(unsafe.Slice((*byte)(p), len(b)))
		C.free(p)
	}()
	return f((*C.uint8_t)(p), C.size_t(len(b)))
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
