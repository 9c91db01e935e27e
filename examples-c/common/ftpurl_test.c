/* Unit test of ftpurl_parse and of the shared command line (no network, no
 * server). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftpurl.h"

static int failures = 0;

static void ok_scheme(const char *url, const char *scheme, const char *user, const char *pass,
                      const char *host, unsigned port, const char *path)
{
    ftpurl u;
    char err[256];

    if (ftpurl_parse(url, &u, err, sizeof err) != 0) {
        printf("FAIL %s: rejected: %s\n", url, err);
        failures++;
        return;
    }
    if (strcmp(u.scheme, scheme) != 0 || ftpurl_is_implicit_tls(&u) != (strcmp(scheme, "ftps") == 0) || strcmp(u.user, user) != 0 || strcmp(u.pass, pass) != 0 ||
        strcmp(u.host, host) != 0 || u.port != port || strcmp(u.path, path) != 0) {
        printf("FAIL %s: got scheme=%s user=%s pass=%s host=%s port=%u path=%s\n", url, u.scheme,
               u.user, u.pass, u.host, (unsigned)u.port, u.path);
        failures++;
    } else {
        printf("ok   %s\n", url);
    }
    ftpurl_free(&u);
}

static void ok(const char *url, const char *user, const char *pass, const char *host,
               unsigned port, const char *path)
{
    ok_scheme(url, "ftp", user, pass, host, port, path);
}

static void bad(const char *url, const char *needle)
{
    ftpurl u;
    char err[256];

    if (ftpurl_parse(url, &u, err, sizeof err) == 0) {
        printf("FAIL %s: accepted (host=%s path=%s)\n", url, u.host, u.path);
        failures++;
        ftpurl_free(&u);
        return;
    }
    if (strstr(err, needle) == NULL) {
        printf("FAIL %s: message '%s' lacks '%s'\n", url, err, needle);
        failures++;
        return;
    }
    printf("ok   %s -> %s\n", url, err);
    ftpurl_free(&u); /* harmless on a rejected URL */
}

static void check(bool cond, const char *what)
{
    printf("%s %s\n", cond ? "ok  " : "FAIL", what);
    if (!cond)
        failures++;
}

static const ftpx_tool tool = {
    .prog = "ftpurl_test",
    .synopsis = "[OPTIONS] A [B]",
    .about = "",
    .max_args = 2,
};

/* Runs ftpx_parse_args on a NULL-terminated argument list (argv[0] added). */
static int args(ftpx_opts *o, const char **pos, int *npos, ...)
{
    char *argv[16];
    int argc = 0;
    const char *a;
    va_list ap;

    argv[argc++] = (char *)"ftpurl_test";
    va_start(ap, npos);
    while ((a = va_arg(ap, const char *)) != NULL && argc < 15)
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    pos[0] = pos[1] = NULL;
    return ftpx_parse_args(&tool, argc, argv, o, pos, npos);
}

