package ftp

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"errors"
	"io"
	"net"
	"runtime"
	"runtime/cgo"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"
)

// transferBlock is the block size of Retr and Stor.
const transferBlock = 64 << 10

// Conn is a connection to an FTP or FTPS server (one libftp session).
//
// A Conn is not safe for concurrent use: one call at a time. A call made
// while another call on the same Conn is in progress (from another
// goroutine, or from inside a writer, reader or callback function of that
// call) does not wait and does not touch the session: it fails at once
// with an *Error whose Code is ErrState.
//
// Close (or Quit) releases the session; a finalizer does it as a safety net
// for a Conn that becomes unreachable without being closed.
type Conn struct {
	s       *C.ftp_session
	busy    atomic.Bool
	debug   *debugSink
	debugH  cgo.Handle
	welcome string
}

// Reply is a server reply.
type Reply struct {
	Code    int    // the 3-digit code
	Message string // the whole reply, lines joined by '\n' (code included)
}

func (r Reply) String() string { return r.Message }

// Version is the version of the libftp library in use, e.g. "0.1.0".
func Version() string { return C.GoString(C.ftp_version()) }

// cString copies s to C memory (free it with C.free). A NUL byte, which C
// would silently take for the end, is refused.
func cString(op, s string) (*C.char, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, &Error{Op: op, Code: ErrInvalidArgument, Message: "NUL byte in string argument"}
	}
	return C.CString(s), nil
}

// cStringOrNil is cString, with "" giving NULL.
func cStringOrNil(op, s string) (*C.char, error) {
	if s == "" {
		return nil, nil
	}
	return cString(op, s)
}

func free(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

// splitAddr splits "host:port", "host", "[v6]:port", "[v6]" or "v6"; no
// port gives 0 (libftp's default: 21, or 990 for implicit TLS).
func splitAddr(addr string) (string, uint16, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		if ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")); ip != nil {
			return strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]"), 0, nil
		}
		var ae *net.AddrError
		if errors.As(err, &ae) && strings.Contains(ae.Err, "missing port") && addr != "" {
			return addr, 0, nil
		}
		return "", 0, err
	}
	if host == "" {
		return "", 0, errors.New("missing host in address " + addr)
	}
	if portStr == "" {
		return host, 0, nil
	}
	port, err := net.LookupPort("tcp", portStr)
	if err != nil {
		return "", 0, err
	}
	return host, uint16(port), nil
}

// Dial connects to the FTP server at addr ("host:port"; without a port, 21,
// or 990 for implicit FTPS) and reads its welcome. With WithTLS (or
// DialTLS) the control connection is secured before Dial returns. Then call
// Login.
func Dial(addr string, opts ...Option) (*Conn, error) {
	cfg := dialConfig{passive: true}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	op := "dial " + addr
	host, port, err := splitAddr(addr)
	if err != nil {
		return nil, &Error{Op: op, Code: ErrInvalidArgument, Message: err.Error()}
	}
	var s *C.ftp_session
	if cfg.useTLS {
		ccfg, err := cfg.tls.newCConfig()
		if err != nil {
			return nil, err
		}
		s = C.ftp_session_new_tls(ccfg)
		C.ftp_tls_config_free(ccfg) // the session keeps a copy
	} else {
		s = C.ftp_session_new()
	}
	if s == nil {
		return nil, &Error{Op: op, Code: ErrInternal, Message: "out of memory"}
	}
	c := &Conn{s: s}
	runtime.SetFinalizer(c, (*Conn).finalize)
	if err := c.setup(op, &cfg, host, port); err != nil {
		c.free()
		return nil, err
	}
	return c, nil
}

// DialTLS connects to an FTPS server: Dial with WithTLS(cfg). cfg nil means
// the defaults (system roots, host name check); cfg.Implicit selects
// implicit FTPS. Login then protects the data connections too (PBSZ 0 +
// PROT P), unless ProtC was called before it.
func DialTLS(addr string, cfg *TLSConfig, opts ...Option) (*Conn, error) {
	return Dial(addr, append([]Option{WithTLS(cfg)}, opts...)...)
}

