#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

/* ------------------------------------------------------------ printing */

static void print_escaped(FILE *f, const char *s, size_t len, size_t max)
{
    size_t i;
    fputc('"', f);
    for (i = 0; i < len && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == '"') fprintf(f, "\\%c", c);
        else if (c == '\n') fputs("\\n", f);
        else if (c == '\r') fputs("\\r", f);
        else if (c == '\t') fputs("\\t", f);
        else if (c < 0x20 || c == 0x7f) fprintf(f, "\\x%02x", c);
        else fputc(c, f);
    }
    fputc('"', f);
    if (len > max) fprintf(f, "... (%zu bytes in all)", len);
}

static void print_cstr(FILE *f, const char *s)
{
    if (s == NULL) fputs("NULL", f);
    else print_escaped(f, s, strlen(s), 2000);
}

static void print_session(const ftp_session *s)
{
    if (s == NULL) {
        fprintf(stderr, "  (no session)\n");
        return;
    }
    fprintf(stderr, "  ftp_last_error:    ");
    print_cstr(stderr, ftp_last_error(s));
    fprintf(stderr, "\n  ftp_last_code:     %d\n  ftp_last_response: ", ftp_last_code(s));
    print_cstr(stderr, ftp_last_response(s));
    fputc('\n', stderr);
}

static const char *rname(ftp_result r)
{
    const char *n = ftp_result_name(r);
    return n ? n : "(NULL name)";
}

