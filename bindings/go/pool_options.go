package ftp

// The Options a Pool takes (NewPool): WithTimeout, WithProxy, WithNetrc,
// over ftp_pool_set_timeout_ms, ftp_pool_set_proxy, ftp_pool_set_netrc.

/*
#include "ftp.h"
*/
import "C"

import "time"

// poolOnly refuses the options that mean nothing for a pool: every option
// but WithTimeout, WithProxy and WithNetrc (each of which adds a pool
// setting along with its session setting).
func (c *dialConfig) poolOnly(op string) error {
	if !c.passive || c.trustPASV || c.encoding != "" || c.debug != nil || c.debugLevelOK ||
		c.sourceAddr != "" || c.useTLS || c.ctx != nil || len(c.presets) != len(c.poolPresets) {
		return &Error{Op: op, Code: ErrInvalidArgument,
			Message: "a pool takes only the WithTimeout, WithProxy and WithNetrc options (TLS: NewPool's tls; context: Pool.WithContext)"}
	}
	return nil
}

// applyToPool sets the pool's timeout (when WithTimeout was given), proxy
// and netrc; ftp_pool_last_error is read on the calling thread, which the
// caller has locked.
func (c *dialConfig) applyToPool(op string, p *C.ftp_pool) error {
	if c.timeoutSet {
		if r := C.ftp_pool_set_timeout_ms(p, C.uint64_t(durationMS(c.timeout))); r != C.FTP_OK {
			return &Error{Op: op, Code: Result(r), Message: C.GoString(C.ftp_pool_last_error(p))}
		}
	}
	for _, set := range c.poolPresets {
		if r := set(p); r != C.FTP_OK {
			return &Error{Op: op, Code: Result(r), Message: C.GoString(C.ftp_pool_last_error(p))}
		}
	}
	return nil
}

// durationMS is d in whole milliseconds, at least 1 for a positive d
// (0 means no limit to libftp), 0 for a negative one.
func durationMS(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	if ms := d.Milliseconds(); ms > 0 {
		return ms
	}
	return 1
}