func (c *Conn) setup(op string, cfg *dialConfig, host string, port uint16) error {
	s := c.s
	if cfg.timeout > 0 {
		ms := cfg.timeout.Milliseconds()
		if ms == 0 {
			ms = 1
		}
		if err := c.check(op, C.ftp_set_timeout_ms(s, C.uint64_t(ms)), nil); err != nil {
			return err
		}
	}
	if cfg.sourceAddr != "" {
		shost, sport, err := splitAddr(cfg.sourceAddr)
		if err != nil {
			return &Error{Op: op, Code: ErrInvalidArgument, Message: "source address: " + err.Error()}
		}
		cs, err := cString(op, shost)
		if err != nil {
			return err
		}
		r := C.ftp_set_source_address(s, cs, C.uint16_t(sport))
		free(cs)
		if err := c.check(op, r, nil); err != nil {
			return err
		}
	}
	if cfg.encoding != "" {
		cs, err := cString(op, cfg.encoding)
		if err != nil {
			return err
		}
		r := C.ftp_set_encoding(s, cs)
		free(cs)
		if err := c.check(op, r, nil); err != nil {
			return err
		}
	}
	if err := c.check(op, C.ftp_set_pasv(s, C.bool(cfg.passive)), nil); err != nil {
		return err
	}
	if cfg.trustPASV {
		if err := c.check(op, C.ftp_set_trust_server_pasv_ipv4_address(s, true), nil); err != nil {
			return err
		}
	}
	level := cfg.debugLevel
	if !cfg.debugLevelOK && cfg.debug != nil {
		level = 1
	}
	if cfg.debug != nil {
		c.debug = &debugSink{w: cfg.debug}
		c.debugH = cgo.NewHandle(c.debug)
		if err := c.check(op, C.ftpgo_set_debug(s, C.uintptr_t(c.debugH)), nil); err != nil {
			return err
		}
	}
	if level != 0 {
		if err := c.check(op, C.ftp_set_debuglevel(s, C.int(level)), nil); err != nil {
			return err
		}
	}
	if cfg.implicit {
		if err := c.check(op, C.ftp_set_implicit_tls(s, true), nil); err != nil {
			return err
		}
	}
	chost, err := cString(op, host)
	if err != nil {
		return err
	}
	r := C.ftp_connect(s, chost, C.uint16_t(port))
	free(chost)
	if err := c.check(op, r, nil); err != nil {
		return err
	}
	if w := C.ftp_getwelcome(s); w != nil {
		c.welcome = C.GoString(w)
	}
	if cfg.useTLS && !cfg.implicit {
		if err := c.check(op, C.ftp_auth(s), nil); err != nil {
			return err
		}
	}
	return nil
}

// errBusy and errClosed are the errors of a Conn that cannot take a call.
func errBusy(op string) error {
	return &Error{Op: op, Code: ErrState,
		Message: "another call on this Conn is in progress (concurrent use, or a call from inside a callback)"}
}

func errClosed(op string) error {
	return &Error{Op: op, Code: ErrState, Message: "use of closed connection"}
}

// begin marks the Conn busy and returns its session; end must follow.
func (c *Conn) begin(op string) (*C.ftp_session, error) {
	if c == nil {
		return nil, errClosed(op)
	}
	if !c.busy.CompareAndSwap(false, true) {
		return nil, errBusy(op)
	}
	if c.s == nil {
		c.busy.Store(false)
		return nil, errClosed(op)
	}
	return c.s, nil
}

func (c *Conn) end() {
	c.busy.Store(false)
	runtime.KeepAlive(c) // the session must outlive every C call
}

// check turns a libftp result into an error (nil for FTP_OK), reading the
// session's last reply and error; then it raises again any panic recovered
// in a callback of the call.
func (c *Conn) check(op string, r C.enum_ftp_result, st *callState) error {
	var err error
	if r != C.FTP_OK {
		e := &Error{
			Op:        op,
			Code:      Result(r),
			ReplyCode: int(C.ftp_last_code(c.s)),
			Reply:     C.GoString(C.ftp_last_response(c.s)),
			Message:   C.GoString(C.ftp_last_error(c.s)),
		}
		if st != nil && st.err != nil {
			e.Err = st.err
		}
		err = e
	}
	if d := c.debug; d != nil && d.panicked {
		v := d.panicV
		d.panicked, d.panicV = false, nil
		panic(v)
	}
	st.repanic()
	return err
}

