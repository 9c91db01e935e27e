package ftp

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
	"sync"
)

// poolProgressInterval is how often a pool's transfers report (the
// reports are thinned to each call's own interval here).
const poolProgressInterval = 50

// Pool is up to N connections to one server, shared by many goroutines
// (libftp's ftp_pool): each call borrows an idle session, opening one when
// none is idle, and gives it back. Safe for concurrent use.
//
// Calls follow the Pool's context (WithContext): when it is done, the
// call stops within about 100 ms wherever it is (transfer, connect and
// login of a new session, wait for a free session or a reply) and returns
// an error matching ErrCancelled and ctx.Err(). libftp's pool cancel
// (ftp_pool_cancel) stops every call running on the pool at once, so a
// done context also stops the pool's other running calls: those whose own
// context is not done start over by themselves once the cancelled calls
// have returned (a download or upload restarts from its beginning, or
// from what is on the target with Resume; a Mirror runs again and its
// report describes that last run), and calls made meanwhile wait for that
// moment. Cancelling often while other calls run thus costs them
// repeated work, never a wrong result.
type Pool struct {
	pc  *poolCore
	ctx context.Context
}

type poolCore struct {
	mu      sync.RWMutex // calls hold it shared, Close exclusive
	p       *C.ftp_pool
	h       cgo.Handle // -> calls
	calls   *poolCalls
	gate    poolGate
	once    sync.Once
	closing chan struct{}
}

// NewPool makes a pool of up to maxSessions sessions to the server of
// url: "ftp://[user[:password]@]host[:port][/path]", "ftpes://..."
// (explicit FTPS) or "ftps://..." (implicit FTPS, port 990). Nothing is
// connected yet. tls (FTPS only; nil = system roots and host name check)
// is copied. Remote paths given to the pool are relative to the URL's
// path. Close releases the pool.
//
// opts: WithTimeout (each session's timeout and the longest wait for a
// free session, then ErrTimeout; 0 = no limit; without it 30 s),
// WithProxy and WithNetrc (as for DialURL) apply to every session of the
// pool. Other options have no meaning for a pool and are refused
// (ErrInvalidArgument).
func NewPool(url string, tls *TLSConfig, maxSessions int, opts ...Option) (*Pool, error) {
	op := "pool " + redactURL(url)
	if maxSessions <= 0 || maxSessions > 1<<20 {
		return nil, &Error{Op: op, Code: ErrInvalidArgument, Message: "maxSessions must be between 1 and 2^20"}
	}
	cfg := newDialConfig(opts)
	if err := cfg.poolOnly(op); err != nil {
		return nil, err
	}
	curl, err := cString(op, url)
	if err != nil {
		return nil, err
	}
	defer free(curl)
	var ccfg *C.ftp_tls_config
	if tls != nil {
		if ccfg, err = tls.newCConfig(); err != nil {
			return nil, err
		}
		defer C.ftp_tls_config_free(ccfg)
	}
	runtime.LockOSThread() // ftp_pool_last_error is per thread
	defer runtime.UnlockOSThread()
	p := C.ftp_pool_new(curl, ccfg, C.uint(maxSessions))
	if p == nil {
		return nil, &Error{Op: op, Code: ErrInvalidArgument, Message: C.GoString(C.ftp_pool_last_error(nil))}
	}
	if err := cfg.applyToPool(op, p); err != nil {
		C.ftp_pool_free(p)
		return nil, err
	}
	liveHandles.Add(1)
	pc := &poolCore{p: p, calls: &poolCalls{m: map[int]*poolCall{}}, closing: make(chan struct{})}
	pc.h = cgo.NewHandle(pc.calls)
	C.ftpgo_pool_set_progress(p, C.uintptr_t(pc.h), poolProgressInterval)
	return &Pool{pc: pc}, nil
}

// WithContext returns a shallow copy of p whose calls follow ctx (see
// Pool). ctx must not be nil.
func (p *Pool) WithContext(ctx context.Context) *Pool {
	if ctx == nil {
		panic("ftp: nil context")
	}
	return &Pool{pc: p.pc, ctx: ctx}
}

// Close stops the pool's running calls (they return an error matching
// net.ErrClosed), waits for them to return, and releases the pool and its
// idle sessions. Later calls fail with net.ErrClosed. Closing again
// returns nil.
func (p *Pool) Close() error {
	pc := p.pc
	pc.once.Do(func() {
		close(pc.closing)
		done, stopped := make(chan struct{}), make(chan struct{})
		go func(cp *C.ftp_pool) {
			cancelUntil(&pc.gate, cp, done)
			close(stopped)
		}(pc.p)
		pc.mu.Lock()
		defer pc.mu.Unlock()
		close(done)
		<-stopped
		C.ftpgo_pool_set_progress(pc.p, 0, 0)
		C.ftp_pool_free(pc.p)
		pc.p = nil
		pc.h.Delete()
		liveHandles.Add(-1)
	})
	return nil
}

// DownloadFile is Conn.DownloadFile on a session of the pool.
func (p *Pool) DownloadFile(remote, local string, opts ...FileOption) error {
	return p.run("download "+remote, []string{remote, local}, samePath(remote), opts,
		func(pp *C.ftp_pool, a []*C.char, flags C.uint) C.enum_ftp_result {
			return C.ftp_pool_download_file(pp, a[0], a[1], flags)
		})
}

// UploadFile is Conn.UploadFile on a session of the pool.
func (p *Pool) UploadFile(local, remote string, opts ...FileOption) error {
	return p.run("upload "+remote, []string{local, remote}, samePath(remote), opts,
		func(pp *C.ftp_pool, a []*C.char, flags C.uint) C.enum_ftp_result {
			return C.ftp_pool_upload_file(pp, a[0], a[1], flags)
		})
}

// DownloadSegmented downloads remote into local in up to `segments` parts
// fetched at once over the pool's sessions (REST + RETR each, parts
// rebalanced when one finishes early), into a file preallocated to the
// remote size. One stream instead for small files (< 1 MiB), servers
// without REST STREAM or SIZE, a pool of one session, segments <= 1, and
// with Resume. Options as for DownloadFile (Verify reads the finished file
// once). On failure, without Atomic, the file is cut to the bytes complete
// from its start, so a later Resume continues it.
func (p *Pool) DownloadSegmented(remote, local string, segments int, opts ...FileOption) error {
	if segments < 0 {
		segments = 0
	}
	if segments > 1<<16 {
		segments = 1 << 16
	}
	return p.run("download "+remote, []string{remote, local}, samePath(remote), opts,
		func(pp *C.ftp_pool, a []*C.char, flags C.uint) C.enum_ftp_result {
			return C.ftp_pool_download_segmented(pp, a[0], a[1], C.uint(segments), flags)
		})
}
