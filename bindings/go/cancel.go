package ftp

/*
#include "ftp.h"
*/
import "C"

import (
	"context"
	"time"
)

// cancelRepeat is how often a watcher repeats ftp_session_cancel until the
// call returns: a cancel that races with the start of a libftp call may be
// lost (the flag is cleared when a call starts), so it is sent again.
const cancelRepeat = 20 * time.Millisecond

// watcher maps a context and Close onto ftp_session_cancel for the length
// of one blocking C call.
type watcher struct {
	stop chan struct{}
	done chan struct{}
}

// watch starts cancelling s as soon as ctx is done or closing is closed;
// end stops it. s stays valid until end returns (the session is freed
// only after the call that owns it has ended).
func watch(s *C.ftp_session, ctx context.Context, closing <-chan struct{}) *watcher {
	return watchWith(ctx, closing, func() { C.ftp_session_cancel(s) })
}

// watchWith calls cancel as soon as ctx is done or closing is closed, and
// again every cancelRepeat until end is called (nil: nothing to watch).
func watchWith(ctx context.Context, closing <-chan struct{}, cancel func()) *watcher {
	var ctxDone <-chan struct{}
	if ctx != nil {
		ctxDone = ctx.Done()
	}
	if ctxDone == nil && closing == nil {
		return nil
	}
	w := &watcher{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		select {
		case <-w.stop:
			return
		case <-ctxDone:
		case <-closing:
		}
		repeatUntil(cancel, w.stop)
	}()
	return w
}

// repeatUntil calls f now and every cancelRepeat until stop is closed.
func repeatUntil(f func(), stop <-chan struct{}) {
	tick := time.NewTicker(cancelRepeat)
	defer tick.Stop()
	for {
		f()
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

// end stops the watcher and waits until it can no longer touch the session.
func (w *watcher) end() {
	if w == nil {
		return
	}
	close(w.stop)
	<-w.done
}

// ctxOrBackground is ctx, or context.Background() for nil.
func ctxOrBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}
