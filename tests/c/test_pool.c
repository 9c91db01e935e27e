/* test_pool: one ftp_pool shared by 8 pthreads against vsftpd.
 *
 * Server: vsftpd on 127.0.0.1 (FTP_TEST_VSFTPD_*, anonymous, pub/ writable,
 * pub/big.bin 5 MiB).  Checks:
 *   1. ftp_pool_new refuses a bad URL and max_sessions 0 with NULL, and
 *      ftp_pool_last_error(NULL) says why (per thread; "" after a success);
 *      NULL pools give FTP_ERROR_INVALID_ARGUMENT, ftp_pool_free(NULL) is a
 *      no-op;
 *   2. 8 threads share a pool of 4 ("ftp://127.0.0.1:PORT/pub"), each
 *      downloading big.bin, hello.txt and subdir/nested.txt three times
 *      with ftp_pool_download_file, byte-exact; a progress callback set on
 *      the pool (userdata behind a mutex) sees the transfers of all threads;
 *   3. ftp_pool_upload_file, byte-exact on the server's disk;
 *   4. per-thread errors: two threads fail differently on one pool at the
 *      same time (a missing remote file: FTP_ERROR_PERM; an unknown flag:
 *      FTP_ERROR_INVALID_ARGUMENT) and each reads its own text, after both
 *      failed; a third thread that succeeded reads "";
 *   5. ftp_pool_download_segmented, 4 segments with FTP_VERIFY, of a file of
 *      5 MiB + 7 bytes written into pub/ (a size 4 does not divide),
 *      byte-exact.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#define THREADS 8
#define ROUNDS 3

static const char *const FILES[] = {"big.bin", "hello.txt", "subdir/nested.txt"};
#define NFILES (sizeof FILES / sizeof FILES[0])

typedef struct expected {
    uint8_t *data;
    size_t len;
} expected;

typedef struct shared {
    ftp_pool *pool;
    const char *tmpdir;
    expected want[NFILES];
    pthread_mutex_t lock;
    unsigned long progress_calls;
    unsigned long long progress_bytes;
    pthread_barrier_t both_failed;
} shared;

typedef struct worker {
    shared *sh;
    int index;
    int failures;
} worker;

static int on_progress(void *userdata, const ftp_progress *p)
{
    shared *sh = userdata;
    pthread_mutex_lock(&sh->lock);
    sh->progress_calls++;
    if (p->bytes == (uint64_t)p->total)
        sh->progress_bytes += p->bytes;
    pthread_mutex_unlock(&sh->lock);
    return 0;
}

/* Cancels the pool's calls at the first report that shows bytes. */
static int cancel_on_bytes(void *userdata, const ftp_progress *p)
{
    shared *sh = userdata;
    if (p->bytes > 0 && ftp_pool_cancel(sh->pool) != FTP_OK)
        return 1;
    return 0;
}

static void *download_worker(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    int r;
    size_t i;
    for (r = 0; r < ROUNDS; r++) {
        for (i = 0; i < NFILES; i++) {
            char *local = tu_strf("%s/t%d-r%d-%u", sh->tmpdir, w->index, r, (unsigned)i);
            size_t len = 0;
            uint8_t *got;
            ftp_result res = ftp_pool_download_file(sh->pool, FILES[i], local, 0);
            if (res != FTP_OK) {
                fprintf(stderr, "thread %d: %s: %s: %s\n", w->index, FILES[i],
                        ftp_result_name(res), ftp_pool_last_error(sh->pool));
                w->failures++;
            } else {
                got = tu_read_file(local, &len);
                if (got == NULL || len != sh->want[i].len ||
                    memcmp(got, sh->want[i].data, len) != 0) {
                    fprintf(stderr, "thread %d: %s differs (%zu bytes)\n", w->index, FILES[i], len);
                    w->failures++;
                }
                free(got);
                if (strcmp(ftp_pool_last_error(sh->pool), "") != 0) {
                    fprintf(stderr, "thread %d: error text after a success\n", w->index);
                    w->failures++;
                }
            }
            unlink(local);
            free(local);
        }
    }
    return NULL;
}

/* Thread 0 asks for a missing file, thread 1 passes an unknown flag; both
 * read their text only once both have failed. */
