//! Constants of the C API (read by cbindgen into ftp.h; Rust code uses the
//! core's own names, checked equal below).

#![allow(dead_code)]

/// `rest < 0` means: send no REST.
pub const FTP_NO_REST: i64 = -1;

/// The block size used when 0 is given.
pub const FTP_DEFAULT_BLOCKSIZE: usize = 8192;

/// The largest block size used; larger values are reduced to it.
pub const FTP_MAX_BLOCKSIZE: usize = 1048576;

/// The largest block `ftp_retrbinary` hands its callback (the size of the
/// library's reads), whatever the block size.
pub const FTP_MAX_RETR_BLOCK: usize = 262144;

/// The most `ftp_storbinary` asks its read callback for at a time (the
/// size of the library's writes), whatever the block size.
pub const FTP_MAX_STOR_BLOCK: usize = 65536;

/// The longest line accepted from the server (replies and text transfers).
pub const FTP_MAX_LINE: usize = 8192;

/// The largest reply accepted from the server (1 MiB); past it: `FTP_ERROR_PROTO`.
pub const FTP_MAX_REPLY: usize = 1048576;

/// The port `ftp_connect` uses when given port 0 (plain and explicit FTPS).
pub const FTP_DEFAULT_PORT: u16 = 21;

/// The port `ftp_connect` uses when given port 0 with implicit FTPS
/// (`ftp_set_implicit_tls`).
pub const FTP_IMPLICIT_PORT: u16 = 990;

#[cfg(test)]
mod tests {
    #[test]
    fn c_constants_match_the_core() {
        assert_eq!(super::FTP_MAX_BLOCKSIZE, crate::session::MAX_BLOCKSIZE);
        assert_eq!(
            super::FTP_DEFAULT_BLOCKSIZE,
            crate::session::DEFAULT_BLOCKSIZE
        );
        assert_eq!(super::FTP_MAX_RETR_BLOCK, crate::session::MAX_RETR_BLOCK);
        assert_eq!(super::FTP_MAX_STOR_BLOCK, crate::session::MAX_STOR_BLOCK);
        assert_eq!(super::FTP_MAX_LINE, crate::reply_reader::MAX_LINE);
        assert_eq!(super::FTP_MAX_REPLY, crate::reply_reader::MAX_REPLY);
        assert_eq!(super::FTP_NO_REST, -1);
        assert_eq!(super::FTP_DEFAULT_PORT, crate::session::DEFAULT_PORT);
        assert_eq!(super::FTP_IMPLICIT_PORT, crate::session::IMPLICIT_PORT);
    }
}
