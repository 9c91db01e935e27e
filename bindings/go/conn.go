package ftp

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"context"
	"errors"
	"net"
	"runtime/cgo"
	"strings"
	"unsafe"
)

// Conn is a connection to an FTP or FTPS server (one libftp session).
//
// A Conn is not safe for concurrent use: one call at a time. A call made
// while another call on the same Conn is in progress (from another
// goroutine, from inside a writer, reader or callback function of that
// call, or while a RetrReader/StorWriter is open) does not wait and does
// not touch the session: it fails at once with an *Error whose Code is
// ErrState. Close is the exception: it may come from any goroutine at any
// time and interrupts the running call.
//
// Blocking calls follow the Conn's context (see WithContext): when it is
// done, the call returns within about 100 ms with an error matching
// context.Canceled or context.DeadlineExceeded, and the Conn stays usable.
type Conn struct {
	k   *session
	ctx context.Context // nil: context.Background()
}

// Reply is a server reply.
type Reply struct {
	Code    int    // the 3-digit code
	Message string // the whole reply, lines joined by '\n' (code included)
}

func (r Reply) String() string { return r.Message }

// Version is the version of the libftp library in use, e.g. "0.1.0".
func Version() string { return C.GoString(C.ftp_version()) }

// WithContext returns a shallow copy of c whose calls follow ctx: when ctx
// is done, the running call is cancelled (ftp_session_cancel) and returns
// an *Error with Code ErrCancelled that matches ctx.Err() with errors.Is.
// The copy shares c's connection (and its one-call-at-a-time rule); c
// itself is unchanged. A call started with ctx already done fails at once,
// sending nothing. ctx must not be nil.
//
//	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
//	defer cancel()
//	err := c.WithContext(ctx).Retr("big.iso", f)
func (c *Conn) WithContext(ctx context.Context) *Conn {
	if ctx == nil {
		panic("ftp: nil context")
	}
	return &Conn{k: c.k, ctx: ctx}
}

// Context is the Conn's context (context.Background() unless WithContext).
func (c *Conn) Context() context.Context { return ctxOrBackground(c.ctx) }

// cString copies s to C memory (free it with C.free). A NUL byte, which C
// would silently take for the end, is refused.
func cString(op, s string) (*C.char, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, &Error{Op: op, Code: ErrInvalidArgument, Message: "NUL byte in string argument"}
	}
	return C.CString(s), nil
}

// cStringOrNil is cString, with "" giving NULL.
func cStringOrNil(op, s string) (*C.char, error) {
	if s == "" {
		return nil, nil
	}
	return cString(op, s)
}

func free(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

// splitAddr splits "host:port", "host", "[v6]:port", "[v6]" or "v6"; no
// port gives 0 (libftp's default: 21, or 990 for implicit TLS).
func splitAddr(addr string) (string, uint16, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		if ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")); ip != nil {
			return strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]"), 0, nil
		}
		var ae *net.AddrError
		if errors.As(err, &ae) && strings.Contains(ae.Err, "missing port") && addr != "" {
			return addr, 0, nil
		}
		return "", 0, err
	}
	if host == "" {
		return "", 0, errors.New("missing host in address " + addr)
	}
	if portStr == "" {
		return host, 0, nil
	}
	port, err := net.LookupPort("tcp", portStr)
	if err != nil {
		return "", 0, err
	}
	return host, uint16(port), nil
}

// ctxErr is the error of a call whose context is already done, or nil.
func ctxErr(op string, ctx context.Context) error {
	if ctx != nil && ctx.Err() != nil {
		return &Error{Op: op, Code: ErrCancelled, Message: "the context was done before the call", Err: ctx.Err()}
	}
	return nil
}

// do runs one call: it claims the session, watches the context and Close
// while f runs, turns f's result into an error, releases the session, and
// raises again a panic recovered in a callback of the call.
func (c *Conn) do(op string, st *callState, f func(s *C.ftp_session) C.enum_ftp_result) error {
	if c == nil {
		return errClosed(op)
	}
	k := c.k
	if err := k.acquire(op); err != nil {
		return err
	}
	if err := ctxErr(op, c.ctx); err != nil {
		k.release()
		return err
	}
	w := watch(k.s, c.ctx, k.closing)
	r := f(k.s)
	w.end()
	err := c.errorOf(op, r, st)
	d := k.debug
	k.release()
	d.repanic()
	st.repanic()
	return err
}

