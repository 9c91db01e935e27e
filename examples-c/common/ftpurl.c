/* Shared helpers for the libftp C examples: see ftpurl.h. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "ftpurl.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ URL */

uint16_t ftpurl_default_port(const char *scheme)
{
    if (scheme != NULL && strcmp(scheme, "ftp") == 0)
        return 21;
    if (scheme != NULL && strcmp(scheme, "ftps") == 0)
        return FTP_IMPLICIT_PORT; /* 990, from ftp.h */
    return 0;
}

bool ftpurl_is_implicit_tls(const ftpurl *u)
{
    return u != NULL && u->scheme != NULL && strcmp(u->scheme, "ftps") == 0;
}

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *ftpurl_decode(const char *src, size_t len, int *bad)
{
    char *out;
    size_t i, j = 0;

    if (bad != NULL)
        *bad = 0;
    out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    for (i = 0; i < len; i++) {
        if (src[i] == '%') {
            int hi, lo;
            /* Two hex digits must follow, and not "00" (strings are NUL-terminated). */
            if (i + 2 >= len ||
                (hi = hexval((unsigned char)src[i + 1])) < 0 ||
                (lo = hexval((unsigned char)src[i + 2])) < 0 ||
                (hi == 0 && lo == 0)) {
                free(out);
                if (bad != NULL)
                    *bad = 1;
                return NULL;
            }
            out[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[j++] = src[i];
        }
    }
    out[j] = '\0';
    return out;
}

void ftpurl_free(ftpurl *u)
{
    if (u == NULL)
        return;
    free(u->scheme);
    free(u->user);
    free(u->pass);
    free(u->host);
    free(u->path);
    memset(u, 0, sizeof *u);
}

const char *ftpx_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Decodes one component; on failure sets err and returns NULL. */
static char *decode_part(const char *what, const char *s, size_t n, char *err, size_t errlen)
{
    int bad = 0;
    char *d = ftpurl_decode(s, n, &bad);
    if (d == NULL) {
        if (bad)
            seterr(err, errlen, "bad %%-escape in the URL's %s (want %%XX with two hex digits, not %%00)", what);
        else
            seterr(err, errlen, "out of memory");
    }
    return d;
}

int ftpurl_parse(const char *url, ftpurl *out, char *err, size_t errlen)
{
    const char *p, *sep, *auth, *auth_end, *host_end, *at, *hostp;
    size_t i, slen;
    char *scheme = NULL;

    if (out == NULL)
        return -1;
    memset(out, 0, sizeof *out);
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (url == NULL) {
        seterr(err, errlen, "no URL");
        return -1;
    }
    for (p = url; *p != '\0'; p++) {
        if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
            seterr(err, errlen, "the URL contains a space or control character (write it as %%XX)");
            return -1;
        }
    }

    /* scheme "://" */
    sep = strstr(url, "://");
    if (sep == NULL || sep == url) {
        seterr(err, errlen, "'%s' is not a URL of the form ftp[s]://[user[:pass]@]host[:port]/path", url);
        return -1;
    }
    slen = (size_t)(sep - url);
    for (i = 0; i < slen; i++) {
        unsigned char c = (unsigned char)url[i];
        if (!(isalnum(c) || c == '+' || c == '-' || c == '.')) {
            seterr(err, errlen, "'%s' is not a URL of the form ftp[s]://[user[:pass]@]host[:port]/path", url);
            return -1;
        }
    }
    scheme = dupn(url, slen);
    if (scheme == NULL) {
        seterr(err, errlen, "out of memory");
        return -1;
    }
    for (i = 0; i < slen; i++)
        scheme[i] = (char)tolower((unsigned char)scheme[i]);
    out->scheme = scheme;
    out->port = ftpurl_default_port(scheme);
    if (out->port == 0) {
        seterr(err, errlen, "unsupported URL scheme '%s://' (only ftp:// and ftps:// are supported)",
               scheme);
        goto fail;
    }

    /* authority: up to the first '/' */
    auth = sep + 3;
    auth_end = strchr(auth, '/');
    if (auth_end == NULL)
        auth_end = auth + strlen(auth);

    /* userinfo: up to the last '@' of the authority */
    at = NULL;
    for (p = auth; p < auth_end; p++)
        if (*p == '@')
            at = p;
    hostp = auth;
    if (at != NULL) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        const char *uend = colon != NULL ? colon : at;
        out->user = decode_part("user name", auth, (size_t)(uend - auth), err, errlen);
        if (out->user == NULL)
            goto fail;
        if (colon != NULL) {
            out->pass = decode_part("password", colon + 1, (size_t)(at - colon - 1), err, errlen);
            if (out->pass == NULL)
                goto fail;
            out->has_pass = true;
        }
        hostp = at + 1;
        if (out->user[0] != '\0')
            out->has_user = true;
    }
    if (!out->has_user) {
        free(out->user);
        out->user = dupn("anonymous", 9);
        if (out->user == NULL) {
            seterr(err, errlen, "out of memory");
            goto fail;
        }
    }
    if (out->pass == NULL) {
        out->pass = dupn("", 0);
        if (out->pass == NULL) {
            seterr(err, errlen, "out of memory");
            goto fail;
        }
    }

    /* host, possibly an IPv6 literal in brackets */
    if (hostp < auth_end && *hostp == '[') {
        const char *close = memchr(hostp, ']', (size_t)(auth_end - hostp));
        if (close == NULL) {
            seterr(err, errlen, "unterminated '[' in the URL's host");
            goto fail;
        }
        if (close == hostp + 1) {
            seterr(err, errlen, "empty IPv6 address '[]' in the URL");
            goto fail;
        }
        for (p = hostp + 1; p < close; p++) {
            if (!(isalnum((unsigned char)*p) || *p == ':' || *p == '.' || *p == '%')) {
                seterr(err, errlen, "bad character in the URL's IPv6 address");
                goto fail;
            }
        }
        out->host = dupn(hostp + 1, (size_t)(close - hostp - 1));
        host_end = close + 1;
        if (host_end < auth_end && *host_end != ':') {
            seterr(err, errlen, "unexpected text after ']' in the URL's host");
            goto fail;
        }
    } else {
        host_end = memchr(hostp, ':', (size_t)(auth_end - hostp));
        if (host_end == NULL) {
            host_end = auth_end;
        } else if (memchr(host_end + 1, ':', (size_t)(auth_end - host_end - 1)) != NULL) {
            seterr(err, errlen, "more than one ':' in the URL's host (write an IPv6 address as [::1])");
            goto fail;
        }
        out->host = dupn(hostp, (size_t)(host_end - hostp));
    }
    if (out->host == NULL) {
        seterr(err, errlen, "out of memory");
        goto fail;
    }
    if (out->host[0] == '\0') {
        seterr(err, errlen, "no host in the URL '%s'", url);
        goto fail;
    }

    /* optional :port */
    if (host_end < auth_end) {
        /* *host_end == ':' */
        const char *ps = host_end + 1;
        unsigned long port = 0;
        if (ps == auth_end) {
            /* "host:" -> default port */
        } else {
            for (p = ps; p < auth_end; p++) {
                if (!isdigit((unsigned char)*p)) {
                    seterr(err, errlen, "bad port in the URL (want a number 1-65535)");
                    goto fail;
                }
                port = port * 10 + (unsigned long)(*p - '0');
                if (port > 65535)
                    break;
            }
            if (port < 1 || port > 65535) {
                seterr(err, errlen, "bad port in the URL (want a number 1-65535)");
                goto fail;
            }
            out->port = (uint16_t)port;
            out->has_port = true;
        }
    }

    /* path: after the one '/' that ends the authority */
    if (*auth_end == '/')
        out->path = decode_part("path", auth_end + 1, strlen(auth_end + 1), err, errlen);
    else
        out->path = dupn("", 0);
    if (out->path == NULL) {
        if (err != NULL && errlen > 0 && err[0] == '\0')
            seterr(err, errlen, "out of memory");
        goto fail;
    }
    return 0;

