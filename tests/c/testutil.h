/* Helpers shared by the C tests of libftp (tests/c/).
 *
 * CHECK macros print file:line, the expression, the result name (for
 * ftp_result expressions) and the session's ftp_last_error, ftp_last_code
 * and ftp_last_response, then exit(1).  Pass NULL as the session when there
 * is none (or when it was freed).
 *
 * Tests that need servers call tu_server_env(): when the variables are not
 * set it prints "SKIP: no servers" and exits 77 (CTest SKIP_RETURN_CODE),
 * unless FTP_TEST_REQUIRE_SERVERS=1, in which case the test fails.
 */
#ifndef FTP_TESTUTIL_H
#define FTP_TESTUTIL_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ftp.h"

#define TU_SKIP 77

/* ------------------------------------------------------------ failures */

void tu_fail(const char *file, int line, const ftp_session *s, const char *expr,
             const char *fmt, ...);
void tu_fail_result(const char *file, int line, const ftp_session *s, const char *expr,
                    ftp_result got, ftp_result want);
void tu_check_str(const char *file, int line, const ftp_session *s, const char *expr,
                  const char *got, const char *want);
void tu_check_int(const char *file, int line, const ftp_session *s, const char *expr,
                  long long got, long long want);
void tu_check_mem(const char *file, int line, const ftp_session *s, const char *expr,
                  const void *got, size_t got_len, const void *want, size_t want_len);
void tu_check_file(const char *file, int line, const ftp_session *s, const char *path,
                   const void *want, size_t want_len);

