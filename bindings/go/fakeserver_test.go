package ftp_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
)

// stallServer is a tiny FTP server on loopback that logs anyone in and
// answers RETR with a 150 and `sent` bytes on the data connection, then
// stalls: the data connection stays open and silent until the client
// closes or resets it (a hung server); only then does it answer 426.
type stallServer struct {
	addr string
	sent int
	cmds chan string // every command received, in order
}

func newStallServer(t *testing.T, sent int) *stallServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &stallServer{addr: ln.Addr().String(), sent: sent, cmds: make(chan string, 100)}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go srv.serve(conn, done)
		}
	}()
	return srv
}

func (srv *stallServer) serve(conn net.Conn, done chan struct{}) {
	defer conn.Close()
	go func() { <-done; conn.Close() }()
	r := bufio.NewReader(conn)
	reply := func(s string) { fmt.Fprintf(conn, "%s\r\n", s) }
	reply("220 stall server")
	var data net.Listener
	defer func() {
		if data != nil {
			data.Close()
		}
	}()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		select {
		case srv.cmds <- cmd:
		default:
		}
		verb := strings.ToUpper(strings.SplitN(cmd, " ", 2)[0])
		switch verb {
		case "USER":
			reply("331 password please")
		case "PASS":
			reply("230 logged in")
		case "TYPE", "NOOP":
			reply("200 ok")
		case "PWD":
			reply(`257 "/" is the current directory`)
		case "EPSV":
			if data, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
				reply("425 no data port")
				continue
			}
			reply(fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)", data.Addr().(*net.TCPAddr).Port))
		case "RETR":
			if data == nil {
				reply("425 use EPSV first")
				continue
			}
			reply("150 here it comes")
			dc, err := data.Accept()
			if err != nil {
				return
			}
			dc.Write(make([]byte, srv.sent))
			// stall until the client gives up the data connection, then
			// answer as servers do when a transfer is cut
			io.Copy(io.Discard, dc)
			dc.Close()
			reply("426 connection closed; transfer aborted")
		case "ABOR":
			reply("226 abort ok")
		default:
			reply("502 not implemented")
		}
	}
}
