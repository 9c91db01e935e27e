package ftp

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"io"
)

// checkOffset refuses a negative REST offset.
func checkOffset(op string, offset int64) error {
	if offset < 0 {
		return &Error{Op: op, Code: ErrInvalidArgument, Message: "negative offset"}
	}
	return nil
}

// transferBlock is the block size of Retr and Stor.
const transferBlock = 64 << 10

// Retr downloads a file in binary mode (TYPE I, RETR path) to w. An error
// from w stops the transfer (the data connection is reset and the final
// reply read, so the Conn stays usable) and is returned wrapped: errors.Is
// finds it, and the *Error has Code ErrCallback.
func (c *Conn) Retr(path string, w io.Writer) error {
	return c.retr("RETR "+path, -1, w)
}

// RetrFrom is Retr starting at byte offset (REST offset, then RETR).
func (c *Conn) RetrFrom(path string, offset int64, w io.Writer) error {
	if err := checkOffset("RETR "+path, offset); err != nil {
		return err
	}
	return c.retr("RETR "+path, offset, w)
}

func (c *Conn) retr(cmd string, rest int64, w io.Writer) error {
	if w == nil {
		return &Error{Op: cmd, Code: ErrInvalidArgument, Message: "nil writer"}
	}
	st := &callState{w: w}
	return c.withHandle(cmd, cmd, false, st, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_retrbinary(s, a, h, transferBlock, C.int64_t(rest))
	})
}

// Stor uploads r's data in binary mode (TYPE I, STOR path) until r
// returns io.EOF. Another error from r stops the upload and is returned
// wrapped (Code ErrCallback); the server keeps what it received, which may
// need deleting.
func (c *Conn) Stor(path string, r io.Reader) error {
	return c.stor("STOR "+path, -1, r)
}

// StorFrom is Stor resuming at byte offset (REST offset, then STOR): r
// supplies the data from that offset on.
func (c *Conn) StorFrom(path string, offset int64, r io.Reader) error {
	if err := checkOffset("STOR "+path, offset); err != nil {
		return err
	}
	return c.stor("STOR "+path, offset, r)
}

// Append is Stor with APPE: the data is added at the end of the file.
func (c *Conn) Append(path string, r io.Reader) error {
	return c.stor("APPE "+path, -1, r)
}

func (c *Conn) stor(cmd string, rest int64, r io.Reader) error {
	if r == nil {
		return &Error{Op: cmd, Code: ErrInvalidArgument, Message: "nil reader"}
	}
	st := &callState{r: r}
	return c.withHandle(cmd, cmd, false, st, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_storbinary(s, a, h, transferBlock, C.int64_t(rest))
	})
}

// RetrLines runs cmd (e.g. "RETR notes.txt", "LIST -a") in ASCII mode
// (TYPE A) and calls fn for each line of the data, without its line end.
// An error from fn stops the transfer and is returned wrapped.
func (c *Conn) RetrLines(cmd string, fn func(line string) error) error {
	if fn == nil {
		return &Error{Op: cmd, Code: ErrInvalidArgument, Message: "nil line function"}
	}
	st := &callState{line: fn}
	return c.withHandle(cmd, cmd, false, st, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_retrlines(s, a, h)
	})
}