fail:
    ftpurl_free(out);
    return -1;
}

/* ------------------------------------------------------- command line */

const char ftpx_common_options_help[] =
    "  --tls              explicit FTPS on an ftp:// URL: AUTH TLS before the login,\n"
    "                     then protected data connections (PBSZ 0, PROT P);\n"
    "                     ftps:// URLs are always TLS (implicit FTPS)\n"
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
    "URL: ftp://[user[:password]@]host[:port]/path   FTP (explicit FTPS with --tls)\n"
    "     ftps://[user[:password]@]host[:port]/path  implicit FTPS\n"
    "     %XX escapes are allowed in user, password and path; the default user is\n"
    "     anonymous; the default port is 21 for ftp:// (with or without --tls) and\n"
    "     990 for ftps://.\n";

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

bool ftpx_uses_tls(const ftpx_opts *o, const ftpurl *u)
{
    return o->tls || ftpurl_is_implicit_tls(u);
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

int ftpx_parse_url(const ftpx_opts *o, const char *text, ftpurl *u)
{
    char err[512];

    if (ftpurl_parse(text, u, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", o->prog, err);
        return 2;
    }
    if ((o->cacert != NULL || o->insecure) && !ftpx_uses_tls(o, u)) {
        ftpurl_free(u);
        return ftpx_usage_error(o->prog,
                                o->cacert != NULL ? "--cacert needs --tls or an ftps:// URL"
                                                  : "--insecure needs --tls or an ftps:// URL",
                                NULL);
    }
    if (o->proxy != NULL && o->active) {
        ftpurl_free(u);
        return ftpx_usage_error(o->prog, "--active cannot go through --proxy", NULL);
    }
    return 0;
}

/* ----------------------------------------------------------- session */

void ftpx_report(const ftpx_opts *o, const ftp_session *s, const char *what, ftp_result r)
{
    const char *name = ftp_result_name(r);
    const char *msg = s != NULL ? ftp_last_error(s) : NULL;

    if (name == NULL)
        name = "?";
    if (msg != NULL && msg[0] != '\0')
        fprintf(stderr, "%s: %s: %s: %s\n", o->prog, what, name, msg);
    else
        fprintf(stderr, "%s: %s: %s\n", o->prog, what, name);
    if (r == FTP_ERROR_TLS && msg != NULL && strstr(msg, "certificate verify failed") != NULL)
        fprintf(stderr,
                "%s: the server's certificate was not accepted: it must come from a trusted CA "
                "(--cacert FILE adds one) and name the URL's host\n",
                o->prog);
    /* After a failed handshake the last reply is the one before it (such as
     * "234 AUTH TLS successful"): not the cause, so not shown. */
    if (s != NULL && ftp_last_code(s) != 0 && !(r == FTP_ERROR_TLS && ftp_last_code(s) < 400)) {
        const char *resp = ftp_last_response(s);
        const char *line = resp != NULL ? resp : "";
        /* One message line per reply line. */
        fprintf(stderr, "%s: server reply: ", o->prog);
        for (; *line != '\0'; line++) {
            if (*line == '\n') {
                if (line[1] != '\0')
                    fprintf(stderr, "\n%s: server reply: ", o->prog);
            } else if (*line != '\r') {
                fputc(*line, stderr);
            }
        }
        if (resp == NULL || resp[0] == '\0')
            fprintf(stderr, "%d", ftp_last_code(s));
        fputc('\n', stderr);
    }
}

/* The one TLS configuration of this run, from --cacert / --insecure; NULL
 * after printing why. */
ftp_tls_config *ftpx_tls_config(const ftpx_opts *o)
{
    ftp_tls_config *c = ftp_tls_config_new();
    ftp_result r;

    if (c == NULL) {
        fprintf(stderr, "%s: ftp_tls_config_new failed (out of memory?)\n", o->prog);
        return NULL;
    }
    if (o->cacert != NULL) {
        r = ftp_tls_config_set_ca_file(c, o->cacert);
        if (r != FTP_OK) {
            /* No session, so no ftp_last_error: say what the file system says. */
            int e = access(o->cacert, R_OK) != 0 ? errno : 0;
            fprintf(stderr, "%s: --cacert '%s': %s%s%s\n", o->prog, o->cacert,
                    ftp_result_name(r), e != 0 ? ": " : "", e != 0 ? strerror(e) : "");
            goto fail;
        }
    }
    if (o->insecure) {
        r = ftp_tls_config_set_verify_peer(c, false);
        if (r == FTP_OK)
            r = ftp_tls_config_set_check_hostname(c, false);
        if (r != FTP_OK) {
            ftpx_report(o, NULL, "turning off the certificate checks", r);
            goto fail;
        }
        fprintf(stderr,
                "%s: warning: --insecure: the server's certificate and host name are not "
                "checked: the connection is encrypted but not authenticated\n",
                o->prog);
    }
    return c;

fail:
    ftp_tls_config_free(c);
    return NULL;
}

/* A plain session, or a TLS one (implicit for ftps://). */
static ftp_session *new_session(const ftpx_opts *o, const ftpurl *u)
{
    ftp_tls_config *c;
    ftp_session *s;
    ftp_result r;

    if (!ftpx_uses_tls(o, u)) {
        s = ftp_session_new();
        if (s == NULL)
            fprintf(stderr, "%s: ftp_session_new failed (out of memory?)\n", o->prog);
        return s;
    }
    c = ftpx_tls_config(o);
    if (c == NULL)
        return NULL;
    s = ftp_session_new_tls(c);
    ftp_tls_config_free(c); /* the session keeps its own copy */
    if (s == NULL) {
        fprintf(stderr, "%s: ftp_session_new_tls failed (out of memory?)\n", o->prog);
        return NULL;
    }
    if (ftpurl_is_implicit_tls(u)) {
        r = ftp_set_implicit_tls(s, true);
        if (r != FTP_OK) {
            ftpx_report(o, s, "selecting implicit TLS", r);
            ftp_session_free(s);
            return NULL;
        }
    }
    return s;
}

ftp_session *ftpx_open(const ftpx_opts *o, const ftpurl *u)
{
    ftp_session *s;
    ftp_result r;
    uint64_t ms;
    bool v6;
    char hostport[300];
    char what[600];

    s = new_session(o, u);
    if (s == NULL)
        return NULL;

    ms = (uint64_t)(o->timeout_s * 1000.0 + 0.5);
    if (ms == 0 && o->timeout_s > 0.0)
        ms = 1;
    r = ftp_set_timeout_ms(s, ms);
    if (r != FTP_OK) {
        ftpx_report(o, s, "setting the timeout", r);
        goto fail;
    }
    r = ftp_set_pasv(s, !o->active);
    if (r != FTP_OK) {
        ftpx_report(o, s, o->active ? "selecting active mode" : "selecting passive mode", r);
        goto fail;
    }
    if (o->debug) {
        r = ftp_set_debuglevel(s, 1);
        if (r != FTP_OK) {
            ftpx_report(o, s, "setting the debug level", r);
            goto fail;
        }
    }
    if (o->proxy != NULL) {
        r = ftp_set_proxy(s, o->proxy);
        if (r != FTP_OK) {
            ftpx_report(o, s, "setting the proxy (--proxy)", r);
            goto fail;
        }
    }

    v6 = strchr(u->host, ':') != NULL;
    snprintf(hostport, sizeof hostport, "%s%s%s:%u", v6 ? "[" : "", u->host, v6 ? "]" : "",
             (unsigned)u->port);
    r = ftp_connect(s, u->host, u->port);
    if (r != FTP_OK) {
        snprintf(what, sizeof what, "connecting to %s%s%s", hostport,
                 ftpurl_is_implicit_tls(u) ? " (implicit TLS)" : "",
                 o->proxy != NULL ? " through the proxy" : "");
        ftpx_report(o, s, what, r);
        goto fail;
    }
    if (o->tls && !ftpurl_is_implicit_tls(u)) {
        /* ftp_login would send AUTH TLS itself; doing it here first names
         * the step that failed (a refused AUTH, a bad certificate). */
        r = ftp_auth(s);
        if (r != FTP_OK) {
            snprintf(what, sizeof what, "securing the control connection to %s (AUTH TLS)",
                     hostport);
            ftpx_report(o, s, what, r);
            goto fail;
        }
    }
    r = ftp_login(s, u->user, u->pass, "");
    if (r != FTP_OK) {
        snprintf(what, sizeof what, "logging in as '%s' (on FTPS: then PBSZ 0, PROT P)",
                 u->user);
        ftpx_report(o, s, what, r);
        goto fail;
    }
    /* On a TLS session ftp_login has also protected the data connections
     * (PBSZ 0 + PROT P): no ftp_prot_p needed. */
    return s;

fail:
    ftp_session_free(s);
    return NULL;
}

void ftpx_close(ftp_session *s)
{
    if (s == NULL)
        return;
    /* A failed QUIT (server already gone, timeout...) changes nothing for
     * the caller: the session is freed (and closed) either way. */
    (void)ftp_quit(s);
    ftp_session_free(s);
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

/* ---------------------------------------------------------- progress */

double ftpx_now_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "12.3 MiB" style, into buf. */
void ftpx_human(char *buf, size_t len, double v)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    size_t u = 0;
    while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%.0f %s", v, units[u]);
    else
        snprintf(buf, len, "%.1f %s", v, units[u]);
}

/* "1:02:03" or "2:03" into buf. */
static void clock_text(char *buf, size_t len, double seconds)
{
    unsigned long t = seconds > 0.0 && seconds < 3.6e7 ? (unsigned long)(seconds + 0.5) : 0;
    if (t >= 3600)
        snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, len, "%lu:%02lu", t / 60, t % 60);
}

/* "name: 12.0 MiB / 40.0 MiB  30%  5.1 MiB/s  ETA 0:05". The rate counts
 * the bytes of this run only (not a resumed file's first part). */
static void format_line(const ftpx_progress *p, double elapsed, char *line, size_t len)
{
    char done[32], total[32], rate[32], eta[32];
    uint64_t moved = p->done > p->base ? p->done - p->base : 0;
    double r = elapsed > 0.0 ? (double)moved / elapsed : 0.0;

    ftpx_human(done, sizeof done, (double)p->done);
    ftpx_human(rate, sizeof rate, r);
    if (p->total >= 0) {
        double pct = p->total > 0 ? 100.0 * (double)p->done / (double)p->total : 100.0;
        double left = (double)p->total - (double)p->done;
        if (pct > 100.0)
            pct = 100.0;
        ftpx_human(total, sizeof total, (double)p->total);
        if (r > 0.0 && left > 0.0)
            clock_text(eta, sizeof eta, left / r);
        else
            snprintf(eta, sizeof eta, "-");
        snprintf(line, len, "%s: %s / %s  %3.0f%%  %s/s  ETA %s", p->label, done, total, pct,
                 rate, eta);
    } else {
        snprintf(line, len, "%s: %s  %s/s", p->label, done, rate);
    }
}

static void draw(ftpx_progress *p, double t)
{
    char line[512];
    size_t n;

    format_line(p, t - p->start, line, sizeof line);
    n = strlen(line);
    /* Blank what is left of a longer previous line. */
    fprintf(stderr, "\r%s%*s", line, p->last_width > n ? (int)(p->last_width - n) : 0, "");
    fflush(stderr);
    p->last_width = n;
    p->drawn = true;
    p->last_draw = t;
}

/* Not a terminal: a plain line now and then, so that logs show progress. */
static void plain_line(ftpx_progress *p, double t)
{
    char line[512];
    format_line(p, t - p->start, line, sizeof line);
    fprintf(stderr, "%s: %s\n", p->prog, line);
    fflush(stderr);
    p->last_draw = t;
}

void ftpx_progress_start(ftpx_progress *p, const char *prog, const char *label,
                         int64_t total, bool quiet)
{
    memset(p, 0, sizeof *p);
    p->prog = prog;
    p->label = label;
    p->total = total;
    p->enabled = !quiet;
    p->tty = isatty(STDERR_FILENO) == 1;
    p->start = ftpx_now_s();
    p->last_draw = p->start;
}

/* libftp's progress reports (ftp_set_progress_callback). */
static int on_progress(void *userdata, const ftp_progress *r)
{
    ftpx_progress *p = userdata;
    double t;

    p->base = r->offset;
    p->done = r->offset + r->bytes;
    if (r->total >= 0)
        p->total = r->total;
    if (!p->enabled)
        return 0;
    t = ftpx_now_s();
    if (p->tty) {
        /* The first redraw after 0.1 s: tiny transfers print only their
         * final line. */
        if (t - p->last_draw >= 0.1)
            draw(p, t);
    } else if (t - p->last_draw >= FTPX_PLAIN_EVERY_S) {
        plain_line(p, t);
    }
    return 0;
}

ftp_result ftpx_progress_attach(ftpx_progress *p, ftp_session *s)
{
    return ftp_set_progress_callback(s, on_progress, p, 100);
}

void ftpx_progress_end(ftpx_progress *p, bool ok)
{
    double t = ftpx_now_s();
    double elapsed = t - p->start;

    if (!p->enabled)
        return;
    if (p->tty) {
        if (ok) {
            draw(p, t);
            fputc('\n', stderr);
        } else if (p->drawn) {
            fputc('\n', stderr);
        }
    } else if (ok) {
        char done[32], rate[32];
        uint64_t moved = p->done > p->base ? p->done - p->base : 0;
        ftpx_human(done, sizeof done, (double)moved);
        ftpx_human(rate, sizeof rate, elapsed > 0.0 ? (double)moved / elapsed : 0.0);
        fprintf(stderr, "%s: %s: %llu bytes (%s) in %.2f s, %s/s\n", p->prog, p->label,
                (unsigned long long)moved, done, elapsed, rate);
    }
    fflush(stderr);
    p->drawn = false;
}