// simple runs one C call taking the session and up to two strings.
func (c *Conn) simple(op string, args []string, f func(s *C.ftp_session, a []*C.char) C.enum_ftp_result) error {
	s, err := c.begin(op)
	if err != nil {
		return err
	}
	defer c.end()
	cs := make([]*C.char, len(args))
	defer func() {
		for _, p := range cs {
			free(p)
		}
	}()
	for i, a := range args {
		if cs[i], err = cString(op, a); err != nil {
			return err
		}
	}
	return c.check(op, f(s, cs), nil)
}

// withHandle runs a call whose callbacks use st, passed as a cgo.Handle
// deleted when the call returns.
func (c *Conn) withHandle(op string, arg string, nullIfEmpty bool, st *callState,
	f func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result) error {
	s, err := c.begin(op)
	if err != nil {
		return err
	}
	defer c.end()
	var ca *C.char
	if nullIfEmpty {
		ca, err = cStringOrNil(op, arg)
	} else {
		ca, err = cString(op, arg)
	}
	if err != nil {
		return err
	}
	defer free(ca)
	h := cgo.NewHandle(st)
	defer h.Delete()
	return c.check(op, f(s, ca, C.uintptr_t(h)), st)
}

// Welcome is the server's welcome reply (e.g. "220 (vsFTPd 3.0.3)").
func (c *Conn) Welcome() string { return c.welcome }

// Login logs in: USER, then PASS (and an empty ACCT) when the server asks.
// An empty user means "anonymous" (password "anonymous@" when pass is
// empty). The password never appears in debug output. A refused login
// gives an *Error matching ErrPerm, with ReplyCode 530.
func (c *Conn) Login(user, pass string) error {
	op := "login"
	if user != "" {
		op = "login " + user
	}
	return c.simple(op, []string{user, pass}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_login(s, a[0], a[1], nil)
	})
}

// Retr downloads a file in binary mode (TYPE I, RETR path) to w. An error
// from w stops the transfer (the data connection is reset and the final
// reply read, so the Conn stays usable) and is returned wrapped: errors.Is
// finds it, and the *Error has Code ErrCallback.
func (c *Conn) Retr(path string, w io.Writer) error {
	return c.retr("RETR "+path, -1, w)
}

// RetrFrom is Retr starting at byte offset (REST offset, then RETR).
func (c *Conn) RetrFrom(path string, offset int64, w io.Writer) error {
	if offset < 0 {
		return &Error{Op: "RETR " + path, Code: ErrInvalidArgument, Message: "negative offset"}
	}
	return c.retr("RETR "+path, offset, w)
}

func (c *Conn) retr(cmd string, rest int64, w io.Writer) error {
	if w == nil {
		return &Error{Op: cmd, Code: ErrInvalidArgument, Message: "nil writer"}
	}
	st := &callState{w: w}
	return c.withHandle(cmd, cmd, false, st, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_retrbinary(s, a, h, transferBlock, C.int64_t(rest))
	})
}

// Stor uploads r's data in binary mode (TYPE I, STOR path) until r
// returns io.EOF. Another error from r stops the upload and is returned
// wrapped (Code ErrCallback); the server keeps what it received, which may
// need deleting.
func (c *Conn) Stor(path string, r io.Reader) error {
	return c.stor("STOR "+path, -1, r)
}

// StorFrom is Stor resuming at byte offset (REST offset, then STOR): r
// supplies the data from that offset on.
func (c *Conn) StorFrom(path string, offset int64, r io.Reader) error {
	if offset < 0 {
		return &Error{Op: "STOR " + path, Code: ErrInvalidArgument, Message: "negative offset"}
	}
	return c.stor("STOR "+path, offset, r)
}

// Append is Stor with APPE: the data is added at the end of the file.
func (c *Conn) Append(path string, r io.Reader) error {
	return c.stor("APPE "+path, -1, r)
}

func (c *Conn) stor(cmd string, rest int64, r io.Reader) error {
	if r == nil {
		return &Error{Op: cmd, Code: ErrInvalidArgument, Message: "nil reader"}
	}
	st := &callState{r: r}
	return c.withHandle(cmd, cmd, false, st, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_storbinary(s, a, h, transferBlock, C.int64_t(rest))
	})
}

