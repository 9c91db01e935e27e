// Whole files between a local path and the server (ftp_download_file,
// ftp_upload_file) with options (resume, verify, create directories, keep
// the modification time, atomic replacement), progress reports and
// retries; the server's checksum of a file.

import CFtp
import Foundation

/// Options of whole-file transfers (the FTP_* flags of ftp.h).
public struct FTPFileOptions: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Continue from the size the target already has (REST).
    public static let resume = FTPFileOptions(rawValue: UInt32(FTP_RESUME))
    /// Compare the copy with the original afterwards (HASH, X* commands,
    /// else SIZE); a mismatch throws FTPError.verify.
    public static let verify = FTPFileOptions(rawValue: UInt32(FTP_VERIFY))
    /// Create the target's missing parent directories.
    public static let createDirectories = FTPFileOptions(rawValue: UInt32(FTP_CREATE_DIRS))
    /// Give the copy the original's modification time.
    public static let keepModificationTime = FTPFileOptions(rawValue: UInt32(FTP_KEEP_MTIME))
    /// Write a temporary file and rename it over the target once complete
    /// (and verified): the target is the old file or the whole new one.
    public static let atomic = FTPFileOptions(rawValue: UInt32(FTP_ATOMIC))
}

extension FTPClient {
    /// Downloads `remote` into the local file `local`. Progress reports go
    /// to `progress` (start, at most every `progressInterval`, end); a
    /// handler that throws stops the download, and its error is rethrown.
    /// Cancelling the task stops it too (CancellationError; with .atomic
    /// nothing is left behind).
    public func downloadFile(_ remote: String, to local: String, options: FTPFileOptions = [],
                             progress: FTPProgressHandler? = nil,
                             progressInterval: TimeInterval = 0.1) async throws {
        let r = try checked(remote, "remote path")
        let l = try checked(local, "local path")
        try await wholeFile(progress, progressInterval) { ftp_download_file($0, r, l, options.rawValue) }
    }

    /// Uploads the local file `local` to `remote`; as `downloadFile`.
    public func uploadFile(_ local: String, to remote: String, options: FTPFileOptions = [],
                           progress: FTPProgressHandler? = nil,
                           progressInterval: TimeInterval = 0.1) async throws {
        let l = try checked(local, "local path")
        let r = try checked(remote, "remote path")
        try await wholeFile(progress, progressInterval) { ftp_upload_file($0, l, r, options.rawValue) }
    }

    /// Runs a whole-file call with progress reports to `progress`.
    private func wholeFile(_ progress: FTPProgressHandler?, _ interval: TimeInterval,
                           _ call: @escaping (OpaquePointer) -> ftp_result) async throws {
        try await core.run { s in
            try withProgress(s, progress, every: interval) { try check(s, call(s)) }
        }
    }

    /// Retries of downloadFile/uploadFile after transient failures
    /// (reconnect, log in again, resume): up to `attempts`, waiting
    /// `backoff` then twice as long each time. 0 attempts (the default): none.
    public func setRetry(attempts: Int, backoff: TimeInterval = 1) async throws {
        guard let n = UInt32(exactly: attempts) else {
            throw FTPError.invalid("attempts \(attempts) is out of range")
        }
        let ms = UInt32(clamping: milliseconds(backoff))
        try await call { ftp_set_retry($0, n, ms) }
    }

    /// The server's checksum of `path` in lower-case hex: `algorithm`
    /// "SHA-256", "SHA-1", "MD5", "CRC32", or nil for the best it has.
    public func checksum(_ path: String, algorithm: String? = nil) async throws -> String {
        let p = try checked(path, "path")
        let a = try checkedOrNil(algorithm, "algorithm")
        return try await core.run { s in
            var hex: UnsafePointer<CChar>?
            try check(s, withOptionalCString(a) { ftp_checksum(s, p, $0, &hex) })
            return fromC(hex) ?? ""
        }
    }
}
