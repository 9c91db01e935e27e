module libftp.dev/ftp

go 1.19
