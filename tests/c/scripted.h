/* The scripted fault server of the C tests: runs one scenario of the
 * ftp-scripted-server binary (crate ftp-testkit, testkit/src/scenarios/)
 * per call, in a child process, and collects its verdict; plus a runner
 * that isolates each test case in its own process.
 *
 * The binary's path comes from FTP_SCRIPTED_SERVER in the environment or
 * the FTP_SCRIPTED_SERVER_PATH definition made by CMake.
 */
#ifndef FTP_SCRIPTED_H
#define FTP_SCRIPTED_H
#include "testutil.h"

/* Starts `ftp-scripted-server name` and returns the port it listens on. */
uint16_t srv_start(const char *name);
/* Waits for the server; true if its scenario's expectations held. */
bool srv_wait(void);
/* srv_wait, failing the test when the server's expectations failed. */
void srv_finish(void);

/* The session timeout every scenario's client sets
 * (scenarios::CLIENT_TIMEOUT). */
#define SRV_TIMEOUT_MS 2000

/* A new session with the scenarios' timeout (and FTP_TEST_DEBUG's level). */
ftp_session *srv_session(void);
/* srv_session connected to 127.0.0.1:port. */
ftp_session *srv_connected(uint16_t port);
/* srv_connected, logged in as user/pw (what the scenarios expect). */
ftp_session *srv_logged_in(uint16_t port);

/* The scenarios' data: byte i is (i * 31 + 7) % 251 (scenarios::payload),
 * malloc'ed. */
uint8_t *payload(size_t len);

/* One test case of a runner. */
typedef struct srv_case {
    const char *name;
    void (*run)(void);
} srv_case;

/* Runs the cases named in argv (all without arguments), each in a child
 * process so that a failed CHECK ends only that case; prints a summary
 * under `label` and returns the exit status for main. */
int srv_run_cases(const char *label, const srv_case *cases, size_t ncases, int argc,
                  char **argv);
#endif
