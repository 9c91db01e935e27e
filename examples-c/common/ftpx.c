/* Shared helpers for the libftp C examples, the command line: see ftpx.h
 * (the session in ftpx_session.c, the progress display in ftpx_progress.c). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "ftpx.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ URL */

const char *ftpx_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* Whether url starts with "SCHEME://" (scheme in any case). */
static bool has_scheme(const char *url, const char *scheme)
{
    size_t n = strlen(scheme);
    return strncasecmp(url, scheme, n) == 0 && strncmp(url + n, "://", 3) == 0;
}

/* ------------------------------------------------------- command line */

const char ftpx_common_options_help[] =
    "  --tls              explicit FTPS on an ftp:// URL (as ftpes://): AUTH TLS\n"
    "                     before the login, then protected data connections\n"
    "                     (PBSZ 0, PROT P); ftpes:// and ftps:// URLs are always TLS\n"
    "  --cacert FILE      FTPS: also trust the CA certificates of FILE (PEM);\n"
    "                     by default the system's CAs; the certificate must match\n"
    "                     the URL's host name\n"
    "  --insecure         FTPS without checking the server's certificate or host\n"
    "                     name: encrypted but not authenticated (tests only)\n"
    "  --timeout SECONDS  give up when the server is silent this long (default 30;\n"
    "                     0 = wait forever)\n"
    "  --active           active mode (PORT/EPRT) instead of passive (PASV/EPSV)\n"
    "  --proxy URL        connect (control and data) through a proxy:\n"
    "                     socks5://[user:pass@]host[:port] (names resolved here),\n"
    "                     socks5h://... (names resolved by the proxy), or\n"
    "                     http://[user:pass@]host:port (HTTP CONNECT); passive only\n"
    "  --debug            print the FTP conversation on stderr\n"
    "  -q, --quiet        no progress display and no summary line\n"
    "  -h, --help         this help\n"
    "  --version          print the libftp version\n";

static const char url_help[] =
    "URL: ftp://[user[:password]@]host[:port]/path    FTP (explicit FTPS with --tls)\n"
    "     ftpes://[user[:password]@]host[:port]/path  explicit FTPS (AUTH TLS)\n"
    "     ftps://[user[:password]@]host[:port]/path   implicit FTPS\n"
    "     (libftp's URLs: ftp_connect_url) %XX escapes are allowed in user,\n"
    "     password and path, an IPv6 address goes in brackets; the default port is\n"
    "     21 for ftp:// and ftpes://, 990 for ftps://.  Without a password in the\n"
    "     URL the login comes from $NETRC or ~/.netrc (a 'machine HOST login USER\n"
    "     password PASS' line; the file must not be readable by others), else the\n"
    "     URL's user or anonymous.\n";

void ftpx_opts_init(ftpx_opts *o, const char *prog)
{
    memset(o, 0, sizeof *o);
    o->prog = prog;
    o->timeout_s = 30.0;
}

static int parse_timeout(ftpx_opts *o, const char *v)
{
    char *end = NULL;
    double d;

    errno = 0;
    d = strtod(v, &end);
    if (v[0] == '\0' || end == NULL || *end != '\0' || errno != 0 || !isfinite(d) ||
        d < 0.0 || d > 1e9) {
        fprintf(stderr, "%s: bad --timeout value '%s' (want seconds >= 0)\n", o->prog, v);
        return -1;
    }
    o->timeout_s = d;
    return 1;
}

static int parse_cacert(ftpx_opts *o, const char *v)
{
    if (v[0] == '\0') {
        fprintf(stderr, "%s: empty --cacert file name\n", o->prog);
        return -1;
    }
    o->cacert = v;
    return 1;
}

/* An option NAME VALUE or NAME=VALUE at argv[*i]: 1 and *i on the value's
 * argument, 0 if argv[*i] is not this option, -1 if the value is missing. */
static int option_value(const ftpx_opts *o, const char *name, const char *what, int argc,
                        char **argv, int *i, const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);

    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "%s: %s needs a value (%s)\n", o->prog, name, what);
        return -1;
    }
    (*i)++;
    *value = argv[*i];
    return 1;
}

int ftpx_parse_common_option(ftpx_opts *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    const char *v = NULL;
    int rc;

    if (strcmp(a, "--active") == 0) {
        o->active = true;
    } else if (strcmp(a, "--debug") == 0) {
        o->debug = true;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
        o->quiet = true;
    } else if (strcmp(a, "--tls") == 0) {
        o->tls = true;
    } else if (strcmp(a, "--insecure") == 0) {
        o->insecure = true;
    } else if ((rc = option_value(o, "--timeout", "seconds", argc, argv, i, &v)) != 0) {
        if (rc < 0 || parse_timeout(o, v) < 0)
            return -1;
    } else if ((rc = option_value(o, "--cacert", "a PEM file", argc, argv, i, &v)) != 0) {
        if (rc < 0 || parse_cacert(o, v) < 0)
            return -1;
    } else if ((rc = option_value(o, "--proxy", "a proxy URL", argc, argv, i, &v)) != 0) {
        if (rc < 0)
            return -1;
        if (v[0] == '\0') {
            fprintf(stderr, "%s: empty --proxy URL\n", o->prog);
            return -1;
        }
        o->proxy = v;
    } else {
        return 0;
    }
    (*i)++;
    return 1;
}

