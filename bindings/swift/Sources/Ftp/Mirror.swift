// Mirroring a directory tree between the server and a local directory
// over a pool (ftp_pool_mirror): several files at once, largest first,
// resumable after a crash (a journal in the local directory).

import CFtp
import Foundation

/// Which way a mirror copies.
public enum FTPMirrorDirection: Sendable {
    /// The server's tree into the local directory.
    case download
    /// The local tree to the server.
    case upload

    var c: Int32 {
        switch self {
        case .download: return Int32(FTP_MIRROR_DOWNLOAD)
        case .upload: return Int32(FTP_MIRROR_UPLOAD)
        }
    }
}

/// Options of a mirror: the whole-file options, applied to each file,
/// and the mirror's own.
public struct FTPMirrorOptions: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Copy only files the target lacks or has with another size or an
    /// older time.
    public static let newer = FTPMirrorOptions(rawValue: UInt32(FTP_MIRROR_NEWER))
    /// Delete target entries the source lacks (only under the target root).
    public static let delete = FTPMirrorOptions(rawValue: UInt32(FTP_MIRROR_DELETE))

    /// A mirror that also applies these whole-file options to each file.
    public static func files(_ o: FTPFileOptions) -> FTPMirrorOptions {
        return FTPMirrorOptions(rawValue: o.rawValue)
    }
}

/// What a mirror did (filled also when it failed).
public struct FTPMirrorReport: Sendable {
    public let filesCopied: UInt64
    /// Up to date, or completed by an interrupted earlier run.
    public let filesSkipped: UInt64
    public let filesDeleted: UInt64
    public let filesFailed: UInt64
    /// The sizes of the files copied, added up.
    public let bytes: UInt64

    init(_ r: ftp_mirror_report) {
        filesCopied = r.files_copied
        filesSkipped = r.files_skipped
        filesDeleted = r.files_deleted
        filesFailed = r.files_failed
        bytes = r.bytes
    }
}

/// A mirror that failed: the error of the first failure, and the report
/// of what was done all the same.
public struct FTPMirrorError: Error, Sendable {
    public let error: Error
    public let report: FTPMirrorReport
}

extension FTPPool {
    /// Mirrors `remote` (relative to the pool's URL directory; "" = that
    /// directory) and the local directory `local`, `direction` saying
    /// which way. A file that fails does not stop the others: the call
    /// then throws FTPMirrorError (the first failure's error, which says
    /// how many failed, and the report). A cancel or a progress handler's
    /// stop ends the whole mirror (CancellationError is thrown as is).
    /// Progress: the pool's handler (setProgressHandler) sees each file.
    @discardableResult
    public func mirror(_ direction: FTPMirrorDirection, remote: String, local: String,
                       options: FTPMirrorOptions = []) async throws -> FTPMirrorReport {
        let r = try checked(remote, "remote directory")
        let l = try checked(local, "local directory")
        let dir = direction.c
        return try await run { [self] p in
            var report: ftp_mirror_report = .init()
            let result = ftp_pool_mirror(p, dir, r, l, options.rawValue, &report)
            do {
                try checkPool(result)
            } catch let e as CancellationError {
                throw e
            } catch {
                throw FTPMirrorError(error: error, report: FTPMirrorReport(report))
            }
            return FTPMirrorReport(report)
        }
    }
}
