/* Shared helpers for the libftp C examples: see ftpurl.h. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "ftpurl.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ URL */

uint16_t ftpurl_default_port(const char *scheme)
{
    if (scheme != NULL && strcmp(scheme, "ftp") == 0)
        return 21;
    /* Hook: a later issue adds "ftps" (explicit FTPS, port 21) here, and the
     * session is then created with ftp_session_new_tls in ftpx_open. */
    return 0;
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
        seterr(err, errlen, "'%s' is not a URL of the form ftp://[user[:pass]@]host[:port]/path", url);
        return -1;
    }
    slen = (size_t)(sep - url);
    for (i = 0; i < slen; i++) {
        unsigned char c = (unsigned char)url[i];
        if (!(isalnum(c) || c == '+' || c == '-' || c == '.')) {
            seterr(err, errlen, "'%s' is not a URL of the form ftp://[user[:pass]@]host[:port]/path", url);
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
        if (strcmp(scheme, "ftps") == 0)
            seterr(err, errlen, "ftps:// URLs are not supported yet (only ftp://)");
        else
            seterr(err, errlen, "unsupported URL scheme '%s://' (only ftp:// is supported)", scheme);
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

/* ---------------------------------------------------- common options */

const char ftpx_common_options_help[] =
    "  --timeout SECONDS  give up when the server is silent this long (default 30;\n"
    "                     0 = wait forever)\n"
    "  --active           active mode (PORT/EPRT) instead of passive (PASV/EPSV)\n"
    "  --debug            print the FTP conversation on stderr\n"
    "  -q, --quiet        no progress display and no summary line\n"
    "  -h, --help         this help\n"
    "  --version          print the libftp version\n";

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

int ftpx_parse_common_option(ftpx_opts *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i];

    if (strcmp(a, "--active") == 0) {
        o->active = true;
    } else if (strcmp(a, "--debug") == 0) {
        o->debug = true;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
        o->quiet = true;
    } else if (strcmp(a, "--timeout") == 0) {
        if (*i + 1 >= argc) {
            fprintf(stderr, "%s: --timeout needs a value (seconds)\n", o->prog);
            return -1;
        }
        (*i)++;
        if (parse_timeout(o, argv[*i]) < 0)
            return -1;
    } else if (strncmp(a, "--timeout=", 10) == 0) {
        if (parse_timeout(o, a + 10) < 0)
            return -1;
    } else {
        return 0;
    }
    (*i)++;
    return 1;
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
    if (s != NULL && ftp_last_code(s) != 0) {
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

ftp_session *ftpx_open(const ftpx_opts *o, const ftpurl *u)
{
    ftp_session *s;
    ftp_result r;
    uint64_t ms;
    char what[600];

    if (strcmp(u->scheme, "ftp") != 0) {
        /* Hook for ftps://: ftp_session_new_tls(NULL) + ftp_prot_p after login. */
        fprintf(stderr, "%s: unsupported URL scheme '%s://'\n", o->prog, u->scheme);
        return NULL;
    }
    s = ftp_session_new();
    if (s == NULL) {
        fprintf(stderr, "%s: ftp_session_new failed (out of memory?)\n", o->prog);
        return NULL;
    }

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

    r = ftp_connect(s, u->host, u->port);
    if (r != FTP_OK) {
        if (strchr(u->host, ':') != NULL)
            snprintf(what, sizeof what, "connecting to [%s]:%u", u->host, (unsigned)u->port);
        else
            snprintf(what, sizeof what, "connecting to %s:%u", u->host, (unsigned)u->port);
        ftpx_report(o, s, what, r);
        goto fail;
    }
    r = ftp_login(s, u->user, u->pass, "");
    if (r != FTP_OK) {
        snprintf(what, sizeof what, "logging in as '%s'", u->user);
        ftpx_report(o, s, what, r);
        goto fail;
    }
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

/* ---------------------------------------------------------- progress */

static double now_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "12.3 MiB" style, into buf. */
static void human(char *buf, size_t len, double v)
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

static void format_line(const ftpx_progress *p, double elapsed, char *line, size_t len)
{
    char done[32], total[32], rate[32];
    double r = elapsed > 0.0 ? (double)p->done / elapsed : 0.0;

    human(done, sizeof done, (double)p->done);
    human(rate, sizeof rate, r);
    if (p->total >= 0) {
        double pct = p->total > 0 ? 100.0 * (double)p->done / (double)p->total : 100.0;
        if (pct > 100.0)
            pct = 100.0;
        human(total, sizeof total, (double)p->total);
        snprintf(line, len, "%s: %s / %s  %3.0f%%  %s/s", p->label, done, total, pct, rate);
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

void ftpx_progress_start(ftpx_progress *p, const char *prog, const char *label,
                         int64_t total, bool quiet)
{
    memset(p, 0, sizeof *p);
    p->prog = prog;
    p->label = label;
    p->total = total;
    p->enabled = !quiet;
    p->tty = isatty(STDERR_FILENO) == 1;
    p->start = now_s();
    p->last_draw = p->start;
}

void ftpx_progress_add(ftpx_progress *p, uint64_t n)
{
    double t;

    p->done += n;
    if (!p->enabled || !p->tty)
        return;
    t = now_s();
    /* At most ~10 redraws a second; the first one after 0.1 s, so that tiny
     * transfers print only their final line. */
    if (t - p->last_draw >= 0.1)
        draw(p, t);
}

void ftpx_progress_end(ftpx_progress *p, bool ok)
{
    double t = now_s();
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
        human(done, sizeof done, (double)p->done);
        human(rate, sizeof rate, elapsed > 0.0 ? (double)p->done / elapsed : 0.0);
        fprintf(stderr, "%s: %s: %llu bytes (%s) in %.2f s, %s/s\n", p->prog, p->label,
                (unsigned long long)p->done, done, elapsed, rate);
    }
    fflush(stderr);
    p->drawn = false;
}
