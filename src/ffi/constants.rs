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

/// `ftp_download_file` / `ftp_upload_file` flag: continue a partial file
/// (download: from the local size; upload: from the remote SIZE, with
/// REST+STOR or APPE).
pub const FTP_RESUME: u32 = 1;

/// Whole-file flag: after the transfer compare with the server (HASH /
/// XSHA256 / XSHA1 / XMD5 / XCRC when advertised, else SIZE); a mismatch
/// is `FTP_ERROR_VERIFY`.
pub const FTP_VERIFY: u32 = 2;

/// Whole-file flag: create the missing parent directories of the target.
pub const FTP_CREATE_DIRS: u32 = 4;

/// Whole-file flag: give the copy the source's modification time.
pub const FTP_KEEP_MTIME: u32 = 8;

/// Whole-file flag: write to a temporary name, rename over the target when
/// complete and verified.
pub const FTP_ATOMIC: u32 = 16;

/// `ftp_pool_mirror` direction: server to local disk.
pub const FTP_MIRROR_DOWNLOAD: i32 = 0;

/// `ftp_pool_mirror` direction: local disk to server.
pub const FTP_MIRROR_UPLOAD: i32 = 1;

/// `ftp_pool_mirror` flag: copy only the files the target lacks, or has
/// with another size or a certainly older modification time.
pub const FTP_MIRROR_NEWER: u32 = 32;

/// `ftp_pool_mirror` flag: delete the target entries the source lacks
/// (only under the target root; symbolic links removed, never followed).
pub const FTP_MIRROR_DELETE: u32 = 64;

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
