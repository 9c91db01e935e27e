/* The C API of libftp for Swift's CFtp module. <ftp.h> is found through the
 * include path: `pkg-config --cflags ftp` (see ../../gen-pc.sh) or
 * `swift build -Xcc -I<repo>/include`. */
#ifndef CFTP_SHIM_H
#define CFTP_SHIM_H

#include <ftp.h>

#endif /* CFTP_SHIM_H */
