/* test_stress: many sessions on many threads at once against vsftpd, every
 * byte verified.  Written for pthreads so that it can also run under
 * ThreadSanitizer or Helgrind (scripts/sanitizers.sh, SECURITY.md).
 *
 * Server: vsftpd on 127.0.0.1 (FTP_TEST_VSFTPD_*, anonymous, writable pub/)
 * and, for every FTP_STRESS_TLS_EVERY-th session, vsftpd explicit FTPS
 * (FTP_TEST_VSFTPDS_*, PROT P, require_ssl_reuse, one ftp_tls_config shared
 * by all threads).  The launcher's vsftpd has max_clients=0 and
 * max_per_ip=0 (no limit); a server that answers "421 There are too many
 * connected users" (max_clients) or "421 There are too many connections
 * from your internet address" (max_per_ip) makes the test fail with a hint.
 * The launcher gives the plain vsftpd a range of 1000 PASV ports outside
 * the kernel's ephemeral range (200 for the FTPS ones), and vsftpd tries 9
 * random ports of it per PASV, failing with "500 OOPS: priv_sock_get_int"
 * when all are taken: with ~50 passive data connections open at once that
 * is far out of reach (with 100 ports it happened, rarely).
 *
 * What each of the FTP_STRESS_SESSIONS sessions (default 64) does, its
 * thread running FTP_STRESS_SESSIONS / FTP_STRESS_THREADS of them (default
 * 8 threads) interleaved, every thread in the same phase at once (a barrier
 * between phases):
 *   1. connect, log in, CWD pub, TYPE I -- all sessions open at once;
 *   2. upload file A through the raw transfer API: each thread opens the
 *      STOR of all its sessions, waits for the other threads (so all
 *      sessions' data connections are open at once), then writes blocks
 *      of varying sizes to them in turn; close + voidresp 226; the file
 *      vsftpd wrote is compared with what was sent;
 *   3. upload file B with ftp_storbinary (blocksizes 0, 64 KiB, 256 MiB
 *      and SIZE_MAX in turn: the read callback must be asked for at most
 *      8192 bytes, then FTP_MAX_STOR_BLOCK (64 KiB) for the other three),
 *      compared on disk, and the `sent` callback's total;
 *   4. SIZE of both files;
 *   5. download A with ftp_retrbinary (the same blocksizes; no block over
 *      the limit), compared with what was uploaded and with the file on
 *      disk;
 *   6. download B through the raw transfer API, all of the thread's data
 *      connections open at once and read in turn (150's announced size
 *      checked), compared;
 *   7. DELE both (gone from disk), QUIT 221, free.
 * File sizes are between FTP_STRESS_MIN_KIB and FTP_STRESS_MAX_KIB KiB
 * (default 256 and 1024), different for every file, with odd byte counts;
 * contents are pseudo-random from a seed unique to the session and file.
 * A quarter of the transfers of each kind are in active mode (PORT; the
 * data connection accepted by the library), the rest passive.
 *
 * Environment (all optional): FTP_STRESS_SESSIONS, FTP_STRESS_THREADS,
 * FTP_STRESS_MIN_KIB, FTP_STRESS_MAX_KIB, FTP_STRESS_TLS_EVERY (0: no FTPS
 * sessions; default 8, and none when FTP_TEST_VSFTPDS_* is not set).
 * Prints one summary line "stress: ..." with sessions, bytes and time.
 */
#include "testutil.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct stress_file {
    char *name;     /* in pub/ */
    char *path;     /* local path of pub/name */
    uint8_t *data;  /* what is uploaded */
    size_t len;
} stress_file;

typedef struct stress_sess {
    int index;                /* 0 .. n_sessions-1 */
    bool tls;
    const tu_server *srv;
    const char *pub;          /* local path of the server's pub/ */
    ftp_session *s;
    stress_file f[2];         /* A: raw upload + retrbinary; B: storbinary + raw download */
    ftp_transfer *t;          /* open raw transfer */
    size_t pos;               /* raw transfer progress */
    tu_buf got;               /* raw download */
    uint32_t rng;             /* block sizes */
} stress_sess;

typedef struct stress_thread {
    int index;
    stress_sess *sess;        /* this thread's sessions */
    int n;
    unsigned long long up, down; /* payload bytes moved */
} stress_thread;

