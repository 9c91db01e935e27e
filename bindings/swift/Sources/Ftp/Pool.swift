// FTPPool: up to N sessions to one server (ftp_pool), for many tasks at
// once: whole-file downloads and uploads, segmented downloads (one file
// in parts over several sessions), and mirrors (Mirror.swift).
//
// Pool calls run at the same time, each as a job on the pool's concurrent
// queue (never on the cooperative thread pool). Cancelling the task of a
// pool call calls ftp_pool_cancel, which stops EVERY call running on the
// pool at that moment (libftp cancels per pool, not per call);
// `cancelAll()` does it without a task. ftp_pool_last_error is per thread:
// it is read in the job, on the thread that made the call.

import CFtp
import Dispatch
import Foundation

public final class FTPPool: @unchecked Sendable {
    let p: OpaquePointer
    private let queue = DispatchQueue(label: "libftp.pool", attributes: .concurrent)
    private let lock = NSLock()
    /// Every progress box ever installed: C may still call an old one
    /// from a transfer that started before it was replaced.
    private var progressBoxes: [ProgressBox] = []

    /// A pool of up to `maxSessions` sessions to the server of `url`
    /// (`ftp://`, `ftpes://`, `ftps://`; user, password, port and a
    /// directory that the pool's remote paths are relative to). Nothing
    /// is connected yet: sessions open when calls need them. `tls`
    /// applies to FTPS URLs (nil: the system's CAs, host name checked).
    public init(url: String, tls: FTPTLSOptions? = nil, maxSessions: Int = 4) throws {
        let u = try checked(url, "url")
        guard let n = UInt32(exactly: maxSessions), n > 0 else {
            throw FTPError.invalid("maxSessions must be 1 or more")
        }
        let config = try tls.map { try TLSConfig($0) }
        let made = withExtendedLifetime(config) { ftp_pool_new(u, config?.c, n) }
        guard let pool = made else {
            // Same thread as ftp_pool_new: its reason for this thread.
            throw ftpError(FTP_ERROR_INVALID_ARGUMENT, message: fromC(ftp_pool_last_error(nil)) ?? "")
        }
        p = pool
    }

    deinit {
        // Calls capture the pool: none runs any more.
        ftp_pool_free(p)
    }

    /// Stops every call running on the pool now (they throw
    /// CancellationError within about 20 ms); later calls work as before.
    public func cancelAll() {
        _ = ftp_pool_cancel(p)
    }

    /// Runs a pool call as a job; its error text is read on its thread.
    func run<T>(_ body: @escaping (OpaquePointer) throws -> T) async throws -> T {
        let pool = p
        let canceller = CallCanceller { _ = ftp_pool_cancel(pool) }
        return try await runBlocking(on: queue, canceller) { [self] in
            try withExtendedLifetime(self) { try body(pool) }
        }
    }

    /// Throws the calling thread's error of the pool unless `r` is FTP_OK.
    func checkPool(_ r: ftp_result) throws {
        if r != FTP_OK {
            throw ftpError(r, message: fromC(ftp_pool_last_error(p)) ?? "")
        }
    }

    // MARK: settings (call them before the pool's first transfer)

    /// The sessions' timeout, and the longest a call waits for a free
    /// session (default 30 s; 0 = no limit).
    public func setTimeout(_ seconds: TimeInterval) async throws {
        let ms = milliseconds(seconds)
        try await run { [self] p in try checkPool(ftp_pool_set_timeout_ms(p, ms)) }
    }

    /// Sends the sessions through a proxy (nil = none); idle sessions are
    /// closed so that every later call goes the new way.
    public func setProxy(_ url: String?) async throws {
        let u = try checkedOrNil(url, "proxy URL")
        try await run { [self] p in try checkPool(withOptionalCString(u) { ftp_pool_set_proxy(p, $0) }) }
    }

    /// The netrc file sessions read when the URL has no password.
    public func setNetrc(_ netrc: FTPNetrc) async throws {
        let path = try netrc.pathArgument()
        try await run { [self] p in try checkPool(withOptionalCString(path) { ftp_pool_set_netrc(p, $0) }) }
    }

    /// Progress reports of every transfer of the pool (nil: none). The
    /// handler may run on several threads at once (one per running
    /// transfer): make it thread-safe. Throwing stops that transfer (its
    /// call throws FTPError.callback; the handler's error is not kept).
    public func setProgressHandler(_ handler: FTPProgressHandler?, interval: TimeInterval = 0.1) async throws {
        let ms = UInt32(clamping: milliseconds(interval))
        let box = handler.map { ProgressBox($0) }
        if let box = box {
            lock.lock()
            progressBoxes.append(box)
            lock.unlock()
        }
        try await run { [self] (p: OpaquePointer) throws -> Void in
            if let box = box {
                try checkPool(ftp_pool_set_progress_callback(p, ProgressBox.callback,
                                                         Unmanaged.passUnretained(box).toOpaque(), ms))
            } else {
                try checkPool(ftp_pool_set_progress_callback(p, nil, nil, 0))
            }
        }
    }

    // MARK: transfers

    /// Downloads `remote` (relative to the URL's directory) into `local`
    /// on a session of the pool.
    public func downloadFile(_ remote: String, to local: String, options: FTPFileOptions = []) async throws {
        let r = try checked(remote, "remote path")
        let l = try checked(local, "local path")
        try await run { [self] p in try checkPool(ftp_pool_download_file(p, r, l, options.rawValue)) }
    }

    /// Uploads the local file `local` to `remote` on a session of the pool.
    public func uploadFile(_ local: String, to remote: String, options: FTPFileOptions = []) async throws {
        let l = try checked(local, "local path")
        let r = try checked(remote, "remote path")
        try await run { [self] p in try checkPool(ftp_pool_upload_file(p, l, r, options.rawValue)) }
    }

    /// Downloads `remote` in up to `segments` parts at once, each on its
    /// own session (REST + RETR per part), into `local`. One stream when
    /// the server or the file does not allow parts (see ftp.h).
    /// Options: .verify, .atomic, .createDirectories, .keepModificationTime.
    public func downloadSegmented(_ remote: String, to local: String, segments: Int = 4,
                                  options: FTPFileOptions = []) async throws {
        let r = try checked(remote, "remote path")
        let l = try checked(local, "local path")
        guard let n = UInt32(exactly: segments) else {
            throw FTPError.invalid("segments \(segments) is out of range")
        }
        try await run { [self] p in try checkPool(ftp_pool_download_segmented(p, r, l, n, options.rawValue)) }
    }
}