static void *failing_worker(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    char *local = tu_strf("%s/fail-%d", sh->tmpdir, w->index);
    ftp_result res, want = w->index == 0 ? FTP_ERROR_PERM : FTP_ERROR_INVALID_ARGUMENT;
    const char *needle = w->index == 0 ? "550" : "unknown flag bits";
    const char *other = w->index == 0 ? "unknown flag bits" : "550";
    const char *text;

    res = w->index == 0 ? ftp_pool_download_file(sh->pool, "no-such-file.bin", local, 0)
                        : ftp_pool_download_file(sh->pool, "hello.txt", local, 0x40000000u);
    pthread_barrier_wait(&sh->both_failed);
    text = ftp_pool_last_error(sh->pool);
    if (res != want || strstr(text, needle) == NULL || strstr(text, other) != NULL) {
        fprintf(stderr, "thread %d: %s, text \"%s\" (want %s with \"%s\")\n", w->index,
                ftp_result_name(res), text, ftp_result_name(want), needle);
        w->failures++;
    }
    pthread_barrier_wait(&sh->both_failed);
    unlink(local);
    free(local);
    return NULL;
}

int main(void)
{
    tu_server srv;
    shared sh;
    worker w[THREADS];
    pthread_t th[THREADS];
    char tmpl[] = "/tmp/libftp-ctest-pool.XXXXXX";
    char *url, *pub, *local, *remote_on_disk, *remote;
    size_t i, len;
    int t, failures = 0;
    uint8_t *data;

    tu_server_env("VSFTPD", false, &srv);
    memset(&sh, 0, sizeof sh);
    pthread_mutex_init(&sh.lock, NULL);

    tu_step("ftp_pool_new refuses bad arguments; ftp_pool_last_error(NULL) says why");
    CHECK(NULL, ftp_pool_new("http://127.0.0.1/", NULL, 2) == NULL);
    CHECK_MSG(NULL, strstr(ftp_pool_last_error(NULL), "unsupported URL scheme") != NULL, "%s",
              ftp_pool_last_error(NULL));
    CHECK(NULL, ftp_pool_new("ftp://127.0.0.1/", NULL, 0) == NULL);
    CHECK_MSG(NULL, strstr(ftp_pool_last_error(NULL), "max_sessions is 0") != NULL, "%s",
              ftp_pool_last_error(NULL));
    CHECK(NULL, ftp_pool_new(NULL, NULL, 1) == NULL);
    CHECK(NULL, strstr(ftp_pool_last_error(NULL), "url is NULL") != NULL);
    CHECK(NULL, ftp_pool_new("ftp://[::1/", NULL, 1) == NULL);
    CHECK(NULL, strstr(ftp_pool_last_error(NULL), "unterminated '['") != NULL);
    CHECK_RES(NULL, ftp_pool_download_file(NULL, "a", "/tmp/x", 0), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_pool_upload_file(NULL, "/tmp/x", "a", 0), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_pool_download_segmented(NULL, "a", "/tmp/x", 4, 0),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_pool_set_progress_callback(NULL, NULL, NULL, 0),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_pool_set_timeout_ms(NULL, 1000), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_pool_set_proxy(NULL, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_pool_set_netrc(NULL, ""), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_pool_cancel(NULL), FTP_ERROR_INVALID_ARGUMENT);
    ftp_pool_free(NULL);

    url = tu_strf("ftp://%s:%u/pub", srv.host, (unsigned)srv.port);
    sh.pool = ftp_pool_new(url, NULL, 4);
    CHECK(NULL, sh.pool != NULL);
    CHECK_STR(NULL, ftp_pool_last_error(NULL), "");
    CHECK_STR(NULL, ftp_pool_last_error(sh.pool), "");

    tu_step("pool settings: timeout, proxy (a bad URL refused, no password shown), netrc, cancel");
    CHECK_OK(NULL, ftp_pool_set_timeout_ms(sh.pool, 20000));
    CHECK_RES(NULL, ftp_pool_set_proxy(sh.pool, "gopher://u:hidden@h:1"),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_MSG(NULL, strstr(ftp_pool_last_error(sh.pool), "hidden") == NULL, "%s",
              ftp_pool_last_error(sh.pool));
    CHECK(NULL, ftp_pool_last_error(sh.pool)[0] != '\0');
    CHECK_OK(NULL, ftp_pool_set_proxy(sh.pool, NULL));
    CHECK_OK(NULL, ftp_pool_set_netrc(sh.pool, ""));
    /* No call runs: nothing to stop, the pool works on. */
    CHECK_OK(NULL, ftp_pool_cancel(sh.pool));
    CHECK(NULL, mkdtemp(tmpl) != NULL);
    sh.tmpdir = tmpl;
    pub = tu_path(srv.root, "pub");
    for (i = 0; i < NFILES; i++) {
        char *p = tu_path(pub, FILES[i]);
        sh.want[i].data = tu_read_file(p, &sh.want[i].len);
        CHECK(NULL, sh.want[i].data != NULL);
        free(p);
    }
    CHECK_OK(NULL, ftp_pool_set_progress_callback(sh.pool, on_progress, &sh, 0));
    CHECK_RES(NULL, ftp_pool_download_file(sh.pool, NULL, "/tmp/x", 0),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK(NULL, strstr(ftp_pool_last_error(sh.pool), "remote is NULL") != NULL);

    tu_step("8 threads download through one pool of 4, byte-exact");
    for (t = 0; t < THREADS; t++) {
        w[t].sh = &sh;
        w[t].index = t;
        w[t].failures = 0;
        CHECK(NULL, pthread_create(&th[t], NULL, download_worker, &w[t]) == 0);
    }
    for (t = 0; t < THREADS; t++) {
        pthread_join(th[t], NULL);
        failures += w[t].failures;
    }
    CHECK_INT(NULL, failures, 0);
    CHECK_MSG(NULL, sh.progress_calls >= (unsigned long)(THREADS * ROUNDS * NFILES),
              "%lu progress calls", sh.progress_calls);
    len = 0;
    for (i = 0; i < NFILES; i++)
        len += sh.want[i].len;
    /* Every file reached its total at least once (with interval 0 the last
     * block's report and the final report both show it). */
    CHECK_MSG(NULL, sh.progress_bytes >= (unsigned long long)len * THREADS * ROUNDS,
              "%llu bytes reported complete", sh.progress_bytes);
    CHECK_OK(NULL, ftp_pool_set_progress_callback(sh.pool, NULL, NULL, 0));

    tu_step("ftp_pool_upload_file");
    local = tu_strf("%s/up.bin", tmpl);
    tu_write_file(local, sh.want[0].data, sh.want[0].len);
    remote = tu_strf("pool-up-%ld.bin", (long)getpid());
    CHECK_OK(NULL, ftp_pool_upload_file(sh.pool, local, remote, 0));
    remote_on_disk = tu_path(pub, remote);
    data = tu_read_file(remote_on_disk, &len);
    CHECK(NULL, data != NULL && len == sh.want[0].len &&
                    memcmp(data, sh.want[0].data, len) == 0);
    free(data);
    unlink(remote_on_disk);
    unlink(local);

    tu_step("two threads failing differently each read their own error");
    pthread_barrier_init(&sh.both_failed, NULL, 2);
    for (t = 0; t < 2; t++) {
        w[t].sh = &sh;
        w[t].index = t;
        w[t].failures = 0;
        CHECK(NULL, pthread_create(&th[t], NULL, failing_worker, &w[t]) == 0);
    }
    failures = 0;
    for (t = 0; t < 2; t++) {
        pthread_join(th[t], NULL);
        failures += w[t].failures;
    }
    CHECK_INT(NULL, failures, 0);
    CHECK_STR(NULL, ftp_pool_last_error(sh.pool), "");
    pthread_barrier_destroy(&sh.both_failed);

    tu_step("ftp_pool_download_segmented: 4 segments, FTP_VERIFY, 5 MiB + 7 bytes");
    {
        size_t odd_len = (5u << 20) + 7, got_len = 0;
        uint8_t *odd = tu_gen_data(odd_len, 14), *got;
        char *odd_name = tu_strf("seg-%ld.bin", (long)getpid());
        char *odd_disk = tu_path(pub, odd_name);
        char *odd_local = tu_strf("%s/seg.bin", tmpl);
        tu_write_file(odd_disk, odd, odd_len);
        CHECK(NULL, chmod(odd_disk, 0644) == 0);
        /* ftp_pool_cancel from a progress callback stops the whole call;
         * then the pool works again. */
        CHECK_OK(NULL, ftp_pool_set_progress_callback(sh.pool, cancel_on_bytes, &sh, 0));
        CHECK_RES(NULL, ftp_pool_download_segmented(sh.pool, odd_name, odd_local, 4, FTP_ATOMIC),
                  FTP_ERROR_CANCELLED);
        CHECK(NULL, access(odd_local, F_OK) != 0); /* ATOMIC: nothing left */
        CHECK_OK(NULL, ftp_pool_set_progress_callback(sh.pool, NULL, NULL, 0));
        CHECK_OK(NULL, ftp_pool_download_segmented(sh.pool, odd_name, odd_local, 4, FTP_VERIFY));
        CHECK_STR(NULL, ftp_pool_last_error(sh.pool), "");
        got = tu_read_file(odd_local, &got_len);
        CHECK(NULL, got != NULL && got_len == odd_len && memcmp(got, odd, odd_len) == 0);
        free(got);
        free(odd);
        unlink(odd_disk);
        unlink(odd_local);
        free(odd_disk);
        free(odd_local);
        free(odd_name);
    }

    ftp_pool_free(sh.pool);
    for (i = 0; i < NFILES; i++)
        free(sh.want[i].data);
    rmdir(tmpl);
    free(local);
    free(remote);
    free(remote_on_disk);
    free(pub);
    free(url);
    pthread_mutex_destroy(&sh.lock);
    printf("test_pool: ok\n");
    return 0;
}
