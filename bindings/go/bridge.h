/* C side of the Go binding: trampolines from libftp's callback types to
 * the exported Go functions, and wrappers that pass a runtime/cgo.Handle
 * (an integer) as the callbacks' userdata. C never holds a Go pointer. */
#ifndef FTPGO_BRIDGE_H
#define FTPGO_BRIDGE_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "ftp.h"

enum ftp_result ftpgo_retrbinary(ftp_session *s, const char *cmd, uintptr_t h,
                                 size_t blocksize, int64_t rest);
enum ftp_result ftpgo_storbinary(ftp_session *s, const char *cmd, uintptr_t h,
                                 size_t blocksize, int64_t rest);
enum ftp_result ftpgo_retrlines(ftp_session *s, const char *cmd, uintptr_t h);
enum ftp_result ftpgo_dir(ftp_session *s, const char *args, uintptr_t h);
enum ftp_result ftpgo_nlst(ftp_session *s, const char *args, uintptr_t h);
enum ftp_result ftpgo_mlsd(ftp_session *s, const char *path, uintptr_t h);
enum ftp_result ftpgo_set_debug(ftp_session *s, uintptr_t h);
enum ftp_result ftpgo_list(ftp_session *s, const char *path, uintptr_t h);
enum ftp_result ftpgo_set_progress(ftp_session *s, uintptr_t h, uint32_t interval_ms);
enum ftp_result ftpgo_pool_set_progress(ftp_pool *p, uintptr_t h, uint32_t interval_ms);

#endif
