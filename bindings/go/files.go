package ftp

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"runtime/cgo"
	"time"
)

// A FileOption changes how DownloadFile, UploadFile and the Pool's file
// transfers work.
type FileOption func(*fileConfig)

type fileConfig struct {
	flags    C.uint
	progress *progressFilter
}

func newFileConfig(opts []FileOption) *fileConfig {
	fc := &fileConfig{}
	for _, o := range opts {
		if o != nil {
			o(fc)
		}
	}
	return fc
}

func flag(f C.uint) FileOption { return func(c *fileConfig) { c.flags |= f } }

// Resume continues a partial file: a download from the local file's size,
// an upload from the remote SIZE (REST + STOR, or APPE). A server that
// refuses REST fails the call before anything is overwritten.
func Resume() FileOption { return flag(C.FTP_RESUME) }

// Verify compares the copy with the original after the transfer (HASH or
// XSHA256/XSHA1/XMD5/XCRC when advertised, else SIZE); a mismatch is an
// error with Code ErrVerify.
func Verify() FileOption { return flag(C.FTP_VERIFY) }

// CreateDirs creates the missing parent directories of the target.
func CreateDirs() FileOption { return flag(C.FTP_CREATE_DIRS) }

// KeepModTime gives the copy the original's modification time.
func KeepModTime() FileOption { return flag(C.FTP_KEEP_MTIME) }

// Atomic writes to a temporary name next to the target and renames it
// over the target once complete (and verified): the target is the old
// file or the whole new one, never a part.
func Atomic() FileOption { return flag(C.FTP_ATOMIC) }

// OnProgress calls fn with the transfer's progress: when the data
// connection opens (Bytes 0), at most every `every` while data moves (0:
// after every block), and when all the data went through. A non-nil error
// from fn stops the transfer; the call then returns an *Error with Code
// ErrCallback wrapping it. fn runs on the calling goroutine for a Conn;
// for a Pool it may run on libftp's threads, one report at a time, and for
// DownloadSegmented each part reports on its own (Offset its start). fn
// must not call the Conn or Pool.
func OnProgress(fn func(Progress) error, every time.Duration) FileOption {
	return func(c *fileConfig) {
		if fn == nil {
			c.progress = nil
			return
		}
		c.progress = &progressFilter{fn: fn, every: every}
	}
}

// DownloadFile downloads remote into the local file local, in binary mode
// (zero-copy into the file when no option needs the bytes). Without
// options local is created or truncated at once and left as far as it got
// on failure; see Resume, Verify, CreateDirs, KeepModTime, Atomic and
// OnProgress.
func (c *Conn) DownloadFile(remote, local string, opts ...FileOption) error {
	return c.wholeFile("download "+remote, remote, local, opts,
		func(s *C.ftp_session, a, b *C.char, flags C.uint) C.enum_ftp_result {
			return C.ftp_download_file(s, a, b, flags)
		})
}

// UploadFile uploads the local regular file local to remote, in binary
// mode; options as for DownloadFile (Resume: from the remote SIZE;
// CreateDirs: the remote parents; Atomic: a temporary remote name renamed
// over remote).
func (c *Conn) UploadFile(local, remote string, opts ...FileOption) error {
	return c.wholeFile("upload "+remote, local, remote, opts,
		func(s *C.ftp_session, a, b *C.char, flags C.uint) C.enum_ftp_result {
			return C.ftp_upload_file(s, a, b, flags)
		})
}

func (c *Conn) wholeFile(op, from, to string, opts []FileOption,
	f func(s *C.ftp_session, a, b *C.char, flags C.uint) C.enum_ftp_result) error {
	fc := newFileConfig(opts)
	st := &callState{progress: fc.progress}
	h := cgo.NewHandle(st)
	defer h.Delete()
	return c.simpleState(op, []string{from, to}, st, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		if fc.progress == nil {
			return f(s, a[0], a[1], fc.flags)
		}
		if r := C.ftpgo_set_progress(s, C.uintptr_t(h), fc.progress.intervalMS()); r != C.FTP_OK {
			return r
		}
		r := f(s, a[0], a[1], fc.flags)
		if r != C.FTP_OK {
			st.snap = c.snapshot(op, r) // turning progress off clears the last error
		}
		C.ftpgo_set_progress(s, 0, 0)
		return r
	})
}
