package ftp

/*
#include "ftp.h"
*/
import "C"

import (
	"context"
	"net"
	"runtime"
	"runtime/cgo"
	"sync"
	"sync/atomic"
)

// liveHandles counts the native handles (sessions, open transfers, pools)
// this package holds: each *_new adds one, each free takes it back. Tests
// read it to prove nothing leaks without relying on finalizers.
var liveHandles atomic.Int64

// session is one libftp session and what guards it. A Conn and the copies
// WithContext makes of it share one session.
type session struct {
	mu      sync.Mutex
	s       *C.ftp_session
	busy    bool          // a call (or an open stream) holds the session
	closed  bool          // Close was called: no new call; freed once idle
	closing chan struct{} // closed by Close: running calls are cancelled
	stream  *stream       // the open RetrReader/StorWriter, if any
	debug   *debugSink
	debugH  cgo.Handle
	welcome string
}

func newSession(s *C.ftp_session) *session {
	liveHandles.Add(1)
	k := &session{s: s, closing: make(chan struct{})}
	runtime.SetFinalizer(k, (*session).free)
	return k
}

// errBusy and errClosed are the errors of a Conn that cannot take a call.
func errBusy(op string) error {
	return &Error{Op: op, Code: ErrState,
		Message: "another call on this Conn is in progress (concurrent use, an open RetrReader/StorWriter, or a call from inside a callback)"}
}

func errClosed(op string) error {
	return &Error{Op: op, Code: ErrState, Message: "use of closed connection", Err: net.ErrClosed}
}

// acquire claims the session for one call; release must follow.
func (k *session) acquire(op string) error {
	if k == nil {
		return errClosed(op)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed || k.s == nil {
		return errClosed(op)
	}
	if k.busy {
		return errBusy(op)
	}
	k.busy = true
	return nil
}

// release ends a call; if Close came meanwhile, the session is freed now.
func (k *session) release() {
	k.mu.Lock()
	k.busy = false
	k.stream = nil
	freeNow := k.closed
	if freeNow {
		k.busy = true // nobody else may start while we free
	}
	k.mu.Unlock()
	if freeNow {
		k.free()
	}
	runtime.KeepAlive(k)
}

func (k *session) isClosed() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.closed
}

// close marks the session closed and cancels what runs on it. It returns
// true when the caller must free it (nothing was running).
func (k *session) close() (freeNow bool, open *stream) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return false, nil
	}
	k.closed = true
	close(k.closing)
	if k.busy {
		// At once, not only from the watcher: a Close from inside a
		// callback then stops the call as soon as the callback returns.
		// Under k.mu the running call cannot free s.
		if k.s != nil {
			C.ftp_session_cancel(k.s)
		}
		return false, k.stream
	}
	k.busy = true
	return k.s != nil, nil
}

// free releases the session and the debug handle (idempotent).
func (k *session) free() {
	if st := k.stream; st != nil {
		st.drop()
		k.stream = nil
	}
	if k.s != nil {
		C.ftp_session_free(k.s)
		k.s = nil
		liveHandles.Add(-1)
	}
	if k.debug != nil {
		k.debugH.Delete()
		k.debug = nil
	}
	runtime.SetFinalizer(k, nil)
}

// cancelCause says why a call was cancelled: Close, or its context.
func (k *session) cancelCause(ctx context.Context) error {
	if k.isClosed() {
		return net.ErrClosed
	}
	if ctx != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}
