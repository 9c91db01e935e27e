package ftp

// DialURL, netrc and the connect timeout, over ftp_connect_url,
// ftp_set_netrc and ftp_set_connect_timeout_ms (issue 11).

/*
#include <stdlib.h>
#include "ftp.h"
*/
import "C"

import (
	"time"
)

// DialURL connects, secures, logs in and changes directory as url says:
// "ftp://[user[:password]@]host[:port][/path]" (plain), "ftpes://..."
// (explicit FTPS: AUTH TLS, port 21) or "ftps://..." (implicit FTPS, port
// 990), percent-escapes decoded, IPv6 literals in brackets. Without a
// password in the URL the netrc file is asked when WithNetrc was given,
// else the login is the URL's user (or anonymous). All the addresses of
// the host are tried (Happy Eyeballs). FTPS logins also protect the data
// connections (PBSZ 0 + PROT P). The path follows RFC 1738: one CWD per
// directory segment; a path ending in "/" is a directory, entered whole,
// while the last segment of any other path names a file and is not
// entered ("ftp://h/pub/" enters pub, "ftp://h/pub/f.txt" too).
//
// Options as for Dial: WithTLS(cfg) gives the TLS settings of ftps and
// ftpes URLs (nil or absent: system roots and host name check); the
// scheme alone says whether TLS is implicit, so a cfg with Implicit set is
// refused (ErrInvalidArgument). WithContext bounds the whole dial.
func DialURL(url string, opts ...Option) (*Conn, error) {
	cfg := newDialConfig(opts)
	op := "dial " + redactURL(url)
	if cfg.implicit {
		return nil, &Error{Op: op, Code: ErrInvalidArgument,
			Message: "DialURL: the scheme says how to use TLS (ftps:// is implicit FTPS); do not set TLSConfig.Implicit"}
	}
	curl, err := cString(op, url)
	if err != nil {
		return nil, err
	}
	defer free(curl)
	var ccfg *C.ftp_tls_config
	if cfg.useTLS {
		if ccfg, err = cfg.tls.newCConfig(); err != nil {
			return nil, err
		}
		defer C.ftp_tls_config_free(ccfg)
	}
	return dial(op, &cfg, nil, func(s *C.ftp_session) C.enum_ftp_result {
		return C.ftp_connect_url(s, curl, ccfg)
	})
}

// WithNetrc names the netrc file that gives the credentials of a DialURL
// without a password ("" = $NETRC, else ~/.netrc; a missing default file
// means no entries, a missing named one fails the login with ErrIO), with
// Python's netrc rules (machine, default, login, account, password;
// macdef skipped). A file holding a password must be the caller's and
// closed to others (chmod 600), else the login fails (ErrInvalidArgument).
// NewPool takes it too, for a pool URL without a password: each session
// logs in with the file's entry.
func WithNetrc(path string) Option {
	return withCString(path,
		func(s *C.ftp_session, v *C.char) C.enum_ftp_result { return C.ftp_set_netrc(s, v) },
		func(p *C.ftp_pool, v *C.char) C.enum_ftp_result { return C.ftp_pool_set_netrc(p, v) })
}

// WithConnectTimeout bounds each TCP connect (0: the WithTimeout value).
func WithConnectTimeout(d time.Duration) Option {
	return func(c *dialConfig) {
		c.presets = append(c.presets, func(s *C.ftp_session) C.enum_ftp_result {
			ms := d.Milliseconds()
			if d > 0 && ms == 0 {
				ms = 1
			}
			return C.ftp_set_connect_timeout_ms(s, C.uint64_t(ms))
		})
	}
}