/* Boolean condition. */
#define CHECK(s, cond)                                                     \
    do {                                                                   \
        if (!(cond)) tu_fail(__FILE__, __LINE__, (s), #cond, NULL);        \
    } while (0)
/* Boolean condition with a printf-style explanation. */
#define CHECK_MSG(s, cond, ...)                                            \
    do {                                                                   \
        if (!(cond)) tu_fail(__FILE__, __LINE__, (s), #cond, __VA_ARGS__); \
    } while (0)
/* An ftp_result expression must give `want`. */
#define CHECK_RES(s, expr, want)                                           \
    do {                                                                   \
        ftp_result tu_r_ = (expr);                                         \
        if (tu_r_ != (want))                                               \
            tu_fail_result(__FILE__, __LINE__, (s), #expr, tu_r_, (want)); \
    } while (0)
#define CHECK_OK(s, expr) CHECK_RES(s, expr, FTP_OK)
/* Strings (NULL allowed on either side; NULL != ""). */
#define CHECK_STR(s, got, want) tu_check_str(__FILE__, __LINE__, (s), #got, (got), (want))
#define CHECK_INT(s, got, want) \
    tu_check_int(__FILE__, __LINE__, (s), #got, (long long)(got), (long long)(want))
/* The server's last reply code. */
#define CHECK_CODE(s, want) CHECK_INT(s, ftp_last_code(s), want)
#define CHECK_MEM(s, got, got_len, want, want_len) \
    tu_check_mem(__FILE__, __LINE__, (s), #got, (got), (got_len), (want), (want_len))
/* The file at `path` on disk must hold exactly these bytes. */
#define CHECK_FILE(s, path, want, want_len) \
    tu_check_file(__FILE__, __LINE__, (s), (path), (want), (want_len))

/* Prints "-- text" (flushed) so a failure can be located in the log. */
void tu_step(const char *fmt, ...);

/* ----------------------------------------------------------- servers */

typedef struct tu_server {
    const char *name;   /* "VSFTPD", "VSFTPD6", "PYFTPD" */
    const char *host;
    uint16_t port;
    const char *root;   /* local path of the server's root */
    const char *user;   /* NULL for anonymous servers */
    const char *pass;
} tu_server;

/* Reads FTP_TEST_<name>_HOST/_PORT/_ROOT (and _USER/_PASS if with_user).
 * Missing: SKIP (exit 77) or, with FTP_TEST_REQUIRE_SERVERS=1, FAIL. */
void tu_server_env(const char *name, bool with_user, tu_server *out);

/* New session with a safety timeout (so a hang fails instead of blocking
 * CTest), connected, and logged in (srv->user or anonymous) if login. */
ftp_session *tu_open(const tu_server *srv, bool login);

/* ------------------------------------------------------------- files */

/* malloc'ed "a/b". */
char *tu_path(const char *dir, const char *name);
/* malloc'ed printf result. */
char *tu_strf(const char *fmt, ...);
/* "prefix_<pid>_<n>" (malloc'ed), unique within a run and between tests. */
char *tu_unique(const char *prefix);
/* Whole file, malloc'ed (plus a NUL after the data); NULL if unreadable. */
uint8_t *tu_read_file(const char *path, size_t *len);
/* Like tu_read_file but fails the test when the file cannot be read. */
uint8_t *tu_slurp(const char *path, size_t *len);
void tu_write_file(const char *path, const void *data, size_t len);
bool tu_exists(const char *path);
bool tu_is_dir(const char *path);
long long tu_file_size(const char *path); /* -1 if missing */
/* Deterministic pseudo-random bytes (malloc'ed). */
uint8_t *tu_gen_data(size_t len, uint32_t seed);

/* ------------------------------------------------------- callbacks */

/* Memory sink for ftp_data_cb (also usable as the `sent` callback). */
typedef struct tu_buf {
    uint8_t *data;
    size_t len, cap;
    size_t calls;
    size_t zero_calls;   /* calls with len == 0 */
    size_t max_block, min_block;
    size_t stop_after;   /* return 1 on this call number (1-based); 0 = never */
    size_t bad_calls;    /* calls with data == NULL and len > 0 */
} tu_buf;
int tu_buf_sink(void *userdata, const uint8_t *data, size_t len);
void tu_buf_append(tu_buf *b, const void *data, size_t len);
void tu_buf_free(tu_buf *b);

/* Line sink for ftp_line_cb.  Records each line; checks that line[len] is
 * NUL, strlen(line) == len and that there is no CR/LF in it. */
typedef struct tu_lines {
    char **lines;
    size_t *lens;
    size_t n, cap;
    size_t stop_after;   /* return 1 on this call number (1-based); 0 = never */
    int bad;             /* number of malformed lines seen */
    char bad_msg[256];   /* the first problem */
} tu_lines;
int tu_lines_sink(void *userdata, const char *line, size_t len);
void tu_lines_add(tu_lines *l, const char *line, size_t len);
/* Index of the line equal to s, or -1. */
int tu_lines_index(const tu_lines *l, const char *s);
/* Number of lines containing / starting with s. */
size_t tu_lines_count_containing(const tu_lines *l, const char *s);
size_t tu_lines_count_prefix(const tu_lines *l, const char *prefix);
void tu_lines_dump(const tu_lines *l, const char *title);
void tu_lines_free(tu_lines *l);
/* ftp_debug_cb: records each line (trailing CR/LF removed) into a tu_lines. */
void tu_debug_sink(void *userdata, const char *line);
/* Splits text the way ftplib's retrlines does (CRLF, LF and a lone CR end
 * a line; a final unterminated line counts). */
void tu_split_lines(const uint8_t *data, size_t len, tu_lines *out);

/* Memory source for ftp_read_cb. */
typedef struct tu_src {
    const uint8_t *data;
    size_t len, pos;
    size_t chunk;        /* give at most this much per call; 0 = cap */
    size_t calls;
    size_t max_cap, min_cap;
    size_t fail_at;      /* return -1 on this call number (1-based); 0 = never */
    int bad_calls;       /* calls with buf == NULL or cap == 0 */
} tu_src;
int64_t tu_src_read(void *userdata, uint8_t *buf, size_t cap);

/* Upload state: storbinary/storlines pass the same userdata to the read
 * callback and to `sent`, so both live in one struct.  src is the first
 * member: tu_src_read can be given a tu_upload *. */
typedef struct tu_upload {
    tu_src src;
    tu_buf sent;          /* everything `sent` was given, concatenated */
    tu_lines sent_calls;  /* each `sent` call's bytes as one entry */
} tu_upload;
/* ftp_data_cb for `sent` (userdata: tu_upload *); honours sent.stop_after. */
int tu_upload_sent(void *userdata, const uint8_t *data, size_t len);
void tu_upload_free(tu_upload *u);

/* Counting callbacks. */
typedef struct tu_counter {
    size_t calls;
    size_t bytes;
} tu_counter;
int tu_count_data(void *userdata, const uint8_t *data, size_t len);
int tu_count_lines(void *userdata, const char *line, size_t len);

/* MLSD sink. */
typedef struct tu_mlsd_entry {
    char *name;
    size_t nfacts;
    char **keys;
    char **values;
} tu_mlsd_entry;
typedef struct tu_mlsd {
    tu_mlsd_entry *e;
    size_t n, cap;
    int bad;
    char bad_msg[256];
} tu_mlsd;
int tu_mlsd_sink(void *userdata, const char *name, const ftp_fact *facts, size_t nfacts);
const tu_mlsd_entry *tu_mlsd_find(const tu_mlsd *m, const char *name);
const char *tu_mlsd_fact(const tu_mlsd_entry *e, const char *key); /* NULL if absent */
void tu_mlsd_dump(const tu_mlsd *m);
void tu_mlsd_free(tu_mlsd *m);

bool tu_ends_with(const char *s, const char *suffix);
bool tu_starts_with(const char *s, const char *prefix);

/* ----------------------------------------------- stdout/stderr capture */

typedef struct tu_capture {
    int fd;       /* 1 or 2 */
    int saved;
    char path[64];
} tu_capture;
void tu_capture_begin(tu_capture *c, int fd);
/* Restores the descriptor and returns what was written (malloc'ed, NUL
 * terminated). */
uint8_t *tu_capture_end(tu_capture *c, size_t *len);

/* A loopback TCP port on which nothing listens: the socket is bound but not
 * listening, so connect() is refused.  Close *fd_out when done. */
uint16_t tu_closed_port(int *fd_out);

#endif
