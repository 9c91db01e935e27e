package ftp

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"strings"
)

// List lists directory path ("" = the current directory) as parsed
// entries: MLSD when the server advertises MLST, else LIST parsed (Unix
// ls -l and its variants, DOS/IIS, EPLF, VMS, NetWare). Every line of the
// listing gives one entry, in order; a line no parser understands comes as
// an entry of Type EntryUnknown with only Raw and Format set. "." and ".."
// are left out. Names are base names.
func (c *Conn) List(path string) ([]*Entry, error) {
	var out []*Entry
	st := &callState{listed: func(e *Entry) error { out = append(out, e); return nil }}
	op := strings.TrimSpace("list " + path)
	if err := c.withHandle(op, path, true, st, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_list(s, a, h)
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// Stat gives one path's entry: MLST when the server advertises it, else
// what SIZE, MDTM and CWD tell (Format "probe": a file with its size and
// time, or a directory; links are not seen). A missing path gives the
// server's refusal (ErrPerm, usually 550). Entry.Name is the last
// component of path.
func (c *Conn) Stat(path string) (*Entry, error) {
	var out *Entry
	err := c.simple("stat "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		var e *C.ftp_entry
		r := C.ftp_stat(s, a[0], &e)
		if r == C.FTP_OK && e != nil {
			out = entryFromC(e)
		}
		return r
	})
	return out, err
}

func (c *Conn) lines(op, arg string, f func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result) ([]string, error) {
	var out []string
	st := &callState{line: func(l string) error { out = append(out, l); return nil }}
	if err := c.withHandle(op, arg, true, st, f); err != nil {
		return nil, err
	}
	return out, nil
}

// ListLines returns the lines of a LIST of path ("" = the current
// directory) as the server formats them (List parses them).
func (c *Conn) ListLines(path string) ([]string, error) {
	return c.lines(strings.TrimSpace("LIST "+path), path, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_dir(s, a, h)
	})
}

// NameList returns the names of an NLST of path ("" = the current
// directory).
func (c *Conn) NameList(path string) ([]string, error) {
	return c.lines(strings.TrimSpace("NLST "+path), path, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_nlst(s, a, h)
	})
}

// MLSD lists a directory ("" = the current one) with MLSD (RFC 3659),
// giving each entry's facts; Type is the "type" fact as sent. The server's
// "cdir"/"pdir" entries, if it sends them, are included (see Entry.IsDir).
// List is the same without them, on any server.
func (c *Conn) MLSD(path string) ([]Entry, error) {
	var out []Entry
	st := &callState{entry: func(name string, facts map[string]string) error {
		out = append(out, newMLSDEntry(name, facts))
		return nil
	}}
	op := strings.TrimSpace("MLSD " + path)
	if err := c.withHandle(op, path, true, st, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_mlsd(s, a, h)
	}); err != nil {
		return nil, err
	}
	return out, nil
}