static const char default_path_note[] =
    "     The path is relative to the login directory, ftp://host//abs for an\n"
    "     absolute one.\n";

void ftpx_usage(const ftpx_tool *t, FILE *f)
{
    fprintf(f, "Usage: %s %s\n%s\n%s%s\nOptions:\n%s%s\n", t->prog, t->synopsis, t->about,
            url_help, t->path_note != NULL ? t->path_note : default_path_note,
            t->options != NULL ? t->options : "", ftpx_common_options_help);
    fprintf(f, "Exit status: 0 success, 1 failure%s, 2 usage error.\n",
            t->exit_note != NULL ? t->exit_note : "");
}

int ftpx_usage_error(const char *prog, const char *msg, const char *arg)
{
    if (arg != NULL)
        fprintf(stderr, "%s: %s '%s'\n", prog, msg, arg);
    else
        fprintf(stderr, "%s: %s\n", prog, msg);
    fprintf(stderr, "Try '%s --help' for more information.\n", prog);
    return 2;
}

/* -1 to go on, else the exit status after printing to stdout. */
static int print_and_exit(const ftpx_tool *t, bool help)
{
    if (help)
        ftpx_usage(t, stdout);
    else
        printf("%s (libftp %s)\n", t->prog, ftp_version());
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

int ftpx_parse_args(const ftpx_tool *t, int argc, char **argv, ftpx_opts *o,
                    const char **pos, int *npos)
{
    int i = 1, rc;
    bool opts_done = false;

    ftpx_opts_init(o, t->prog);
    *npos = 0;
    while (i < argc) {
        const char *a = argv[i];
        if (!opts_done && a[0] == '-' && a[1] != '\0') {
            if (strcmp(a, "--") == 0) {
                opts_done = true;
                i++;
                continue;
            }
            if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
                return print_and_exit(t, true);
            if (strcmp(a, "--version") == 0)
                return print_and_exit(t, false);
            rc = t->option != NULL ? t->option(t->option_ctx, t->prog, argc, argv, &i) : 0;
            if (rc == 0)
                rc = ftpx_parse_common_option(o, argc, argv, &i);
            if (rc < 0) {
                fprintf(stderr, "Try '%s --help' for more information.\n", t->prog);
                return 2;
            }
            if (rc > 0)
                continue;
            return ftpx_usage_error(t->prog, "unknown option", a);
        }
        if (*npos >= t->max_args)
            return ftpx_usage_error(t->prog, "too many arguments:", a);
        pos[(*npos)++] = a;
        i++;
    }
    return -1;
}

bool ftpx_uses_tls(const ftpx_opts *o, const char *url)
{
    return o->tls || has_scheme(url, "ftps") || has_scheme(url, "ftpes");
}

char *ftpx_concat(const ftpx_opts *o, const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 1);

    if (s == NULL) {
        fprintf(stderr, "%s: out of memory\n", o->prog);
        return NULL;
    }
    memcpy(s, a, na);
    memcpy(s + na, b, nb + 1);
    return s;
}

int ftpx_check_url(const ftpx_opts *o, const char *url)
{
    if ((o->cacert != NULL || o->insecure) && !ftpx_uses_tls(o, url))
        return ftpx_usage_error(o->prog,
                                o->cacert != NULL
                                    ? "--cacert needs --tls or an ftpes:// or ftps:// URL"
                                    : "--insecure needs --tls or an ftpes:// or ftps:// URL",
                                NULL);
    if (o->proxy != NULL && o->active)
        return ftpx_usage_error(o->prog, "--active cannot go through --proxy", NULL);
    return 0;
}

char *ftpx_session_url(const ftpx_opts *o, const char *url)
{
    /* --tls on an ftp:// URL: the same URL as ftpes://. */
    if (o->tls && has_scheme(url, "ftp"))
        return ftpx_concat(o, "ftpes", url + 3);
    return ftpx_concat(o, url, "");
}

/* ------------------------------------------------- whole-file options */

int ftpx_copy_option(void *ctx, const char *prog, int argc, char **argv, int *i)
{
    ftpx_copy_flags *g = ctx;
    const char *a = argv[*i];
    (void)prog;
    (void)argc;
    if (strcmp(a, "-c") == 0 || strcmp(a, "--continue") == 0)
        g->resume = true;
    else if (strcmp(a, "--verify") == 0)
        g->verify = true;
    else if (strcmp(a, "-p") == 0 || strcmp(a, "--create-dirs") == 0)
        g->mkdirs = true;
    else
        return 0;
    (*i)++;
    return 1;
}
