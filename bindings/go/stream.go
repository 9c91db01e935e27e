package ftp

/*
#include <stdlib.h>
#include "ftp.h"
*/
import "C"

import (
	"io"
	"sync"
	"unsafe"
)

// stream is an open data connection read or written by the caller
// (RetrReader, StorWriter). It holds its Conn's session until closed.
type stream struct {
	c        *Conn // its context bounds each Read and Write
	op       string
	upload   bool
	mu       sync.Mutex // one Read/Write/Close at a time
	t        *C.ftp_transfer
	eof      bool
	err      error // the first failure of a Read or Write
	released bool  // the session was given back
}

// RetrReader opens a binary download of path (TYPE I, RETR) and returns
// it as a stream: read it to the end (io.EOF), then Close it, which reads
// the server's final reply and returns its error. Until then the Conn
// takes no other call (ErrState). Closing before the end stops the
// download (the connection is reset; the server's 426 is expected and not
// an error) and leaves the Conn usable.
//
// Each Read follows the Conn's context (see WithContext): when it is done
// the Read fails with an error matching ctx.Err(); Close then reads the
// final reply (at most about 2 s) whatever the context. Conn.Close from
// another goroutine interrupts a Read too (net.ErrClosed).
func (c *Conn) RetrReader(path string) (io.ReadCloser, error) {
	return c.openStream("RETR "+path, -1, false)
}

// RetrReaderFrom is RetrReader starting at byte offset (REST, then RETR).
func (c *Conn) RetrReaderFrom(path string, offset int64) (io.ReadCloser, error) {
	if err := checkOffset("RETR "+path, offset); err != nil {
		return nil, err
	}
	return c.openStream("RETR "+path, offset, false)
}

// StorWriter opens a binary upload to path (TYPE I, STOR) and returns it
// as a stream: write the data, then Close it, which ends the data
// connection in order and returns the error of the server's final reply
// (226 expected). The rules of RetrReader apply; an upload interrupted by
// an error or a cancel leaves the part received on the server.
func (c *Conn) StorWriter(path string) (io.WriteCloser, error) {
	return c.openStream("STOR "+path, -1, true)
}

func (c *Conn) openStream(cmd string, rest int64, upload bool) (*stream, error) {
	ccmd, err := cString(cmd, cmd)
	if err != nil {
		return nil, err
	}
	defer free(ccmd)
	typeI := C.CString("TYPE I")
	defer free(typeI)
	if c == nil {
		return nil, errClosed(cmd)
	}
	k := c.k
	if err := k.acquire(cmd); err != nil {
		return nil, err
	}
	if err := ctxErr(cmd, c.ctx); err != nil {
		k.release()
		return nil, err
	}
	var t *C.ftp_transfer
	w := watch(k.s, c.ctx, k.closing)
	r := C.ftp_voidcmd(k.s, typeI)
	if r == C.FTP_OK {
		r = C.ftp_transfercmd(k.s, ccmd, C.int64_t(rest), &t)
	}
	w.end()
	if r != C.FTP_OK {
		err := c.errorOf(cmd, r, nil)
		k.release()
		return nil, err
	}
	liveHandles.Add(1)
	st := &stream{c: c, op: cmd, upload: upload, t: t}
	k.mu.Lock()
	k.stream = st
	closed := k.closed
	k.mu.Unlock()
	if closed { // Close came while the transfer opened
		st.closeForConn()
		return nil, errClosed(cmd)
	}
	return st, nil
}

// Read reads the downloaded data; io.EOF at its end.
func (st *stream) Read(p []byte) (int, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.upload {
		return 0, &Error{Op: st.op, Code: ErrState, Message: "Read on an upload"}
	}
	n, err := st.move(p)
	if err == nil && n == 0 && len(p) > 0 {
		st.eof = true
		return 0, io.EOF
	}
	return n, err
}

// Write sends p entirely, or fails.
func (st *stream) Write(p []byte) (int, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.upload {
		return 0, &Error{Op: st.op, Code: ErrState, Message: "Write on a download"}
	}
	n, err := st.move(p)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// move makes one read or write of the transfer, under st.mu.
func (st *stream) move(p []byte) (int, error) {
	switch {
	case st.t == nil:
		return 0, errClosed(st.op)
	case st.err != nil:
		return 0, st.err
	case st.eof:
		return 0, io.EOF
	case len(p) == 0:
		return 0, nil
	}
	if err := ctxErr(st.op, st.c.ctx); err != nil {
		return 0, err
	}
	k := st.c.k
	buf := (*C.uint8_t)(unsafe.Pointer(&p[0]))
	var n C.size_t
	w := watch(k.s, st.c.ctx, k.closing)
	var r C.enum_ftp_result
	if st.upload {
		r = C.ftp_transfer_write(st.t, buf, C.size_t(len(p)))
		n = C.size_t(len(p))
	} else {
		r = C.ftp_transfer_read(st.t, buf, C.size_t(len(p)), &n)
	}
	w.end()
	if k.isClosed() {
		st.shutdown()
		return 0, errClosed(st.op)
	}
	if r != C.FTP_OK {
		e := &Error{Op: st.op, Code: Result(r), Message: C.GoString(C.ftp_transfer_last_error(st.t))}
		if r == C.FTP_ERROR_CANCELLED {
			e.Err = k.cancelCause(st.c.ctx)
		}
		st.err = e
		return 0, e
	}
	return int(n), nil
}

// Close ends the transfer and reads the server's final reply.
func (st *stream) Close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.t == nil {
		return nil
	}
	complete := st.eof || (st.upload && st.err == nil)
	r := C.ftp_transfer_close(st.t)
	st.t = nil
	liveHandles.Add(-1)
	k := st.c.k
	w := watch(k.s, nil, k.closing)
	if r == C.FTP_OK && complete {
		r = C.ftp_voidresp(k.s)
	} else {
		r2 := C.ftp_getresp(k.s)
		if r == C.FTP_OK && r2 != C.FTP_ERROR_TEMP && r2 != C.FTP_ERROR_PERM {
			r = r2 // a 4xx/5xx ends a transfer stopped early; other failures count
		}
	}
	w.end()
	err := st.err
	if err != nil && !st.upload {
		err = nil // a Read already returned it
	}
	if e := (&Conn{k: k}).errorOf(st.op, r, nil); err == nil && e != nil {
		err = e
	}
	st.released = true
	k.release()
	return err
}

// closeForConn ends the transfer for Conn.Close: after a running Read or
// Write (which Close cancels), without reading any reply.
func (st *stream) closeForConn() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.shutdown()
}

// shutdown closes the transfer and gives back the (closed) session, which
// is then freed; under st.mu.
func (st *stream) shutdown() {
	st.drop()
	if !st.released {
		st.released = true
		st.c.k.release()
	}
}

// drop closes the transfer handle.
func (st *stream) drop() {
	if st.t != nil {
		C.ftp_transfer_close(st.t)
		st.t = nil
		liveHandles.Add(-1)
	}
}
