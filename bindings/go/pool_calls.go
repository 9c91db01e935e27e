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
	closing  <-chan struct{}
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
// non-zero stops it.
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
		select {
		case <-pc.closing:
			pc.stop = net.ErrClosed
		default:
			if pc.ctx != nil && pc.ctx.Err() != nil {
				pc.stop = pc.ctx.Err()
			} else if err := pc.progress.report(p); err != nil {
				pc.stop = err
			}
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
// progress reports, ftp_pool_last_error read on the calling thread.
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
	if err := ctxErr(op, p.ctx); err != nil {
		return err
	}
	call := &poolCall{match: match, ctx: p.ctx, closing: pk.closing, progress: fc.progress}
	id := pk.calls.add(call)
	runtime.LockOSThread()
	r := f(pk.p, cs, fc.flags)
	msg := C.GoString(C.ftp_pool_last_error(pk.p))
	runtime.UnlockOSThread()
	pk.calls.remove(id)
	if call.panicked {
		panic(call.panicV)
	}
	if call.stop == nil {
		fc.progress.flush()
	}
	if r == C.FTP_OK {
		return nil
	}
	e := &Error{Op: op, Code: Result(r), Message: msg}
	if r == C.FTP_ERROR_CALLBACK && call.stop != nil {
		e.Err = call.stop
		if call.stop == net.ErrClosed || errors.Is(call.stop, context.Canceled) ||
			errors.Is(call.stop, context.DeadlineExceeded) {
			e.Code = ErrCancelled
		}
	}
	return e
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
