package ftp

// #include "ftp.h"
import "C"

import (
	"fmt"
	"strconv"
	"strings"
)

// Result is libftp's ftp_result: the class of a failure. Its values other
// than 0 are also usable as sentinel errors with errors.Is:
//
//	if errors.Is(err, ftp.ErrPerm) { ... } // a 5xx reply
//
// Every error returned by this package for a failed FTP operation is an
// *Error whose Code is one of these values.
type Result int

// The values of ftp_result (Python ftplib's error classes in brackets).
const (
	ErrReply           Result = 1  // an unexpected 1xx/2xx/3xx reply [error_reply]
	ErrTemp            Result = 2  // a 4xx reply [error_temp]
	ErrPerm            Result = 3  // a 5xx reply [error_perm]
	ErrProto           Result = 4  // not an FTP reply, line too long, bad address [error_proto]
	ErrIO              Result = 5  // a socket or file error [OSError]
	ErrEOF             Result = 6  // the server closed the connection [EOFError]
	ErrTimeout         Result = 7  // the session timeout (WithTimeout) expired
	ErrTLS             Result = 8  // a TLS handshake, certificate or host name failure
	ErrInvalidArgument Result = 9  // CR/LF/NUL in a command or name, a bad option value
	ErrState           Result = 10 // not connected, closed, already TLS, concurrent use ...
	ErrCallback        Result = 11 // a writer, reader or callback function stopped the call
	ErrEncoding        Result = 12 // text not representable in the session encoding
	ErrInternal        Result = 13 // a bug in libftp (a caught panic): the Conn is dead
	ErrCancelled       Result = 14 // ftp_session_cancel stopped the call
	ErrVerify          Result = 15 // a whole-file copy does not match the original
)

var resultTexts = [...]string{
	0:                  "success",
	ErrReply:           "unexpected reply",
	ErrTemp:            "temporary error (4xx reply)",
	ErrPerm:            "permanent error (5xx reply)",
	ErrProto:           "protocol error",
	ErrIO:              "I/O error",
	ErrEOF:             "connection closed by the server",
	ErrTimeout:         "timeout",
	ErrTLS:             "TLS error",
	ErrInvalidArgument: "invalid argument",
	ErrState:           "invalid state",
	ErrCallback:        "stopped by a callback",
	ErrEncoding:        "encoding error",
	ErrInternal:        "internal error",
	ErrCancelled:       "cancelled",
	ErrVerify:          "verification failed",
}

// Name is the C name of the result, e.g. "FTP_ERROR_PERM" (as
// ftp_result_name gives it); "FTP_UNKNOWN_RESULT" for other values.
func (r Result) Name() string {
	return C.GoString(C.ftp_result_name(C.ftp_result(r)))
}

// String is the same as Name.
func (r Result) String() string { return r.Name() }

// Error makes a Result usable as a sentinel error ("ftp: permanent error
// (5xx reply)").
func (r Result) Error() string {
	if r >= 0 && int(r) < len(resultTexts) {
		return "ftp: " + resultTexts[r]
	}
	return fmt.Sprintf("ftp: unknown result %d", int(r))
}

// Error is the error of a failed operation.
//
//	var fe *ftp.Error
//	if errors.As(err, &fe) && fe.ReplyCode == 550 { ... }
//
// errors.Is(err, ftp.ErrPerm) (any Result) compares Code. When a writer,
// reader or callback function stopped the operation, Err holds its error
// and errors.Is/As see it through Unwrap.
type Error struct {
	Op        string // the operation, e.g. "RETR pub/x" or "dial" (may be "")
	Code      Result // the class of the failure (the ftp_result)
	ReplyCode int    // the server's 3-digit reply code, 0 if it did not answer
	Reply     string // the server's whole reply (lines joined by '\n'), "" if none
	Message   string // libftp's description of the failure (ftp_last_error)
	Err       error  // the error of the Go writer/reader/callback that stopped the call, or nil
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("ftp: ")
	if e.Op != "" {
		b.WriteString(printable(e.Op))
		b.WriteString(": ")
	}
	switch {
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	case e.Message != "":
		b.WriteString(e.Message)
	case e.Reply != "":
		b.WriteString(e.Reply)
	default:
		b.WriteString(strings.TrimPrefix(e.Code.Error(), "ftp: "))
	}
	return b.String()
}

// printable escapes control characters (a CR/LF in a refused argument).
func printable(s string) string {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			q := strconv.Quote(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}

// Unwrap returns the error of the writer, reader or callback that stopped
// the operation (nil otherwise).
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether e matches target: a Result matches e.Code; an *Error
// matches when its non-zero Code and ReplyCode equal e's (so
// errors.Is(err, &ftp.Error{ReplyCode: 550}) tests for a 550 reply).
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case Result:
		return e.Code == t
	case *Error:
		if t == nil {
			return false
		}
		if t == e {
			return true
		}
		if t.Code == 0 && t.ReplyCode == 0 {
			return false
		}
		return (t.Code == 0 || t.Code == e.Code) && (t.ReplyCode == 0 || t.ReplyCode == e.ReplyCode)
	}
	return false
}

// Timeout reports whether the session timeout expired (as net.Error does).
func (e *Error) Timeout() bool { return e.Code == ErrTimeout }