/* The shared command line: FTPS options, "--", errors. */
static void test_args(void)
{
    ftpx_opts o;
    ftpurl u;
    const char *pos[2];
    int n = -1;
    char *d;

    check(args(&o, pos, &n, "ftp://h/x", NULL) == -1 && n == 1 && strcmp(pos[0], "ftp://h/x") == 0 &&
              !o.tls && o.cacert == NULL && !o.insecure && o.timeout_s == 30.0,
          "args: defaults");
    check(args(&o, pos, &n, "--tls", "--cacert", "ca.pem", "a", "--insecure", "b", NULL) == -1 &&
              n == 2 && o.tls && o.insecure && o.cacert != NULL && strcmp(o.cacert, "ca.pem") == 0 &&
              strcmp(pos[1], "b") == 0,
          "args: --tls --cacert FILE --insecure between positionals");
    check(args(&o, pos, &n, "--cacert=x.pem", "-q", "--timeout=2.5", "a", NULL) == -1 &&
              strcmp(o.cacert, "x.pem") == 0 && o.quiet && o.timeout_s == 2.5,
          "args: --cacert=FILE, --timeout=S");
    check(args(&o, pos, &n, "--", "--tls", "-", NULL) == -1 && n == 2 && !o.tls &&
              strcmp(pos[0], "--tls") == 0 && strcmp(pos[1], "-") == 0,
          "args: -- ends the options");
    check(args(&o, pos, &n, "a", "--cacert", NULL) == 2, "args: --cacert without a value -> 2");
    check(args(&o, pos, &n, "--cacert=", "a", NULL) == 2, "args: empty --cacert -> 2");
    check(args(&o, pos, &n, "--tlsx", "a", NULL) == 2, "args: unknown option -> 2");
    check(args(&o, pos, &n, "a", "b", "c", NULL) == 2, "args: too many arguments -> 2");
    check(args(&o, pos, &n, "--timeout", "-1", NULL) == 2, "args: bad --timeout -> 2");

    /* --cacert / --insecure only with TLS; --tls on ftps:// is harmless. */
    ftpx_opts_init(&o, "ftpurl_test");
    o.cacert = "ca.pem";
    check(ftpx_parse_url(&o, "ftp://h/x", &u) == 2, "url: --cacert on plain ftp:// -> 2");
    ftpurl_free(&u);
    o.cacert = NULL;
    o.insecure = true;
    check(ftpx_parse_url(&o, "ftp://h/x", &u) == 2, "url: --insecure on plain ftp:// -> 2");
    ftpurl_free(&u);
    check(ftpx_parse_url(&o, "ftps://h/x", &u) == 0 && ftpx_uses_tls(&o, &u) && u.port == 990,
          "url: --insecure on ftps://");
    ftpurl_free(&u);
    o.tls = true;
    o.cacert = "ca.pem";
    check(ftpx_parse_url(&o, "ftp://h/x", &u) == 0 && ftpx_uses_tls(&o, &u) && u.port == 21,
          "url: --tls --cacert on ftp:// keeps port 21");
    ftpurl_free(&u);
    check(ftpx_parse_url(&o, "ftps://h/x", &u) == 0 && ftpx_uses_tls(&o, &u) && u.port == 990,
          "url: --tls on ftps://");
    ftpurl_free(&u);
    ftpx_opts_init(&o, "ftpurl_test");
    check(ftpx_parse_url(&o, "ftp://h/x", &u) == 0 && !ftpx_uses_tls(&o, &u), "url: plain ftp://");
    ftpurl_free(&u);
    check(ftpx_parse_url(&o, "gopher://h/x", &u) == 2, "url: bad scheme -> 2");
    ftpurl_free(&u);

    d = ftpx_concat(&o, "STOR ", "a/b.bin");
    check(d != NULL && strcmp(d, "STOR a/b.bin") == 0, "ftpx_concat");
    free(d);
}

