package ftp

// A Pool call's context (and Pool.Close) over ftp_pool_cancel, which
// stops every call running on the pool, not one. The binding keeps the
// per-call meaning of a context by combining it with a gate:
//
//   - a call whose context is done cancels the pool (repeated until the
//     call returns, as a cancel racing with a call's start may find it not
//     yet running) and returns an error matching ctx.Err();
//   - while such a cancel drains (until every call that was in C has
//     returned, libftp's sticky rule), no call enters C: new calls wait at
//     the gate (their own context and Close still end the wait);
//   - a call stopped by a cancel that is not its own (its context is not
//     done, the pool is not closing) waits for the drain and starts over.

/*
#include "ftp.h"
*/
import "C"

import (
	"context"
	"net"
	"sync"
)

// poolGate counts the calls inside libftp and holds new ones back while a
// pool cancel drains.
type poolGate struct {
	mu      sync.Mutex
	inC     int
	drained chan struct{} // non-nil while a cancel drains; closed when inC reaches 0
}

// enter waits until no cancel drains, then counts the call in. It fails
// with ctx.Err() or net.ErrClosed when those end the wait first.
func (g *poolGate) enter(ctx context.Context, closing <-chan struct{}) error {
	var ctxDone <-chan struct{}
	if ctx != nil {
		ctxDone = ctx.Done()
	}
	for {
		g.mu.Lock()
		d := g.drained
		if d == nil {
			g.inC++
			g.mu.Unlock()
			return nil
		}
		g.mu.Unlock()
		select {
		case <-d:
		case <-ctxDone:
			return ctx.Err()
		case <-closing:
			return net.ErrClosed
		}
	}
}

// leave counts a call out; the last one out ends a drain.
func (g *poolGate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inC--
	if g.inC == 0 && g.drained != nil {
		close(g.drained)
		g.drained = nil
	}
}

// cancel stops the calls inside libftp (none: nothing to do). p stays
// valid meanwhile: the pool is freed only once no call runs.
func (g *poolGate) cancel(p *C.ftp_pool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.inC == 0 {
		return
	}
	if g.drained == nil {
		g.drained = make(chan struct{})
	}
	C.ftp_pool_cancel(p)
}

// watchPool cancels the pool as soon as ctx is done, and again every
// cancelRepeat until end is called (the call has returned).
func watchPool(g *poolGate, p *C.ftp_pool, ctx context.Context) *watcher {
	return watchWith(ctx, nil, func() { g.cancel(p) })
}

// cancelUntil cancels the pool every cancelRepeat until done is closed
// (Close uses it while it waits for the running calls).
func cancelUntil(g *poolGate, p *C.ftp_pool, done <-chan struct{}) {
	repeatUntil(func() { g.cancel(p) }, done)
}
