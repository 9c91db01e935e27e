package ftp

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

// Login logs in: USER, then PASS (and an empty ACCT) when the server asks.
// An empty user means "anonymous" (password "anonymous@" when pass is
// empty). The password never appears in debug output. A refused login
// gives an *Error matching ErrPerm, with ReplyCode 530.
func (c *Conn) Login(user, pass string) error {
	op := "login"
	if user != "" {
		op = "login " + user
	}
	return c.simple(op, []string{user, pass}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_login(s, a[0], a[1], nil)
	})
}

// Rename renames a file or directory (RNFR, RNTO).
func (c *Conn) Rename(from, to string) error {
	return c.simple("rename "+from, []string{from, to}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_rename(s, a[0], a[1])
	})
}

// Delete deletes a file (DELE).
func (c *Conn) Delete(path string) error {
	return c.simple("DELE "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_delete(s, a[0])
	})
}

// Mkdir makes a directory (MKD) and returns its path as the server gives
// it in the 257 reply ("" if the server answered another 2xx reply).
func (c *Conn) Mkdir(path string) (string, error) {
	var out string
	err := c.simple("MKD "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		var p *C.char
		r := C.ftp_mkd(s, a[0], &p)
		if r == C.FTP_OK && p != nil {
			out = C.GoString(p)
		}
		return r
	})
	return out, err
}

// Rmdir removes a directory (RMD).
func (c *Conn) Rmdir(path string) error {
	return c.simple("RMD "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_rmd(s, a[0])
	})
}

// Cwd changes the current directory (CWD; ".." tries CDUP first).
func (c *Conn) Cwd(path string) error {
	return c.simple("CWD "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_cwd(s, a[0])
	})
}

// Pwd returns the current directory (PWD).
func (c *Conn) Pwd() (string, error) {
	var out string
	err := c.simple("PWD", nil, func(s *C.ftp_session, _ []*C.char) C.enum_ftp_result {
		var p *C.char
		r := C.ftp_pwd(s, &p)
		if r == C.FTP_OK && p != nil {
			out = C.GoString(p)
		}
		return r
	})
	return out, err
}

// Size returns the size of a file (SIZE). It switches to binary type
// (TYPE I) first, as many servers refuse SIZE in ASCII mode. It returns -1
// (and no error) when the server accepts the command with a reply other
// than 213.
func (c *Conn) Size(path string) (int64, error) {
	var out int64 = -1
	err := c.simple("SIZE "+path, []string{"TYPE I", path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		if r := C.ftp_voidcmd(s, a[0]); r != C.FTP_OK {
			return r
		}
		var n C.int64_t
		r := C.ftp_size(s, a[1], &n)
		if r == C.FTP_OK {
			out = int64(n)
		}
		return r
	})
	return out, err
}

// SendCmd sends a command (CRLF is added; CR, LF and NUL are refused) and
// returns the reply, which must be 1xx-3xx. On an error the reply is
// returned too when the server answered.
func (c *Conn) SendCmd(cmd string) (Reply, error) {
	var rep Reply
	err := c.simple(cmd, []string{cmd}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		r := C.ftp_sendcmd(s, a[0])
		rep = Reply{Code: int(C.ftp_last_code(s)), Message: C.GoString(C.ftp_last_response(s))}
		return r
	})
	return rep, err
}

// Noop sends NOOP, which must get a 2xx reply.
func (c *Conn) Noop() error {
	return c.simple("NOOP", []string{"NOOP"}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_voidcmd(s, a[0])
	})
}

// ProtP protects the data connections of a TLS Conn from now on (PBSZ 0,
// PROT P). Login does it by itself on a TLS Conn; ProtP is needed only
// after ProtC.
func (c *Conn) ProtP() error {
	return c.simple("PROT P", nil, func(s *C.ftp_session, _ []*C.char) C.enum_ftp_result {
		return C.ftp_prot_p(s)
	})
}

// ProtC makes the data connections of a TLS Conn clear text (PROT C).
// Before Login it sends nothing and keeps Login from protecting them.
func (c *Conn) ProtC() error {
	return c.simple("PROT C", nil, func(s *C.ftp_session, _ []*C.char) C.enum_ftp_result {
		return C.ftp_prot_c(s)
	})
}

// CCC turns the control connection of a TLS Conn back to clear text.
func (c *Conn) CCC() error {
	return c.simple("CCC", nil, func(s *C.ftp_session, _ []*C.char) C.enum_ftp_result {
		return C.ftp_ccc(s)
	})
}
