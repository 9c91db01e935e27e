/* test_listing: ftp_list, ftp_stat, ftp_mdtm and ftp_set_mtime from C
 * against every real server (all rows of server_table.c; TLS rows in TLS
 * 1.3). A directory made on the server's file system holds a file, a
 * subdirectory, a symlink to the file, a name with two spaces, a UTF-8
 * name, an empty file, a file over two years old and one from three hours
 * ago; every entry ftp_list hands over is checked against the file system
 * (names, types, sizes, mtimes within the precision the listing gives,
 * owner and permissions where the format has them), as are ftp_stat and
 * ftp_mdtm; ftp_set_mtime must change the file's time on the disk where
 * the server allows it (not vsftpd's anonymous users: 550). Also: a
 * callback that stops, a re-entrant call from the callback, NULL
 * arguments. The Rust twin is tests/listing_servers.rs. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "server_table.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct fixture_file {
    const char *name;
    int type;       /* ftp_entry_type */
    int64_t size;   /* files */
    int64_t age;    /* seconds before now (files) */
} fixture_file;

static const fixture_file FIXTURE[] = {
    {"plain.txt", FTP_ENTRY_FILE, 1234, 40 * 86400 + 321},
    {"sub", FTP_ENTRY_DIR, -1, 0},
    {"link", FTP_ENTRY_LINK, -1, 0},
    {"name with  spaces.txt", FTP_ENTRY_FILE, 77, 40 * 86400 + 321},
    {"caf\xc3\xa9 \xc3\xbc.txt", FTP_ENTRY_FILE, 5, 40 * 86400 + 321},
    {"empty", FTP_ENTRY_FILE, 0, 40 * 86400 + 321},
    {"old.txt", FTP_ENTRY_FILE, 300000, 2 * 366 * 86400 + 12345},
    {"recent.txt", FTP_ENTRY_FILE, 3, 3 * 3600 + 17},
};
#define NFIX (sizeof FIXTURE / sizeof FIXTURE[0])

static void make_fixture(const char *dir, const char *parent)
{
    struct stat owner;
    size_t i;
    CHECK(NULL, stat(parent, &owner) == 0);
    CHECK(NULL, mkdir(dir, 0777) == 0);
    CHECK(NULL, chmod(dir, 0777) == 0);
    CHECK(NULL, chown(dir, owner.st_uid, owner.st_gid) == 0);
    for (i = 0; i < NFIX; i++) {
        const fixture_file *f = &FIXTURE[i];
        char *p = tu_path(dir, f->name);
        if (f->type == FTP_ENTRY_FILE) {
            struct timespec ts[2];
            uint8_t *data = tu_gen_data((size_t)f->size, (uint32_t)i);
            tu_write_file(p, data, (size_t)f->size);
            free(data);
            CHECK(NULL, chmod(p, 0644) == 0);
            ts[0].tv_sec = ts[1].tv_sec = time(NULL) - (time_t)f->age;
            ts[0].tv_nsec = ts[1].tv_nsec = 0;
            CHECK(NULL, utimensat(AT_FDCWD, p, ts, 0) == 0);
        } else if (f->type == FTP_ENTRY_DIR) {
            CHECK(NULL, mkdir(p, 0755) == 0);
        } else {
            CHECK(NULL, symlink("plain.txt", p) == 0);
        }
        CHECK(NULL, lchown(p, owner.st_uid, owner.st_gid) == 0);
        free(p);
    }
}

static void remove_fixture(const char *dir)
{
    size_t i;
    for (i = 0; i < NFIX; i++) {
        char *p = tu_path(dir, FIXTURE[i].name);
        CHECK(NULL, (FIXTURE[i].type == FTP_ENTRY_DIR ? rmdir(p) : unlink(p)) == 0);
        free(p);
    }
    CHECK(NULL, rmdir(dir) == 0);
}

static int64_t disk_mtime(const char *path)
{
    struct stat st;
    CHECK(NULL, lstat(path, &st) == 0);
    return (int64_t)st.st_mtime;
}

/* ------------------------------------------------------- collecting */

