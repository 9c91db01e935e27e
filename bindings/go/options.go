package ftp

// #include "ftp.h"
import "C"

import (
	"context"
	"io"
	"strings"
	"time"
)

// An Option changes how Dial sets up a connection.
type Option func(*dialConfig)

type dialConfig struct {
	timeout      time.Duration
	timeoutSet   bool
	passive      bool
	trustPASV    bool
	encoding     string
	debug        io.Writer
	debugLevel   int
	debugLevelOK bool
	sourceAddr   string
	tls          *TLSConfig
	useTLS       bool
	implicit     bool
	ctx          context.Context
	// presets are further session settings (options of other files),
	// applied in order before connecting.
	presets []func(s *C.ftp_session) C.enum_ftp_result
	// poolPresets are the same settings for a pool (NewPool), one per
	// preset of the options a pool takes.
	poolPresets []func(p *C.ftp_pool) C.enum_ftp_result
}

func newDialConfig(opts []Option) dialConfig {
	cfg := dialConfig{passive: true}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return cfg
}

// WithContext bounds the dial with ctx (see DialContext). It does not
// outlive the dial: the Conn's calls use Conn.WithContext.
func WithContext(ctx context.Context) Option {
	return func(c *dialConfig) { c.ctx = ctx }
}

// WithTimeout bounds the TCP connect, every wait for a reply, the data
// connection set-up and each read or write of a data connection (an idle
// timeout: a slow but steady transfer goes on). 0, the default, waits
// without limit. When it expires the error matches ErrTimeout.
func WithTimeout(d time.Duration) Option {
	return func(c *dialConfig) { c.timeout, c.timeoutSet = d, true }
}

// WithActive makes data connections active (PORT/EPRT: the server connects
// to this client).
func WithActive() Option {
	return func(c *dialConfig) { c.passive = false }
}

// WithPassive makes data connections passive (EPSV, then PASV; the default).
func WithPassive() Option {
	return func(c *dialConfig) { c.passive = true }
}

// WithTrustServerPASVAddress makes passive data connections go to the
// address of the server's 227 reply instead of the control connection's
// peer (the default, which a hostile server cannot misuse: CVE-2021-4189).
func WithTrustServerPASVAddress(trust bool) Option {
	return func(c *dialConfig) { c.trustPASV = trust }
}

// WithEncoding sets the encoding of commands, replies and text listings on
// the wire: "utf-8" (the default) or "latin-1" ("latin1", "iso-8859-1").
// Go strings stay UTF-8 either way: libftp transcodes.
func WithEncoding(name string) Option {
	return func(c *dialConfig) { c.encoding = name }
}

// WithDebug writes libftp's debug lines (commands as "*cmd* ...", with the
// password masked, and replies as "*resp* ...") to w, one per line, at
// debug level 1 unless WithDebugLevel says otherwise. Writes happen during
// the Conn's calls, on the calling goroutine; their errors are ignored.
func WithDebug(w io.Writer) Option {
	return func(c *dialConfig) { c.debug = w }
}

// WithDebugLevel sets the debug level as in Python's ftplib: 0 none, 1
// commands and replies, 2 also every raw line, 3 also each line of text
// transfers. Without WithDebug the lines go to standard error.
func WithDebugLevel(level int) Option {
	return func(c *dialConfig) { c.debugLevel = level; c.debugLevelOK = true }
}

// WithSourceAddress connects from this local address: "host" or
// "host:port" (port 0 or none: any). Data connections use the same local IP.
func WithSourceAddress(addr string) Option {
	return func(c *dialConfig) { c.sourceAddr = addr }
}

// WithTLS makes the connection FTPS: explicit (AUTH TLS right after the
// server's welcome, before Dial returns) unless cfg.Implicit is set. A nil
// cfg means the defaults: verify the server against the system roots and
// check its host name. The configuration is copied.
func WithTLS(cfg *TLSConfig) Option {
	return func(c *dialConfig) {
		c.useTLS = true
		c.tls = cfg.clone()
		c.implicit = c.tls.Implicit
	}
}

// WithImplicitTLS makes the connection implicit FTPS: TLS from the first
// byte (the port defaults to 990). cfg as for WithTLS; its Implicit field
// is ignored.
//
// Deprecated: set TLSConfig.Implicit and use WithTLS (or DialTLS), the one
// way to ask for implicit FTPS (DialURL: the ftps:// scheme).
func WithImplicitTLS(cfg *TLSConfig) Option {
	return func(c *dialConfig) {
		c.useTLS = true
		c.tls = cfg.clone()
		c.implicit = true
	}
}

// withCString is a session setting taking a string ("" gives NULL), and
// the same pool setting when poolF is not nil.
func withCString(v string, f func(s *C.ftp_session, v *C.char) C.enum_ftp_result,
	poolF func(p *C.ftp_pool, v *C.char) C.enum_ftp_result) Option {
	call := func(set func(cv *C.char) C.enum_ftp_result) C.enum_ftp_result {
		if strings.IndexByte(v, 0) >= 0 {
			return C.FTP_ERROR_INVALID_ARGUMENT
		}
		var cv *C.char
		if v != "" {
			cv = C.CString(v)
			defer free(cv)
		}
		return set(cv)
	}
	return func(c *dialConfig) {
		c.presets = append(c.presets, func(s *C.ftp_session) C.enum_ftp_result {
			return call(func(cv *C.char) C.enum_ftp_result { return f(s, cv) })
		})
		if poolF != nil {
			c.poolPresets = append(c.poolPresets, func(p *C.ftp_pool) C.enum_ftp_result {
				return call(func(cv *C.char) C.enum_ftp_result { return poolF(p, cv) })
			})
		}
	}
}
