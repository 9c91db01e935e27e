#include "bridge.h"
#include "_cgo_export.h"

/* The userdata of every callback is a runtime/cgo.Handle value, never a
 * Go pointer: the Go side turns it back into its per-call state. */

static int ftpgo_data_cb(void *userdata, const uint8_t *data, size_t len) {
  return ftpgoData((uintptr_t)userdata, (uint8_t *)data, len);
}

static int64_t ftpgo_read_cb(void *userdata, uint8_t *buf, size_t cap) {
  return ftpgoRead((uintptr_t)userdata, buf, cap);
}

static int ftpgo_line_cb(void *userdata, const char *line, size_t len) {
  return ftpgoLine((uintptr_t)userdata, (char *)line, len);
}

static int ftpgo_mlsd_cb(void *userdata, const char *name, const ftp_fact *facts, size_t nfacts) {
  return ftpgoMLSD((uintptr_t)userdata, (char *)name, (ftp_fact *)facts, nfacts);
}

static int ftpgo_entry_cb(void *userdata, const ftp_entry *e) {
  return ftpgoEntry((uintptr_t)userdata, (ftp_entry *)e);
}

static int ftpgo_progress_cb(void *userdata, const ftp_progress *p) {
  return ftpgoProgress((uintptr_t)userdata, (ftp_progress *)p);
}

static int ftpgo_pool_progress_cb(void *userdata, const ftp_progress *p) {
  return ftpgoPoolProgress((uintptr_t)userdata, (ftp_progress *)p);
}

static void ftpgo_debug_cb(void *userdata, const char *line) {
  ftpgoDebug((uintptr_t)userdata, (char *)line);
}

enum ftp_result ftpgo_retrbinary(ftp_session *s, const char *cmd, uintptr_t h,
                                 size_t blocksize, int64_t rest) {
  return ftp_retrbinary(s, cmd, ftpgo_data_cb, (void *)h, blocksize, rest);
}

enum ftp_result ftpgo_storbinary(ftp_session *s, const char *cmd, uintptr_t h,
                                 size_t blocksize, int64_t rest) {
  return ftp_storbinary(s, cmd, ftpgo_read_cb, (void *)h, blocksize, NULL, rest);
}

enum ftp_result ftpgo_retrlines(ftp_session *s, const char *cmd, uintptr_t h) {
  return ftp_retrlines(s, cmd, ftpgo_line_cb, (void *)h);
}

enum ftp_result ftpgo_dir(ftp_session *s, const char *args, uintptr_t h) {
  return ftp_dir(s, args, ftpgo_line_cb, (void *)h);
}

enum ftp_result ftpgo_nlst(ftp_session *s, const char *args, uintptr_t h) {
  return ftp_nlst(s, args, ftpgo_line_cb, (void *)h);
}

enum ftp_result ftpgo_mlsd(ftp_session *s, const char *path, uintptr_t h) {
  return ftp_mlsd(s, path, NULL, 0, ftpgo_mlsd_cb, (void *)h);
}

enum ftp_result ftpgo_set_debug(ftp_session *s, uintptr_t h) {
  if (h == 0) {
    return ftp_set_debug_callback(s, NULL, NULL);
  }
  return ftp_set_debug_callback(s, ftpgo_debug_cb, (void *)h);
}

enum ftp_result ftpgo_list(ftp_session *s, const char *path, uintptr_t h) {
  return ftp_list(s, path, ftpgo_entry_cb, (void *)h);
}

enum ftp_result ftpgo_set_progress(ftp_session *s, uintptr_t h, uint32_t interval_ms) {
  if (h == 0) {
    return ftp_set_progress_callback(s, NULL, NULL, 0);
  }
  return ftp_set_progress_callback(s, ftpgo_progress_cb, (void *)h, interval_ms);
}

enum ftp_result ftpgo_pool_set_progress(ftp_pool *p, uintptr_t h, uint32_t interval_ms) {
  if (h == 0) {
    return ftp_pool_set_progress_callback(p, NULL, NULL, 0);
  }
  return ftp_pool_set_progress_callback(p, ftpgo_pool_progress_cb, (void *)h, interval_ms);
}
