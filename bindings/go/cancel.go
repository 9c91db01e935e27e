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
		tick := time.NewTicker(cancelRepeat)
		defer tick.Stop()
		for {
			C.ftp_session_cancel(s)
			select {
			case <-w.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return w
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
