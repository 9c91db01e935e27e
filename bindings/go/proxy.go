package ftp

/*
#include <stdlib.h>
#include "ftp.h"
*/
import "C"

// WithProxy sends the control and data connections through a proxy:
// "socks5://[user:pass@]host:port" (names resolved here),
// "socks5h://..." (resolved by the proxy) or "http://[user:pass@]host:port"
// (CONNECT); user and password may hold %XX escapes. Control and passive
// data connections go through it (TLS runs end to end on top); a transfer
// in active mode through a proxy fails with ErrState. A proxy that cannot
// be reached or refuses gives ErrIO naming it (never its password); a
// malformed proxy URL ErrInvalidArgument. NewPool takes it too: every
// session of the pool goes through the proxy.
func WithProxy(proxyURL string) Option {
	return withCString(proxyURL,
		func(s *C.ftp_session, v *C.char) C.enum_ftp_result { return C.ftp_set_proxy(s, v) },
		func(p *C.ftp_pool, v *C.char) C.enum_ftp_result { return C.ftp_pool_set_proxy(p, v) })
}