typedef struct seen {
    const char *dir;       /* local path of the listed directory */
    const ftp_session *s;
    bool found[NFIX];
    size_t entries;
    size_t unknown;
    char format[16];
} seen;

static int64_t local_offset(void)
{
    time_t now = time(NULL);
    struct tm local, utc;
    localtime_r(&now, &local);
    gmtime_r(&now, &utc);
    local.tm_isdst = 0;
    return (int64_t)difftime(mktime(&local), mktime(&utc));
}

/* The listed time equals the disk's within the precision given (and for
 * zone-less LIST times, read as UTC or as this machine's local time). */
static bool mtime_agrees(const ftp_entry *e, int64_t disk)
{
    int64_t offsets[2] = {0, local_offset()};
    int i;
    if (e->mtime == FTP_TIME_UNKNOWN || e->mtime_precision <= 0) return false;
    for (i = 0; i < (e->mtime_utc ? 1 : 2); i++) {
        int64_t d = disk + offsets[i] - e->mtime;
        if (d >= 0 && d < e->mtime_precision) return true;
    }
    return false;
}

static int on_entry(void *userdata, const ftp_entry *e)
{
    seen *c = userdata;
    size_t i;
    c->entries++;
    CHECK(c->s, e->raw != NULL && e->format != NULL);
    CHECK_INT(c->s, e->raw_len, strlen(e->raw));
    if (e->type == FTP_ENTRY_UNKNOWN) {
        CHECK(c->s, e->name == NULL);
        CHECK_MSG(c->s, false, "a line no parser read: \"%s\"", e->raw);
    }
    snprintf(c->format, sizeof c->format, "%s", e->format);
    for (i = 0; i < NFIX; i++) {
        const fixture_file *f = &FIXTURE[i];
        char *p;
        if (strcmp(e->name, f->name) != 0) continue;
        CHECK_MSG(c->s, !c->found[i], "%s listed twice", f->name);
        c->found[i] = true;
        p = tu_path(c->dir, f->name);
        if (f->type == FTP_ENTRY_LINK && e->type != FTP_ENTRY_LINK) {
            /* pyftpdlib's MLSD shows what the link points to */
            CHECK_INT(c->s, e->type, FTP_ENTRY_FILE);
            CHECK_INT(c->s, e->size, 1234);
        } else if (f->type == FTP_ENTRY_LINK) {
            if (e->link_target != NULL) CHECK_STR(c->s, e->link_target, "plain.txt");
        } else {
            CHECK_MSG(c->s, e->type == f->type, "%s: type %d, want %d (%s)", f->name, e->type,
                      f->type, e->raw);
        }
        if (f->type == FTP_ENTRY_FILE) {
            CHECK_INT(c->s, e->size, f->size);
            CHECK_MSG(c->s, mtime_agrees(e, disk_mtime(p)),
                      "%s: mtime %lld (utc %d, precision %d), disk %lld: \"%s\"", f->name,
                      (long long)e->mtime, e->mtime_utc, e->mtime_precision,
                      (long long)disk_mtime(p), e->raw);
            if (strcmp(e->format, "unix") == 0) {
                CHECK_STR(c->s, e->unix_mode, "rw-r--r--");
                CHECK(c->s, e->owner != NULL);
            }
        }
        free(p);
        return 0;
    }
    CHECK_MSG(c->s, false, "an entry not in the directory: \"%s\"", e->raw);
    return 1;
}

static int stop_at_first(void *userdata, const ftp_entry *e)
{
    (void)e;
    ++*(int *)userdata;
    return 7;
}

/* A call on the session from inside its own callback is refused. */
static int reenter(void *userdata, const ftp_entry *e)
{
    ftp_session *s = userdata;
    int64_t t;
    (void)e;
    CHECK_RES(s, ftp_mdtm(s, "x", &t), FTP_ERROR_STATE);
    return 0;
}

/* ------------------------------------------------------------- cases */

