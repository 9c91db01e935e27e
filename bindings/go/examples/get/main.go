// Command get downloads one file over FTP or FTPS with libftp.
//
//	go run ./examples/get -user tester -pass secret 127.0.0.1:2121 big.bin big.copy
//	go run ./examples/get -tls -cafile ca.pem ftp.example.org:21 pub/file.tar.gz -
//
// Without -user it logs in as anonymous. "-" as the output writes to stdout.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"libftp.dev/ftp"
)

func main() {
	user := flag.String("user", "", "user name (default: anonymous)")
	pass := flag.String("pass", "", "password")
	useTLS := flag.Bool("tls", false, "explicit FTPS (AUTH TLS), protected data connection")
	caFile := flag.String("cafile", "", "PEM file of CA certificates to trust (with -tls)")
	active := flag.Bool("active", false, "active mode (PORT/EPRT) instead of passive")
	verbose := flag.Bool("v", false, "print the FTP dialogue to stderr (password masked)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: get [flags] host[:port] remote-path local-file|-")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 3 {
		flag.Usage()
		os.Exit(2)
	}
	addr, remote, local := flag.Arg(0), flag.Arg(1), flag.Arg(2)
	if err := get(addr, remote, local, *user, *pass, *useTLS, *caFile, *active, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "get:", err)
		os.Exit(1)
	}
}

func get(addr, remote, local, user, pass string, useTLS bool, caFile string, active, verbose bool) error {
	opts := []ftp.Option{ftp.WithTimeout(30 * time.Second)}
	if active {
		opts = append(opts, ftp.WithActive())
	}
	if verbose {
		opts = append(opts, ftp.WithDebug(os.Stderr))
	}
	if useTLS {
		opts = append(opts, ftp.WithTLS(&ftp.TLSConfig{CAFile: caFile}))
	}
	c, err := ftp.Dial(addr, opts...)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Login(user, pass); err != nil {
		return err
	}
	if useTLS {
		if err := c.ProtP(); err != nil {
			return err
		}
	}

	var out io.Writer = os.Stdout
	if local != "-" {
		f, err := os.Create(local)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	if err := c.Retr(remote, out); err != nil {
		return err // a local write error is in there too: errors.Is finds it
	}
	if f, ok := out.(*os.File); ok && f != os.Stdout {
		if err := f.Close(); err != nil {
			return err
		}
	}
	return c.Quit()
}
