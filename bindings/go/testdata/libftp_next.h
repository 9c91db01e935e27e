/* Declarations from the C API contract (shared/spec C-API.md, Part 2) that
 * include/ftp.h does not have yet: run-tests.sh compiles the files tagged
 * libftp_next (url.go, mirror.go, next_test.go) against ftp.h plus this,
 * so they cannot rot before the C functions land. Not used to link. */
#ifndef FTP_MIRROR_DOWNLOAD
#define FTP_MIRROR_DOWNLOAD 0
#define FTP_MIRROR_UPLOAD 1
#define FTP_MIRROR_NEWER 32u
#define FTP_MIRROR_DELETE 64u
typedef struct ftp_mirror_report {
  uint64_t files_copied, files_skipped, files_deleted, files_failed, bytes;
} ftp_mirror_report;
#endif
enum ftp_result ftp_pool_mirror(ftp_pool *p, int direction, const char *remote_dir,
                                const char *local_dir, unsigned flags, ftp_mirror_report *report);
enum ftp_result ftp_connect_url(ftp_session *s, const char *url, const ftp_tls_config *tls);
enum ftp_result ftp_set_netrc(ftp_session *s, const char *path);
enum ftp_result ftp_set_connect_timeout_ms(ftp_session *s, uint64_t ms);
