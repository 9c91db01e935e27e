/* Shared helpers for the libftp C examples, the progress display: see
 * ftpx.h. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "ftpx.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