void tu_step(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("-- ", stdout);
    vfprintf(stdout, fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    fflush(stdout);
}

static void fail_head(const char *file, int line, const char *expr)
{
    fflush(stdout);
    fprintf(stderr, "FAIL %s:%d: %s\n", file, line, expr);
}

static void fail_exit(const ftp_session *s)
{
    print_session(s);
    fflush(stderr);
    exit(1);
}

void tu_fail(const char *file, int line, const ftp_session *s, const char *expr,
             const char *fmt, ...)
{
    fail_head(file, line, expr);
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        fputs("  ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    }
    fail_exit(s);
}

void tu_fail_result(const char *file, int line, const ftp_session *s, const char *expr,
                    ftp_result got, ftp_result want)
{
    fail_head(file, line, expr);
    fprintf(stderr, "  result: %s (%d), expected %s (%d)\n", rname(got), (int)got,
            rname(want), (int)want);
    fail_exit(s);
}

void tu_check_str(const char *file, int line, const ftp_session *s, const char *expr,
                  const char *got, const char *want)
{
    if (got == NULL && want == NULL) return;
    if (got != NULL && want != NULL && strcmp(got, want) == 0) return;
    fail_head(file, line, expr);
    fputs("  got:      ", stderr);
    print_cstr(stderr, got);
    fputs("\n  expected: ", stderr);
    print_cstr(stderr, want);
    fputc('\n', stderr);
    fail_exit(s);
}

void tu_check_int(const char *file, int line, const ftp_session *s, const char *expr,
                  long long got, long long want)
{
    if (got == want) return;
    fail_head(file, line, expr);
    fprintf(stderr, "  got %lld, expected %lld\n", got, want);
    fail_exit(s);
}

void tu_check_mem(const char *file, int line, const ftp_session *s, const char *expr,
                  const void *got, size_t got_len, const void *want, size_t want_len)
{
    const unsigned char *g = got, *w = want;
    size_t i, n = got_len < want_len ? got_len : want_len;
    if (got_len == want_len && (n == 0 || memcmp(g, w, n) == 0)) return;
    fail_head(file, line, expr);
    fprintf(stderr, "  got %zu bytes, expected %zu bytes\n", got_len, want_len);
    for (i = 0; i < n && g[i] == w[i]; i++) {}
    fprintf(stderr, "  first difference at offset %zu\n", i);
    if (i < got_len || i < want_len) {
        size_t from = i > 16 ? i - 16 : 0;
        fputs("  got      (from there): ", stderr);
        if (from < got_len)
            print_escaped(stderr, (const char *)g + from, got_len - from, 64);
        fputs("\n  expected (from there): ", stderr);
        if (from < want_len)
            print_escaped(stderr, (const char *)w + from, want_len - from, 64);
        fprintf(stderr, "\n  (shown from offset %zu)\n", from);
    }
    fail_exit(s);
}

void tu_check_file(const char *file, int line, const ftp_session *s, const char *path,
                   const void *want, size_t want_len)
{
    size_t len = 0;
    uint8_t *data = tu_read_file(path, &len);
    char *expr;
    if (data == NULL) {
        fail_head(file, line, path);
        fprintf(stderr, "  cannot read the file on disk: %s\n", strerror(errno));
        fail_exit(s);
    }
    expr = tu_strf("content of %s on disk", path);
    tu_check_mem(file, line, s, expr, data, len, want, want_len);
    free(expr);
    free(data);
}

/* ----------------------------------------------------------- servers */

void tu_server_env(const char *name, bool with_user, tu_server *out)
{
    const char *keys[5] = {"HOST", "PORT", "ROOT", "USER", "PASS"};
    const char *vals[5] = {NULL, NULL, NULL, NULL, NULL};
    int i, nkeys = with_user ? 5 : 3;
    char var[128];
    const char *req = getenv("FTP_TEST_REQUIRE_SERVERS");
    bool require = req != NULL && strcmp(req, "1") == 0;

    for (i = 0; i < nkeys; i++) {
        snprintf(var, sizeof var, "FTP_TEST_%s_%s", name, keys[i]);
        vals[i] = getenv(var);
        if (vals[i] == NULL || vals[i][0] == '\0') {
            if (require) {
                fprintf(stderr,
                        "FAIL: %s is not set but FTP_TEST_REQUIRE_SERVERS=1: start the test "
                        "servers (python3 tests/servers/ftpservers.py --env-file F) and "
                        "export F's variables (scripts/test.sh does both)\n",
                        var);
                exit(1);
            }
            printf("SKIP: no servers (%s is not set)\n", var);
            fflush(stdout);
            exit(TU_SKIP);
        }
    }
    {
        char *end = NULL;
        long port = strtol(vals[1], &end, 10);
        if (end == vals[1] || *end != '\0' || port <= 0 || port > 65535) {
            fprintf(stderr, "FAIL: FTP_TEST_%s_PORT=%s is not a port number\n", name, vals[1]);
            exit(1);
        }
        out->port = (uint16_t)port;
    }
    out->name = name;
    out->host = vals[0];
    out->root = vals[2];
    out->user = with_user ? vals[3] : NULL;
    out->pass = with_user ? vals[4] : NULL;
    if (!tu_is_dir(out->root)) {
        fprintf(stderr, "FAIL: FTP_TEST_%s_ROOT=%s is not a directory\n", name, out->root);
        exit(1);
    }
}

ftp_session *tu_open(const tu_server *srv, bool login)
{
    ftp_session *s = ftp_session_new();
    CHECK(NULL, s != NULL);
    /* Far below CTest's 120 s: a hang becomes FTP_ERROR_TIMEOUT, not a kill. */
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    {
        /* FTP_TEST_DEBUG=1|2: the protocol dialogue on stderr. */
        const char *dbg = getenv("FTP_TEST_DEBUG");
        if (dbg != NULL && atoi(dbg) > 0) CHECK_OK(s, ftp_set_debuglevel(s, atoi(dbg)));
    }
    CHECK_OK(s, ftp_connect(s, srv->host, srv->port));
    if (login) CHECK_OK(s, ftp_login(s, srv->user, srv->pass, NULL));
    return s;
}

/* ------------------------------------------------------------- files */

char *tu_strf(const char *fmt, ...)
{
    va_list ap, ap2;
    int n;
    char *p;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) abort();
    p = malloc((size_t)n + 1);
    if (p == NULL) abort();
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

char *tu_path(const char *dir, const char *name)
{
    return tu_strf("%s/%s", dir, name);
}

char *tu_unique(const char *prefix)
{
    static unsigned counter = 0;
    return tu_strf("%s_%ld_%u", prefix, (long)getpid(), ++counter);
}

uint8_t *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    if (f == NULL) return NULL;
    for (;;) {
        size_t got;
        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 131072;
            buf = realloc(buf, cap + 1);
            if (buf == NULL) abort();
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        int e = errno;
        fclose(f);
        free(buf);
        errno = e;
        return NULL;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

uint8_t *tu_slurp(const char *path, size_t *len)
{
    uint8_t *d = tu_read_file(path, len);
    if (d == NULL) {
        fflush(stdout);
        fprintf(stderr, "FAIL: cannot read %s: %s\n", path, strerror(errno));
        exit(1);
    }
    return d;
}

void tu_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || (len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
        fflush(stdout);
        fprintf(stderr, "FAIL: cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
    chmod(path, 0644);
}

bool tu_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

bool tu_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

long long tu_file_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    return (long long)st.st_size;
}

uint8_t *tu_gen_data(size_t len, uint32_t seed)
{
    uint8_t *p = malloc(len ? len : 1);
    uint32_t x = seed ? seed : 0x9e3779b9u;
    size_t i;
    if (p == NULL) abort();
    for (i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)(x >> 11);
    }
    return p;
}

/* ------------------------------------------------------- callbacks */

void tu_buf_append(tu_buf *b, const void *data, size_t len)
{
    if (len == 0) return;
    if (b->len + len > b->cap) {
        size_t nc = b->cap ? b->cap : 4096;
        while (nc < b->len + len) nc *= 2;
        b->data = realloc(b->data, nc + 1);
        if (b->data == NULL) abort();
        b->cap = nc;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = 0;
}

int tu_buf_sink(void *userdata, const uint8_t *data, size_t len)
{
    tu_buf *b = userdata;
    b->calls++;
    if (len == 0) b->zero_calls++;
    if (data == NULL && len > 0) {
        b->bad_calls++;
        return 1;
    }
    if (len > b->max_block) b->max_block = len;
    if (b->calls == 1 || len < b->min_block) b->min_block = len;
    tu_buf_append(b, data, len);
    return (b->stop_after != 0 && b->calls >= b->stop_after) ? 1 : 0;
}

void tu_buf_free(tu_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void tu_lines_add(tu_lines *l, const char *line, size_t len)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->lines = realloc(l->lines, l->cap * sizeof *l->lines);
        l->lens = realloc(l->lens, l->cap * sizeof *l->lens);
        if (l->lines == NULL || l->lens == NULL) abort();
    }
    l->lines[l->n] = malloc(len + 1);
    if (l->lines[l->n] == NULL) abort();
    if (len) memcpy(l->lines[l->n], line, len);
    l->lines[l->n][len] = 0;
    l->lens[l->n] = len;
    l->n++;
}

static void lines_bad(tu_lines *l, const char *fmt, size_t a, size_t b)
{
    if (l->bad++ == 0) snprintf(l->bad_msg, sizeof l->bad_msg, fmt, a, b);
}

int tu_lines_sink(void *userdata, const char *line, size_t len)
{
    tu_lines *l = userdata;
    size_t i;
    if (line == NULL) {
        lines_bad(l, "line %zu: NULL pointer (len %zu)", l->n + 1, len);
        return 1;
    }
    if (line[len] != '\0')
        lines_bad(l, "line %zu: not NUL-terminated at len %zu", l->n + 1, len);
    else if (strlen(line) != len)
        lines_bad(l, "line %zu: strlen %zu != len", l->n + 1, strlen(line));
    for (i = 0; i < len; i++)
        if (line[i] == '\r' || line[i] == '\n') {
            lines_bad(l, "line %zu: CR or LF at offset %zu", l->n + 1, i);
            break;
        }
    tu_lines_add(l, line, len);
    return (l->stop_after != 0 && l->n >= l->stop_after) ? 1 : 0;
}

int tu_lines_index(const tu_lines *l, const char *s)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        if (strcmp(l->lines[i], s) == 0) return (int)i;
    return -1;
}

size_t tu_lines_count_containing(const tu_lines *l, const char *s)
{
    size_t i, c = 0;
    for (i = 0; i < l->n; i++)
        if (strstr(l->lines[i], s) != NULL) c++;
    return c;
}

size_t tu_lines_count_prefix(const tu_lines *l, const char *prefix)
{
    size_t i, c = 0, pl = strlen(prefix);
    for (i = 0; i < l->n; i++)
        if (strncmp(l->lines[i], prefix, pl) == 0) c++;
    return c;
}

void tu_lines_dump(const tu_lines *l, const char *title)
{
    size_t i;
    fflush(stdout);
    fprintf(stderr, "  %s (%zu lines):\n", title, l->n);
    for (i = 0; i < l->n && i < 200; i++) {
        fprintf(stderr, "    [%zu] ", i);
        print_escaped(stderr, l->lines[i], l->lens[i], 300);
        fputc('\n', stderr);
    }
}

void tu_lines_free(tu_lines *l)
{
    size_t i;
    for (i = 0; i < l->n; i++) free(l->lines[i]);
    free(l->lines);
    free(l->lens);
    memset(l, 0, sizeof *l);
}

void tu_debug_sink(void *userdata, const char *line)
{
    tu_lines *l = userdata;
    size_t len;
    if (line == NULL) {
        l->bad++;
        return;
    }
    len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    tu_lines_add(l, line, len);
}

void tu_split_lines(const uint8_t *data, size_t len, tu_lines *out)
{
    size_t i = 0, start = 0;
    while (i < len) {
        if (data[i] == '\r' || data[i] == '\n') {
            tu_lines_add(out, (const char *)data + start, i - start);
            if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n') i++;
            i++;
            start = i;
        } else {
            i++;
        }
    }
    if (start < len) tu_lines_add(out, (const char *)data + start, len - start);
}

int64_t tu_src_read(void *userdata, uint8_t *buf, size_t cap)
{
    tu_src *src = userdata;
    size_t n;
    src->calls++;
    if (buf == NULL || cap == 0) {
        src->bad_calls++;
        return -1;
    }
    if (cap > src->max_cap) src->max_cap = cap;
    if (src->calls == 1 || cap < src->min_cap) src->min_cap = cap;
    if (src->fail_at != 0 && src->calls >= src->fail_at) return -1;
    n = src->len - src->pos;
    if (n > cap) n = cap;
    if (src->chunk != 0 && n > src->chunk) n = src->chunk;
    if (n) memcpy(buf, src->data + src->pos, n);
    src->pos += n;
    return (int64_t)n;
}

int tu_upload_sent(void *userdata, const uint8_t *data, size_t len)
{
    tu_upload *u = userdata;
    if (data != NULL) tu_lines_add(&u->sent_calls, (const char *)data, len);
    return tu_buf_sink(&u->sent, data, len);
}

void tu_upload_free(tu_upload *u)
{
    tu_buf_free(&u->sent);
    tu_lines_free(&u->sent_calls);
    memset(u, 0, sizeof *u);
}

int tu_count_data(void *userdata, const uint8_t *data, size_t len)
{
    tu_counter *c = userdata;
    (void)data;
    c->calls++;
    c->bytes += len;
    return 0;
}

int tu_count_lines(void *userdata, const char *line, size_t len)
{
    tu_counter *c = userdata;
    (void)line;
    c->calls++;
    c->bytes += len;
    return 0;
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p == NULL) abort();
    memcpy(p, s, n + 1);
    return p;
}

