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
	"net/url"
	"runtime"
	"runtime/cgo"
	"sync"
)

// poolCalls maps the pool's progress reports (which name a remote path,
// not a call) to the running calls: a call's context and progress function
// apply to the transfers whose path it matches.
type poolCalls struct {
	mu   sync.Mutex
	next int
	m    map[int]*poolCall
}

type poolCall struct {
	match    func(path string) bool
	ctx      context.Context
	progress *progressFilter
	mu       sync.Mutex
	stop     error // why the call's transfers are stopped (nil: they go on)
	panicked bool
	panicV   any
}

// samePath matches the transfers of one remote file.
func samePath(remote string) func(string) bool {
	return func(p string) bool { return p == remote }
}

var errPanicked = errors.New("ftp: the progress function panicked")

// report decides on one progress report of a transfer of the call:
// non-zero stops it (the progress function failed or panicked, or the
// call's context is done: a stop of this call alone, sooner than the pool
// cancel its watcher sends).
func (pc *poolCall) report(p Progress) (ret C.int) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	defer func() {
		if v := recover(); v != nil {
			if !pc.panicked {
				pc.panicked, pc.panicV = true, v
			}
			pc.stop = errPanicked
			ret = 1
		}
	}()
	if pc.stop == nil {
		if pc.ctx != nil && pc.ctx.Err() != nil {
			pc.stop = pc.ctx.Err()
		} else {
			pc.stop = pc.progress.report(p)
		}
	}
	if pc.stop != nil {
		return 1
	}
	return 0
}

//export ftpgoPoolProgress
func ftpgoPoolProgress(h C.uintptr_t, p *C.ftp_progress) C.int {
	calls := cgo.Handle(h).Value().(*poolCalls)
	prog := progressFromC(p)
	calls.mu.Lock()
	var hit []*poolCall
	for _, pc := range calls.m {
		if pc.match(prog.Path) {
			hit = append(hit, pc)
		}
	}
	calls.mu.Unlock()
	var ret C.int
	for _, pc := range hit {
		ret |= pc.report(prog)
	}
	return ret
}

// run makes one pool call: strings in C, the call registered for the
// progress reports, its context watched (pool_cancel.go), started over
// when another call's cancel stopped it, ftp_pool_last_error read on the
// calling thread.
func (p *Pool) run(op string, args []string, match func(string) bool, opts []FileOption,
	f func(pp *C.ftp_pool, a []*C.char, flags C.uint) C.enum_ftp_result) error {
	fc := newFileConfig(opts)
	if fc.progress != nil {
		fc.progress.thin = true
	}
	cs := make([]*C.char, len(args))
	defer func() {
		for _, c := range cs {
			free(c)
		}
	}()
	for i, a := range args {
		var err error
		if cs[i], err = cString(op, a); err != nil {
			return err
		}
	}
	pk := p.pc
	pk.mu.RLock()
	defer pk.mu.RUnlock()
	if pk.p == nil {
		return errClosed(op)
	}
	call := &poolCall{match: match, ctx: p.ctx, progress: fc.progress}
	for {
		if err := ctxErr(op, p.ctx); err != nil {
			return err
		}
		if err := pk.gate.enter(p.ctx, pk.closing); err != nil {
			return &Error{Op: op, Code: ErrCancelled, Message: "cancelled while waiting for the pool", Err: err}
		}
		id := pk.calls.add(call)
		w := watchPool(&pk.gate, pk.p, p.ctx)
		runtime.LockOSThread()
		r := f(pk.p, cs, fc.flags)
		msg := C.GoString(C.ftp_pool_last_error(pk.p))
		runtime.UnlockOSThread()
		w.end()
		pk.gate.leave()
		pk.calls.remove(id)
		stop := call.outcome()
		if stop == nil && (r == C.FTP_ERROR_CANCELLED || r == C.FTP_ERROR_CALLBACK) &&
			!isClosed(pk.closing) && (p.ctx == nil || p.ctx.Err() == nil) {
			// stopped for another call: by a pool cancel (another
			// context), or at a progress report of a transfer whose path
			// another call shares (its context or its progress function
			// failing); start over once a pool cancel has drained
			continue
		}
		return p.resultOf(op, r, msg, call, stop, pk.closing)
	}
}

// outcome is why the call's own progress reports stopped it (nil: they
// did not); it re-panics a panic of the progress function. Reports of
// another call's transfer (same path) may still reach the call after it
// returned, hence the lock.
func (pc *poolCall) outcome() error {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.panicked {
		panic(pc.panicV)
	}
	return pc.stop
}

// resultOf is the error of a finished pool call (nil for FTP_OK).
func (p *Pool) resultOf(op string, r C.enum_ftp_result, msg string, call *poolCall, stop error, closing <-chan struct{}) error {
	if stop == nil {
		call.progress.flush()
	}
	if r == C.FTP_OK {
		return nil
	}
	e := &Error{Op: op, Code: Result(r), Message: msg}
	switch {
	case r == C.FTP_ERROR_CALLBACK && stop != nil:
		e.Err = stop
		if errors.Is(stop, context.Canceled) || errors.Is(stop, context.DeadlineExceeded) {
			e.Code = ErrCancelled
		}
	case r == C.FTP_ERROR_CANCELLED && isClosed(closing):
		e.Err = net.ErrClosed
	case r == C.FTP_ERROR_CANCELLED && p.ctx != nil && p.ctx.Err() != nil:
		e.Err = p.ctx.Err()
	}
	return e
}

// isClosed reports whether ch is closed.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func (c *poolCalls) add(pc *poolCall) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next++
	c.m[c.next] = pc
	return c.next
}

func (c *poolCalls) remove(id int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}

// redactURL hides the password of an FTP URL for error messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
