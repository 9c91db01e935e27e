package ftp

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"context"
	"runtime/cgo"
)

// Dial connects to the FTP server at addr ("host:port"; without a port, 21,
// or 990 for implicit FTPS) and reads its welcome. With WithTLS (or
// DialTLS) the control connection is secured before Dial returns. Then call
// Login. WithContext(ctx) among opts bounds the dial (as DialContext).
func Dial(addr string, opts ...Option) (*Conn, error) {
	cfg := newDialConfig(opts)
	op := "dial " + addr
	host, port, err := splitAddr(addr)
	if err != nil {
		return nil, &Error{Op: op, Code: ErrInvalidArgument, Message: err.Error()}
	}
	chost, err := cString(op, host)
	if err != nil {
		return nil, err
	}
	defer free(chost)
	var ccfg *C.ftp_tls_config
	if cfg.useTLS {
		if ccfg, err = cfg.tls.newCConfig(); err != nil {
			return nil, err
		}
		defer C.ftp_tls_config_free(ccfg) // the session keeps a copy
	}
	return dial(op, &cfg, ccfg, func(s *C.ftp_session) C.enum_ftp_result {
		r := C.ftp_connect(s, chost, C.uint16_t(port))
		if r == C.FTP_OK && cfg.useTLS && !cfg.implicit {
			r = C.ftp_auth(s)
		}
		return r
	})
}

// DialContext is Dial bounded by ctx: when ctx is done before the
// connection (and, for FTPS, the TLS handshake) is up, Dial stops within
// about 100 ms and returns an error matching ctx.Err() with errors.Is (name
// resolution is the one step that cannot be cut short). Once connected,
// the expiry of ctx does not affect the Conn: use Conn.WithContext for
// its calls.
func DialContext(ctx context.Context, addr string, opts ...Option) (*Conn, error) {
	return Dial(addr, append(opts[:len(opts):len(opts)], WithContext(ctx))...)
}

// DialTLS connects to an FTPS server: Dial with WithTLS(cfg). cfg nil means
// the defaults (system roots, host name check); cfg.Implicit selects
// implicit FTPS. Login then protects the data connections too (PBSZ 0 +
// PROT P), unless ProtC was called before it.
func DialTLS(addr string, cfg *TLSConfig, opts ...Option) (*Conn, error) {
	return Dial(addr, append([]Option{WithTLS(cfg)}, opts...)...)
}

// dial makes a session (a TLS one when tls is not nil), applies cfg's
// settings and runs connect on it, all under cfg's context.
func dial(op string, cfg *dialConfig, tls *C.ftp_tls_config,
	connect func(s *C.ftp_session) C.enum_ftp_result) (*Conn, error) {
	if err := ctxErr(op, cfg.ctx); err != nil {
		return nil, err
	}
	st, err := newSettings(op, cfg)
	if err != nil {
		return nil, err
	}
	defer st.free()
	var s *C.ftp_session
	if tls != nil {
		s = C.ftp_session_new_tls(tls)
	} else {
		s = C.ftp_session_new()
	}
	if s == nil {
		return nil, &Error{Op: op, Code: ErrInternal, Message: "out of memory"}
	}
	k := newSession(s)
	c := &Conn{k: k, ctx: cfg.ctx}
	err = c.do(op, nil, func(s *C.ftp_session) C.enum_ftp_result {
		if r := st.apply(k, s); r != C.FTP_OK {
			return r
		}
		r := connect(s)
		if w := C.ftp_getwelcome(s); w != nil {
			k.welcome = C.GoString(w)
		}
		return r
	})
	if err != nil {
		k.free()
		return nil, err
	}
	return &Conn{k: k}, nil
}

// settings are a dialConfig's session settings, their strings already in C.
type settings struct {
	cfg        *dialConfig
	sourceHost *C.char
	sourcePort uint16
	encoding   *C.char
}

func newSettings(op string, cfg *dialConfig) (*settings, error) {
	st := &settings{cfg: cfg}
	var err error
	if cfg.sourceAddr != "" {
		var host string
		host, st.sourcePort, err = splitAddr(cfg.sourceAddr)
		if err != nil {
			return nil, &Error{Op: op, Code: ErrInvalidArgument, Message: "source address: " + err.Error()}
		}
		if st.sourceHost, err = cString(op, host); err != nil {
			return nil, err
		}
	}
	if st.encoding, err = cStringOrNil(op, cfg.encoding); err != nil {
		st.free()
		return nil, err
	}
	return st, nil
}

func (st *settings) free() {
	free(st.sourceHost)
	free(st.encoding)
}

// apply sets up s; the first failure's result is returned.
func (st *settings) apply(k *session, s *C.ftp_session) C.enum_ftp_result {
	cfg := st.cfg
	steps := []func() C.enum_ftp_result{
		func() C.enum_ftp_result {
			if cfg.timeout <= 0 {
				return C.FTP_OK
			}
			ms := cfg.timeout.Milliseconds()
			if ms == 0 {
				ms = 1
			}
			return C.ftp_set_timeout_ms(s, C.uint64_t(ms))
		},
		func() C.enum_ftp_result {
			if st.sourceHost == nil {
				return C.FTP_OK
			}
			return C.ftp_set_source_address(s, st.sourceHost, C.uint16_t(st.sourcePort))
		},
		func() C.enum_ftp_result {
			if st.encoding == nil {
				return C.FTP_OK
			}
			return C.ftp_set_encoding(s, st.encoding)
		},
		func() C.enum_ftp_result { return C.ftp_set_pasv(s, C.bool(cfg.passive)) },
		func() C.enum_ftp_result {
			if !cfg.trustPASV {
				return C.FTP_OK
			}
			return C.ftp_set_trust_server_pasv_ipv4_address(s, true)
		},
		func() C.enum_ftp_result {
			if cfg.debug == nil {
				return C.FTP_OK
			}
			k.debug = &debugSink{w: cfg.debug}
			k.debugH = cgo.NewHandle(k.debug)
			return C.ftpgo_set_debug(s, C.uintptr_t(k.debugH))
		},
		func() C.enum_ftp_result {
			level := cfg.debugLevel
			if !cfg.debugLevelOK && cfg.debug != nil {
				level = 1
			}
			if level == 0 {
				return C.FTP_OK
			}
			return C.ftp_set_debuglevel(s, C.int(level))
		},
		func() C.enum_ftp_result {
			if !cfg.implicit {
				return C.FTP_OK
			}
			return C.ftp_set_implicit_tls(s, true)
		},
	}
	for _, step := range steps {
		if r := step(); r != C.FTP_OK {
			return r
		}
	}
	for _, preset := range cfg.presets {
		if r := preset(s); r != C.FTP_OK {
			return r
		}
	}
	return C.FTP_OK
}