int tu_mlsd_sink(void *userdata, const char *name, const ftp_fact *facts, size_t nfacts)
{
    tu_mlsd *m = userdata;
    tu_mlsd_entry *e;
    size_t i;
    if (name == NULL || (nfacts > 0 && facts == NULL)) {
        if (m->bad++ == 0)
            snprintf(m->bad_msg, sizeof m->bad_msg, "entry %zu: NULL name or facts", m->n + 1);
        return 1;
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->e = realloc(m->e, m->cap * sizeof *m->e);
        if (m->e == NULL) abort();
    }
    e = &m->e[m->n++];
    e->name = dupstr(name);
    e->nfacts = nfacts;
    e->keys = calloc(nfacts ? nfacts : 1, sizeof(char *));
    e->values = calloc(nfacts ? nfacts : 1, sizeof(char *));
    if (e->keys == NULL || e->values == NULL) abort();
    for (i = 0; i < nfacts; i++) {
        if (facts[i].name == NULL || facts[i].value == NULL) {
            if (m->bad++ == 0)
                snprintf(m->bad_msg, sizeof m->bad_msg, "entry %s: fact %zu has a NULL pointer",
                         name, i);
            e->keys[i] = dupstr("");
            e->values[i] = dupstr("");
            continue;
        }
        e->keys[i] = dupstr(facts[i].name);
        e->values[i] = dupstr(facts[i].value);
    }
    return 0;
}

