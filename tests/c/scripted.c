/* See scripted.h. */
#include "scripted.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---------------------------------------------------- the server process */

static pid_t srv_pid = -1;
static const char *srv_name = "";

static const char *server_path(void)
{
    const char *p = getenv("FTP_SCRIPTED_SERVER");
    if (p != NULL && p[0] != '\0') return p;
#ifdef FTP_SCRIPTED_SERVER_PATH
    return FTP_SCRIPTED_SERVER_PATH;
#else
    return NULL;
#endif
}

/* atexit: a failed CHECK must not leave our server child behind. */
static void kill_server(void)
{
    if (srv_pid > 0) {
        kill(srv_pid, SIGKILL);
        waitpid(srv_pid, NULL, 0);
        srv_pid = -1;
    }
}

/* Starts `ftp-scripted-server name` and returns the port it listens on. */
uint16_t srv_start(const char *name)
{
    const char *path = server_path();
    char line[64];
    size_t n = 0;
    unsigned port = 0;
    int fds[2];

    tu_step("scenario: %s", name);
    srv_name = name;
    CHECK_MSG(NULL, path != NULL, "set FTP_SCRIPTED_SERVER to the ftp-scripted-server binary");
    CHECK(NULL, pipe(fds) == 0);
    fflush(stdout);
    fflush(stderr);
    srv_pid = fork();
    CHECK(NULL, srv_pid >= 0);
    if (srv_pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(path, path, name, (char *)NULL);
        fprintf(stderr, "cannot run %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    /* "PORT <n>\n", within 10 s. */
    while (n < sizeof line - 1 && (n == 0 || line[n - 1] != '\n')) {
        struct pollfd p = {fds[0], POLLIN, 0};
        ssize_t r;
        CHECK_MSG(NULL, poll(&p, 1, 10000) == 1, "%s printed no port within 10 s", path);
        r = read(fds[0], line + n, sizeof line - 1 - n);
        if (r < 0 && errno == EINTR) continue;
        CHECK_MSG(NULL, r > 0, "%s exited before printing its port", path);
        n += (size_t)r;
    }
    line[n] = '\0';
    close(fds[0]);
    CHECK_MSG(NULL, sscanf(line, "PORT %u", &port) == 1 && port > 0 && port < 65536,
              "bad first line from %s: \"%s\"", path, line);
    return (uint16_t)port;
}

/* Waits for the server; true if its scenario's expectations held. */
bool srv_wait(void)
{
    int status = 0;
    CHECK(NULL, waitpid(srv_pid, &status, 0) == srv_pid);
    srv_pid = -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
    fprintf(stderr, "the server of scenario %s failed (status 0x%x): see its message above\n",
            srv_name, status);
    return false;
}

void srv_finish(void)
{
    CHECK_MSG(NULL, srv_wait(), "scenario %s: the server's expectations failed", srv_name);
}


ftp_session *srv_session(void)
{
    const char *dbg = getenv("FTP_TEST_DEBUG");
    ftp_session *s = ftp_session_new();
    CHECK(NULL, s != NULL);
    CHECK_OK(s, ftp_set_timeout_ms(s, SRV_TIMEOUT_MS));
    if (dbg != NULL && atoi(dbg) > 0) CHECK_OK(s, ftp_set_debuglevel(s, atoi(dbg)));
    return s;
}

ftp_session *srv_connected(uint16_t port)
{
    ftp_session *s = srv_session();
    CHECK_OK(s, ftp_connect(s, "127.0.0.1", port));
    return s;
}

ftp_session *srv_logged_in(uint16_t port)
{
    ftp_session *s = srv_connected(port);
    CHECK_OK(s, ftp_login(s, "user", "pw", NULL));
    return s;
}

/* The scenarios' data: byte i is (i * 31 + 7) % 251 (scenarios::payload). */
uint8_t *payload(size_t len)
{
    uint8_t *p = malloc(len ? len : 1);
    size_t i;
    CHECK(NULL, p != NULL);
    for (i = 0; i < len; i++) p[i] = (uint8_t)((i * 31 + 7) % 251);
    return p;
}

/* Runs one case in a child process, so that a failed CHECK (which exits)
 * ends only that case; true if it passed. */
static bool run_isolated(const srv_case *c)
{
    int status = 0;
    pid_t pid;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    CHECK(NULL, pid >= 0);
    if (pid == 0) {
        atexit(kill_server);
        c->run();
        exit(0);
    }
    CHECK(NULL, waitpid(pid, &status, 0) == pid);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
    fprintf(stderr, "FAILED: %s (status 0x%x)\n", c->name, status);
    return false;
}

int srv_run_cases(const char *label, const srv_case *cases, size_t ncases, int argc,
                  char **argv)
{
    size_t i, ran = 0, failed = 0;
    int a;
    for (i = 0; i < ncases; i++) {
        bool wanted = argc == 1;
        for (a = 1; a < argc && !wanted; a++) wanted = strcmp(cases[i].name, argv[a]) == 0;
        if (!wanted) continue;
        ran++;
        if (!run_isolated(&cases[i])) failed++;
    }
    CHECK_MSG(NULL, ran > 0 && (argc == 1 || ran == (size_t)(argc - 1)),
              "unknown case name among the arguments");
    if (failed > 0) {
        fprintf(stderr, "%s: %zu of %zu cases FAILED\n", label, failed, ran);
        return 1;
    }
    printf("%s: all %zu cases passed\n", label, ran);
    return 0;
}