int main(void)
{
    char *d;
    int isbad = -1;

    ok("ftp://example.com/pub/file.txt", "anonymous", "", "example.com", 21, "pub/file.txt");
    ok("FTP://example.com", "anonymous", "", "example.com", 21, "");
    ok("ftp://example.com/", "anonymous", "", "example.com", 21, "");
    ok("ftp://example.com:", "anonymous", "", "example.com", 21, "");
    ok("ftp://u@h:2121/d/", "u", "", "h", 2121, "d/");
    ok("ftp://user:secret@127.0.0.1:2121/a%20b", "user", "secret", "127.0.0.1", 2121, "a b");
    ok("ftp://us%40er:p%3Aa%2Fss@h/x", "us@er", "p:a/ss", "h", 21, "x");
    ok("ftp://u:p@ss@h/x", "u", "p@ss", "h", 21, "x");
    ok("ftp://u:@h/x", "u", "", "h", 21, "x");
    ok("ftp://:pw@h/x", "anonymous", "pw", "h", 21, "x");
    ok("ftp://[::1]/f", "anonymous", "", "::1", 21, "f");
    ok("ftp://me:pw@[::1]:2121/dir/f", "me", "pw", "::1", 2121, "dir/f");
    ok("ftp://h//abs/path", "anonymous", "", "h", 21, "/abs/path");
    ok("ftp://h/%2Fabs", "anonymous", "", "h", 21, "/abs");
    ok("ftp://h/%c3%a9t%C3%A9", "anonymous", "", "h", 21, "\xc3\xa9t\xc3\xa9");
    ok("ftp://h:65535/x", "anonymous", "", "h", 65535, "x");

    ok_scheme("ftps://example.com/pub/file.txt", "ftps", "anonymous", "", "example.com", 990,
              "pub/file.txt");
    ok_scheme("FTPS://example.com", "ftps", "anonymous", "", "example.com", 990, "");
    ok_scheme("ftps://h:", "ftps", "anonymous", "", "h", 990, "");
    ok_scheme("ftps://tester:s%40cret@localhost:2990/x.bin", "ftps", "tester", "s@cret",
              "localhost", 2990, "x.bin");
    ok_scheme("ftps://[::1]/f", "ftps", "anonymous", "", "::1", 990, "f");
    ok_scheme("ftps://h:21/x", "ftps", "anonymous", "", "h", 21, "x");
    ok_scheme("ftps://h//abs", "ftps", "anonymous", "", "h", 990, "/abs");
    check(ftpurl_default_port("ftp") == 21 && ftpurl_default_port("ftps") == 990 &&
              ftpurl_default_port("sftp") == 0 && ftpurl_default_port(NULL) == 0,
          "ftpurl_default_port");

    bad("http://example.com/x", "unsupported URL scheme 'http://'");
    bad("sftp://example.com/x", "unsupported URL scheme 'sftp://' (only ftp:// and ftps://");
    bad("ftpes://example.com/x", "unsupported URL scheme 'ftpes://'");
    bad("ftps//example.com/x", "not a URL of the form ftp[s]://");
    bad("ftps:///x", "no host");
    bad("ftps://h:0/x", "bad port");
    bad("ftps://::1/x", "more than one ':'");
    bad("example.com/x", "not a URL");
    bad("://h/x", "not a URL");
    bad("ftp:///x", "no host");
    bad("ftp://u@/x", "no host");
    bad("ftp://h:0/x", "bad port");
    bad("ftp://h:65536/x", "bad port");
    bad("ftp://h:99999999999999999999/x", "bad port");
    bad("ftp://h:21a/x", "bad port");
    bad("ftp://::1/x", "more than one ':'");
    bad("ftp://[::1/x", "unterminated '['");
    bad("ftp://[]/x", "empty IPv6");
    bad("ftp://[::1]x/x", "after ']'");
    bad("ftp://h/a%2", "bad %-escape in the URL's path");
    bad("ftp://h/a%zz", "bad %-escape in the URL's path");
    bad("ftp://h/a%00b", "bad %-escape in the URL's path");
    bad("ftp://u%4:p@h/x", "bad %-escape in the URL's user name");
    bad("ftp://u:p%@h/x", "bad %-escape in the URL's password");
    bad("ftp://h/a b", "space or control");
    bad("ftp://h/a\r\nDELE x", "space or control");

    d = ftpurl_decode("a%41%42", 7, &isbad);
    if (d == NULL || strcmp(d, "aAB") != 0 || isbad != 0) {
        printf("FAIL decode\n");
        failures++;
    }
    ftpurl_free(NULL);
    free(d);
    if (strcmp(ftpx_basename("a/b/c.txt"), "c.txt") != 0 || strcmp(ftpx_basename("c"), "c") != 0 ||
        strcmp(ftpx_basename("d/"), "") != 0) {
        printf("FAIL basename\n");
        failures++;
    }

    test_args();

    printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
    return failures ? 1 : 0;
}
