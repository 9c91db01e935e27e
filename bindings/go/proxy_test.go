// WithProxy through a minimal SOCKS5 proxy (RFC 1928, no authentication,
// CONNECT only) that records where each connection went.

package ftp_test

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"

	"libftp.dev/ftp"
)

type socks5 struct {
	addr    string
	mu      sync.Mutex
	targets []string
}

func newSocks5(t *testing.T) *socks5 {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &socks5{addr: ln.Addr().String()}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(conn)
		}
	}()
	return p
}

func (p *socks5) serve(c net.Conn) {
	defer c.Close()
	hdr := make([]byte, 2)
	if _, err := io.ReadFull(c, hdr); err != nil || hdr[0] != 5 {
		return
	}
	if _, err := io.ReadFull(c, make([]byte, hdr[1])); err != nil {
		return
	}
	c.Write([]byte{5, 0}) // no authentication
	req := make([]byte, 4)
	if _, err := io.ReadFull(c, req); err != nil || req[1] != 1 {
		return
	}
	var host string
	switch req[3] {
	case 1:
		ip := make([]byte, 4)
		io.ReadFull(c, ip)
		host = net.IP(ip).String()
	case 4:
		ip := make([]byte, 16)
		io.ReadFull(c, ip)
		host = net.IP(ip).String()
	case 3:
		n := make([]byte, 1)
		io.ReadFull(c, n)
		name := make([]byte, n[0])
		io.ReadFull(c, name)
		host = string(name)
	default:
		return
	}
	port := make([]byte, 2)
	if _, err := io.ReadFull(c, port); err != nil {
		return
	}
	target := net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(port))))
	up, err := net.Dial("tcp", target)
	if err != nil {
		c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	defer up.Close()
	p.mu.Lock()
	p.targets = append(p.targets, target)
	p.mu.Unlock()
	c.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	go func() { io.Copy(up, c); up.(*net.TCPConn).CloseWrite() }()
	io.Copy(c, up)
}

func TestPyftpdThroughSocks5(t *testing.T) {
	srv := needServer(t, "PYFTPD")
	proxy := newSocks5(t)
	c, err := ftp.Dial(srv.addr, ftp.WithProxy("socks5://"+proxy.addr), ftp.WithTimeout(testTimeout))
	if err != nil {
		t.Fatalf("Dial through the proxy: %v", err)
	}
	defer c.Close()
	if err := c.Login(srv.user, srv.pass); err != nil {
		t.Fatal(err)
	}
	wantHello(t, c, "hello.txt")
	proxy.mu.Lock()
	defer proxy.mu.Unlock()
	if len(proxy.targets) < 2 || proxy.targets[0] != srv.addr {
		t.Fatalf("connections through the proxy: %q, want the control connection to %s and a data connection",
			proxy.targets, srv.addr)
	}
	if _, err := ftp.Dial(srv.addr, ftp.WithProxy("gopher://"+proxy.addr)); !errors.Is(err, ftp.ErrInvalidArgument) {
		t.Fatalf("Dial with a bad proxy URL: %v", err)
	}
}
