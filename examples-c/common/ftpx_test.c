/* Unit test of the examples' shared command line and URL handling (no
 * network, no server; the URL parser itself is libftp's, tested there). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftpx.h"

static int failures = 0;

static void check(bool cond, const char *what)
{
    printf("%s %s\n", cond ? "ok  " : "FAIL", what);
    if (!cond)
        failures++;
}

static const ftpx_tool tool = {
    .prog = "ftpx_test",
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

    argv[argc++] = (char *)"ftpx_test";
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
    const char *pos[2];
    int n = -1;

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
    check(args(&o, pos, &n, "--proxy", "socks5h://p:1080", "a", NULL) == -1 && n == 1 &&
              o.proxy != NULL && strcmp(o.proxy, "socks5h://p:1080") == 0,
          "args: --proxy URL");
    check(args(&o, pos, &n, "--proxy=http://p:3128", NULL) == -1 && o.proxy != NULL &&
              strcmp(o.proxy, "http://p:3128") == 0,
          "args: --proxy=URL");
    check(args(&o, pos, &n, "--proxy=", "a", NULL) == 2, "args: empty --proxy -> 2");
    check(args(&o, pos, &n, "a", "--proxy", NULL) == 2, "args: --proxy without a value -> 2");
}

/* --cacert / --insecure only with TLS (ftpes://, ftps:// or --tls). */
static void test_url_options(void)
{
    ftpx_opts o;

    ftpx_opts_init(&o, "ftpx_test");
    check(ftpx_check_url(&o, "ftp://h/x") == 0 && !ftpx_uses_tls(&o, "ftp://h/x"),
          "url: plain ftp://");
    check(ftpx_uses_tls(&o, "FTPS://h/x") && ftpx_uses_tls(&o, "ftpes://h/x") &&
              !ftpx_uses_tls(&o, "ftpsx://h/x") && !ftpx_uses_tls(&o, "ftps:/h"),
          "url: the FTPS schemes, in any case");
    o.cacert = "ca.pem";
    check(ftpx_check_url(&o, "ftp://h/x") == 2, "url: --cacert on plain ftp:// -> 2");
    check(ftpx_check_url(&o, "ftpes://h/x") == 0, "url: --cacert on ftpes://");
    o.cacert = NULL;
    o.insecure = true;
    check(ftpx_check_url(&o, "ftp://h/x") == 2, "url: --insecure on plain ftp:// -> 2");
    check(ftpx_check_url(&o, "ftps://h/x") == 0, "url: --insecure on ftps://");
    o.tls = true;
    o.cacert = "ca.pem";
    check(ftpx_check_url(&o, "ftp://h/x") == 0 && ftpx_uses_tls(&o, "ftp://h/x"),
          "url: --tls --cacert on ftp://");
    o.proxy = "socks5://p:1080";
    check(ftpx_check_url(&o, "ftp://h/x") == 0, "url: --proxy in passive mode");
    o.active = true;
    check(ftpx_check_url(&o, "ftp://h/x") == 2, "url: --proxy with --active -> 2");
}

/* The URL handed to libftp: a copy, ftp:// as ftpes:// with --tls only. */
static void test_session_url(void)
{
    ftpx_opts o;
    char *u;

    ftpx_opts_init(&o, "ftpx_test");
    u = ftpx_session_url(&o, "ftp://u@h/a%20b");
    check(u != NULL && strcmp(u, "ftp://u@h/a%20b") == 0, "session url: unchanged without --tls");
    free(u);
    o.tls = true;
    u = ftpx_session_url(&o, "FTP://u@h/x");
    check(u != NULL && strcmp(u, "ftpes://u@h/x") == 0, "session url: --tls makes ftp:// ftpes://");
    free(u);
    u = ftpx_session_url(&o, "ftps://h/x");
    check(u != NULL && strcmp(u, "ftps://h/x") == 0, "session url: --tls leaves ftps://");
    free(u);
}

/* A malformed URL fails in libftp before any connection: status 2. */
static void test_open_bad_url(void)
{
    ftpx_opts o;
    char *path = (char *)"unchanged";
    int status = -1;
    ftp_session *s;

    ftpx_opts_init(&o, "ftpx_test");
    o.quiet = true;
    s = ftpx_open(&o, "ftp://u:pw@h:0/x", &path, &status);
    check(s == NULL && status == 2 && path == NULL, "open: bad port -> NULL, status 2");
    s = ftpx_open(&o, "gopher://h/x", &path, &status);
    check(s == NULL && status == 2, "open: bad scheme -> NULL, status 2");
    o.tls = true;
    s = ftpx_open(&o, "ftp://h/a b", &path, &status);
    check(s == NULL && status == 2, "open: --tls with a bad ftp:// URL -> status 2");
    o.tls = false;
    o.proxy = "gopher://p:70";
    s = ftpx_open(&o, "ftp://127.0.0.1:1/x", &path, &status);
    check(s == NULL && status == 2 && path == NULL, "open: bad --proxy URL -> status 2");
}

int main(void)
{
    char *d;
    ftpx_opts o;

    if (strcmp(ftpx_basename("a/b/c.txt"), "c.txt") != 0 || strcmp(ftpx_basename("c"), "c") != 0 ||
        strcmp(ftpx_basename("d/"), "") != 0) {
        printf("FAIL basename\n");
        failures++;
    }
    ftpx_opts_init(&o, "ftpx_test");
    d = ftpx_concat(&o, "STOR ", "a/b.bin");
    check(d != NULL && strcmp(d, "STOR a/b.bin") == 0, "ftpx_concat");
    free(d);

    test_args();
    test_url_options();
    test_session_url();
    test_open_bad_url();

    printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
    return failures ? 1 : 0;
}