// RetrLines runs cmd (e.g. "RETR notes.txt", "LIST -a") in ASCII mode
// (TYPE A) and calls fn for each line of the data, without its line end.
// An error from fn stops the transfer and is returned wrapped.
func (c *Conn) RetrLines(cmd string, fn func(line string) error) error {
	if fn == nil {
		return &Error{Op: cmd, Code: ErrInvalidArgument, Message: "nil line function"}
	}
	st := &callState{line: fn}
	return c.withHandle(cmd, cmd, false, st, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_retrlines(s, a, h)
	})
}

func (c *Conn) lines(op, arg string, f func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result) ([]string, error) {
	var out []string
	st := &callState{line: func(l string) error { out = append(out, l); return nil }}
	if err := c.withHandle(op, arg, true, st, f); err != nil {
		return nil, err
	}
	return out, nil
}

// List returns the lines of a LIST of path ("" = the current directory);
// their format is the server's.
func (c *Conn) List(path string) ([]string, error) {
	return c.lines(strings.TrimSpace("LIST "+path), path, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_dir(s, a, h)
	})
}

// NameList returns the names of an NLST of path ("" = the current
// directory).
func (c *Conn) NameList(path string) ([]string, error) {
	return c.lines(strings.TrimSpace("NLST "+path), path, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_nlst(s, a, h)
	})
}

// Entry is one entry of an MLSD listing.
type Entry struct {
	Name   string            // as sent (spaces and ';' kept)
	Type   string            // the "type" fact: "file", "dir", "cdir", "pdir", ... ("" if absent)
	Size   int64             // the "size" fact; -1 if unknown
	Modify time.Time         // the "modify" fact (UTC); zero if unknown
	Facts  map[string]string // every fact, names lowercased
}

// IsDir reports whether the entry is a directory (type dir, cdir or pdir).
func (e Entry) IsDir() bool {
	switch strings.ToLower(e.Type) {
	case "dir", "cdir", "pdir":
		return true
	}
	return false
}

// parseMLSDTime parses an MLSD time value, YYYYMMDDHHMMSS[.sss], in UTC.
func parseMLSDTime(v string) time.Time {
	t, err := time.ParseInLocation("20060102150405", v, time.UTC)
	if err != nil {
		return time.Time{}
	}
	return t
}

func newEntry(name string, facts map[string]string) Entry {
	e := Entry{Name: name, Type: facts["type"], Size: -1, Facts: facts}
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
	}
	return e
}

// MLSD lists a directory ("" = the current one) with MLSD (RFC 3659),
// giving each entry's facts. The server's "cdir"/"pdir" entries, if it
// sends them, are included (see Entry.IsDir and Entry.Type).
func (c *Conn) MLSD(path string) ([]Entry, error) {
	var out []Entry
	st := &callState{entry: func(name string, facts map[string]string) error {
		out = append(out, newEntry(name, facts))
		return nil
	}}
	op := strings.TrimSpace("MLSD " + path)
	if err := c.withHandle(op, path, true, st, func(s *C.ftp_session, a *C.char, h C.uintptr_t) C.enum_ftp_result {
		return C.ftpgo_mlsd(s, a, h)
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// Rename renames a file or directory (RNFR, RNTO).
func (c *Conn) Rename(from, to string) error {
	return c.simple("rename "+from, []string{from, to}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_rename(s, a[0], a[1])
	})
}

// Delete deletes a file (DELE).
func (c *Conn) Delete(path string) error {
	return c.simple("DELE "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_delete(s, a[0])
	})
}

// Mkdir makes a directory (MKD) and returns its path as the server gives
// it in the 257 reply ("" if the server answered another 2xx reply).
func (c *Conn) Mkdir(path string) (string, error) {
	var out string
	err := c.simple("MKD "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		var p *C.char
		r := C.ftp_mkd(s, a[0], &p)
		if r == C.FTP_OK && p != nil {
			out = C.GoString(p)
		}
		return r
	})
	return out, err
}

// Rmdir removes a directory (RMD).
func (c *Conn) Rmdir(path string) error {
	return c.simple("RMD "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_rmd(s, a[0])
	})
}

