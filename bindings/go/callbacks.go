package ftp

// The C callbacks. libftp calls the trampolines of bridge.c, which call
// these exported functions with the userdata as an integer: a
// runtime/cgo.Handle made for one call (or, for debug output, for the
// life of the Conn). C never stores a Go pointer, and Go only looks at C
// memory during the callback that lends it.
//
// A panic in user code (a writer, reader or callback function) must not
// unwind through libftp's C/Rust frames: it is recovered here, the call is
// stopped, and the panic is raised again once libftp has returned.

/*
#include "bridge.h"
*/
import "C"

import (
	"errors"
	"io"
	"runtime/cgo"
	"unsafe"
)

// callState is what one transfer or listing call's callbacks work with.
type callState struct {
	w        io.Writer                                        // Retr: where the data goes
	r        io.Reader                                        // Stor: where the data comes from
	line     func(string) error                               // RetrLines, List, NameList
	entry    func(name string, facts map[string]string) error // MLSD
	listed   func(e *Entry) error                             // List (ftp_list)
	progress *progressFilter                                  // DownloadFile, UploadFile
	err      error                                            // the error that stopped the call
	snap     *Error                                           // the call's error, read before a later setter cleared it
	rErr     error                                            // a reader error to report at the next read
	rEOF     bool                                             // the reader said io.EOF with data
	panicked bool
	panicV   any
}

func (st *callState) recovered(v any) {
	if !st.panicked {
		st.panicked = true
		st.panicV = v
	}
}

// repanic raises again a panic recovered in a callback.
func (st *callState) repanic() {
	if st != nil && st.panicked {
		panic(st.panicV)
	}
}

func stateOf(h C.uintptr_t) *callState {
	return cgo.Handle(h).Value().(*callState)
}

//export ftpgoData
func ftpgoData(h C.uintptr_t, data *C.uint8_t, n C.size_t) (ret C.int) {
	st := stateOf(h)
	defer func() {
		if v := recover(); v != nil {
			st.recovered(v)
			ret = 1
		}
	}()
	if n == 0 {
		return 0
	}
	p := unsafe.Slice((*byte)(unsafe.Pointer(data)), int(n))
	m, err := st.w.Write(p)
	if err == nil && m != len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		st.err = err
		return 1
	}
	return 0
}

// errNegativeRead is reported for a Reader returning an impossible count.
var errNegativeRead = errors.New("ftp: reader returned an invalid count")

//export ftpgoRead
func ftpgoRead(h C.uintptr_t, buf *C.uint8_t, capacity C.size_t) (ret C.int64_t) {
	st := stateOf(h)
	defer func() {
		if v := recover(); v != nil {
			st.recovered(v)
			ret = -1
		}
	}()
	if st.rErr != nil {
		st.err = st.rErr
		return -1
	}
	if st.rEOF || capacity == 0 {
		return 0
	}
	p := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(capacity))
	for tries := 0; tries < 100; tries++ {
		n, err := st.r.Read(p)
		if n < 0 || n > len(p) {
			st.err = errNegativeRead
			return -1
		}
		if n > 0 {
			if err == io.EOF {
				st.rEOF = true
			} else if err != nil {
				st.rErr = err
			}
			return C.int64_t(n)
		}
		if err == io.EOF {
			return 0
		}
		if err != nil {
			st.err = err
			return -1
		}
	}
	st.err = io.ErrNoProgress
	return -1
}

//export ftpgoLine
func ftpgoLine(h C.uintptr_t, line *C.char, n C.size_t) (ret C.int) {
	st := stateOf(h)
	defer func() {
		if v := recover(); v != nil {
			st.recovered(v)
			ret = 1
		}
	}()
	s := string(unsafe.Slice((*byte)(unsafe.Pointer(line)), int(n)))
	if err := st.line(s); err != nil {
		st.err = err
		return 1
	}
	return 0
}

//export ftpgoMLSD
func ftpgoMLSD(h C.uintptr_t, name *C.char, facts *C.ftp_fact, n C.size_t) (ret C.int) {
	st := stateOf(h)
	defer func() {
		if v := recover(); v != nil {
			st.recovered(v)
			ret = 1
		}
	}()
	m := make(map[string]string, int(n))
	if n > 0 {
		for _, f := range unsafe.Slice(facts, int(n)) {
			m[C.GoString(f.name)] = C.GoString(f.value)
		}
	}
	if err := st.entry(C.GoString(name), m); err != nil {
		st.err = err
		return 1
	}
	return 0
}

//export ftpgoEntry
func ftpgoEntry(h C.uintptr_t, e *C.ftp_entry) (ret C.int) {
	st := stateOf(h)
	defer func() {
		if v := recover(); v != nil {
			st.recovered(v)
			ret = 1
		}
	}()
	if err := st.listed(entryFromC(e)); err != nil {
		st.err = err
		return 1
	}
	return 0
}

//export ftpgoProgress
func ftpgoProgress(h C.uintptr_t, p *C.ftp_progress) (ret C.int) {
	st := stateOf(h)
	defer func() {
		if v := recover(); v != nil {
			st.recovered(v)
			ret = 1
		}
	}()
	if err := st.progress.report(progressFromC(p)); err != nil {
		st.err = err
		return 1
	}
	return 0
}

// debugSink receives a Conn's debug lines. The Conn's handle refers to it,
// not to the Conn, so the handle does not keep the Conn alive.
type debugSink struct {
	w        io.Writer
	panicked bool
	panicV   any
}

// repanic raises again a panic recovered in a debug callback.
func (d *debugSink) repanic() {
	if d != nil && d.panicked {
		v := d.panicV
		d.panicked, d.panicV = false, nil
		panic(v)
	}
}

//export ftpgoDebug
func ftpgoDebug(h C.uintptr_t, line *C.char) {
	d := cgo.Handle(h).Value().(*debugSink)
	defer func() {
		if v := recover(); v != nil && !d.panicked {
			d.panicked = true
			d.panicV = v
		}
	}()
	if d.w == nil {
		return
	}
	s := C.GoString(line)
	_, _ = io.WriteString(d.w, s+"\n") // debug output is best effort
}
