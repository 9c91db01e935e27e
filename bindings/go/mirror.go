package ftp

// Pool.Mirror, over ftp_pool_mirror (issue 10).

/*
#include <stdlib.h>
#include "ftp.h"
*/
import "C"

import "strings"

// Direction is which way Mirror copies.
type Direction int

// The directions of Mirror.
const (
	MirrorDownload Direction = C.FTP_MIRROR_DOWNLOAD // remote tree -> local tree
	MirrorUpload   Direction = C.FTP_MIRROR_UPLOAD   // local tree -> remote tree
)

// MirrorNewer copies only the files missing on the target, or older there
// or of another size (a Mirror option).
func MirrorNewer() FileOption { return flag(C.FTP_MIRROR_NEWER) }

// MirrorDelete deletes the target's files that the source does not have
// (a Mirror option).
func MirrorDelete() FileOption { return flag(C.FTP_MIRROR_DELETE) }

// MirrorReport counts what Mirror did.
type MirrorReport struct {
	FilesCopied, FilesSkipped, FilesDeleted, FilesFailed uint64
	Bytes                                                uint64
}

// Mirror copies the tree remoteDir to localDir (MirrorDownload) or
// localDir to remoteDir (MirrorUpload), with up to the pool's sessions
// transferring at once. opts: MirrorNewer, MirrorDelete, and Resume,
// Verify, KeepModTime, Atomic, OnProgress as for DownloadFile. A file that
// fails does not stop the others: the report counts it and Mirror returns
// the first failure. The Pool's context stops the mirror as a whole (see
// Pool); the report is filled in either way (after a start-over caused by
// another call's cancel, it describes the last run).
func (p *Pool) Mirror(dir Direction, remoteDir, localDir string, opts ...FileOption) (MirrorReport, error) {
	var rep MirrorReport
	op := "mirror " + remoteDir
	if dir != MirrorDownload && dir != MirrorUpload {
		return rep, &Error{Op: op, Code: ErrInvalidArgument, Message: "direction must be MirrorDownload or MirrorUpload"}
	}
	err := p.run(op, []string{remoteDir, localDir}, underDir(remoteDir), opts,
		func(pp *C.ftp_pool, a []*C.char, flags C.uint) C.enum_ftp_result {
			var cr C.ftp_mirror_report
			r := C.ftp_pool_mirror(pp, C.int(dir), a[0], a[1], flags, &cr)
			rep = MirrorReport{
				FilesCopied: uint64(cr.files_copied), FilesSkipped: uint64(cr.files_skipped),
				FilesDeleted: uint64(cr.files_deleted), FilesFailed: uint64(cr.files_failed),
				Bytes: uint64(cr.bytes),
			}
			return r
		})
	return rep, err
}

// underDir matches the transfers of files below dir ("" or ".": all).
func underDir(dir string) func(string) bool {
	dir = strings.TrimSuffix(strings.TrimPrefix(dir, "./"), "/")
	if dir == "" || dir == "." {
		return func(string) bool { return true }
	}
	return func(p string) bool {
		p = strings.TrimPrefix(p, "./")
		return p == dir || strings.HasPrefix(p, dir+"/")
	}
}