// Cwd changes the current directory (CWD; ".." tries CDUP first).
func (c *Conn) Cwd(path string) error {
	return c.simple("CWD "+path, []string{path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_cwd(s, a[0])
	})
}

// Pwd returns the current directory (PWD).
func (c *Conn) Pwd() (string, error) {
	var out string
	err := c.simple("PWD", nil, func(s *C.ftp_session, _ []*C.char) C.enum_ftp_result {
		var p *C.char
		r := C.ftp_pwd(s, &p)
		if r == C.FTP_OK && p != nil {
			out = C.GoString(p)
		}
		return r
	})
	return out, err
}

// Size returns the size of a file (SIZE). It switches to binary type
// (TYPE I) first, as many servers refuse SIZE in ASCII mode. It returns -1
// (and no error) when the server accepts the command with a reply other
// than 213.
func (c *Conn) Size(path string) (int64, error) {
	var out int64 = -1
	err := c.simple("SIZE "+path, []string{"TYPE I", path}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		if r := C.ftp_voidcmd(s, a[0]); r != C.FTP_OK {
			return r
		}
		var n C.int64_t
		r := C.ftp_size(s, a[1], &n)
		if r == C.FTP_OK {
			out = int64(n)
		}
		return r
	})
	return out, err
}

// SendCmd sends a command (CRLF is added; CR, LF and NUL are refused) and
// returns the reply, which must be 1xx-3xx. On an error the reply is
// returned too when the server answered.
func (c *Conn) SendCmd(cmd string) (Reply, error) {
	var rep Reply
	err := c.simple(cmd, []string{cmd}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		r := C.ftp_sendcmd(s, a[0])
		rep = Reply{Code: int(C.ftp_last_code(s)), Message: C.GoString(C.ftp_last_response(s))}
		return r
	})
	return rep, err
}

// Noop sends NOOP, which must get a 2xx reply.
func (c *Conn) Noop() error {
	return c.simple("NOOP", []string{"NOOP"}, func(s *C.ftp_session, a []*C.char) C.enum_ftp_result {
		return C.ftp_voidcmd(s, a[0])
	})
}

// ProtP protects the data connections of a TLS Conn from now on (PBSZ 0,
// PROT P). Login does it by itself on a TLS Conn; ProtP is needed only
// after ProtC.
func (c *Conn) ProtP() error {
	return c.simple("PROT P", nil, func(s *C.ftp_session, _ []*C.char) C.enum_ftp_result {
		return C.ftp_prot_p(s)
	})
}

// ProtC makes the data connections of a TLS Conn clear text (PROT C).
// Before Login it sends nothing and keeps Login from protecting them.
func (c *Conn) ProtC() error {
	return c.simple("PROT C", nil, func(s *C.ftp_session, _ []*C.char) C.enum_ftp_result {
		return C.ftp_prot_c(s)
	})
}

// CCC turns the control connection of a TLS Conn back to clear text.
func (c *Conn) CCC() error {
	return c.simple("CCC", nil, func(s *C.ftp_session, _ []*C.char) C.enum_ftp_result {
		return C.ftp_ccc(s)
	})
}

// Quit sends QUIT, closes the connection and releases the Conn (even when
// the reply is an error, which is returned).
func (c *Conn) Quit() error {
	s, err := c.begin("QUIT")
	if err != nil {
		return err
	}
	defer c.end()
	err = c.check("QUIT", C.ftp_quit(s), nil)
	c.free()
	return err
}

// Close closes the connection without sending anything and releases the
// Conn. Closing again returns nil. It fails with ErrState while another
// call on the Conn is in progress.
func (c *Conn) Close() error {
	if c == nil {
		return nil
	}
	if !c.busy.CompareAndSwap(false, true) {
		return errBusy("close")
	}
	defer c.end()
	if c.s == nil {
		return nil
	}
	err := c.check("close", C.ftp_close(c.s), nil)
	c.free()
	return err
}

// free releases the session and the debug handle.
func (c *Conn) free() {
	if c.s != nil {
		C.ftp_session_free(c.s)
		c.s = nil
	}
	if c.debug != nil {
		c.debugH.Delete()
		c.debug = nil
	}
	runtime.SetFinalizer(c, nil)
}

// finalize is the safety net for a Conn never closed.
func (c *Conn) finalize() { c.free() }