/* --------------------------------------------------------------- globals
 * Written by main before the threads start, read-only afterwards. */
static tu_server PLAIN, SECURE;
static char *PLAIN_PUB, *SECURE_PUB;
static const ftp_tls_config *TLS_CONFIG;
static int N_SESSIONS = 64, N_THREADS = 8, TLS_EVERY = 8;
static size_t MIN_LEN = 256 * 1024, MAX_LEN = 1024 * 1024;
static pthread_barrier_t BARRIER;

/* Shared counters, under COUNT_LOCK. */
static pthread_mutex_t COUNT_LOCK = PTHREAD_MUTEX_INITIALIZER;
static int OPEN_CONTROL, PEAK_CONTROL, OPEN_DATA, PEAK_DATA;

static void count(int *open, int *peak, int delta)
{
    int err = pthread_mutex_lock(&COUNT_LOCK);
    CHECK_MSG(NULL, err == 0, "pthread_mutex_lock: %s", strerror(err));
    *open += delta;
    if (*open > *peak) *peak = *open;
    pthread_mutex_unlock(&COUNT_LOCK);
}

static uint32_t next_rand(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* All threads reach this point; one of them (any) prints `what`. */
static void phase(const char *what)
{
    int rc = pthread_barrier_wait(&BARRIER);
    CHECK_MSG(NULL, rc == 0 || rc == PTHREAD_BARRIER_SERIAL_THREAD, "pthread_barrier_wait: %s",
              strerror(rc));
    if (rc == PTHREAD_BARRIER_SERIAL_THREAD && what != NULL) tu_step("%s", what);
}

static int env_int(const char *name, int def, int min, int max)
{
    const char *v = getenv(name);
    char *end;
    long n;
    if (v == NULL || v[0] == '\0') return def;
    errno = 0;
    n = strtol(v, &end, 10);
    CHECK_MSG(NULL, errno == 0 && *end == '\0' && n >= min && n <= max,
              "%s=%s: a number from %d to %d expected", name, v, min, max);
    return (int)n;
}

/* Active mode for a quarter of the transfers of each kind. */
static void set_mode(stress_sess *x, int which)
{
    bool active = (x->index % 4) == (which == 0 ? 3 : 1);
    CHECK_OK(x->s, ftp_set_pasv(x->s, !active));
}

/* ------------------------------------------------------------ phases */

static void open_session(stress_sess *x)
{
    ftp_result r;
    const char *dbg = getenv("FTP_TEST_DEBUG");
    x->s = x->tls ? ftp_session_new_tls(TLS_CONFIG) : ftp_session_new();
    CHECK(NULL, x->s != NULL);
    CHECK_OK(x->s, ftp_set_timeout_ms(x->s, 60000));
    if (dbg != NULL && atoi(dbg) > 0) CHECK_OK(x->s, ftp_set_debuglevel(x->s, atoi(dbg)));
    r = ftp_connect(x->s, x->srv->host, x->srv->port);
    if (r == FTP_ERROR_TEMP && ftp_last_code(x->s) == 421)
        CHECK_MSG(x->s, 0,
                  "session %d refused with 421: vsftpd's connection limit is too low for %d "
                  "sessions (the launcher needs max_clients=0 and max_per_ip=0, or at least "
                  "%d, in its vsftpd configuration); run with FTP_STRESS_SESSIONS=N lower "
                  "meanwhile",
                  x->index, N_SESSIONS, N_SESSIONS + 8);
    CHECK_RES(x->s, r, FTP_OK);
    CHECK_CODE(x->s, 220);
    count(&OPEN_CONTROL, &PEAK_CONTROL, 1);
    CHECK_OK(x->s, ftp_login(x->s, NULL, NULL, NULL));
    CHECK_CODE(x->s, 230);
    if (x->tls) {
        CHECK_OK(x->s, ftp_prot_p(x->s));
        CHECK_CODE(x->s, 200);
    }
    CHECK_OK(x->s, ftp_cwd(x->s, "pub"));
    CHECK_OK(x->s, ftp_voidcmd(x->s, "TYPE I"));
}

/* Phase 2: every session's STOR open at once (in all threads: a barrier
 * after opening), blocks written in turn. */
static void raw_uploads(stress_thread *th)
{
    int i, left = th->n;
    for (i = 0; i < th->n; i++) {
        stress_sess *x = &th->sess[i];
        char *cmd = tu_strf("STOR %s", x->f[0].name);
        set_mode(x, 0);
        CHECK_OK(x->s, ftp_transfercmd(x->s, cmd, FTP_NO_REST, &x->t));
        CHECK(x->s, x->t != NULL);
        CHECK_MSG(x->s, ftp_transfer_fd(x->t) >= 0, "no data socket");
        count(&OPEN_DATA, &PEAK_DATA, 1);
        x->pos = 0;
        free(cmd);
    }
    phase(NULL); /* every session of every thread has its STOR open */
    while (left > 0) {
        for (i = 0; i < th->n; i++) {
            stress_sess *x = &th->sess[i];
            size_t n;
            if (x->t == NULL) continue;
            n = 1 + next_rand(&x->rng) % (96 * 1024);
            if (n > x->f[0].len - x->pos) n = x->f[0].len - x->pos;
            CHECK_OK(x->s, ftp_transfer_write(x->t, x->f[0].data + x->pos, n));
            x->pos += n;
            th->up += n;
            if (x->pos == x->f[0].len) {
                CHECK_OK(x->s, ftp_transfer_close(x->t));
                x->t = NULL;
                count(&OPEN_DATA, &PEAK_DATA, -1);
                CHECK_OK(x->s, ftp_voidresp(x->s));
                CHECK_CODE(x->s, 226);
                CHECK_FILE(x->s, x->f[0].path, x->f[0].data, x->f[0].len);
                left--;
            }
        }
    }
}

typedef struct sent_count {
    tu_src src;               /* first: tu_src_read gets a sent_count * */
    size_t sent, calls;
} sent_count;

static int count_sent(void *userdata, const uint8_t *data, size_t len)
{
    sent_count *c = userdata;
    if (data == NULL && len > 0) return 1;
    c->sent += len;
    c->calls++;
    return 0;
}

/* The last two are above FTP_MAX_BLOCKSIZE: the library must use 1 MiB
 * buffers (uncapped, SIZE_MAX could not be allocated at all and 256 MiB
 * would be allocated for every transfer). */
static const size_t BLOCKSIZES[4] = {0, 65536, (size_t)256 << 20, SIZE_MAX};

/* The largest block a transfer with this blocksize may hand out or ask for. */
static size_t block_limit(size_t blocksize)
{
    if (blocksize == 0) return FTP_DEFAULT_BLOCKSIZE;
    return blocksize < FTP_MAX_BLOCKSIZE ? blocksize : FTP_MAX_BLOCKSIZE;
}

/* The largest block ftp_retrbinary may hand its callback. */
static size_t retr_limit(size_t blocksize)
{
    size_t limit = block_limit(blocksize);
    return limit < FTP_MAX_RETR_BLOCK ? limit : FTP_MAX_RETR_BLOCK;
}

/* Exactly what ftp_storbinary asks its read callback for, at most. */
static size_t stor_limit(size_t blocksize)
{
    size_t limit = block_limit(blocksize);
    return limit < FTP_MAX_STOR_BLOCK ? limit : FTP_MAX_STOR_BLOCK;
}

/* Phase 3: storbinary of file B, one session after the other. */
static void storbinary_uploads(stress_thread *th)
{
    int i;
    for (i = 0; i < th->n; i++) {
        stress_sess *x = &th->sess[i];
        sent_count c;
        char *cmd = tu_strf("STOR %s", x->f[1].name);
        memset(&c, 0, sizeof c);
        c.src.data = x->f[1].data;
        c.src.len = x->f[1].len;
        set_mode(x, 1);
        count(&OPEN_DATA, &PEAK_DATA, 1);
        CHECK_OK(x->s, ftp_storbinary(x->s, cmd, tu_src_read, &c, BLOCKSIZES[x->index % 4],
                                      count_sent, FTP_NO_REST));
        count(&OPEN_DATA, &PEAK_DATA, -1);
        CHECK_CODE(x->s, 226);
        CHECK_INT(x->s, c.src.bad_calls, 0);
        CHECK_INT(x->s, c.src.pos, x->f[1].len);
        CHECK_INT(x->s, c.sent, x->f[1].len);
        CHECK_MSG(x->s, c.src.max_cap == stor_limit(BLOCKSIZES[x->index % 4]),
                  "blocksize %zu: the read callback was asked for up to %zu bytes",
                  BLOCKSIZES[x->index % 4], c.src.max_cap);
        CHECK_FILE(x->s, x->f[1].path, x->f[1].data, x->f[1].len);
        th->up += x->f[1].len;
        free(cmd);
    }
}

/* Phase 4: SIZE of both files. */
static void sizes(stress_thread *th)
{
    int i, k;
    for (i = 0; i < th->n; i++) {
        stress_sess *x = &th->sess[i];
        for (k = 0; k < 2; k++) {
            int64_t size = -2;
            CHECK_OK(x->s, ftp_size(x->s, x->f[k].name, &size));
            CHECK_CODE(x->s, 213);
            CHECK_INT(x->s, size, x->f[k].len);
        }
    }
}

/* Phase 5: retrbinary of file A. */
static void retrbinary_downloads(stress_thread *th)
{
    int i;
    for (i = 0; i < th->n; i++) {
        stress_sess *x = &th->sess[i];
        tu_buf b;
        size_t disk_len;
        uint8_t *disk;
        char *cmd = tu_strf("RETR %s", x->f[0].name);
        memset(&b, 0, sizeof b);
        set_mode(x, 0);
        count(&OPEN_DATA, &PEAK_DATA, 1);
        CHECK_OK(x->s, ftp_retrbinary(x->s, cmd, tu_buf_sink, &b, BLOCKSIZES[(x->index + 1) % 4],
                                      FTP_NO_REST));
        count(&OPEN_DATA, &PEAK_DATA, -1);
        CHECK_CODE(x->s, 226);
        CHECK_INT(x->s, b.bad_calls, 0);
        CHECK_MSG(x->s, b.max_block <= retr_limit(BLOCKSIZES[(x->index + 1) % 4]),
                  "blocksize %zu: a block of %zu bytes", BLOCKSIZES[(x->index + 1) % 4],
                  b.max_block);
        CHECK_MEM(x->s, b.data, b.len, x->f[0].data, x->f[0].len);
        disk = tu_slurp(x->f[0].path, &disk_len);
        CHECK_MEM(x->s, b.data, b.len, disk, disk_len);
        free(disk);
        th->down += b.len;
        tu_buf_free(&b);
        free(cmd);
    }
}

/* Phase 6: every session's RETR of file B open at once (in all threads),
 * read in turn. */
static void raw_downloads(stress_thread *th)
{
    int i, left = th->n;
    uint8_t *buf = malloc(96 * 1024);
    CHECK(NULL, buf != NULL);
    for (i = 0; i < th->n; i++) {
        stress_sess *x = &th->sess[i];
        int64_t expected = -2;
        char *cmd = tu_strf("RETR %s", x->f[1].name);
        set_mode(x, 1);
        CHECK_OK(x->s, ftp_ntransfercmd(x->s, cmd, FTP_NO_REST, &x->t, &expected));
        CHECK(x->s, x->t != NULL);
        count(&OPEN_DATA, &PEAK_DATA, 1);
        /* vsftpd's 150 says "(N bytes)". */
        CHECK_INT(x->s, expected, x->f[1].len);
        memset(&x->got, 0, sizeof x->got);
        free(cmd);
    }
    phase(NULL); /* every session of every thread has its RETR open */
    while (left > 0) {
        for (i = 0; i < th->n; i++) {
            stress_sess *x = &th->sess[i];
            size_t cap, n = 0;
            if (x->t == NULL) continue;
            cap = 1 + next_rand(&x->rng) % (96 * 1024);
            CHECK_OK(x->s, ftp_transfer_read(x->t, buf, cap, &n));
            CHECK_MSG(x->s, n <= cap, "ftp_transfer_read gave %zu > cap %zu", n, cap);
            CHECK_MSG(x->s, x->got.len + n <= x->f[1].len, "session %d: more data than uploaded",
                      x->index);
            tu_buf_append(&x->got, buf, n);
            th->down += n;
            if (n == 0) {
                CHECK_OK(x->s, ftp_transfer_close(x->t));
                x->t = NULL;
                count(&OPEN_DATA, &PEAK_DATA, -1);
                CHECK_OK(x->s, ftp_voidresp(x->s));
                CHECK_CODE(x->s, 226);
                CHECK_MEM(x->s, x->got.data, x->got.len, x->f[1].data, x->f[1].len);
                tu_buf_free(&x->got);
                left--;
            }
        }
    }
    free(buf);
}

/* Phase 7: DELE, QUIT, free. */
static void close_sessions(stress_thread *th)
{
    int i, k;
    for (i = 0; i < th->n; i++) {
        stress_sess *x = &th->sess[i];
        for (k = 0; k < 2; k++) {
            CHECK_OK(x->s, ftp_delete(x->s, x->f[k].name));
            CHECK_CODE(x->s, 250);
            CHECK_MSG(x->s, !tu_exists(x->f[k].path), "%s still exists after DELE",
                      x->f[k].path);
        }
        CHECK_OK(x->s, ftp_quit(x->s));
        CHECK_CODE(x->s, 221);
        ftp_session_free(x->s);
        x->s = NULL;
        count(&OPEN_CONTROL, &PEAK_CONTROL, -1);
    }
}

static void *thread_main(void *p)
{
    stress_thread *th = p;
    int i;
    for (i = 0; i < th->n; i++) open_session(&th->sess[i]);
    phase("raw uploads, all data connections open at once");
    raw_uploads(th);
    phase("storbinary uploads");
    storbinary_uploads(th);
    phase("SIZE");
    sizes(th);
    phase("retrbinary downloads");
    retrbinary_downloads(th);
    phase("raw downloads, all data connections open at once");
    raw_downloads(th);
    phase("DELE, QUIT");
    close_sessions(th);
    return NULL;
}

/* ---------------------------------------------------------------- main */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
    stress_thread *threads;
    stress_sess *sess;
    pthread_t *tids;
    ftp_tls_config *config = NULL;
    unsigned long long up = 0, down = 0;
    int i, k, err, n_tls = 0, per_thread;
    double t0, elapsed;

    setvbuf(stdout, NULL, _IOLBF, 0);
    tu_server_env("VSFTPD", false, &PLAIN);
    PLAIN_PUB = tu_path(PLAIN.root, "pub");

    N_SESSIONS = env_int("FTP_STRESS_SESSIONS", N_SESSIONS, 1, 4096);
    N_THREADS = env_int("FTP_STRESS_THREADS", N_THREADS, 1, 1024);
    MIN_LEN = (size_t)env_int("FTP_STRESS_MIN_KIB", 256, 1, 1 << 20) * 1024;
    MAX_LEN = (size_t)env_int("FTP_STRESS_MAX_KIB", 1024, 1, 1 << 20) * 1024;
    TLS_EVERY = env_int("FTP_STRESS_TLS_EVERY", TLS_EVERY, 0, 4096);
    CHECK_MSG(NULL, MIN_LEN <= MAX_LEN, "FTP_STRESS_MIN_KIB > FTP_STRESS_MAX_KIB");
    CHECK_MSG(NULL, N_SESSIONS % N_THREADS == 0,
              "FTP_STRESS_SESSIONS (%d) must be a multiple of FTP_STRESS_THREADS (%d)",
              N_SESSIONS, N_THREADS);
    per_thread = N_SESSIONS / N_THREADS;

    if (TLS_EVERY > 0) {
        const char *port = getenv("FTP_TEST_VSFTPDS_PORT");
        const char *cafile = getenv("FTP_TEST_TLS_CAFILE");
        if (port == NULL || port[0] == '\0' || cafile == NULL || cafile[0] == '\0') {
            tu_step("no FTP_TEST_VSFTPDS_* / FTP_TEST_TLS_CAFILE: plain FTP sessions only");
            TLS_EVERY = 0;
        } else {
            tu_server_env("VSFTPDS", false, &SECURE);
            SECURE_PUB = tu_path(SECURE.root, "pub");
            config = ftp_tls_config_new();
            CHECK(NULL, config != NULL);
            CHECK_OK(NULL, ftp_tls_config_set_ca_file(config, cafile));
            TLS_CONFIG = config;
        }
    }

    sess = calloc((size_t)N_SESSIONS, sizeof *sess);
    threads = calloc((size_t)N_THREADS, sizeof *threads);
    tids = calloc((size_t)N_THREADS, sizeof *tids);
    CHECK(NULL, sess != NULL && threads != NULL && tids != NULL);
    for (i = 0; i < N_SESSIONS; i++) {
        stress_sess *x = &sess[i];
        x->index = i;
        /* The last session of every TLS_EVERY is FTPS. */
        x->tls = TLS_EVERY > 0 && (i % TLS_EVERY) == TLS_EVERY - 1;
        n_tls += x->tls;
        x->srv = x->tls ? &SECURE : &PLAIN;
        x->pub = x->tls ? SECURE_PUB : PLAIN_PUB;
        x->rng = 0x51a7u + (uint32_t)i * 7919u;
        for (k = 0; k < 2; k++) {
            uint32_t seed = 0x10000u + (uint32_t)(i * 2 + k);
            uint32_t r = seed * 2654435761u;
            stress_file *f = &x->f[k];
            /* Different for every file, odd-sized: MIN..MAX bytes. */
            f->len = MIN_LEN + (size_t)(next_rand(&r) % (uint32_t)(MAX_LEN - MIN_LEN + 1));
            f->len |= 1;
            if (f->len > MAX_LEN) f->len -= 2;
            f->data = tu_gen_data(f->len, seed);
            f->name = tu_strf("stress_%ld_%d_%c.bin", (long)getpid(), i, "AB"[k]);
            f->path = tu_path(x->pub, f->name);
        }
    }
    for (i = 0; i < N_THREADS; i++) {
        threads[i].index = i;
        threads[i].sess = &sess[i * per_thread];
        threads[i].n = per_thread;
    }

    tu_step("%d sessions (%d FTPS) on %d threads, files of %zu..%zu bytes, 2 per session",
            N_SESSIONS, n_tls, N_THREADS, MIN_LEN, MAX_LEN);
    err = pthread_barrier_init(&BARRIER, NULL, (unsigned)N_THREADS);
    CHECK_MSG(NULL, err == 0, "pthread_barrier_init: %s", strerror(err));

    t0 = now_s();
    for (i = 0; i < N_THREADS; i++) {
        err = pthread_create(&tids[i], NULL, thread_main, &threads[i]);
        CHECK_MSG(NULL, err == 0, "pthread_create: %s", strerror(err));
    }
    for (i = 0; i < N_THREADS; i++) {
        err = pthread_join(tids[i], NULL);
        CHECK_MSG(NULL, err == 0, "pthread_join: %s", strerror(err));
    }
    elapsed = now_s() - t0;
    pthread_barrier_destroy(&BARRIER);

    for (i = 0; i < N_THREADS; i++) {
        up += threads[i].up;
        down += threads[i].down;
    }
    {
        unsigned long long want = 0;
        for (i = 0; i < N_SESSIONS; i++) want += sess[i].f[0].len + sess[i].f[1].len;
        CHECK_INT(NULL, up, want);
        CHECK_INT(NULL, down, want);
    }
    CHECK_INT(NULL, OPEN_CONTROL, 0);
    CHECK_INT(NULL, OPEN_DATA, 0);
    CHECK_INT(NULL, PEAK_CONTROL, N_SESSIONS);
    CHECK_INT(NULL, PEAK_DATA, N_SESSIONS);
    printf("stress: %d sessions (%d FTPS, %d plain) on %d threads; %d control connections "
           "open at once, %d data connections at once; uploaded %llu bytes, downloaded "
           "%llu bytes, all verified; %.2f s (%.1f MiB/s)\n",
           N_SESSIONS, n_tls, N_SESSIONS - n_tls, N_THREADS, PEAK_CONTROL, PEAK_DATA, up, down,
           elapsed, (double)(up + down) / (1024.0 * 1024.0) / (elapsed > 0 ? elapsed : 1));

    for (i = 0; i < N_SESSIONS; i++) {
        for (k = 0; k < 2; k++) {
            free(sess[i].f[k].data);
            free(sess[i].f[k].name);
            free(sess[i].f[k].path);
        }
    }
    ftp_tls_config_free(config);
    free(sess);
    free(threads);
    free(tids);
    free(PLAIN_PUB);
    free(SECURE_PUB);
    printf("PASS\n");
    return 0;
}