static void cases(const struct row *row, ftp_session *s, const char *local)
{
    char *name = tu_unique("cl");
    char *dir = tu_path(local, name);
    char *file = tu_strf("%s/plain.txt", name);
    char *sub = tu_strf("%s/sub", name);
    char *nope = tu_strf("%s/nope", name);
    char *plain = tu_path(dir, "plain.txt");
    const ftp_entry *st = NULL;
    int64_t t = 0;
    int calls = 0;
    size_t i;
    seen c;
    bool mlst = row->kind != VSFTPD;

    make_fixture(dir, local);

    tu_step("%s: ftp_list of a fixture directory", row->name);
    memset(&c, 0, sizeof c);
    c.dir = dir;
    c.s = s;
    CHECK_OK(s, ftp_list(s, name, on_entry, &c));
    CHECK_CODE(s, 226);
    for (i = 0; i < NFIX; i++) CHECK_MSG(s, c.found[i], "%s not listed", FIXTURE[i].name);
    CHECK_INT(s, c.entries, NFIX);
    CHECK_STR(s, c.format, mlst ? "mlsd" : "unix");

    tu_step("%s: a callback that stops; a re-entrant call; NULL arguments", row->name);
    CHECK_RES(s, ftp_list(s, name, stop_at_first, &calls), FTP_ERROR_CALLBACK);
    CHECK_INT(s, calls, 1);
    CHECK(s, strstr(ftp_last_error(s), "returned 7") != NULL);
    CHECK_OK(s, ftp_voidcmd(s, "NOOP"));
    CHECK_OK(s, ftp_list(s, name, reenter, s));
    CHECK_RES(s, ftp_list(s, name, NULL, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_stat(s, NULL, &st), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_stat(s, file, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_mdtm(s, file, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_list(NULL, NULL, on_entry, &c), FTP_ERROR_INVALID_ARGUMENT);

    tu_step("%s: ftp_stat of a file, a directory, a missing path", row->name);
    CHECK_OK(s, ftp_stat(s, file, &st));
    CHECK(s, st != NULL);
    CHECK_INT(s, st->type, FTP_ENTRY_FILE);
    CHECK_INT(s, st->size, 1234);
    CHECK_INT(s, st->mtime, disk_mtime(plain));
    CHECK(s, st->mtime_utc);
    CHECK_INT(s, st->mtime_precision, 1);
    CHECK(s, tu_ends_with(st->name, "plain.txt"));
    CHECK_STR(s, st->format, mlst ? "mlst" : "probe");
    CHECK_OK(s, ftp_stat(s, sub, &st));
    CHECK_INT(s, st->type, FTP_ENTRY_DIR);
    CHECK_RES(s, ftp_stat(s, nope, &st), FTP_ERROR_PERM);
    CHECK(s, st == NULL);

    tu_step("%s: ftp_mdtm, ftp_set_mtime", row->name);
    CHECK_OK(s, ftp_mdtm(s, file, &t));
    CHECK_INT(s, t, disk_mtime(plain));
    CHECK_RES(s, ftp_mdtm(s, nope, &t), FTP_ERROR_PERM);
    CHECK_INT(s, t, FTP_TIME_UNKNOWN);
    if (row->kind == VSFTPD) {
        /* vsftpd understands "MDTM time path" but refuses anonymous users */
        int64_t before = disk_mtime(plain);
        CHECK_RES(s, ftp_set_mtime(s, file, 1500000000), FTP_ERROR_PERM);
        CHECK_CODE(s, 550);
        CHECK_INT(s, disk_mtime(plain), before);
    } else {
        CHECK_OK(s, ftp_set_mtime(s, file, 1500000000));
        CHECK_INT(s, disk_mtime(plain), 1500000000);
        CHECK_OK(s, ftp_mdtm(s, file, &t));
        CHECK_INT(s, t, 1500000000);
    }
    CHECK_RES(s, ftp_set_mtime(s, file, INT64_MIN), FTP_ERROR_INVALID_ARGUMENT);

    remove_fixture(dir);
    free(plain);
    free(nope);
    free(sub);
    free(file);
    free(dir);
    free(name);
}

static bool run_row(const struct row *row) { return run_row_cases(row, cases); }

int main(int argc, char **argv)
{
    int rc = run_rows(argc, argv, run_row);
    if (rc == 0) printf("test_listing: OK\n");
    return rc;
}