const tu_mlsd_entry *tu_mlsd_find(const tu_mlsd *m, const char *name)
{
    size_t i;
    for (i = 0; i < m->n; i++)
        if (strcmp(m->e[i].name, name) == 0) return &m->e[i];
    return NULL;
}

const char *tu_mlsd_fact(const tu_mlsd_entry *e, const char *key)
{
    size_t i;
    for (i = 0; i < e->nfacts; i++)
        if (strcmp(e->keys[i], key) == 0) return e->values[i];
    return NULL;
}

void tu_mlsd_dump(const tu_mlsd *m)
{
    size_t i, j;
    fflush(stdout);
    fprintf(stderr, "  MLSD entries (%zu):\n", m->n);
    for (i = 0; i < m->n; i++) {
        fputs("    ", stderr);
        print_cstr(stderr, m->e[i].name);
        for (j = 0; j < m->e[i].nfacts; j++)
            fprintf(stderr, " %s=%s;", m->e[i].keys[j], m->e[i].values[j]);
        fputc('\n', stderr);
    }
}

void tu_mlsd_free(tu_mlsd *m)
{
    size_t i, j;
    for (i = 0; i < m->n; i++) {
        for (j = 0; j < m->e[i].nfacts; j++) {
            free(m->e[i].keys[j]);
            free(m->e[i].values[j]);
        }
        free(m->e[i].keys);
        free(m->e[i].values);
        free(m->e[i].name);
    }
    free(m->e);
    memset(m, 0, sizeof *m);
}

bool tu_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool tu_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ----------------------------------------------- stdout/stderr capture */

void tu_capture_begin(tu_capture *c, int fd)
{
    int tmp;
    fflush(stdout);
    fflush(stderr);
    c->fd = fd;
    snprintf(c->path, sizeof c->path, "/tmp/libftp-ctest-cap-XXXXXX");
    tmp = mkstemp(c->path);
    if (tmp < 0) {
        perror("mkstemp");
        exit(1);
    }
    c->saved = dup(fd);
    if (c->saved < 0 || dup2(tmp, fd) < 0) {
        perror("dup");
        exit(1);
    }
    close(tmp);
}

uint8_t *tu_capture_end(tu_capture *c, size_t *len)
{
    uint8_t *data;
    fflush(stdout);
    fflush(stderr);
    if (dup2(c->saved, c->fd) < 0) {
        perror("dup2");
        exit(1);
    }
    close(c->saved);
    data = tu_slurp(c->path, len);
    unlink(c->path);
    return data;
}

uint16_t tu_closed_port(int *fd_out)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        exit(1);
    }
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
        perror("bind");
        exit(1);
    }
    *fd_out = fd;
    return ntohs(a.sin_port);
}
