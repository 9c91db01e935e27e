/* Unit test of ftpurl_parse (no network, no server). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftpurl.h"

static int failures = 0;

static void ok(const char *url, const char *user, const char *pass, const char *host,
               unsigned port, const char *path)
{
    ftpurl u;
    char err[256];

    if (ftpurl_parse(url, &u, err, sizeof err) != 0) {
        printf("FAIL %s: rejected: %s\n", url, err);
        failures++;
        return;
    }
    if (strcmp(u.scheme, "ftp") != 0 || strcmp(u.user, user) != 0 || strcmp(u.pass, pass) != 0 ||
        strcmp(u.host, host) != 0 || u.port != port || strcmp(u.path, path) != 0) {
        printf("FAIL %s: got scheme=%s user=%s pass=%s host=%s port=%u path=%s\n", url, u.scheme,
               u.user, u.pass, u.host, (unsigned)u.port, u.path);
        failures++;
    } else {
        printf("ok   %s\n", url);
    }
    ftpurl_free(&u);
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

    bad("http://example.com/x", "unsupported URL scheme 'http://'");
    bad("ftps://example.com/x", "ftps:// URLs are not supported yet");
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

    printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
    return failures ? 1 : 0;
}
