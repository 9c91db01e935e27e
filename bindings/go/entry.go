package ftp

// #include "ftp.h"
import "C"

import (
	"strings"
	"time"
	"unsafe"
)

// EntryType is what a directory entry is. List and Stat give one of the
// constants; MLSD gives the server's "type" fact as sent ("file", "dir",
// "cdir", "pdir", "OS.unix=slink:..."), so compare with the constants or
// use IsDir.
type EntryType string

// The entry types of List and Stat.
const (
	EntryFile    EntryType = "file"    // a regular file
	EntryDir     EntryType = "dir"     // a directory
	EntryLink    EntryType = "link"    // a symbolic link (Target when the listing gives it)
	EntryOther   EntryType = "other"   // a device, a pipe, a socket ...
	EntryUnknown EntryType = "unknown" // a listing line no parser understood: only Raw and Format are set
)

// Entry is one directory entry (List, Stat, Walk, MLSD).
type Entry struct {
	Name string    // base name (UTF-8); "" when Type is EntryUnknown
	Type EntryType // see EntryType
	Size int64     // bytes; -1 when unknown
	// Time is the modification time; the zero Time when unknown. It is
	// a UTC instant when TimeIsUTC (MLSD, MLST, MDTM, EPLF). LIST formats
	// print the server's wall clock in a zone they do not name: Time then
	// reads it as if it were UTC (vsftpd and pyftpdlib list in UTC).
	Time      time.Time
	TimeIsUTC bool
	// TimePrecision is how finely the listing gives Time: time.Second,
	// time.Minute ("Dec 5 10:00"), 24*time.Hour (a date only); 0 unknown.
	TimePrecision time.Duration
	Target        string            // a symbolic link's target when the listing gives it
	Mode          string            // "rwxr-xr-x" (LIST) or MLSD's unix.mode ("0644"); "" if not given
	Owner, Group  string            // when the listing gives them
	Raw           string            // the listing line as received ("" for a Stat that probed)
	Format        string            // the parser: "mlsd", "mlst", "unix", "dos", "eplf", "vms", "netware", "probe", "unknown"
	Facts         map[string]string // MLSD only: every fact, names lowercased

	// Modify is Time, for MLSD entries.
	//
	// Deprecated: use Time.
	Modify time.Time
}

// IsDir reports whether the entry is a directory (type dir, or MLSD's
// cdir or pdir).
func (e Entry) IsDir() bool {
	switch EntryType(strings.ToLower(string(e.Type))) {
	case EntryDir, "cdir", "pdir":
		return true
	}
	return false
}

var entryTypes = [...]EntryType{
	C.FTP_ENTRY_FILE: EntryFile, C.FTP_ENTRY_DIR: EntryDir, C.FTP_ENTRY_LINK: EntryLink,
	C.FTP_ENTRY_OTHER: EntryOther, C.FTP_ENTRY_UNKNOWN: EntryUnknown,
}

func goStringOrEmpty(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// entryFromC copies a C entry (valid only during the callback) into Go.
func entryFromC(e *C.ftp_entry) *Entry {
	out := &Entry{
		Name:      goStringOrEmpty(e.name),
		Type:      EntryUnknown,
		Size:      int64(e.size),
		TimeIsUTC: bool(e.mtime_utc),
		Target:    goStringOrEmpty(e.link_target),
		Mode:      goStringOrEmpty(e.unix_mode),
		Owner:     goStringOrEmpty(e.owner),
		Group:     goStringOrEmpty(e.group),
		Format:    goStringOrEmpty(e.format),
	}
	if t := int(e._type); t >= 0 && t < len(entryTypes) {
		out.Type = entryTypes[t]
	}
	if e.raw != nil {
		out.Raw = string(unsafe.Slice((*byte)(unsafe.Pointer(e.raw)), int(e.raw_len)))
	}
	if int64(e.mtime) != int64(C.FTP_TIME_UNKNOWN) {
		out.Time = time.Unix(int64(e.mtime), 0).UTC()
		out.TimePrecision = time.Duration(e.mtime_precision) * time.Second
	}
	return out
}

// parseMLSDTime parses an MLSD time value, YYYYMMDDHHMMSS[.sss], in UTC.
func parseMLSDTime(v string) time.Time {
	t, err := time.ParseInLocation("20060102150405", v, time.UTC)
	if err != nil {
		return time.Time{}
	}
	return t
}

// newMLSDEntry makes an MLSD entry from its facts.
func newMLSDEntry(name string, facts map[string]string) Entry {
	e := Entry{Name: name, Type: EntryType(facts["type"]), Size: -1, Facts: facts,
		Mode: facts["unix.mode"], Owner: facts["unix.owner"], Group: facts["unix.group"], Format: "mlsd"}
	if v, ok := facts["size"]; ok {
		var n int64
		valid := v != ""
		for _, ch := range v {
			if ch < '0' || ch > '9' || n > (1<<63-1-9)/10 {
				valid = false
				break
			}
			n = n*10 + int64(ch-'0')
		}
		if valid {
			e.Size = n
		}
	}
	if v, ok := facts["modify"]; ok {
		e.Modify = parseMLSDTime(v)
		e.Time = e.Modify
		e.TimeIsUTC = !e.Time.IsZero()
		if e.TimeIsUTC {
			e.TimePrecision = time.Second
		}
	}
	return e
}
