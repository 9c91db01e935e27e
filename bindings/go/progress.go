package ftp

// #include "ftp.h"
import "C"

import (
	"sync"
	"time"
)

// Progress is one progress report of a file transfer (OnProgress).
type Progress struct {
	Path    string        // the remote path in transfer
	Bytes   int64         // bytes moved so far in this transfer (resumed bytes not counted)
	Offset  int64         // where the transfer started in the file (REST offset; 0 without)
	Total   int64         // the whole file's size; -1 when unknown
	Elapsed time.Duration // since the data connection opened
}

// Done reports whether the whole file has gone through (Total known).
func (p Progress) Done() bool { return p.Total >= 0 && p.Offset+p.Bytes >= p.Total }

func progressFromC(p *C.ftp_progress) Progress {
	return Progress{
		Path:    goStringOrEmpty(p.path),
		Bytes:   int64(p.bytes),
		Offset:  int64(p.offset),
		Total:   int64(p.total),
		Elapsed: time.Duration(float64(p.elapsed_s) * float64(time.Second)),
	}
}

// progressFilter hands reports to a user function at most every `every`
// (the first report of a transfer and the final one always pass). libftp
// rate-limits a session's reports itself; a pool's come every
// poolProgressInterval and are thinned here.
type progressFilter struct {
	fn    func(Progress) error
	every time.Duration
	mu    sync.Mutex
	last  time.Time
}

func (f *progressFilter) report(p Progress) error {
	if f == nil || f.fn == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if p.Bytes != 0 && !p.Done() && now.Sub(f.last) < f.every {
		return nil
	}
	f.last = now
	return f.fn(p)
}

// intervalMS is f's interval for libftp, in milliseconds.
func (f *progressFilter) intervalMS() C.uint32_t {
	ms := f.every.Milliseconds()
	if ms > 1<<31 {
		ms = 1 << 31
	}
	return C.uint32_t(ms)
}
