package ftp

// #include "ftp.h"
import "C"

import (
	"sort"
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

// progressFilter hands reports to a user function. A session's reports
// come from libftp already spaced by the interval (intervalMS) and all
// pass. A pool's come every poolProgressInterval whatever the call asked,
// so they are thinned here (thin): at most one every `every` per part
// (parts are told apart by their Offset), the first and a complete one
// always passing; the last report of a part held back is handed over by
// flush when the call has returned, so the final count is never lost.
type progressFilter struct {
	fn      func(Progress) error
	every   time.Duration
	thin    bool
	mu      sync.Mutex
	last    time.Time
	pending map[int64]Progress
}

func (f *progressFilter) report(p Progress) error {
	if f == nil || f.fn == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.thin {
		now := time.Now()
		if p.Bytes != 0 && !p.Done() && now.Sub(f.last) < f.every {
			if f.pending == nil {
				f.pending = map[int64]Progress{}
			}
			f.pending[p.Offset] = p
			return nil
		}
		f.last = now
		delete(f.pending, p.Offset)
	}
	return f.fn(p)
}

// flush hands over the reports held back (after the call: errors from fn
// can no longer stop anything and are ignored).
func (f *progressFilter) flush() {
	if f == nil || f.fn == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	offsets := make([]int64, 0, len(f.pending))
	for off := range f.pending {
		offsets = append(offsets, off)
	}
	sort.Slice(offsets, func(i, j int) bool { return offsets[i] < offsets[j] })
	for _, off := range offsets {
		_ = f.fn(f.pending[off])
	}
	f.pending = nil
}

// intervalMS is f's interval for libftp, in milliseconds.
func (f *progressFilter) intervalMS() C.uint32_t {
	ms := f.every.Milliseconds()
	if ms > 1<<31 {
		ms = 1 << 31
	}
	return C.uint32_t(ms)
}
