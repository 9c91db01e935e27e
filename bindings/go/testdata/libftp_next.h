/* Declarations from the C API contract (shared/spec C-API.md, Part 2) that
 * include/ftp.h does not have yet: run-tests.sh compiles the files tagged
 * libftp_next (url.go, next_test.go, examples/fetch) against ftp.h plus this,
 * so they cannot rot before the C functions land. Not used to link. */
enum ftp_result ftp_connect_url(ftp_session *s, const char *url, const ftp_tls_config *tls);
enum ftp_result ftp_set_netrc(ftp_session *s, const char *path);
enum ftp_result ftp_set_connect_timeout_ms(ftp_session *s, uint64_t ms);
