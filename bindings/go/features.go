package ftp

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"time"
)

// HasFeature reports whether the server advertises feature name in its
// FEAT reply (RFC 2389; case-insensitive: "MLST", "UTF8", "MDTM", "HASH",
// "REST" ...) and with which parameters ("" when none, e.g.
// "type*;size*;modify*;" for MLST, "STREAM" for REST). FEAT is sent at
// most once per connection (Login already asks it on UTF-8 sessions). A
// server that refuses FEAT advertises nothing: false, not an error.
func (c *Conn) HasFeature(name string) (has bool, params string, err error) {
	err = c.simple("FEAT "+name, []string{name}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		var h C.bool
		var p *C.char
		r := C.ftp_has_feature(s, a[0], &h, &p)
		if r == C.FTP_OK {
			has, params = bool(h), goStringOrEmpty(p)
		}
		return r
	})
	return has, params, err
}

// CommonFeatures are the features Features asks about when given none.
var CommonFeatures = []string{
	"AUTH", "CCC", "CLNT", "EPSV", "EPRT", "HASH", "HOST", "LANG", "MDTM", "MFCT", "MFF", "MFMT",
	"MLST", "PBSZ", "PROT", "REST", "SITE", "SIZE", "TVFS", "UTF8", "XCRC", "XMD5", "XSHA1", "XSHA256",
}

// Features returns the features among names (CommonFeatures when none are
// given) that the server advertises, each with its parameters ("" when
// none), keyed by the name as given. libftp answers one name at a time
// (ftp_has_feature), so names the server advertises but nobody asks about
// are not in the map.
func (c *Conn) Features(names ...string) (map[string]string, error) {
	if len(names) == 0 {
		names = CommonFeatures
	}
	out := make(map[string]string)
	for _, n := range names {
		has, params, err := c.HasFeature(n)
		if err != nil {
			return nil, err
		}
		if has {
			out[n] = params
		}
	}
	return out, nil
}

// ModTime returns the modification time of path (MDTM), in UTC.
func (c *Conn) ModTime(path string) (time.Time, error) {
	var out time.Time
	err := c.simple("MDTM "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		var t C.int64_t
		r := C.ftp_mdtm(s, a[0], &t)
		if r == C.FTP_OK {
			out = time.Unix(int64(t), 0).UTC()
		}
		return r
	})
	return out, err
}

// SetModTime sets the modification time of path (MFMT, else the SITE
// UTIME forms, else MDTM with a time), to the second.
func (c *Conn) SetModTime(path string, t time.Time) error {
	return c.simple("MFMT "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_set_mtime(s, a[0], C.int64_t(t.Unix()))
	})
}

// Checksum returns the server's checksum of path in lower-case hex: algo
// "SHA-256", "SHA-1", "MD5", "CRC32", or "" for the best the server
// advertises (HASH, else XSHA256/XSHA1/XMD5/XCRC).
func (c *Conn) Checksum(path, algo string) (string, error) {
	var out string
	args := []string{path}
	if algo != "" {
		args = append(args, algo)
	}
	err := c.simple("HASH "+path, args, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		var alg, hex *C.char
		if len(a) > 1 {
			alg = a[1]
		}
		r := C.ftp_checksum(s, a[0], alg, &hex)
		if r == C.FTP_OK {
			out = goStringOrEmpty(hex)
		}
		return r
	})
	return out, err
}

// MakeDirs makes path and its missing parents (mkdir -p); existing
// directories are fine.
func (c *Conn) MakeDirs(path string) error {
	return c.simple("makedirs "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_makedirs(s, a[0])
	})
}

// RemoveAll removes path and, for a directory, everything below it
// (rm -r). "", "/" and paths with a ".." component are refused with
// ErrInvalidArgument, sending nothing. The first refusal stops it; what
// was removed until then stays removed.
func (c *Conn) RemoveAll(path string) error {
	return c.simple("remove "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_remove_tree(s, a[0])
	})
}