// errorOf turns a libftp result into an error (nil for FTP_OK), reading
// the session's last reply and error.
func (c *Conn) errorOf(op string, r C.enum_ftp_result, st *callState) error {
	if r == C.FTP_OK {
		return nil
	}
	var e *Error
	if st != nil && st.snap != nil {
		e = st.snap
	} else {
		e = c.snapshot(op, r)
	}
	if st != nil && st.err != nil {
		e.Err = st.err
	}
	if r == C.FTP_ERROR_CANCELLED {
		if cause := c.k.cancelCause(c.ctx); cause != nil {
			e.Err = cause
		}
	}
	return e
}

// snapshot is the error of result r, read from the session now.
func (c *Conn) snapshot(op string, r C.enum_ftp_result) *Error {
	s := c.k.s
	return &Error{
		Op:        op,
		Code:      Result(r),
		ReplyCode: int(C.ftp_last_code(s)),
		Reply:     C.GoString(C.ftp_last_response(s)),
		Message:   C.GoString(C.ftp_last_error(s)),
	}
}

// simple runs one C call taking the session and some strings.
func (c *Conn) simple(op string, args []string, f func(s *C.ftp_session, a []*C.char) C.enum_ftp_result) error {
	return c.simpleState(op, args, nil, f)
}

// simpleState is simple for a call whose callbacks use st.
func (c *Conn) simpleState(op string, args []string, st *callState,
	f func(s *C.ftp_session, a []*C.char) C.enum_ftp_result) error {
	cs := make([]*C.char, len(args))
	defer func() {
		for _, p := range cs {
			free(p)
		}
	}()
	for i, a := range args {
		var err error
		if cs[i], err = cString(op, a); err != nil {
			return err
		}
	}
	return c.do(op, st, func(s *C.ftp_session) C.enum_ftp_result { return f(s, cs) })
}

// withHandle runs a call whose callbacks use st, passed as a cgo.Handle
// deleted when the call returns.
func (c *Conn) withHandle(op string, arg string, nullIfEmpty bool, st *callState,
	f func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result) error {
	var ca *C.char
	var err error
	if nullIfEmpty {
		ca, err = cStringOrNil(op, arg)
	} else {
		ca, err = cString(op, arg)
	}
	if err != nil {
		return err
	}
	defer free(ca)
	h := cgo.NewHandle(st)
	defer h.Delete()
	return c.do(op, st, func(s *C.ftp_session) C.enum_ftp_result { return f(s, ca, C.uintptr_t(h)) })
}

// Welcome is the server's welcome reply (e.g. "220 (vsFTPd 3.0.3)").
func (c *Conn) Welcome() string {
	if c == nil || c.k == nil {
		return ""
	}
	return c.k.welcome
}

// Close closes the connection without sending anything and releases the
// libftp session. It may be called from any goroutine at any time, also
// while a call runs (even from inside one of its callbacks): that call is
// interrupted and returns within about 100 ms an error matching
// net.ErrClosed, and the session is released as it returns. An open
// RetrReader/StorWriter is closed too. Every later call fails with an
// error matching net.ErrClosed (Code ErrState). Closing again returns nil.
func (c *Conn) Close() error {
	if c == nil || c.k == nil {
		return nil
	}
	k := c.k
	freeNow, open := k.close()
	if open != nil {
		open.closeForConn()
		return nil
	}
	if !freeNow {
		return nil
	}
	r := C.ftp_close(k.s)
	var err error
	if r != C.FTP_OK {
		err = &Error{Op: "close", Code: Result(r), Message: C.GoString(C.ftp_last_error(k.s))}
	}
	k.free()
	return err
}

// Quit sends QUIT, closes the connection and releases the Conn (even when
// the reply is an error, which is returned).
func (c *Conn) Quit() error {
	ran := false
	err := c.do("QUIT", nil, func(s *C.ftp_session) C.enum_ftp_result {
		ran = true
		return C.ftp_quit(s)
	})
	if ran {
		c.Close()
	}
	return err
}
